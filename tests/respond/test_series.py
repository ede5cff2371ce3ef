"""Answering a continuous survey: across a period's end, the unit link, codes and the tablet find the open period,
and a response stays in the period it began in; a pulse asks only its own questions."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from markupsafe import escape

from survey.db import db
from survey.db.models import Answer, Response, Round, SeriesPeriod, Unit
from survey.questionnaires import library
from survey.respond import invitations, tablet, views
from survey.staff import series
from tests.helpers import Respondent, csrf_token, login, make_account, make_unit

TODAY = dt.date.today()
THIS_MONTH = TODAY.replace(day=1)
LAST_DAY_BEFORE = THIS_MONTH - dt.timedelta(days=1)  # the last day of last month: period 1's last day


def monthly(app, pulse=(), size=1) -> dict[int, str]:
    """Bjorken (whose autumn round is long closed) asks a monthly series from the first of last month; return each
    period's round id by number."""
    make_unit(app, opens=-400, closes=-380)
    with app.app_context():
        made = series.start_series("Puls", library().published("user"), "month", LAST_DAY_BEFORE.replace(day=1),
                                   None, list(db.session.scalars(sa.select(Unit))), list(pulse), size, TODAY)
        db.session.commit()
        return {p.number: p.round.id for p in series.periods(made)}


def on(monkeypatch, day: dt.date) -> None:
    """Let the respondent's pages and tablet mode live on this day."""
    monkeypatch.setattr(views, "today", lambda: day)
    monkeypatch.setattr(tablet, "today", lambda: day)


def rounds_of_responses(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return sorted(db.session.execute(sa.select(Response.round_id, Response.channel, Response.completed)).all())


def test_a_response_begun_on_a_periods_last_day_stays_in_that_period(app, client, monkeypatch):
    rounds = monthly(app)
    on(monkeypatch, LAST_DAY_BEFORE)
    person = Respondent(client, "bjorken")
    assert person.start().status_code == 200
    person.answer(1, "yes")
    on(monkeypatch, THIS_MONTH)  # midnight: the next period has begun
    after = person.get("/r/2")
    assert after.status_code == 404 and "Enkäten är stängd nu." in person.page  # never carried into the next period
    assert rounds_of_responses(app) == [(rounds[1], "link", False)]
    with app.app_context():
        assert db.session.scalar(sa.select(Answer.option)) == "yes"  # what was answered is kept, in its period
    # The unit link now leads to the new period, and a new start lands there
    assert client.get("/u/bjorken").headers["Location"] == "/u/bjorken/user"
    Respondent(client, "bjorken").start()
    assert rounds_of_responses(app) == sorted([(rounds[1], "link", False), (rounds[2], "link", False)])


def test_a_card_printed_in_one_period_opens_the_next_once(app, client, monkeypatch):
    rounds = monthly(app)
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit))
        code, other = invitations.issue(unit, db.session.get(Round, rounds[1]), 2, app.config["SECRET_KEY"])
        unit_id = unit.id
    on(monkeypatch, THIS_MONTH)
    person = Respondent(client, "bjorken")
    assert client.get(f"/c?code={code}").headers["Location"] == "/u/bjorken/user"
    person.get("/u/bjorken/user?lang=sv")
    person.post("/u/bjorken/user", {"lang": "sv"})
    assert rounds_of_responses(app) == [(rounds[2], "qr", False)]
    assert client.get(f"/c?code={code}").status_code == 404  # used: once, whichever period it opened
    with app.app_context():
        assert invitations.issued_and_used(unit_id, rounds[1], app.config["SECRET_KEY"]) == (2, 1)
        assert invitations.find(other, app.config["SECRET_KEY"]) is not None  # the other card still works


def test_a_card_of_another_survey_does_not_open_this_one(app):
    rounds = monthly(app)
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit))
        lone = Round(name="Annan", questionnaire_id="user", opens_on=TODAY, closes_on=TODAY, units=[unit])
        db.session.add(lone)
        db.session.commit()
        code = invitations.issue(unit, lone, 1, app.config["SECRET_KEY"])[0]
        found = invitations.find(code, app.config["SECRET_KEY"])
        assert not invitations.use(found.code_hash, db.session.get(Round, rounds[2]), unit, app.config["SECRET_KEY"])


def test_tablet_mode_started_in_a_new_period_answers_in_it(app, client, monkeypatch):
    rounds = monthly(app)
    on(monkeypatch, THIS_MONTH)
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get("/staff/tablet").get_data(as_text=True)
    assert f"Puls {THIS_MONTH:%Y-%m}" in page
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id))
    client.post("/staff/tablet", data={"target": f"{unit_id}/user", "pin": "4321", "csrf_token": csrf_token(page)})
    ipad = Respondent(client, "bjorken")
    ipad.get("/tablet", follow_redirects=True)
    ipad.get("/u/bjorken/user?lang=sv")
    ipad.post("/u/bjorken/user", {"lang": "sv"})
    assert rounds_of_responses(app) == [(rounds[2], "tablet", False)]


def test_a_pulse_asks_only_its_questions_one_of_two(app, client, monkeypatch):
    rounds = monthly(app, pulse=("decide_important", "staff_listen", "safe_here"), size=2)
    on(monkeypatch, TODAY)  # the day the series was planned, even if the clock passes midnight meanwhile
    with app.app_context():
        asked = db.session.scalar(sa.select(SeriesPeriod.questions).where(SeriesPeriod.round_id == rounds[2]))
    assert asked == ["safe_here", "decide_important"]  # period 2 takes the next two, round and round
    person = Respondent(client, "bjorken")
    first = person.start().get_data(as_text=True)
    assert "Fråga 1 av 2" in first
    user = app.extensions["survey.library"].questionnaires["user"]
    assert str(escape(user.question("safe_here").text["sv"])) in first
    person.answer(1, "yes")
    assert str(escape(user.question("decide_important").text["sv"])) in person.get("/r/2").get_data(as_text=True)
    assert person.answer(2, "no").headers["Location"] == "/r/thanks"
    assert person.get("/r/3").status_code != 200  # nothing beyond the pulse
    with app.app_context():
        assert sorted(db.session.execute(sa.select(Answer.question_key, Answer.option)).all()) == [
            ("decide_important", "no"), ("safe_here", "yes")]
        assert db.session.scalar(sa.select(Response.completed))


@pytest.mark.parametrize("size", [1, 3])
def test_a_pulse_of_any_size_is_answered_to_the_end(app, client, monkeypatch, size):
    monthly(app, pulse=("decide_important", "staff_listen", "safe_here"), size=size)
    on(monkeypatch, TODAY)
    person = Respondent(client, "bjorken")
    person.start()
    for position in range(1, size):
        person.answer(position, "yes")
    assert person.answer(size, "yes").headers["Location"] == "/r/thanks"
