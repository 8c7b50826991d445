"""Connect, migrate, load and read the DuckDB warehouse.

All SQL lives in ``migrations/`` and ``sql/`` and is loaded by name; values are bound parameters
and staged frames are registered as Arrow views, so no data is ever formatted into SQL.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import duckdb
import polars as pl

from transforms.schemas import LOAD_ORDER, REGISTRY, TABLES
from warehouse.busy import retry_while_busy
from transforms.syndication import STORED

_PACKAGE = files("warehouse")
_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_LOAD_STEPS = ("clear_resolved_rejects", "supersede_replaced_articles", "delete_replaced_children", "upsert_sources",
               "upsert_articles", "insert_children", "upsert_article_signatures", "upsert_rejects", "insert_documents")


class IntegrityError(RuntimeError):
    """The batch would break the warehouse's keys; the transaction was rolled back."""


class SchemaMismatchError(RuntimeError):
    """The staged columns do not fit the warehouse's tables (a migration is missing); nothing was loaded."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def sql(name: str) -> str:
    """The text of ``sql/<name>.sql`` (``name`` may contain a folder, e.g. ``read/table_columns``)."""
    return (_PACKAGE / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def migrations() -> list[Migration]:
    """The ordered migrations shipped with this version (``NNN_name.sql``)."""
    found = []
    for entry in (_PACKAGE / "migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda migration: migration.version)


def connect(path: Path | str, *, read_only: bool = False, wait_seconds: float = 0.0,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (creating its folder) with UTC as the session time zone. DuckDB lets one
    process hold the file: while another does (a load, a query), retry for up to ``wait_seconds``
    (``retry_while_busy``), then raise ``Busy`` naming the holder."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)

    def attempt() -> tuple[duckdb.DuckDBPyConnection | None, str | None]:
        try:
            return duckdb.connect(str(path), read_only=read_only), None
        except duckdb.IOException as error:
            holder = _lock_holder(str(error))
            if holder is None:
                raise
            return None, holder

    con = retry_while_busy(attempt, wait_seconds=wait_seconds, what=f"the warehouse {path}", on_wait=on_wait)
    con.execute("set TimeZone = 'UTC'")
    return con


def _lock_holder(message: str) -> str | None:
    """Who holds the file, from DuckDB's lock error ("… (PID 4242) …"): the process's command line
    where it can be read; None when the error is not about the lock."""
    if "Could not set lock" not in message:
        return None
    found = _LOCK_PID.search(message)
    if not found:
        return "another process"
    pid = found.group(1)
    try:
        command = " ".join(Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ").split())
    except OSError:
        command = ""
    return f"PID {pid}" + (f": {command[:160]}" if command else "")


@contextmanager
def open_warehouse(path: Path | str, *, read_only: bool = False, wait_seconds: float = 0.0,
                   on_wait: Callable[[str], None] | None = None):
    """A migrated connection, closed on exit so the file lock is released promptly."""
    con = connect(path, read_only=read_only, wait_seconds=wait_seconds, on_wait=on_wait)
    try:
        if not read_only:
            migrate(con)
        yield con
    finally:
        con.close()


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for a new file."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection, *, up_to: int | None = None) -> list[int]:
    """Apply pending migrations in order, each in its own transaction; returns the versions applied."""
    con.execute(
        "create table if not exists schema_version (version integer primary key, name varchar not null, "
        "applied_at timestamptz not null default current_timestamp)"
    )
    current = schema_version(con)
    applied = []
    for migration in migrations():
        if migration.version <= current or (up_to is not None and migration.version > up_to):
            continue
        con.execute("begin transaction")
        try:
            con.execute(migration.sql)
            con.execute("insert into schema_version (version, name) values (?, ?)", [migration.version, migration.name])
            con.execute("commit")
        except Exception:
            _rollback(con)
            raise
        applied.append(migration.version)
    return applied


def load_batch(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pl.DataFrame]) -> dict[str, int]:
    """Write one run's staged frames in a single transaction.

    Child rows of replaced articles are deleted first, then everything is upserted, then the
    integrity queries run; any violation rolls the whole batch back, so the warehouse is either
    as before or fully loaded.
    """
    missing = missing_columns(con)
    if missing:
        raise SchemaMismatchError("the warehouse lacks staged columns: " + ", ".join(missing))
    for table in LOAD_ORDER:
        frame = frames.get(table)
        if frame is None:
            frame = pl.DataFrame(schema=TABLES[table])
        con.register(f"staged_{table}", frame.select(list(TABLES[table])).to_arrow())
    con.execute("begin transaction")
    try:
        for step in _LOAD_STEPS:
            con.execute(sql(f"load/{step}"))
        violations = integrity_violations(con)
        if violations:
            raise IntegrityError("; ".join(f"{name}: {count} rows" for name, count in violations.items()))
        con.execute("commit")
    except Exception:
        _rollback(con)
        raise
    finally:
        for table in LOAD_ORDER:
            con.unregister(f"staged_{table}")
    return {table: frames[table].height for table in LOAD_ORDER if table in frames}


def missing_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``table.column`` of every staged column the warehouse file does not have."""
    present = set(con.execute(sql("read/table_columns"), {"tables": list(LOAD_ORDER)}).fetchall())
    return [f"{table}.{column}" for table in LOAD_ORDER for column in TABLES[table] if (table, column) not in present]


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back, keeping the error that made us: when the failure was the commit itself or the disk
    (DuckDB has then ended the transaction), a second error would hide the real one ("No space
    left on device" behind "cannot rollback - no transaction is active")."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass


def integrity_violations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every integrity query that returns rows (an empty dict means sound)."""
    found = {}
    for entry in sorted((_PACKAGE / "sql" / "integrity").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            rows = con.execute(entry.read_text(encoding="utf-8")).fetchall()
            if rows:
                found[entry.name.removesuffix(".sql")] = len(rows)
    return found


def seen_document_ids(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> set[str]:
    """Which of these documents are already committed."""
    if not document_ids:
        return set()
    rows = con.execute(sql("read/seen_documents"), {"document_ids": document_ids}).fetchall()
    return {row[0] for row in rows}


def stored_publication_times(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> pl.DataFrame:
    """``article_id, published_at`` of already loaded articles among ``article_ids``."""
    schema = {"article_id": pl.String, "published_at": TABLES["articles"]["published_at"]}
    if not article_ids:
        return pl.DataFrame(schema=schema)
    rows = con.execute(sql("read/stored_publication_times"), {"article_ids": article_ids}).fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def signatures_sharing_bands(con: duckdb.DuckDBPyConnection, band_keys: list[int]) -> pl.DataFrame:
    """``article_id, cluster_id, minhash`` of loaded articles with any of these LSH band keys."""
    if not band_keys:
        return pl.DataFrame(schema=STORED)
    rows = con.execute(sql("read/signatures_sharing_bands"), {"band_keys": band_keys}).fetchall()
    return pl.DataFrame(rows, schema=STORED, orient="row")


def all_documents(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every committed document (for ``kabar run --reprocess``)."""
    rows = con.execute(sql("read/all_documents")).fetchall()
    return pl.DataFrame(rows, schema=TABLES["documents"], orient="row")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of each registered table, in registry order (a table name cannot be a bound
    parameter, so each count goes through the relational API rather than SQL text)."""
    return {table: con.table(table).count("*").fetchone()[0] for table in REGISTRY}


def existing_ids(con: duckdb.DuckDBPyConnection, table: str, ids: set[str]) -> set[str]:
    """Which of ``ids`` are already in ``articles`` or ``sources`` (for foreign-key checks)."""
    if not ids:
        return set()
    query = {"articles": "read/existing_article_ids", "sources": "read/existing_source_ids"}[table]
    return {row[0] for row in con.execute(sql(query), {"ids": sorted(ids)}).fetchall()}
