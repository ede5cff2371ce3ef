"""IBM's Equal Access engine (ace.js, the accessibility-checker-engine on npm, which `make test` fetches) finds
no violation on the respondent's pages, in Chromium: it sees what axe-core does not, such as two unnamed forms
on one page (aria_form_label_unique, aria_landmark_name_unique)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ACE = Path(__file__).parents[2] / ".venv" / "ace" / "ace.js"
# Every rule the engine's own rule set calls a violation, and that it is sure of ("FAIL", not "POTENTIAL").
VIOLATIONS = """async () => {
    const report = await new ace.Checker().check(document, ['IBM_Accessibility']);
    return report.results.filter(r => r.value[0] === 'VIOLATION' && r.value[1] === 'FAIL')
        .map(r => `${r.ruleId} at ${r.path.dom}: ${r.message}`);
}"""


def equal_access_violations(page) -> list[str]:
    assert ACE.exists(), "ace.js is missing: run `make ace` (npm)"
    page.evaluate(ACE.read_text(encoding="utf-8") + ";0")  # as a script of the test, past the page's CSP
    return page.evaluate(VIOLATIONS)


def test_respondent_pages_have_no_equal_access_violation(ipad, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    found = {}

    def check(name: str) -> None:
        ipad.wait_for_load_state("load")
        problems = equal_access_violations(ipad)
        if problems:
            found[name] = problems

    for name, url in [("home", "/"), ("unit", "/u/bjorken"), ("languages", "/u/bjorken/user"),
                      ("intro", "/u/bjorken/user?lang=sv")]:
        ipad.goto(url)
        check(name)
    ipad.get_by_role("button", name="Börja", exact=True).click()
    expect(ipad.locator("h1")).to_have_text(questions[0].text["sv"])
    check("question-1")
    free_text = next(n for n, q in enumerate(questions, start=1) if q.type.value == "free_text")
    ipad.goto(f"/r/{free_text}")
    check("question-free-text")
    ipad.goto("/r/stop?from=1")
    check("stop")
    ipad.goto(f"/r/{len(questions)}")
    ipad.locator(".options .option").first.click()
    expect(ipad.locator("h1")).to_have_text("Tack")
    check("thanks")
    ipad.goto("/c?code=NOPE-NOPE")
    check("error")
    assert not found, "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in found.items())
