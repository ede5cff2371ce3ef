"""Valuations of a pool, an area and the organisation: the level's own released figures and summed indicators, a
suggested verdict, the reasoning and who took part, the history kept; a hidden figure stays hidden."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from survey.cycle import rules, store
from survey.db import db
from survey.db.models import Area, IndicatorValue, Pool, Unit, Valuation
from tests.conftest import build_org
from tests.helpers import login, make_account, release

FLAG = "relationships"  # informed by "safe with staff": 7 of 7 valid at Björken, 6 of 6 at Linden, 3 of 3 at Eken


@pytest.fixture
def world(app, client):
    """build_org (area Norr: Björken 8, Linden 6, Eken 3) with Eken alone in a pool, released after the pool was
    made; an analyst logged in, reading English."""
    build_org(app, released=False)
    with app.app_context():
        eken = db.session.scalar(sa.select(Unit).where(Unit.slug == "eken"))
        pool = Pool(organisation_id=eken.organisation_id, name="Småhemmen", service_type="housing")
        db.session.add(pool)
        db.session.flush()
        eken.pool_id = pool.id
        now = store.now()
        for slug, count, denominator in (("bjorken", 14, 20), ("linden", 6, 10)):
            unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.slug == slug))
            db.session.add(IndicatorValue(unit_id=unit_id, indicator_id="plans_followed_up", period="2026-Q3",
                                          count=count, denominator=denominator, measured_by="kvalitetsutvecklare",
                                          created_at=now))
        db.session.commit()
        ids = {"pool": pool.id, "area": db.session.scalar(sa.select(Area.id))}
    release(app)
    login(client, make_account(app, "analyst"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return ids


def valuation_data(page: str, **changes) -> dict:
    field = re.search(r'<input[^>]*name="valuation-csrf_token"[^>]*>', page).group(0)
    return {"valuation-csrf_token": re.search(r'value="([^"]+)"', field).group(1), "valuation-verdict": "strength",
            "valuation-reasoning": "Alla enheter i området visar samma bild.",
            "valuation-participants": "områdeschef, kvalitetsutvecklare, brukarrådet",
            "valuation-decided_on": dt.date.today().isoformat(), **changes}


def test_the_area_values_a_flag_from_its_own_figure_and_the_history_is_kept(app, client, world):
    url = f"/cycle/level/area/{world['area']}/flag/{FLAG}"
    page = client.get(url).get_data(as_text=True)
    assert "Norr" in page and "Suggested from the figures' colours: Strength." in page
    assert "100 %" in page.split("released figures for this flag, for the whole group", 1)[1].split("</table>")[0]
    for verdict in ("watch", "strength"):
        data = valuation_data(client.get(url).get_data(as_text=True), **{"valuation-verdict": verdict})
        assert client.post(url, data=data).status_code == 302
    history = client.get(url).get_data(as_text=True).split("Valuations of this flag", 1)[1].split("</table>")[0]
    assert history.count("områdeschef, kvalitetsutvecklare, brukarrådet") == 2
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Valuation)))
        assert {(r.unit_id, r.pool_id, r.area_id, r.suggested) for r in rows} == {(None, None, world["area"],
                                                                                     "strength")}
    overview = client.get(f"/cycle/level/area/{world['area']}").get_data(as_text=True)
    assert "Strength" in overview
    api = client.get(f"/api/v1/cycle/levels/area/{world['area']}?flag={FLAG}").get_json()
    assert [v["verdict"] for v in api["valuations"]] == ["strength", "watch"]


def test_a_pools_hidden_figure_stays_hidden_and_suggests_nothing(app, client, world):
    """The attacker's view: Eken (3 answers) is alone in its pool; the pool's page must not give its share."""
    url = f"/cycle/level/pool/{world['pool']}/flag/{FLAG}"
    page = client.get(url).get_data(as_text=True)
    figures = page.split("released figures for this flag, for the whole group", 1)[1].split("</table>")[0]
    assert "too few answers" in figures and "100 %" not in figures and "%" not in figures
    assert "Suggested from the figures' colours: Not enough evidence." in page
    assert client.post(url, data=valuation_data(page)).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Valuation.suggested)) == rules.NOT_ENOUGH
    api = client.get(f"/api/v1/cycle/levels/pool/{world['pool']}").get_json()
    assert set(api) == {"group", "flag", "valuations", "indicators"}  # no survey figures through the API


def test_the_organisation_sums_its_units_indicators_and_values_each_flag(app, client, world):
    url = "/cycle/level/organisation/all/flag/staff_able"
    page = client.get(url).get_data(as_text=True)
    table = page.split("other indicators for this flag", 1)[1].split("</table>")[0]
    assert "20 of 30 (67 %)" in table and "<td>2</td>" in table  # two units' values summed
    assert client.post(url, data=valuation_data(page)).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Valuation)
                                 .where(store.at_level(store.ORGANISATION, None))) == 1
        assert store.group_valuations(store.AREA, world["area"]) == []
    body = client.get("/api/v1/cycle/levels/organisation/all").get_json()
    assert body["valuations"][0]["flag_id"] == "staff_able"
    assert {(i["indicator_id"], i["count"], i["denominator"], i["units"]) for i in body["indicators"]} == \
        {("plans_followed_up", 20, 30, 2)}
    assert "Pools, areas and the organisation" in client.get("/cycle/").get_data(as_text=True)


def test_a_valuation_is_of_one_group_only(app, world):
    new = store.NewValuation(None, FLAG, rules.WATCH, "Skäl.", "enhetschef", dt.date.today(), pool_id=world["pool"],
                             area_id=world["area"])
    with app.app_context(), pytest.raises(rules.CycleError, match="one unit, one pool, one area or the organisation"):
        store.add_valuation(new, {FLAG}, dt.date.today())


@pytest.mark.parametrize("path", ["/cycle/level/organisation/nope", "/cycle/level/unit/x",
                                  "/cycle/level/pool/nope/flag/relationships", "/api/v1/cycle/levels/area/nope",
                                  "/cycle/level/organisation/all/flag/no_such_flag"])
def test_an_unknown_group_or_flag_is_not_found(client, world, path):
    assert client.get(path).status_code == 404
