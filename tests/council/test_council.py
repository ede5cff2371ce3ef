"""Test mode for user councils: try a version, say whether each question is easy, and never count as a result."""
import datetime as dt
import io
import json
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from survey.council import store as council
from survey.db import db
from survey.db.models import CouncilAnswer, CouncilFeedback, Unit
from survey.staff import rates
from tests.helpers import Respondent, csrf_token, login, make_account

COUNCIL_TEXT = "Rådets provsvar"


def make_link(app, version: int = 1, questionnaire: str = "user") -> str:
    with app.app_context():
        found = app.extensions["survey.library"].version(questionnaire, version)
        return council.create_link(found, "Brukarrådet", dt.date.today()).token


def start(client, token: str, lang: str = "sv") -> Respondent:
    tester = Respondent(client, slug="")
    tester.get(f"/council/{token}?lang={lang}")
    tester.post(f"/council/{token}", {"lang": lang})
    tester.get("/council/q/1")
    return tester


def test_a_council_member_gives_feedback_and_a_test_answer_on_a_question(app, client):
    tester = start(client, make_link(app))
    page = tester.page
    assert "Testläge: de här svaren räknas inte." in page and "Var frågan lätt att förstå?" in page
    assert "/pictograms/thumbs_up.svg" in page and "/pictograms/thumbs_down.svg" in page
    result = tester.post("/council/q/1", {"feedback": "hard", "comment": "Svårt ord:\x07 viktiga"})
    assert result.headers["Location"].endswith("/council/q/1#feedback")
    page = tester.get("/council/q/1").get_data(as_text=True)
    assert 'value="hard" class="option chosen" aria-pressed="true"' in page and "Svårt ord: viktiga</textarea>" in page
    answered = tester.post("/council/q/1", {"answer": "yes", "comment": "Svårt ord: viktiga"})
    assert answered.headers["Location"].endswith("/council/q/2")
    with app.app_context():
        assert db.session.execute(sa.select(CouncilAnswer.question_key, CouncilAnswer.option)).all() == [
            ("decide_important", "yes")]
        row = db.session.scalar(sa.select(CouncilFeedback))
        assert (row.understood, row.comment) == (False, "Svårt ord: viktiga")
        assert row.wording == "Får du bestämma om saker som är viktiga för dig?"


def test_a_closed_link_opens_nothing(app, client):
    token = make_link(app)
    with app.app_context():
        council.close_link(token)
    response = client.get(f"/council/{token}")
    assert response.status_code == 404 and "/pictograms/error.svg" in response.get_data(as_text=True)


def test_the_feedback_summary_counts_and_lists_comments_and_exports_them(app, client):
    token = make_link(app)
    for understood, comment in (("easy", ""), ("hard", "Ordet viktiga är svårt"), ("hard", "Bättre med bild")):
        start(app.test_client(), token).post("/council/q/1", {"feedback": understood, "comment": comment})
    preview = app.test_client()  # an editor's own try is not what the council said
    login(preview, make_account(app, "council"))
    page = preview.get("/editor/user/v1").get_data(as_text=True)
    preview.post("/editor/user/v1/preview", data={"lang": "sv", "csrf_token": csrf_token(page)})
    preview.post("/council/q/1", data={"feedback": "easy",
                                       "csrf_token": csrf_token(preview.get("/council/q/1").get_data(as_text=True))})
    page = preview.get("/editor/user/v1/feedback").get_data(as_text=True)
    assert "<td>1</td><td>2</td>" in page and "Bättre med bild" in page
    table = pd.read_csv(io.BytesIO(preview.get("/editor/user/v1/feedback.csv").data))
    first = table[table["question"] == "decide_important"].iloc[0]
    assert (first["easy_to_understand"], first["hard_to_understand"]) == (1, 2)
    assert first["comments"] == "Bättre med bild\nOrdet viktiga är svårt"  # alphabetical, not in the order given
    comments = pd.read_excel(io.BytesIO(preview.get("/editor/user/v1/feedback.xlsx").data), sheet_name="comments")
    assert list(comments["understood"]) == ["hard", "hard"]


def page(client, path: str) -> str:
    """A page's HTML without what changes by itself: the CSRF token (signed with the time), the chart's SVG ids."""
    html = re.sub(r'name="csrf_token" value="[^"]*"', "", client.get(path).get_data(as_text=True))
    return re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', "", html)


def everything_analysts_see(app, client) -> dict:
    """Every result path, as plain data: figures, CSV and Excel exports, the API, rates, microdata, pages."""
    from survey.analysis import service as analysis
    with app.test_request_context():
        selection = analysis.select_round("user", None)
        cells = analysis.cells(selection)
        units = list(db.session.scalars(sa.select(Unit)))
        found_rates = sorted((r.unit.name, r.issued, r.started, r.completed, r.held) for r in rates.rates(units))
    micro = pd.read_csv(io.BytesIO(client.get("/analysis/microdata.csv?free_text=1").data))
    return {"cells": cells.sort_values(list(cells.columns[:7])).reset_index(drop=True).to_json(),
            "csv": client.get("/analysis/export.csv").data,
            "xlsx": {s: f.to_json() for s, f in pd.read_excel(io.BytesIO(client.get("/analysis/export.xlsx").data),
                                                                sheet_name=None).items()},
            "api": json.loads(client.get("/api/v1/results").data),
            "rates": found_rates, "staff": page(client, "/staff/"),
            "microdata": micro.sort_values(list(micro.columns)).reset_index(drop=True).to_json(),
            "pages": [page(client, p) for p in ("/analysis/", "/analysis/organisation/all",
                                                "/analysis/organisation/all/flags/staff_approach")]}


def test_test_answers_are_absent_from_every_result_path(org, client):
    login(client, make_account(org, "analyst"))
    before = everything_analysts_see(org, client)
    questions = org.extensions["survey.library"].published("user").questions
    for _ in range(6):  # more than enough to change every figure, were they counted
        tester = start(org.test_client(), make_link(org))
        for position, question in enumerate(questions, start=1):
            tester.get(f"/council/q/{position}")
            if question.type.value == "free_text":
                answer = {"text": COUNCIL_TEXT}
            else:
                answer = {"answer": question.options[-1].key}
            tester.post(f"/council/q/{position}", {**answer, "comment": "Bra fråga"})
    with org.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CouncilAnswer)) >= 6 * len(questions) - 12
    after = everything_analysts_see(org, client)
    assert after == before
    assert COUNCIL_TEXT not in json.dumps(after, default=str)


@pytest.mark.parametrize("path", ["/council/q/1", "/council/done"])
def test_test_mode_pages_are_never_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"
