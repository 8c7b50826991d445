"""Checks on staged ``entity_mentions`` rows (each mention's span in its article's text)."""
from __future__ import annotations

import polars as pl

from expectations.checks import (
    Check, StagedBatch, Suite, article_known, is_true, not_null, offsets_checks,
    resolves_article, unique_key, with_article_slice,
)

CHECKS: tuple[Check, ...] = (
    not_null("article_id"),
    not_null("entity_id"),
    unique_key("article_id", "start_offset", "end_offset"),
    *offsets_checks("surface"),
    resolves_article(),
    is_true("has_entity", name="entity_id_resolves", show=("article_id", "entity_id"),
            description="(article_id, entity_id) is a staged entity of that article"),
)


def derive(frame: pl.DataFrame, batch: StagedBatch) -> pl.DataFrame:
    pairs = (
        batch.table("entities").select("article_id", "entity_id").drop_nulls().unique()
        .with_columns(has_entity=pl.lit(True))
    )
    return (
        with_article_slice(frame, batch, compare_to="surface")
        .join(pairs, on=["article_id", "entity_id"], how="left", maintain_order="left")
        .with_columns(pl.col("has_entity").fill_null(False), has_article=article_known(batch))
    )


SUITE = Suite("entity_mentions", CHECKS, derive=derive)
