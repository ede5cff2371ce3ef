"""Attack 4: an analyst pads a small unit through its open link with responses whose answers they know, and
subtracts them from the unit's figures.

Before: twenty known "don't know" responses lifted a 4-person unit over the threshold; subtracting them gave the
four people's answers exactly. Now a figure is shown only where enough respondents came through a code or tablet
mode, which an outsider cannot use at will; open-link responses beyond the unit's places are held for review."""
from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Response, Unit
from tests.helpers import Respondent, add_response, login, make_account, make_unit, release


def fake(app, slug: str) -> None:
    """A padding response through the open link, as the attacker sends it: "don't know" (or the first) everywhere."""
    person = Respondent(app.test_client(), slug)
    person.start()
    user = app.extensions["survey.library"].questionnaires["user"]
    for position, question in enumerate(user.questions, start=1):
        if question.is_choice:
            person.answer(position, "dont_know" if question.dont_know else question.options[-1].key)


def unit_cells(client, name: str) -> pd.DataFrame:
    table = pd.read_csv(io.BytesIO(client.get("/analysis/export.csv?lang=en").data))
    return table[(table["level"] == "unit") & (table["group"] == name)]


def test_twenty_known_answers_do_not_lift_four_people_over_the_threshold(app, client):
    make_unit(app, "lilla", "Lilla hemmet")
    for i in range(4):  # four real people, with codes
        add_response(app, "lilla", {"decide_important": "yes" if i % 2 else "no", "safe_with_staff": "yes"})
    for _ in range(20):
        fake(app, "lilla")
    release(app)
    login(client, make_account(app, "analyst"))
    cells = unit_cells(client, "Lilla hemmet")
    assert len(cells) and (cells["status"] == "too few answers").all()
    assert cells["respondents"].isna().all()  # nothing to subtract the fakes from
    micro = pd.read_csv(io.BytesIO(client.get("/analysis/microdata.csv").data))
    assert micro.empty


def test_padding_open_link_respondents_is_no_better(app, client):
    make_unit(app, "lilla", "Lilla hemmet")
    for i in range(4):  # four real people who came through the poster's open link
        add_response(app, "lilla", {"decide_important": "yes" if i % 2 else "no"}, channel="link")
    for _ in range(20):
        fake(app, "lilla")
    release(app)
    login(client, make_account(app, "analyst"))
    assert (unit_cells(client, "Lilla hemmet")["status"] == "too few answers").all()


def test_responses_beyond_a_units_places_are_held_out_of_every_figure(app, client):
    make_unit(app, "lilla", "Lilla hemmet")
    with app.app_context():
        db.session.execute(sa.update(Unit).values(places=6))
        db.session.commit()
    for i in range(6):  # six real people with codes: the unit's results are shown
        add_response(app, "lilla", {"decide_important": "yes", "safe_with_staff": "yes" if i else "no"})
    for _ in range(12):  # a stranger stuffs the open link with "no" everywhere
        fake(app, "lilla")
    with app.app_context():
        held = db.session.scalar(sa.select(sa.func.count()).where(Response.held))
        counted = db.session.scalar(sa.select(sa.func.count()).where(Response.held.is_(False),
                                                                     Response.channel == "link"))
    assert (held, counted) == (12, 0)  # the unit's six places are taken: every open-link response waits
    release(app)
    login(client, make_account(app, "analyst"))
    cells = unit_cells(client, "Lilla hemmet")
    safe = cells[(cells["item"] == "safe_with_staff") & (cells["dimension"] == "all")].iloc[0]
    assert (safe["status"], safe["respondents"], safe["positive_share"]) == ("shown", 6, round(500 / 6, 1))
