"""What a suite is made of: named checks with a severity, written as plain data.

A :class:`Check` names one Great Expectations expectation by its class name and keyword
arguments, so suites can be read, listed and counted without importing GX (which costs seconds);
``expectations.validate`` turns them into GX objects only when it validates.

Severities (the article is the unit of failure: one bad page never blocks a batch):

* ``quarantine`` — a check about one article's rows (its ``articles`` row or a child row). The
  article of every failing row is held back: none of its rows load, and its document gets one
  ``rejects`` row per broken check (reason ``<table>.<check>``, the offending values in the detail).
* ``repair`` — a check on a row many articles share (``sources``): the bad field is nulled, or the
  row dropped when the field cannot be null, with a warning; no article is held back for it.
* ``error`` — a batch-wide problem: blocks the load. Only computed outcomes have it (staged columns
  that do not match the table, a check that could not run, too many articles quarantined).
* ``warn`` — informs.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import polars as pl

Severity = Literal["quarantine", "repair", "error", "warn"]
QUARANTINE: Severity = "quarantine"
REPAIR: Severity = "repair"
ERROR: Severity = "error"
WARN: Severity = "warn"
SEVERITIES: tuple[Severity, ...] = (QUARANTINE, REPAIR, ERROR, WARN)

# The GX severity each of ours is recorded with on its GX expectation.
GX_SEVERITY = {QUARANTINE: "warning", REPAIR: "warning", ERROR: "critical", WARN: "info"}

# Batch-level outcomes computed after GX has run (see expectations.validate).
BATCH_QUARANTINE_SHARE = "batch_quarantine_share"
STAGED_SCHEMA = "staged_columns_match"

_COLUMN_KWARGS = ("column", "column_A", "column_B")


def parameter(name: str) -> dict[str, str]:
    """A GX suite parameter, filled per validation run (``{"$PARAMETER": name}``)."""
    return {"$PARAMETER": name}


@dataclass(frozen=True)
class Check:
    """One expectation of a suite and what its failure means."""

    name: str
    severity: Severity
    expectation: str  # GX expectation class name, e.g. "ExpectColumnValuesToNotBeNull"
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    # Columns whose values describe a failing row in details and rejects (default: the
    # expectation's own columns; set it when the checked column is derived, e.g. a boolean).
    show: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.name}: unknown severity {self.severity!r}")
        if "$" in self.description:  # GX would read it as a template variable
            raise ValueError(f"{self.name}: describe the check without '$'")

    @property
    def columns(self) -> tuple[str, ...]:
        """The frame columns the expectation reads."""
        cols = [self.kwargs[k] for k in _COLUMN_KWARGS if k in self.kwargs]
        cols += list(self.kwargs.get("column_list", ()))
        return tuple(dict.fromkeys(cols))

    @property
    def shown_columns(self) -> tuple[str, ...]:
        return self.show or self.columns


@dataclass(frozen=True)
class StagedBatch:
    """Everything a suite's ``derive`` may look at besides its own frame."""

    frames: Mapping[str, pl.DataFrame]
    now: datetime
    known_article_ids: frozenset[str] = frozenset()
    known_source_ids: frozenset[str] = frozenset()

    def table(self, name: str) -> pl.DataFrame:
        from transforms.schemas import frame

        found = self.frames.get(name)
        return frame(name) if found is None else found


@dataclass(frozen=True)
class Suite:
    """A table's checks, plus how to prepare its frame for them.

    ``derive(frame, batch)`` returns the frame with any derived columns the checks read (it must
    keep the rows and their order: failed row indices refer to the input frame).
    ``parameters(batch)`` gives the values of the suite parameters (``parameter(name)``).
    ``required`` names the columns the warehouse cannot hold null: a ``repair`` check on one of them
    drops the row instead of nulling the field.
    """

    table: str
    checks: tuple[Check, ...]
    derive: Callable[[pl.DataFrame, StagedBatch], pl.DataFrame] | None = None
    parameters: Callable[[StagedBatch], dict[str, Any]] | None = None
    required: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [c.name for c in self.checks]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"{self.table}: duplicate check names {duplicates}")

    def check(self, name: str) -> Check:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"{self.table} has no check {name!r}")

# --- constructors that keep the suite files short -------------------------------------------


def not_null(column: str, severity: Severity = QUARANTINE, *, name: str | None = None) -> Check:
    return Check(name or f"{column}_not_null", severity, "ExpectColumnValuesToNotBeNull",
                 {"column": column}, f"{column} is never null")


def unique_key(*columns: str, name: str = "primary_key_unique", severity: Severity = QUARANTINE) -> Check:
    """Key unique within the batch (rows with a null key part are still compared)."""
    if len(columns) == 1:
        return Check(name, severity, "ExpectColumnValuesToBeUnique", {"column": columns[0]},
                     f"{columns[0]} is unique within the batch")
    return Check(name, severity, "ExpectCompoundColumnsToBeUnique",
                 {"column_list": list(columns), "ignore_row_if": "never"},
                 f"({', '.join(columns)}) is unique within the batch")


def in_set(column: str, values, severity: Severity = QUARANTINE, *, name: str | None = None,
           description: str = "") -> Check:
    """Value in ``values``; nulls pass (add ``not_null`` to forbid them)."""
    values = sorted(values)
    return Check(name or f"{column}_in_set", severity, "ExpectColumnValuesToBeInSet",
                 {"column": column, "value_set": values},
                 description or f"{column} is null or one of {', '.join(values)}")


def matches(column: str, regex: str, severity: Severity = QUARANTINE, *, name: str,
            description: str = "") -> Check:
    """Value matches ``regex`` (``re.search``); nulls pass."""
    return Check(name, severity, "ExpectColumnValuesToMatchRegex",
                 {"column": column, "regex": regex},
                 description or f"{column} matches {regex}")


def between(column: str, min_value=None, max_value=None, severity: Severity = QUARANTINE, *,
            name: str, description: str = "") -> Check:
    """min_value ≤ value ≤ max_value (either bound may be None or a suite parameter); nulls pass."""
    kwargs: dict[str, Any] = {"column": column}
    if min_value is not None:
        kwargs["min_value"] = min_value
    if max_value is not None:
        kwargs["max_value"] = max_value
    return Check(name, severity, "ExpectColumnValuesToBeBetween", kwargs,
                 description or f"{column} between {min_value} and {max_value}")


def is_true(column: str, severity: Severity = QUARANTINE, *, name: str, show: tuple[str, ...],
            description: str) -> Check:
    """A derived boolean column is true on every row (a null counts as a failure)."""
    return Check(name, severity, "ExpectColumnValuesToBeInSet",
                 {"column": column, "value_set": [True]}, description, show)


def pair_equal(column_a: str, column_b: str, severity: Severity = QUARANTINE, *, name: str,
               show: tuple[str, ...] = (), description: str = "") -> Check:
    """column_a == column_b on every row; a null on either side fails."""
    return Check(name, severity, "ExpectColumnPairValuesToBeEqual",
                 {"column_A": column_a, "column_B": column_b, "ignore_row_if": "neither"},
                 description or f"{column_a} equals {column_b}", show)


def a_greater_than_b(column_a: str, column_b: str, severity: Severity = QUARANTINE, *, name: str,
                     or_equal: bool = False, description: str = "") -> Check:
    """column_a > column_b (≥ with ``or_equal``); rows where either is null are skipped."""
    return Check(name, severity, "ExpectColumnPairValuesAToBeGreaterThanB",
                 {"column_A": column_a, "column_B": column_b, "or_equal": or_equal,
                  "ignore_row_if": "either_value_is_missing"},
                 description or f"{column_a} {'>=' if or_equal else '>'} {column_b}")


# --- derived columns (polars): what GX cannot see in one frame ----------------------------------


def article_known(batch: StagedBatch, column: str = "article_id") -> pl.Expr:
    """Boolean: the row's ``column`` is the id of a staged article or one already in the warehouse."""
    ids = batch.table("articles").get_column("article_id").drop_nulls().to_list()
    known = set(ids) | set(batch.known_article_ids)
    known_ids = pl.Series(list(known), dtype=pl.String).implode()
    return pl.col(column).is_in(known_ids).fill_null(False)


def language_known(column: str = "language") -> pl.Expr:
    """Boolean: ``column`` is null or a language code Kabar stores (``transforms.languages``)."""
    from transforms.languages import language_subtags

    known = pl.Series(sorted(language_subtags()), dtype=pl.String).implode()
    return (pl.col(column).is_null() | pl.col(column).is_in(known)).fill_null(False)


def resolves_article(*, name: str = "article_id_resolves") -> Check:
    return is_true("has_article", name=name, show=("article_id",),
                   description="article_id is a staged article or one already loaded")



def with_article_slice(
    frame: pl.DataFrame, batch: StagedBatch, *, compare_to: str
) -> pl.DataFrame:
    """Add ``sliced_text`` = the staged article's ``text[start_offset:end_offset]``.

    It is null when the offsets do not satisfy 0 ≤ start < end ≤ len(text) (so the pair check
    fails). Rows whose article is not in this batch (already loaded) cannot be checked: their
    ``sliced_text`` is set to ``compare_to`` so the pair check passes them.
    Offsets count Unicode code points, as Python's ``str`` indexing does.
    """
    texts = (
        batch.table("articles")
        .select("article_id", pl.col("text").alias("_article_text"),
                pl.lit(True).alias("_article_staged"))
        .drop_nulls("article_id")
        .unique("article_id", keep="first", maintain_order=True)
    )
    start, end, text = pl.col("start_offset"), pl.col("end_offset"), pl.col("_article_text")
    in_range = (start >= 0) & (end > start) & (end <= text.str.len_chars())
    joined = frame.join(texts, on="article_id", how="left", maintain_order="left")
    return joined.with_columns(
        sliced_text=pl.when(pl.col("_article_staged").is_null())
        .then(pl.col(compare_to))
        .when(in_range.fill_null(False))
        .then(text.str.slice(start, end - start))
    ).drop("_article_text", "_article_staged")


def offsets_checks(compare_to: str) -> tuple[Check, ...]:
    """0 ≤ start_offset < end_offset, and the offsets slice ``compare_to`` out of the article."""
    return (
        not_null("start_offset"),
        not_null("end_offset"),
        between("start_offset", 0, None, name="start_offset_non_negative",
                description="start_offset ≥ 0"),
        a_greater_than_b("end_offset", "start_offset", name="end_offset_after_start",
                         description="end_offset > start_offset"),
        pair_equal("sliced_text", compare_to, name=f"offsets_slice_{compare_to}",
                   show=("article_id", "start_offset", "end_offset", compare_to, "sliced_text"),
                   description=f"article text[start_offset:end_offset] == {compare_to} "
                               "(for articles staged in this batch)"),
    )
