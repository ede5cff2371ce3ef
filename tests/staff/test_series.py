"""Continuous surveys: a round per month or quarter, made ahead, named after the period, with a rotating pulse."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from survey.cli import main
from survey.db import db
from survey.db.models import Round, RoundSeries, SeriesPeriod, Unit
from survey.questionnaires import library
from survey.staff import schedule, series
from survey.staff.organisation import OrganisationError, save_round
from tests.helpers import csrf_token, login, make_account, make_unit

D = dt.date


@pytest.mark.parametrize(("period", "start", "number", "name", "first", "last"), [
    ("month", D(2027, 1, 15), 1, "Brukarenkät 2027-01", D(2027, 1, 1), D(2027, 1, 31)),
    ("month", D(2027, 1, 15), 2, "Brukarenkät 2027-02", D(2027, 2, 1), D(2027, 2, 28)),
    ("month", D(2027, 11, 3), 3, "Brukarenkät 2028-01", D(2028, 1, 1), D(2028, 1, 31)),
    ("quarter", D(2027, 2, 10), 1, "Brukarenkät 2027 K1", D(2027, 1, 1), D(2027, 3, 31)),
    ("quarter", D(2027, 11, 1), 2, "Brukarenkät 2028 K1", D(2028, 1, 1), D(2028, 3, 31)),
    ("quarter", D(2027, 4, 1), 3, "Brukarenkät 2027 K4", D(2027, 10, 1), D(2027, 12, 31)),
])
def test_a_period_is_a_whole_month_or_quarter_named_after_it(period, start, number, name, first, last):
    assert schedule.period_at("Brukarenkät", period, start, number) == schedule.Period(number, name, first, last)


def test_periods_run_until_the_one_after_today_and_stop_at_the_end():
    made = schedule.periods_until("P", "month", D(2027, 1, 20), None, schedule.ahead("month", D(2027, 3, 31)))
    assert [p.name for p in made] == ["P 2027-01", "P 2027-02", "P 2027-03", "P 2027-04"]
    ended = schedule.periods_until("P", "quarter", D(2027, 1, 1), D(2027, 5, 15), D(2030, 1, 1))
    assert [p.name for p in ended] == ["P 2027 K1", "P 2027 K2"]


def test_a_pulse_takes_the_next_questions_in_turn():
    pulse = ["a", "b", "c", "d", "e"]
    assert [schedule.pulse_for(pulse, 2, n) for n in (1, 2, 3, 4)] == [["a", "b"], ["c", "d"], ["e", "a"],
                                                                       ["b", "c"]]
    assert [schedule.pulse_for(["a", "b"], 3, n) for n in (1, 2)] == [["a", "b"], ["a", "b"]]
    assert schedule.pulse_for([], 2, 1) is None


@pytest.mark.parametrize(("pulse", "size", "problem"), [
    (["decide_important", "nonsense"], 1, "no question nonsense"),
    (["sex"], 1, "no question sex"),  # background questions are no pulse
    (["decide_important", "decide_important"], 1, "once"),
    (["decide_important"], 4, "1 to 3"),
])
def test_a_pulse_names_questions_of_the_questionnaire(app, pulse, size, problem):
    make_unit(app, opens=-400, closes=-380)
    with app.app_context():
        units = list(db.session.scalars(sa.select(Unit)))
        with pytest.raises(OrganisationError, match=problem):
            series.start_series("Puls", library().published("user"), "month", dt.date.today(), None, units, pulse,
                                size, dt.date.today())


def _start(app, runner, *args: str):
    result = runner.invoke(main, ["rounds", "start", *args])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return [(r.name, r.opens_on, r.closes_on, p.number, p.questions) for r, p in db.session.execute(
            sa.select(Round, SeriesPeriod).join(SeriesPeriod, SeriesPeriod.round_id == Round.id)
            .order_by(SeriesPeriod.number))]


def test_the_command_makes_each_period_a_round_until_the_one_after_today(app):
    make_unit(app, opens=-400, closes=-380)
    today = dt.date.today()
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the first of last month
    made = _start(app, app.test_cli_runner(), "Brukarenkät", "--questionnaire", "user", "--units", "bjorken",
                  "--starts", start.isoformat(), "--pulse", "decide_important,staff_listen,safe_here",
                  "--pulse-size", "2")
    assert [(name, number, asked) for name, _o, _c, number, asked in made] == [
        (f"Brukarenkät {start:%Y-%m}", 1, ["decide_important", "staff_listen"]),
        (f"Brukarenkät {today:%Y-%m}", 2, ["safe_here", "decide_important"]),
        (f"Brukarenkät {schedule.ahead('month', today):%Y-%m}", 3, ["staff_listen", "safe_here"])]
    assert made[1][1] <= today <= made[1][2] and made[2][1] == made[1][2] + dt.timedelta(days=1)
    runner = app.test_cli_runner()
    assert runner.invoke(main, ["rounds", "plan"]).output.strip() == "Every round is made."
    with app.app_context():
        assert all(len(r.units) == 1 for r in db.session.scalars(sa.select(Round).join(SeriesPeriod)))


def test_the_nightly_release_makes_the_next_period_in_time(app):
    make_unit(app, opens=-400, closes=-380)
    today = dt.date.today()
    _start(app, app.test_cli_runner(), "Puls", "--questionnaire", "user", "--units", "bjorken", "--starts",
           today.isoformat())
    with app.app_context():  # as if the series was started last month, and nothing has run since
        db.session.execute(sa.delete(SeriesPeriod).where(SeriesPeriod.number == 2))
        db.session.delete(db.session.scalar(sa.select(Round).where(
            Round.name == f"Puls {schedule.ahead('month', today):%Y-%m}")))
        db.session.commit()
    output = app.test_cli_runner().invoke(main, ["release"]).output
    assert f"Made Puls {schedule.ahead('month', today):%Y-%m}" in output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SeriesPeriod)) == 2


def test_a_unit_has_one_round_of_a_questionnaire_at_a_time(app):
    make_unit(app)  # "Hösten" is open today
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["rounds", "start", "Puls", "--questionnaire", "user", "--units", "bjorken",
                                 "--starts", dt.date.today().isoformat()])
    assert result.exit_code != 0 and "'Hösten' already asks user" in result.output
    with app.app_context():
        hosten = db.session.scalar(sa.select(Round))
        hosten.closes_on = hosten.opens_on = dt.date.today() - dt.timedelta(days=400)
        db.session.commit()
    assert runner.invoke(main, ["rounds", "start", "Puls", "--questionnaire", "user", "--units", "bjorken",
                               "--starts", dt.date.today().isoformat()]).exit_code == 0
    with app.app_context(), pytest.raises(OrganisationError, match="continuous survey already asks user"):
        save_round("Kvartalet", "user", dt.date.today(), dt.date.today() + dt.timedelta(days=80),
                   list(db.session.scalars(sa.select(Unit))))


def test_an_administrator_starts_a_monthly_pulse_on_the_admin_page(app, client):
    make_unit(app, opens=-400, closes=-380)
    login(client, make_account(app, "administrator"))
    page = client.get("/admin/series/new").get_data(as_text=True)
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id))
    sent = client.post("/admin/series/new", data={
        "csrf_token": csrf_token(page), "name": "Pulsen", "questionnaire_id": "user", "period": "month",
        "starts_on": dt.date.today().isoformat(), "unit_ids": [unit_id], "pulse_size": "1",
        "pulse": ["user:safe_here", "user:decide_important"]}, follow_redirects=True)
    home = sent.get_data(as_text=True)
    assert sent.status_code == 200 and f"Pulsen {dt.date.today():%Y-%m}" in home
    with app.app_context():
        made = db.session.scalar(sa.select(RoundSeries))
        assert made.pulse == ["decide_important", "safe_here"]  # in the questionnaire's order
        assert [p.questions for p in series.periods(made)] == [["decide_important"], ["safe_here"]]


def test_the_first_and_last_periods_keep_to_the_start_and_end_dates(app):
    make_unit(app, opens=-400, closes=-380)
    start = schedule.ahead("quarter", dt.date.today()) + dt.timedelta(days=100)  # the middle of a later quarter
    made = _start(app, app.test_cli_runner(), "Kvartal", "--questionnaire", "user", "--units", "bjorken",
                  "--period", "quarter", "--starts", start.isoformat(), "--ends",
                  (start + dt.timedelta(days=100)).isoformat())
    assert made == []  # nothing before the period after today's: made ahead, not years ahead
    with app.app_context():
        found = db.session.scalar(sa.select(RoundSeries))
        rounds = series.plan_series(found, start + dt.timedelta(days=200))
        assert (rounds[0].opens_on, rounds[-1].closes_on) == (start, start + dt.timedelta(days=100))
        assert len(rounds) == 2
