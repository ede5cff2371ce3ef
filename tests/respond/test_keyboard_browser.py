"""A person with a keyboard or a single switch (which sends Tab, Space or Enter): focus starts at the
question, the first answer is two presses away and Skip a few more, and Space works on every button."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def presses_to(page, selector: str, most: int = 20) -> int:
    """Press Tab until the focused element matches the selector; return how many presses it took."""
    for count in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return count
    raise AssertionError(f"{selector} not reached in {most} presses")


def test_every_question_starts_at_its_heading_with_the_first_answer_two_presses_away(ipad, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    ipad.goto("/u/bjorken/user")
    ipad.keyboard.press("Tab")
    assert ipad.evaluate("() => document.activeElement.textContent.trim()") == "Svenska"
    with ipad.expect_navigation():
        ipad.keyboard.press("Space")  # the language is a button: Space chooses it
    with ipad.expect_navigation():
        ipad.get_by_role("button", name="Börja", exact=True).press("Space")
    counts = []
    for position, question in enumerate(questions, start=1):
        expect(ipad.locator("h1")).to_have_text(question.text["sv"])
        assert ipad.evaluate("() => document.activeElement.id") == "question"  # focus is on the question
        first = presses_to(ipad, ".options .option, textarea")
        forward = first + presses_to(ipad, "button.step.next")
        counts.append((first, forward))
        answers = len(question.options) + bool(question.dont_know) if question.options else 1
        assert first == 2 and forward == answers + 2, (position, first, forward)
        with ipad.expect_navigation():
            ipad.keyboard.press("Space" if position % 2 else "Enter")
    expect(ipad.locator("h1")).to_have_text("Tack")
    three_step = [forward for (first, forward), q in zip(counts, questions) if len(q.options) == 3 and q.dont_know]
    assert three_step and set(three_step) == {6}  # Skip is six presses away on every yes/sometimes/no question


def test_back_stop_and_go_on_answering_work_with_space(ipad, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    ipad.goto("/u/bjorken/user?lang=sv")
    ipad.get_by_role("button", name="Börja", exact=True).click()
    ipad.get_by_role("button", name="Ja", exact=True).click()
    expect(ipad.locator("h1")).to_have_text(questions[1].text["sv"])
    with ipad.expect_navigation():
        ipad.get_by_role("button", name="Tillbaka", exact=True).press("Space")
    expect(ipad.locator("h1")).to_have_text(questions[0].text["sv"])
    expect(ipad.get_by_role("button", name="Ja (ditt svar)", exact=True)).to_have_class("option chosen")
    with ipad.expect_navigation():
        ipad.get_by_role("button", name="Sluta", exact=True).press("Space")
    expect(ipad.locator("h1")).to_have_text("Vill du sluta nu?")
    with ipad.expect_navigation():
        ipad.get_by_role("button", name="Nej, fortsätt svara", exact=True).press("Space")
    expect(ipad.locator("h1")).to_have_text(questions[0].text["sv"])
