"""Speech in the app: settings checked at start-up, one warning when the engine or a voice is missing,
clip URLs for the templates, and clip files served with Range support and long-lived cache headers."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from flask import Blueprint, Flask, abort, current_app, send_file, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from survey.config import LANGUAGES, ConfigError
from survey.db import db
from survey.questionnaires import LIBRARY
from survey.questionnaires.model import Library
from survey.speech import recordings, shared
from survey.speech.cache import Maker, clip_path, ensure
from survey.speech.engine import INSTALL, Engine, SpeechError, probe, synthesise
from survey.speech.text import (
    KEY,
    Clip,
    Voices,
    heard,
    item_key,
    questionnaire_clips,
    sanitise,
    sentences,
    settings_problems,
)
from survey.web.errors import CATALOGUE
from survey.web.i18n import NATIVE_NAMES

bp = Blueprint("speech", __name__)
log = logging.getLogger(__name__)
ONE_YEAR = 365 * 24 * 3600
DONT_KNOW_WORD = _l("Don't know")
# The words of the respondent's pages themselves that can be heard (templates say them with `clip`).
PAGE_WORDS = (_l("Start"), _l("Next"), _l("Back"), _l("Skip"), _l("Stop"), _l("Thank you for your answers!"),
              _l("Do you want to stop now?"), _l("Yes, stop"), _l("No, go on answering"), _l("Next person"),
              _l("Start again"), _l("Back to the start page"), _l("Choose another language"),
              _l("Choose a questionnaire"),
              # test mode for user councils
              _l("Test mode: these answers are not counted."), _l("Was the question easy to understand?"),
              _l("Yes, easy to understand"), _l("No, hard to understand"), _l("Next tester"),
              _l("Thank you for testing! What you said helps us make the questions better."))


class Heard(NamedTuple):
    """A text as a speaker button says it: the spoken text, its language, and its clip URL (None: browser speech)."""

    text: str
    lang: str
    url: str | None


@dataclass
class Speech:
    """The app's speech: where clips live, which voices work, and every clip it may make."""

    folder: Path
    voices: Voices
    engine: Engine
    python: str
    known: dict[str, Clip] = field(default_factory=dict)  # only these texts can ever be synthesised
    failures: int = 0

    def speaks(self, lang: str) -> bool:
        """Say whether clips can be made in this language."""
        return self.engine.available and self.voices.voice.get(lang) in self.engine.voices

    def key(self, text: str, lang: str, rate: int | None = None) -> str | None:
        """Return the key of the clip for this text if the app can serve it, else None."""
        clip = self.voices.clip(text, lang, rate) if self.speaks(lang) else None
        key = clip.key(self.engine.version) if clip else None
        return key if key in self.known else None

    def allow(self, text: str, lang: str) -> None:
        """Let the app make the clip of a text it wrote itself (an easy-read result), never of a visitor's text."""
        clip = self.voices.clip(text, lang) if self.speaks(lang) else None
        if clip is not None:
            self.known.setdefault(clip.key(self.engine.version), clip)

    def maker(self, clip: Clip) -> Maker:
        """Return what writes this clip to a path: a fresh worker process."""
        return lambda path: synthesise(clip, path, self.python)

    def shared_maker(self, clip: Clip) -> Maker:
        """Return what writes this clip to a path: a copy of the one another instance made (survey/speech/shared.py),
        or else a fresh worker process, whose clip every other instance then copies."""
        return shared.once(db.engine, clip.key(self.engine.version), self.maker(clip))

    def file(self, key: str) -> Path | None:
        """Return the clip's file: cached, else copied from the database or synthesised, or copied from its recording
        now (once); None if unknown."""
        path = clip_path(self.folder, key)
        if path.is_file():
            return path
        clip = self.known.get(key)
        if clip is not None and self.speaks(clip.lang):
            return ensure(self.folder, key, self.shared_maker(clip))[0]
        audio = recordings.audio(key)
        if audio is not None:
            return ensure(self.folder, key, lambda tmp: tmp.write_bytes(audio))[0]
        return None


def speech() -> Speech:
    return current_app.extensions["survey.speech"]


def in_every_language(app: Flask, texts: Callable[[], list[str]]) -> dict[str, list[str]]:
    """Return texts() as it reads in each language (for the words the templates translate)."""
    found = {}
    with app.app_context():
        for lang in LANGUAGES:
            with force_locale(lang):
                found[lang] = texts()
    return found


def heard_clips(app: Flask, library: Library, voices: Voices, published_only: bool = False) -> list[Clip]:
    """Return every clip the respondent pages can play: questionnaires, page words, errors, language names."""
    dont_know = {lang: texts[0] for lang, texts in in_every_language(app, lambda: [str(DONT_KNOW_WORD)]).items()}
    pages = in_every_language(app, lambda: [str(w) for w in PAGE_WORDS]
                              + [sentences(str(heading), str(advice)) for heading, advice in CATALOGUE.values()])
    questionnaires = library.questionnaires.values() if published_only else library.all_versions()
    clips = [clip for q in questionnaires for clip in questionnaire_clips(q, voices, dont_know)]
    clips += [voices.clip(text, lang) for lang in LANGUAGES for text in pages[lang] + [NATIVE_NAMES[lang]]]
    return [c for c in clips if c]


def clip(thing, lang: str, questionnaire=None, recorded: str | None = None) -> Heard:
    """Return how a speaker button says a text, question or option: a recording, a clip, or browser speech."""
    text, rate = heard(thing, lang, questionnaire)
    if recorded:
        return Heard(sanitise(text), lang, url_for("speech.clip_file", key=recorded))
    key = speech().key(text, lang, rate)
    return Heard(sanitise(text), lang, url_for("speech.clip_file", key=key) if key else None)


@bp.get("/speech/<key>.mp3")
def clip_file(key: str):
    """Serve one clip as MP3 with Range support, cached for a year: its URL changes when its sound does."""
    if not KEY.match(key):
        abort(404)
    try:
        path = speech().file(key)
    except SpeechError as err:
        speech().failures += 1
        level = logging.WARNING if speech().failures == 1 else logging.DEBUG
        log.log(level, "speech clip %s could not be made (%s); the page falls back to browser speech", key, err)
        abort(503)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="audio/mpeg", conditional=True, etag=key, max_age=ONE_YEAR)
    response.cache_control.immutable = True
    return response


def start(app: Flask) -> Speech:
    """Check the speech settings (refusing bad ones), probe the engine and warn once about what is missing."""
    problems = settings_problems(app.config["SPEECH_VOICES"], app.config["SPEECH_RATES"])
    if problems:
        raise ConfigError("Speech settings: " + "; ".join(problems))
    voices = Voices(dict(app.config["SPEECH_VOICES"]), dict(app.config["SPEECH_RATES"]))
    python = app.config.get("SPEECH_PYTHON") or sys.executable
    if app.config["SPEECH_ENABLED"]:
        engine = probe(python)
    else:
        engine = Engine(None, problem="switched off (SPEECH_ENABLED = False)")
    folder = Path(app.config.get("SPEECH_DIR") or Path(app.instance_path) / "speech")
    found = Speech(folder, voices, engine, python)
    missing = engine.missing(voices.voice)
    if app.config["SPEECH_ENABLED"] and not engine.available:
        log.warning("Speech synthesis is not available (%s): pages use the browser's own speech instead. "
                    "Install it with `%s`, then run `survey speech check`.", engine.problem, INSTALL)
    elif engine.available and missing:
        log.warning("Speech voices not installed: %s. Pages in those languages use the browser's own speech. "
                    "Run `survey speech check`.", ", ".join(f"{lang} '{v}'" for lang, v in missing.items()))
    return found


def learn(app: Flask) -> None:
    """Know the clips of the questionnaires as loaded now (drafts too: user councils hear them in test mode)."""
    found = app.extensions.get("survey.speech")
    if found is not None and found.engine.available:
        found.known = {c.key(found.engine.version): c
                       for c in heard_clips(app, app.extensions[LIBRARY], found.voices)}


def init_app(app: Flask) -> None:
    """Set up speech: settings, engine, clip URLs for templates, the clip route."""
    app.extensions["survey.speech"] = start(app)
    learn(app)
    app.jinja_env.globals.update(clip=clip, sentences=sentences, item_key=item_key)
    app.register_blueprint(bp)
