"""Checks on staged ``entities`` rows (one row per entity per article)."""
from __future__ import annotations

import polars as pl

from expectations.checks import (
    Check, StagedBatch, Suite, article_known, between, in_set, matches, not_null,
    resolves_article, unique_key,
)
from transforms.schemas import ENTITY_TYPES

CHECKS: tuple[Check, ...] = (
    not_null("article_id"),
    not_null("entity_id"),
    unique_key("article_id", "entity_id"),
    not_null("type"),
    in_set("type", ENTITY_TYPES, name="type_known"),
    between("mention_count", 1, None, name="mention_count_positive",
            description="mention_count is at least 1"),
    matches("country_code", r"^[A-Z]{2}$", name="country_code_alpha_2",
            description="country_code is null or two upper-case letters"),
    between("latitude", -90, 90, name="latitude_in_range", description="latitude is null or within [-90, 90]"),
    between("longitude", -180, 180, name="longitude_in_range", description="longitude is null or within [-180, 180]"),
    resolves_article(),
)


def derive(frame: pl.DataFrame, batch: StagedBatch) -> pl.DataFrame:
    return frame.with_columns(has_article=article_known(batch))


SUITE = Suite("entities", CHECKS, derive=derive)
