"""The quality pages as HTML: every value escaped, styled by ``quality.css`` beside the index, no script
and no URL outside the folder (article URLs are shown as text, not fetched or linked)."""
from __future__ import annotations

from datetime import UTC
from html import escape

from pipeline.quality_pages.history import RUNS
from pipeline.quality_pages.record import FAILED, PASSED, WARNED, ExpectationRecord, RunRecord, TableRecord

_LEGEND = (f'<p class="legend"><span class="{PASSED}">{PASSED}</span> '
           f'<span class="{WARNED}">{WARNED}</span>: rows loaded, mended or only noted '
           f'<span class="{FAILED}">{FAILED}</span>: articles held back, or the load blocked</p>')


def index_page(records: list[RunRecord]) -> str:
    """Every kept load, newest first (``records`` are in that order)."""
    rows = "".join(
        f'<tr><td>{_time(r)}</td><td><a href="{RUNS}/{escape(r.run_id)}.html">{escape(r.run_id)}</a></td>'
        f"<td>{_tables(r)}</td>{_counts(r)}</tr>" for r in records)
    kept = "1 load" if len(records) == 1 else f"{len(records)} loads"
    body = (f"<h1>Kabar quality</h1><p>{kept} kept, newest first.</p>{_LEGEND}"
            "<table><thead><tr><th>Run time (UTC)</th><th>Run id</th><th>Tables (rows checked)</th>"
            f"<th>Passed</th><th>Failed</th><th>Warned</th></tr></thead><tbody>{rows}</tbody></table>")
    return _document("Kabar quality", "quality.css", body)


def run_page(record: RunRecord) -> str:
    """One load: a section per table with a row per expectation."""
    summary = "".join(f'<span class="{status}">{record.count(status)} {status}</span> '
                      for status in (PASSED, FAILED, WARNED))
    body = (f'<p><a href="../index.html">All loads</a></p><h1>Load {escape(record.run_id)}</h1>'
            f"<p>{_time(record)} UTC · {record.rows} rows checked · {summary}</p>{_LEGEND}"
            + "".join(_section(table) for table in record.tables))
    return _document(f"Kabar quality: {record.run_id}", "../quality.css", body)


def _section(table: TableRecord) -> str:
    rows = "".join(_expectation_row(e) for e in table.expectations)
    return (f'<section id="{escape(table.table)}"><h2>{escape(table.table)}</h2><p>{table.rows} rows checked</p>'
            "<table><thead><tr><th>Expectation</th><th>Severity</th><th>Description</th><th>Result</th>"
            f"<th>Failing rows</th><th>Examples</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _expectation_row(e: ExpectationRecord) -> str:
    detail = "" if e.success else f'<p class="detail">{escape(e.detail)}</p>'
    examples = "".join(f"<li><code>{escape(key or '(no id)')}</code>"
                       + (f'<br><span class="url">{escape(link)}</span>' if link else "") + "</li>"
                       for key, link in e.examples)
    return (f'<tr class="{e.status}"><td class="name"><code>{escape(e.name)}</code></td><td>{escape(e.severity)}</td>'
            f"<td>{escape(e.description)}{detail}</td><td class=\"result\">{e.status}</td>"
            f"<td>{e.unexpected_count} of {e.element_count}</td>"
            f"<td class=\"examples\">{f'<ul>{examples}</ul>' if examples else ''}</td></tr>")


def _counts(record: RunRecord) -> str:
    counts = {status: record.count(status) for status in (PASSED, FAILED, WARNED)}
    return "".join(f'<td class="{status}">{n}</td>' if n else "<td>0</td>" for status, n in counts.items())


def _tables(record: RunRecord) -> str:
    return ", ".join(f"{escape(t.table)} ({t.rows})" for t in record.tables if t.rows) or "none"


def _time(record: RunRecord) -> str:
    return escape(record.run_time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"))


def _document(title: str, stylesheet: str, body: str) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="stylesheet" href="{stylesheet}"></head>'
            f"<body><main>{body}</main></body></html>\n")
