"""The outlet degradation rule's error rates on generated outlet-months (``transforms.outlet_health``):
false alarms on stable outlets, and how often a lost field is dated to the day it was lost.

    .venv/bin/python -m bench.outlet_health
"""
from __future__ import annotations

import random

from tests.unit.test_outlet_health import CHANGE_DAY, frame, outlet_month
from transforms.outlet_health import FIELDS, degradations

STABLE_VOLUMES = [(1, 3), (3, 8), (5, 15), (20, 60)]   # articles a day
CHANGED_VOLUMES = [(1, 2), (3, 3), (5, 15)]


def outlet_health_figures(seeds: int = 300, changes: int = 100) -> None:
    print("Outlet extraction health (generated outlet-months; never asserted)")
    alarms = 0
    for seed in range(seeds):
        rng = random.Random(seed)
        rows = [row for index, volume in enumerate(STABLE_VOLUMES)
                for row in outlet_month(f"Outlet {index}", rng, per_day=volume, days=60)]
        alarms += len(degradations(frame(rows), recent_days=60))
    print(f"  false alarms     {alarms} in {seeds * len(STABLE_VOLUMES):,} stable outlet-months of 60 days")
    for volume in CHANGED_VOLUMES:
        for field in FIELDS:
            dated = missed = 0
            for seed in range(changes):
                found = [d for d in degradations(frame(outlet_month("Changed", random.Random(seed), per_day=volume,
                                                                    broken=field))) if d.field == field]
                dated += bool(found) and found[0].since == CHANGE_DAY
                missed += not found
            print(f"  {volume[0]}-{volume[1]} a day, {FIELDS[field]:<17} right day {dated}/{changes}, missed {missed}")
    print()


if __name__ == "__main__":
    outlet_health_figures()
