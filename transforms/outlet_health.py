"""When an outlet's extraction degrades: a day whose shares fall clearly below the outlet's own recent past.

A changed page template does not fail a run: titles turn into the site's name, bylines or dates vanish,
bodies shrink, and every page still loads. This compares each outlet's day (``outlet_daily_health``)
with its trailing baseline, field by field:

- the baseline of day d is the outlet's days in [d - 14, d - 1] that were not themselves flagged for
  the field, when they hold at least 3 days and 20 articles; else all its days in that window (after two
  weeks of a changed template the new state is the outlet's normal: a degradation is told for up to
  ``BASELINE_DAYS``, then accepted);
- a run of days below the baseline by a clear margin (a share ``MIN_DROP`` lower; a median body under
  ``LENGTH_RATIO`` of the baseline days' median median) is told when its days together could hardly
  come from the baseline: the binomial chance of as few articles with the field is under ``ALPHA`` (the
  baseline share Laplace-smoothed, so one article without a byline after a clean fortnight is no
  alarm), or, for the body length, the short days hold ``MIN_LENGTH_ARTICLES`` articles. The run is
  dated from its first day that looks like the rest of it rather than like the baseline.

Measured on generated outlet-months (``python -m bench.outlet_health``, the generator of
tests/unit/test_outlet_health.py over 300 seeds): 4 alarms in 1,200 stable outlet-months of 60 days
(1-60 articles a day, shares 0.9-0.98, body lengths N(600, 150)); a lost field dated to the right day
in 100/100 months at 5-15 articles a day, 97-100/100 at 3 a day, and 2/3 at 1-2 a day (where 14 days
often hold too few articles for a baseline).
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace
from datetime import date, timedelta

import polars as pl

BASELINE_DAYS = 14
MIN_BASELINE_DAYS, MIN_BASELINE_ARTICLES = 3, 20
MIN_DROP = 0.2
ALPHA = 1e-5
MIN_LENGTH_ARTICLES, LENGTH_RATIO = 5, 0.5

SHARES = {"title_share": "title", "author_share": "author", "published_at_share": "publication date"}
LENGTH = "median_word_count"
FIELDS = {**SHARES, LENGTH: "body length"}


@dataclass(frozen=True)
class Degradation:
    """An outlet's field that fell below its baseline: from ``since`` to ``last`` (days flagged in a row)."""

    outlet: str
    field: str   # a column of outlet_daily_health
    since: date
    last: date
    value: float   # the field on ``since``
    baseline: float   # the baseline it was held against on ``since``

    def describe(self) -> str:
        shown = f"{self.value:.0f} vs {self.baseline:.0f} words" if self.field == LENGTH \
            else f"{self.value:.0%} vs {self.baseline:.0%}"
        days = f"since {self.since}" + (f" (last {self.last})" if self.last != self.since else "")
        return f"{self.outlet}: {FIELDS[self.field]} {shown} {days}"


def degradations(health: pl.DataFrame, *, recent_days: int = BASELINE_DAYS) -> list[Degradation]:
    """The degradations of ``health`` (rows of outlet_daily_health: outlet, day, articles and the
    fields) still flagged within the last ``recent_days`` days of the data, oldest first."""
    days = health.filter(pl.col("day").is_not_null() & (pl.col("articles") > 0))
    if days.is_empty():
        return []
    cutoff = days["day"].max() - timedelta(days=recent_days - 1)
    found = []
    for (outlet,), rows in days.sort("day").group_by("outlet", maintain_order=True):
        for field in FIELDS:
            found += [episode for episode in _episodes(outlet, field, rows) if episode.last >= cutoff]
    return sorted(found, key=lambda episode: (episode.since, episode.outlet, episode.field))


@dataclass
class _Day:
    """One outlet's day, as the rule sees one field of it."""

    day: date
    articles: int
    value: float | None
    baseline: tuple[float, int] | None   # (the baseline's value, the articles behind it)
    flagged: bool = False


def _episodes(outlet: str, field: str, rows: pl.DataFrame) -> list[Degradation]:
    """Runs of days of one outlet's ``field`` below its baseline whose pooled evidence is clear. A run
    is told from its first day, so a slow outlet's break is dated right once a few days confirm it."""
    history: list[_Day] = []
    episodes: list[Degradation] = []
    run: list[_Day] = []   # the current run of days below their baseline
    for day, articles, value in rows.select("day", "articles", field).iter_rows():
        today = _Day(day, articles, value, _baseline(field, history, day))
        history.append(today)
        if today.value is None or today.baseline is None or not _dropped(field, today.value, today.baseline[0]):
            run = []
            continue
        run = _onset(field, [*run, today])
        if not _clear(field, run):
            continue
        for member in run:
            member.flagged = True
        first = run[0]
        if episodes and episodes[-1].since == first.day:
            episodes[-1] = replace(episodes[-1], last=day)
        else:
            episodes.append(Degradation(outlet, field, first.day, day, first.value, first.baseline[0]))
    return episodes


def _onset(field: str, run: list[_Day]) -> list[_Day]:
    """The run from its first day that looks like the rest of it rather than like its baseline: a noisy
    low day just before a template change is not its start."""
    while len(run) > 1 and run[0].value > (run[0].baseline[0] + _pooled(field, run[1:])) / 2:
        run = run[1:]
    return run


def _pooled(field: str, days: list[_Day]) -> float:
    """The days' value taken together: the articles-weighted share, or the median of the medians."""
    if field == LENGTH:
        return statistics.median(entry.value for entry in days)
    return sum(entry.articles * entry.value for entry in days) / sum(entry.articles for entry in days)


def _baseline(field: str, history: list[_Day], day: date) -> tuple[float, int] | None:
    """The baseline of ``field`` on ``day`` and the articles behind it; None without enough past."""
    window = []
    for entry in reversed(history):   # history is oldest first: walk back only as far as the window
        if entry.day < day - timedelta(days=BASELINE_DAYS):
            break
        if entry.day < day and entry.value is not None:
            window.append(entry)
    for days in ([entry for entry in window if not entry.flagged], window):
        articles = sum(entry.articles for entry in days)
        if len(days) >= MIN_BASELINE_DAYS and articles >= MIN_BASELINE_ARTICLES:
            return _pooled(field, days), articles
    return None


def _dropped(field: str, value: float, expected: float) -> bool:
    """The day is below its baseline by the margin that matters (evidence aside)."""
    if field == LENGTH:
        return value < LENGTH_RATIO * expected
    return expected - value >= MIN_DROP


def _clear(field: str, run: list[_Day]) -> bool:
    """The run's days together could hardly come from the baseline: for a share, the binomial chance of
    as few articles with the field (baseline share Laplace-smoothed) is under ``ALPHA``; for the body
    length, the short days hold at least ``MIN_LENGTH_ARTICLES`` articles."""
    articles = sum(member.articles for member in run)
    if field == LENGTH:
        return articles >= MIN_LENGTH_ARTICLES
    expected, behind = run[0].baseline
    having = sum(round(member.articles * member.value) for member in run)
    return _binomial_cdf(having, articles, (expected * behind + 1) / (behind + 2)) < ALPHA


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed in log space (n may be thousands)."""
    log_p, log_q = math.log(p), math.log1p(-p)
    return sum(math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q)
               for i in range(k + 1))
