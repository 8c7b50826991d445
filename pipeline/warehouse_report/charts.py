"""From the report's rows to its sections: each chart's SVG and the table of the numbers it draws (for a
screen reader, or to read an exact value). A chart with no rows has no SVG; its section says so."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pipeline.warehouse_report import svg
from pipeline.warehouse_report.data import TOP_ENTITIES, TOP_OUTLETS, TOP_SPEAKERS, ReportData, Row
from transforms.outlet_health import BASELINE_DAYS

OTHER_OUTLETS = "other outlets"   # as warehouse/sql/report/articles_per_day.sql names the rest
HEALTH_SHARES = (("title_share", "Articles with a title (not just the site's name)"),
                 ("author_share", "Articles with an author"),
                 ("published_at_share", "Articles with a publication date"))


@dataclass(frozen=True)
class Section:
    key: str   # the section's id and the chart data it draws (``ReportData.charts``)
    title: str
    note: str   # what the chart shows and how it was counted
    headers: tuple[str, ...]   # the numbers' table
    rows: list[tuple]
    figures: list[str] = field(default_factory=list)   # SVGs; none when there is nothing to draw
    alerts: list[str] = field(default_factory=list)   # lines to read before the charts


def sections(data: ReportData) -> list[Section]:
    charts = data.charts
    return [_articles_per_day(charts["articles_per_day"], data.headline["undated_articles"]),
            _languages(charts["languages"]), _top_entities(charts["top_entities"]),
            _top_speakers(charts["top_speakers"]), _agency_citations(charts["agency_citations"]),
            _outlet_health(charts["outlet_health"], data.degraded), _outlet_rejects(charts["outlet_rejects"])]


def _articles_per_day(rows: list[Row], undated: int) -> Section:
    key, title = "articles_per_day", "Articles per day"
    note = (f"Articles per UTC publication day, stacked by outlet: the {TOP_OUTLETS} outlets with the most "
            f"articles, the rest as '{OTHER_OUTLETS}'.")
    if undated:
        note += f" {undated:,} articles without a publication date are not counted."
    section = Section(key, title, note, ("Day", "Outlet", "Articles"),
                      [(r["day"], r["outlet"], r["articles"]) for r in rows])
    if rows:
        counts = {(date.fromisoformat(r["day"]), r["outlet"]): r["articles"] for r in rows}
        series = _by_total(rows, "outlet", "articles")
        series.sort(key=lambda name: name == OTHER_OUTLETS)   # stable: the rest last, the others by total
        section.figures.append(svg.day_columns(key, title, note, counts, series, axis="articles"))
    return section


def _languages(rows: list[Row]) -> Section:
    return _single_bars("languages", "Languages", "Articles per detected language ('unknown' when none was "
                        "detected).", rows, "language", "articles", "Language")


def _top_speakers(rows: list[Row]) -> Section:
    return _single_bars("top_speakers", "Top speakers", f"The {TOP_SPEAKERS} speakers with the most direct quotes "
                        "attributed to them.", rows, "speaker", "quotes", "Speaker")


def _single_bars(key: str, title: str, note: str, rows: list[Row], label: str, value: str, header: str) -> Section:
    section = Section(key, title, note, (header, value.capitalize()), [(r[label], r[value]) for r in rows])
    if rows:
        section.figures.append(svg.horizontal_bars(key, title, note, [r[label] for r in rows], [value],
                                                   [[r[value]] for r in rows], axis=value))
    return section


def _top_entities(rows: list[Row]) -> Section:
    key, title = "top_entities", "Top entities"
    note = f"The {TOP_ENTITIES} people, organisations and places mentioned in the most articles, coloured by type."
    section = Section(key, title, note, ("Entity", "Type", "Articles"), [(r["name"], r["type"], r["articles"]) for r in rows])
    if rows:
        types = list(dict.fromkeys(r["type"] for r in rows))
        values = [[r["articles"] if kind == r["type"] else 0 for kind in types] for r in rows]
        section.figures.append(svg.horizontal_bars(key, title, note, [r["name"] for r in rows], types, values,
                                                   axis="articles mentioning it"))
    return section


def _agency_citations(rows: list[Row]) -> Section:
    return _crossed_bars("agency_citations", "Agency citations per outlet", "How often each outlet cites or "
                         "credits each news agency, over all days.", rows, ("outlet", "agency", "citations"),
                         ("Outlet", "Agency", "Citations"))


def _outlet_rejects(rows: list[Row]) -> Section:
    return _crossed_bars("outlet_rejects", "Rejected pages per outlet", "Pages held back instead of loaded, per "
                         "outlet (by its domain) and reason, over all days.", rows, ("outlet", "reason", "rejects"),
                         ("Outlet", "Reason", "Rejects"))


def _crossed_bars(key: str, title: str, note: str, rows: list[Row], columns: tuple[str, str, str],
                  headers: tuple[str, str, str]) -> Section:
    """A bar per value of the first column, stacked by the second, most first."""
    label, part, value = columns
    section = Section(key, title, note, headers, [tuple(r[c] for c in columns) for r in rows])
    if rows:
        labels, parts = _by_total(rows, label, value), _by_total(rows, part, value)
        found = {(r[label], r[part]): r[value] for r in rows}
        values = [[found.get((name, kind), 0) for kind in parts] for name in labels]
        section.figures.append(svg.horizontal_bars(key, title, note, labels, parts, values, axis=value))
    return section


def _outlet_health(rows: list[Row], degraded: list[Row]) -> Section:
    key, title = "outlet_health", "Outlet extraction health"
    note = ("Per outlet and UTC day (fetched, else published): the share of its articles that kept each field a "
            "changed page template loses first, and their median words. A pale cell in a dark row is a day to look at; "
            f"the outlets the check outlet_extraction_health warns about (a field clearly below the outlet's trailing "
            f"{BASELINE_DAYS}-day baseline, in the last {BASELINE_DAYS} days of data) are named first.")
    section = Section(key, title, note, ("Outlet", "Day", "Articles", "Title", "Author", "Date", "Median words"),
                      [(r["outlet"], r["day"], r["articles"], *(_percent(r[c]) for c, _ in HEALTH_SHARES),
                        _words(r["median_word_count"])) for r in rows],
                      alerts=[f"Degraded: {d['description']}" for d in degraded])
    outlets = sorted({r["outlet"] for r in rows}, key=str.casefold)
    most = max((r["median_word_count"] or 0 for r in rows), default=0)
    maps = [(column, label, 1.0, _percent) for column, label in HEALTH_SHARES]
    maps.append(("median_word_count", "Median words per article", most, _words))
    for column, label, maximum, shown in maps:
        cells = {(r["outlet"], date.fromisoformat(r["day"])): r[column] for r in rows if r[column] is not None}
        if cells:
            desc = f"{label}, per outlet (rows) and UTC day (columns); darker is higher, up to {shown(maximum)}."
            section.figures.append(svg.heatmap(f"{key}-{column}", f"{title}: {label.lower()}", desc, cells, outlets,
                                               maximum=maximum, shown=shown, heading=label))
    return section


def _by_total(rows: list[Row], column: str, value: str) -> list[str]:
    """The values of ``column``, the largest sum of ``value`` first (ties by name)."""
    totals = Counter()
    for row in rows:
        totals[row[column]] += row[value]
    return sorted(totals, key=lambda name: (-totals[name], name))


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def _words(words: float | None) -> str:
    return "" if words is None else f"{words:,.0f}"
