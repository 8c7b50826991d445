"""A generated month of two outlets' pages through `kabar run`: the outlet whose template drops its
byline halfway is warned about on that field and day, in the run summary and the Dagster check; the
other outlet, which leaves a byline out now and then, is not; `kabar report` names it too; the view
counts what was loaded."""
from __future__ import annotations

import json
import random
from datetime import date, timedelta

import dagster as dg

from orchestration.cli import main
from orchestration.defs.outlet_health import CHECK_NAME
from tests.e2e.test_run_in_the_catalog import check_evaluations
from tests.pages import write_inputs
from warehouse.io import open_warehouse

START, DAYS, PER_DAY = date(2026, 10, 1), 28, 3
CHANGE = START + timedelta(days=16)
WORDS = ("harbour council budget river school market election rain bridge festival hospital train farmers "
         "minister court museum library teachers prices housing").split()


def page(rng: random.Random, site: str, domain: str, day: date, number: int, *, byline: bool) -> str:
    """A page of ``site`` on ``day``: its own headline and body, a byline only when ``byline``."""
    title = f"{' '.join(rng.sample(WORDS, 4)).capitalize()} on day {day.day} ({number})"
    body = "".join(f"<p>{' '.join(rng.choices(WORDS, k=40)).capitalize()}.</p>" for _ in range(6))
    author = rng.choice(["Maya Putri", "John Carter", "Ana Silva"])
    meta = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "datePublished": f"{day.isoformat()}T0{number}:15:00+00:00", "url": f"https://{domain}/{day}/{number}",
            **({"author": {"@type": "Person", "name": author}} if byline else {})}
    by = f"<p class='byline'>By {author}</p>" if byline else ""
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"<meta property='og:site_name' content='{site}'>"
            f"<script type='application/ld+json'>{json.dumps(meta)}</script></head><body>"
            f"<article><h1>{title}</h1>{by}{body}</article></body></html>")


def month_of_pages(folder):
    rng = random.Random(11)
    pages = {}
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        for number in range(PER_DAY):
            pages[f"changed_{offset}_{number}__html"] = page(rng, "Changing Courier", "changing-courier.com", day,
                                                             number, byline=day < CHANGE)
            pages[f"steady_{offset}_{number}__html"] = page(rng, "Steady Gazette", "steady-gazette.com", day,
                                                            number, byline=rng.random() > 0.1)
    return write_inputs(folder, **pages)


def test_a_template_change_halfway_through_a_month_is_warned_on_its_field_and_day(kabar_home, tmp_path, capsys):
    assert main(["run", "-q", str(month_of_pages(tmp_path / "month"))]) == 0
    summary = capsys.readouterr().out
    [line] = [line for line in summary.splitlines() if CHECK_NAME in line]
    assert "warning" in line and f"Changing Courier: author 0% vs 100% since {CHANGE}" in line
    assert "Steady Gazette" not in line
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs(filters=dg.RunsFilter(job_name="kabar_run_job"))
        [check] = [e for e in check_evaluations(instance, run.run_id) if e.asset_check_key.name == CHECK_NAME]
        assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
        assert check.metadata["degradations"].value == 1 and check.metadata["outlets_checked"].value == 2
    with open_warehouse(kabar_home / "warehouse.duckdb", read_only=True) as con:
        rows = con.sql("select outlet, count(*), sum(articles), min(title_share), min(published_at_share) "
                       "from outlet_daily_health group by outlet order by outlet").fetchall()
        changed = con.execute("select day, author_share from outlet_daily_health where outlet = 'Changing Courier' "
                              "and day in (?, ?) order by day", [CHANGE - timedelta(days=1), CHANGE]).fetchall()
    assert main(["report", "--out", str(tmp_path / "report")]) == 0
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert f"Degraded: Changing Courier: author 0% vs 100% since {CHANGE}" in page and "Degraded: Steady" not in page
    assert rows == [("Changing Courier", DAYS, DAYS * PER_DAY, 1.0, 1.0), ("Steady Gazette", DAYS, DAYS * PER_DAY, 1.0, 1.0)]
    assert changed == [(CHANGE - timedelta(days=1), 1.0), (CHANGE, 0.0)]
