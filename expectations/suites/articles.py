"""Checks on staged ``articles`` rows."""
from __future__ import annotations

from datetime import datetime, timedelta, UTC

import polars as pl

from expectations.checks import (
    REJECT_ROW, WARN, Check, StagedBatch, Suite, article_known, between, in_set, is_true, matches,
    not_null, parameter, unique_key,
)
from transforms.schemas import DATE_PRECISIONS

# ISO 639-1: the 184 two-letter language codes (= pycountry's languages with an alpha_2; a unit
# test keeps the two in step). Kept literal so the check does not move with a library release.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia
id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo
lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl
ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti
tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

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
    in_set("language", ISO_639_1, name="language_iso_639_1",
           description="language is null or an ISO 639-1 code (lower case)"),
    between("published_at", EARLIEST_PUBLISHED_AT, parameter("max_published_at"), REJECT_ROW,
            name=PUBLISHED_AT_IN_RANGE,
            description="published_at is null or between 1990-01-01 and now + 1 day"),
    not_null("text", REJECT_ROW, name=TEXT_NOT_NULL),
    matches("text", r"\S", REJECT_ROW, name=TEXT_NOT_BLANK,
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
    return frame.with_columns(has_cluster=article_known(batch, "cluster_id"))


SUITE = Suite("articles", CHECKS, derive=derive, parameters=parameters)
