"""Downloading feeds, sitemaps, robots.txt and article pages, politely and without being turned against us.

Polite: a clear user agent, robots.txt obeyed, one request at a time per host with a delay between
them, conditional GETs for what was seen before, and an article page fetched once.
Safe: only http(s); every address a host resolves to is checked — private, loopback, link-local,
multicast and reserved networks are refused unless allow-listed — before the first request and
before every redirect hop, and the request then goes to the very address that was checked (the
hostname travels in the Host header and TLS SNI), so a second DNS answer cannot rebind it to an
internal service. Bodies are capped on the wire and again after decompression, which we do
ourselves in bounded steps, so a gzip or brotli bomb is refused without filling memory.
Nothing here raises for a bad URL or a bad server: every failure is a ``Refusal`` with a stable reason
(``stream``, whose failure can come partway through a body, raises it inside a ``StreamRefused``).

``stream`` hands over a WARC archive as it arrives, for a backfill: the same address, scheme and redirect
checks, but no robots.txt (an archive is not a page of the site), no fetch-once state, no per-host
turn, no deadline for the whole response (only for each read), no decoding, and its own cap
(``max_archive_bytes``) instead of the page cap.
"""
from __future__ import annotations

import ipaddress
import itertools
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Literal, Protocol, TypeVar
from urllib.robotparser import RobotFileParser

import brotli
import httpx

from crawl.state import FetchState, Validators

Kind = Literal["page", "feed", "sitemap"]
KINDS = ("page", "feed", "sitemap")
ACCEPTED_TYPES = {
    "page": {"text/html", "application/xhtml+xml"},
    "feed": {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"},
    "sitemap": {"application/xml", "text/xml", "application/x-gzip", "application/gzip"},
    "robots": {"text/plain"},
}
REDIRECTS = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"http": 80, "https": 443}
HOSTNAME = re.compile(r"[a-z0-9_.-]+")  # after IDNA encoding; anything else is not a name DNS could answer for
GZIP_MAGIC = b"\x1f\x8b"
STEP = 64 * 1024  # the most a decompressor may hand back at once, whatever the compression ratio
# Checked in this order so the detail names the most specific reason (127.0.0.1 is also "private").
FORBIDDEN_FLAGS = ("unspecified", "loopback", "link_local", "multicast", "reserved", "private")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
T = TypeVar("T")


DEFAULT_USER_AGENT = "KabarBot/0.5 (+https://github.com/kabar-news/kabar)"


@dataclass(frozen=True)
class FetchPolicy:
    """How hard and how long to try. ``timeout_seconds`` bounds each read and each whole response."""

    user_agent: str = DEFAULT_USER_AGENT
    delay_seconds: float = 1.0
    timeout_seconds: float = 20.0
    connect_timeout_seconds: float = 10.0
    retries: int = 3
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 120.0
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024
    max_archive_bytes: int = 8 * 1024**3   # what ``stream`` reads at the most (CC-NEWS archives are ~1 GB)
    allowed_networks: tuple[str, ...] = ()


DEFAULT_POLICY = FetchPolicy()


class Clock(Protocol):
    """Monotonic time and sleeping, injectable so tests never really wait."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class _SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def system_clock() -> Clock:
    return _SystemClock()


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order."""
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Fetched:
    """A response worth keeping; ``not_modified`` means a 304 (empty body: what we had is current)."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes
    fetched_at: datetime
    not_modified: bool = False
    validators: Validators | None = None   # ETag / Last-Modified a later conditional GET can send


@dataclass(frozen=True)
class Refusal:
    """Why ``url`` was not fetched: ``reason`` is a stable snake_case word, ``detail`` is for people."""

    url: str
    reason: str
    detail: str


class _Refused(Exception):
    """Raised deep inside one fetch and returned from ``Fetcher.fetch`` as a ``Refusal``.

    ``transient`` failures (429, 5xx, connection trouble) are retried; ``status`` and ``retry_after``
    carry what the server said."""

    def __init__(self, reason: str, detail: str, *, status: int | None = None, retry_after: str | None = None,
                 transient: bool = False):
        super().__init__(detail)
        self.reason, self.detail, self.status = reason, detail, status
        self.retry_after, self.transient = retry_after, transient


class StreamRefused(Exception):
    """``Fetcher.stream`` refused, before the body or partway through it; ``refusal`` says why."""

    def __init__(self, refusal: Refusal):
        super().__init__(f"{refusal.url}: {refusal.detail}")
        self.refusal = refusal


@dataclass(frozen=True)
class _RobotsRules:
    parser: RobotFileParser
    source: str  # "robots.txt", or why the whole host is allowed or disallowed


class Fetcher:
    """Fetches one URL at a time; see the module notes for the rules it keeps."""

    def __init__(self, policy: FetchPolicy = DEFAULT_POLICY, *, state: FetchState | None = None,
                 resolver: Resolver | None = None, clock: Clock | None = None,
                 transport: httpx.BaseTransport | None = None, wall_clock: Callable[[], datetime] | None = None):
        self.policy = policy
        self._owns_state = state is None
        self.state = FetchState() if state is None else state
        self._resolver = resolver or system_resolver
        self._clock = clock or system_clock()
        self._wall_clock = wall_clock or utc_now
        self._allowed = tuple(ipaddress.ip_network(network, strict=False) for network in policy.allowed_networks)
        self._robots: dict[tuple[str, bytes, int | None], _RobotsRules] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._host_locks_guard = threading.Lock()
        self._last_request: dict[str, float] = {}
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(policy.timeout_seconds,
                                  connect=min(policy.connect_timeout_seconds, policy.timeout_seconds)),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),  # never carry state between sites
            follow_redirects=False,  # every hop is checked again
            trust_env=False,  # no proxy from the environment: requests go to the address we checked
        )

    def fetch(self, url: str, kind: Kind = "page", *, force: bool = False, remember: bool = True) -> Fetched | Refusal:
        """Fetch ``url`` as a ``kind``; a page fetched before (by this state) is refused unless ``force``.
        With ``remember=False`` the caller records the fetch itself (``remember``) once what it found is
        safely stored: a crash in between then fetches it again instead of losing it."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if kind == "page" and not force and self.state.was_fetched(url):
            return Refusal(url, "already_fetched", "this page was fetched before; force=True fetches it again")
        try:
            fetched = self._follow(url, kind)
        except _Refused as refused:
            return Refusal(url, refused.reason, refused.detail)
        if remember:
            self.remember(fetched, kind)
        return fetched

    @contextmanager
    def stream(self, url: str) -> Iterator[Iterator[bytes]]:
        """``url``'s body in pieces as the network delivers them (see the module notes); raises
        ``StreamRefused`` when the request is refused or the body breaks off or passes the cap."""
        try:
            response = self._hops(url, self._open_archive, robots=False)
        except _Refused as refused:
            raise StreamRefused(Refusal(url, refused.reason, refused.detail)) from None
        try:
            yield self._archive_pieces(url, response)
        finally:
            response.close()

    def remember(self, fetched: Fetched, kind: Kind) -> None:
        """Record what ``fetched`` changes for later fetches: a page is not fetched again, a feed or
        sitemap is asked for conditionally."""
        if kind == "page" and not fetched.not_modified:
            self.mark_fetched(fetched)
        elif kind != "page" and fetched.validators is not None:
            self.state.remember_validators(fetched.final_url, fetched.validators)

    def mark_fetched(self, fetched: Fetched) -> None:
        """Never fetch this page again unless forced: under the URL asked for and the one it ended at (the
        state keeps each under its identity form, so no other way of writing either is fetched either)."""
        for key in {fetched.url, fetched.final_url}:
            self.state.mark_fetched(key, fetched.fetched_at)

    def close(self) -> None:
        self._client.close()
        if self._owns_state:
            self.state.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _follow(self, start: str, kind: str) -> Fetched:
        exchange = partial(self._exchange, kind=kind)
        return replace(self._hops(start, exchange, robots=kind != "robots"), url=start)

    def _hops(self, start: str, exchange: Callable[[httpx.URL, str], T | httpx.URL], *, robots: bool) -> T:
        """Request ``start`` through ``exchange(url, checked address)``, following redirects by hand so
        each hop is checked like the first."""
        url = _parse(start)
        seen = {str(url.copy_with(fragment=None))}
        for _ in range(self.policy.max_redirects + 1):
            address = self._checked_address(url)
            if robots:
                self._obey_robots(url)
            outcome = exchange(url, address)
            if not isinstance(outcome, httpx.URL):
                return outcome
            url = _parse(str(outcome))
            if str(url.copy_with(fragment=None)) in seen:
                raise _Refused("redirect_loop", f"{url} redirects back to a URL already visited")
            seen.add(str(url.copy_with(fragment=None)))
        raise _Refused("too_many_redirects", f"more than {self.policy.max_redirects} redirects")

    def _checked_address(self, url: httpx.URL) -> str:
        """Resolve ``url``'s host once and check every address; the first is the one to connect to."""
        host = url.raw_host.decode("ascii")
        if _ip_literal(host):
            addresses = [host]
        else:
            try:
                addresses = self._resolver(host, url.port or DEFAULT_PORTS[url.scheme])
            except (OSError, UnicodeError) as error:
                raise _Refused("dns_failure", f"{host}: {error}") from None
            if not addresses:
                raise _Refused("dns_failure", f"{host} has no addresses")
        for address in addresses:
            self._check_address(host, address)
        return addresses[0]

    def _check_address(self, host: str, text: str) -> None:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise _Refused("dns_failure", f"{host} resolved to {text!r}, not an IP address") from None
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        if any(address in network for network in self._allowed):
            return
        for candidate in (address, *_embedded_ipv4(address)):
            for flag in FORBIDDEN_FLAGS:
                if getattr(candidate, f"is_{flag}"):
                    raise _Refused("private_address", f"{host} is at {text}, a {flag.replace('_', '-')} address")
            if not candidate.is_global:
                raise _Refused("private_address", f"{host} is at {text}, not a public address")

    def _obey_robots(self, url: httpx.URL) -> None:
        origin = (url.scheme, url.raw_host, url.port)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(url)
        rules = self._robots[origin]
        if not rules.parser.can_fetch(self.policy.user_agent, str(url)):
            raise _Refused("robots_disallowed", f"{url} is disallowed by {rules.source}")

    def _read_robots(self, url: httpx.URL) -> _RobotsRules:
        """RFC 9309: a robots.txt that does not exist (4xx) allows everything; one that cannot be read
        (5xx, 429, unreachable) disallows everything until the next crawl."""
        robots_url = url.copy_with(raw_path=b"/robots.txt", fragment=None)
        parser = RobotFileParser(str(robots_url))
        try:
            fetched = self._follow(str(robots_url), "robots")
        except _Refused as refused:
            missing = refused.reason == "wrong_content_type" or (  # an HTML "not found" page has no rules
                refused.status is not None and 400 <= refused.status < 500 and refused.status != 429)
            parser.allow_all, parser.disallow_all = missing, not missing
            return _RobotsRules(parser, f"robots.txt ({refused.reason}: {refused.detail}), so every path")
        parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        return _RobotsRules(parser, "robots.txt")

    def _exchange(self, url: httpx.URL, address: str, kind: str) -> Fetched | httpx.URL:
        return self._retried(partial(self._attempt, url, address, kind))

    def _retried(self, attempt_once: Callable[[], T]) -> T:
        """One request, retried with backoff on 429, 5xx and connection trouble."""
        for attempt in itertools.count():
            try:
                return attempt_once()
            except _Refused as refused:
                if not refused.transient or attempt >= self.policy.retries:
                    raise
                self._clock.sleep(self._wait_before_retry(refused, attempt))

    def _wait_before_retry(self, refused: _Refused, attempt: int) -> float:
        wait = self.policy.backoff_seconds * 2**attempt
        asked = _retry_after_seconds(refused.retry_after, self._wall_clock()) if refused.retry_after else None
        if asked is not None:
            if asked > self.policy.max_wait_seconds:
                raise _Refused("retry_after_too_long", f"Retry-After {refused.retry_after!r} is more than "
                               f"max_wait_seconds={self.policy.max_wait_seconds}", status=refused.status)
            wait = asked
        return min(wait, self.policy.max_wait_seconds)

    def _attempt(self, url: httpx.URL, address: str, kind: str) -> Fetched | httpx.URL:
        """Send one GET to ``address`` for ``url``; a redirect gives back the next URL."""
        with self._turn(url.raw_host.decode("ascii")):
            deadline = time.monotonic() + self.policy.timeout_seconds  # real I/O takes real time
            with _transport_errors(url):
                response = self._send(url, address, kind)
                try:
                    return self._read(url, response, kind, deadline)
                finally:
                    response.close()

    def _send(self, url: httpx.URL, address: str, kind: str) -> httpx.Response:
        """A GET for ``url`` sent to ``address``, the hostname in the Host header and TLS SNI; the
        response's body is not read yet."""
        extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
        request = self._client.build_request("GET", url.copy_with(host=address, userinfo=b""),
                                             headers=self._headers(url, kind), extensions=extensions)
        return self._client.send(request, stream=True)

    def _open_archive(self, url: httpx.URL, address: str) -> httpx.Response | httpx.URL:
        """The open response for an archive (retried like any request), or the URL it redirects to."""
        def attempt() -> httpx.Response | httpx.URL:
            with _transport_errors(url):
                response = self._send(url, address, "archive")
            try:
                next_url = _next_url(url, response, allow_not_modified=False)
                if next_url is None:
                    _check_archive(response, self.policy.max_archive_bytes)
                    return response
            except BaseException:
                response.close()
                raise
            response.close()
            return next_url
        return self._retried(attempt)

    def _archive_pieces(self, url: str, response: httpx.Response) -> Iterator[bytes]:
        try:
            with _transport_errors(url):
                yield from self._wire_bytes(response, self.policy.max_archive_bytes, None)
        except _Refused as refused:
            raise StreamRefused(Refusal(url, refused.reason, refused.detail)) from None

    def _headers(self, url: httpx.URL, kind: str) -> dict[str, str]:
        headers = {"Host": url.netloc.decode("ascii")}
        if url.scheme == "https":
            headers["Connection"] = "close"  # a TLS connection to an address was verified for one hostname only
        if kind == "archive":
            headers["Accept-Encoding"] = "identity"  # a .warc.gz is gzip per record, which the reader undoes
        # Pages are asked for unconditionally: one not marked fetched is new to the archive, whatever
        # validators a crawl that died before storing it may have left.
        known = self.state.validators(str(url)) if kind in ("feed", "sitemap") else None
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    @contextmanager
    def _turn(self, host: str) -> Iterator[None]:
        """One request at a time per host, ``delay_seconds`` after the previous one ended."""
        with self._host_locks_guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            if host in self._last_request:
                wait = self._last_request[host] + self.policy.delay_seconds - self._clock.now()
                if wait > 0:
                    self._clock.sleep(wait)
            try:
                yield
            finally:
                self._last_request[host] = self._clock.now()

    def _read(self, url: httpx.URL, response: httpx.Response, kind: str, deadline: float) -> Fetched | httpx.URL:
        next_url = _next_url(url, response, allow_not_modified=True)
        if next_url is not None:
            return next_url
        status, content_type = response.status_code, response.headers.get("content-type")
        if status == 304:
            return Fetched(str(url), str(url), status, content_type, b"", self._wall_clock(), not_modified=True)
        media_type = (content_type or "").split(";")[0].strip().lower()
        if media_type not in ACCEPTED_TYPES[kind]:
            raise _Refused("wrong_content_type", f"{media_type or 'no Content-Type'} is not a {kind} type")
        _check_declared_length(response, self.policy.max_body_bytes)
        body = self._body(response, deadline)
        if kind == "sitemap" and body.startswith(GZIP_MAGIC):  # sitemap.xml.gz, a gzip file rather than an encoding
            body = _collect(_inflate([body], wbits=16 + zlib.MAX_WBITS), self.policy.max_body_bytes,
                            "decompression_bomb")
        validators = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
        return Fetched(str(url), str(url), status, content_type, body, self._wall_clock(), validators=validators)

    def _body(self, response: httpx.Response, deadline: float) -> bytes:
        """The decoded body, refused as soon as the wire bytes or the decoded bytes pass the cap."""
        codings = [coding.strip().lower() for coding in response.headers.get("content-encoding", "").split(",")]
        codings = [coding for coding in codings if coding not in ("", "identity")]
        pieces = self._wire_bytes(response, self.policy.max_body_bytes, deadline)
        for coding in reversed(codings):  # the last coding listed was applied last
            if coding not in DECODERS:
                raise _Refused("bad_encoding", f"unsupported Content-Encoding {coding!r}")
            pieces = DECODERS[coding](pieces)
        return _collect(pieces, self.policy.max_body_bytes, "decompression_bomb" if codings else "too_large")

    def _wire_bytes(self, response: httpx.Response, cap: int, deadline: float | None) -> Iterator[bytes]:
        """The body as the network delivers it (so the cap and ``deadline``, if any, are checked often)."""
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > cap:
                raise _Refused("too_large", f"body is over {cap} bytes")
            if deadline is not None and time.monotonic() > deadline:
                raise _Refused("timeout", f"response took over {self.policy.timeout_seconds} s", transient=True)
            yield chunk


@contextmanager
def _transport_errors(url: httpx.URL | str) -> Iterator[None]:
    """httpx's timeouts and connection failures as transient refusals."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise _Refused("timeout", f"{url}: {type(error).__name__}", transient=True) from None
    except httpx.HTTPError as error:
        raise _Refused("connection_error", f"{url}: {error or type(error).__name__}", transient=True) from None


def _next_url(url: httpx.URL, response: httpx.Response, *, allow_not_modified: bool) -> httpx.URL | None:
    """Where a redirect leads; None for a response whose body is to be read (2xx, or 304 when
    ``allow_not_modified``); refused for any other status, transiently for 429 and 5xx."""
    status = response.status_code
    if status in REDIRECTS:
        location = response.headers.get("location")
        if not location:
            raise _Refused("http_error", f"HTTP {status} without a Location", status=status)
        try:
            return url.join(location)
        except httpx.InvalidURL as error:
            raise _Refused("invalid_url", f"{url} redirects to {location!r}: {error}") from None
    if status == 429 or status >= 500:
        raise _Refused("http_error", f"HTTP {status} from {url}", status=status,
                       retry_after=response.headers.get("retry-after"), transient=True)
    if not (200 <= status < 300 or (status == 304 and allow_not_modified)):
        raise _Refused("http_error", f"HTTP {status} from {url}", status=status)
    return None


def _check_declared_length(response: httpx.Response, cap: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _Refused("too_large", f"Content-Length {declared} is over {cap} bytes")


def _check_archive(response: httpx.Response, cap: int) -> None:
    """An archive's body must come as it is stored: a Content-Encoding would wrap its per-record gzip."""
    _check_declared_length(response, cap)
    coding = response.headers.get("content-encoding", "").strip().lower()
    if coding not in ("", "identity"):
        raise _Refused("bad_encoding", f"archive sent with Content-Encoding {coding!r} (identity was asked for)")


def _parse(url: str) -> httpx.URL:
    """``url`` as an absolute http(s) URL with a plausible host, or a refusal saying why not."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise _Refused("invalid_url", f"{url!r}: {error}") from None
    if not parsed.scheme:
        raise _Refused("invalid_url", f"{url!r} is not an absolute URL")
    if parsed.scheme not in DEFAULT_PORTS:
        raise _Refused("unsupported_scheme", f"{parsed.scheme}: URLs are never fetched")
    host = parsed.raw_host.decode("ascii")
    if not (_ip_literal(host) or HOSTNAME.fullmatch(host)):
        raise _Refused("invalid_url", f"{url!r} has no usable host")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise _Refused("invalid_url", f"{url!r} has port {parsed.port}")
    return parsed


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 address a 6to4 address reaches, which must pass the same checks. (NAT64's 64:ff9b::/96
    needs no unwrapping: the ipaddress module already counts it as reserved.)"""
    return [address.sixtofour] if address.version == 6 and address.sixtofour else []


def _retry_after_seconds(value: str, now: datetime) -> float | None:
    """``Retry-After`` as seconds from ``now``: either delay-seconds or an HTTP-date; None if neither."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _collect(pieces: Iterable[bytes], cap: int, reason: str) -> bytes:
    body = bytearray()
    try:
        for piece in pieces:
            body += piece
            if len(body) > cap:
                raise _Refused(reason, f"body decodes to over {cap} bytes")
    except (zlib.error, brotli.error) as error:
        raise _Refused("bad_encoding", f"body does not decompress: {error}") from None
    return bytes(body)


def _inflate(pieces: Iterable[bytes], wbits: int) -> Iterator[bytes]:
    """zlib-family decompression handing back at most ``STEP`` bytes at a time; stops at the stream's end."""
    decompressor = zlib.decompressobj(wbits)
    for data in pieces:
        while data and not decompressor.eof:
            yield decompressor.decompress(data, STEP)
            data = decompressor.unconsumed_tail


def _deflate(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """'deflate' is meant to be zlib-wrapped but some servers send it raw; the first two bytes tell."""
    pieces = iter(pieces)
    first = next(pieces, b"")
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and int.from_bytes(first[:2], "big") % 31 == 0
    yield from _inflate(itertools.chain([first], pieces), zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


def _unbrotli(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Brotli decompression handing back about ``STEP`` bytes at a time."""
    decompressor = brotli.Decompressor()
    for data in pieces:
        yield decompressor.process(data, output_buffer_limit=STEP)
        while not decompressor.can_accept_more_data():
            yield decompressor.process(b"", output_buffer_limit=STEP)


DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "gzip": partial(_inflate, wbits=16 + zlib.MAX_WBITS),
    "x-gzip": partial(_inflate, wbits=16 + zlib.MAX_WBITS),
    "deflate": _deflate,
    "br": _unbrotli,
}
