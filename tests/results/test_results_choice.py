"""The unit chooses which questions go back to its users, and marks that it showed them: as unit staff, an
administrator or a quality developer would; another unit's staff can change nothing."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import ResultsChoice, Round, SharedWithUsers, Unit
from tests.conftest import build_org
from tests.helpers import add_response, csrf_token, login, make_account, release
from tests.results.test_results_pages import text


def staff_round(app, slugs: tuple[str, ...], name: str = "Personalenkäten") -> None:
    """Add a staff questionnaire round at these units, of the same period as the user round."""
    with app.app_context():
        units = list(db.session.scalars(sa.select(Unit).where(Unit.slug.in_(slugs))))
        today = dt.date.today()
        db.session.add(Round(name=name, questionnaire_id="staff", units=units, opens_on=today - dt.timedelta(days=10),
                             closes_on=today + dt.timedelta(days=10)))
        db.session.commit()


@pytest.fixture
def both(app):
    """build_org, with the staff questionnaire answered and released too: Björken's 8 staff (5 agree with
    "meaningful_work"), Linden's 6 (hidden, or Eken's would follow from the area's), Eken's 3 (too few to show)."""
    build_org(app)
    staff_round(app, ("bjorken", "linden", "eken"))
    for said in ["agree_fully"] * 4 + ["agree_mostly"] + ["disagree_fully"] * 3:
        add_response(app, "bjorken", {"meaningful_work": said}, round_name="Personalenkäten")
    for _ in range(6):
        add_response(app, "linden", {"meaningful_work": "neither"}, round_name="Personalenkäten")
    for _ in range(3):
        add_response(app, "eken", {"meaningful_work": "agree_fully"}, round_name="Personalenkäten")
    release(app, "Personalenkäten", "staff")
    return app


def unit_id(app, slug: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Unit.id).where(Unit.slug == slug))


def choose(client, app, slug: str, questions: list[str]):
    page = client.get(f"/staff/results/{unit_id(app, slug)}")
    token = csrf_token(page.get_data(as_text=True)) if page.status_code == 200 else ""
    return client.post(f"/staff/results/{unit_id(app, slug)}", data={"question": questions, "csrf_token": token})


def test_the_page_shows_the_user_questions_until_the_unit_chooses(both, client):
    reader = text(client.get("/u/bjorken/results?lang=sv").get_data(as_text=True))
    assert "6 av 8 sa ja." in reader and "Personalen svarade" not in reader


def test_unit_staff_choose_questions_of_both_questionnaires(both, client):
    login(client, make_account(both, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get(f"/staff/results/{unit_id(both, 'bjorken')}").get_data(as_text=True)
    assert 'value="user:decide_important" checked' in page and 'value="staff:meaningful_work">' in page
    assert page.count('<input type="checkbox" name="question"') == page.count('<img src="/pictograms/')
    assert choose(client, both, "bjorken", ["staff:meaningful_work", "user:safe_with_staff", "user:nonsense"]
                  ).status_code == 302
    with both.app_context():
        assert db.session.get(ResultsChoice, unit_id(both, "bjorken")).questions == [
            "user:safe_with_staff", "staff:meaningful_work"]
    reader = text(client.get("/u/bjorken/results?lang=sv").get_data(as_text=True))
    assert "6 av 8 sa ja." not in reader  # decide_important is no longer chosen
    assert "7 av 7 sa ja." in reader  # safe_with_staff (one said "don't know")
    assert "Det här svarade personalen" in reader and "5 av 8 sa stämmer helt / stämmer ganska bra." in reader
    assert "%" not in reader


def test_the_poster_shows_the_chosen_questions(both, client, tmp_path):
    login(client, make_account(both, "unit_staff", unit_slugs=("bjorken",)))
    choose(client, both, "bjorken", ["staff:meaningful_work"])
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(client.get("/u/bjorken/results/poster.pdf?lang=sv").data)
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Det här svarade personalen" in words and "5 av 8 sa" in words and "6 av 8 sa ja" not in words


def test_a_choice_cannot_show_what_the_release_hides(both, client):
    """The attacker's view: Eken's three staff answers are hidden in the release; choosing the question as Eken's
    staff shows the stand-in group or "too few", never Eken's own three."""
    login(client, make_account(both, "unit_staff", unit_slugs=("eken",)))
    choose(client, both, "eken", ["staff:meaningful_work", "user:decide_important"])
    reader = text(client.get("/u/eken/results?lang=sv").get_data(as_text=True))
    assert "3 av 3" not in reader and "av 3 sa" not in reader and "0 av 3" not in reader
    assert "Det här svarade personalen" in reader


@pytest.mark.parametrize("role", ["administrator", "quality_developer"])
def test_administrators_and_quality_developers_choose_for_any_unit(both, client, role):
    login(client, make_account(both, role))
    assert choose(client, both, "linden", ["user:safe_here"]).status_code == 302
    with both.app_context():
        assert db.session.get(ResultsChoice, unit_id(both, "linden")).questions == ["user:safe_here"]


def test_another_units_staff_cannot_change_the_choice(both, client):
    login(client, make_account(both, "unit_staff", unit_slugs=("linden",)))
    assert client.get(f"/staff/results/{unit_id(both, 'bjorken')}").status_code == 404
    page = client.get(f"/staff/results/{unit_id(both, 'linden')}").get_data(as_text=True)
    answer = client.post(f"/staff/results/{unit_id(both, 'bjorken')}",
                         data={"question": ["user:safe_here"], "csrf_token": csrf_token(page)})
    assert answer.status_code == 404
    shared = client.post(f"/staff/results/{unit_id(both, 'bjorken')}/shared",
                         data={"shared-form": "meeting", "csrf_token": csrf_token(page)})
    assert shared.status_code == 404
    with both.app_context():
        assert db.session.get(ResultsChoice, unit_id(both, "bjorken")) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SharedWithUsers)) == 0


@pytest.mark.parametrize("role", ["analyst", "council"])
def test_other_roles_cannot_choose(both, client, role):
    login(client, make_account(both, role))
    assert client.get(f"/staff/results/{unit_id(both, 'bjorken')}").status_code == 403


def test_staff_mark_the_results_as_shared_from_the_results_page(both, client):
    login(client, make_account(both, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get("/u/bjorken/results?lang=sv").get_data(as_text=True)
    link = page.split('<p class="staff-link"><a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    with both.app_context():
        round_id = db.session.scalar(sa.select(Round.id).where(Round.questionnaire_id == "user"))
    assert f'<option selected value="{round_id}">' in form
    yesterday = dt.date.today() - dt.timedelta(days=1)
    answer = client.post(f"/staff/results/{unit_id(both, 'bjorken')}/shared",
                         data={"shared-round_id": round_id, "shared-shared_on": yesterday.isoformat(),
                               "shared-form": "tablet", "csrf_token": csrf_token(form)})
    assert answer.status_code == 302
    with both.app_context():
        row = db.session.scalar(sa.select(SharedWithUsers))
        assert (row.round_id, row.shared_on, row.form) == (round_id, yesterday, "på enhetens surfplatta")
    listed = client.get(link).get_data(as_text=True)
    assert f"{yesterday}: på enhetens surfplatta" in listed


def test_sharing_in_the_future_is_refused(both, client):
    login(client, make_account(both, "unit_staff", unit_slugs=("bjorken",)))
    form = client.get(f"/staff/results/{unit_id(both, 'bjorken')}").get_data(as_text=True)
    with both.app_context():
        round_id = db.session.scalar(sa.select(Round.id).where(Round.questionnaire_id == "user"))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    answer = client.post(f"/staff/results/{unit_id(both, 'bjorken')}/shared",
                         data={"shared-round_id": round_id, "shared-shared_on": tomorrow.isoformat(),
                               "shared-form": "meeting", "csrf_token": csrf_token(form)})
    assert answer.status_code == 200
    with both.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SharedWithUsers)) == 0


def test_the_public_sees_no_staff_link(both, client):
    assert 'class="staff-link"' not in client.get("/u/bjorken/results?lang=sv").get_data(as_text=True)
    login(client, make_account(both, "unit_staff", unit_slugs=("linden",)))
    assert 'class="staff-link"' not in client.get("/u/bjorken/results?lang=sv").get_data(as_text=True)


TABLES = ("results_choice", "council_results_feedback")


def test_the_migration_builds_the_tables_as_the_models_describe_and_goes_down_and_up(app):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from survey.db import migrate
    with app.app_context(), db.engine.begin() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert [d for d in differences if any(f"'{table}'" in repr(d) for table in TABLES)] == []
        config = migrate._config(connection)
        from alembic.script import ScriptDirectory
        command.downgrade(config, ScriptDirectory.from_config(config).get_revision("0015_results_choice").down_revision)
        assert set(TABLES).isdisjoint(sa.inspect(connection).get_table_names())
        command.upgrade(config, "head")
        assert set(TABLES) <= set(sa.inspect(connection).get_table_names())
