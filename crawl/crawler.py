"""Crawling an outlet: its feeds and sitemaps give article links, the new ones are fetched, and every page
fetched and every refusal goes into one WARC archive per crawl, which ``kabar run`` ingests.

The archive is written under a hidden ``.part`` name beside its final one and hard-linked into place
when the crawl stops (also when it is interrupted), so a folder scan never sees it half-written and an
earlier archive is never replaced.

Nothing is recorded in the fetch state until the archive is published: only then are its pages marked
fetched, and only a crawl that tried every link (``max_articles`` not reached, not interrupted) lets
its feeds' and url sets' validators be kept for conditional requests. A crash at any point, even a hard
kill, therefore costs a second download, never a page: the next crawl reads the feeds in full and
fetches what was not archived. A sitemap index is never asked for conditionally: its children change
without it, and a 304 for it would hide them. A feed or sitemap answering 304 has nothing new.

A link is fetched in its fetchable form (``transforms.urls.fetchable_url``: an http site over http) and
archived under the fetchable form of the URL it ended at, but pages are told apart by their identity
(``crawl.state.page_key``, the form article ids are hashed from): two links to one page are fetched
once in a crawl, and a page fetched before is not fetched again, however the link writes it.

Bad network input never raises: every failure is a refusal, written to the archive so it ends in
``rejects`` — except ``already_fetched``, the normal "nothing new", which is only counted.
"""
from __future__ import annotations

import itertools
import os
import string
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import httpx

from crawl.fetcher import Clock, Fetched, Fetcher, FetchPolicy, Kind, Refusal, Resolver, utc_now
from crawl.outlets import Outlet, SourcesFile
from crawl.state import FetchState, page_key
from transforms import progress
from transforms.feeds import parse_feed, parse_sitemap
from transforms.urls import fetchable_url, is_fetchable_scheme
from transforms.warc import WarcWriter

ALREADY_FETCHED = "already_fetched"
MAX_SITEMAP_DEPTH = 2  # a sources-file sitemap is level 1; an index's children are level 2
MAX_SITEMAP_CHILDREN = 20  # an index's children read per crawl, the most recently modified first
_UNDATED = datetime.min.replace(tzinfo=UTC)  # children without lastmod go after the dated ones, in index order
MAX_URI_CHARS = 2048  # a data: link can be megabytes; the archive keeps its start
ARCHIVE_SUFFIX = ".warc.gz"
DRAFT_SUFFIX = ".warc.gz.part"  # not a WARC suffix, so `kabar run` on the folder skips a draft


@dataclass(frozen=True)
class CrawlReport:
    """What one crawl of one outlet did; ``feeds_*`` count feeds and sitemaps (children included)."""

    outlet_key: str
    archive: Path | None
    feeds_fetched: int
    feeds_not_modified: int
    urls_found: int  # distinct article pages (by identity) in the feeds and sitemaps read
    pages_fetched: int
    already_fetched: int
    refused: dict[str, int]  # reason → count, already_fetched excluded

    def render(self) -> str:
        """One line for the CLI."""
        refused = ", ".join(f"{reason} {count}" for reason, count in sorted(self.refused.items())) or "none"
        return (f"{self.outlet_key}: {self.pages_fetched} pages fetched, {self.already_fetched} already fetched, "
                f"{self.urls_found} URLs found; feeds and sitemaps: {self.feeds_fetched} read, "
                f"{self.feeds_not_modified} not modified; refused: {refused}; "
                f"archive: {self.archive or 'none (nothing to write)'}")


def crawl_outlets(sources: SourcesFile, archive_dir: Path, state_path: Path, *, only: list[str] | None = None,
                  resolver: Resolver | None = None, clock: Clock | None = None,
                  transport: httpx.BaseTransport | None = None) -> list[CrawlReport]:
    """Crawl every outlet (or those whose key is in ``only``) with one fetcher, so per-host delays and
    robots.txt hold across outlets, and one fetch state shared by all crawls."""
    outlets = _selected(sources.outlets, only)
    policy = fetch_policy(sources)
    with FetchState(state_path) as state, Fetcher(policy, state=state, resolver=resolver, clock=clock,
                                                   transport=transport) as fetcher:
        reports = []
        for outlet in outlets:
            fetcher.policy = _outlet_policy(policy, outlet)  # the fetcher reads its delay on every request
            reports.append(crawl_outlet(outlet, fetcher, archive_dir))
    return reports


def crawl_outlet(outlet: Outlet, fetcher: Fetcher, archive_dir: Path, *,
                 now: Callable[[], datetime] | None = None) -> CrawlReport:
    """Read ``outlet``'s feeds and sitemaps, fetch the new pages, and archive pages and refusals."""
    now = now or utc_now
    stem = f"{outlet.key}-{now().astimezone(UTC):%Y%m%dT%H%M%SZ}"
    archive = _ArchiveDraft(Path(archive_dir), stem)
    crawl = _OutletCrawl(outlet, fetcher, archive, now)
    finished = False
    try:
        with archive:
            finished = crawl.run()
    finally:
        # Only what a published archive holds is fetched for good; only a crawl that got through every
        # link (and stored them) lets the next ask for its feeds conditionally. Until then a crash, even
        # a hard kill, costs a second download, never a page.
        if archive.published is not None or archive.empty:
            for page in crawl.stored:
                fetcher.remember(page, "page")
            for source, kind in crawl.sources_read if finished else ():
                fetcher.remember(source, kind)
    return crawl.report(archive.published)


def _selected(outlets: tuple[Outlet, ...], only: list[str] | None) -> list[Outlet]:
    """The outlets to crawl; an unknown key in ``only`` is a mistake worth stopping for."""
    if only is None:
        return list(outlets)
    unknown = sorted(set(only) - {outlet.key for outlet in outlets})
    if unknown:
        raise ValueError(f"no outlet with key {', '.join(unknown)} (known: "
                         f"{', '.join(outlet.key for outlet in outlets)})")
    return [outlet for outlet in outlets if outlet.key in only]


def _outlet_policy(policy: FetchPolicy, outlet: Outlet) -> FetchPolicy:
    """The outlet's own ``delay_seconds``, if it has one, instead of the ``[crawler]`` one."""
    return policy if outlet.delay_seconds is None else replace(policy, delay_seconds=outlet.delay_seconds)


def fetch_policy(sources: SourcesFile) -> FetchPolicy:
    """The ``[crawler]`` table as the fetcher's policy."""
    settings = sources.crawler
    return FetchPolicy(user_agent=settings.user_agent, delay_seconds=settings.delay_seconds,
                       timeout_seconds=settings.timeout_seconds, max_body_bytes=settings.max_body_bytes,
                       allowed_networks=tuple(str(network) for network in settings.allowed_networks))


@dataclass(frozen=True)
class _Link:
    """An article link as a feed or sitemap wrote it, with the date used to put the newest first."""

    url: str
    published_at: datetime | None
    source: str  # the feed or sitemap it came from, the base for relative links


@dataclass
class _Tally:
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    urls_found: int = 0
    pages_fetched: int = 0
    already_fetched: int = 0
    refused: Counter = field(default_factory=Counter)


class _OutletCrawl:
    """One crawl of one outlet, writing to its archive as it goes."""

    def __init__(self, outlet: Outlet, fetcher: Fetcher, archive: _ArchiveDraft, now: Callable[[], datetime]):
        self.outlet, self.fetcher, self.archive, self.now = outlet, fetcher, archive, now
        self.tally = _Tally()
        self.sources_read: list[tuple[Fetched, Kind]] = []  # feeds and url sets read in full, to remember
        self._sitemaps_seen: set[str] = set()
        self._links_refused: set[str] = set()
        self._pages_tried = 0
        self._archived: set[str] = set()   # page keys of the pages written
        self.stored: list[Fetched] = []   # pages written to the archive draft

    def run(self) -> bool:
        """Crawl; False when ``max_articles`` left links untried (the feeds must then be read in full again)."""
        return self._fetch_pages(self._article_urls(self._links()))

    def report(self, archive: Path | None) -> CrawlReport:
        tally = self.tally
        return CrawlReport(self.outlet.key, archive, tally.feeds_fetched, tally.feeds_not_modified, tally.urls_found,
                           tally.pages_fetched, tally.already_fetched, dict(sorted(tally.refused.items())))

    def _links(self) -> Iterator[_Link]:
        for url in self.outlet.urls:
            yield _Link(url, None, self.outlet.homepage)
        for url in self.outlet.feeds:
            yield from self._feed_links(url)
        for url in self.outlet.sitemaps:
            yield from self._sitemap_links(url, depth=1)

    def _feed_links(self, url: str) -> list[_Link]:
        fetched = self._read_source(url, "feed")
        if fetched is None:
            return []
        try:
            entries = parse_feed(fetched.body, fetched.final_url)
        except ValueError as error:  # FeedError, or a malformed link the parser let through
            self._refuse(Refusal(url, "bad_feed", str(error)))
            return []
        self.sources_read.append((fetched, "feed"))
        return [_Link(entry.url, entry.published_at, fetched.final_url) for entry in entries]

    def _sitemap_links(self, url: str, depth: int) -> list[_Link]:
        """A url set's pages; an index's children read in turn, each once per crawl, to ``MAX_SITEMAP_DEPTH``."""
        if url in self._sitemaps_seen:
            return []
        self._sitemaps_seen.add(url)
        fetched = self._read_source(url, "sitemap")
        if fetched is None:
            return []
        try:
            sitemap = parse_sitemap(fetched.body, fetched.final_url)
        except ValueError as error:
            self._refuse(Refusal(url, "bad_sitemap", str(error)))
            return []
        if sitemap.kind == "urlset":
            self.sources_read.append((fetched, "sitemap"))
            return [_Link(entry.url, entry.published_at or entry.lastmod, fetched.final_url)
                    for entry in sitemap.entries]
        # An index is not remembered, so it is always read in full: a 304 would hide changed children.
        if depth >= MAX_SITEMAP_DEPTH:
            self._refuse(Refusal(url, "sitemap_too_deep", f"a sitemap index nested deeper than {MAX_SITEMAP_DEPTH} "
                                                          "levels is not followed"))
            return []
        # Archives list every month ever published: only the most recently changed children are read.
        newest = sorted(sitemap.entries, key=lambda entry: entry.lastmod or _UNDATED, reverse=True)
        children = (self._fetchable(_Link(entry.url, None, fetched.final_url))
                    for entry in newest[:MAX_SITEMAP_CHILDREN])
        return [link for child in children if child for link in self._sitemap_links(child, depth + 1)]

    def _read_source(self, url: str, kind: Kind) -> Fetched | None:
        """The feed or sitemap at ``url`` when it has something new; refusals are recorded, 304s counted."""
        result = self.fetcher.fetch(url, kind, remember=False)   # remembered once the crawl is stored
        if isinstance(result, Refusal):
            self._refuse(result)
            return None
        if result.not_modified:
            self.tally.feeds_not_modified += 1
            return None
        self.tally.feeds_fetched += 1
        return result

    def _article_urls(self, links: Iterable[_Link]) -> list[str]:
        """Fetchable, one per page (the first link found for it), newest first (undated links after, in
        the order found)."""
        first: dict[str, str] = {}   # page key → the fetchable URL of its first link
        newest: dict[str, datetime | None] = {}
        for link in links:
            url = self._fetchable(link)
            if url is not None:
                key = page_key(url)
                first.setdefault(key, url)
                dates = [date for date in (newest.get(key), link.published_at) if date is not None]
                newest[key] = max(dates, default=None)
        self.tally.urls_found = len(newest)
        order = sorted(newest, key=lambda key: (newest[key] is None, -newest[key].timestamp() if newest[key] else 0))
        return [first[key] for key in order]

    def _fetchable(self, link: _Link) -> str | None:
        """``link``'s fetchable URL, or None after recording why it will not be fetched."""
        url = fetchable_url(link.url, link.source)
        if url is None:
            reason = "invalid_url" if is_fetchable_scheme(link.url) else "unsupported_scheme"
            if link.url not in self._links_refused:
                self._links_refused.add(link.url)
                self._refuse(Refusal(link.url, reason, f"{link.source} links to a URL that is never fetched"))
        return url

    def _fetch_pages(self, urls: list[str]) -> bool:
        """Fetch the pages not fetched before, at most ``max_articles``; False when some were left out."""
        left_out = False
        fetching = progress.Counter(f"fetching {self.outlet.key}", self.outlet.key, total=len(urls), unit="pages")
        for url in progress.counted(urls, fetching):
            if self.fetcher.state.was_fetched(url):
                self.tally.already_fetched += 1
            elif self.outlet.max_articles is not None and self._pages_tried >= self.outlet.max_articles:
                left_out = True
            else:
                self._pages_tried += 1
                self._fetch_page(url)
        return not left_out

    def _fetch_page(self, url: str) -> None:
        result = self.fetcher.fetch(url, "page", remember=False)   # marked fetched once the archive is published
        if isinstance(result, Refusal):
            if result.reason == ALREADY_FETCHED:  # by a concurrent crawl since we asked
                self.tally.already_fetched += 1
            else:
                self._refuse(result)
            return
        address = fetchable_url(result.final_url) or result.final_url
        if page_key(address) in self._archived:  # two links redirecting to one article
            self.tally.already_fetched += 1
            return
        self._archived.add(page_key(address))
        self.archive.write_page(address, result)
        self.stored.append(result)
        self.tally.pages_fetched += 1

    def _refuse(self, refusal: Refusal) -> None:
        self.archive.write_refusal(refusal, self.now())
        self.tally.refused[refusal.reason] += 1


class _ArchiveDraft:
    """An archive written under a hidden draft name, created with its first record and published under
    ``<stem>.warc.gz`` (``<stem>-2.warc.gz``… if taken) on exit; a draft with no records leaves no file."""

    def __init__(self, directory: Path, stem: str):
        self.directory, self.stem = directory, stem
        self.published: Path | None = None
        self._handle: BinaryIO | None = None
        self._writer: WarcWriter | None = None

    def write_page(self, address: str, fetched: Fetched) -> None:
        """The request and the response, under the final address: the body is what that URL served, and it
        is the article's own address when the link was a redirect."""
        writer = self._open()
        uri = _warc_uri(address)
        writer.write_request(uri, fetched_at=fetched.fetched_at)
        writer.write_response(uri, fetched.body, fetched_at=fetched.fetched_at, status=fetched.status,
                              content_type=fetched.content_type or "text/html")

    @property
    def empty(self) -> bool:
        """Nothing was written, so there is nothing to publish."""
        return self._handle is None

    def write_refusal(self, refusal: Refusal, at: datetime) -> None:
        self._open().write_refusal(_warc_uri(refusal.url), refusal.reason, refusal.detail, fetched_at=at)

    def __enter__(self) -> _ArchiveDraft:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._handle is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self.published = _publish(Path(self._handle.name), self.directory, self.stem)

    def _open(self) -> WarcWriter:
        if self._writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._handle = tempfile.NamedTemporaryFile(dir=self.directory, prefix=f".{self.stem}-",
                                                       suffix=DRAFT_SUFFIX, delete=False)
            self._writer = WarcWriter(self._handle)
        return self._writer


def _publish(draft: Path, directory: Path, stem: str) -> Path:
    """Hard-link the finished draft under the first free archive name, then drop the draft: the archive
    appears whole, and a link (unlike a rename) never replaces an archive already there."""
    for attempt in itertools.count(1):
        target = directory / f"{stem}{f'-{attempt}' if attempt > 1 else ''}{ARCHIVE_SUFFIX}"
        try:
            os.link(draft, target)
        except FileExistsError:
            continue
        draft.unlink()
        return target


def _warc_uri(url: str) -> str:
    """``url`` safe for a WARC header: a link from a feed may hold spaces, line breaks (which would start a
    forged header) or megabytes of data, so anything but printable ASCII is percent-encoded and it is cut short."""
    return quote(url[:MAX_URI_CHARS], safe=string.punctuation)
