"""An analyst in a browser: heatmap, unit page with chart, drill-down; axe-core on each page."""
import random

import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, log_in, screenshot
from tests.helpers import add_response, make_account, make_unit, release

pytestmark = pytest.mark.browser


@pytest.fixture
def answered(app, live_server):
    """Björken (from live_server) with 14 respondents, Fyren with 9, Eken with 3 (too few); released."""
    make_unit(app, "fyren", "Fyren")
    make_unit(app, "eken", "Eken")
    rng = random.Random(7)
    questions = [q for q in app.extensions["survey.library"].questionnaires["user"].questions
                 if q.is_choice and not q.background]
    for slug, people in (("bjorken", 14), ("fyren", 9), ("eken", 3)):
        for _ in range(people):
            add_response(app, slug,
                         {q.key: rng.choice(["yes", "yes", "sometimes", "no", "dont_know"]) for q in questions},
                         sex=rng.choice(["woman", "man"]), helped=rng.choice(["nobody", "staff"]))
    release(app)
    return app


def test_analyst_reads_heatmap_unit_page_and_drill_down(ipad, axe, answered):
    log_in(ipad, make_account(answered, "analyst"))
    ipad.set_viewport_size({"width": 1280, "height": 900})
    ipad.goto("/analysis/")
    expect(ipad.get_by_role("table", name="Andel positiva svar per verksamhet och flagga")).to_be_visible()
    expect(ipad.get_by_text("för få svar").first).to_be_visible()
    check_accessible(axe, ipad)
    screenshot(ipad, "analysis-heatmap")
    ipad.get_by_role("link", name="Gruppbostad Björken").click()
    expect(ipad.get_by_role("img", name="Diagram över siffrorna i tabellen nedan.")).to_be_visible()
    check_accessible(axe, ipad)
    screenshot(ipad, "analysis-unit")
    ipad.get_by_role("link", name="Relationer med brukarna").click()
    expect(ipad.get_by_role("heading", level=1)).to_have_text("Relationer med brukarna")
    check_accessible(axe, ipad)
    screenshot(ipad, "analysis-flag")
