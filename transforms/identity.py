"""Stable identifiers and URL normalisation.

Persisted ids are SHA-256 hex digests (never polars' ``.hash()``, which changes between
versions), so the same article, entity or outlet gets the same id in every run and release.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract

from transforms.urls import has_lone_surrogate, split_url

_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "ocid", "cmpid", "at_", "xtor")
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
# Characters no URL carries unescaped: control characters (urllib already dropped tabs and line breaks).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WEB_URL = re.compile(r"(?:https?:)?//", re.IGNORECASE)


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes, or of a string's UTF-8 encoding."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


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


def normalise_url(url: str | None) -> str | None:
    """Canonical form of an http(s) URL for identity: lower-case scheme and host, no fragment,
    no tracking parameters, no default port, no trailing slash on a non-root path. None for anything
    else and for a malformed URL (``transforms.urls.split_url``, or a control character in its path
    or query), so the next candidate URL of a page is tried. A host keeps its own letters (Unicode is
    not turned into punycode): ids made before stay the same."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    found = split_url(url)
    if found is None or found.parts.scheme.lower() not in ("http", "https") or _CONTROL.search(url):
        return None
    parts, port = found.parts, found.port
    host = found.host if found.host.startswith("[") else parts.hostname.lower().rstrip(".")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith(_TRACKING_PREFIXES)]
    )
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", netloc, path, query, ""))


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
