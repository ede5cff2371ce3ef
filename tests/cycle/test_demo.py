"""The demo (what `make run` shows) has one unit's quality cycle: valuations over two years and actions; other
indicators, entered and imported from a CSV file; valuations of a pool, the areas and the organisation; and a unit
manager's log-in that works Björken's cycle only."""
from __future__ import annotations

import re

import sqlalchemy as sa

from survey.cli import main
from survey.db import db
from survey.db.models import Action, Area, ChartPhase, IndicatorValue, Unit, Valuation


def test_the_demo_has_a_units_cycle_once_and_its_pages_show_it(app, runner, client):
    first = runner.invoke(main, ["demo"])
    runner.invoke(main, ["demo"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Valuation)
                                 .where(Valuation.unit_id.is_not(None))) == 5
        groups = list(db.session.scalars(sa.select(Valuation).where(Valuation.unit_id.is_(None))))
        assert sorted((v.pool_id is not None, v.area_id is not None) for v in groups) == \
            [(False, False), (False, False), (False, True), (False, True), (True, False)]
        imported = {v.imported_from for v in db.session.scalars(sa.select(IndicatorValue))}
        assert imported == {"demo_indicators.csv", ""}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 14
        south = db.session.scalar(sa.select(Area.id).where(Area.name == "Södra området"))
        verkstan = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "verkstan"))
        assert {a.status for a in db.session.scalars(sa.select(Action))} == {"planned", "ongoing", "done"}
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))
        verkstan = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "verkstan"))
        phase = db.session.scalar(sa.select(ChartPhase))  # one, though the demo ran twice
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChartPhase)) == 1
        assert (phase.unit_id, phase.flag_id, phase.confirmed_by) == (verkstan, "staff_able", "kvalitetsutvecklare")
    password = first.output.split("admin@demo.example / ")[1].split()[0]
    app.config["WTF_CSRF_ENABLED"] = False  # logging in is tested elsewhere
    assert client.post("/staff/login", data={"email": "admin@demo.example", "password": password}).status_code == 302
    page = client.get(f"/cycle/unit/{unit_id}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Utmaning" in page and "Brandövningar och ett lugnare larm" in page
    flag = client.get(f"/cycle/unit/{unit_id}/flag/relationships").get_data(as_text=True)
    assert "Tryggheten hemma har sjunkit igen." in flag and "Vi ska öva på vad vi gör" in flag
    assert "Husmöte om brandlarmet" in flag
    indicator = client.get(f"/cycle/unit/{unit_id}/flag/activities_from_needs").get_data(as_text=True)
    assert "Genomförandeplaner som följts upp" in indicator and "11 av 12 (92 %)" in indicator
    area = client.get(f"/cycle/level/area/{south}/flag/gaps_grey_zones").get_data(as_text=True)
    assert "Väntetiden till första samtalet är för lång på Kompassen" in area
    manager = app.test_client()
    manager_password = first.output.split("enhetschef@demo.example / ")[1].split()[0]
    manager.post("/staff/login", data={"email": "enhetschef@demo.example", "password": manager_password})
    assert manager.get(f"/cycle/unit/{unit_id}").status_code == 200
    assert manager.get(f"/cycle/unit/{verkstan}").status_code == 404
    # Verkstan's chart: a new phase where its action started, and against phase 1's frozen median, a signal
    chart = client.get(f"/cycle/unit/{verkstan}/flag/staff_able", headers={"Accept-Language": "en"})
    user = chart.get_data(as_text=True).split('id="over-time"')[1].split("</section>")[0]
    assert "Phase 2:" in user and "Phase 2 against the frozen centre line of the phase before it" in user
    assert re.search(r"\d+ points in a row above the median: more than \d+ would rarely happen by chance", user)
