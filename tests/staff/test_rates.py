"""Response rates: issued cards, started and completed responses, answers with help, per unit and round."""

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


def test_rates_count_issued_started_completed_and_helped(app):
    make_unit(app)
    add_responses(app, completed=6, started=9, helped=2)
    with app.app_context():
        [rate] = rates.rates(list(db.session.scalars(sa.select(Unit))), min_group=5)
        assert (rate.issued, rate.started, rate.completed, rate.with_help) == (20, 9, 6, 2)
        assert rate.response_rate == 0.3


def test_with_help_is_hidden_below_the_group_threshold(app):
    make_unit(app)
    add_responses(app, completed=4, started=4, helped=1)
    with app.app_context():
        [rate] = rates.rates(list(db.session.scalars(sa.select(Unit))), min_group=5)
        assert rate.completed == 4 and rate.with_help is None


def test_overview_shows_rates_and_updates_them_live(app, client):
    make_unit(app)
    add_responses(app, completed=6, started=9, helped=2)
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get("/staff/").get_data(as_text=True)
    assert 'id="live-updates"' in page and "staff.js" in page
    assert "<td>20</td><td>9</td><td>6</td>" in page and "30 %" in page
