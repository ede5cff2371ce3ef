"""A person's recording of a question or option is heard instead of synthesis, while its text is unchanged."""
from __future__ import annotations

import hashlib
import os

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import SpeechRecording
from survey.speech import recordings
from survey.speech.cache import clip_path
from survey.speech.recordings import BadRecording
from tests.helpers import Respondent, make_unit
from tests.speech.helpers import clip_urls, fetch, mp3, speakers


def record(app, item: str = "decide_important", lang: str = "sv", data: bytes | None = None):
    with app.app_context():
        return recordings.record(app.extensions["survey.library"], "user", item, lang, data or mp3(), cache(app))


def cache(app):
    return app.extensions["survey.speech"].folder


def test_a_recording_replaces_the_clip_of_its_question_in_its_language_only(app, respondent, client):
    data = mp3()
    record(app, data=data)
    swedish = speakers(respondent.start("sv").get_data(as_text=True))[0]
    assert clip_urls(swedish) == [f"/speech/{hashlib.sha256(data).hexdigest()}.mp3"]
    served = fetch(client, clip_urls(swedish)[0])
    assert served.status_code == 200 and served.mimetype == "audio/mpeg" and served.data == data
    part = fetch(client, clip_urls(swedish)[0], headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == data[10:20]


def test_a_recording_of_an_option(app, respondent):
    data = mp3(seconds=0.8)
    record(app, item="decide_important.yes", data=data)
    page = respondent.start("sv").get_data(as_text=True)
    yes_button = next(b for b in speakers(page) if 'aria-label="Lyssna: Ja"' in b)
    assert clip_urls(yes_button) == [f"/speech/{hashlib.sha256(data).hexdigest()}.mp3"]


def test_other_languages_keep_synthesis(app, respondent):
    record(app)
    page = respondent.start("nb").get_data(as_text=True)
    assert clip_urls(page) and recorded_key(app) not in page


def recorded_key(app) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(SpeechRecording.sha256))


def test_recording_again_replaces_and_forgetting_brings_synthesis_back(app, respondent, client):
    first, second = mp3(seconds=1.0), mp3(seconds=2.0)
    record(app, data=first)
    respondent.start("sv")
    assert fetch(client, clip_urls(speakers(respondent.page)[0])[0]).data == first
    record(app, data=second)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SpeechRecording)) == 1
    respondent.get("/r/1")
    second_url = clip_urls(speakers(respondent.page)[0])[0]
    assert second_url == f"/speech/{hashlib.sha256(second).hexdigest()}.mp3"
    assert fetch(client, second_url).data == second
    assert not clip_path(cache(app), hashlib.sha256(first).hexdigest()).exists()  # the old voice is not kept
    with app.app_context():
        assert recordings.forget("user", "decide_important", "sv", cache(app)) is True
        assert recordings.forget("user", "decide_important", "sv", cache(app)) is False
    assert fetch(client, second_url).status_code == 404
    respondent.get("/r/1")
    assert clip_urls(speakers(respondent.page)[0]) != [second_url]


def test_a_recording_made_through_another_instance_is_heard_here_once_this_one_compares(app, start_app, tmp_path):
    here = start_app(SPEECH_DIR=str(tmp_path / "here"))
    person = Respondent(here.test_client(), make_unit(app))
    person.start("sv")  # what this instance found of recordings (none) is kept for the answer pages
    data = mp3()
    record(app, data=data)  # through the other instance
    person.client.get("/")  # any page but an answer's compares the questionnaires' revision first
    assert clip_urls(speakers(person.get("/r/1").get_data(as_text=True))[0]) == [
        f"/speech/{hashlib.sha256(data).hexdigest()}.mp3"]


def test_a_recording_is_not_used_once_its_text_has_changed(app, respondent):
    record(app)
    with app.app_context():
        db.session.execute(sa.update(SpeechRecording).values(text="Får du bestämma om saker?"))
        db.session.commit()
    page = respondent.start("sv").get_data(as_text=True)
    assert recorded_key(app) not in page


@pytest.mark.parametrize(("args", "problem"), [
    ({"item": "no_such_question"}, "has no question or option 'no_such_question'"),
    ({"item": "decide_important.maybe"}, "has no question or option 'decide_important.maybe'"),
    ({"lang": "de"}, "is not in language 'de'"),
    ({"data": b"RIFF....WAVEfmt " + os.urandom(2000)}, "not an MP3 recording"),
    ({"data": os.urandom(3000)}, "not an MP3 recording"),
    ({"data": mp3(seconds=0.1)}, "must be 0.3 to 120 s"),
    ({"data": mp3(loudness=0)}, "silent"),
    ({"data": b"\xff" * (recordings.MAX_BYTES + 1)}, "at most 4 MB"),
])
def test_unusable_recordings_are_refused_with_a_reason(app, args, problem):
    with pytest.raises(BadRecording, match=problem):
        record(app, **args)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SpeechRecording)) == 0


def test_an_unknown_questionnaire_is_refused(app):
    with app.app_context(), pytest.raises(BadRecording, match="no questionnaire 'nope'"):
        recordings.record(app.extensions["survey.library"], "nope", "decide_important", "sv", mp3(), cache(app))


def test_staff_upload_a_recording_in_the_web_interface(app, client, respondent):
    from html import unescape
    from io import BytesIO

    from tests.helpers import csrf_token, login, make_account
    login(client, make_account(app, "administrator"))
    page = client.get("/admin/recordings/").get_data(as_text=True)
    sound = mp3(seconds=1.2)
    saved = client.post("/admin/recordings/", data={
        "csrf_token": csrf_token(page), "questionnaire_id": "user", "item": "decide_important", "lang": "sv",
        "audio": (BytesIO(sound), "fraga1.mp3")}, content_type="multipart/form-data")
    assert saved.status_code == 302
    respondent.start("sv")
    assert clip_urls(speakers(respondent.page)[0])[0] == f"/speech/{hashlib.sha256(sound).hexdigest()}.mp3"
    refused = client.post("/admin/recordings/", data={
        "csrf_token": csrf_token(page), "questionnaire_id": "user", "item": "no_such_question", "lang": "sv",
        "audio": (BytesIO(sound), "x.mp3")}, content_type="multipart/form-data")
    assert (refused.status_code == 200
            and "no question or option 'no_such_question'" in unescape(refused.get_data(as_text=True)))


def upload_recording(app, client, sound: bytes):
    """Log in as an administrator and upload a recording of the first question through the page."""
    from io import BytesIO

    from tests.helpers import csrf_token, login, make_account
    login(client, make_account(app, "administrator"))
    page = client.get("/admin/recordings/").get_data(as_text=True)
    return client.post("/admin/recordings/", data={
        "csrf_token": csrf_token(page), "questionnaire_id": "user", "item": "decide_important", "lang": "sv",
        "audio": (BytesIO(sound), "fraga1.mp3")}, content_type="multipart/form-data")


def test_a_recording_larger_than_a_form_is_taken_up_to_its_own_limit(app, client, respondent):
    sound = mp3(seconds=60)  # 64 kbit/s: about 480 KB, far above the 64 KB every other form may send
    assert len(sound) > app.config["MAX_CONTENT_LENGTH"]
    assert upload_recording(app, client, sound).status_code == 302
    respondent.start("sv")
    assert clip_urls(speakers(respondent.page)[0])[0] == f"/speech/{hashlib.sha256(sound).hexdigest()}.mp3"


def test_an_upload_beyond_the_recording_limit_gets_the_staff_page_that_says_the_limit(app, client):
    from tests.helpers import login, make_account
    login(client, make_account(app, "administrator"))
    body = b"--x\r\n" + b"\xff" * (5 * 2**20)  # bytes, not a file: the test client would spool a file to disk
    refused = client.post("/admin/recordings/", data=body, content_type="multipart/form-data; boundary=x")
    assert refused.status_code == 413 and "4 MB" in refused.get_data(as_text=True)
