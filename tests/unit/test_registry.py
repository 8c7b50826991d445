"""The table registry (transforms.schemas) holds the migrations' tables, and only it lists them."""
import ast
from pathlib import Path

import polars as pl
import pytest

from expectations.suites import SUITES
from transforms.schemas import LOAD_ORDER, REGISTRY, UTC_TIME, VALIDATED_TABLES, Column
from warehouse.io import open_warehouse

ROOT = Path(__file__).resolve().parents[2]
# Packages that must take their table lists from the registry; orchestration and pipeline join
# once their rewrite lands.
SCANNED_PACKAGES = ("transforms", "warehouse", "expectations", "evaluation", "pipeline", "orchestration")
REGISTRY_MODULE = ROOT / "transforms" / "schemas.py"
# The staged dtypes' DuckDB types (a column's ``stored_as`` overrides its dtype's).
DUCKDB_TYPES = (
    (pl.String, "VARCHAR"),
    (pl.Int64, "BIGINT"),
    (pl.Float64, "DOUBLE"),
    (pl.Boolean, "BOOLEAN"),
    (UTC_TIME, "TIMESTAMP WITH TIME ZONE"),
    (pl.List(pl.String), "VARCHAR[]"),
    (pl.List(pl.UInt32), "UINTEGER[]"),
    (pl.List(pl.Int64), "BIGINT[]"),
)
# Kept by warehouse.io.migrate itself, not by a migration.
BOOKKEEPING_TABLES = {"schema_version"}


@pytest.fixture(scope="module")
def con():
    with open_warehouse(":memory:") as connection:
        yield connection


def duckdb_type(column: Column) -> str | None:
    if column.stored_as:
        return column.stored_as
    return next((name for dtype, name in DUCKDB_TYPES if dtype == column.dtype), None)


def test_the_migrations_create_the_registered_tables(con):
    tables = {name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE'"
    ).fetchall()}
    assert tables - BOOKKEEPING_TABLES == set(REGISTRY)


@pytest.mark.parametrize("table", list(REGISTRY))
def test_columns_and_types_match_the_migrations(con, table):
    found = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'main' and table_name = ? order by ordinal_position", [table]).fetchall()
    assert found == [(column.name, duckdb_type(column)) for column in REGISTRY[table].columns]


@pytest.mark.parametrize("table", list(REGISTRY))
def test_the_key_is_declared_by_the_migrations(con, table):
    declared = {tuple(columns) for (columns,) in con.execute(
        "select constraint_column_names from duckdb_constraints() "
        "where table_name = ? and constraint_type in ('PRIMARY KEY', 'UNIQUE')", [table]).fetchall()}
    assert REGISTRY[table].key in declared


@pytest.mark.parametrize("table", VALIDATED_TABLES)
def test_the_suite_checks_the_key_within_a_batch(table):
    keys = [check.columns for check in SUITES[table].checks if check.name == "primary_key_unique"]
    assert keys == [REGISTRY[table].key]


@pytest.mark.parametrize("table", list(REGISTRY))
def test_the_table_and_every_column_are_described(table):
    entry = REGISTRY[table]
    assert entry.name == table and entry.description.strip()
    assert [column.name for column in entry.columns if not column.description.strip()] == []


@pytest.mark.parametrize("table", [name for name, entry in REGISTRY.items() if entry.parent])
def test_a_parent_loads_first_and_its_key_is_referenced(table):
    entry, parent = REGISTRY[table], REGISTRY[REGISTRY[table].parent]
    assert parent.load_order < entry.load_order
    assert set(parent.key) <= {column.name for column in entry.columns}


def test_load_order_is_a_strict_order_of_every_table():
    assert sorted(entry.load_order for entry in REGISTRY.values()) == list(range(len(REGISTRY)))
    assert set(LOAD_ORDER) == set(REGISTRY)


def table_name_lists(source: str) -> list[int]:
    """Lines of list, tuple and set literals that spell out three or more registered table names."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.List | ast.Tuple | ast.Set)
            and sum(isinstance(e, ast.Constant) and e.value in REGISTRY for e in node.elts) >= 3]


def test_the_scan_finds_a_spelled_out_list():
    assert table_name_lists('A = ("articles", "documents", "rejects")\nB = [*A, "quotes", "sources", "entities"]') == [1, 2]
    assert table_name_lists('C = ("articles", "documents", "elsewhere")') == []


@pytest.mark.parametrize("package", SCANNED_PACKAGES)
def test_only_the_registry_lists_tables(package):
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / package).rglob("*.py"))
             if path != REGISTRY_MODULE for line in table_name_lists(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("table", list(REGISTRY))
def test_columns_and_table_carry_the_registry_descriptions_as_comments(con, table):
    found = con.execute("select column_name, comment from duckdb_columns() where schema_name = 'main' "
                        "and table_name = ? order by column_index", [table]).fetchall()
    assert found == [(column.name, column.description) for column in REGISTRY[table].columns]
    assert con.execute("select comment from duckdb_tables() where table_name = ?", [table]).fetchone() == (
        REGISTRY[table].description,)
