"""How fresh ``core/articles`` should be when outlets are crawled on schedules: a new article can only
arrive with a crawl, so the longest wait between two crawls (of any outlet) sets the expectation."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, UTC

import dagster as dg
# Dagster's own cron iterator: it reads the schedules exactly as the scheduler will.
from dagster._utils.schedules import cron_string_iterator

from crawl.outlets import SourcesFile
from orchestration.defs.load import core_key

ARTICLES = core_key("articles")
# A crawl, the sensor noticing its archive and the load take this long at most before articles are new.
SLACK = timedelta(hours=1)
# Eight weeks from a Monday: every weekly pattern repeats in it; a rarer schedule's gap still shows,
# since each outlet's ticks run past the window, to at least two.
_WINDOW_START = datetime(2026, 1, 5, tzinfo=UTC)
_WINDOW = timedelta(weeks=8)


def longest_crawl_gap(schedules: Sequence[str]) -> timedelta:
    """The longest time with no crawl at all, the outlets crawling on ``schedules`` (cron, UTC)."""
    each = [_ticks(schedule) for schedule in schedules]
    complete_until = min(ticks[-1] for ticks in each)   # past it, a faster outlet's ticks were not listed
    ticks = sorted(tick for outlet_ticks in each for tick in outlet_ticks if tick <= complete_until)
    return max(later - earlier for earlier, later in zip(ticks, ticks[1:]))


def _ticks(schedule: str) -> list[datetime]:
    """``schedule``'s ticks from the window's start to the first past its end, at least two."""
    ticks = []
    for tick in cron_string_iterator(_WINDOW_START.timestamp(), schedule, "UTC"):
        ticks.append(tick)
        if tick > _WINDOW_START + _WINDOW and len(ticks) > 1:
            break
    return ticks


def crawl_freshness(sources: SourcesFile | None) -> dg.FreshnessPolicy | None:
    """Warn once the longest gap between crawls has passed with no new load, fail after a second
    (a crawl missed, or its archive never loaded); none without a sources file."""
    if sources is None or not sources.outlets:
        return None
    gap = longest_crawl_gap([outlet.schedule for outlet in sources.outlets])
    return dg.FreshnessPolicy.time_window(fail_window=2 * gap + SLACK, warn_window=gap + SLACK)


def with_crawl_freshness(assets: Sequence[dg.AssetsDefinition], sources: SourcesFile | None) -> list[dg.AssetsDefinition]:
    """``assets`` with ``core/articles`` given the crawls' freshness policy, when there are crawls."""
    policy = crawl_freshness(sources)
    if policy is None:
        return list(assets)
    return [asset.map_asset_specs(lambda spec: dg.apply_freshness_policy(spec, policy) if spec.key == ARTICLES else spec)
            if ARTICLES in asset.keys else asset for asset in assets]
