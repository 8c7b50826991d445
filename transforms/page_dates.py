"""When the page says the article was published and last modified.

The page's own metadata comes first (JSON-LD, meta tags, then microdata and ``<time>`` markup), and
a modified time is never read as the published one. When the metadata holds no date at all,
htmldate's search of the page (its URL first) finds the day: 6 of the 276 gold pages had none in
their metadata (two Korean, one Russian, one German, two New York Times pages), and htmldate dates
all six. The visible text may then only add a time to a day already found: the first date written
anywhere in a page is as often a sidebar's or a related story's as the article's (two of the four
wrong days on the even Fundus pages came from it).
"""
from __future__ import annotations

import htmldate
from lxml.html import HtmlElement

from transforms.dates import DAY, PageTime, best_page_time, find_written_time, parse_page_time
from transforms.metadata import PageMetadata, read_markup_dates, read_markup_modified

# Visible text searched for a time of the known day: the article's head is near the top.
_TEXT_WINDOW = 20_000
# htmldate's search reads at most this much of a page: on the 276 gold pages (28 longer than this)
# cutting there changes no date, and on a 9 MB page its full search took 4 s.
HTMLDATE_MAX_CHARS = 500_000


def published_time(meta: PageMetadata, tree: HtmlElement, html: str, url: str | None) -> PageTime | None:
    """The publication time: metadata, then markup, then htmldate's day; a day refined to a time by
    the visible text only when the text writes that same day."""
    found = best_page_time(meta.published)
    if found is None or found.precision == DAY:
        found = best_page_time(meta.published + read_markup_dates(tree))
    if found is None:
        found = _htmldate_day(tree if len(html) <= HTMLDATE_MAX_CHARS else html[:HTMLDATE_MAX_CHARS], url)
    if found is None or found.precision != DAY:
        return found
    written = parse_page_time(find_written_time(_visible_text(tree), found.value.date()))
    if written is not None and written.precision != DAY:
        return written
    return found


def _htmldate_day(page: HtmlElement | str, url: str | None) -> PageTime | None:
    """htmldate's day for the page (its URL's date first); not its January 1st, which is its guess from
    a copyright notice or a lone year ("© 2025"), not a day the page gives."""
    found = parse_page_time(htmldate.find_date(page, url=url, extensive_search=True, original_date=True))
    if found is None or (found.value.month, found.value.day) == (1, 1):
        return None
    return found


def modified_time(meta: PageMetadata, tree: HtmlElement) -> PageTime | None:
    """The page's last-modified time from dateModified and its kin (JSON-LD and meta tags, then the
    markup, scanned only when those are silent), None when the page is silent."""
    return best_page_time(meta.modified) or best_page_time(read_markup_modified(tree))


def _visible_text(tree: HtmlElement) -> str:
    body = tree.find("body")
    root = body if body is not None else tree
    return " ".join(" ".join(root.itertext()).split())[:_TEXT_WINDOW]
