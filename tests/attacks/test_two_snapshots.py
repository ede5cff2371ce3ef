"""Attack 3: an analyst takes every result before and after one person answers, and subtracts.

Before: results of an open round changed with every response; two API calls gave a person's answers, and the
area and type differences pinned the unit. Now an open round has no results at all (only how many started and
completed), and a released round's figures never change."""
from __future__ import annotations

import json
import re

from tests.attacks.conftest import build_world, questions
from tests.helpers import Respondent, issue_codes, login, make_account, release


def everything(insider) -> dict:
    """Every result path an analyst has, as text (the CSRF token and chart ids taken out)."""
    paths = ["/api/v1/results", "/analysis/", "/analysis/organisation/all", "/analysis/export.csv",
             "/analysis/microdata.csv?free_text=1", "/staff/"]
    found = {}
    for path in paths:
        response = insider.get(path)
        text = re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))
        found[path] = (response.status_code, re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', "", text))
    return found


def answer_everything(app, slug: str, option: str) -> None:
    """One person answers through a code: every question with the same option, helped by staff."""
    person = Respondent(app.test_client(), slug)
    person.get(f"/c?code={issue_codes(app, slug)[0]}", follow_redirects=True)
    person.start()
    user = app.extensions["survey.library"].questionnaires["user"]
    for position, question in enumerate(user.questions, start=1):
        if question.background == "helped":
            person.answer(position, "staff")
        elif question.background == "sex":
            person.answer(position, "woman")
        elif question.is_choice:
            person.answer(position, option if option in question.answer_keys() else question.options[0].key)
        else:
            person.answer(position, text="Ny person")


def test_an_open_rounds_results_do_not_exist_and_counts_say_nothing_of_answers(app, client):
    build_world(app, released=False)
    login(client, make_account(app, "analyst"))
    before = everything(client)
    assert before["/api/v1/results"][0] == 404 and before["/analysis/export.csv"][0] == 404
    answer_everything(app, "storgarden", "no")
    after = everything(client)
    changed = {path for path in before if before[path] != after[path]}
    assert changed <= {"/analysis/", "/staff/"}  # the live counts of started and completed, nothing else
    for path in changed:
        old, new = before[path][1], after[path][1]
        words = set(re.findall(r"[^\W\d]+", new)) ^ set(re.findall(r"[^\W\d]+", old))
        assert not words, (path, words)  # only numbers changed: how many started and completed (and the rate)
        assert "Ny person" not in new


def test_a_released_round_never_changes(app, world, client):
    login(client, make_account(app, "analyst"))
    before = everything(client)
    refused = Respondent(app.test_client(), "storgarden")
    page = refused.get("/u/storgarden/user?lang=sv")
    assert page.status_code == 404  # the round is closed: nothing more can be answered into it
    release_again = client.get("/api/v1/results")
    assert json.loads(release_again.data)["release"]["id"] == json.loads(before["/api/v1/results"][1])["release"]["id"]
    assert everything(client) == before
    assert len(questions(app)) > 0 and release  # (the world was released by its fixture)
