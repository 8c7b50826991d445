"""What the Dagster catalog shows of each asset: kinds, owner, layer, a description, the column schema."""
from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.defs.load import COLUMN_SCHEMA, core_key
from pipeline.config import Config
from transforms.schemas import REGISTRY


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


def test_the_suites_are_six_checks():
    assert len(asset_graph().asset_check_keys) == 6
