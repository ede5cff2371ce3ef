"""Browser fixtures: the app on a real HTTP server, Debian's Chromium with an iPad viewport, axe-core."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import make_unit

SCREENSHOTS = Path(__file__).parent.parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# WCAG 2.x A and AA, best practices, and the enhanced (7:1) contrast rule.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice", "wcag2aaa"]}}


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the test server, like gunicorn here, logs no client
        pass


@pytest.fixture
def live_server(app):
    """Serve the app over HTTP on a free loopback port, with both questionnaires open at one unit."""
    make_unit(app, questionnaires=("user", "staff"))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def ipad(browser, playwright_instance, live_server):
    """A fresh iPad-sized browser tab on the live server, set to Swedish like a municipality's iPad."""
    context = browser.new_context(**playwright_instance.devices["iPad (gen 7)"], base_url=live_server, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


def check_accessible(axe: Axe, page) -> None:
    """Fail with axe-core's report if the page has any violation."""
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
