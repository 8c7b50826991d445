"""Keyword search over the articles: BM25 (DuckDB's fts extension) on title and text, with filters.

**Where the index lives.** In its own DuckDB file, ``$KABAR_HOME/search/index.duckdb``, not in the
warehouse: search only reads the warehouse (a read-only connection, as ``kabar sql``), so it never
takes the writer's place, and the warehouse gains no schema its migrations, export and integrity
checks do not know. The index is a cache: deleting the folder costs one rebuild.

**When it is rebuilt.** Only when the articles changed. A fingerprint of the warehouse's articles (their
count and a SHA-256 over every column the index holds, ``sql/search/fingerprint.sql``) is stored in the
index file; a search computes it again and reuses the index when both agree. A rebuild writes a
temporary file and renames it over the old one, so a crash mid-build leaves the old index; a file
lock makes a second search wait for the first one's build instead of building too.

**One index for every language, no stemming, no stopwords** (``stemmer='none'``, ``stopwords='none'``,
lower case, accents stripped, tokens are runs of letters or digits in any script):

- BM25 scores from separate per-language indexes are not comparable (each has its own document
  frequencies and lengths), so a query across languages could not be ranked in one list; and the
  pages mix languages (Indonesian articles quote English, names are the same in both).
- The commonest analyst query is a name, and stemmers mangle names. Measured with the fts extension's
  own ``stem()``: the English stemmer makes "Anies" "ani", "Guterres" "guterr", "Hastings" "hast"; the
  Indonesian one makes "Jokowi" "jokow", "Baswedan" "baswed", "Mulyani" "mulyan", and misreads common
  words too: "menteri" (minister) becomes "teri" (anchovy), "berita" (news) "ita", "pemerintah"
  (government) "perintah" (order). The English stemmer leaves those Indonesian words as they are, so
  it buys nothing for them. The price: "pemerintahan" does not find "pemerintah"; search both words.
- DuckDB's built-in stopword list is English only; BM25's inverse document frequency already makes
  words as common as "yang" or "the" weigh almost nothing.
- Accents are stripped, so "café" finds "cafe" and "Cafe" (and the other way round).
"""
from __future__ import annotations

import fcntl
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from warehouse.io import connect, sql

INDEX_FORMAT = 1          # bump when the index's layout or tokenising changes: older index files are rebuilt
TITLE_WEIGHT = 2.0        # a query term in the headline counts this many times one in the text
SNIPPET_CHARS = 200
_SNIPPET_LEAD = 60        # characters of context shown before the first matching term
_TOKEN_BREAK = re.compile(r"[\W_]+")   # as the index's ignore pattern: anything but letters and digits


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return; None filters nothing. Dates are inclusive UTC days."""
    language: str | None = None
    outlet: str | None = None       # the source's name or domain, any case
    since: date | None = None
    until: date | None = None


EVERYTHING = Filters()


@dataclass(frozen=True)
class Hit:
    score: float
    article_id: str
    title: str | None
    outlet: str | None
    language: str | None
    published_at: datetime | None
    url: str | None
    snippet: str


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    index_built: bool   # whether this search (re)built the index, rather than reusing it


def index_path(home: Path) -> Path:
    return Path(home) / "search" / "index.duckdb"


def search(warehouse: Path, home: Path, query: str, filters: Filters = EVERYTHING, *, limit: int = 10,
           wait_seconds: float = 0.0, on_wait: Callable[[str], None] | None = None,
           on_build: Callable[[int], None] | None = None) -> Found:
    """The ``limit`` best articles for ``query`` among those ``filters`` allow. The index is brought up to
    date first (``on_build`` is told the article count when it is rebuilt)."""
    built = refresh_index(warehouse, home, wait_seconds=wait_seconds, on_wait=on_wait, on_build=on_build)
    parameters = {"query": query, "title_weight": TITLE_WEIGHT, "language": filters.language,
                  "outlet": filters.outlet, "since": filters.since, "until": filters.until, "limit": limit}
    with closing(_index_connection(index_path(home), read_only=True)) as con:
        rows = con.execute(sql("search/query"), parameters).fetchall()
    terms = query_terms(query)
    hits = [Hit(score, article_id, title, outlet, language, published_at, url, snippet(text, terms))
            for score, article_id, title, outlet, language, published_at, url, text in rows]
    return Found(hits, built)


def refresh_index(warehouse: Path, home: Path, *, wait_seconds: float = 0.0,
                  on_wait: Callable[[str], None] | None = None,
                  on_build: Callable[[int], None] | None = None) -> bool:
    """Rebuild the index when the warehouse's articles differ from what it was built from; whether it did."""
    path = index_path(home)
    with closing(connect(warehouse, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait)) as source:
        articles, fingerprint = source.execute(sql("search/fingerprint")).fetchall()[0]
        with _build_lock(path):
            if _stored_fingerprint(path) == (INDEX_FORMAT, articles, fingerprint):
                return False
            if on_build is not None:
                on_build(articles)
            _build(source, path, articles, fingerprint)
    return True


def _stored_fingerprint(path: Path) -> tuple | None:
    """What the index at ``path`` was built from; None when there is none or it cannot be read."""
    if not path.exists():
        return None
    try:
        with closing(_index_connection(path, read_only=True)) as con:
            rows = con.execute(sql("search/read_meta")).fetchall()
    except duckdb.Error:   # not a DuckDB file, or one without the meta table: rebuild it
        return None
    return tuple(rows[0]) if rows else None


def _build(source: duckdb.DuckDBPyConnection, path: Path, articles: int, fingerprint: str) -> None:
    """Write the index to a temporary file beside ``path`` and rename it over the old one."""
    temporary = path.with_name(path.name + ".tmp")
    _remove_database(temporary)   # a build that died half way
    documents = source.execute(sql("search/documents")).to_arrow_reader()
    with closing(_index_connection(temporary, read_only=False)) as con:
        con.register("warehouse_documents", documents)
        con.execute(sql("search/create_documents"))
        con.unregister("warehouse_documents")
        con.execute(sql("search/create_index"))
        con.execute(sql("search/create_meta"),
                    {"format_version": INDEX_FORMAT, "articles": articles, "fingerprint": fingerprint})
    os.replace(temporary, path)


def _remove_database(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if there."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One index build at a time per home: a second search waits, then finds the index current. The
    kernel releases ``flock`` when its holder dies, so a killed search never blocks the next."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name("index.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _index_connection(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the index file with fts loaded. The extension comes from the duckdb-extension-fts
    wheel, installed into the search folder (never ~/.duckdb); DuckDB may not download anything."""
    config = {"extension_directory": str(path.parent / "extensions"), "autoinstall_known_extensions": False}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    try:
        con.execute("set TimeZone = 'UTC'")
        try:
            con.execute("load fts")
        except duckdb.IOException:   # not installed in this home yet
            import duckdb_extensions

            duckdb_extensions.import_extension("fts", con=con)
            con.execute("load fts")
    except BaseException:
        con.close()
        raise
    return con


def query_terms(query: str) -> list[str]:
    """The query's words as the index sees them: lower case, accents stripped, split at non-letters."""
    return [term for term in _TOKEN_BREAK.split(_fold(query)) if term]


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around the first whole-word occurrence of any term
    (compared without case or accents), "…" where cut; the start of the text when no term occurs."""
    folded, origin = _folded_with_origin(text)
    found = [match.start() for term in terms
             if (match := re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded))]
    start = max(0, origin[min(found)] - _SNIPPET_LEAD) if found else 0
    end = min(len(text), start + width)
    start = max(0, end - width)
    if start > 0:   # begin and end on whole words
        space = text.find(" ", start, start + 20)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space >= 0 else end
    body = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _fold(value: str) -> str:
    """Lower case without accents ("Café" → "cafe"), as the index's strip_accents and lower."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch)).lower()


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and for each folded character the index of the original
    one it came from (folding can change the length: "ﬁ" → "fi")."""
    pieces, origin = [], []
    for index, ch in enumerate(text):
        piece = _fold(ch)
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin
