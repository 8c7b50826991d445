"""Who an article comes from: its publisher, and the wire agencies and outlets it cites or credits.

A source is an organisation keyed by its registered domain (``identity.source_id``), so "Reuters" in
a citation and a page on reuters.com are the same row. Agency names are recognised only from the
curated table ``AGENCIES`` and only where a cue shows their role, because bare names are ambiguous
("Reuters Institute", "AP Moller", "antara" = "between" in Indonesian):

- ``cited``: a citation phrase before or after the name ("Mengutip Reuters", "according to AFP",
  "selon l'AFP", "Reuters reported", "told Reuters"); the phrases live in ``lexicons/citation_cues.json``.
- ``credit``: a dateline "(Reuters) -", a photo label "Foto: AFP", a photographer credit
  "REUTERS/Name", or any agency name in an image caption.

A name followed by another capitalised word belongs to a longer name and is not a citation
("Reuters Institute"); a longer alias always wins over a shorter one, so "CNN Indonesia" (its own
outlet, cnnindonesia.com) is never read as CNN.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Sequence

from transforms.identity import registered_domain, source_id
from transforms.lexicons import calendar_words, load, primary_language

_CONTEXT_CHARS = 80
# ccTLDs whose letters are not the ISO code, and ccTLDs marketed as generic names.
_CCTLD_COUNTRY = {"uk": "GB"}
_VANITY_CCTLDS = frozenset({"io", "co", "tv", "me", "fm", "ai", "ly", "cc", "ws", "to", "gg", "sh", "eu", "su", "ac",
                            "am", "la", "nu", "tk", "vc", "ag", "so", "gl"})
_CAPTION_EVIDENCE_CHARS = 120


@dataclass(frozen=True)
class Agency:
    """One organisation of the curated table: ``domain`` is the first of its ``domains``."""
    name: str
    kind: str
    country_code: str
    language: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    ambiguous: frozenset[str]

    @property
    def domain(self) -> str:
        return self.domains[0]


@dataclass(frozen=True)
class SourceRef:
    source_id: str
    name: str
    domain: str
    kind: str
    role: str
    evidence: str
    country_code: str | None = None   # ISO 3166 alpha-2: the curated table's, else the domain's ccTLD
    language: str | None = None       # the curated table's, else the publisher's page language


def _load_agencies() -> tuple[Agency, ...]:
    return tuple(Agency(row["name"], row["kind"], row["country"], row["language"], tuple(row["domains"]),
                        tuple(row["aliases"]), frozenset(row.get("ambiguous", ())))
                 for row in load("agencies")["agencies"])


AGENCIES: tuple[Agency, ...] = _load_agencies()


def find_agency_citations(text: str, captions: Sequence[str] = ()) -> list[SourceRef]:
    """Agencies and outlets the article cites (``cited``) or credits (``credit``), in text order and
    then caption order, one per (source, role) with the first evidence."""
    found = _refs_in(text or "", in_caption=False)
    for caption in captions:
        found.extend(_refs_in(caption or "", in_caption=True))
    unique: dict[tuple[str, str], SourceRef] = {}
    for ref in found:
        unique.setdefault((ref.source_id, ref.role), ref)
    return list(unique.values())


def publisher_source(url: str | None, site_name: str | None, language: str | None = None) -> SourceRef | None:
    """The page's publisher: the curated outlet when the URL's domain is one (so a reuters.com page
    and a "Mengutip Reuters" citation share a source), else the site name, else the domain.
    Without a URL, or with a malformed one, the site name stands in for the domain (an agency alias
    maps to its domain); None when neither names a domain.
    An outlet outside the table takes its country from the ccTLD and its language from the page."""
    domain = registered_domain(url) if url else None
    agency = _agency_by_domain().get(domain) if domain else _agency_by_alias().get(site_name or "")
    evidence = url if domain else site_name
    if agency:
        return _ref(agency, "publisher", evidence)
    domain = domain or registered_domain("".join((site_name or "").split()).lower())
    if domain is None:
        return None
    return SourceRef(source_id(domain), site_name or domain, domain, "publisher", "publisher", evidence,
                     country_of_domain(domain), primary_language(language))


def country_of_domain(domain: str | None) -> str | None:
    """ISO 3166 alpha-2 of a domain's country-code TLD ("kompas.co.id" -> ID, "bbc.co.uk" -> GB);
    None for generic TLDs and for ccTLDs sold worldwide as brands (.io, .co, .tv, .me …)."""
    label = (domain or "").rsplit(".", 1)[-1].lower()
    if len(label) != 2 or not label.isascii() or not label.isalpha() or label in _VANITY_CCTLDS:
        return None
    return _CCTLD_COUNTRY.get(label, label.upper())


def _ref(agency: Agency, role: str, evidence: str) -> SourceRef:
    return SourceRef(source_id(agency.domain), agency.name, agency.domain, agency.kind, role, evidence,
                     agency.country_code, agency.language)


def _refs_in(text: str, *, in_caption: bool) -> list[SourceRef]:
    refs = []
    by_alias = _agency_by_alias()
    for match in _alias_pattern().finditer(text):
        start, end = match.span()
        if _continues_a_name(text, end):
            continue
        role_evidence = _role(text, start, end)
        if role_evidence is None and in_caption:
            role_evidence = ("credit", " ".join(text.split())[:_CAPTION_EVIDENCE_CHARS])
        if role_evidence:
            refs.append(_ref(by_alias[match.group()], *role_evidence))
    return refs


def _role(text: str, start: int, end: int) -> tuple[str, str] | None:
    """``(role, evidence)`` for the agency name at ``text[start:end]``, or None without a cue."""
    cues = _cue_patterns()
    before = text[max(0, start - _CONTEXT_CHARS):start]
    after = text[end:end + _CONTEXT_CHARS]
    dateline = cues["dateline"].match(after)
    if before.endswith("(") and dateline:
        return "credit", "(" + text[start:end + dateline.end()].strip()
    photographer = cues["photographer"].match(after)
    if photographer:
        return "credit", text[start:end + photographer.end()].strip()
    for role, key in (("credit", "credit_before"), ("cited", "cited_before")):
        cue = cues[key].search(before)
        if cue:
            return role, text[start - len(before) + cue.start():end]
    cue = cues["cited_after"].match(after)
    if cue and not _ends_a_name(before):
        return "cited", text[start:end + cue.end()]
    return None


def _continues_a_name(text: str, end: int) -> bool:
    """"Reuters Institute", "AP Moller": a capitalised word follows that is no date or credit word."""
    following = re.match(r"[ \t]+(\w+)", text[end:end + _CONTEXT_CHARS])
    if not following or not following.group(1)[0].isupper():
        return False
    word = following.group(1)
    return word.casefold() not in calendar_words() and word not in load("citation_cues")["credit_words"]


def _ends_a_name(before: str) -> bool:
    """"Thomson Reuters reported": a capitalised word joined to the name from the left, unless it
    opens the sentence (its capital then proves nothing) or describes the agency ("Kantor Berita")."""
    previous = re.search(r"(\w+)[ \t]+$", before)
    if not previous or not previous.group(1)[0].isupper() or previous.group(1).casefold() in _descriptor_words():
        return False
    return not re.search(r"(?:^|[.!?\n])\s*$", before[:previous.start()])


@lru_cache(maxsize=1)
def _agency_by_alias() -> dict[str, Agency]:
    """Every alias and its all-caps variant ("REUTERS", "ANTARA")."""
    return {spelling: agency for agency in AGENCIES for alias in agency.aliases
            for spelling in (alias.upper(), alias)}


@lru_cache(maxsize=1)
def _agency_by_domain() -> dict[str, Agency]:
    return {domain: agency for agency in AGENCIES for domain in agency.domains}


@lru_cache(maxsize=1)
def _alias_pattern() -> re.Pattern[str]:
    aliases = sorted(_agency_by_alias(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, aliases)) + r")(?![\w-])")


@lru_cache(maxsize=1)
def _descriptor_words() -> frozenset[str]:
    return frozenset(word.casefold() for phrase in load("citation_cues")["descriptors"] for word in phrase.split())


@lru_cache(maxsize=1)
def _cue_patterns() -> dict[str, re.Pattern[str]]:
    cues = load("citation_cues")

    def alternation(phrases: list[str]) -> str:
        ordered = sorted(phrases, key=len, reverse=True)
        return "(?:" + "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered) + ")"

    descriptors = "(?:" + "|".join(
        re.escape(d) if d.endswith(("'", "’")) else alternation([d]) + r"\s+" for d in cues["descriptors"]) + "){0,3}"
    word_start = r"(?<!\w)"
    return {
        "dateline": re.compile(r"\s*\)\s*[-–—]?"),
        "photographer": re.compile(r"\s?/\s?[^\W\d_][^\n,;()]{0,40}"),
        "credit_before": re.compile(
            word_start + "(?:" + alternation(cues["credit_labels"]) + r"\s*[:/|]\s*|"
            + alternation(cues["credit_by"]) + r"\s+)" + descriptors + "$", re.IGNORECASE),
        "cited_before": re.compile(
            word_start + alternation(cues["cited_before"]) + r"\s*:?\s+" + descriptors + "$", re.IGNORECASE),
        "cited_after": re.compile(r"[ \t]+" + alternation(cues["cited_after"]) + r"(?!\w)", re.IGNORECASE),
    }
