"""Staff in a browser: log in, put the iPad into tablet mode, two people answer one after the other."""
import re

import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, log_in, screenshot
from tests.helpers import make_account

pytestmark = pytest.mark.browser


def test_staff_pages_pass_axe(ipad, axe, app):
    ipad.goto("/staff/login")
    check_accessible(axe, ipad)
    log_in(ipad, make_account(app, "administrator"))
    for path in ("/staff/", "/staff/tablet", "/admin/", "/admin/units/new", "/admin/rounds/new", "/admin/accounts/new"):
        ipad.goto(path)
        check_accessible(axe, ipad)
    ipad.goto("/staff/")
    screenshot(ipad, "staff-overview")


def test_tablet_mode_person_after_person(ipad, axe, app):
    log_in(ipad, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    ipad.goto("/staff/tablet")
    ipad.get_by_label("Verksamhet och enkät").select_option(index=1)  # the user questionnaire (staff is index 0)
    ipad.get_by_label("PIN-kod för att lämna surfplatteläget").fill("2468")
    ipad.get_by_role("button", name="Starta surfplatteläget").click()
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    for person in ("first", "second"):
        ipad.get_by_role("button", name="Svenska", exact=True).click()
        ipad.get_by_role("button", name="Börja", exact=True).click()
        ipad.get_by_role("button", name="Ja", exact=True).click()
        if person == "first":
            for _ in questions[1:]:
                ipad.locator("button.step.next").click()
            expect(ipad.get_by_role("link", name="Nästa person")).to_be_visible()
            check_accessible(axe, ipad)
            screenshot(ipad, "tablet-thanks")
            ipad.go_back()  # the next person presses the browser's back button
            expect(ipad.locator("h1")).to_have_text("Din enkät är avslutad.")
            expect(ipad.get_by_role("button", name=re.compile("ditt svar"))).to_have_count(0)
            ipad.goto("/tablet")
        else:
            ipad.get_by_role("button", name="Sluta", exact=True).click()
            ipad.get_by_role("button", name="Ja, sluta", exact=True).click()
            expect(ipad.get_by_role("button", name="Svenska", exact=True)).to_be_visible()  # back at the start
    ipad.get_by_role("link", name="Personal: lämna surfplatteläget").click()
    ipad.get_by_label("PIN-kod").fill("2468")
    ipad.get_by_role("button", name="Lämna surfplatteläget").click()
    expect(ipad.get_by_role("heading", name="Logga in")).to_be_visible()


def test_code_entry_on_the_start_page_is_accessible(ipad, axe):
    ipad.goto("/")
    check_accessible(axe, ipad)
    ipad.get_by_label("Skriv koden från ditt kort").fill("ABCD-EFGH")
    ipad.get_by_role("button", name="Fortsätt").click()
    expect(ipad.locator("h1")).to_have_text("Vi känner inte igen koden.")
    check_accessible(axe, ipad)
    screenshot(ipad, "code-unknown")
