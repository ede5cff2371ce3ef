"""A user council tries the results page on a tablet or phone: big yes / partly / no buttons with pictograms,
every text heard, nothing cut off or too small, axe-core clean; a screenshot in
tests/screenshots/council-results-iPad.png."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, screenshot
from tests.council.test_council import make_link
from tests.results.test_results_browser import LAYOUT, PROFILES, context_for

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("profile", [p for p in PROFILES if not p.endswith("larger text")])
def test_the_council_says_what_it_understood(browser, playwright_instance, live_server, app, axe, profile):
    token = make_link(app)
    context = context_for(browser, playwright_instance, live_server, profile)
    page = context.new_page()
    try:
        page.goto(f"/council/{token}/results?lang=sv")
        expect(page.get_by_text("6 av 8 sa ja.").first).to_be_visible()
        page.wait_for_load_state("load")
        found = page.evaluate(LAYOUT)
        assert found["width"] <= found["viewport"], found
        assert (found["clipped"], found["overlapping"], found["outside"], found["small"]) == ([], [], [], []), found
        check_accessible(axe, page)
        asked = page.locator("form.council-ask").nth(1)  # the first question's
        expect(asked.locator("button[data-speak='Var det här lätt att förstå?']")).to_have_count(1)
        expect(asked.locator("img.icon")).to_have_count(3)
        asked.get_by_role("button", name="Delvis", exact=True).click()
        asked = page.locator("form.council-ask").nth(1)
        expect(asked.get_by_role("button", name="Delvis", exact=True)).to_have_attribute("aria-pressed", "true")
        expect(asked.get_by_role("status")).to_have_text("Tack! Det du sa är sparat.")
        check_accessible(axe, page)
        if profile == "iPad (gen 7)":  # one full-page picture: the page is long, and a phone's takes long to draw
            screenshot(page, "council-results-iPad")
    finally:
        context.close()
