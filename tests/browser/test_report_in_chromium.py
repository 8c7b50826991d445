"""``kabar report`` as a user sees it: report.html opened from disk in headless Chromium (Debian's package,
driven by Playwright over a pipe, no port), styled by report.css, every chart drawn, at a desktop's width
and a phone's, with no console error and nothing asked from outside file://.

Skipped when Chromium is not installed (``apt-get install chromium``); a failure under CI=true."""
from __future__ import annotations

import pytest

from pipeline.warehouse_report import read_report, write_report
from tests import report_warehouse as known

pytestmark = pytest.mark.browser

DEFAULT_FONTS = ('"Times New Roman"', "Times New Roman", "serif")   # what Chromium uses without a stylesheet
CHARTS = 10
SIZES = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def report(kabar_home, tmp_path):
    warehouse = known.build(kabar_home / "warehouse.duckdb")
    return write_report(read_report(warehouse), tmp_path / "report")


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_report_renders_styled_with_every_chart_offline(page, report, size):
    page.set_viewport_size(size)
    page.goto(report.as_uri())
    font = page.eval_on_selector("body", "e => getComputedStyle(e).fontFamily")
    assert font.split(",")[0].strip() not in DEFAULT_FONTS, f"browser default font: {font}"
    assert page.eval_on_selector("figure.chart", "e => getComputedStyle(e).borderTopStyle") == "solid"
    charts = page.locator("figure.chart svg")
    assert charts.count() == CHARTS
    for index in range(CHARTS):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert chart.is_visible() and box["width"] > 300 and box["height"] > 50, (index, box)
    assert page.locator("h2", has_text="Outlet extraction health").is_visible()
    assert known.BETA in page.locator("#outlet_rejects").inner_text()   # shown as text, not run
    assert not page.problems, page.problems
    outside = [url for url in page.requested if not url.startswith("file://")]
    assert not outside, f"requests left file://: {outside}"
    assert any(url.endswith("/report.css") for url in page.requested)
