"""A person on an iPad hears the question: tap a speaker and the clip plays; read aloud; sound off."""
import re

import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, wait_until_heard

pytestmark = pytest.mark.browser


def start_user_questionnaire(page) -> None:
    page.goto("/u/bjorken/user?lang=sv")
    page.get_by_role("button", name="Börja", exact=True).click()
    expect(page.locator("progress")).to_have_attribute("value", "1")  # the first question is shown in place


def sounding(page) -> dict:
    """What the page's one audio element is doing."""
    return page.evaluate("""() => {
        const audio = document.querySelector('audio.player');
        return {count: document.querySelectorAll('audio').length, src: audio.currentSrc,
                time: audio.currentTime, paused: audio.paused};
    }""")


def test_tap_a_speaker_and_hear_the_question(ipad, axe):
    start_user_questionnaire(ipad)
    speaker = ipad.get_by_role("button", name="Lyssna på frågan")
    clip = speaker.get_attribute("data-audio")
    assert re.fullmatch(r"/speech/[0-9a-f]{64}\.mp3", clip)
    speaker.click()
    wait_until_heard(ipad)
    expect(speaker).to_have_attribute("aria-pressed", "true")
    expect(speaker).to_have_class(re.compile("playing"))
    heard = sounding(ipad)
    assert heard["src"].endswith(clip) and heard["count"] == 1
    check_accessible(axe, ipad)
    expect(speaker).to_have_attribute("aria-pressed", "false", timeout=15000)  # the clip ends by itself


def test_only_one_clip_plays_at_a_time(ipad):
    start_user_questionnaire(ipad)
    question = ipad.get_by_role("button", name="Lyssna på frågan")
    yes = ipad.get_by_role("button", name="Lyssna: Ja")
    question.click()
    wait_until_heard(ipad, 0.1)
    yes.click()
    wait_until_heard(ipad, 0.1)
    assert sounding(ipad)["src"].endswith(yes.get_attribute("data-audio"))
    expect(question).to_have_attribute("aria-pressed", "false")
    expect(yes).to_have_attribute("aria-pressed", "true")
    yes.click()  # tapping the sounding button stops it
    expect(yes).to_have_attribute("aria-pressed", "false")
    assert sounding(ipad)["paused"]


def test_read_aloud_plays_each_question_on_arrival_after_a_first_tap(ipad):
    start_user_questionnaire(ipad)
    ipad.get_by_role("button", name="Läs upp").click()
    expect(ipad.get_by_role("button", name="Läs upp")).to_have_attribute("aria-pressed", "true")
    ipad.get_by_role("heading", level=1).click()  # a tap anywhere lets the browser play sound
    wait_until_heard(ipad, 0.1)
    question = ipad.get_by_role("button", name="Lyssna på frågan")
    assert sounding(ipad)["src"].endswith(question.get_attribute("data-audio"))
    ipad.get_by_role("button", name="Ja", exact=True).click()
    expect(ipad.locator("progress")).to_have_attribute("value", "2")
    ipad.get_by_role("heading", level=1).click()
    wait_until_heard(ipad, 0.1)
    listen = ipad.get_by_role("button", name="Lyssna på frågan")
    assert sounding(ipad)["src"].endswith(listen.get_attribute("data-audio"))


def test_sound_off_silences_every_page_of_the_questionnaire(ipad):
    start_user_questionnaire(ipad)
    ipad.get_by_role("button", name="Ljud").click()
    expect(ipad.get_by_role("button", name="Ljud")).to_have_attribute("aria-pressed", "false")
    expect(ipad.locator("button.speak")).to_have_count(0)
    ipad.get_by_role("button", name="Ja", exact=True).click()
    expect(ipad.locator("progress")).to_have_attribute("value", "2")
    expect(ipad.locator("button.speak")).to_have_count(0)


def test_a_clip_that_fails_falls_back_to_the_browser_speech(ipad):
    start_user_questionnaire(ipad)
    speaker = ipad.get_by_role("button", name="Lyssna på frågan")
    ipad.evaluate("""() => {
        window.spoken = [];
        speechSynthesis.speak = (utterance) => window.spoken.push([utterance.text, utterance.lang]);
        document.querySelector('button.speak').dataset.audio = '/speech/' + '0'.repeat(64) + '.mp3';
    }""")
    speaker.click()
    ipad.wait_for_function("() => window.spoken.length > 0", timeout=10000)
    text, lang = ipad.evaluate("() => window.spoken[0]")
    assert text == speaker.get_attribute("data-speak") and lang == "sv-SE"


def test_read_aloud_plays_every_question_on_arrival_after_one_tap_on_start(ipad, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    ipad.goto("/u/bjorken/user?lang=sv")
    ipad.get_by_role("button", name="Läs upp").click()
    expect(ipad.get_by_role("button", name="Läs upp")).to_have_attribute("aria-pressed", "true")
    ipad.evaluate("""() => { window.heard = []; document.querySelector('audio.player')
        .addEventListener('playing', e => window.heard.push(new URL(e.target.currentSrc).pathname)); }""")
    ipad.get_by_role("button", name="Börja", exact=True).click()  # the one tap
    for question in questions[:4]:
        expect(ipad.locator("h1")).to_have_text(question.text["sv"])
        clip = ipad.get_by_role("button", name="Lyssna på frågan").get_attribute("data-audio")
        ipad.wait_for_function("(clip) => window.heard.includes(clip)", arg=clip, timeout=15000)
        wait_until_heard(ipad, 0.1)
        assert sounding(ipad)["src"].endswith(clip)
        expect(ipad.locator("button.hear")).to_have_count(0)
        ipad.locator(".options .option").first.click()
