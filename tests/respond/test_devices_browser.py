"""Every respondent page on the screens people use: phones, the unit's iPad either way round, 200 % zoom.

A person opens the unit link, chooses a language, starts, answers every question (and looks again at one
they answered), asks to stop, is thanked, and meets an error page; on each page nothing scrolls sideways,
no two controls overlap, no word is cut, every target is at least 64 px, a question's first answer is in
sight when the page opens, and axe-core finds nothing. Screenshots go to tests/screenshots/devices-*.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import axe_violations, layout_problems, screenshot

pytestmark = pytest.mark.browser

# A 1280 x 800 laptop screen zoomed: the page gets the screen's size divided by the zoom, in CSS pixels.
ZOOMS = {"200 % zoom": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
         "300 % zoom": {"viewport": {"width": 427, "height": 267}, "device_scale_factor": 3},
         "400 % zoom": {"viewport": {"width": 320, "height": 200}, "device_scale_factor": 4}}
PROFILES = ["iPhone SE", "iPhone 12", "Galaxy S9+", "iPad (gen 7)", "iPad (gen 7) landscape", *ZOOMS]
START = {"sv": "Börja", "nb": "Start", "en": "Start"}


@pytest.fixture
def device(request, browser, playwright_instance, live_server):
    """A fresh tab on the live server with the screen of the profile named by the test's parameter."""
    profile, lang = request.param[:2]
    if profile in ZOOMS:
        settings = dict(ZOOMS[profile])
    else:
        settings = {k: v for k, v in playwright_instance.devices[profile].items() if k != "default_browser_type"}
    locale = {"sv": "sv-SE", "nb": "nb-NO", "en": "en-GB"}[lang]
    context = browser.new_context(**settings, base_url=live_server, locale=locale)
    page = context.new_page()
    yield page
    context.close()


def questions(app, qid):
    return app.extensions["survey.library"].questionnaires[qid].questions


SWITCHES = {"larger-text": "Större text", "no-pictures": "Bilder"}


def visit_every_page(page, app, qid: str, lang: str, switched: tuple[str, ...] = ()):
    """Go through the questionnaire as a person does, with some settings switched first, yielding
    (page name, is a question) on each page."""
    if switched:
        page.goto(f"/u/bjorken/{qid}?lang={lang}")
        for setting in switched:
            page.get_by_role("button", name=SWITCHES[setting], exact=True).click()
            expect(page.get_by_role("button", name=SWITCHES[setting], exact=True)).to_have_attribute(
                "aria-pressed", "false" if setting == "no-pictures" else "true")
    page.goto("/u/bjorken")
    yield "unit", False
    page.goto(f"/u/bjorken/{qid}")
    yield "languages", False
    page.goto(f"/u/bjorken/{qid}?lang={lang}")
    yield "intro", False
    page.get_by_role("button", name=START[lang], exact=True).click()
    asked = questions(app, qid)
    for position, question in enumerate(asked, start=1):
        expect(page.locator("h1")).to_have_text(question.text[lang])
        yield f"question-{position}", True
        if question.type.value == "free_text":
            page.locator("textarea").fill("Bra")
            page.locator("button.step.next").click()
        else:
            page.locator(".options .option").first.click()
        if position == 1:  # look again at an answered question: the answer is marked, Next replaces Skip
            expect(page.locator("h1")).to_have_text(asked[1].text[lang])
            page.goto("/r/1")
            yield "question-1-answered", True
            page.locator("button.step.next").click()
    expect(page.locator("h1")).not_to_have_text(asked[-1].text[lang])
    yield "thanks", False
    page.goto("/r/stop?from=1")
    yield "stop", True
    page.goto("/c?code=NOPE-NOPE")
    yield "error", False
    page.goto("/")
    yield "home", False


def check_every_page(page, axe, app, qid: str, lang: str, label: str, switched: tuple[str, ...] = ()) -> int:
    """Measure every page of the questionnaire; fail with everything found on all of them."""
    found = {}
    pages = 0
    for name, is_question in visit_every_page(page, app, qid, lang, switched):
        pages += 1
        page.wait_for_load_state("load")  # measured with the stylesheet and pictures in place
        problems = layout_problems(page, question=is_question) + axe_violations(axe, page)
        if problems:
            found[name] = problems
        if name in ("unit", "intro", "question-1", "question-1-answered", "stop", "error"):
            screenshot(page, f"devices-{label}-{qid}-{lang}-{name}")
    assert not found, "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in found.items())
    return pages


CASES = [(profile, "sv") for profile in PROFILES] + [("iPhone SE", "nb"), ("iPhone SE", "en")]
# Larger text and no pictures, on the smallest phone and on the iPad (Swedish; the settings last the questionnaire).
SWITCHED = [("iPhone SE", "sv", "larger-text"), ("iPad (gen 7)", "sv", "larger-text"),
            ("iPhone SE", "sv", "no-pictures"), ("iPad (gen 7) landscape", "sv", "larger-text", "no-pictures")]


def label_of(profile: str) -> str:
    return profile.replace(" ", "-").replace("(", "").replace(")", "").replace("%", "pct")


@pytest.mark.parametrize("qid", ["user", "staff"])
@pytest.mark.parametrize("device", CASES, indirect=True, ids=[f"{p}-{lang}" for p, lang in CASES])
def test_every_page_fits_the_screen(device, axe, app, request, qid):
    profile, lang = request.node.callspec.params["device"]
    assert check_every_page(device, axe, app, qid, lang, label_of(profile)) == len(questions(app, qid)) + 8


@pytest.mark.parametrize("device", SWITCHED, indirect=True, ids=["-".join(case) for case in SWITCHED])
def test_every_page_fits_with_larger_text_or_without_pictures(device, axe, app, request):
    profile, lang, *switched = request.node.callspec.params["device"]
    label = "-".join([label_of(profile), *switched])
    assert check_every_page(device, axe, app, "user", lang, label, tuple(switched)) == len(questions(app, "user")) + 8


def test_larger_text_enlarges_everything_a_respondent_reads_by_at_least_a_third(ipad, app):
    ipad.goto("/u/bjorken/user?lang=sv")
    ipad.get_by_role("button", name="Börja", exact=True).click()
    expect(ipad.locator("h1")).to_have_text(questions(app, "user")[0].text["sv"])
    read = """() => Object.fromEntries(['h1', '.progress', '.option span', '.step span', '.toggle span']
        .map(s => [s, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))"""
    before = ipad.evaluate(read)
    ipad.get_by_role("button", name="Större text", exact=True).click()
    expect(ipad.get_by_role("button", name="Större text", exact=True)).to_have_attribute("aria-pressed", "true")
    ipad.wait_for_load_state("load")  # the setting reloads the page: measured with the stylesheet in place
    after = ipad.evaluate(read)
    assert {part: round(after[part] / before[part], 2) for part in before} == dict.fromkeys(before, 1.3)
