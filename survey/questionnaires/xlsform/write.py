"""XLSForm out: any questionnaire version as a `survey` / `choices` / `settings` workbook (openpyxl).

What XLSForm has a column for goes there (type, name, `label::Svenska (sv)`, `media::image::Svenska (sv)`
with the same pictogram in every language, `media::audio::Svenska (sv)`); what only we have gets a column
of its own: flags, dont_know, meaning, question_type, background, positive, `spoken::…` and
`speech_rate::…`, and `translated_title::…` in settings (pyxform reads `title::…` as its form_title,
which has one language, and fails on it). The introduction and thank-you text are notes named `intro`
and `thanks`. parse.py reads all of it back, so a round trip keeps everything, and pyxform converts the
workbook into an XForm (tests/questionnaires/test_xlsform_pyxform.py).
"""
from __future__ import annotations

import hashlib
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from survey.questionnaires.model import Option, Question, Questionnaire
from survey.questionnaires.xlsform.terms import SELF_WRITTEN

LANGUAGE_NAMES = {"sv": "Svenska", "nb": "Norsk bokmål", "en": "English"}
TYPES = {"single_choice": "select_one", "yes_no": "select_one", "agreement": "select_one",
         "multiple_choice": "select_multiple", "free_text": "text"}
TRUE = "yes"


def header(column: str, lang: str) -> str:
    """Return a per-language column name, the XLSForm way: label::Svenska (sv)."""
    return f"{column}::{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def list_name(question: Question) -> str:
    """Return the choice list of a question: its scale, or its own list named after it."""
    return question.scale or question.key


def _used(items, attribute: str, languages) -> list[str]:
    """Return the languages in which any item has a value for attribute (spoken, speech_rate)."""
    return [lang for lang in languages if any(getattr(i, attribute).get(lang) for i in items)]


def _language_columns(items, languages, audio_langs) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Return (header, attribute, language) for the per-language columns items need: texts, then media (the
    pictogram in every language, as XLSForm has pictures per language, and recordings)."""
    columns = [(header("label", lang), "text", lang) for lang in languages]
    columns += [(header("spoken", lang), "spoken", lang) for lang in _used(items, "spoken", languages)]
    columns += [(header("speech_rate", lang), "speech_rate", lang) for lang in _used(items, "speech_rate", languages)]
    return columns, ([(header("media::image", lang), "pictogram", lang) for lang in languages]
                     + [(header("media::audio", lang), "audio", lang) for lang in audio_langs])


def to_workbook(questionnaire: Questionnaire, audio: dict[tuple[str, str], str]) -> Workbook:
    """Write a questionnaire version as an XLSForm workbook; `audio` names the recording of (item, language)."""
    langs = list(questionnaire.languages)
    audio_langs = langs if audio else []  # XLSForm expects a media column in every language, or in none
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    questions = questionnaire.questions
    per_lang, media = _language_columns(questions, langs, audio_langs)
    extra = ["flags", "dont_know", "meaning", "question_type", "background"]
    columns = ["type", "name"] + [h for h, _, _ in per_lang + media] + extra
    rows = [{"type": "note", "name": "intro", **{header("label", lang): questionnaire.intro[lang] for lang in langs}}]
    for q in questions:
        row = {"type": f"{TYPES[q.type.value]} {list_name(q)}".strip()
               if q.is_choice else "text", "name": q.key,
               "flags": " ".join(q.flags), "dont_know": TRUE if q.dont_know else None,
               "meaning": q.meaning if q.meaning != 1 else None,
               "question_type": q.type.value if q.type.value in ("yes_no", "agreement") else None,
               "background": q.background}
        row.update(_per_language(q, per_lang + media, audio, q.key))
        rows.append(row)
    rows.append({"type": "note", "name": "thanks",
                 **{header("label", lang): questionnaire.thanks[lang] for lang in langs}})
    _sheet(survey, columns, rows)
    _sheet(book.create_sheet("choices"), *_choices(questionnaire, langs, audio, audio_langs))
    settings = ["form_id", "version", "form_title", "default_language", "audience"] + \
        [header(SELF_WRITTEN, lang) for lang in langs] + \
        [header("speech_rate", lang) for lang in langs if questionnaire.speech_rate.get(lang)]
    values = {"form_id": questionnaire.id, "version": questionnaire.version,
              "form_title": questionnaire.title[langs[0]],
              "default_language": f"{LANGUAGE_NAMES.get(langs[0], langs[0])} ({langs[0]})",
              "audience": questionnaire.audience,
              **{header(SELF_WRITTEN, lang): questionnaire.title[lang] for lang in langs},
              **{header("speech_rate", lang): rate for lang, rate in questionnaire.speech_rate.items()}}
    _sheet(book.create_sheet("settings"), settings, [values])
    return book


def _choices(questionnaire: Questionnaire, langs, audio, audio_langs):
    """Return the columns and rows of the choices sheet: every scale, then each question's own options."""
    lists: dict[str, tuple[Option, ...]] = dict(questionnaire.scales)
    owners: dict[str, str] = {}
    for q in questionnaire.questions:
        if q.is_choice and not q.scale:
            lists[q.key], owners[q.key] = q.options, q.key
    options = [o for opts in lists.values() for o in opts]
    per_lang, media = _language_columns(options, langs, audio_langs)
    columns = ["list_name", "name"] + [h for h, _, _ in per_lang + media] + ["positive"]
    rows = []
    for name, opts in lists.items():
        for option in opts:
            row = {"list_name": name, "name": option.key, "positive": TRUE if option.positive else None}
            item = f"{owners[name]}.{option.key}" if name in owners else None
            row.update(_per_language(option, per_lang + media, audio, item))
            rows.append(row)
    return columns, rows


def _per_language(thing, columns, audio, item) -> dict:
    values = {}
    for column, attribute, lang in columns:
        if attribute == "audio":
            values[column] = audio.get((item, lang)) if item else None
        elif attribute == "pictogram":
            values[column] = f"{thing.pictogram}.svg"
        else:
            values[column] = getattr(thing, attribute).get(lang)
    return values


def _sheet(sheet, columns: list[str], rows: list[dict]) -> None:
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(10, min(60, len(column) + 4))


def workbook_bytes(book: Workbook) -> bytes:
    """Return the workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def recording_names(questionnaire: Questionnaire) -> dict[tuple[str, str], str]:
    """Return (item, language) -> file name of each recording heard in this version: its SHA-256, .mp3."""
    from survey.speech import recordings
    return {(item, lang): f"{sha}.mp3" for lang in questionnaire.languages
            for item, sha in recordings.recorded(questionnaire, lang).items()}


def recording_files(questionnaire: Questionnaire) -> dict[str, bytes]:
    """Return file name -> MP3 of every recording the workbook of this version names."""
    from survey.speech import recordings
    return {name: recordings.audio(name[:-4]) for name in recording_names(questionnaire).values()}


def audio_name(data: bytes) -> str:
    """Name a recording by its content, as exports do."""
    return f"{hashlib.sha256(data).hexdigest()}.mp3"
