"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium: `sudo apt-get install chromium`)
against pytest-django's live_server; axe-core (npm, node_modules/) checks each main page's accessibility.
Without them these tests skip with a message saying what is missing, and fail under CI (the CI variable,
or CIVICFUND_REQUIRE_POSTGRES=1 as .ci/run sets)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("CIVICFUND_REQUIRE_POSTGRES", "") in {"1", "true", "yes"}


def _missing(what: str):
    message = f"browser tests need {what}, which is missing here"
    if _required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM)
    if not AXE.exists():
        _missing("node_modules/axe-core (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    """The live server with the preset platforms (a transactional test before may have flushed them)."""
    from platforms.models import Area, Category, Platform
    from platforms.presets import presets_load

    presets_load(Platform, Category, Area)
    return live_server


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_check(page, name: str) -> None:
    """No serious or critical accessibility violation on this page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: {bad}"


def shot(page, name: str) -> None:
    """A full-page screenshot. Into docs/screenshots (the README's pictures) only when
    CIVICFUND_SCREENSHOTS=1, so an ordinary test run leaves the checkout clean."""
    folder = (
        SCREENSHOTS
        if os.environ.get("CIVICFUND_SCREENSHOTS") == "1"
        else Path(tempfile.gettempdir()) / "civicfund-shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def is_rtl(page) -> bool:
    return page.evaluate("() => document.documentElement.dir") == "rtl"


JALALI = re.compile(r"(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}")
