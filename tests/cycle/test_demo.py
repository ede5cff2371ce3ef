"""The demo (what `make run` shows) has one unit's quality cycle: valuations over two years and actions."""
from __future__ import annotations

import sqlalchemy as sa

from survey.cli import main
from survey.db import db
from survey.db.models import Action, Unit, Valuation


def test_the_demo_has_a_units_cycle_once_and_its_pages_show_it(app, runner, client):
    first = runner.invoke(main, ["demo"])
    runner.invoke(main, ["demo"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Valuation)) == 5
        assert {a.status for a in db.session.scalars(sa.select(Action))} == {"planned", "ongoing", "done"}
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))
    password = first.output.split("admin@demo.example / ")[1].split()[0]
    app.config["WTF_CSRF_ENABLED"] = False  # logging in is tested elsewhere
    assert client.post("/staff/login", data={"email": "admin@demo.example", "password": password}).status_code == 302
    page = client.get(f"/cycle/unit/{unit_id}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Utmaning" in page and "Brandövningar och ett lugnare larm" in page
    flag = client.get(f"/cycle/unit/{unit_id}/flag/relationships").get_data(as_text=True)
    assert "Tryggheten hemma har sjunkit igen." in flag and "Vi ska öva på vad vi gör" in flag
    assert "Husmöte om brandlarmet" in flag
