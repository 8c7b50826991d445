"""What the fetcher remembers between crawls, in a small SQLite file (``$KABAR_HOME/crawl/state.sqlite``).

Two things: each URL's validators (ETag, Last-Modified), so feeds and sitemaps are asked for
conditionally and an unchanged one costs the outlet a 304; and the pages already fetched, so an
article is downloaded once however many feeds list it, and however they write it.

Validators belong to the exact URL requested (an http and an https feed may answer differently), so
they are kept under it. Fetched pages are kept under their identity form (``page_key``, which is
``transforms.urls.canonical_url``, the form article ids are hashed from): ``http://`` or ``https://``,
a trailing slash, a tracking parameter or an upper-case host make no second download. A state file
written before (pages under the crawler's own canonical form) is re-keyed once when opened.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from transforms.urls import canonical_url

SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
CREATE TABLE IF NOT EXISTS fetched_pages (url TEXT PRIMARY KEY, fetched_at TEXT NOT NULL);
"""
# PRAGMA user_version: 1 once fetched_pages is keyed by page_key.
PAGES_BY_IDENTITY = 1


def page_key(url: str) -> str:
    """What a fetched page is remembered by: the identity form of ``url`` (so every way of writing one
    page is one key), or ``url`` itself when it has none (then no identity form equals it, as every
    identity form has one: it cannot pass for another page)."""
    return canonical_url(url) or url


@dataclass(frozen=True)
class Validators:
    """The response headers that make the next request for the same URL conditional."""

    etag: str | None
    last_modified: str | None


class FetchState:
    """Validators per URL and the set of pages fetched. ``path=":memory:"`` keeps them for one run only."""

    def __init__(self, path: str | Path = ":memory:"):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        with self._lock, self._db:
            self._db.executescript(SCHEMA)
        self._key_pages_by_identity()

    def validators(self, url: str) -> Validators | None:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return Validators(*row) if row else None

    def remember_validators(self, url: str, validators: Validators) -> None:
        """Keep ``validators`` for ``url``; a response with neither header forgets the old ones."""
        with self._lock, self._db:
            if validators.etag is None and validators.last_modified is None:
                self._db.execute("DELETE FROM validators WHERE url = ?", (url,))
            else:
                self._db.execute("INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
                                 (url, validators.etag, validators.last_modified))

    def was_fetched(self, url: str) -> bool:
        """Whether the page at ``url``, written in any way with the same identity, was fetched."""
        with self._lock:
            found = self._db.execute("SELECT 1 FROM fetched_pages WHERE url = ?", (page_key(url),)).fetchone()
        return found is not None

    def mark_fetched(self, url: str, fetched_at: datetime) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO fetched_pages VALUES (?, ?)",
                             (page_key(url), fetched_at.isoformat()))

    def close(self) -> None:
        self._db.close()

    def _key_pages_by_identity(self) -> None:
        """Re-key pages remembered under any other form (the crawler's canonical URLs of old), once per
        file: several rows for one page become one, fetched when the latest was."""
        if self._version() >= PAGES_BY_IDENTITY:   # every open but the first: no write lock taken
            return
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            if self._version() >= PAGES_BY_IDENTITY:   # another crawl opening the same file re-keyed it first
                return
            latest: dict[str, str] = {}
            for url, fetched_at in self._db.execute("SELECT url, fetched_at FROM fetched_pages").fetchall():
                key = page_key(url)
                latest[key] = max(latest.get(key, fetched_at), fetched_at)
            self._db.execute("DELETE FROM fetched_pages")
            self._db.executemany("INSERT INTO fetched_pages VALUES (?, ?)", latest.items())
            self._db.execute(f"PRAGMA user_version = {PAGES_BY_IDENTITY}")

    def _version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def __enter__(self) -> FetchState:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
