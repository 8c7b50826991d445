"""Checks on staged ``sources`` rows (organisations: publishers and agencies).

A source row is shared by every article of its outlet, so its checks ``repair``: a bad field is
nulled (or the row dropped when the warehouse cannot hold the field null) with a warning, instead
of holding back every article that names the outlet.
"""
from __future__ import annotations

import polars as pl

from expectations.checks import (
    REPAIR, Check, StagedBatch, Suite, in_set, is_true, language_known, matches, not_null, unique_key,
)
from transforms.schemas import SOURCE_KINDS

CHECKS: tuple[Check, ...] = (
    not_null("source_id", REPAIR),
    unique_key("source_id", severity=REPAIR),
    not_null("kind", REPAIR),
    in_set("kind", SOURCE_KINDS, REPAIR, name="kind_known"),
    matches("country_code", r"^[A-Z]{2}$", REPAIR, name="country_code_alpha_2",
            description="country_code is null or two upper-case letters"),
    is_true("language_known", REPAIR, name="language_bcp47", show=("language",),
            description="language is null or a BCP 47 primary subtag: ISO 639-1, else ISO 639-3 (lower case)"),
)


def derive(frame: pl.DataFrame, batch: StagedBatch) -> pl.DataFrame:
    return frame.with_columns(language_known=language_known())


SUITE = Suite("sources", CHECKS, derive=derive, required=("source_id", "name", "domain", "kind"))
