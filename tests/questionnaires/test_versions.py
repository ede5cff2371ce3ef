"""Versions: a published version never changes, a draft becomes the next version, each response is scored by its own."""
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from survey.analysis import service as analysis
from survey.cli import main
from survey.config import Defaults
from survey.db import db
from survey.db.models import QuestionnaireVersion, Response, Round, Unit
from survey.questionnaires import comparability, drafts, library, store, versions
from survey.questionnaires.files import DataFileError
from survey.questionnaires.model import load_library
from tests.helpers import Respondent, add_response, make_unit, questionnaire_copy, release
from tests.questionnaires.helpers import publish_next, stored_versions

PICTOGRAMS = Path(Defaults.PICTOGRAM_DIR)
FIRST = "Får du bestämma om saker som är viktiga för dig?"


def problems(folder: Path) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load_library(folder, PICTOGRAMS)
    return [str(p) for p in caught.value.problems]


def test_a_changed_published_file_without_a_new_version_is_refused_naming_the_file(tmp_path):
    folder = questionnaire_copy(tmp_path, lambda text: text.replace(FIRST, "Får du välja saker?", 1))
    assert any(p.startswith("user.yaml:8: version: version 1 of 'user' was published with other content")
               for p in problems(folder))


def test_comments_and_layout_do_not_change_a_published_version(tmp_path):
    folder = questionnaire_copy(tmp_path,
                                lambda text: "# Granskad i mars.\n" + text.replace("version: 1", "version:   1"))
    assert load_library(folder, PICTOGRAMS).published("user").version == 1


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.replace("status: published", "status: draft"),
     "user.yaml:9: status: a file in the questionnaire folder is the published version; a draft version lives in "
     "versions/user/v1.yaml"),
    (lambda t: t.replace("version: 1", "version: 2"),
     "version 2 of 'user' is marked published but was never published"),
    (lambda t: t.replace("version: 1", "version: 2"),
     "versions/published.yaml: user: version 1 of 'user' was published but its file is missing"),
])
def test_versions_must_live_where_their_number_and_status_say(tmp_path, change, expected):
    assert any(expected in p for p in problems(questionnaire_copy(tmp_path, change))), problems


def test_a_draft_must_be_numbered_above_the_published_version(tmp_path):
    folder = questionnaire_copy(tmp_path)
    draft = folder / "versions" / "user" / "v1.yaml"
    draft.parent.mkdir()
    draft.write_text((folder / "user.yaml").read_text().replace("status: published", "status: draft"))
    found = problems(folder)
    assert any("versions/user/v1.yaml: version: draft version 1 must be above every published version" in p
               for p in found), found


def test_draft_edit_and_publish_keep_the_old_version_retired_and_an_export_agrees(editable_app, tmp_path):
    assert publish_next(editable_app, lambda text: text.replace(FIRST, "Får du bestämma om viktiga saker?")) == 2
    library = editable_app.extensions["survey.library"]
    assert library.published("user").questions[0].text["sv"] == "Får du bestämma om viktiga saker?"
    assert (library.version("user", 1).status == "retired"
            and library.version("user", 1).questions[0].text["sv"] == FIRST)
    with editable_app.app_context():
        assert "# Brukarenkät" in drafts.text_of("user", 2)  # comments survive editing and publishing
    assert stored_versions(editable_app) == [("staff", 1, "published"), ("user", 1, "retired"),
                                             ("user", 2, "published")]
    assert not (Path(editable_app.config["QUESTIONNAIRE_DIR"]) / "versions/user").exists()  # no file was written
    out = tmp_path / "export"
    result = editable_app.test_cli_runner().invoke(main, ["export-questionnaires", str(out)])
    assert result.exit_code == 0, result.output
    assert set(versions.read_register(out)["user"]) == {1, 2}
    assert load_library(out, PICTOGRAMS).versions == library.versions  # what the editor did, the export says


def test_a_draft_is_saved_only_when_valid_with_the_same_messages_as_the_files(editable_app):
    with editable_app.app_context():
        drafts.create_draft("user")
        text = drafts.text_of("user", 2)
        with pytest.raises(drafts.DraftError) as caught:
            drafts.save_draft("user", 2, text.replace("flags: [staff_approach, staff_able]", "flags: [nope]", 1))
        assert [str(p) for p in caught.value.problems] == [
            "versions/user/v2.yaml:54: questions[1] 'decide_important'.flags[1]: unknown flag 'nope' "
            "(not in quality_model.yaml)"]
        with pytest.raises(drafts.DraftError, match="must stay 2"):
            drafts.save_draft("user", 2, text.replace("version: 2", "version: 3"))
        with pytest.raises(drafts.DraftError, match="a published version never changes"):
            drafts.save_draft("user", 1, text)
        with pytest.raises(drafts.DraftError, match="already has a draft"):
            drafts.create_draft("user")
        assert drafts.text_of("user", 2) == text


def test_another_instance_without_the_files_serves_a_version_published_elsewhere(editable_app, start_app, tmp_path):
    other = start_app(QUESTIONNAIRE_DIR=str(questionnaire_copy(tmp_path / "elsewhere")))  # its own shipped copy
    other.test_client().get("/")
    publish_next(editable_app, lambda text: text.replace(FIRST, "Bestämmer du?"))
    other.test_client().get("/")  # the revision moved: reloaded before this request
    assert other.extensions["survey.library"].published("user").questions[0].text["sv"] == "Bestämmer du?"
    assert "Bestämmer du?" not in (tmp_path / "elsewhere/questionnaires/user.yaml").read_text()


def test_an_answer_to_a_version_published_elsewhere_is_taken_by_an_instance_that_had_not_seen_it(editable_app,
                                                                                                   start_app,
                                                                                                   tmp_path):
    # The answer pages do not compare the revision before each request; they refresh when a version is unknown.
    other = start_app(QUESTIONNAIRE_DIR=str(questionnaire_copy(tmp_path / "elsewhere")))  # (empties PostgreSQL)
    slug = make_unit(editable_app)
    other.test_client().get("/")  # compared: version 1 only
    publish_next(editable_app, lambda text: text.replace(FIRST, "Bestämmer du?"))
    respondent = Respondent(editable_app.test_client(), slug)
    respondent.start("sv")  # version 2, begun on the first instance
    moved = other.test_client()
    moved.set_cookie("session", respondent.client.get_cookie("session").value)
    respondent.client = moved  # the proxy sends the next requests to the other instance
    assert "Bestämmer du?" in respondent.get("/r/1").get_data(as_text=True)
    assert respondent.answer(1, "yes").headers["Location"] == "/r/2"
    with other.app_context():
        assert db.session.scalar(sa.select(Response.questionnaire_version)) == 2


def test_the_answer_pages_compare_the_revision_at_most_once_a_second(app, respondent, monkeypatch):
    now, compared, compare = [1000.0], [], drafts.refresh
    monkeypatch.setattr(drafts.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(drafts, "refresh", lambda: (compared.append(now[0]), compare())[1])
    respondent.start("sv")
    assert compared == [1000.0, 1000.0]  # the link's page and Start compare; the first question does not
    respondent.answer(1, "yes")
    now[0] += 0.99
    respondent.get("/r/2")
    assert compared == [1000.0, 1000.0]
    now[0] += 0.01
    respondent.get("/r/2")
    respondent.get("/r/2")
    assert compared == [1000.0, 1000.0, 1001.0]


def test_a_draft_published_by_another_instance_cannot_be_published_again(editable_app, start_app, tmp_path):
    other = start_app(QUESTIONNAIRE_DIR=str(questionnaire_copy(tmp_path / "elsewhere")))
    with editable_app.app_context():
        drafts.create_draft("user")
    with other.app_context():
        drafts.sync(other)
        assert other.extensions["survey.library"].draft("user").version == 2
    with editable_app.app_context():
        drafts.publish("user", 2)
    with other.app_context(), pytest.raises(drafts.DraftError, match="version 2 is not a draft"):
        drafts.publish("user", 2)  # its library still showed the draft; the database said otherwise


def test_a_published_version_changed_in_the_database_is_refused_on_loading(editable_app, caplog):
    with editable_app.app_context():
        drafts.sync(editable_app)
        db.session.execute(sa.update(QuestionnaireVersion).filter_by(questionnaire_id="user", version=1)
                           .values(text=QuestionnaireVersion.text + "\n# harmless?\n"))
        db.session.commit()
        drafts.sync(editable_app)  # a comment only: same content, same fingerprint
        assert not caplog.records
        row = db.session.get(QuestionnaireVersion, ("user", 1))
        row.text = row.text.replace(FIRST, "Får du välja saker?", 1)
        store.bump()
        db.session.commit()
        drafts.sync(editable_app)
        assert "version 1 of 'user' was published with other content" in caplog.text
        assert library().published("user").questions[0].text["sv"] == FIRST  # the version loaded before stays
        with pytest.raises(drafts.DraftError, match="was published with other content"):
            drafts.create_draft("user")  # and nothing is written until it is put back


def test_a_respondent_who_began_version_1_finishes_it_after_version_2_is_published(editable_app):
    respondent = Respondent(editable_app.test_client(), make_unit(editable_app))
    respondent.start("sv")
    respondent.answer(1, "yes")
    publish_next(editable_app, lambda text: text.replace("Får du vara med och bestämma vilken hjälp du får?", "Ny?"))
    assert "Får du vara med och bestämma vilken hjälp du får?" in respondent.get("/r/2").get_data(as_text=True)
    with editable_app.app_context():
        assert db.session.scalar(sa.select(Response.questionnaire_version)) == 1


def test_each_response_is_scored_by_the_flags_of_the_version_it_answered(editable_app):
    make_unit(editable_app)
    publish_next(editable_app,
                 lambda text: text.replace("flags: [staff_approach, staff_able]", "flags: [relationships]", 1))
    for version in (1, 2):
        for _ in range(6):
            add_response(editable_app, "bjorken", {"decide_important": "yes"}, version=version)
    release(editable_app)
    with editable_app.test_request_context():
        selection = analysis.select_round("user", None)
        cells = analysis.cells(selection)
    whole = cells[(cells["level"] == "organisation") & (cells["dimension"] == "all") & (cells["kind"] == "flag")]
    respondents = dict(zip(whole["item"], whole["n"]))
    assert respondents["staff_approach"] == 6 and respondents["relationships"] == 6 and selection.versions == [1, 2]


def test_change_since_the_last_round_is_left_out_where_the_meaning_changed(editable_app):
    make_unit(editable_app)
    today = dt.date.today()
    with editable_app.app_context():
        unit = db.session.scalar(sa.select(Unit))
        db.session.add(Round(name="Våren", questionnaire_id="user", units=[unit],
                             opens_on=today - dt.timedelta(days=200), closes_on=today - dt.timedelta(days=150)))
        db.session.commit()
    publish_next(editable_app,
                 lambda text: text.replace("    flags: [staff_approach, staff_able]\n",
                                           "    flags: [staff_approach, staff_able]\n    meaning: 2\n", 1))
    for round_name, version, answer in (("Våren", 1, "no"), ("Hösten", 2, "yes")):
        for _ in range(5):
            add_response(editable_app, "bjorken", {"decide_important": answer, "safe_with_staff": answer},
                         round_name=round_name, version=version)
    release(editable_app, "Våren")
    release(editable_app, "Hösten")
    with editable_app.test_request_context():
        selection = analysis.select_round("user", None)
        cells = analysis.cells(selection)
    whole = cells[(cells["level"] == "organisation") & (cells["dimension"] == "all") & (cells["kind"] == "question")]
    change = dict(zip(whole["item"], whole["change"]))
    since = dict(zip(whole["item"], whole["since"]))
    assert change["safe_with_staff"] == 1.0 and pd.isna(change["decide_important"])
    assert since["decide_important"] == 2 and since["safe_with_staff"] == 1
    assert selection.summary["previous_round"] == "Våren"


def test_changes_say_per_question_whether_results_stay_comparable():
    library = load_library(Path(Defaults.QUESTIONNAIRE_DIR), PICTOGRAMS)
    before = library.published("user")
    first, second, third = before.questions[:3]
    after = before.model_copy(update={"version": 2, "questions": (
        first.model_copy(update={"text": {**first.text, "sv": "Bestämmer du själv?"}}),
        second.model_copy(update={"meaning": 2}),
        third.model_copy(update={"options": third.options[:2]}),
        before.questions[3].model_copy(update={"key": "brand_new"}))})
    found = {c.key: (c.status, c.reason) for c in comparability.changes(before, after)}
    assert found[first.key] == ("reworded", "") and found[second.key] == ("not_comparable", "meaning")
    assert found[third.key] == ("not_comparable", "options") and found["brand_new"] == ("new", "")
    assert found[before.questions[4].key] == ("removed", "")
    definitions = {1: before, 2: after}
    assert comparability.comparable(definitions, "question", first.key, {1, 2})
    assert not comparability.comparable(definitions, "question", second.key, {1, 2})
    assert comparability.comparable_since(definitions, "question", first.key, 2) == 1
