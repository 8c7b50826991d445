"""Canonical URLs: one answer, for the crawler and the warehouse alike, to "is this the same page?".

A URL has two forms here:

``canonical_url`` — the identity form. An article's id is the SHA-256 of it (``transforms.extract``) and
the crawler's fetch state remembers pages under it (``crawl.state``), so a page the crawler fetched is
known by the id the warehouse gives it. Always ``https`` (an http and an https link are one page), lower
case host, no user info, no fragment, no tracking parameters, no default port, no trailing slash on a
non-root path, the query decoded and re-encoded. Its rules are frozen: an id is a hash of this string,
so every id made before stays valid. That is why a host keeps its own letters (Unicode is not turned
into punycode), why percent escapes and dot segments in the path are left as written, and why only the
trackers in ``TRACKING_PREFIXES`` are dropped.

``fetchable_url`` — the form the crawler requests and archives: the scheme kept (an http site is fetched
over http), relative links resolved, an IDNA (punycode) host, escapes normalised (RFC 3986 6.2.2), dot
segments removed, and the wider ``TRACKING_PARAMETERS`` dropped as well. Its identity,
``canonical_url(fetchable_url(link))``, is the identity the warehouse gives the archived page (when the
page names no canonical URL of its own).

Only http and https URLs have either form; anything else (``javascript:``, ``file:``, ``ftp:``,
``data:``, a relative link without a base, a malformed host or port) gives None, and the crawler records
why.

courlan is not used here although it is installed: ``courlan.normalize_url`` sorts the query,
decodes punycode hosts to Unicode, keeps fragments and drops any parameter whose name merely contains
``source``, ``ref``, ``uid`` or ``session``. Here parameter order is kept and only the trackers named
below are removed, so ``?id=123`` and ``?p=45`` always survive.
"""
from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple
from urllib.parse import SplitResult, parse_qsl, quote, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

FETCHABLE_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that identify a campaign, a click or a visitor, never the page; names compared lower-cased.
# A name starting with one of these is dropped from both forms (the identity form has always dropped them).
TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "ocid", "cmpid", "at_", "xtor")
# Dropped from the fetchable form only: the identity form keeps them, as it always has, so that an id
# made from a URL carrying one stays the same. The crawler's key is the identity of the fetchable form,
# so a link differing from another only by these is still fetched once.
TRACKING_PARAMETERS = frozenset({
    "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid", "ttclid",
    "igshid", "igsh", "li_fat_id", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
    "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "ref_src", "ref_url",
    "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content",
    "mtm_campaign", "mtm_kwd", "mtm_source", "mtm_medium", "mtm_content",
})

_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_LONGEST_HOST = 253   # DNS; the IDNA codec checks only each label's 63
# A host in brackets is an IPv6 address, followed by nothing but a port.
_BRACKETED_HOST = re.compile(r"\[[0-9a-f:.]+\](?::\d*)?", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters no URL carries unescaped: control characters (urllib already dropped tabs and line breaks).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A percent escape, a lone "%", or a character RFC 3986 does not allow unescaped in a path or query.
_ESCAPE_OR_UNSAFE = re.compile(r"%[0-9A-Fa-f]{2}|%|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def canonical_url(url: str | None) -> str | None:
    """The identity form of an http(s) URL (``//host/…`` is taken as https), or None: for anything
    else (a value that is no string included), a malformed URL (``split_url``), or a control character
    anywhere in it, so the next candidate URL of a page is tried.

    ``https``, lower-case host without a trailing dot (Unicode letters kept; an IPv6 address in
    brackets), no user info, no port 80 or 443, no fragment, no parameter named with a
    ``TRACKING_PREFIXES`` prefix (the others keep their order, are decoded and re-encoded as a form),
    ``/`` for an empty path and no trailing slash on any other; the path is otherwise as written.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    found = _split_web_url(url)
    if found is None or _CONTROL.search(url):
        return None
    parts = found.parts
    host = found.host if found.host.startswith("[") else parts.hostname.lower().rstrip(".")
    query = urlencode([(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
                       if not _tracks_identity(name)])
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", _netloc(host, found.port, tuple(_DEFAULT_PORTS.values())), path, query, ""))


def fetchable_url(url: str, base: str | None = None) -> str | None:
    """The form of ``url`` (resolved against ``base`` when relative) the crawler requests, or None.

    Scheme kept, lower case; IDNA (punycode) host without a trailing dot; no default port for the
    scheme, no user info, no fragment, no tracking parameter (``TRACKING_PREFIXES`` or
    ``TRACKING_PARAMETERS``; the others keep their order); upper-case percent escapes with unreserved
    characters decoded, and anything not allowed unescaped (control characters included) escaped; dot
    segments removed, ``/`` for an empty path.
    """
    try:
        url = urljoin(base.strip(), url.strip()) if base else url.strip()
    except ValueError:
        return None
    found = _split_web_url(url)
    if found is None:
        return None
    parts, host, port = found
    scheme = parts.scheme.lower()
    path = _remove_dot_segments(_normalise_escapes(parts.path)) if parts.path else "/"
    query = "&".join(_normalise_escapes(pair) for pair in parts.query.split("&") if pair and not _is_tracking(pair))
    return urlunsplit((scheme, _netloc(host, port, (_DEFAULT_PORTS[scheme],)), path, query, ""))


def is_fetchable_scheme(url: str) -> bool:
    """Whether ``url`` is absolute http or https, so the crawler can tell an unsupported scheme from a
    malformed URL."""
    try:
        return urlsplit(url.strip()).scheme.lower() in FETCHABLE_SCHEMES
    except ValueError:
        return False


class SplitUrl(NamedTuple):
    parts: SplitResult
    host: str          # IDNA ASCII, lower case, no trailing dot; an IPv6 address in brackets
    port: int | None


def split_url(url: str) -> SplitUrl | None:
    """``url`` split, with its host checked and its port read; None for a malformed URL, which urllib
    would refuse with a ValueError or pass on unchecked: an unclosed bracket, a port out of range or
    not a number, no host, a host with a space, a control character or an empty or over-long label, a
    bracketed host that is no IPv6 address or names a zone (``[fe80::1%25eth0]``), a lone surrogate."""
    if has_lone_surrogate(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = _ascii_host(parts)
    return SplitUrl(parts, host, port) if host else None


def _split_web_url(url: str) -> SplitUrl | None:
    """``split_url`` for an http(s) URL only."""
    found = split_url(url)
    return found if found is not None and found.parts.scheme.lower() in FETCHABLE_SCHEMES else None


def _netloc(host: str, port: int | None, default_ports: tuple[int, ...]) -> str:
    return host if port is None or port in default_ports else f"{host}:{port}"


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (a JSON ``\\ud800`` escape): no encoding writes it, so
    no id can be hashed from it."""
    return _SURROGATE.search(text) is not None


def _ascii_host(parts: SplitResult) -> str | None:
    hostname = parts.hostname
    if not hostname:
        return None
    if "[" in parts.netloc:
        return f"[{hostname}]" if _is_ipv6(parts.netloc.rpartition("@")[2]) else None
    try:
        host = hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return host if len(host) <= _LONGEST_HOST and _HOST.fullmatch(host) else None


def _is_ipv6(host_and_port: str) -> bool:
    if not _BRACKETED_HOST.fullmatch(host_and_port):
        return False
    try:
        ipaddress.IPv6Address(host_and_port[1:host_and_port.index("]")])
    except ValueError:
        return False
    return True


def _tracks_identity(name: str) -> bool:
    """Whether the parameter named ``name`` (decoded) is a tracker both forms drop."""
    return name.lower().startswith(TRACKING_PREFIXES)


def _is_tracking(pair: str) -> bool:
    """Whether ``pair`` (``name=value`` as written) is a tracker the fetchable form drops."""
    name = unquote_plus(pair.split("=", 1)[0])
    return _tracks_identity(name) or name.lower() in TRACKING_PARAMETERS


def _normalise_escapes(text: str) -> str:
    """RFC 3986 6.2.2: upper-case escapes, decode escaped unreserved characters, escape what must be."""
    def fix(match: re.Match) -> str:
        found = match.group(0)
        if len(found) == 3:
            char = chr(int(found[1:], 16))
            return char if char in _UNRESERVED else found.upper()
        return quote(found, safe="")
    return _ESCAPE_OR_UNSAFE.sub(fix, text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path: ``/a/./b/../c`` is ``/a/c``; empty segments stay."""
    segments = path.split("/")[1:]
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)
