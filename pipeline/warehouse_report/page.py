"""The report as one HTML page: headline numbers, a section per chart with its SVG inline and its numbers
in a table, and the chart data as JSON (``#report-data``, not executed: tests and other tools read it).
Every value is escaped; the page refers to nothing but ``report.css`` beside it."""
from __future__ import annotations

import json
from datetime import datetime
from html import escape

from pipeline.warehouse_report.charts import Section, sections
from pipeline.warehouse_report.data import ReportData

STYLESHEET = "report.css"
# JSON inside <script> must not close it or open a comment: these characters become \u escapes.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def report_page(data: ReportData, *, made_at: datetime) -> str:
    stamp = escape(made_at.strftime("%Y-%m-%d %H:%M UTC"))
    if data.is_empty:
        body = ('<p class="empty">Nothing in the warehouse yet: no article and no rejected page. '
                "Run <code>kabar run</code>, then make the report again.</p>")
    else:
        body = _headline(data.headline) + "".join(_section(section) for section in sections(data))
    payload = json.dumps(data.to_json(), ensure_ascii=False, sort_keys=True).translate(_SCRIPT_SAFE)
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Kabar warehouse report</title><link rel="stylesheet" href="{STYLESHEET}"></head><body><main>'
            f'<h1>Kabar warehouse report</h1><p class="made">Made {stamp} from the warehouse as it was then.</p>'
            f'{body}<script type="application/json" id="report-data">{payload}</script></main></body></html>\n')


def _headline(numbers: dict) -> str:
    days = f"{numbers['first_day']} to {numbers['last_day']}" if numbers["first_day"] else "no dated article"
    counts = (("Articles", "articles"), ("Outlets", "outlets"), ("Entities", "entities"), ("Quotes", "quotes"),
              ("Rejected pages", "rejects"))
    cards = [f"<div><dt>{name}</dt><dd>{numbers[key]:,}</dd></div>" for name, key in counts]
    cards.insert(2, f'<div><dt>Published</dt><dd class="days">{escape(days)}</dd></div>')
    return f'<dl class="headline">{"".join(cards)}</dl>'


def _section(section: Section) -> str:
    figures = "".join(f'<figure class="chart">{chart}</figure>' for chart in section.figures)
    alerts = "".join(f"<li>{escape(alert)}</li>" for alert in section.alerts)
    if not section.rows:
        figures = '<p class="empty">Nothing to show yet.</p>'
    header = "".join(f"<th>{escape(name)}</th>" for name in section.headers)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(value)}</td>" for value in row) + "</tr>" for row in section.rows)
    table = (f"<details><summary>The numbers ({len(section.rows):,} rows)</summary><table><thead><tr>{header}</tr>"
             f"</thead><tbody>{rows}</tbody></table></details>" if section.rows else "")
    return (f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>'
            f'<p class="note">{escape(section.note)}</p>'
            + (f'<ul class="alerts">{alerts}</ul>' if alerts else "") + f"{figures}{table}</section>")


def _cell(value) -> str:
    return escape(f"{value:,}" if isinstance(value, int) else str(value))
