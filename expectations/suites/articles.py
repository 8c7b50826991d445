"""Checks on staged ``articles`` rows."""
from __future__ import annotations

from datetime import datetime, timedelta, UTC

import polars as pl

from expectations.checks import (
    WARN, Check, StagedBatch, Suite, a_greater_than_b, article_known, between, in_set, is_true, language_known,
    matches, not_null, parameter, unique_key,
)
from transforms.schemas import DATE_PRECISIONS

EARLIEST_PUBLISHED_AT = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
MIN_WORD_COUNT = 50

PUBLISHED_AT_IN_RANGE = "published_at_in_range"
TEXT_NOT_NULL = "text_not_null"
TEXT_NOT_BLANK = "text_not_blank"

CHECKS: tuple[Check, ...] = (
    not_null("article_id"),
    not_null("document_id"),
    unique_key("article_id"),
    is_true("language_known", name="language_bcp47", show=("language",),
            description="language is null or a BCP 47 primary subtag: ISO 639-1, else ISO 639-3 (lower case)"),
    between("published_at", EARLIEST_PUBLISHED_AT, parameter("max_published_at"),
            name=PUBLISHED_AT_IN_RANGE,
            description="published_at is null or between 1990-01-01 and now + 1 day"),
    # A wrong modification time is a flaw of one field, not of the article: reported, never held back.
    between("modified_at", EARLIEST_PUBLISHED_AT, parameter("max_published_at"), WARN, name="modified_at_in_range",
            description="modified_at is null or between 1990-01-01 and now + 1 day"),
    a_greater_than_b("modified_at", "published_at", WARN, or_equal=True, name="modified_at_not_before_published_at",
                     description="modified_at is null or not before published_at"),
    not_null("text", name=TEXT_NOT_NULL),
    matches("text", r"\S", name=TEXT_NOT_BLANK,
            description="text has a non-whitespace character"),
    between("word_count", MIN_WORD_COUNT, None, WARN, name="word_count_at_least_50",
            description=f"word_count is at least {MIN_WORD_COUNT}"),
    in_set("published_at_precision", DATE_PRECISIONS, name="published_at_precision_known"),
    matches("content_sha256", r"^[0-9a-f]{64}$", name="content_sha256_hex",
            description="content_sha256 is null or 64 lower-case hex digits"),
    not_null("cluster_id"),
    is_true("has_cluster", name="cluster_id_resolves", show=("article_id", "cluster_id"),
            description="cluster_id is the article_id of a staged article or one already loaded"),
)


def parameters(batch: StagedBatch) -> dict:
    return {"max_published_at": batch.now + FUTURE_SLACK}


def derive(frame: pl.DataFrame, batch: StagedBatch) -> pl.DataFrame:
    return frame.with_columns(has_cluster=article_known(batch, "cluster_id"), language_known=language_known())


SUITE = Suite("articles", CHECKS, derive=derive, parameters=parameters)
