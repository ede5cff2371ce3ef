"""A quality developer in a browser follows a flag over time: the unit's whole model, the flag's run charts, its
questions, the organisation's p-chart and the funnel plot; axe-core on each page."""
import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, log_in, screenshot
from tests.helpers import add_response, make_account, release

pytestmark = pytest.mark.browser


@pytest.fixture
def answered(app, live_server):
    """Björken (from live_server) with 6 user respondents, released."""
    for i in range(6):
        add_response(app, "bjorken", {"safe_with_staff": "yes" if i < 4 else "no", "staff_care": "yes"})
    release(app)
    return app


def test_follows_a_flag_over_time_from_the_whole_model(ipad, axe, answered):
    log_in(ipad, make_account(answered, "quality_developer"))
    ipad.set_viewport_size({"width": 1280, "height": 900})
    ipad.get_by_role("link", name="Kvalitetshjul").click()
    ipad.get_by_role("link", name="Gruppbostad Björken").click()
    ipad.get_by_role("link", name="Hela modellen för enheten").click()
    expect(ipad.get_by_role("heading", level=1)).to_have_text("Hela modellen: Gruppbostad Björken")
    expect(ipad.get_by_role("table", name="Se helhet och bidra i den: flaggor, senaste värdering, underlag och "
                                          "trend")).to_contain_text("för få punkter för en signal")
    check_accessible(axe, ipad)
    screenshot(ipad, "cycle-model")
    ipad.get_by_role("link", name="Relationer med brukarna").click()
    expect(ipad.get_by_role("heading", name="Över tid")).to_be_visible()
    expect(ipad.get_by_role("table", name="Vad tycker du?: diagrammets siffror")).to_be_visible()
    check_accessible(axe, ipad)
    ipad.get_by_role("link", name="Varje fråga i flaggan över tid").click()
    expect(ipad.get_by_role("heading", level=1)).to_contain_text("varje fråga över tid")
    check_accessible(axe, ipad)
    ipad.go_back()
    ipad.get_by_role("link", name="Flaggan i hela organisationen (p-diagram)").click()
    expect(ipad.get_by_text("p-diagram: styrgränser från binomialfördelningen.")).to_have_count(1)
    check_accessible(axe, ipad)
    ipad.get_by_role("link", name="Enheter jämförda i en publicering (trattdiagram)").click()
    expect(ipad.get_by_role("row", name="Gruppbostad Björken")).to_contain_text("%")
    check_accessible(axe, ipad)
    screenshot(ipad, "cycle-funnel")
