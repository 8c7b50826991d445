"""The quality pages as a user sees them: opened from disk in headless Chromium (Debian's package, driven
by Playwright over a pipe, no port), styled, listing the runs, and asking nothing from outside file://.

Skipped when Chromium is not installed (``apt-get install chromium``); a failure under CI=true."""
from __future__ import annotations

import pytest

from tests.quality_runs import article_id, publish_two_runs

pytestmark = pytest.mark.browser

# What Chromium falls back to when no stylesheet applies.
DEFAULT_FONTS = ('"Times New Roman"', "Times New Roman", "serif")
TRANSPARENT = "rgba(0, 0, 0, 0)"


def styles(page, selector: str, *properties: str) -> dict[str, str]:
    return page.eval_on_selector(selector, "(e, ps) => Object.fromEntries(ps.map(p => [p, getComputedStyle(e)[p]]))",
                                 list(properties))


def assert_styled(page) -> None:
    font = styles(page, "body", "fontFamily")["fontFamily"]
    assert font.split(",")[0].strip() not in DEFAULT_FONTS, f"browser default font: {font}"
    cell = styles(page, "td", "borderTopStyle", "borderTopWidth")
    assert cell["borderTopStyle"] != "none" and cell["borderTopWidth"] != "0px", cell


def test_index_and_run_page_render_styled_offline(tmp_path, page):
    _, warned_page = publish_two_runs(tmp_path)
    page.goto((tmp_path / "index.html").as_uri())
    runs = page.locator("tbody tr")
    assert runs.count() == 2, f"the index lists {runs.count()} runs, not 2"
    assert_styled(page)
    assert runs.nth(0).locator("a").inner_text() == "run-warned"   # newest first
    assert styles(page, "td.warned", "backgroundColor")["backgroundColor"] != TRANSPARENT

    page.click("text=run-warned")
    assert page.url == warned_page.as_uri()
    assert_styled(page)
    warned = page.locator("tr.warned")
    assert warned.count() == 1 and "word_count_at_least_50" in warned.inner_text()
    assert article_id(2) in warned.locator("td.examples").inner_text()
    result = styles(page, "tr.warned td.result", "backgroundColor", "color")
    passed = styles(page, "tr.passed td.result", "backgroundColor", "color")
    assert TRANSPARENT not in (result["backgroundColor"], passed["backgroundColor"]) and result != passed

    outside = [url for url in page.requested if not url.startswith("file://")]
    assert not outside, f"requests left file://: {outside}"
    assert any(url.endswith("/quality.css") for url in page.requested)
