"""What the Dagster catalog shows of each asset: kinds, owner, layer, a description, the column schema,
and the freshness crawls promise."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.defs.freshness import ARTICLES, SLACK, longest_crawl_gap
from orchestration.defs.load import COLUMN_SCHEMA, core_key, suite_check_name
from orchestration.defs.outlet_health import CHECK_NAME as OUTLET_HEALTH_CHECK
from pipeline.config import Config, load_config
from transforms.schemas import REGISTRY, VALIDATED_TABLES

EXAMPLE = Path(__file__).resolve().parents[2] / "sources.example.toml"


def asset_graph():
    return build_definitions(Config(home=Path("/nonexistent/kabar"), warehouse=Path("/nonexistent/w.duckdb"))
                             ).resolve_asset_graph()


def test_every_asset_has_kinds_an_owner_a_layer_and_a_description():
    graph = asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert 1 <= len(node.kinds) <= 3, key
        assert node.owners == ["team:kabar"], key
        assert node.tags.get("layer") in {"ingest", "staging", "warehouse"}, key
        assert node.description, key
    assert graph.get(core_key("articles")).kinds == {"duckdb", "table"}
    assert "spacy" in graph.get(dg.AssetKey("staged_chunks")).kinds


def test_core_tables_carry_the_registry_columns_as_their_schema():
    graph = asset_graph()
    for table, registered in REGISTRY.items():
        schema = graph.get(core_key(table)).metadata[COLUMN_SCHEMA]
        assert isinstance(schema, dg.TableSchema)
        assert [column.name for column in schema.columns] == [column.name for column in registered.columns]
        assert graph.get(core_key(table)).description.startswith("One row per"), table   # what one row is


def test_the_checks_are_the_six_suites_and_the_outlet_health():
    names = sorted(key.name for key in asset_graph().asset_check_keys)
    assert names == sorted([*map(suite_check_name, VALIDATED_TABLES), OUTLET_HEALTH_CHECK])


def test_the_longest_gap_between_crawls_spans_weekends_and_merges_outlets():
    assert longest_crawl_gap(["5 */3 * * mon-fri"]) == timedelta(hours=51)   # Friday 21:05 to Monday 00:05
    assert longest_crawl_gap(["0 */6 * * *", "30 */6 * * *"]) == timedelta(hours=5, minutes=30)
    assert longest_crawl_gap(["0 0 1 1 *"]) == timedelta(days=365)   # rarer than the window: still one gap


def test_articles_are_expected_as_fresh_as_the_fastest_crawls_allow(monkeypatch):
    monkeypatch.setenv("KABAR_SOURCES", str(EXAMPLE))   # one outlet crawled every 20 minutes
    graph = build_definitions(load_config()).resolve_asset_graph()
    policy = graph.get(ARTICLES).freshness_policy
    assert policy.warn_window.to_timedelta() == timedelta(minutes=20) + SLACK
    assert policy.fail_window.to_timedelta() == timedelta(minutes=40) + SLACK
    assert [key for key in graph.get_all_asset_keys() if graph.get(key).freshness_policy] == [ARTICLES]


def test_no_sources_file_means_no_freshness_policy(monkeypatch):
    monkeypatch.delenv("KABAR_SOURCES", raising=False)
    graph = build_definitions(load_config()).resolve_asset_graph()
    assert not any(graph.get(key).freshness_policy for key in graph.get_all_asset_keys())
