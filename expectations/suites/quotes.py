"""Checks on staged ``quotes`` rows (direct quotes, their span and speaker)."""
from __future__ import annotations

import polars as pl

from expectations.checks import (
    Check, StagedBatch, Suite, article_known, is_true, not_null, offsets_checks,
    resolves_article, unique_key, with_article_slice,
)

CHECKS: tuple[Check, ...] = (
    not_null("quote_id"),
    not_null("article_id"),
    unique_key("quote_id"),
    *offsets_checks("text"),
    resolves_article(),
    is_true("has_speaker_entity", name="speaker_entity_id_resolves", show=("speaker_entity_id",),
            description="speaker_entity_id is null or a staged entity id"),
)


def derive(frame: pl.DataFrame, batch: StagedBatch) -> pl.DataFrame:
    entity_ids = batch.table("entities").get_column("entity_id").drop_nulls().unique()
    speaker = pl.col("speaker_entity_id")
    return with_article_slice(frame, batch, compare_to="text").with_columns(
        has_article=article_known(batch),
        has_speaker_entity=speaker.is_null() | speaker.is_in(entity_ids.implode()),
    )


SUITE = Suite("quotes", CHECKS, derive=derive)
