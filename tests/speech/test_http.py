"""Clips over HTTP: every speaker has one, made on demand once, served whole or by range, cached for good."""
from __future__ import annotations

import re
import threading

import miniaudio
import pytest

import survey.speech.views
from survey.db import db
from tests.helpers import Respondent, make_unit, migrated_app, questionnaire_copy
from tests.speech.helpers import clip_urls, fetch, speakers

OVERRIDE = "Får du själv bestämma om saker som är viktiga för dig?"

@pytest.fixture
def synth_calls(monkeypatch):
    """Count real syntheses (they still happen)."""
    calls = []
    real = survey.speech.views.synthesise

    def counting(clip, path, python):
        calls.append(clip.text)
        real(clip, path, python)

    monkeypatch.setattr(survey.speech.views, "synthesise", counting)
    return calls


def walk(respondent: Respondent, app, questionnaire: str, lang: str) -> list[str]:
    """Visit every page of a questionnaire in a language; return the pages."""
    q = app.extensions["survey.library"].questionnaires[questionnaire]
    pages = [respondent.get(f"/u/{respondent.slug}/{questionnaire}").get_data(as_text=True)]
    pages.append(respondent.start(lang).get_data(as_text=True))
    for position, question in enumerate(q.questions, start=1):
        respondent.get(f"/r/{position}")
        pages.append(respondent.page)
        respondent.post(f"/r/{position}", {"answer": [question.options[0].key] if question.options else [],
                                           "text": "Bra"})
    pages.append(respondent.get("/r/thanks").get_data(as_text=True))
    pages.append(respondent.get("/no/such/page").get_data(as_text=True))
    return pages


@pytest.mark.parametrize("lang", ["sv", "nb", "en"])
@pytest.mark.parametrize("questionnaire", ["user", "staff"])
def test_every_speaker_on_every_page_has_a_clip(app, client, questionnaire, lang):
    respondent = Respondent(client, make_unit(app, questionnaires=(questionnaire,)), questionnaire)
    pages = walk(respondent, app, questionnaire, lang)
    buttons = [b for page in pages for b in speakers(page)]
    assert len(buttons) > 3 * len(pages)
    assert [b for b in buttons if "data-audio=" not in b] == []


@pytest.fixture
def app_with_override(tmp_path):
    """The app on a copy of the questionnaires where the first user question has a Swedish spoken override, on a
    database of its own (the database holds the questionnaires: one database, one version 1)."""
    folder = questionnaire_copy(tmp_path, lambda text: text.replace(
        "    pictogram: decide\n", f"    spoken: {{sv: \"{OVERRIDE}\"}}\n    pictogram: decide\n", 1), refreeze=True)
    app = migrated_app(f"sqlite:///{tmp_path / 'override.sqlite'}", QUESTIONNAIRE_DIR=str(folder),
                       SPEECH_DIR=str(tmp_path / "speech"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_spoken_override_is_said_instead_of_the_text_and_gets_its_own_clip(app, app_with_override):
    slugs = {app: make_unit(app, slug="plain"), app_with_override: make_unit(app_with_override, slug="edited")}

    def first_question(application, lang):
        page = Respondent(application.test_client(), slugs[application]).start(lang).get_data(as_text=True)
        return speakers(page)[0]

    overridden, plain = first_question(app_with_override, "sv"), first_question(app, "sv")
    assert f'data-speak="{OVERRIDE}"' in overridden and OVERRIDE not in plain
    assert clip_urls(overridden) != clip_urls(plain)
    assert clip_urls(first_question(app_with_override, "nb")) == clip_urls(first_question(app, "nb"))


def test_a_clip_is_made_on_demand_once_and_served_with_lasting_cache_headers(respondent, client, synth_calls):
    page = respondent.start("sv").get_data(as_text=True)
    url = clip_urls(page)[0]
    first = fetch(client, url)
    assert first.status_code == 200 and first.mimetype == "audio/mpeg"
    assert first.headers["Accept-Ranges"] == "bytes"
    assert set(first.headers["Cache-Control"].split(", ")) == {"public", "max-age=31536000", "immutable"}
    decoded = miniaudio.mp3_read_s16(first.data)
    assert decoded.sample_rate == 22050 and 1.0 < decoded.num_frames / 22050 < 10
    again = fetch(client, url)
    assert again.data == first.data and len(synth_calls) == 1


def test_range_requests_get_exactly_the_bytes_asked_for(respondent, client):
    url = clip_urls(respondent.start("sv").get_data(as_text=True))[0]
    whole = fetch(client, url).data
    size = len(whole)
    part = fetch(client, url, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206 and part.headers["Content-Range"] == f"bytes 100-1099/{size}"
    assert part.data == whole[100:1100] and part.headers["Content-Length"] == "1000"
    safari_probe = fetch(client, url, headers={"Range": "bytes=0-1"})
    assert safari_probe.status_code == 206 and safari_probe.data == whole[:2]
    tail = fetch(client, url, headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.data == whole[-500:]
    assert fetch(client, url, headers={"Range": f"bytes={size + 10}-"}).status_code == 416


def test_a_known_clip_answers_not_modified(respondent, client):
    url = clip_urls(respondent.start("sv").get_data(as_text=True))[0]
    etag = fetch(client, url).headers["ETag"]
    assert etag == f'"{url[8:-4]}"'
    assert fetch(client, url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("path", ["/speech/" + "0" * 64 + ".mp3", "/speech/../../secret_key.mp3",
                                  "/speech/ABC.mp3", "/speech/" + "a" * 65 + ".mp3"])
def test_unknown_clips_are_not_found(client, path):
    assert fetch(client, path).status_code == 404


def test_concurrent_requests_for_a_missing_clip_make_it_once(app, respondent, synth_calls):
    url = clip_urls(respondent.start("sv").get_data(as_text=True))[1]
    statuses = []

    def get():
        statuses.append(fetch(app.test_client(), url).status_code)

    threads = [threading.Thread(target=get) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 6 and len(synth_calls) == 1


def test_sound_off_leaves_the_speakers_out_and_read_aloud_is_remembered(respondent):
    respondent.start("sv")
    assert speakers(respondent.page) and 'data-read-aloud="off"' in respondent.page
    respondent.post("/settings", {"sound": "off", "next": "/r/1"}, follow_redirects=True)
    assert speakers(respondent.page) == [] and 'data-sound="off"' in respondent.page
    respondent.post("/settings", {"sound": "on", "next": "/r/1"})
    respondent.post("/settings", {"read_aloud": "on", "next": "/r/1"})
    respondent.answer(1, "yes", follow=True)
    assert 'data-read-aloud="on"' in respondent.page and 'data-autoplay' in respondent.page
    assert re.search(r'name="read_aloud" value="off" aria-pressed="true"', respondent.page)


def test_a_clip_made_through_one_instance_is_served_by_another_without_making_it_again(app, respondent, start_app,
                                                                                       synth_calls, tmp_path):
    other = start_app(SPEECH_DIR=str(tmp_path / "elsewhere"))  # another machine: its own, empty clip folder
    url = clip_urls(respondent.start("sv").get_data(as_text=True))[0]
    made = fetch(app.test_client(), url)
    assert made.status_code == 200 and len(synth_calls) == 1
    served = fetch(other.test_client(), url)
    assert served.status_code == 200 and served.data == made.data
    assert len(synth_calls) == 1  # copied from the database, not made again
    assert (tmp_path / "elsewhere" / url[8:10] / url[8:].removeprefix("/")).is_file()
