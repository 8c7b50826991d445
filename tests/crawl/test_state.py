"""The fetch state remembers a page by its identity form, the form article ids are hashed from: the
crawler's "fetched before" and the warehouse's "the same article" are one question."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from crawl.state import PAGES_BY_IDENTITY, FetchState, page_key
from transforms.urls import canonical_url, fetchable_url

WALL = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
IDENTITY = "https://kabarnusa.example/berita/banjir?id=7"
VARIANTS = [
    "https://kabarnusa.example/berita/banjir?id=7",
    "http://kabarnusa.example/berita/banjir?id=7",                          # http and https
    "https://kabarnusa.example/berita/banjir/?id=7",                        # a trailing slash
    "https://KABARNUSA.Example/berita/banjir?id=7",                         # an upper-case host
    "https://kabarnusa.example./berita/banjir?id=7",                        # a trailing dot
    "https://kabarnusa.example:443/berita/banjir?id=7",                     # default ports
    "http://kabarnusa.example:80/berita/banjir/?id=7",
    "HTTP://kabarnusa.example:443/berita/banjir?id=7",
    "https://kabarnusa.example/berita/banjir?id=7#komentar",                # a fragment
    "https://kabarnusa.example/berita/banjir?utm_source=rss&id=7&UTM_Medium=feed",   # tracking parameters
    "https://kabarnusa.example/berita/banjir?fbclid=x&id=7&gclid=y&xtor=z&mc_cid=1&at_medium=2&ocid=3&cmpid=4",
    "https://reader:secret@kabarnusa.example/berita/banjir?id=7",           # user info
    "  https://kabarnusa.example/berita/banjir?id=7&  ",
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_crawlers_key_for_a_link_is_its_identity(variant):
    """The crawler fetches ``fetchable_url(link)`` and remembers it by ``page_key``: that key is the
    link's identity form, the URL article ids are hashed from."""
    fetchable = fetchable_url(variant)
    assert urlsplit(fetchable).scheme == urlsplit(variant.strip()).scheme.lower()   # fetched as the link says
    assert page_key(fetchable) == canonical_url(variant) == IDENTITY


@pytest.mark.parametrize("link, base", [
    ("banjir?utm_campaign=x&id=7", "http://kabarnusa.example/berita/index.html"),
    ("/berita/banjir/?id=7#atas", "https://KabarNusa.example/"),
    ("//kabarnusa.example/berita/./banjir?id=7", "http://kabarnusa.example/feed.xml"),
])
def test_a_relative_link_has_the_identity_of_the_url_it_resolves_to(link, base):
    assert page_key(fetchable_url(link, base)) == IDENTITY


@pytest.mark.parametrize("fetched", VARIANTS)
def test_a_page_fetched_under_one_spelling_is_fetched_under_every_other(fetched):
    with FetchState() as state:
        state.mark_fetched(fetchable_url(fetched), WALL)
        assert all(state.was_fetched(fetchable_url(variant)) for variant in VARIANTS)
        assert state.was_fetched(IDENTITY) and not state.was_fetched("https://kabarnusa.example/berita/banjir?id=8")


def test_a_url_with_no_identity_is_remembered_as_written():
    with FetchState() as state:
        state.mark_fetched("not a url", WALL)
        assert state.was_fetched("not a url") and not state.was_fetched("not  a url")


def test_an_older_state_file_is_rekeyed_by_identity_once(tmp_path):
    """Before, pages were remembered under the crawler's own canonical URL (scheme and trailing slash
    kept, so one page could have several rows): opened now, each page has one row, under its identity,
    fetched when its latest row was."""
    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript("CREATE TABLE validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);"
                         "CREATE TABLE fetched_pages (url TEXT PRIMARY KEY, fetched_at TEXT NOT NULL);")
        db.executemany("INSERT INTO fetched_pages VALUES (?, ?)", [
            ("http://kabarnusa.example/berita/banjir/?id=7", "2026-11-24T10:00:00+00:00"),
            ("https://kabarnusa.example/berita/banjir?id=7", "2026-11-25T09:00:00+00:00"),
            ("http://xn--bcher-kva.example/buku/", "2026-11-23T08:00:00+00:00"),
        ])
        db.execute("INSERT INTO validators VALUES ('http://kabarnusa.example/rss/', '\"v1\"', NULL)")
    db.close()

    with FetchState(path) as state:
        assert state.was_fetched("https://kabarnusa.example/berita/banjir/?utm_source=rss&id=7")
        assert state.was_fetched("https://xn--bcher-kva.example/buku#x")
        assert state.validators("http://kabarnusa.example/rss/").etag == '"v1"'   # validators keep the URL asked for
        state.mark_fetched("http://Other.example/a/", WALL)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == PAGES_BY_IDENTITY
        assert sorted(db.execute("SELECT url, fetched_at FROM fetched_pages")) == [
            ("https://kabarnusa.example/berita/banjir?id=7", "2026-11-25T09:00:00+00:00"),
            ("https://other.example/a", WALL.isoformat()),
            ("https://xn--bcher-kva.example/buku", "2026-11-23T08:00:00+00:00"),
        ]
        db.execute("INSERT INTO fetched_pages VALUES ('http://written.example/later/', 'x')")  # re-keyed once only
    db.close()
    with FetchState(path) as state:
        assert state.was_fetched("https://other.example/a/") and not state.was_fetched("http://written.example/later/")
