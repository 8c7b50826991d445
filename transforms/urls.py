"""Canonical URLs, so the same article linked two ways (tracking tags, default port, fragment, upper-case
host) is fetched and stored once.

Only http and https are canonical; anything else (``javascript:``, ``file:``, ``ftp:``, ``data:``, a
relative link without a base, a malformed host or port) gives None, and the crawler records why.

courlan is not used here although it is installed: ``courlan.normalize_url`` sorts the query,
decodes punycode hosts to Unicode, keeps fragments and drops any parameter whose name merely contains
``source``, ``ref``, ``uid`` or ``session``. Here parameter order is kept, hosts are IDNA ASCII and only
the trackers named in ``TRACKING_PARAMETERS`` (or starting with ``utm_``) are removed, so ``?id=123``
and ``?p=45`` always survive.
"""
from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple
from urllib.parse import SplitResult, quote, unquote_plus, urljoin, urlsplit, urlunsplit

FETCHABLE_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that identify a campaign, a click or a visitor, never the page; compared lower-cased.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid", "ttclid",
    "igshid", "igsh", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
    "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "ref_src", "ref_url", "xtor", "ocid", "cmpid",
    "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content",
    "mtm_campaign", "mtm_kwd", "mtm_source", "mtm_medium", "mtm_content",
})
TRACKING_PREFIXES = ("utm_",)

_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_LONGEST_HOST = 253   # DNS; the IDNA codec checks only each label's 63
# A host in brackets is an IPv6 address, followed by nothing but a port.
_BRACKETED_HOST = re.compile(r"\[[0-9a-f:.]+\](?::\d*)?", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
# A percent escape, a lone "%", or a character RFC 3986 does not allow unescaped in a path or query.
_ESCAPE_OR_UNSAFE = re.compile(r"%[0-9A-Fa-f]{2}|%|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The canonical http(s) form of ``url`` (resolved against ``base`` when relative), or None.

    Lower-case scheme and host, IDNA (punycode) host without a trailing dot, no default port, no user
    info, no fragment, no tracking parameters (other parameters keep their order), upper-case percent
    escapes with unreserved characters decoded, dot segments removed, ``/`` for an empty path.
    """
    try:
        url = urljoin(base.strip(), url.strip()) if base else url.strip()
    except ValueError:
        return None
    found = split_url(url)
    if found is None or found.parts.scheme.lower() not in FETCHABLE_SCHEMES:
        return None
    parts, host, port = found
    scheme = parts.scheme.lower()
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _remove_dot_segments(_normalise_escapes(parts.path)) if parts.path else "/"
    query = "&".join(_normalise_escapes(pair) for pair in parts.query.split("&") if pair and not _is_tracking(pair))
    return urlunsplit((scheme, netloc, path, query, ""))


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


def _is_tracking(pair: str) -> bool:
    name = unquote_plus(pair.split("=", 1)[0]).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


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
