"""A person on an iPad: taps through both questionnaires in every language; axe-core on every page."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from survey.db import db
from survey.db.models import Answer, Response
from survey.web.i18n import NATIVE_NAMES
from tests.browsers import check_accessible, screenshot

pytestmark = pytest.mark.browser


def questionnaire(app, qid):
    return app.extensions["survey.library"].questionnaires[qid]


def tap(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def answer_all(page, axe, app, qid, lang, shots=False):
    """Open the unit link, choose the language, start, and tap the first option of every question."""
    q = questionnaire(app, qid)
    page.goto(f"/u/bjorken/{qid}")
    check_accessible(axe, page)
    page.get_by_role("button", name=NATIVE_NAMES[lang], exact=True).click()
    check_accessible(axe, page)
    if shots:
        screenshot(page, f"{qid}-{lang}-intro")
    page.get_by_role("button", name=re.compile("^(Börja|Start)$")).click()
    for position, question in enumerate(q.questions, start=1):
        expect(page.locator("h1")).to_have_text(question.text[lang])
        check_accessible(axe, page)
        if shots and position in (1, len(q.questions)):
            screenshot(page, f"{qid}-{lang}-question-{position}")
        if question.type.value == "free_text":
            page.get_by_role("textbox").fill("Det är bra här." if lang != "en" else "It is good here.")
            page.locator("button.step.next").click()
        else:
            tap(page, question.options[0].text[lang])
    expect(page.locator("h1")).to_have_text({"sv": "Tack", "nb": "Takk", "en": "Thank you"}[lang])
    check_accessible(axe, page)
    if shots:
        screenshot(page, f"{qid}-{lang}-thanks")


@pytest.mark.parametrize("lang", ["sv", "nb", "en"])
@pytest.mark.parametrize("qid", ["user", "staff"])
def test_complete_questionnaire_by_tapping(ipad, axe, app, qid, lang):
    answer_all(ipad, axe, app, qid, lang, shots=True)
    with app.app_context():
        done = db.session.execute(sa.select(Response.language, Response.completed)).all()
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
    assert done == [(lang, True)]
    assert count == len([x for x in questionnaire(app, qid).questions if not x.background])


def test_complete_user_questionnaire_with_keyboard_only(ipad, axe, app):
    q = questionnaire(app, "user")
    ipad.goto("/u/bjorken/user")
    focus_and_press(ipad, "Svenska")
    focus_and_press(ipad, "Börja")
    for question in q.questions:
        expect(ipad.locator("h1")).to_have_text(question.text["sv"])
        if question.type.value == "free_text":
            focus_and_press(ipad, "", selector="textarea", key=None)
            ipad.keyboard.type("Bra")
            focus_and_press(ipad, "Nästa")
        else:
            focus_and_press(ipad, question.options[-1].text["sv"])
    expect(ipad.locator("h1")).to_have_text("Tack")
    with app.app_context():
        assert db.session.scalar(sa.select(Response.completed)) is True


def focus_and_press(page, name: str, selector: str | None = None, key: str | None = "Enter") -> None:
    """Press Tab until the element is focused (failing after 60 presses), then press the key and follow it."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            return {text: (el.innerText || el.getAttribute('aria-label') || '').trim(), tag: el.tagName.toLowerCase()};
        }""")
        if ((selector and focused["tag"] == selector)
                or (not selector and focused["text"].split("\n")[-1].strip() == name)):
            if key:
                with page.expect_navigation():
                    page.keyboard.press(key)
            return
    raise AssertionError(f"could not reach {name or selector} with Tab")


def test_answer_targets_are_at_least_64_px(ipad, app):
    ipad.goto("/u/bjorken/user?lang=sv")
    tap(ipad, "Börja")
    expect(ipad.locator("h1")).to_have_text(questionnaire(app, "user").questions[0].text["sv"])
    ipad.wait_for_load_state("load")  # measured with the stylesheet in place (the heading can come before it)
    small = ipad.evaluate("""() => [...document.querySelectorAll('button, a, input, textarea, label.option')]
        .filter(el => el.offsetParent !== null)
        .map(el => ({name: el.innerText || el.getAttribute('aria-label'), box: el.getBoundingClientRect()}))
        .filter(t => t.box.width < 64 || t.box.height < 64)
        .map(t => [t.name, Math.round(t.box.width), Math.round(t.box.height)])""")
    assert small == []


def test_text_level_and_larger_text_persist(ipad, axe, app):
    ipad.goto("/u/bjorken/user?lang=sv")
    tap(ipad, "Börja")
    expect(ipad.locator("h1")).to_have_text(questionnaire(app, "user").questions[0].text["sv"])
    tap(ipad, "Större text")
    tap(ipad, "Bilder")
    expect(ipad.locator("img.pictogram")).to_have_count(0)
    tap(ipad, questionnaire(app, "user").questions[0].options[0].text["sv"])
    expect(ipad.locator("h1")).to_have_text(questionnaire(app, "user").questions[1].text["sv"])  # the next page
    expect(ipad.locator("body")).to_have_class(re.compile("large-text"))
    expect(ipad.get_by_role("button", name="Större text")).to_have_attribute("aria-pressed", "true")
    check_accessible(axe, ipad)
    screenshot(ipad, "user-sv-text-level-large")


def test_a_speaker_button_plays_its_clip_and_says_so(ipad):
    ipad.goto("/u/bjorken/user?lang=sv")
    tap(ipad, "Börja")
    speaker = ipad.get_by_role("button", name="Lyssna på frågan")
    expect(speaker).to_be_visible()
    expect(speaker).to_have_attribute("aria-pressed", "false")
    speaker.click()
    expect(speaker).to_have_attribute("aria-pressed", "true")  # sounding, and marked as such
    clip = speaker.get_attribute("data-audio")
    # currentSrc is set once the player picks its source, which may come a moment after the button says it sounds
    ipad.wait_for_function("(clip) => document.querySelector('audio.player').currentSrc.endsWith(clip)", arg=clip)
    played = ipad.evaluate("() => document.querySelector('audio.player').currentSrc")
    assert played.endswith(clip)
