"""A quality developer in a browser: the unit's cycle, a flag's evidence, a valuation and an action; axe-core on
each page."""
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


def test_values_a_flag_and_adds_an_action(ipad, axe, answered):
    log_in(ipad, make_account(answered, "analyst"))
    ipad.set_viewport_size({"width": 1280, "height": 900})
    ipad.get_by_role("link", name="Kvalitetshjul").click()
    ipad.get_by_role("link", name="Gruppbostad Björken").click()
    expect(ipad.get_by_text("Inte bedömd ännu").first).to_be_visible()
    check_accessible(axe, ipad)
    ipad.get_by_role("link", name="Relationer med brukarna").click()
    expect(ipad.get_by_role("heading", level=1)).to_have_text("Relationer med brukarna")
    check_accessible(axe, ipad)
    ipad.get_by_label("Bedömning").select_option("challenge")
    ipad.get_by_label("Motivering: vad underlaget visar").fill("Tryggheten har sjunkit.")
    ipad.get_by_label("Vilka som deltog").fill("enhetschef, två medarbetare")
    ipad.get_by_role("button", name="Spara bedömningen").click()
    expect(ipad.get_by_role("status")).to_contain_text("Bedömningen är sparad.")
    expect(ipad.get_by_role("table", name="Bedömningar av flaggan")).to_contain_text("Tryggheten har sjunkit.")
    ipad.get_by_label("Titel", exact=True).fill("Brandövningar")
    ipad.get_by_label("Ägare (en roll").fill("enhetschef")
    ipad.get_by_label("Mått (SMART-mål").fill("Andel trygga")
    ipad.get_by_label("Från (dagens värde)").fill("67")
    ipad.get_by_label("Till (målet)").fill("80")
    ipad.get_by_role("button", name="Spara åtgärden").click()
    expect(ipad.get_by_role("table", name="Enhetens åtgärder som hör till flaggan")).to_contain_text("67 → 80")
    check_accessible(axe, ipad)
    screenshot(ipad, "cycle-flag")
    ipad.get_by_role("link", name="Gruppbostad Björken: kvalitetshjul").click()
    expect(ipad.get_by_role("table", name="Se helhet och bidra i den: flaggor, aktuell bedömning och pågående "
                                          "åtgärder")).to_contain_text("Utmaning")
    check_accessible(axe, ipad)
    screenshot(ipad, "cycle-unit")
    ipad.get_by_role("link", name="Brandövningar").click()
    ipad.get_by_label("Status").select_option("done")
    ipad.get_by_label("Till brukarna, på lättläst: det här gjorde vi").fill("Vi övade fyra gånger.")
    check_accessible(axe, ipad)
    ipad.get_by_role("button", name="Spara åtgärden").click()
    expect(ipad.get_by_role("table", name="Enhetens alla åtgärder, pågående först")).to_contain_text(
        "Vi övade fyra gånger.")


def test_a_unit_manager_enters_an_indicator_and_an_analyst_imports_and_values_the_organisation(ipad, axe, answered,
                                                                                              tmp_path):
    log_in(ipad, make_account(answered, "unit_staff", unit_slugs=("bjorken",)))
    ipad.set_viewport_size({"width": 1280, "height": 900})
    ipad.get_by_role("link", name="Kvalitetshjul").click()
    ipad.get_by_role("link", name="Gruppbostad Björken").click()
    ipad.get_by_role("link", name="Glapp och gråzoner").click()
    ipad.get_by_text("Lägg till ett värde för en indikator").click()
    form = ipad.locator("details", has_text="Lägg till ett värde för en indikator")
    form.get_by_label("Period (till exempel").fill("2026-Q3")
    form.get_by_label("Antal", exact=True).fill("3")
    form.get_by_label("Av", exact=True).fill("11")
    form.get_by_role("button", name="Spara värdet").click()
    expect(ipad.get_by_role("status")).to_contain_text("Indikatorns värde är sparat.")
    expect(ipad.get_by_role("table", name="Kvalitetsmodellens andra indikatorer")).to_contain_text("3 av 11 (27 %)")
    check_accessible(axe, ipad)
    ipad.context.clear_cookies()
    log_in(ipad, make_account(answered, "analyst"))
    ipad.get_by_role("link", name="Kvalitetshjul").click()
    ipad.get_by_role("link", name="Importera indikatorvärden från en CSV-fil").click()
    bad = tmp_path / "granskning.csv"
    bad.write_text("unit;indicator;period;count;denominator\nbjorken;plans_followed_up;2026-Q3;21;20\n")
    ipad.get_by_label("CSV-fil").set_input_files(bad)
    ipad.get_by_role("button", name="Importera").click()
    expect(ipad.get_by_role("alert")).to_contain_text("granskning.csv, rad 2, kolumn count")
    check_accessible(axe, ipad)
    ipad.get_by_role("link", name="Kvalitetshjul").first.click()
    ipad.get_by_role("link", name="Testkommunen").click()
    check_accessible(axe, ipad)
    ipad.get_by_role("link", name="Glapp och gråzoner").click()
    ipad.get_by_label("Motivering: vad underlaget visar").fill("Väntetiden är för lång på flera enheter.")
    ipad.get_by_label("Vilka som deltog").fill("kvalitetsutvecklare, områdeschefer")
    ipad.get_by_role("button", name="Spara bedömningen").click()
    expect(ipad.get_by_role("table", name="Bedömningar av flaggan")).to_contain_text("Väntetiden är för lång")
    check_accessible(axe, ipad)
    screenshot(ipad, "cycle-organisation-flag")
