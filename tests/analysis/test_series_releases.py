"""Releases of a continuous survey: each month released on its own, three months a block (a quarter), a pulse
publishing only what it asked and comparing each question only with the last period that asked it."""
from __future__ import annotations

import datetime as dt
import io
import json
import random

import pandas as pd
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Release, ReleaseCell, Round, Unit
from survey.questionnaires import library
from survey.staff import series
from tests.helpers import add_response, login, make_account, make_unit, release

TODAY = dt.date.today()


def months_ago(count: int) -> dt.date:
    first = TODAY.replace(day=1)
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def monthly(app, slugs=("bjorken", "eken"), pulse=(), size=1, back=5) -> list[str]:
    """Units (whose own round is long closed) in a monthly series from `back` months ago; return its past periods'
    round names, oldest first."""
    for slug in slugs:
        make_unit(app, slug, slug.title(), opens=-400, closes=-380)
    with app.app_context():
        made = series.start_series("Puls", library().published("user"), "month", months_ago(back), None,
                                   list(db.session.scalars(sa.select(Unit))), list(pulse), size, TODAY)
        db.session.commit()
        return [p.round.name for p in series.periods(made) if p.round.closes_on < TODAY]


def answer(app, round_name: str, keys, people=6, slugs=("bjorken", "eken"), seed=0) -> None:
    rng = random.Random(f"{round_name}{seed}")
    for slug in slugs:
        for _ in range(people):
            add_response(app, slug, {key: rng.choice(["yes", "no"]) for key in keys}, round_name=round_name,
                         sex=rng.choice(["woman", "man"]))


def spans(app, round_name: str) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(sa.select(ReleaseCell.periods).join(Release).join(Round)
                                      .where(Round.name == round_name)))


def test_three_months_make_a_block_and_the_fourth_begins_the_next(app):
    names = monthly(app)
    for name in names[:4]:
        answer(app, name, ("decide_important", "safe_with_staff"))
        release(app, name)
    assert [spans(app, name) for name in names[:4]] == [{1}, {1, 2}, {1, 2, 3}, {1}]
    with app.app_context():
        third = db.session.scalar(sa.select(Release).join(Round).where(Round.name == names[2]))
        assert json.loads(third.summary)["periods"] == {"2": f"{names[1]}–{names[2]}",
                                                        "3": f"{names[0]}–{names[2]}"}
        assert set(db.session.scalars(sa.select(Release.position))) == {None}  # the questionnaire's own series


def test_a_round_of_its_own_keeps_its_place_beside_a_series(app):
    names = monthly(app)
    make_unit(app, "verkstan", "Verkstan", opens=-400, closes=-380)  # its own "Hösten", long closed
    answer(app, "Hösten", ("decide_important",), slugs=("verkstan",))
    answer(app, names[0], ("decide_important",))
    release(app, names[0])
    release(app, "Hösten")
    with app.app_context():
        assert db.session.scalar(sa.select(Release.position).join(Round).where(Round.name == "Hösten")) == 1


def test_a_period_released_after_a_later_one_spans_nothing(app):
    names = monthly(app)
    for name in names[:3]:
        answer(app, name, ("decide_important",))
    release(app, names[0])
    release(app, names[2])
    release(app, names[1])  # late: the third's audit did not know it, so it is tied to nothing
    assert spans(app, names[1]) == {1}
    assert spans(app, names[2]) == {1, 2}  # the third over the first and itself: the periods it knew


def test_a_pulse_publishes_only_its_questions_and_compares_each_with_the_last_period_that_asked_it(app):
    names = monthly(app, pulse=("decide_important", "safe_with_staff", "staff_listen"), size=2)
    with app.app_context():
        asked = {p.round.name: p.questions for s in series.all_series() for p in series.periods(s)}
    for name in names[:3]:
        answer(app, name, asked[name])
        release(app, name)
    with app.app_context():
        for name in names[:3]:
            cells = db.session.execute(sa.select(ReleaseCell.kind, ReleaseCell.item, ReleaseCell.periods)
                                       .join(Release).join(Round).where(Round.name == name)).all()
            assert {item for kind, item, _p in cells} == set(asked[name]), name  # no empty rows, no flags
            assert {kind for kind, _i, _p in cells} == {"question"} and {p for *_k, p in cells} == {1}
        third = dict(db.session.execute(
            sa.select(ReleaseCell.item, ReleaseCell.change).join(Release).join(Round)
            .where(Round.name == names[2], ReleaseCell.level == "organisation",
                   ReleaseCell.dimension == "all")).all())
        shares = {(name, item): share for name, item, share in db.session.execute(
            sa.select(Round.name, ReleaseCell.item, ReleaseCell.share).select_from(ReleaseCell)
            .join(Release).join(Round)
            .where(ReleaseCell.level == "organisation", ReleaseCell.dimension == "all"))}
    # period 3 asks safe_with_staff, last asked in period 1 (not in period 2), and staff_listen, asked in period 2
    assert [asked[name] for name in names[:3]] == [["decide_important", "safe_with_staff"],
                                                   ["staff_listen", "decide_important"],
                                                   ["safe_with_staff", "staff_listen"]]
    assert third["staff_listen"] == shares[(names[2], "staff_listen")] - shares[(names[1], "staff_listen")]
    assert third["safe_with_staff"] == \
        shares[(names[2], "safe_with_staff")] - shares[(names[0], "safe_with_staff")]


def test_a_round_of_its_own_is_not_compared_with_a_continuous_surveys_period(app):
    names = monthly(app)
    make_unit(app, "verkstan", "Verkstan", opens=-400, closes=-380)
    with app.app_context():
        verkstan = db.session.scalar(sa.select(Unit).where(Unit.slug == "verkstan"))
        db.session.add(Round(name="Vintern", questionnaire_id="user", units=[verkstan],
                             opens_on=TODAY - dt.timedelta(days=3), closes_on=TODAY - dt.timedelta(days=1)))
        db.session.commit()
    answer(app, names[-1], ("decide_important",))  # the last month, closed before Vintern opened
    answer(app, "Vintern", ("decide_important",), slugs=("verkstan",))
    release(app, names[-1])
    release(app, "Vintern")
    with app.app_context():
        vintern = db.session.scalar(sa.select(Release).join(Round).where(Round.name == "Vintern"))
        assert json.loads(vintern.summary)["previous_round"] is None
        assert vintern.position == 1


def test_an_analyst_opens_a_pulse_release_and_downloads_only_its_questions(app, client):
    names = monthly(app, pulse=("decide_important", "safe_with_staff", "staff_listen"), size=2)
    answer(app, names[0], ("decide_important", "safe_with_staff"))
    release(app, names[0])
    login(client, make_account(app, "analyst"))
    with app.app_context():
        round_id = db.session.scalar(sa.select(Round.id).where(Round.name == names[0]))
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))
    query = f"questionnaire=user&round={round_id}"
    for page in ("/analysis/", f"/analysis/unit/{unit_id}", "/analysis/microdata.csv"):
        assert client.get(f"{page}?{query}").status_code == 200, page
    table = pd.read_csv(io.BytesIO(client.get(f"/analysis/export.csv?lang=en&{query}").data))
    assert set(table["item"]) == {"decide_important", "safe_with_staff"} and set(table["kind"]) == {"question"}


def test_the_cycles_run_charts_keep_a_continuous_surveys_months_off_the_rounds_line(app):
    from survey.cycle import series as lines
    names = monthly(app)
    make_unit(app, "verkstan", "Verkstan", opens=-400, closes=-380)
    answer(app, "Hösten", ("decide_important",), slugs=("verkstan",))
    release(app, "Hösten")
    for name in names[:2]:
        answer(app, name, ("decide_important",))
        release(app, name)
    with app.app_context():
        line = lines.series("user", lines.Subject("organisation", "all", "Kommunen"), "question", "decide_important")
        assert [point.label for point in line.points] == ["Hösten"]


def test_a_pages_default_round_is_the_organisations_newest_round_or_the_units_own_newest(app):
    from survey.analysis import service
    names = monthly(app, slugs=("bjorken",))
    make_unit(app, "verkstan", "Verkstan", opens=-400, closes=-380)
    answer(app, "Hösten", ("decide_important",), slugs=("verkstan",))
    release(app, "Hösten")
    answer(app, names[-1], ("decide_important",), slugs=("bjorken",))
    release(app, names[-1])  # newer, but one unit's month
    with app.app_context():
        bjorken = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))
        assert service.select_round("user", None).round.name == "Hösten"
        assert service.select_round("user", None, bjorken).round.name == names[-1]
