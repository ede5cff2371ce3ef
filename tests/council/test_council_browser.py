"""A user council tries a draft on the iPad: hears the question, says it was hard, writes why; staff read it."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from survey.council import store as council
from tests.browsers import check_accessible, log_in, screenshot, wait_until_heard
from tests.helpers import make_account

pytestmark = pytest.mark.browser


@pytest.fixture
def app(draft_app):
    """A draft (version 2) of the user questionnaire, in the app's own copy of the questionnaires."""
    return draft_app


def test_a_council_member_gives_feedback_on_a_question_and_staff_read_it(ipad, axe, app):
    with app.app_context():
        token = council.create_link(app.extensions["survey.library"].version("user", 2), "Brukarrådet",
                                    dt.date.today()).token
    ipad.goto(f"/council/{token}")
    ipad.get_by_role("button", name="Svenska", exact=True).click()
    expect(ipad.get_by_text("Testläge: de här svaren räknas inte.")).to_be_visible()
    ipad.get_by_role("button", name="Börja", exact=True).click()

    ask = ipad.get_by_role("button", name="Lyssna", exact=True).nth(1)  # the note's speaker is first
    assert re.fullmatch(r"/speech/[0-9a-f]{64}\.mp3", ask.get_attribute("data-audio"))
    ask.click()  # hear "Was the question easy to understand?"
    wait_until_heard(ipad, 0.2)
    hard = ipad.get_by_role("button", name="Nej, svår att förstå", exact=True)
    hard.click()
    expect(hard).to_have_attribute("aria-pressed", "true")  # a locator: found afresh on the page the click led to
    ipad.get_by_label("Berätta mer (du behöver inte)").fill("Jag förstår inte ordet viktiga.")
    ipad.get_by_role("button", name="Spara det jag skrev").click()
    expect(ipad.locator("p.saved")).to_have_text("Tack! Det du sa om frågan är sparat.")
    check_accessible(axe, ipad)
    screenshot(ipad, "council-feedback")
    ipad.get_by_role("button", name="Ja", exact=True).click()
    expect(ipad.get_by_text("Fråga 2 av", exact=False)).to_be_visible()

    log_in(ipad, make_account(app, "council"))
    ipad.get_by_role("link", name="Version 2").click()
    ipad.get_by_role("link", name="Vad testarna sa").click()
    row = ipad.get_by_role("row", name=re.compile("decide_important"))
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")  # hard to understand
    expect(row).to_contain_text("Jag förstår inte ordet viktiga.")
    check_accessible(axe, ipad)
    screenshot(ipad, "council-feedback-summary")


def test_editor_pages_pass_axe(ipad, axe, app):
    log_in(ipad, make_account(app, "administrator"))
    for path in ("/editor/", "/editor/user/v2", "/editor/user/v2/questions/1", "/editor/user/v2/texts",
                 "/editor/user/v2/yaml", "/editor/user/v2/council", "/editor/import"):
        ipad.goto(path)
        check_accessible(axe, ipad)
    ipad.goto("/editor/user/v2/questions/1")
    ipad.get_by_label("Fråga (English)").fill("")
    ipad.get_by_role("button", name="Spara utkastet").click()
    expect(ipad.get_by_role("alert")).to_be_visible()
    check_accessible(axe, ipad)
    screenshot(ipad, "editor-question-error")
