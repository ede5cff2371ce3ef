"""Without the engine or a voice the service still works: one clear warning, pages fall back to browser speech."""
from __future__ import annotations

import logging

import pytest

import survey.speech.views
from survey import create_app
from survey.config import ConfigError
from survey.speech.engine import SpeechError
from tests.helpers import Respondent, make_unit
from tests.speech.helpers import clip_urls, fetch, python_without_espeak, speakers

VOICES = {"sv": "gmq/sv", "nb": "gmq/nb", "en": "gmw/en"}


def speech_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "survey.speech.views" and r.levelno >= logging.WARNING]


def first_question(app, lang: str) -> str:
    return Respondent(app.test_client(), make_unit(app, slug=f"unit-{lang}")).start(lang).get_data(as_text=True)


def test_a_missing_voice_warns_once_and_only_its_language_uses_browser_speech(start_app, caplog):
    app = start_app(SPEECH_VOICES={**VOICES, "sv": "gmq/xx"})
    swedish, english = first_question(app, "sv"), first_question(app, "en")
    assert speakers(swedish) and clip_urls(swedish) == []
    assert all("data-speak=" in button for button in speakers(swedish))
    assert len(clip_urls(english)) == len(speakers(english))
    warnings = speech_warnings(caplog)
    assert len(warnings) == 1 and "sv 'gmq/xx'" in warnings[0] and "survey speech check" in warnings[0]


def test_a_missing_engine_warns_once_with_how_to_install_and_the_pages_still_work(start_app, caplog, tmp_path):
    app = start_app(SPEECH_PYTHON=python_without_espeak(tmp_path))
    page = first_question(app, "sv")
    assert speakers(page) and clip_urls(page) == []
    warnings = speech_warnings(caplog)
    assert len(warnings) == 1
    assert "libespeak-ng.so.1" in warnings[0] and "apt-get install espeak-ng libespeak-ng1" in warnings[0]


def test_speech_switched_off_is_silent_and_uses_browser_speech(start_app, caplog):
    app = start_app(SPEECH_ENABLED=False)
    page = first_question(app, "sv")
    assert speakers(page) and clip_urls(page) == [] and speech_warnings(caplog) == []


def test_a_clip_that_cannot_be_made_answers_503_and_warns_once(start_app, caplog, monkeypatch):
    def broken(clip, path, python):
        raise SpeechError("the engine crashed")

    app = start_app()
    monkeypatch.setattr(survey.speech.views, "synthesise", broken)
    url = clip_urls(first_question(app, "sv"))[0]
    client = app.test_client()
    with caplog.at_level(logging.DEBUG, logger="survey.speech.views"):
        assert [fetch(client, url).status_code for _ in range(3)] == [503, 503, 503]
    warnings = speech_warnings(caplog)
    assert len(warnings) == 1 and "the engine crashed" in warnings[0]


@pytest.mark.parametrize(("settings", "problem"), [
    ({"SPEECH_VOICES": {**VOICES, "de": "gmw/de"}}, "SPEECH_VOICES names unknown language 'de'"),
    ({"SPEECH_RATES": {"sv": 150, "nb": 150}}, "SPEECH_RATES has nothing for language 'en'"),
    ({"SPEECH_RATES": {"sv": 1000, "nb": 150, "en": 150}}, "SPEECH_RATES['sv'] = 1000"),
])
def test_bad_speech_settings_stop_the_start(tmp_path, settings, problem):
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        create_app({"SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", **settings})
