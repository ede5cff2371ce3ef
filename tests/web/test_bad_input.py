"""Bad input gets an easy-read page with a pictogram, never a 500, and stored answers stay as they were."""
import datetime as dt

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Answer, Round
from tests.helpers import login, make_account, make_unit


def answers(app):
    with app.app_context():
        return sorted(db.session.execute(sa.select(Answer.question_key, Answer.option)).all())


def is_easy_read_error(response, status):
    page = response.get_data(as_text=True)
    return response.status_code == status and "/pictograms/error.svg" in page and "Traceback" not in page


def test_unknown_unit(client):
    assert is_easy_read_error(client.get("/u/nowhere"), 404)


def test_unknown_page(client):
    assert is_easy_read_error(client.get("/no/such/page"), 404)


def test_closed_round(client, app):
    make_unit(app, opens=-30, closes=-1)
    response = client.get("/u/bjorken/user")
    assert is_easy_read_error(response, 404) and "stängd" in response.get_data(as_text=True)


def test_round_closing_mid_questionnaire_refuses_but_keeps_answers(respondent, app):
    respondent.start()
    respondent.answer(1, "yes")
    with app.app_context():
        db.session.execute(sa.update(Round).values(closes_on=dt.date.today() - dt.timedelta(days=1)))
        db.session.commit()
    before = answers(app)
    result = respondent.post("/r/2", {"answer": "yes"})
    assert is_easy_read_error(result, 404) and "stängd" in result.get_data(as_text=True)
    assert answers(app) == before and len(before) == 1


@pytest.mark.parametrize("form", [
    {"answer": "maybe"},                      # tampered option
    {"answer": ["yes", "no"]},                # two answers to a single-choice question
    {"answer": ["dont_know", "yes"]},
    {"answer": "yes", "text": "sneaky"},      # text on a choice question
])
def test_tampered_answer(respondent, app, form):
    respondent.start()
    respondent.answer(1, "yes")
    respondent.get("/r/1")
    result = respondent.post("/r/1", form)
    assert is_easy_read_error(result, 400)
    assert [o for _, o in answers(app)] == ["yes"]


def test_tampered_question_position(respondent):
    respondent.start()
    assert is_easy_read_error(respondent.client.get("/r/999"), 404)
    assert is_easy_read_error(respondent.client.get("/r/0"), 404)


def test_missing_form_token_is_refused(respondent, app):
    respondent.start()
    result = respondent.client.post("/r/1", data={"answer": "yes"})
    assert is_easy_read_error(result, 400) and answers(app) == []


def test_oversized_form(respondent, app):
    respondent.start()
    respondent.answer(1, "yes")
    respondent.get("/r/2")
    result = respondent.post("/r/2", {"answer": "x" * 200_000})
    assert is_easy_read_error(result, 413) and len(answers(app)) == 1


def test_malformed_form_encoding(respondent, app):
    respondent.start()
    respondent.get("/r/1")
    result = respondent.client.post("/r/1", data=b"\xff\xfe%%%=&&answer=%zz",
                                    content_type="application/x-www-form-urlencoded")
    assert result.status_code == 400 and answers(app) == []


def test_unknown_language_on_start(respondent):
    respondent.get("/u/bjorken/user?lang=sv")
    result = respondent.post("/u/bjorken/user", {"lang": "xx"})
    assert is_easy_read_error(result, 400)


def test_question_without_a_started_response(client, app):
    make_unit(app)
    assert is_easy_read_error(client.get("/r/1"), 400)


def test_free_text_is_cleaned_and_bounded(respondent, app):
    respondent.start()
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    position = next(i for i, q in enumerate(questions, 1) if q.type.value == "free_text")
    respondent.answer(position, text="Hej\x00\x07 <b>där</b>" + "a" * 5000)
    with app.app_context():
        text = db.session.scalar(sa.select(Answer.text))
    assert text.startswith("Hej <b>där</b>") and len(text) == app.config["MAX_FREE_TEXT"]
    page = respondent.get(f"/r/{position}").get_data(as_text=True)
    assert "&lt;b&gt;där&lt;/b&gt;" in page  # shown back as text, never as markup


def test_error_pages_are_in_the_respondents_language(client, app):
    page = client.get("/u/nowhere", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Vi finner ikke undersøkelsen" in page


@pytest.mark.parametrize("path", ["/analysis/", "/cycle/model/organisation/all"])
def test_a_staff_page_beyond_an_accounts_role_says_so_in_staff_words(client, app, path):
    make_unit(app, "bjorken", "Björken")
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    page = client.get(path, headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and "role does not give access" in text
    assert "saved" not in text  # the respondent's "what you answered is saved" means nothing here
