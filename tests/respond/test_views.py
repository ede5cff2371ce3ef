"""The respondent flow through the Flask client: one question per screen, saved as it is given."""
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Answer, Response
from tests.helpers import Respondent, make_unit


def stored(app):
    """Return (responses, answers) as plain tuples."""
    with app.app_context():
        responses = db.session.execute(sa.select(Response.questionnaire_id, Response.language, Response.completed,
                                                 Response.sex, Response.helped, Response.channel)).all()
        answers = sorted(db.session.execute(sa.select(Answer.question_key, Answer.option, Answer.text)).all())
    return responses, answers


def question_keys(app, questionnaire="user"):
    return [q.key for q in app.extensions["survey.library"].questionnaires[questionnaire].questions]


def test_unit_link_leads_to_language_choice_labelled_in_each_language(client, app):
    make_unit(app)
    page = client.get("/u/bjorken", follow_redirects=True).get_data(as_text=True)
    assert 'lang="sv"' in page and "Svenska" in page and "Norsk (bokmål)" in page and "English" in page


def test_intro_is_in_the_chosen_language(respondent):
    respondent.get("/u/bjorken/user?lang=nb")
    assert 'lang="nb"' in respondent.page and "Start" in respondent.page


def test_first_question_shows_progress_pictogram_and_options(respondent, app):
    page = respondent.start("sv").get_data(as_text=True)
    total = len(question_keys(app))
    assert f"Fråga 1 av {total}" in page
    assert "/pictograms/" in page and 'name="answer" value="yes"' in page and "Vet inte" in page


def test_whole_questionnaire_is_stored_in_long_form_and_completed(respondent, app):
    respondent.start("en")
    questionnaire = app.extensions["survey.library"].questionnaires["user"]
    for position, question in enumerate(questionnaire.questions, start=1):
        if question.type.value == "free_text":
            result = respondent.answer(position, text="The garden is nice.")
        else:
            result = respondent.answer(position, question.options[0].key)
    assert result.headers["Location"].endswith("/r/thanks")
    responses, answers = stored(app)
    assert responses == [("user", "en", True, "woman", "nobody", "link")]
    content = [q for q in questionnaire.questions if not q.background]
    assert len(answers) == len(content)
    assert ("more", "", "The garden is nice.") in answers
    thanks = respondent.get("/r/thanks").get_data(as_text=True)
    assert "Thank you" in thanks


def test_changing_an_answer_replaces_it_and_resubmitting_makes_no_duplicate(respondent, app):
    respondent.start()
    respondent.answer(1, "yes")
    respondent.answer(1, "yes")
    respondent.answer(1, "no")
    _, answers = stored(app)
    assert [(k, o) for k, o, _ in answers] == [(question_keys(app)[0], "no")]


def test_back_shows_the_earlier_answer_marked(respondent):
    respondent.start()
    respondent.answer(1, "sometimes")
    page = respondent.get("/r/1").get_data(as_text=True)
    assert 'value="sometimes" class="option chosen"' in page


def test_skipping_stores_nothing_and_goes_on(respondent, app):
    respondent.start()
    result = respondent.answer(1)
    assert result.headers["Location"].endswith("/r/2")
    assert stored(app)[1] == []


def test_abandoned_response_is_kept_as_incomplete(respondent, app):
    respondent.start()
    respondent.answer(1, "yes")
    responses, answers = stored(app)
    assert [r.completed for r in responses] == [False] and len(answers) == 1


def test_after_finishing_the_answers_cannot_be_reached_again(respondent, app):
    respondent.start()
    for position in range(1, len(question_keys(app)) + 1):
        respondent.answer(position)
    assert respondent.get("/r/1").status_code == 400
    assert "Din enkät är avslutad" in respondent.page


def test_staff_questionnaire_has_five_step_agreement(client, app):
    make_unit(app, questionnaires=("staff",))
    staff = Respondent(client, "bjorken", "staff")
    page = staff.start("sv").get_data(as_text=True)
    assert page.count('name="answer"') == 6  # five steps and "Vet inte"


def test_settings_persist_through_the_questionnaire(respondent):
    respondent.start()
    respondent.post("/settings", {"large_text": "on", "pictures": "off", "next": "/r/1"})
    page = respondent.get("/r/2").get_data(as_text=True)
    assert 'class="large-text text-only"' in page and 'class="pictogram' not in page


def test_settings_never_redirect_off_site(respondent):
    respondent.start()
    result = respondent.post("/settings", {"large_text": "on", "next": "//evil.example/"})
    assert result.headers["Location"] == "/"


def test_pictogram_is_served_as_svg_and_unknown_names_are_not(client):
    with client.get("/pictograms/dont_know.svg") as served:
        assert served.mimetype == "image/svg+xml" and b"<svg" in served.get_data()
    assert client.get("/pictograms/..%2F..%2Fsurvey%2F__init__.svg").status_code == 404


def test_about_page_credits_openmoji(client):
    page = client.get("/about", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "OpenMoji" in page and "CC BY-SA 4.0" in page


def test_unit_link_leads_service_users_to_their_questionnaire_and_staff_have_their_own_link(client, app):
    make_unit(app, questionnaires=("user", "staff"))
    assert client.get("/u/bjorken").location.endswith("/u/bjorken/user")
    assert "Medarbetarenkät" in client.get("/u/bjorken/staff?lang=sv").get_data(as_text=True)


def test_a_unit_asking_only_its_staff_offers_the_staff_questionnaire(client, app):
    make_unit(app, questionnaires=("staff",))
    assert client.get("/u/bjorken").location.endswith("/u/bjorken/staff")


def test_an_unknown_code_leads_back_to_where_a_code_is_typed(client):
    page = client.get("/c?code=NOPE-NOPE", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Vi känner inte igen koden." in page
    assert '<form method="get" action="/" class="go" role="none">' in page and "Tillbaka till startsidan" in page
