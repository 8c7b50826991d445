"""Page metadata that trafilatura does not keep: JSON-LD, OpenGraph/meta tags, ``<time>``,
canonical links and captions, read from the parsed tree before extraction prunes it.

JSON-LD is the publisher's own data and may be anything: a value of any JSON type where a string is
expected is skipped, an array nested thousands deep (``json.loads`` raises RecursionError) skips its
script, and the work is bounded so a hostile page costs milliseconds: at most ``MAX_JSON_LD_NODES``
objects and arrays are visited per page (breadth first, so the top-level article comes first), at most
``MAX_ARTICLE_NODES`` article objects are read, and at most ``MAX_FIELD_VALUES`` values of one field
(authors, keywords, sections). Real news pages have a few dozen nodes and one or two articles.
A lone surrogate from a JSON ``\\ud800`` escape, which no encoder writes, becomes U+FFFD.
"""
from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field, fields

from lxml.html import HtmlElement

from transforms.encoding import encodable

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "liveblogposting", "webpage", "report"}
_DATE_META_NAMES = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                    "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
                    "dcterms.created", "sailthru.date", "parsely-pub-date", "content_publishdate", "cxenseparse:recs:publishtime")
# dateModified's kin: the page's last edit, never its publication.
_MODIFIED_META_NAMES = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
                        "last-modified", "dc.date.modified", "dcterms.modified", "parsely-updated", "updated_time")
MAX_JSON_LD_NODES = 5_000
MAX_ARTICLE_NODES = 20
MAX_FIELD_VALUES = 100


@dataclass
class PageMetadata:
    """What the markup says about the article, each field in the order of trust we give it."""

    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    free_access: list[bool] = field(default_factory=list)


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """Collect metadata candidates from JSON-LD first, then meta tags, then visible markup."""
    meta = PageMetadata()
    tags = _meta_tags(tree)
    # The canonical link is the page's own statement of its URL: it outranks og:url and JSON-LD.
    _add(meta.urls, *tree.xpath("//link[@rel='canonical']/@href")[:1], tags.get("og:url"))
    for item in _json_ld_articles(tree):
        _add(meta.titles, item.get("headline"), item.get("name"))
        meta.authors.extend(_person_names(item.get("author")))
        _add(meta.published, item.get("datePublished"), item.get("dateCreated"))
        _add(meta.modified, item.get("dateModified"))
        meta.free_access.extend(_free_access(item))
        _add(meta.urls, item.get("url"), _id_of(item.get("mainEntityOfPage")))
        _add(meta.site_names, *_person_names(item.get("publisher")))
        _add(meta.descriptions, item.get("description"))
        _add(meta.images, _id_of(item.get("image")))
        _add(meta.sections, *_as_list(item.get("articleSection")))
        _add(meta.keywords, *_keywords(item.get("keywords")))
    _add(meta.titles, tags.get("og:title"), tags.get("twitter:title"))
    _add(meta.published, *(tags.get(name) for name in _DATE_META_NAMES))
    _add(meta.modified, *(tags.get(name) for name in _MODIFIED_META_NAMES))

    _add(meta.site_names, tags.get("og:site_name"), tags.get("application-name"))
    _add(meta.descriptions, tags.get("og:description"), tags.get("description"))
    _add(meta.images, tags.get("og:image"), tags.get("twitter:image"))
    _add(meta.sections, tags.get("article:section"))
    _add(meta.keywords, *_keywords(tags.get("keywords")), *_keywords(tags.get("news_keywords")))
    for name in ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author"):
        value = tags.get(name)
        if value and not value.startswith("http"):
            meta.authors.extend(split_names(value))
    _add(meta.titles, *(_text(h1) for h1 in tree.xpath("//h1")[:1]))
    meta.captions.extend(c for c in (_text(node) for node in tree.xpath("//figcaption | //*[@class][contains(@class,'caption')]")) if c)
    meta.authors = _unique(meta.authors)
    return _encodable(meta)


def _encodable(meta: PageMetadata) -> PageMetadata:
    """Every value without lone surrogates (U+FFFD in their place): they come from JSON escapes, and
    writing the article anywhere (a hash, a frame, the warehouse) would fail on them."""
    for name in (f.name for f in fields(meta) if f.name != "free_access"):
        setattr(meta, name, [encodable(value) for value in getattr(meta, name)])
    return meta


# The readers below scan every element of the page, so extraction calls them only when the
# cheaper metadata above came up empty.

def read_markup_dates(tree: HtmlElement) -> list[str]:
    """Dates in microdata (``itemprop=datePublished``), ``<time data-published>``, and the first
    ``<time datetime>`` not marked as the modified or updated time."""
    return [*_attributes(tree.xpath("//*[@itemprop='datePublished'] | //time[@data-published]"),
                         "data-published", "content", "datetime"),
            *tree.xpath(f"(//time[@datetime][not({_MARKED_MODIFIED})])[1]/@datetime")]


def read_markup_modified(tree: HtmlElement) -> list[str]:
    """Modified times in microdata (``itemprop=dateModified``) and ``<time data-modified|data-updated>``."""
    return _attributes(tree.xpath("//*[@itemprop='dateModified'] | //time[@data-modified or @data-updated]"),
                       "data-modified", "data-updated", "content", "datetime")


def _attributes(nodes: list[HtmlElement], *names: str) -> list[str]:
    """Each node's first non-empty attribute among ``names``."""
    return [value for value in (next((node.get(n) for n in names if node.get(n)), None) for node in nodes) if value]


# A <time> or microdata element saying it holds the modified or updated time.
_MARKED_MODIFIED = ("contains(translate(concat(@itemprop,' ',@class,' ',@id),'MODIFEUPDATE','modifeupdate'),'modif') or "
                    "contains(translate(concat(@itemprop,' ',@class,' ',@id),'MODIFEUPDATE','modifeupdate'),'updat') or "
                    "@data-modified or @data-updated")


def _free_access(item: dict) -> list[bool]:
    """JSON-LD ``isAccessibleForFree`` of an article or its ``hasPart`` (a paywalled section), as
    booleans: publishers write it as true/false or as the strings "True"/"False"."""
    values = [item.get("isAccessibleForFree"),
              *(part.get("isAccessibleForFree") for part in _as_list(item.get("hasPart")) if isinstance(part, dict))]
    found = []
    for value in values:
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if isinstance(value, bool):
            found.append(value)
    return found


def read_bylines(tree: HtmlElement) -> list[str]:
    """Author names from visible byline elements."""
    names = [name for node in tree.xpath(_BYLINE_NODES)[:5] for name in _byline_names(_text(node))]
    return _unique(names)


_BYLINE_NODES = ("//*[@class][contains(@class,'byline') or contains(@class,'author') or contains(@class,'firma') "
                 "or contains(@class,'penulis') or contains(@class,'post-meta') or contains(@class,'reporter')]")
_BYLINE = re.compile(r"(?:^|\b)(?:penulis|oleh|by|por|von|par|reporter|pewarta|texto?)\s*:?\s+(?P<names>[^|\n•·]+)", re.I)
_NAME = re.compile(r"^[A-ZÀ-Þ][\w.'’-]*(?:\s+(?:[A-ZÀ-Þ][\w.'’-]*|de|da|van|von|bin|binti|al))*$")


def _byline_names(text: str) -> list[str]:
    """Names from a visible byline ("Penulis: Andi Rusdi | Editor: …", "Por Lucía Serrano")."""
    match = _BYLINE.search(text)
    if not match:
        return []
    return [name for name in split_names(match["names"]) if _NAME.match(name) and len(name.split()) <= 5]


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for node in tree.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        value = (node.get("content") or "").strip()
        if key and value and key not in tags:
            tags[key] = value
    return tags


def _json_ld_articles(tree: HtmlElement) -> list[dict]:
    """The article objects of the page's JSON-LD, read breadth first within the bounds of the module
    notes, real article types before generic WebPage entries."""
    items: list[dict] = []
    budget = MAX_JSON_LD_NODES
    for script in tree.xpath("//script[@type='application/ld+json']"):
        if budget <= 0 or len(items) >= MAX_ARTICLE_NODES:
            break
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):   # RecursionError: nested deeper than Python's stack
            continue
        queue = deque([data])
        while queue and budget > 0 and len(items) < MAX_ARTICLE_NODES:
            node = queue.popleft()
            budget -= 1
            if isinstance(node, list):
                queue.extend(node[:budget])
            elif isinstance(node, dict):
                graph = node.get("@graph")
                if graph is not None:
                    queue.extend(graph[:budget] if isinstance(graph, list) else [graph])
                if _kinds(node) & _ARTICLE_TYPES and (node.get("headline") or node.get("datePublished")):
                    items.append(node)
    items.sort(key=lambda item: "webpage" in _kinds(item))
    return items


def _kinds(node: dict) -> set[str]:
    return {kind.lower() for kind in _as_list(node.get("@type")) if isinstance(kind, str)}


def _person_names(value) -> list[str]:
    """Names of the people or organisations in a JSON-LD field (strings or objects with a name)."""
    names = []
    for item in _as_list(value):
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, str):
                names.extend(split_names(name))
        elif isinstance(item, str) and not item.startswith("http"):
            names.extend(split_names(item))
    return names[:MAX_FIELD_VALUES]


def split_names(value: str) -> list[str]:
    """Person names from a credit line: byline word dropped, split on commas and conjunctions."""
    value = re.sub(r"^\s*(by|oleh|von|par|por|di)\s+", "", value.strip(), flags=re.I)
    parts = re.split(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bdan\b|\bet\b|\by\b|\be\b)\s*", value)
    return [" ".join(p.split()) for p in parts if p and len(p.strip()) > 1]


def _id_of(value) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str):
            return item
        if isinstance(item, dict):
            found = item.get("@id") or item.get("url")
            if isinstance(found, str):
                return found
    return None


def _keywords(value) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",", MAX_FIELD_VALUES)[:MAX_FIELD_VALUES] if k.strip()]
    return [k for k in _as_list(value) if isinstance(k, str)]


def _as_list(value) -> list:
    """The first ``MAX_FIELD_VALUES`` values of a JSON-LD field, one value as a list of one."""
    if value is None:
        return []
    return value[:MAX_FIELD_VALUES] if isinstance(value, list) else [value]


def _add(target: list[str], *values) -> None:
    """The strings among ``values``, whitespace collapsed, appended to ``target`` unless already there."""
    seen = set(target)
    for value in values:
        if isinstance(value, str):
            value = " ".join(value.split())
            if value and value not in seen:
                target.append(value)
                seen.add(value)


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


def _text(node: HtmlElement) -> str:
    return " ".join(node.text_content().split())
