"""A tablet that loses its connection mid-questionnaire: answers are kept, the person goes on, nothing is lost."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from survey.db import db
from survey.db.models import Answer, Response
from tests.browsers import check_accessible, screenshot

pytestmark = pytest.mark.browser
OFFLINE_SAYS = "Internet fungerar inte just nu. Dina svar sparas här. Du kan fortsätta svara."
SENT_SAYS = "Dina svar är skickade och sparade."


def question_text(app, position: int) -> str:
    return app.extensions["survey.library"].questionnaires["user"].questions[position - 1].text["sv"]


def stored(app) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted(db.session.execute(sa.select(Answer.question_key, Answer.option)).all())


def tap(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def start(page, app, at: int = 1) -> None:
    """Open the unit link, press Start, go to a question, and wait until the pages after it are kept."""
    page.goto("/u/bjorken/user?lang=sv")
    tap(page, "Börja")
    expect(page.locator("h1")).to_have_text(question_text(app, 1))  # shown in place: wait before leaving it
    if at > 1:
        page.goto(f"/r/{at}")
    expect(page.locator("h1")).to_have_text(question_text(app, at))
    total = len(app.extensions["survey.library"].questionnaires["user"].questions)
    page.wait_for_function("n => Object.keys(sessionStorage).filter(k => k.startsWith('survey.page.')).length >= n",
                           arg=total - at + 1 + (1 if at > 1 else 0))


def posts_finished(page) -> list[str]:
    """Record every POST that reached the server and came back."""
    seen = []
    page.on("requestfinished", lambda request: seen.append(request.url.split("/", 3)[-1])
            if request.method == "POST" else None)
    return seen


def no_policy_violations(page) -> list[str]:
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text
            else None)
    return violations


def test_answers_given_offline_are_kept_and_sent_once_when_the_connection_returns(ipad, app, axe):
    violations, posts = no_policy_violations(ipad), posts_finished(ipad)
    start(ipad, app)
    tap(ipad, "Ja")
    expect(ipad.locator("h1")).to_have_text(question_text(app, 2))
    ipad.wait_for_function("() => sessionStorage.length >= 17")

    ipad.context.set_offline(True)
    tap(ipad, "Nej")
    expect(ipad.locator("h1")).to_have_text(question_text(app, 3))  # shown from the pages kept in advance
    expect(ipad.get_by_role("status")).to_have_text(OFFLINE_SAYS)
    assert ipad.url.endswith("/r/3")
    check_accessible(axe, ipad)
    screenshot(ipad, "user-sv-offline")
    tap(ipad, "Ibland")
    expect(ipad.locator("h1")).to_have_text(question_text(app, 4))
    # back to a question answered offline: the answer is marked
    ipad.get_by_role("button", name="Tillbaka", exact=True).click()
    expect(ipad.locator("button.option.chosen")).to_have_text("Ibland")
    assert stored(app) == [("decide_important", "yes")]
    assert ipad.evaluate("() => JSON.parse(localStorage.getItem('survey.unsent')).length") == 2

    ipad.context.set_offline(False)
    expect(ipad.get_by_role("status")).to_have_text(SENT_SAYS, timeout=15000)
    assert stored(app) == sorted([("decide_important", "yes"), ("decide_support", "no"),
                                  ("choose_activities", "sometimes")])
    assert posts.count("r/2") == 1 and posts.count("r/3") == 1  # each kept answer sent once
    tap(ipad, "Ja")  # answering goes on against the server
    expect(ipad.locator("h1")).to_have_text(question_text(app, 4))
    tap(ipad, "Ja")
    expect(ipad.locator("h1")).to_have_text(question_text(app, 5))
    assert len(stored(app)) == 4 and violations == []


def test_kept_answers_survive_a_reload_when_the_server_could_not_be_reached(ipad, app):
    start(ipad, app)
    ipad.route(re.compile(r".*/r/\d+$"), lambda route: route.abort() if route.request.method == "POST"
               else route.continue_())  # the network is up, the server cannot be reached
    tap(ipad, "Ja")
    expect(ipad.locator("h1")).to_have_text(question_text(app, 2))
    expect(ipad.get_by_role("status")).to_have_text(OFFLINE_SAYS)
    assert stored(app) == []
    ipad.unroute(re.compile(r".*/r/\d+$"))
    ipad.reload()  # the page of question 2, now from the server: the kept answer is sent as it loads
    expect(ipad.get_by_role("status")).to_have_text(SENT_SAYS, timeout=15000)
    assert stored(app) == [("decide_important", "yes")]


def test_the_last_answer_given_offline_completes_the_questionnaire_when_back_online(ipad, app):
    last = len(app.extensions["survey.library"].questionnaires["user"].questions)
    start(ipad, app, at=last)
    ipad.context.set_offline(True)
    tap(ipad, "Ingen, jag svarade själv")
    expect(ipad.locator("h1")).to_have_text("Dina svar finns kvar här")
    expect(ipad.get_by_role("status")).to_contain_text("Låt sidan vara öppen")
    with app.app_context():
        assert db.session.scalar(sa.select(Response.completed)) is False
    ipad.context.set_offline(False)
    expect(ipad.locator("h1")).to_have_text("Tack", timeout=15000)
    with app.app_context():
        assert db.session.execute(sa.select(Response.completed, Response.helped)).one() == (True, "nobody")


def test_without_javascript_the_browser_says_it_is_offline_and_nothing_saved_is_lost(browser, playwright_instance,
                                                                                      live_server, app):
    context = browser.new_context(**playwright_instance.devices["iPad (gen 7)"], base_url=live_server,
                                  locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.goto("/u/bjorken/user?lang=sv")
    tap(page, "Börja")
    tap(page, "Ja")
    tap(page, "Nej")
    expect(page.locator("h1")).to_have_text(question_text(app, 3))
    context.set_offline(True)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"), page.expect_navigation():
        tap(page, "Ibland")
    assert stored(app) == sorted([("decide_important", "yes"), ("decide_support", "no")])
    context.set_offline(False)
    page.goto("/r/3")  # what a person does after the browser's own "no internet" page: try again
    tap(page, "Ibland")
    expect(page.locator("h1")).to_have_text(question_text(app, 4))
    assert len(stored(app)) == 3
    context.close()
