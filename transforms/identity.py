"""Stable identifiers.

Persisted ids are SHA-256 hex digests (never polars' ``.hash()``, which changes between
versions), so the same article, entity or outlet gets the same id in every run and release.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from transforms.urls import canonical_url, has_lone_surrogate, split_url

_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_WEB_URL = re.compile(r"(?:https?:)?//", re.IGNORECASE)


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes, or of a string's UTF-8 encoding."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def article_identity(urls: Iterable[str | None]) -> tuple[str, str] | None:
    """The identity form (``transforms.urls.canonical_url``) of the first of ``urls`` that has one, and
    the article id hashed from it; None when none has (the article is then known by its document's id).
    The crawler remembers the pages it fetched by the same form (``crawl.state``)."""
    canonical = next(filter(None, map(canonical_url, urls)), None)
    return (canonical, sha256_hex(canonical)) if canonical else None


def entity_id(entity_type: str, key: str) -> str:
    """Id of an entity: ``TYPE|key``; key is ``country:XX`` for countries, else the canonical name."""
    return sha256_hex(f"{entity_type.upper()}|{key}")


def entity_key(name: str, country_code: str | None = None, *, is_country: bool = False) -> str:
    """The key half of an entity id: countries by ISO code, everything else by normalised name."""
    if is_country and country_code:
        return f"country:{country_code.upper()}"
    return " ".join(name.split()).casefold()


def country_entity_id(country_code: str) -> str:
    """Id of a country: the same in every article and language."""
    return entity_id("LOC", entity_key("", country_code, is_country=True))


def source_id(domain: str) -> str:
    """Id of an organisation in ``sources``, keyed by its registered domain (``reuters.com``)."""
    return sha256_hex(f"SOURCE|{domain.lower()}")


def quote_id(article_id: str, start_offset: int, end_offset: int) -> str:
    """Id of a quote: its article and the span it covers."""
    return sha256_hex(f"QUOTE|{article_id}|{start_offset}|{end_offset}")


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The snapshot bundled with tldextract: no download of the public-suffix list at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url_or_host: str | None) -> str | None:
    """Registered domain (``bbc.co.uk`` for ``https://www.bbc.co.uk/news``), or None if unknown or
    malformed (a web URL ``transforms.urls.split_url`` refuses, a lone surrogate). A bare name stands
    as its own host ("kabarharian" for a site named "Kabar Harian")."""
    if not url_or_host or has_lone_surrogate(url_or_host):
        return None
    if _WEB_URL.match(url_or_host.strip()) and split_url(url_or_host.strip()) is None:
        return None
    parts = _extractor()(url_or_host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}".lower()
    host = _hostname(url_or_host if "//" in url_or_host else f"//{url_or_host}")
    if host:
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix):
                host = host[len(prefix):]
        return host.lower() or None   # "www." alone names nothing
    return None


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:   # a name urllib refuses ("[Kabar")
        return None
