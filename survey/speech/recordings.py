"""Human recordings: a person records a question or option in a language, and it is heard instead of synthesis."""
from __future__ import annotations

import hashlib
from pathlib import Path

import miniaudio
import numpy as np
import sqlalchemy as sa
from flask import current_app

from survey.db import db
from survey.db.models import SpeechRecording
from survey.questionnaires import store
from survey.questionnaires.model import Library, Option, Question, Questionnaire
from survey.speech.cache import clip_path
from survey.speech.text import sanitise, spoken

MAX_BYTES = 4 * 1024 * 1024
MIN_SECONDS, MAX_SECONDS = 0.3, 120
SILENCE_RMS = 100  # of 32767


class BadRecording(ValueError):
    """A recording that cannot be used; the message tells staff what to do instead."""


def check_audio(data: bytes) -> float:
    """Return the length in seconds of an MP3 recording; raise BadRecording if it is too big, not MP3, or silent."""
    if len(data) > MAX_BYTES:
        raise BadRecording(f"The file is {len(data) / 2**20:.1f} MB; "
                           f"a recording may be at most {MAX_BYTES // 2**20} MB.")
    try:
        decoded = miniaudio.mp3_read_s16(data)
    except miniaudio.DecodeError:
        raise BadRecording("The file is not an MP3 recording that can be played.") from None
    seconds = decoded.num_frames / decoded.sample_rate
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise BadRecording(f"The recording is {seconds:.1f} s long; it must be {MIN_SECONDS} to {MAX_SECONDS} s.")
    samples = np.frombuffer(decoded.samples, dtype=np.int16).astype(np.float64)
    if np.sqrt(np.mean(samples**2)) < SILENCE_RMS:
        raise BadRecording("The recording is silent.")
    return seconds


def find_item(questionnaire: Questionnaire, item: str) -> Question | Option | None:
    """Return the question ('safe') or option ('safe.yes') named by item, or None."""
    question_key, _, option_key = item.partition(".")
    question = questionnaire.question(question_key)
    if question is None or not option_key:
        return question
    return next((o for o in question.options if o.key == option_key), None)


def record(library: Library, questionnaire_id: str, item: str, lang: str, data: bytes, cache: Path) -> SpeechRecording:
    """Store a recording of a question or option in a language; it replaces synthesis there until the text changes.

    The staff upload view calls this with the uploaded bytes; BadRecording's message is for staff."""
    questionnaire = library.questionnaires.get(questionnaire_id)
    if questionnaire is None:
        raise BadRecording(f"There is no questionnaire '{questionnaire_id}'.")
    if lang not in questionnaire.languages:
        raise BadRecording(f"Questionnaire '{questionnaire_id}' is not in language '{lang}' "
                           f"(it is in {', '.join(questionnaire.languages)}).")
    found = find_item(questionnaire, item)
    if found is None:
        raise BadRecording(f"Questionnaire '{questionnaire_id}' has no question or option '{item}' "
                           "(name a question by its key, an option as QUESTION.OPTION).")
    seconds = check_audio(data)
    row = _row(questionnaire_id, item, lang) or SpeechRecording(questionnaire_id=questionnaire_id, item=item,
                                                               language=lang)
    replaced = row.sha256
    row.text, row.audio, row.seconds = sanitise(spoken(found, lang)), data, seconds
    row.sha256 = hashlib.sha256(data).hexdigest()
    db.session.add(row)
    _changed()
    _drop_cached_copy(replaced, cache)
    return row


def forget(questionnaire_id: str, item: str, lang: str, cache: Path) -> bool:
    """Remove a recording and its cached copy, so synthesis speaks the item again; return whether there was one."""
    row = _row(questionnaire_id, item, lang)
    if row is None:
        return False
    db.session.delete(row)
    _changed()
    _drop_cached_copy(row.sha256, cache)
    return True


# What `recorded` found, per questionnaire version, language and questions asked, in this instance: the answer
# pages ask on every question. A change of recordings moves the questionnaires' revision, so that every instance
# drops what it kept when it next compares (survey/questionnaires/drafts.py).
RECORDED = "survey.recorded"


def _changed() -> None:
    """Commit a change of recordings, telling every instance (this one at once) to look them up again."""
    if store.revision() is not None:  # once the questionnaires are in the database
        store.bump()
    db.session.commit()
    forget_found(current_app)


def forget_found(app) -> None:
    """Drop what `recorded` kept in this instance."""
    app.extensions.pop(RECORDED, None)


def recorded(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """Return item -> clip key for the recordings of a questionnaire in a language whose text is unchanged."""
    found = current_app.extensions.setdefault(RECORDED, {})
    key = (questionnaire.id, questionnaire.version, lang, tuple(q.key for q in questionnaire.questions))
    if key not in found:
        found[key] = _recorded(questionnaire, lang)
    return found[key]


def _recorded(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    rows = db.session.execute(sa.select(SpeechRecording.item, SpeechRecording.text, SpeechRecording.sha256)
                              .filter_by(questionnaire_id=questionnaire.id, language=lang)).all()
    current = {item: find_item(questionnaire, item) for item, _, _ in rows}
    return {item: sha for item, text, sha in rows
            if current[item] is not None and sanitise(spoken(current[item], lang)) == text}


def audio(key: str) -> bytes | None:
    """Return the MP3 of the recording whose clip key this is, or None."""
    return db.session.scalar(sa.select(SpeechRecording.audio).filter_by(sha256=key).limit(1))


def _drop_cached_copy(key: str | None, cache: Path) -> None:
    """Delete the served copy of a recording that no item uses any more (a person's voice is not kept idly)."""
    if key and not db.session.scalar(sa.select(sa.func.count()).select_from(SpeechRecording).filter_by(sha256=key)):
        clip_path(cache, key).unlink(missing_ok=True)


def _row(questionnaire_id: str, item: str, lang: str) -> SpeechRecording | None:
    return db.session.scalar(sa.select(SpeechRecording)
                             .filter_by(questionnaire_id=questionnaire_id, item=item, language=lang))
