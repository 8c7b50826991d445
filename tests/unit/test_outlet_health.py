"""The outlet degradation rule on generated months: a template change is told on its field and day,
noisy stable outlets are not."""
from __future__ import annotations

import random
import statistics
from datetime import date, timedelta

import polars as pl
import pytest

from transforms.outlet_health import BASELINE_DAYS, FIELDS, degradations

START = date(2026, 11, 1)
CHANGE_DAY = START + timedelta(days=15)
HEALTHY = {"title_share": 0.98, "author_share": 0.9, "published_at_share": 0.95}


def outlet_month(outlet: str, rng: random.Random, *, per_day=(5, 15), days=30, broken: str | None = None,
                 change: date = CHANGE_DAY) -> list[dict]:
    """One outlet's ``days`` of outlet_daily_health rows, from generated articles: each has a title,
    author and date with the healthy shares and ~600 words; from ``change`` on, ``broken`` is lost."""
    rows = []
    for offset in range(days):
        day = START + timedelta(days=offset)
        articles = rng.randint(*per_day)
        degraded = broken if day >= change else None
        row = {"outlet": outlet, "day": day, "articles": articles}
        for field, share in HEALTHY.items():
            row[field] = 0.0 if field == degraded else sum(rng.random() < share for _ in range(articles)) / articles
        words = [max(30, int(rng.gauss(120, 40) if degraded == "median_word_count" else rng.gauss(600, 150))) for _ in range(articles)]
        row["median_word_count"] = float(statistics.median(words))
        rows.append(row)
    return rows


def frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"outlet": pl.String, "day": pl.Date, "articles": pl.Int64,
                                      **{field: pl.Float64 for field in FIELDS}})


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("per_day", [(3, 3), (5, 15)])
def test_a_template_change_is_told_on_its_field_and_first_day(field, per_day):
    rng = random.Random(7)
    rows = outlet_month("Changed Daily", rng, per_day=per_day, broken=field)
    rows += outlet_month("Steady Post", rng) + outlet_month("Calm Herald", rng, per_day=(1, 4))
    found = degradations(frame(rows))
    assert [(d.outlet, d.field, d.since) for d in found] == [("Changed Daily", field, CHANGE_DAY)]
    assert found[0].value < found[0].baseline
    assert "Changed Daily" in found[0].describe() and FIELDS[field] in found[0].describe()


@pytest.mark.parametrize("seed", range(6))
def test_stable_outlets_with_daily_noise_raise_nothing(seed):
    rng = random.Random(seed)
    rows = [row for index, per_day in enumerate([(1, 3), (3, 8), (5, 15), (20, 60)])
            for row in outlet_month(f"Outlet {index}", rng, per_day=per_day, days=60)]
    assert degradations(frame(rows)) == []


def test_a_change_older_than_the_recent_window_is_no_longer_told():
    rng = random.Random(3)
    early = START + timedelta(days=10)
    rows = outlet_month("Old Break", rng, days=60, broken="author_share", change=early)
    assert degradations(frame(rows), recent_days=60)[0].since == early
    assert degradations(frame(rows)) == []   # accepted as the outlet's normal after BASELINE_DAYS


def test_a_degradation_is_told_for_at_most_the_baseline_window():
    rows = outlet_month("Broken Times", random.Random(5), days=60, broken="title_share")
    (episode,) = degradations(frame(rows), recent_days=60)
    assert episode.since == CHANGE_DAY and (episode.last - episode.since).days < BASELINE_DAYS


def test_too_little_past_is_no_baseline():
    rows = outlet_month("New Outlet", random.Random(1), days=4, per_day=(2, 2), broken="author_share",
                        change=START + timedelta(days=3))
    assert degradations(frame(rows)) == []


def test_days_without_articles_or_a_day_are_ignored():
    rows = outlet_month("Gappy", random.Random(2), broken="author_share")
    rows = [row for index, row in enumerate(rows) if index % 3] + [
        {"outlet": "Gappy", "day": None, "articles": 4, **HEALTHY, "median_word_count": 10.0},
        {"outlet": "Rejects only", "day": START, "articles": 0, **{field: None for field in FIELDS}}]
    found = degradations(frame(rows))
    assert [(d.outlet, d.field) for d in found] == [("Gappy", "author_share")]
    assert found[0].since >= CHANGE_DAY


def test_an_empty_warehouse_has_none():
    assert degradations(frame([])) == []
