"""Headless Chromium for the pages Kabar writes to disk: Debian's package, driven by Playwright over a pipe
(no port). Skipped when it is not installed (``apt-get install chromium``); a failure under CI=true."""
from __future__ import annotations

import shutil

import pytest

from tests.needs import missing


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        missing("no Chromium to open Kabar's pages in (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh page that records every URL it requests (any outside file:// is refused, not fetched) and
    every console error or uncaught exception (``page.problems``)."""
    context = chromium.new_context()
    context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    page = context.new_page()
    page.requested, page.problems = [], []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("console", lambda message: page.problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
