"""Bounds on a page before the steps whose cost grows faster than the page.

A stuck parse cannot be interrupted inside a process, so the input is bounded before each expensive
step: the markup before lxml and trafilatura (``bound_markup``: one linear pass over the decoded
string with regular expressions, no parser), and the article text before entity recognition, quotes,
syndication shingles and agency citations (``bounded_text``).

Each limit sits well above the largest value on 305 real pages (``python -m bench.bounds``: the aeb and
fundus corpora and the seed in ../shared, and ``samples/``) and well below where the cost explodes.
Costs measured on this machine (2 shared cores, one process; lxml = trafilatura's ``load_html``,
trafilatura = ``bare_extraction`` with ``TRAFILATURA_OPTIONS``, NER = ``find_entities_batch``):

- attributes on one element: corpus max 64, limit 1,000 (0.01 s). lxml's parse is quadratic in them
  (10,000: 0.12 s, 30,000: 1.3 s, 100,000: 20 s) and trafilatura's pass again (100,000: 17 s).
- attributes on the page: corpus max 8,367, limit 100,000. trafilatura holds about 1.3 KB per
  attribute (200,000: 330 MB; 1,000,000: 1.4 GB).
- links (``<a>``): corpus max 683, limit 3,000. trafilatura's link-density tests grow with the links
  of one block faster than quadratically (one paragraph of 1,000 links: 0.26 s, 3,000: 0.7 s,
  5,000: 2.2 s, 10,000: 12 s; 50,000 links 50 to a paragraph: 16 s, the same text unlinked: 0.26 s).
- nesting depth: corpus max 51 (libxml2's own depth within a few levels), limit 200. libxml2 drops
  everything nested deeper than 255 without a word (10,000 ``<div>`` deep: no text), so this bound
  keeps content rather than time (200-deep blocks, 29,000 elements: 3.5 s).
- elements (start tags): corpus max 4,098, limit 30,000. trafilatura is linear to super-linear in
  them (30,000 empty: 0.8 s; 30,000 paragraphs of text: 3-6 s, 60,000: 12 s and 330 MB).
- article text read by the per-article passes: corpus max 52,991 characters, limit 100,000. NER time
  is about linear (en 34 µs, id 55 µs a character: 100,000 take 3.4 s / 5.5 s) but its memory grows
  by 3.4 KB (en) to 4.6 KB (id) a character: +340 / +460 MB at 100,000, 1.1 / 1.5 GB at 300,000,
  id 1,000,000 4.5 GB; the 9 MB text node of a user's page took 262 s and 2.5 GB (en). Quote finding
  is super-linear (100,000: 0.04 s, 300,000: 0.6 s, 1,000,000: 45 s); MinHash shingles and agency
  citations are linear (5,000,000: 1.6 s and 0.8 s) and read the same prefix so that every pass
  sees the same text.
- not bounded, measured linear: a long attribute value (5 MB: lxml 0.04 s, trafilatura 0.04 s), one
  long text node (9 MB: lxml 0.04 s, trafilatura 0.4 s), nested ``<table>``/``<script>``/lists
  (libxml2's depth cap); the 10 MB document cap (``DEFAULT_MAX_DOCUMENT_BYTES``) bounds them.

Markup past a bound is dropped while its text is kept, so the article is still read, and marked
(``is_truncated``): attributes past the limits are removed (they never hold article text), and
elements nested past the depth limit are unwrapped into their ancestor (libxml2 would drop their
text). Two bounds reject the page instead, each with its own reason: too many links
(``too_many_links``): a page of thousands of links is a directory or a link farm, and trafilatura's
link density is what tells such a page from an article, so unwrapping the links would pass the
list off as article text; too many elements (``too_many_elements``): there is no excess markup to
drop around the text, a cut would lose content at an arbitrary point, and a page seven times the
size of the largest news page measured is a listing or a dump. The text bound cuts only what the
per-article passes read; the stored article text stays whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.documents import Rejection

MAX_ELEMENT_ATTRIBUTES = 1_000
MAX_PAGE_ATTRIBUTES = 100_000
MAX_LINKS = 3_000
MAX_DEPTH = 200
MAX_ELEMENTS = 30_000
MAX_TEXT_CHARS = 100_000

TOO_MANY_ELEMENTS = "too_many_elements"
TOO_MANY_LINKS = "too_many_links"

# One token of markup: a comment (to its end, or to the end of the page), or a tag tokenised as HTML5
# does (libxml2 2.14 does too): the name, then attributes, where a quote opens a value only after "="
# and a quoted value may hold ">" and line breaks. The tag alternative always matches once a name
# follows "<" (the closing ">" is optional), so the engine never backtracks over a page.
_TOKEN = re.compile(r"""<!--[\s\S]*?(?:-->|\Z)|<(/?)([A-Za-z][^\s/>]*)((?:[^>=]+|=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))*)>?""")
_ATTRIBUTE = re.compile(r"""[^\s/>][^\s/>=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
_UNQUOTED_VALUE_END = re.compile(r"=\s*[^\s\"'>]*$")
_START_TAG = re.compile(r"<[A-Za-z]")
_LINK_START = re.compile(r"<a[\s/>]", re.I)
# Elements whose content is text up to their own end tag, never markup.
_RAW_TEXT_END = {name: re.compile(rf"</{name}[\s/>]", re.I)
                 for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")}
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "basefont", "bgsound", "frame", "keygen"})
# libxml2 closes the element on top of the stack when one of these opens (its own table, in the
# manner of HTML 4): enough of it that the depth measured here is libxml2's within a few levels.
_CLOSES_P = frozenset({"address", "blockquote", "center", "dir", "div", "dl", "fieldset", "form", "h1", "h2", "h3",
                       "h4", "h5", "h6", "hr", "listing", "menu", "ol", "p", "pre", "table", "ul", "xmp", "li", "dd",
                       "dt", "tr", "td", "th"})
_CLOSES_CELL = frozenset({"td", "th", "tr", "thead", "tbody", "tfoot"})
_CLOSED_BY: dict[str, frozenset[str]] = {
    "p": _CLOSES_P, "li": frozenset({"li"}), "dt": frozenset({"dt", "dd"}), "dd": frozenset({"dt", "dd"}),
    "option": frozenset({"option", "optgroup"}), "optgroup": frozenset({"optgroup"}), "a": frozenset({"a"}),
    "td": _CLOSES_CELL, "th": _CLOSES_CELL, "tr": frozenset({"tr", "thead", "tbody", "tfoot"}),
    "thead": frozenset({"tbody", "tfoot"}), "tbody": frozenset({"tbody", "tfoot"}),
    **{f"h{level}": frozenset({"p"}) for level in range(1, 7)},
}
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*(?=\s)|[。！？][」』”]*")


@dataclass(frozen=True)
class MarkupSize:
    """What one pass over a page's markup measured, before any bound."""

    depth: int
    elements: int
    links: int
    attributes: int             # on the whole page
    element_attributes: int     # most on one element


@dataclass(frozen=True)
class BoundedMarkup:
    """The markup to parse; ``notes`` says what each bound that fired dropped (none: the page as given)."""

    html: str
    size: MarkupSize
    notes: tuple[str, ...] = ()

    @property
    def is_truncated(self) -> bool:
        return bool(self.notes)


def bound_markup(html: str) -> BoundedMarkup | Rejection:
    """``html`` with the markup past each bound dropped and its text kept, or a rejection for a page
    with more elements or links than any article page. One pass, linear in the length of ``html``,
    stopping at the first element or link over its limit."""
    scan = _MarkupScan(html)
    size = scan.size()
    if size.links > MAX_LINKS:
        return Rejection(TOO_MANY_LINKS, f"{size.links:,} links, over the limit of {MAX_LINKS:,}")
    if size.elements > MAX_ELEMENTS:
        return Rejection(TOO_MANY_ELEMENTS, f"{size.elements:,} elements, over the limit of {MAX_ELEMENTS:,}")
    return BoundedMarkup(scan.bounded_html(), size, scan.notes())


def bounded_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """The start of ``text`` that the per-article passes read (entities, quotes, shingles, citations)
    and whether it was cut: at most ``limit`` characters, ending at the last paragraph break, else
    sentence end, else space in them, whichever keeps at least half. A prefix, so offsets found in it
    are offsets in ``text``."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    sentence_ends = [match.end() for match in _SENTENCE_END.finditer(head, limit // 2)]
    for cut in (head.rfind("\n"), sentence_ends[-1] if sentence_ends else -1, head.rfind(" ")):
        if cut >= limit // 2:
            return head[:cut].rstrip(), True
    return head, True


class _MarkupScan:
    """One pass over the markup: libxml2's stack of open elements (closed by end tags and by the
    elements that implicitly close others), the counts, and the edits that keep the markup within
    the bounds. Past the element or link limit it only counts the start tags and links that remain,
    with one regex each (an estimate: those inside scripts and comments count too)."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.elements = self.links = self.attributes = self.element_attributes = self.depth = 0
        self.kept_attributes = self.dropped_attributes = self.flattened = 0
        self.edits: list[tuple[int, int, str]] = []
        self._stack: list[str] = []
        self._open: dict[str, int] = {}
        self._flattened_open: dict[str, int] = {}   # unwrapped past the depth limit, not yet closed
        self._flattened_depth = 0
        self._scan()

    def _scan(self) -> None:
        html, position = self.html, 0
        while (match := _TOKEN.search(html, position)) is not None:
            position = match.end()
            closing, name, section = match.groups()
            if name is None:
                continue
            name = name.lower()
            if closing:
                self._end_tag(match, name)
                continue
            self.elements += 1
            self.links += name == "a"
            if self.elements > MAX_ELEMENTS or self.links > MAX_LINKS:
                self.elements += len(_START_TAG.findall(html, position))
                self.links += len(_LINK_START.findall(html, position))
                return
            position = self._start_tag(match, name, section)

    def _end_tag(self, match: re.Match, name: str) -> None:
        if self._flattened_open.get(name):
            self._flattened_open[name] -= 1
            self._flattened_depth -= 1
            self.edits.append((match.start(), match.end(), ""))
        elif self._open.get(name):
            while (top := self._stack.pop()) != name:
                self._open[top] -= 1
            self._open[name] -= 1

    def _start_tag(self, match: re.Match, name: str, section: str) -> int:
        """Where the scan goes on after this start tag (past the content of a raw-text element)."""
        attributes = _ATTRIBUTE.findall(section) if section and not section.isspace() else []
        self.attributes += len(attributes)
        self.element_attributes = max(self.element_attributes, len(attributes))
        self_closing = _self_closing(section, attributes)
        if name in _VOID or self_closing or name in _RAW_TEXT_END:   # libxml2 closes even "<script/>"
            self._keep_attributes(match, name, attributes, self_closing)
            return match.end() if name in _VOID or self_closing else self._raw_text_end(name, match.end())
        while self._stack and name in _CLOSED_BY.get(self._stack[-1], ()):
            self._open[self._stack.pop()] -= 1
        if len(self._stack) >= MAX_DEPTH:
            self.flattened += 1
            self._flattened_open[name] = self._flattened_open.get(name, 0) + 1
            self._flattened_depth += 1
            self.edits.append((match.start(), match.end(), ""))
        else:
            self._keep_attributes(match, name, attributes, self_closing)
            self._stack.append(name)
            self._open[name] = self._open.get(name, 0) + 1
        self.depth = max(self.depth, len(self._stack) + self._flattened_depth)
        return match.end()

    def _raw_text_end(self, name: str, start: int) -> int:
        """Where the text content of a raw-text element ends: at its end tag, else at the end of the page."""
        end = _RAW_TEXT_END[name].search(self.html, start)
        return end.start() if end else len(self.html)

    def _keep_attributes(self, match: re.Match, name: str, attributes: list[str], self_closing: bool) -> None:
        """Keep at most the element's and the page's share of attributes, rewriting the tag if needed."""
        allowed = max(0, min(MAX_ELEMENT_ATTRIBUTES, MAX_PAGE_ATTRIBUTES - self.kept_attributes))
        self.kept_attributes += min(allowed, len(attributes))
        if len(attributes) > allowed:
            self.dropped_attributes += len(attributes) - allowed
            kept = "".join(f" {attribute}" for attribute in attributes[:allowed])
            self.edits.append((match.start(), match.end(), f"<{name}{kept}{'/>' if self_closing else '>'}"))

    def size(self) -> MarkupSize:
        return MarkupSize(self.depth, self.elements, self.links, self.attributes, self.element_attributes)

    def bounded_html(self) -> str:
        pieces, position = [], 0
        for start, end, replacement in self.edits:
            pieces += [self.html[position:start], replacement]
            position = end
        return "".join(pieces) + self.html[position:] if pieces else self.html

    def notes(self) -> tuple[str, ...]:
        notes = []
        if self.dropped_attributes:
            notes.append(f"{self.dropped_attributes:,} attributes dropped (most on one element "
                         f"{self.element_attributes:,}, limit {MAX_ELEMENT_ATTRIBUTES:,}; on the page "
                         f"{self.attributes:,}, limit {MAX_PAGE_ATTRIBUTES:,})")
        if self.flattened:
            notes.append(f"{self.flattened:,} elements unwrapped into their ancestor (nested {self.depth:,} deep, "
                         f"limit {MAX_DEPTH:,})")
        return tuple(notes)


def _self_closing(section: str, attributes: list[str]) -> bool:
    """A start tag ending in "/>" (libxml2 closes any element written so), unless the slash ends an
    unquoted attribute value (``<a href=/news/>``)."""
    if not section.endswith("/"):
        return False
    last = attributes[-1] if attributes else ""
    return not (last.endswith("/") and section.endswith(last) and _UNQUOTED_VALUE_END.search(last))
