"""Other evidence for a flag: a count with its denominator or a note, with source, period and who measured it."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from survey.cycle import rules, store
from survey.db import db
from survey.db.models import FlagEvidence, Unit
from tests.helpers import login, make_account, make_unit

FLAGS = {"gaps_grey_zones", "relationships"}


@pytest.fixture
def unit_id(app, client):
    """A unit without releases, and an analyst logged in, reading English."""
    make_unit(app)
    login(client, make_account(app, "analyst"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        return db.session.scalar(sa.select(Unit.id))


def evidence(unit_id: str, **changes) -> store.NewEvidence:
    values = {"unit_id": unit_id, "flag_id": "gaps_grey_zones", "kind": rules.COUNT,
              "title": "Väntetid över 14 dagar", "source": "journalgranskning", "period": "hösten 2026",
              "measured_by": "måleansvarig", "count": 3, "denominator": 11, **changes}
    return store.NewEvidence(**values)


@pytest.mark.parametrize(("changes", "message"), [
    ({"count": None}, "both the number and what it is out of"),
    ({"count": 12}, "12 of 11 is not a count"),
    ({"count": -1}, "-1 of 11 is not a count"),
    ({"count": 0, "denominator": 0}, "0 of 0 is not a count"),
    ({"kind": rules.NOTE, "text": " "}, "a note needs its text"),
    ({"kind": "rumour"}, "unknown kind of evidence 'rumour'"),
    ({"source": ""}, "its source, its period and who measured it"),
    ({"flag_id": "nope"}, "unknown flag nope"),
])
def test_other_evidence_is_refused_with_a_precise_reason(app, unit_id, changes, message):
    with app.app_context(), pytest.raises(rules.CycleError, match=message):
        store.add_evidence(evidence(unit_id, **changes), FLAGS)


def form_data(page: str, **changes) -> dict:
    field = re.search(r'<input[^>]*name="evidence-csrf_token"[^>]*>', page).group(0)
    return {"evidence-csrf_token": re.search(r'value="([^"]+)"', field).group(1), "evidence-kind": "count",
            "evidence-title": "Väntetid över 14 dagar", "evidence-count": "3", "evidence-denominator": "11",
            "evidence-source": "journalgranskning", "evidence-period": "hösten 2026",
            "evidence-measured_by": "måleansvarig", **changes}


def test_a_count_and_a_note_are_added_and_shown_beside_the_flags_figures(app, client, unit_id):
    url = f"/cycle/unit/{unit_id}/flag/gaps_grey_zones"
    assert client.post(f"{url}/evidence", data=form_data(client.get(url).get_data(as_text=True))).status_code == 302
    note = form_data(client.get(url).get_data(as_text=True), **{
        "evidence-kind": "note", "evidence-title": "Samtal på APT", "evidence-count": "", "evidence-denominator": "",
        "evidence-text": "Remisserna till psykiatrin blir liggande över sommaren."})
    assert client.post(f"{url}/evidence", data=note).status_code == 302
    table = client.get(url).get_data(as_text=True).split("Other evidence for this flag", 1)[1].split("</table>")[0]
    assert "3 of 11" in table and "Remisserna till psykiatrin blir liggande" in table and "journalgranskning" in table
    with app.app_context():
        rows = {row.kind: row for row in db.session.scalars(sa.select(FlagEvidence))}
        assert (rows["count"].count, rows["count"].denominator, rows["note"].count) == (3, 11, None)
    api = client.get(f"/api/v1/cycle/units/{unit_id}?flag=gaps_grey_zones").get_json()
    assert {e["kind"] for e in api["other_evidence"]} == {"count", "note"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"evidence-count": ""}, "A count needs both the number and what it is out of."),
    ({"evidence-denominator": ""}, "A count needs both the number and what it is out of."),
    ({"evidence-count": "tre"}, "Write a whole number, such as 14."),
    ({"evidence-count": "3.5"}, "Write a whole number, such as 14."),
    ({"evidence-count": "12"}, "The number must be between 0 and what it is out of, which must be 1 or more."),
    ({"evidence-count": "0", "evidence-denominator": "0"}, "The number must be between 0 and what it is out of"),
    ({"evidence-kind": "note", "evidence-text": ""}, "Write the note."),
    ({"evidence-title": ""}, "Say what was measured or noted."),
    ({"evidence-source": ""}, "Say where it comes from."),
    ({"evidence-period": ""}, "Say which period it covers."),
    ({"evidence-measured_by": ""}, "Say who measured it, by role."),
])
def test_an_evidence_form_with_bad_input_is_refused_with_a_precise_message(app, client, unit_id, changes, message):
    url = f"/cycle/unit/{unit_id}/flag/gaps_grey_zones"
    response = client.post(f"{url}/evidence", data=form_data(client.get(url).get_data(as_text=True), **changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FlagEvidence)) == 0
