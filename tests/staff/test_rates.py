"""Response rates: issued cards, started and completed responses, held ones, per unit and round; no answer figure."""

import sqlalchemy as sa

from survey.db import db
from survey.db.models import Response, Round, Unit
from survey.respond import invitations
from survey.staff import rates
from tests.helpers import login, make_account, make_unit


def add_responses(app, completed: int, started: int, helped: int) -> None:
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit))
        survey_round = db.session.scalar(sa.select(Round))
        for i in range(started):
            db.session.add(Response(unit_id=unit.id, round_id=survey_round.id, questionnaire_id="user",
                                    questionnaire_version=1, language="sv", channel="link", completed=i < completed,
                                    helped="staff" if i < helped else "nobody"))
        invitations.issue(unit, survey_round, 20, "secret")
        db.session.commit()


def test_rates_count_issued_started_completed_and_held(app):
    make_unit(app)
    add_responses(app, completed=6, started=9, helped=2)
    with app.app_context():
        db.session.execute(sa.update(Response).where(Response.completed.is_(False)).values(held=True))
        db.session.commit()
        [rate] = rates.rates(list(db.session.scalars(sa.select(Unit))))
        assert (rate.issued, rate.started, rate.completed, rate.held) == (20, 6, 6, 3)
        assert rate.response_rate == 0.3
        assert not hasattr(rate, "with_help")  # who helped is an answer: counted only in releases


def test_overview_shows_rates_and_updates_them_live(app, client):
    make_unit(app)
    add_responses(app, completed=6, started=9, helped=2)
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get("/staff/").get_data(as_text=True)
    assert 'id="live-updates"' in page and "staff.js" in page
    assert "<td>20</td><td>9</td><td>6</td>" in page and "30 %" in page
