"""Tablet mode: staff start it, person after person answers, nothing of the last person can be reached."""
import datetime as dt

import sqlalchemy as sa

from survey.db import db
from survey.db.models import Response, TabletSession, Unit
from tests.helpers import Respondent, csrf_token, login, make_account, make_unit


def start_tablet(app, client, pin="4321") -> Respondent:
    """Log in as unit staff and put this client (the iPad) into tablet mode for the user questionnaire."""
    make_unit(app)
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get("/staff/tablet").get_data(as_text=True)
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id))
    result = client.post("/staff/tablet",
                         data={"target": f"{unit_id}/user", "pin": pin, "csrf_token": csrf_token(page)})
    assert result.headers["Location"] == "/tablet"
    return Respondent(client, "bjorken")


def answer_everything(ipad: Respondent, app) -> None:
    ipad.get("/tablet", follow_redirects=True)
    ipad.get("/u/bjorken/user?lang=sv")
    ipad.post("/u/bjorken/user", {"lang": "sv"})
    for position in range(1, len(app.extensions["survey.library"].questionnaires["user"].questions) + 1):
        ipad.answer(position, "yes") if position == 1 else ipad.answer(position)


def test_starting_tablet_mode_logs_staff_out(app, client):
    start_tablet(app, client)
    assert client.get("/staff/").status_code == 302  # back to the log-in page


def test_tablet_shows_the_start_page_and_records_the_channel(app, client):
    ipad = start_tablet(app, client)
    assert ipad.get("/tablet").headers["Location"] == "/u/bjorken/user"
    answer_everything(ipad, app)
    with app.app_context():
        assert db.session.execute(sa.select(Response.channel, Response.completed)).all() == [("tablet", True)]


def test_thanks_page_returns_to_start_for_the_next_person(app, client):
    ipad = start_tablet(app, client)
    answer_everything(ipad, app)
    thanks = ipad.get("/r/thanks").get_data(as_text=True)
    assert '<a class="primary" href="/tablet" data-follow-after="30">' in thanks


def test_previous_persons_answers_cannot_be_reached(app, client):
    ipad = start_tablet(app, client)
    answer_everything(ipad, app)
    for position in (1, 2):
        back = ipad.client.get(f"/r/{position}")
        assert back.status_code == 400 and "Ja" not in back.get_data(as_text=True)
        assert back.headers["Cache-Control"] == "no-store"


def test_giving_up_returns_to_start_and_keeps_the_answers_as_incomplete(app, client):
    ipad = start_tablet(app, client)
    ipad.get("/tablet", follow_redirects=True)
    ipad.get("/u/bjorken/user?lang=sv")
    ipad.post("/u/bjorken/user", {"lang": "sv"})
    ipad.answer(1, "yes")
    ipad.get("/r/stop?from=2")
    assert ipad.post("/r/stop").headers["Location"] == "/tablet"
    assert ipad.client.get("/r/2").status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(Response.completed)) is False


def test_leaving_needs_the_pin(app, client):
    ipad = start_tablet(app, client, pin="24680")
    ipad.get("/tablet/leave")
    ipad.post("/tablet/leave", {"pin": "1111"})
    assert "Fel PIN" in ipad.page or "Wrong PIN" in ipad.page
    assert ipad.get("/tablet").status_code == 302
    ipad.get("/tablet/leave")
    assert ipad.post("/tablet/leave", {"pin": "24680"}).headers["Location"] == "/staff/login"
    assert ipad.get("/tablet").status_code == 400  # tablet mode has ended
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TabletSession)) == 0


def test_tablet_mode_expires_after_the_working_day(app, client):
    ipad = start_tablet(app, client)
    with app.app_context():
        db.session.execute(sa.update(TabletSession).values(valid_on=dt.date.today() - dt.timedelta(days=1)))
        db.session.commit()
    result = ipad.get("/tablet")
    assert result.status_code == 400 and "personalen" in ipad.page


def test_pin_must_be_digits(app, client):
    make_unit(app)
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get("/staff/tablet").get_data(as_text=True)
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id))
    result = client.post("/staff/tablet",
                         data={"target": f"{unit_id}/user", "pin": "abc", "csrf_token": csrf_token(page)})
    assert result.status_code == 200 and "4" in result.get_data(as_text=True)
