"""The warehouse contract: migrations, one-transaction loads, integrity, crash safety, export."""
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, UTC

import polars as pl
import pyarrow.parquet as pq
import pytest

from transforms.schemas import frame
from warehouse.export import export_parquet
from warehouse.io import (IntegrityError, connect, existing_ids, load_batch, migrate, migrations, open_warehouse, schema_version,
                          seen_document_ids, signatures_sharing_bands, table_counts)

NOW = datetime(2025, 1, 14, 6, 45, tzinfo=UTC)


def batch(article_id="a1", document_id="d1", text="Tokayev berkata.", published_at=NOW):
    return {
        "documents": frame("documents", [dict(document_id=document_id, origin="x.html", url=None, size_bytes=10, first_seen_at=NOW)]),
        "sources": frame("sources", [dict(source_id="s1", name="KabarNusa", domain="kabarnusa.co.id", kind="publisher")]),
        "articles": frame("articles", [dict(article_id=article_id, cluster_id=article_id, document_id=document_id, source_id="s1", text=text,
                                            language="id", published_at=published_at, published_at_precision="minute",
                                            authors=["Rina"], word_count=2, content_sha256="c" * 64,
                                            extracted_at=NOW, extractor_version="test")]),
        "entities": frame("entities", [dict(article_id=article_id, entity_id="e1", name="Tokayev", type="PERSON", mention_count=1)]),
        "entity_mentions": frame("entity_mentions", [dict(article_id=article_id, entity_id="e1", start_offset=0, end_offset=7, surface="Tokayev")]),
        "article_sources": frame("article_sources", [dict(article_id=article_id, source_id="s1", role="publisher", evidence="x")]),
    }


@pytest.fixture
def con(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as connection:
        yield connection


def test_new_warehouse_is_at_the_latest_schema_version(con):
    assert schema_version(con) == migrations()[-1].version
    assert migrate(con) == []


def _write_as_an_older_release(con, frames: dict[str, pl.DataFrame]) -> None:
    """Insert the rows the older warehouse can hold: its tables, its columns (not through
    load_batch, whose steps and integrity queries may name what a later migration adds)."""
    for table, staged in frames.items():
        columns = [name for (name,) in con.execute(
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
            [table]).fetchall()]
        if columns:
            con.from_arrow(staged.select(columns).to_arrow()).insert_into(table)


@pytest.mark.parametrize("version", [migration.version for migration in migrations()[:-1]])
def test_upgrade_from_every_earlier_version_keeps_data(tmp_path, version):
    path = tmp_path / "old.duckdb"
    old = connect(path)
    migrate(old, up_to=version)
    _write_as_an_older_release(old, batch())
    old.close()
    with open_warehouse(path) as upgraded:
        assert schema_version(upgraded) == migrations()[-1].version
        assert table_counts(upgraded)["articles"] == 1
        assert upgraded.execute("select count(*) from daily_entity_counts").fetchall() == [(1,)]
        assert upgraded.execute("select cluster_id from articles").fetchall() == [("a1",)]  # a cluster of one
        assert upgraded.execute("select story_count from stories_per_day").fetchall() == [(1,)]
        load_batch(upgraded, batch(article_id="a2", document_id="d2"))   # today's loader on the upgraded file
        assert table_counts(upgraded)["articles"] == 2


def test_loading_twice_is_idempotent(con):
    load_batch(con, batch())
    load_batch(con, batch())
    counts = table_counts(con)
    assert (counts["articles"], counts["entities"], counts["entity_mentions"], counts["documents"]) == (1, 1, 1, 1)
    assert seen_document_ids(con, ["d1", "d2"]) == {"d1"}


def test_replacing_an_article_replaces_its_children(con):
    load_batch(con, batch())
    newer = batch(document_id="d2", text="Presiden Tokayev berkata.")
    newer["entity_mentions"] = frame("entity_mentions", [dict(article_id="a1", entity_id="e1", start_offset=9, end_offset=16, surface="Tokayev")])
    load_batch(con, newer)
    assert con.execute("select text from articles").fetchall() == [("Presiden Tokayev berkata.",)]
    assert con.execute("select start_offset from entity_mentions").fetchall() == [(9,)]


def test_broken_foreign_key_rolls_back_the_whole_batch(con):
    bad = batch()
    bad["quotes"] = frame("quotes", [dict(quote_id="q", article_id="nope", text="x", start_offset=0, end_offset=1)])
    with pytest.raises(IntegrityError, match="children_without_article"):
        load_batch(con, bad)
    assert set(table_counts(con).values()) == {0}


def test_an_unknown_cluster_rolls_back_the_whole_batch(con):
    bad = batch()
    bad["articles"] = bad["articles"].with_columns(pl.lit("nope").alias("cluster_id"))
    with pytest.raises(IntegrityError, match="articles_with_unknown_cluster"):
        load_batch(con, bad)
    assert set(table_counts(con).values()) == {0}


def with_signature(frames: dict, band_keys: list[int]) -> dict:
    minhash = list(range(120))
    frames["article_signatures"] = frame("article_signatures", [dict(article_id="a1", minhash=minhash, band_keys=band_keys)])
    return frames


def test_signatures_are_found_by_any_shared_band(con):
    load_batch(con, with_signature(batch(), [-(2**63), 7, 2**63 - 1]))
    found = signatures_sharing_bands(con, [5, 2**63 - 1])
    assert found.select("article_id", "cluster_id").rows() == [("a1", "a1")]
    assert found["minhash"].to_list() == [list(range(120))]
    assert signatures_sharing_bands(con, [5]).height == 0 and signatures_sharing_bands(con, []).height == 0


def test_a_replaced_article_loses_its_old_signature(con):
    load_batch(con, with_signature(batch(), [7]))
    load_batch(con, batch(document_id="d2", text="Tokayev."))  # too short for a signature now
    assert table_counts(con)["article_signatures"] == 0


def test_rejects_upsert_on_document_and_reason(con):
    rejects = frame("rejects", [dict(document_id="d9", origin="a", reason="empty", detail="x", rejected_at=NOW)])
    load_batch(con, {"rejects": rejects})
    load_batch(con, {"rejects": rejects.with_columns(pl.lit("b").alias("origin"))})
    assert con.execute("select origin from rejects").fetchall() == [("b",)]


def test_views_count_days_in_utc(con):
    late_evening_utc = datetime(2025, 1, 14, 23, 30, tzinfo=UTC)
    load_batch(con, batch(published_at=late_evening_utc))
    con.execute("set TimeZone = 'Asia/Jakarta'")
    assert con.execute("select published_date from daily_entity_counts").fetchall()[0][0].isoformat() == "2025-01-14"


def test_export_writes_a_folder_per_table_with_articles_partitioned(tmp_path, con):
    load_batch(con, batch())
    con.close()
    written = export_parquet(tmp_path / "w.duckdb", tmp_path / "out")
    assert written["articles"] == 1
    assert (tmp_path / "out" / "articles" / "published_date=2025-01-14").is_dir()
    assert pq.read_table(tmp_path / "out" / "entities").num_rows == 1


KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from warehouse import io
    from test_warehouse import batch
    con = io.connect({path!r}); io.migrate(con)
    real_sql = io.sql
    def killing_sql(name):
        if name == "load/insert_children":  # articles are upserted, children not yet: die here
            os.kill(os.getpid(), signal.SIGKILL)
        return real_sql(name)
    io.sql = killing_sql
    io.load_batch(con, batch())
""")


def test_a_run_killed_mid_load_leaves_no_partial_rows(tmp_path):
    path = tmp_path / "w.duckdb"
    tests_dir = os.path.dirname(__file__)
    process = subprocess.run([sys.executable, "-c", KILLER.format(tests=tests_dir, path=str(path))], capture_output=True)
    assert process.returncode == -signal.SIGKILL
    with open_warehouse(path) as con:
        assert set(table_counts(con).values()) == {0}
        load_batch(con, batch())
        assert table_counts(con)["articles"] == 1


def test_existing_ids_looks_up_only_what_it_is_asked(con):
    load_batch(con, batch())
    assert existing_ids(con, "articles", {"a1", "zz"}) == {"a1"}
    assert existing_ids(con, "sources", {"s1"}) == {"s1"}
    assert existing_ids(con, "articles", set()) == set()
