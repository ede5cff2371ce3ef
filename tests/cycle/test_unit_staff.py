"""Unit staff work the quality cycle of their own units: see and value flags, add evidence, indicator values and
actions there, and never at another unit (not found, by page and by API), nor at a pool, area or the organisation."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Action, FlagEvidence, IndicatorValue, Unit, Valuation
from tests.helpers import login, make_account, make_unit

FLAG = "gaps_grey_zones"


@pytest.fixture
def staff(app):
    """Björken and Linden, and a unit manager of Björken logged in, reading English."""
    make_unit(app)
    make_unit(app, "linden", "Linden")
    client = app.test_client()
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Unit.slug, Unit.id)).all())
    return client, ids


def forms(page: str) -> dict[str, dict]:
    """Return what a person fills in on a flag's page, per form, with each form's CSRF token."""
    def token(prefix: str) -> str:
        field = re.search(rf'<input[^>]*name="{prefix}-csrf_token"[^>]*>', page).group(0)
        return re.search(r'value="([^"]+)"', field).group(1)
    return {
        "valuations": {"valuation-csrf_token": token("valuation"), "valuation-verdict": "challenge",
                       "valuation-reasoning": "Väntetiderna är för långa.", "valuation-participants": "enhetschef",
                       "valuation-decided_on": dt.date.today().isoformat()},
        "evidence": {"evidence-csrf_token": token("evidence"), "evidence-kind": "note", "evidence-title": "APT",
                     "evidence-text": "Remisserna blir liggande.", "evidence-source": "APT", "evidence-period": "2026",
                     "evidence-measured_by": "enhetschef"},
        "indicators": {"indicator-csrf_token": token("indicator"), "indicator-indicator_id": "waiting_over_14_days",
                       "indicator-period": "2026-Q3", "indicator-count": "3", "indicator-denominator": "11",
                       "indicator-measured_by": "enhetschef"},
        "actions": {"action-csrf_token": token("action"), "action-title": "Kortare väntan",
                    "action-flag_ids": [FLAG], "action-owner": "enhetschef", "action-status": "planned"},
    }


def counts(app) -> dict[str, set]:
    with app.app_context():
        return {table.__name__: set(db.session.scalars(sa.select(table.unit_id)))
                for table in (Valuation, FlagEvidence, IndicatorValue, Action)}


def test_unit_staff_work_the_cycle_of_their_own_unit(app, staff):
    client, ids = staff
    url = f"/cycle/unit/{ids['bjorken']}/flag/{FLAG}"
    for path, data in forms(client.get(url).get_data(as_text=True)).items():
        assert client.post(f"{url}/{path}", data=data).status_code == 302, path
    assert counts(app) == {name: {ids["bjorken"]} for name in ("Valuation", "FlagEvidence", "IndicatorValue",
                                                                "Action")}
    api = client.get(f"/api/v1/cycle/units/{ids['bjorken']}").get_json()
    assert (len(api["valuations"]), len(api["other_evidence"]), len(api["indicators"]), len(api["actions"])) == \
        (1, 1, 1, 1)
    index = client.get("/cycle/").get_data(as_text=True)
    assert "Björken" in index and "Linden" not in index and "Pools, areas and the organisation" not in index


def test_unit_staff_never_reach_another_unit_by_page_or_api(app, staff):
    client, ids = staff
    filled = forms(client.get(f"/cycle/unit/{ids['bjorken']}/flag/{FLAG}").get_data(as_text=True))
    other = f"/cycle/unit/{ids['linden']}"
    for path in (other, f"{other}/flag/{FLAG}", f"/api/v1/cycle/units/{ids['linden']}"):
        assert client.get(path).status_code == 404, path
    for path, data in filled.items():
        assert client.post(f"{other}/flag/{FLAG}/{path}", data=data).status_code == 404, path
    assert counts(app) == {name: set() for name in ("Valuation", "FlagEvidence", "IndicatorValue", "Action")}


def test_unit_staff_do_not_value_pools_areas_or_the_organisation(app, staff):
    client, _ = staff
    for path in ("/cycle/level/organisation/all", f"/cycle/level/organisation/all/flag/{FLAG}",
                 "/api/v1/cycle/levels/organisation/all"):
        assert client.get(path).status_code == 403, path
