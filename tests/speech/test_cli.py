"""`survey speech build | check | record | forget` and `survey doctor`, as an operator runs them."""
from __future__ import annotations

import pytest

import survey.speech.views
from survey.cli import main
from tests.speech.helpers import NO_LIBRARY, mp3, python_without_espeak


@pytest.fixture
def fake_synthesis(monkeypatch):
    """Make clips without the engine (the real pipeline has its own tests); count them."""
    made = []

    def synthesise(clip, path, python):
        made.append(clip)
        path.write_bytes(b"\xff\xf3" + clip.text.encode())

    monkeypatch.setattr(survey.speech.views, "synthesise", synthesise)
    return made


def test_build_makes_every_clip_once_and_a_second_run_does_nothing(app, runner, fake_synthesis):
    first = runner.invoke(main, ["speech", "build"])
    assert first.exit_code == 0, first.output
    published = app.extensions["survey.library"].questionnaires
    texts = {clip.text for clip in fake_synthesis}
    assert {"Nästa", "Neste", "Next", "Svenska", "Norsk (bokmål)", "English"} <= texts
    assert {q.text[lang] for q in published["user"].questions for lang in ("sv", "nb", "en")} <= texts
    assert f"{len(fake_synthesis)} clips: {len(fake_synthesis)} made, 0 already there, 0 failed" in first.output
    second = runner.invoke(main, ["speech", "build"])
    assert second.exit_code == 0 and "0 made" in second.output and "Nothing to do." in second.output
    assert len(fake_synthesis) == len({(clip.text, clip.lang) for clip in fake_synthesis})  # each made once


def test_check_and_doctor_report_the_engine_and_every_voice(runner):
    for command in (["speech", "check"], ["doctor"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
        assert "ok  speech engine: espeak-ng" in result.output
        assert all(f"ok  voice for {lang}" in result.output for lang in ("sv", "nb", "en"))


def test_check_says_what_is_missing_and_how_to_install_it(start_app, tmp_path):
    app = start_app(SPEECH_PYTHON=python_without_espeak(tmp_path))
    result = app.test_cli_runner().invoke(main, ["speech", "check"])
    assert result.exit_code == 1
    assert "NO  speech engine: " + NO_LIBRARY in result.output
    assert "apt-get install espeak-ng libespeak-ng1" in result.output
    assert app.test_cli_runner().invoke(main, ["speech", "build"]).exit_code == 1


def test_a_missing_voice_is_named(start_app):
    app = start_app(SPEECH_VOICES={"sv": "gmq/sv", "nb": "gmq/no-such-voice", "en": "gmw/en"})
    result = app.test_cli_runner().invoke(main, ["doctor"])
    assert result.exit_code == 1 and "NO  voice for nb: gmq/no-such-voice" in result.output


def test_record_and_forget(app, runner, tmp_path):
    recording = tmp_path / "fraga1.mp3"
    recording.write_bytes(mp3())
    result = runner.invoke(main, ["speech", "record", "user", "decide_important", "sv", str(recording)])
    assert result.exit_code == 0, result.output
    assert "Recorded user decide_important (sv): 1.6 s, heard instead of \"Får du bestämma" in result.output
    wrong = runner.invoke(main, ["speech", "record", "user", "decide_everything", "sv", str(recording)])
    assert wrong.exit_code == 1 and "has no question or option 'decide_everything'" in wrong.output
    assert runner.invoke(main, ["speech", "forget", "user", "decide_important", "sv"]).exit_code == 0
    assert runner.invoke(main, ["speech", "forget", "user", "decide_important", "sv"]).exit_code == 1
