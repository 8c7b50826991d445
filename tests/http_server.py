"""A small news site on 127.0.0.1 for crawler tests: no test ever sends traffic beyond loopback.

It serves sample articles under ``/news/``, a robots.txt, RSS and Atom feeds, a news sitemap behind
a sitemap index (all with ETag / Last-Modified and 304s), and hostile endpoints: slow, huge, gzip and
brotli bombs, redirect loops and chains, a redirect to another loopback address, rate limits,
flaky 503s and an HTML page served as RSS. Every request is logged, so a test can count hits per
path and ``reset()`` between tests.

Feeds and sitemaps build their absolute URLs from the request's Host header, so a test resolver that
maps a name to 127.0.0.1 sees links on that name. Robots.txt also depends on the Host: names starting
``robots-down.`` answer 503, ``robots-missing.`` 404, ``robots-html.`` an HTML page.
"""
from __future__ import annotations

import gzip
import hashlib
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ARTICLES = ("en-harbourtimes-port-strike", "en-northgatepost-bridge-closure", "id-kabarnusa-banjir-jakarta",
            "de-rheinblick-hitzeschutzplan-koeln")
PUBLISHED = ("2026-11-20T06:30:00+00:00", "2026-11-21T09:15:00+00:00", "2026-11-22T03:00:00+07:00",
             "2026-11-23T14:45:00+01:00")
LAST_MODIFIED = "Tue, 24 Nov 2026 08:00:00 GMT"
RETRY_DATE = "Wed, 25 Nov 2026 12:00:30 GMT"  # 30 s after the wall clock the tests pin
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
BOMB_BYTES = 50 * 1024 * 1024  # what the bombs decompress to; they travel as a few kB
HUGE_BYTES = 32 * 1024 * 1024  # more than loopback socket buffers hold, so an early stop is visible
SLOW_SECONDS = 1.0
CHUNK = 64 * 1024


@dataclass
class Hit:
    """One request as the server saw it: ``finished`` once its handler returned, ``completed`` if the
    whole response was written by then (false when the client hung up first)."""

    path: str
    host: str | None
    headers: dict[str, str]
    completed: bool = False
    finished: bool = False


@dataclass
class Response:
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """The site, on a free port of 127.0.0.1 (or ``tls`` for https), in a background thread."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.host = "127.0.0.1"
        self._httpd = ThreadingHTTPServer((self.host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.site = self
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        self.base_url = f"{self.scheme}://{self.host}:{self.port}"
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, host: str | None = None) -> str:
        """``path`` on this server, optionally under another name (which a test resolver maps here)."""
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def article_url(self, index: int = 0, host: str | None = None) -> str:
        return self.url(f"/news/{ARTICLES[index]}.html", host)

    def hits_for(self, path: str) -> int:
        """Requests for ``path`` (query string ignored) since the last reset."""
        with self._lock:
            return sum(hit.path.split("?")[0] == path for hit in self.hits)

    def paths(self) -> list[str]:
        with self._lock:
            return [hit.path for hit in self.hits]

    def reset(self) -> None:
        with self._lock:
            self.hits.clear()

    def _record(self, hit: Hit) -> int:
        """Log ``hit``; returns how many times its path was requested, this one included."""
        with self._lock:
            self.hits.append(hit)
        return self.hits_for(hit.path.split("?")[0])


class _Handler(BaseHTTPRequestHandler):
    server_version = "KabarTestSite/1.0"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # keep test output quiet

    def do_GET(self) -> None:
        site: LocalServer = self.server.site
        hit = Hit(self.path, self.headers.get("Host"), dict(self.headers.items()))
        count = site._record(hit)
        path = self.path.split("?")[0]
        host = hit.host or f"{site.host}:{site.port}"
        base = f"{site.scheme}://{host}"
        try:
            if path in STREAMED:
                STREAMED[path](self, site)
            else:
                self._send(_route(path, count, base, host, site, self.headers))
            hit.completed = True
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client stopped reading, as a fetcher with a cap or a timeout should
        finally:
            hit.finished = True

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in response.headers:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)


def _route(path: str, count: int, base: str, host: str, site: LocalServer, request_headers) -> Response:
    if path == "/robots.txt":
        return _robots(host)
    if path.startswith("/news/") and path.removeprefix("/news/").removesuffix(".html") in ARTICLES:
        return Response(body=_article(path.removeprefix("/news/").removesuffix(".html")))
    if path in CACHEABLE:
        content_type, build = CACHEABLE[path]
        return _cacheable(build(base), content_type, request_headers)
    if path.startswith("/chain/") and path.removeprefix("/chain/").isdigit():
        left = int(path.removeprefix("/chain/"))
        return _redirect(f"/chain/{left - 1}") if left else Response(body=_page("end of the chain"))
    if path == "/to-private":
        return _redirect(f"http://127.0.0.2:{site.port}/news/{ARTICLES[0]}.html")
    if path in SIMPLE:
        return SIMPLE[path](count)
    return Response(404, body=_page("not found"))


def _robots(host: str) -> Response:
    if host.startswith("robots-down."):
        return Response(503, body=_page("down"))
    if host.startswith("robots-missing."):
        return Response(404, body=_page("not found"))
    if host.startswith("robots-html."):
        return Response(body=_page("this is not a robots.txt"))
    return Response(content_type="text/plain", body=ROBOTS)


def _cacheable(body: bytes, content_type: str, request_headers) -> Response:
    """``body`` with validators, or a 304 when the request's validators still match."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
    if request_headers.get("If-None-Match") in (etag, "*") or (
            "If-None-Match" not in request_headers and _not_modified_since(request_headers.get("If-Modified-Since"))):
        return Response(304, content_type=None, headers=validators)
    return Response(content_type=content_type, body=body, headers=validators)


def _not_modified_since(value: str | None) -> bool:
    try:
        return value is not None and parsedate_to_datetime(value) >= parsedate_to_datetime(LAST_MODIFIED)
    except (TypeError, ValueError):
        return False


def _redirect(location: str, status: int = 302) -> Response:
    return Response(status, body=b"", headers={"Location": location})


def _page(text: str) -> bytes:
    return f"<!doctype html><html><head><title>{text}</title></head><body><p>{text}</p></body></html>".encode()


@cache
def _article(name: str) -> bytes:
    return (SAMPLES / f"{name}.html").read_bytes()


def rss(base: str) -> bytes:
    """RSS 2.0 with a tracking parameter, a fragment, and two links no crawler may follow."""
    links = [f"{base}/news/{ARTICLES[0]}.html?utm_source=rss", f"{base}/news/{ARTICLES[1]}.html#comments",
             f"{base}/news/{ARTICLES[2]}.html", "file:///etc/passwd", f"ftp://{base.split('://')[1]}/news/x.html"]
    items = "".join(f"<item><title>Item {number}</title><link>{link.replace('&', '&amp;')}</link>"
                    f"<guid>{link.replace('&', '&amp;')}</guid><pubDate>Mon, 2{number} Nov 2026 08:00:00 GMT</pubDate>"
                    "</item>" for number, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local test news</title>'
            f"<link>{base}/</link><description>Sample articles</description>{items}</channel></rss>").encode()


def atom(base: str) -> bytes:
    entries = "".join(f'<entry><title>{name}</title><link href="{base}/news/{name}.html"/><id>{base}/news/{name}.html'
                      f"</id><updated>{published}</updated></entry>" for name, published in zip(ARTICLES, PUBLISHED))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Local test '
            f'news</title><id>{base}/</id><updated>{PUBLISHED[-1]}</updated><link href="{base}/"/>{entries}</feed>'
            ).encode()


def more_rss(base: str) -> bytes:
    """A second RSS feed: a page robots.txt disallows, and an article the other feeds list too, here
    with a click id (so after canonicalisation it is the same URL)."""
    items = (f"<item><title>Secret</title><link>{base}/private/secret.html</link>"
             "<pubDate>Sat, 28 Nov 2026 08:00:00 GMT</pubDate></item>"
             f"<item><title>Again</title><link>{base}/news/{ARTICLES[3]}.html?fbclid=abc</link></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>More local test news</title>'
            f"<link>{base}/</link><description>More</description>{items}</channel></rss>").encode()


def sitemap_index(base: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-news.xml</loc><lastmod>{PUBLISHED[-1]}</lastmod></sitemap>"
            "</sitemapindex>").encode()


def news_sitemap(base: str) -> bytes:
    """A Google news sitemap with publication dates."""
    urls = "".join(f"<url><loc>{base}/news/{name}.html</loc><news:news><news:publication><news:name>Local test news"
                   f"</news:name><news:language>{name[:2]}</news:language></news:publication>"
                   f"<news:publication_date>{published}</news:publication_date><news:title>{name}</news:title>"
                   "</news:news></url>" for name, published in zip(ARTICLES, PUBLISHED))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


CACHEABLE: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "/feed.rss": ("application/rss+xml; charset=utf-8", rss),
    "/feed.atom": ("application/atom+xml; charset=utf-8", atom),
    "/feed-more.rss": ("application/rss+xml; charset=utf-8", more_rss),
    "/sitemap_index.xml": ("application/xml", sitemap_index),
    "/sitemap-news.xml": ("application/xml", news_sitemap),
    "/sitemap-news.xml.gz": ("application/x-gzip", lambda base: gzip.compress(news_sitemap(base), mtime=0)),
    "/sitemap-bomb.xml.gz": ("application/x-gzip", lambda base: gzip_bomb()),
    "/etag-page": ("text/html; charset=utf-8", lambda base: _page("a page with an ETag")),
}


@cache
def gzip_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(compressor.compress(block) for _ in range(BOMB_BYTES // len(block))) + compressor.flush()


@cache
def brotli_bomb() -> bytes:
    return brotli.compress(bytes(BOMB_BYTES), quality=5)


def _then_page(failure: Response, failures: int) -> Callable[[int], Response]:
    """An endpoint that answers ``failure`` for its first ``failures`` hits, then a page."""
    return lambda count: failure if count <= failures else Response(body=_page("worth the wait"))


def _encoded(coding: str, body: bytes) -> Callable[[int], Response]:
    return lambda count: Response(body=body, headers={"Content-Encoding": coding})


SIMPLE: dict[str, Callable[[int], Response]] = {
    "/private/secret.html": lambda count: Response(body=_page("robots.txt keeps crawlers out of here")),
    "/to-news": lambda count: _redirect(f"/news/{ARTICLES[0]}.html", 301),
    "/loop-a": lambda count: _redirect("/loop-b"),
    "/loop-b": lambda count: _redirect("/loop-a"),
    "/too-many": lambda count: _redirect("/chain/10"),
    "/to-file": lambda count: _redirect("file:///etc/passwd"),
    "/to-secret": lambda count: _redirect("/private/secret.html"),
    "/no-location": lambda count: Response(302, body=b""),
    "/rate-limited": _then_page(Response(429, body=_page("slow down"), headers={"Retry-After": "7"}), 1),
    "/rate-limited-date": _then_page(Response(429, body=_page("slow down"), headers={"Retry-After": RETRY_DATE}), 1),
    "/rate-limited-long": lambda count: Response(429, body=_page("come back tomorrow"), headers={"Retry-After": "3600"}),
    "/flaky": _then_page(Response(503, body=_page("try again")), 2),
    "/down": lambda count: Response(503, body=_page("down")),
    "/image": lambda count: Response(content_type="image/png", body=b"\x89PNG\r\n\x1a\n" + bytes(64)),
    "/text": lambda count: Response(content_type="text/plain", body=b"not a feed"),
    "/not-a-feed.rss": lambda count: Response(content_type="application/rss+xml", body=_page("HTML, not RSS")),
    "/no-content-type": lambda count: Response(content_type=None, body=_page("what am I")),
    "/set-cookie": lambda count: Response(body=_page("have a cookie"), headers={"Set-Cookie": "session=abc; Path=/"}),
    "/huge-declared": lambda count: Response(body=_page("small"), headers={"Content-Length": str(HUGE_BYTES)}),
    "/gzip-page": _encoded("gzip", gzip.compress(_page("gzip encoded"), mtime=0)),
    "/deflate-page": _encoded("deflate", zlib.compress(_page("deflate encoded"))),
    "/raw-deflate-page": _encoded("deflate", zlib.compress(_page("raw deflate"), wbits=-zlib.MAX_WBITS)),
    "/br-page": _encoded("br", brotli.compress(_page("brotli encoded"))),
    "/bad-gzip": _encoded("gzip", b"\x1f\x8b this is not gzip at all"),
    "/zstd-page": _encoded("zstd", b"(\xb5/\xfd not asked for"),
}


def _head(handler: _Handler, content_type: str, headers: dict[str, str] | None = None) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()


def _slow(handler: _Handler, site: LocalServer) -> None:
    time.sleep(SLOW_SECONDS)
    handler._send(Response(body=_page("finally")))


def _huge(handler: _Handler, site: LocalServer) -> None:
    """More than any test cap, streamed without a Content-Length so only reading tells."""
    _head(handler, "text/html")
    block = b"<p>" + b"x" * (CHUNK - 7) + b"</p>"
    for _ in range(HUGE_BYTES // CHUNK):
        handler.wfile.write(block)


def _trickle(handler: _Handler, site: LocalServer) -> None:
    """A byte every 50 ms: no read ever times out, but the whole response takes a second."""
    body = _page("trickle")[:20]
    _head(handler, "text/html", {"Content-Length": str(len(body))})
    for byte in body:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.05)


def _bomb(coding: str, build: Callable[[], bytes]) -> Callable[[_Handler, LocalServer], None]:
    def send(handler: _Handler, site: LocalServer) -> None:
        body = build()
        _head(handler, "text/html", {"Content-Encoding": coding, "Content-Length": str(len(body))})
        handler.wfile.write(body)
    return send


STREAMED: dict[str, Callable[[_Handler, LocalServer], None]] = {
    "/slow": _slow,
    "/huge": _huge,
    "/trickle": _trickle,
    "/bomb.gz": _bomb("gzip", gzip_bomb),
    "/bomb.br": _bomb("br", brotli_bomb),
}


def tls_contexts(hostname: str, directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for ``hostname`` from a throwaway CA, and a client context
    that trusts only that CA (needs ``cryptography``)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
                critical=True)
        else:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("Kabar test CA", ca_key, "Kabar test CA", ca_key, ca=True)
    leaf = certificate(hostname, leaf_key, "Kabar test CA", ca_key, ca=False)
    cert_file, key_file = directory / "leaf.pem", directory / "leaf.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client
