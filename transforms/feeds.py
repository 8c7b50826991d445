"""Article links from RSS 2.0, RSS 1.0 (RDF), Atom 1.0 feeds and from sitemaps (indexes, url sets,
Google News sitemaps): bytes in, records out.

Feeds come from the open web, so XML is parsed without network access, without loading DTDs and
without expanding entities: an external entity (XXE) stays an unresolved reference whose text is
dropped, and libxml2 refuses an exponential entity expansion (billion laughs) as malformed.
Gzip-compressed bytes are unpacked up to a size cap. Anything that is not a well-formed feed or
sitemap is a ``FeedError`` with one clear line.

Links are returned as written, made absolute against ``base_url`` (and any ``xml:base``) but not
canonicalised and not filtered by scheme: the crawler canonicalises them with ``transforms.urls`` and
records a ``file:``, ``ftp:`` or ``data:`` link as a reject (``unsupported_scheme``) instead of losing
it silently here. Entries without any link are skipped.

Dates are UTC. A date without a time, or a time without a zone, keeps only its calendar date
(midnight UTC), as ``transforms.dates`` does for pages; placeholders (1970 and earlier) are None.
"""
from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urljoin

from lxml import etree

from transforms.dates import parse_page_time

DEFAULT_MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
RDF_ITEM_NAMESPACES = ("{http://purl.org/rss/1.0/}", "{http://my.netscape.com/rdf/simple/0.9/}")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SENTINEL_YEAR = 1970


class FeedError(ValueError):
    """The bytes are not a feed or sitemap we can read; the message says why in one line."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    published_at: datetime | None
    language: str | None


@dataclass(frozen=True)
class SitemapEntry:
    """A ``<loc>``: a page in a url set, or a child sitemap in an index (then only ``lastmod`` is set)."""
    url: str
    published_at: datetime | None = None   # news:publication_date
    title: str | None = None               # news:title
    language: str | None = None            # news:publication/news:language
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    kind: Literal["index", "urlset"]
    entries: list[SitemapEntry]


def parse_feed(data: bytes, base_url: str, *,
               max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES) -> list[FeedEntry]:
    """Entries of an RSS 2.0, RSS 1.0 or Atom 1.0 feed, in document order."""
    root = _parse_xml(data, base_url, max_decompressed_bytes)
    if root.tag == "rss":
        channel = root.find("channel")
        items = channel.findall("item") if channel is not None else []
        return _present(_rss_entry(item, "", _text(channel, "language")) for item in items)
    if etree.QName(root).localname == "RDF":
        for ns in RDF_ITEM_NAMESPACES:
            language = _text(root.find(ns + "channel"), DC + "language")
            items = root.findall(ns + "item")
            if items:
                return _present(_rss_entry(item, ns, language) for item in items)
        return []
    if root.tag == ATOM + "feed":
        return _present(_atom_entry(entry) for entry in root.findall(ATOM + "entry"))
    raise FeedError(f"not an RSS or Atom feed: the document is a <{etree.QName(root).localname}>")


def parse_sitemap(data: bytes, base_url: str, *,
                  max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES) -> Sitemap:
    """A sitemap index (its child sitemaps) or a url set (its pages, with Google News details)."""
    root = _parse_xml(data, base_url, max_decompressed_bytes)
    qname = etree.QName(root)
    ns = f"{{{qname.namespace}}}" if qname.namespace else ""   # sitemaps.org 0.9, Google's older 0.84, or none
    if qname.localname == "sitemapindex":
        children = root.findall(ns + "sitemap")
        return Sitemap("index", [SitemapEntry(url, lastmod=_time(_text(child, ns + "lastmod")))
                                 for child in children if (url := _link(child.find(ns + "loc")))])
    if qname.localname == "urlset":
        return Sitemap("urlset", [entry for page in root.findall(ns + "url") if (entry := _url_entry(page, ns))])
    raise FeedError(f"not a sitemap: the document is a <{qname.localname}>")


def _parse_xml(data: bytes, base_url: str, max_decompressed_bytes: int) -> etree._Element:
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, max_decompressed_bytes)
    data = data.lstrip()   # a blank line before <?xml is a common slip and otherwise a syntax error
    if not data:
        raise FeedError("empty document")
    if _HTML_START.match(data[:4096]):
        raise FeedError("an HTML page, not a feed or sitemap")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             remove_comments=True, remove_pis=True)   # one per call: parsers are not thread-safe
    try:
        root = etree.fromstring(data, parser, base_url=base_url)
    except etree.XMLSyntaxError as error:
        raise FeedError(f"not well-formed XML: {error.msg}") from None
    if etree.QName(root).localname == "html":
        raise FeedError("an HTML page, not a feed or sitemap")
    return root


def _gunzip(data: bytes, limit: int) -> bytes:
    """Every gzip member, refusing output over ``limit`` bytes before it is held in memory."""
    out = bytearray()
    while data[:2] == _GZIP_MAGIC:
        unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += unpacker.decompress(data, limit + 1 - len(out))
        except zlib.error as error:
            raise FeedError(f"corrupt gzip data: {error}") from None
        if len(out) > limit:
            raise FeedError(f"gzip data unpacks to more than {limit} bytes")
        if not unpacker.eof:
            raise FeedError("truncated gzip data")
        data = unpacker.unused_data
    return bytes(out)


def _rss_entry(item: etree._Element, ns: str, channel_language: str | None) -> FeedEntry | None:
    url = _link(item.find(ns + "link")) or _permalink(item.find("guid"))
    if url is None:
        return None
    published = _time(_text(item, "pubDate") or _text(item, DC + "date"))
    return FeedEntry(url, _text(item, ns + "title"), published, _text(item, DC + "language") or channel_language)


def _permalink(guid: etree._Element | None) -> str | None:
    """An RSS 2.0 guid is the article's address unless ``isPermaLink="false"``; only a URL-looking one counts."""
    if guid is None or guid.get("isPermaLink", "true").strip().lower() == "false":
        return None
    url = _link(guid)
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def _atom_entry(entry: etree._Element) -> FeedEntry | None:
    links = [link for link in entry.findall(ATOM + "link") if link.get("rel", "alternate").strip() == "alternate"]
    url = next((url for link in links if (url := _link(link, link.get("href")))), None)
    if url is None:
        return None
    published = _time(_text(entry, ATOM + "published") or _text(entry, ATOM + "updated"))
    return FeedEntry(url, _atom_title(entry), published, _xml_lang(entry))


def _atom_title(entry: etree._Element) -> str | None:
    """A ``type="html"`` title is escaped markup (``Banjir &amp;amp; longsor``): read it as text."""
    title = _text(entry, ATOM + "title")
    if title is None or entry.find(ATOM + "title").get("type") != "html":
        return title
    return " ".join(html.unescape(_TAG.sub("", title)).split()) or None


def _url_entry(page: etree._Element, ns: str) -> SitemapEntry | None:
    url = _link(page.find(ns + "loc"))
    if url is None:
        return None
    news = page.find(NEWS + "news")
    lastmod = _time(_text(page, ns + "lastmod"))
    if news is None:
        return SitemapEntry(url, lastmod=lastmod)
    return SitemapEntry(url, published_at=_time(_text(news, NEWS + "publication_date")),
                        title=_text(news, NEWS + "title"),
                        language=_text(news.find(NEWS + "publication"), NEWS + "language"), lastmod=lastmod)


def _present(entries: Iterable[FeedEntry | None]) -> list[FeedEntry]:
    return [entry for entry in entries if entry is not None]


def _text(parent: etree._Element | None, tag: str) -> str | None:
    """Whitespace-collapsed text of a child, None when absent or blank; unresolved entities add nothing."""
    child = parent.find(tag) if parent is not None else None
    if child is None:
        return None
    return " ".join(child.xpath("string()").split()) or None


def _link(element: etree._Element | None, value: str | None = None) -> str | None:
    """``value`` (else the element's text) made absolute against the element's base (``xml:base`` or the document URL)."""
    if element is None:
        return None
    raw = (value if value is not None else element.xpath("string()")).strip()
    try:
        return urljoin(element.base or "", raw) if raw else None
    except ValueError:   # "http://[oops/x": keep it as written, the crawler refuses it as invalid_url
        return raw


def _xml_lang(element: etree._Element) -> str | None:
    for node in (element, *element.iterancestors()):
        if lang := (node.get(XML_LANG) or "").strip():
            return lang
    return None


def _time(text: str | None) -> datetime | None:
    """RFC 822 (RSS, zone names such as WIB included) or ISO 8601 (Atom, sitemaps, dc:date) in UTC, read
    as page dates are; None for junk and placeholders."""
    parsed = parse_page_time(text) if text else None
    return parsed.value if parsed is not None and parsed.value.year > _SENTINEL_YEAR else None
