"""On the unit's iPad in tablet mode: a person taps "Visa resultaten" on the start page, sees and hears the
results, taps back to the questionnaire; the iPad stays in tablet mode until staff type the PIN."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, log_in, screenshot
from tests.helpers import make_account
from tests.results.test_results_browser import LAYOUT
from tests.results.test_results_tablet import released_last_year

pytestmark = pytest.mark.browser


def test_the_tablet_shows_the_results_and_goes_back_to_the_questionnaire(ipad, axe, app):
    released_last_year(app)
    log_in(ipad, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    ipad.goto("/staff/tablet")
    ipad.get_by_label("Verksamhet och enkät").select_option(index=1)  # the user questionnaire
    ipad.get_by_label("PIN-kod för att lämna surfplatteläget").fill("2468")
    ipad.get_by_role("button", name="Starta surfplatteläget").click()
    ipad.get_by_role("button", name="Svenska", exact=True).click()
    ipad.get_by_role("button", name="Visa resultaten", exact=True).click()
    expect(ipad.get_by_text("6 av 8 sa ja.")).to_be_visible()
    ipad.wait_for_load_state("load")
    found = ipad.evaluate(LAYOUT)
    assert found["width"] <= found["viewport"], found
    assert (found["clipped"], found["overlapping"], found["outside"], found["small"]) == ([], [], [], []), found
    check_accessible(axe, ipad)
    screenshot(ipad, "results-on-the-tablet")
    ipad.get_by_role("link", name="Tillbaka till enkäten").first.click()
    expect(ipad.get_by_role("button", name="Svenska", exact=True)).to_be_visible()  # the start page again
    ipad.goto("/staff/")
    expect(ipad.get_by_role("heading", name="Logga in")).to_be_visible()  # staff were logged out
    ipad.goto("/tablet")
    ipad.get_by_role("link", name="Personal: lämna surfplatteläget").click()
    ipad.get_by_label("PIN-kod").fill("2468")
    ipad.get_by_role("button", name="Lämna surfplatteläget").click()
    expect(ipad.get_by_role("heading", name="Logga in")).to_be_visible()
