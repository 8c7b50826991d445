"""Keyword search (warehouse.search): BM25 ranking, filters, languages and accents, snippets, and an
index that is rebuilt only when the articles change and survives a build that died."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bench.analyst_warehouse import article_row, load_rows, source_row
from warehouse.io import open_warehouse
from warehouse.search import EVERYTHING, Filters, index_path, refresh_index, search, snippet

KOMPAS = source_row("Kompas", "kompas.com", "publisher", "id", "ID")
POST = source_row("The Jakarta Post", "thejakartapost.com", "publisher", "en", "ID")
FILLER = "Warga kota berkumpul di alun alun untuk acara tahunan yang ramai dikunjungi keluarga. "


def article(key: str, text: str, *, title: str = "Kabar hari ini", language: str = "id", source=KOMPAS,
            published_at: datetime | None = datetime(2026, 11, 3, 8, tzinfo=UTC)) -> dict:
    return article_row(f"article-{key}", text, title=title, language=language, source_id=source["source_id"],
                       url=f"https://{source['domain']}/{key}", published_at=published_at)


ARTICLES = [
    article("flood-once", FILLER + "Banjir melanda desa itu semalam. " + FILLER * 2),
    article("flood-thrice", FILLER + "Banjir, banjir dan banjir lagi di Jakarta. " + FILLER * 2),
    article("jokowi", FILLER + "Presiden Jokowi meminta pemerintah daerah bersiap. " + FILLER * 2,
            title="Jokowi tinjau tanggul", published_at=datetime(2026, 11, 1, 23, 30, tzinfo=UTC)),
    article("government", FILLER + "Kebijakan pemerintahan baru diumumkan. " + FILLER * 2,
            published_at=datetime(2026, 11, 5, 1, tzinfo=timezone(timedelta(hours=7)))),   # 4 Nov 18:00 UTC
    article("cafe", "The cafe on the corner reopened after the floods, owners said. " + "Life goes on. " * 20,
            title="Coffee is back", language="en", source=POST, published_at=None),
    article("resume", "Her résumé lists a Café in Bandung. " + "Nothing else happened. " * 20,
            title="A CAFÉ story", language="en", source=POST, published_at=datetime(2026, 11, 10, 12, tzinfo=UTC)),
]


@pytest.fixture
def warehouse(kabar_home):
    path = kabar_home / "warehouse.duckdb"
    load_rows(path, {"sources": [KOMPAS, POST], "articles": ARTICLES})
    return path


def found_keys(warehouse, home, query, filters=EVERYTHING, **options) -> list[str]:
    return [hit.article_id.removeprefix("article-") for hit in search(warehouse, home, query, filters, **options).hits]


def test_the_article_using_the_term_most_ranks_first(warehouse, kabar_home):
    assert found_keys(warehouse, kabar_home, "banjir") == ["flood-thrice", "flood-once"]


def test_a_title_match_outranks_the_same_word_once_in_the_text(warehouse, kabar_home):
    load_rows(warehouse, {"articles": [article("dam", FILLER + "Tanggul itu retak. " + FILLER * 2)]})
    assert found_keys(warehouse, kabar_home, "tanggul") == ["jokowi", "dam"]


def test_names_indonesian_words_and_accents_match_as_written(warehouse, kabar_home):
    assert found_keys(warehouse, kabar_home, "Jokowi") == ["jokowi"]
    assert found_keys(warehouse, kabar_home, "JOKOWI") == ["jokowi"]
    # unstemmed on purpose: "pemerintah" is not "pemerintahan" (warehouse/search.py says why)
    assert found_keys(warehouse, kabar_home, "pemerintah") == ["jokowi"]
    assert found_keys(warehouse, kabar_home, "pemerintahan") == ["government"]
    assert set(found_keys(warehouse, kabar_home, "café")) == {"cafe", "resume"}
    assert set(found_keys(warehouse, kabar_home, "cafe")) == {"cafe", "resume"}
    assert found_keys(warehouse, kabar_home, "resume") == ["resume"]


def test_language_and_outlet_filters(warehouse, kabar_home):
    assert set(found_keys(warehouse, kabar_home, "banjir jokowi cafe", Filters(language="en"))) == {"cafe", "resume"}
    assert set(found_keys(warehouse, kabar_home, "banjir jokowi cafe", Filters(outlet="kompas"))) == {
        "flood-once", "flood-thrice", "jokowi"}
    assert set(found_keys(warehouse, kabar_home, "cafe", Filters(outlet="TheJakartaPost.com"))) == {"cafe", "resume"}
    assert set(found_keys(warehouse, kabar_home, "cafe", Filters(outlet="THE JAKARTA POST"))) == {"cafe", "resume"}
    assert found_keys(warehouse, kabar_home, "cafe", Filters(outlet="kompas.com")) == []
    assert found_keys(warehouse, kabar_home, "cafe", Filters(outlet="jakarta")) == []   # the whole name, not a part


def test_date_filters_are_inclusive_utc_days_and_exclude_undated_articles(warehouse, kabar_home):
    everything = "banjir jokowi pemerintahan cafe"
    assert len(found_keys(warehouse, kabar_home, everything)) == 6
    assert set(found_keys(warehouse, kabar_home, everything, Filters(since=date(2026, 11, 3)))) == {
        "flood-once", "flood-thrice", "government", "resume"}
    assert found_keys(warehouse, kabar_home, everything, Filters(until=date(2026, 11, 1))) == ["jokowi"]
    assert found_keys(warehouse, kabar_home, everything, Filters(since=date(2026, 11, 4), until=date(2026, 11, 4))) == [
        "government"]   # 5 Nov 01:00 at +07:00 is 4 Nov in UTC
    assert found_keys(warehouse, kabar_home, everything, Filters(since=date(2026, 11, 2), until=date(2026, 11, 2))) == []


def test_limit_keeps_the_best(warehouse, kabar_home):
    assert found_keys(warehouse, kabar_home, "banjir", limit=1) == ["flood-thrice"]


def test_no_hit_is_an_empty_list(warehouse, kabar_home):
    assert search(warehouse, kabar_home, "tsunami").hits == []
    assert search(warehouse, kabar_home, "!!!").hits == []


def test_a_hit_carries_what_the_analyst_reads(warehouse, kabar_home):
    hit = search(warehouse, kabar_home, "jokowi").hits[0]
    assert (hit.title, hit.outlet, hit.language, hit.url) == (
        "Jokowi tinjau tanggul", "Kompas", "id", "https://kompas.com/jokowi")
    assert hit.published_at == datetime(2026, 11, 1, 23, 30, tzinfo=UTC) and hit.score > 0
    assert "Presiden Jokowi meminta" in hit.snippet and hit.snippet.startswith("…") and hit.snippet.endswith("…")


def test_the_snippet_is_a_window_around_the_first_term_without_case_or_accents():
    text = "Pembukaan. " * 40 + "Lalu Kafe Café dibuka kembali oleh pemiliknya. " + "Penutup. " * 40
    window = snippet(text, ["cafe"])
    assert "Café" in window and window.startswith("…") and window.endswith("…")
    assert len(window) <= 202 and window.index("Café") > 30   # some words before the term
    assert snippet(text, ["tidak"]) == " ".join(text[:200].split()[:-1]) + "…"   # no term: the start
    assert snippet("Pendek saja.", ["pendek"]) == "Pendek saja."
    assert snippet("Kata pemerintahan di sini, lalu pemerintah.", ["pemerintah"]).endswith("lalu pemerintah.")


def test_the_index_is_reused_until_an_article_is_added_or_changed(warehouse, kabar_home):
    assert search(warehouse, kabar_home, "banjir").index_built
    assert not search(warehouse, kabar_home, "banjir").index_built
    assert not search(warehouse, kabar_home, "jokowi", Filters(language="id")).index_built
    load_rows(warehouse, {"articles": [article("new", "Banjir besar, banjir lagi, banjir terus, banjir.")]})
    found = search(warehouse, kabar_home, "banjir")
    assert found.index_built and found.hits[0].article_id == "article-new"
    changed = article("flood-once", "Kemarau panjang di desa itu.")
    load_rows(warehouse, {"articles": [changed]})
    found = search(warehouse, kabar_home, "kemarau")
    assert found.index_built and [hit.article_id for hit in found.hits] == ["article-flood-once"]
    assert not search(warehouse, kabar_home, "kemarau").index_built


def test_a_renamed_outlet_rebuilds_the_index(warehouse, kabar_home):
    assert search(warehouse, kabar_home, "banjir").index_built
    with open_warehouse(warehouse) as con:   # as a migration curating the names could
        con.execute("update sources set name = 'Kompas.com' where domain = 'kompas.com'")
    found = search(warehouse, kabar_home, "banjir", Filters(outlet="kompas.com"))
    assert found.index_built and found.hits[0].outlet == "Kompas.com"


def test_a_build_that_died_leaves_nothing_in_the_way(warehouse, kabar_home):
    path = index_path(kabar_home)
    path.parent.mkdir(parents=True)
    path.with_name(path.name + ".tmp").write_bytes(b"half a database")
    found = search(warehouse, kabar_home, "banjir")
    assert found.index_built and len(found.hits) == 2
    path.write_bytes(b"not a database at all")   # even a broken index file is only rebuilt
    assert search(warehouse, kabar_home, "banjir").index_built
    assert not search(warehouse, kabar_home, "banjir").index_built


def test_two_searches_at_once_build_the_index_once(warehouse, kabar_home):
    builds, errors = [], []

    def one_search():
        try:
            refresh_index(warehouse, kabar_home, on_build=builds.append)
        except Exception as error:   # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=one_search) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and builds == [len(ARTICLES)]


def test_search_leaves_the_warehouse_file_as_it_was(warehouse, kabar_home):
    before = warehouse.read_bytes()
    assert search(warehouse, kabar_home, "banjir").hits
    assert warehouse.read_bytes() == before and index_path(kabar_home).parent == kabar_home / "search"
