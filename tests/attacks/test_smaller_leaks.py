"""Attack 6: the smaller leaks — "don't know" counted as a respondent, a new version splitting a cell by time, live
with-help counts, an empty response breaking the microdata, and formulas in exported text."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd

from survey.db import db
from survey.db.models import Unit
from tests.helpers import Respondent, add_response, login, make_account, make_unit, release

HYPERLINK = '=HYPERLINK("http://evil.example","klicka")'


def analyst_table(app, client) -> pd.DataFrame:
    login(client, make_account(app, "analyst"))
    return pd.read_csv(io.BytesIO(client.get("/analysis/export.csv?lang=en").data), dtype={"group_id": str})


def test_dont_know_does_not_count_towards_the_threshold(app, client):
    make_unit(app)
    for i in range(5):  # five people: two said "don't know", so the share would rest on three
        add_response(app, "bjorken", {"decide_important": "dont_know" if i < 2 else "yes", "safe_with_staff": "yes"})
    release(app)
    cells = analyst_table(app, client)
    unit = cells[(cells["level"] == "unit") & (cells["dimension"] == "all") & (cells["kind"] == "question")]
    status = dict(zip(unit["item"], unit["status"]))
    assert status["decide_important"] == "too few answers" and status["safe_with_staff"] == "shown"


def test_a_new_scoring_within_a_round_is_an_item_of_its_own(editable_app, client):
    from tests.questionnaires.helpers import publish_next
    make_unit(editable_app)
    for _ in range(6):
        add_response(editable_app, "bjorken", {"safe_with_staff": "sometimes"}, version=1)
    neutral = 'pictogram: face_neutral\n    - key: "no"'  # from version 2, "sometimes" counts as positive too
    positive = neutral.replace("\n", "\n      positive: true\n", 1)
    publish_next(editable_app, lambda text: text.replace(neutral, positive, 1))
    for _ in range(6):
        add_response(editable_app, "bjorken", {"safe_with_staff": "sometimes"}, version=2)
    release(editable_app)
    cells = analyst_table(editable_app, client)
    safe = cells[(cells["level"] == "unit") & (cells["dimension"] == "all") & cells["item"].str.startswith("safe_with")]
    share = dict(zip(safe["item"], safe["positive_share"]))
    assert share == {"safe_with_staff@v1": 0.0, "safe_with_staff": 100.0}  # never one figure mixing the two


def test_an_empty_response_does_not_break_the_microdata(app, client):
    make_unit(app)
    for _ in range(6):
        add_response(app, "bjorken", {"decide_important": "yes"})
    Respondent(app.test_client(), "bjorken").start()  # started, nothing answered
    add_response(app, "bjorken", {})
    release(app)
    login(client, make_account(app, "analyst"))
    for path in ("/analysis/microdata.csv", "/analysis/microdata.csv?free_text=1", "/analysis/microdata.xlsx"):
        assert client.get(path).status_code == 200


def test_text_that_looks_like_a_formula_stays_text_in_every_export(app, client):
    make_unit(app, "bjorken", "=SUM(1+1)")
    for _ in range(6):
        add_response(app, "bjorken", {"decide_important": "yes", "more": HYPERLINK})
    release(app)
    login(client, make_account(app, "analyst"))
    csv = client.get("/analysis/microdata.csv?free_text=1").get_data(as_text=True)
    assert "'" + HYPERLINK.replace('"', '""') in csv and "'=SUM(1+1)" in csv
    for path, sheet in (("/analysis/microdata.xlsx?free_text=1", "microdata"), ("/analysis/export.xlsx", "questions")):
        book = openpyxl.load_workbook(io.BytesIO(client.get(path).data))
        values = [c for row in book[sheet].iter_rows() for c in row if isinstance(c.value, str)]
        assert values and all(c.data_type == "s" and not c.value.startswith("=") for c in values)
    with app.app_context():
        assert db.session.query(Unit).count() == 1
