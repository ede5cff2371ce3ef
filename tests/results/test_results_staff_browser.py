"""Unit staff choose, in a browser, which questions go back to the users: checkboxes with pictograms, labelled,
axe-core clean; the choice is kept."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from survey.db import db
from survey.db.models import Unit
from tests.browsers import check_accessible, log_in, screenshot
from tests.helpers import make_account
from tests.results.test_results_tablet import released_last_year

pytestmark = pytest.mark.browser


def test_unit_staff_choose_the_questions(ipad, axe, app):
    released_last_year(app)
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id))
    log_in(ipad, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    ipad.goto(f"/staff/results/{unit_id}")
    safe = ipad.get_by_role("checkbox", name="Känner du dig trygg här?")
    expect(safe).to_be_checked()  # the user questionnaire's questions, by default
    check_accessible(axe, ipad)
    screenshot(ipad, "results-choose-questions")
    safe.uncheck()
    ipad.get_by_role("checkbox", name="Jag tycker att mitt arbete är meningsfullt.").check()
    ipad.get_by_role("button", name="Spara valet").click()
    expect(ipad.get_by_role("status")).to_have_text("Sparat: resultatsidan och affischen visar frågorna du valde.")
    expect(ipad.get_by_role("checkbox", name="Känner du dig trygg här?")).not_to_be_checked()
    expect(ipad.get_by_role("checkbox", name="Jag tycker att mitt arbete är meningsfullt.")).to_be_checked()
    check_accessible(axe, ipad)
