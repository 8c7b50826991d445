"""What the fetcher remembers between crawls, in a small SQLite file (``$KABAR_HOME/crawl/state.sqlite``).

Two things: each URL's validators (ETag, Last-Modified), so feeds and sitemaps are asked for
conditionally and an unchanged one costs the outlet a 304; and the pages already fetched, so an
article is downloaded once however many feeds list it.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
CREATE TABLE IF NOT EXISTS fetched_pages (url TEXT PRIMARY KEY, fetched_at TEXT NOT NULL);
"""


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
        with self._lock:
            return self._db.execute("SELECT 1 FROM fetched_pages WHERE url = ?", (url,)).fetchone() is not None

    def mark_fetched(self, url: str, fetched_at: datetime) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO fetched_pages VALUES (?, ?)", (url, fetched_at.isoformat()))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FetchState:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
