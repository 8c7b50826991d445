"""One HTML document in, one article record (or a rejection) out.

trafilatura finds the body text; metadata comes from the page's own markup first because
trafilatura keeps only the day of a date and often a title with the site's suffix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib.metadata import version

import trafilatura
from trafilatura.metadata import extract_author, extract_title
from trafilatura.utils import load_html

from transforms.authors import clean_authors, name_key
from transforms.boilerplate import remove_boilerplate
from transforms.bounds import MAX_TEXT_CHARS, bound_markup
from transforms.documents import DEFAULT_MAX_DOCUMENT_BYTES, NO_TEXT, NOT_HTML, Rejection, decode_html, sniff
from transforms.failures import one_line
from transforms.identity import article_identity, sha256_hex
from transforms.metadata import read_bylines, read_metadata, split_names
from transforms.page_dates import modified_time, published_time
from transforms.text_stats import detect_language, word_count
from transforms.urls import split_url

# Chosen from `make bench`: favor_precision gives the best body F1 on both gold corpora at about the
# speed of the defaults; comments are never article text.
TRAFILATURA_OPTIONS = {"favor_precision": True, "include_comments": False}
EXTRACTOR_VERSION = f"kabar-{version('kabar')}+trafilatura-{trafilatura.__version__}"

_SECTION_NAME_WORDS = 3
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")


@dataclass(frozen=True)
class ExtractedArticle:
    """An article's text and metadata, before entities, quotes and sources."""

    article_id: str
    document_id: str
    url: str | None
    canonical_url: str | None
    title: str | None
    text: str
    language: str | None
    published_at: datetime | None
    published_at_precision: str | None
    published_at_raw: str | None
    authors: list[str]
    word_count: int
    content_sha256: str
    origin: str
    site_name: str | None
    description: str | None
    image_url: str | None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    extracted_at: datetime | None = None
    extractor_version: str = EXTRACTOR_VERSION
    fetched_at: datetime | None = None      # from the WARC record or the crawl; None for files on disk
    is_truncated: bool = False              # read in part: markup past a bound, or text past MAX_TEXT_CHARS
    modified_at: datetime | None = None     # the page's last-modified time (dateModified and its kin)
    is_accessible_for_free: bool | None = None  # JSON-LD isAccessibleForFree; None when the page is silent


EXTRACTION_ERROR = "extraction_error"
# Fewer words than this is navigation or a stub, not an article (short briefs still pass).
MIN_ARTICLE_WORDS = 10


def process_document(data: bytes, *, document_id: str, origin: str, url: str | None = None,
                     extracted_at: datetime | None = None,
                     max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> ExtractedArticle | Rejection:
    """Bytes to article: sniff, decode, bound the markup (``transforms.bounds``), extract. Any error
    inside a third-party parser becomes a rejection naming it, so one odd page never stops a run of
    thousands. An article read in part (markup past a bound, or text longer than the per-article
    passes read) is marked ``is_truncated``."""
    rejection = sniff(data, max_bytes)
    if rejection is not None:
        return rejection
    try:
        bounded = bound_markup(decode_html(data))
        if isinstance(bounded, Rejection):
            return bounded
        result = extract_article(bounded.html, document_id=document_id, origin=origin, url=url,
                                 extracted_at=extracted_at)
    except Exception as error:  # whatever a parser raises on one page is that page's rejection
        return Rejection(EXTRACTION_ERROR, one_line(error))
    if isinstance(result, Rejection):
        return replace(result, detail="; ".join((result.detail, *bounded.notes)))
    truncated = bounded.is_truncated or len(result.text) > MAX_TEXT_CHARS
    return replace(result, is_truncated=True) if truncated else result


def extract_article(html: str, *, document_id: str, origin: str, url: str | None = None,
                    extracted_at: datetime | None = None) -> ExtractedArticle | Rejection:
    """Extract body text and metadata from decoded HTML."""
    tree = load_html(html)
    if tree is None:
        return Rejection(NOT_HTML, "the HTML parser found no document tree")
    meta = read_metadata(tree)
    outlets = [*meta.site_names, *_host_labels([url, *meta.urls])]
    names = outlets + [section for section in meta.sections if _is_short(section)]
    title = _headline(meta.titles, names) or _headline([extract_title(tree)], names) or _first(meta.titles)
    authors = clean_authors(meta.authors, outlets) or clean_authors(_fallback_authors(tree, html), outlets)
    # Metadata is read above, so trafilatura only finds the body (its metadata pass, htmldate
    # included, would cost a third of the time for fields Kabar reads better from the markup).
    document = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **TRAFILATURA_OPTIONS)
    text = remove_boilerplate(document.text) if document is not None and document.text else ""
    words = word_count(text)
    if words < MIN_ARTICLE_WORDS:
        return Rejection(NO_TEXT, f"no article text found in the page ({words} words after extraction)")
    # The URL the page names as its own first, else the one it was fetched from.
    canonical, article_id = article_identity([*meta.urls, url]) or (None, document_id)
    site_name = _first(meta.site_names)
    # last: htmldate (for pages whose metadata has no date) reads the tree trafilatura has finished with
    published, modified = published_time(meta, tree, html, url or canonical), modified_time(meta, tree)
    return ExtractedArticle(
        article_id=article_id,
        document_id=document_id,
        url=url or canonical,
        canonical_url=canonical,
        title=_clean_title(title, site_name),
        text=text,
        language=detect_language(text),
        published_at=published.value if published else None,
        published_at_precision=published.precision if published else None,
        published_at_raw=published.raw if published else None,
        authors=authors,
        word_count=words,
        content_sha256=sha256_hex(text),
        origin=origin,
        site_name=site_name,
        description=_first(meta.descriptions),
        image_url=_first(meta.images),
        categories=meta.sections,
        tags=meta.keywords,
        captions=meta.captions,
        extracted_at=extracted_at,
        # no precision column beside it: a modified date without a time and zone is left out
        modified_at=modified.value if modified and modified.has_zone else None,
        is_accessible_for_free=_first(meta.free_access),
    )


def _headline(candidates: list[str | None], names: list[str]) -> str | None:
    """The first title candidate that is not the site's or a section's name ("Engadget", "Sections"):
    a page's JSON-LD ``name``, og:title or first h1 is sometimes the outlet's, not the article's."""
    keys = {name_key(name) for name in names}
    return next((title for title in candidates if title and name_key(title) not in keys), None)


def _is_short(name: str) -> bool:
    """A section's name ("Business Monday"), not a headline some pages also list as their section."""
    return len(name.split()) <= _SECTION_NAME_WORDS


def _host_labels(urls: list[str | None]) -> list[str]:
    """The site's name as its host spells it: the host's labels but the last ("rollingstone" for
    https://www.rollingstone.com/music/…, "edition" and "cnn" for edition.cnn.com)."""
    return [label for split in filter(None, (split_url(url) for url in urls if url))
            for label in split.host.split(".")[:-1]]


def _fallback_authors(tree, html: str) -> list[str]:
    """Authors when the metadata names none: trafilatura's byline heuristics, then byline elements."""
    found = extract_author(tree)
    names = [name for part in (found or "").split(";") for name in split_names(part)]
    return [_as_written(name, html) for name in names] or read_bylines(tree)


def _as_written(name: str, html: str) -> str:
    """The name as the page spells it: trafilatura title-cases a name that starts in lower case
    ("dpa" -> "Dpa", "de la Cruz" -> "De La Cruz"); a name the page writes as given stays as given."""
    if name in html:
        return name
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", html, re.I)
    return found.group(0) if found else name


def _clean_title(title: str | None, site_name: str | None) -> str | None:
    """The title without the outlet's name appended or prepended ("… | WowKeren")."""
    if not title:
        return None
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1 and site_name:
        site = site_name.casefold()
        if site in parts[-1].casefold() or parts[-1].casefold() in site:
            title = title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»")
        elif site in parts[0].casefold():
            title = title[len(parts[0]):].lstrip(" |-–—:·•»")
    return title.strip() or None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
