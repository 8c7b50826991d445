"""Checks on staged ``article_sources`` rows (which organisations an article names, and how)."""
from __future__ import annotations

import polars as pl

from expectations.checks import (
    Check, StagedBatch, Suite, article_known, in_set, is_true, not_null, resolves_article,
    unique_key,
)
from transforms.schemas import SOURCE_ROLES

CHECKS: tuple[Check, ...] = (
    not_null("article_id"),
    not_null("source_id"),
    unique_key("article_id", "source_id", "role"),
    not_null("role"),
    in_set("role", SOURCE_ROLES, name="role_known"),
    resolves_article(),
    is_true("has_source", name="source_id_resolves", show=("source_id",),
            description="source_id is a staged source or one already loaded"),
)


def derive(frame: pl.DataFrame, batch: StagedBatch) -> pl.DataFrame:
    staged = batch.table("sources").get_column("source_id").drop_nulls().to_list()
    known = pl.Series(list(set(staged) | set(batch.known_source_ids)), dtype=pl.String)
    return frame.with_columns(
        has_article=article_known(batch),
        has_source=pl.col("source_id").is_in(known.implode()).fill_null(False),
    )


SUITE = Suite("article_sources", CHECKS, derive=derive)
