"""A request sent twice (its reply lost, a double tap) or sent late (kept offline) never duplicates or strays."""
import datetime as dt
import re
import threading

import sqlalchemy as sa

from survey.db import db
from survey.db.models import Answer, Invitation, Response
from survey.respond import invitations
from survey.respond import store as responses
from survey.respond.answers import Given
from tests.helpers import Respondent, csrf_token, issue_codes, make_unit


def counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count()).select_from(Response)),
                db.session.scalar(sa.select(sa.func.count()).select_from(Answer)))


def resend_with_old_cookie(client, send):
    """Send a request, then send it again as if its reply (and new cookie) had been lost on the way."""
    before = client.get_cookie("session").value
    first = send()
    client.set_cookie("session", before)
    return first, send()


def test_a_retried_start_resumes_the_same_response(respondent, app):
    respondent.get("/u/bjorken/user?lang=sv")
    first, again = resend_with_old_cookie(respondent.client, lambda: respondent.post("/u/bjorken/user", {"lang": "sv"}))
    assert first.status_code == again.status_code == 302
    respondent.answer(1, "yes")
    assert counts(app) == (1, 1)


def test_a_retried_start_with_an_invitation_code_uses_the_code_once_and_says_nothing_of_it(client, app):
    make_unit(app)
    code = issue_codes(app)[0]
    person = Respondent(client, "bjorken")
    person.get(f"/c?code={code}", follow_redirects=True)
    person.get("/u/bjorken/user?lang=sv")
    first, again = resend_with_old_cookie(client, lambda: person.post("/u/bjorken/user", {"lang": "sv"}))
    assert (first.status_code, again.status_code) == (302, 302)
    with app.app_context():
        assert db.session.execute(sa.select(Response.channel)).scalars().all() == ["qr"]
        seals = db.session.execute(sa.select(Invitation.code_hash, Invitation.seal)).all()
        assert sum(invitations.is_used(h, s, app.config["SECRET_KEY"]) for h, s in seals) == 1


def test_starting_afresh_from_a_new_start_page_makes_a_new_response(respondent, app):
    respondent.start()
    respondent.start()
    assert counts(app)[0] == 2


def test_a_retried_answer_is_stored_once(respondent, app):
    respondent.start()
    respondent.get("/r/1")
    resend_with_old_cookie(respondent.client, lambda: respondent.post("/r/1", {"answer": "yes"}))
    assert counts(app) == (1, 1)


def test_an_answer_sent_late_lands_in_its_own_response_not_the_next_persons(respondent, app):
    respondent.start()
    form = respondent.get("/r/2").get_data(as_text=True)
    kept = {"csrf_token": csrf_token(form), "answer": "no",
            "response": re.search(r'name="response" value="([^"]+)"', form).group(1)}
    respondent.post("/r/stop")
    respondent.start()  # the next person on the same tablet
    assert respondent.client.post("/r/2", data=kept).status_code == 302
    with app.app_context():
        rows = db.session.execute(sa.select(Answer.response_id, Answer.option)).all()
        newest = respondent.client.get_cookie("session")
    assert [option for _, option in rows] == ["no"] and newest is not None
    respondent.answer(1, "yes")
    with app.app_context():
        owners = {option: rid for rid, option in db.session.execute(sa.select(Answer.response_id, Answer.option))}
    assert owners["no"] != owners["yes"]


def test_a_forged_response_token_is_refused(respondent, app):
    respondent.start()
    respondent.get("/r/1")
    result = respondent.post("/r/1", {"answer": "yes", "response": "not-a-signed-token"})
    assert result.status_code == 400 and counts(app) == (1, 0)


def test_different_answers_to_one_question_at_once_leave_one_answer(respondent, app):
    """Two taps on two options, sent at the same moment (no JavaScript to hold the second back), end as one answer."""
    respondent.start()
    respondent.answer(1, "yes")
    with app.app_context():
        response_id = db.session.scalar(sa.select(Response.id))
    barrier = threading.Barrier(2)

    def tap(option):
        with app.app_context():
            barrier.wait()
            response = responses.current_response(response_id, dt.date.today(), writing=True)
            responses.record_answer(response, "decide_important", Given(options=(option,)), None, dt.date.today())

    for round_ in range(20):
        taps = [threading.Thread(target=tap, args=(option,)) for option in ("no", "sometimes")]
        for t in taps:
            t.start()
        for t in taps:
            t.join()
        with app.app_context():
            stored = db.session.scalars(sa.select(Answer.option).where(Answer.question_key == "decide_important")).all()
        assert len(stored) == 1, (round_, stored)


def test_an_answer_replaces_the_one_before_whatever_it_keeps_adds_or_drops(respondent, app):
    """Several options narrowed, widened and swapped, a text changed and emptied: only the last answer remains."""
    respondent.start()
    with app.app_context():
        response_id = db.session.scalar(sa.select(Response.id))

    def give(key, *options, text=None):
        with app.app_context():
            response = responses.current_response(response_id, dt.date.today(), writing=True)
            responses.record_answer(response, key, Given(options=options, text=text), None, dt.date.today())
            return sorted(db.session.execute(sa.select(Answer.option, Answer.text)
                                             .where(Answer.question_key == key)).all())

    assert give("activities", "a", "b", "c") == [("a", None), ("b", None), ("c", None)]
    assert give("activities", "b") == [("b", None)]
    assert give("activities", "b", "d") == [("b", None), ("d", None)]
    assert give("activities", "e") == [("e", None)]
    assert give("activities") == []
    assert give("more", text="Första") == [("", "Första")]
    assert give("more", text="Andra") == [("", "Andra")]
    assert give("more") == []
    assert give("decide_important", "yes") == [("yes", None)]  # other questions keep their answers
    assert give("activities") == [] and give("decide_important", "yes") == [("yes", None)]
