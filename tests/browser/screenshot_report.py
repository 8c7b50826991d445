"""The README's screenshot of ``kabar report`` (docs/report.png): the report opened in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright) 1200 px wide, its top 2000 px.

    KABAR_HOME=/tmp/kh-shot .venv/bin/kabar run -q && KABAR_HOME=/tmp/kh-shot .venv/bin/kabar report \\
        && .venv/bin/python -m tests.browser.screenshot_report /tmp/kh-shot/report/report.html docs/report.png
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

WIDTH, HEIGHT = 1200, 2000


def screenshot(page: Path, png: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True)
        tab = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        tab.goto(page.resolve().as_uri())
        tab.screenshot(path=str(png), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
        browser.close()


if __name__ == "__main__":
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
