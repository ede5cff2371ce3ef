"""Questionnaires as data: parse each YAML file once into one canonical, validated structure."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from survey.config import LANGUAGES
from survey.questionnaires import versions
from survey.questionnaires.files import DataFileError, Problem, problem, read_yaml, validation_problems
from survey.questionnaires.pictograms import Pictogram, load_catalogue
from survey.questionnaires.quality import MODEL_FILE, QualityModel, load_quality_model
from survey.speech.text import MAX_RATE, MAX_SPOKEN_CHARS, MIN_RATE

Key = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
MAX_QUESTION_TEXT = 300
MAX_OPTION_TEXT = 60
DONT_KNOW = "dont_know"  # the stored value of the standard "Don't know" answer


def text_of(texts: dict[str, str], lang: str) -> str:
    """Pick a text in a language, falling back to Swedish, then to any."""
    return texts.get(lang) or texts.get("sv") or next(iter(texts.values()), "")


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    YES_NO = "yes_no"
    AGREEMENT = "agreement"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"


MIN_OPTIONS = {QuestionType.YES_NO: 2, QuestionType.AGREEMENT: 4, QuestionType.SINGLE_CHOICE: 2,
               QuestionType.MULTIPLE_CHOICE: 2}
MAX_OPTIONS = {QuestionType.YES_NO: 3}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Frozen):
    """One answer a respondent can give."""

    key: str = Key
    text: dict[str, str]
    spoken: dict[str, str] = {}
    speech_rate: dict[str, int] = {}
    pictogram: str
    positive: bool = False


class Question(_Frozen):
    """One screen of the questionnaire."""

    key: str = Key
    type: QuestionType
    text: dict[str, str]
    spoken: dict[str, str] = {}
    speech_rate: dict[str, int] = {}
    pictogram: str
    scale: str | None = None
    options: tuple[Option, ...] = ()
    dont_know: bool = False
    flags: tuple[str, ...] = ()
    meaning: int = Field(default=1, ge=1)  # raised when a wording changes what is asked (see questionnaires/README.md)
    background: Literal["sex", "helped"] | None = None

    @property
    def is_choice(self) -> bool:
        return self.type is not QuestionType.FREE_TEXT

    def answer_keys(self) -> set[str]:
        """Return every value a respondent may send for this question."""
        return {o.key for o in self.options} | ({DONT_KNOW} if self.dont_know else set())


class Questionnaire(_Frozen):
    """A validated questionnaire: every question has its options written out, scales resolved."""

    id: str = Key
    version: int = Field(ge=1)
    status: Literal["published", "draft", "retired"] = "published"
    audience: Literal["user", "staff"]
    # Literal built at run time from config.LANGUAGES (pydantic checks it); a static checker cannot read a variable.
    languages: tuple[Literal[LANGUAGES], ...] = Field(min_length=1)  # type: ignore[valid-type]
    title: dict[str, str]
    intro: dict[str, str]
    thanks: dict[str, str]
    speech_rate: dict[str, int] = {}
    scales: dict[str, tuple[Option, ...]] = {}
    questions: tuple[Question, ...] = Field(min_length=1)

    def question(self, key: str) -> Question | None:
        """Return the question with this key, or None."""
        return next((q for q in self.questions if q.key == key), None)


@dataclass(frozen=True)
class Library:
    """Everything loaded from questionnaires/ and pictograms/, checked together."""

    questionnaires: dict[str, Questionnaire]  # the current published version of each questionnaire
    quality_model: QualityModel
    pictograms: dict[str, Pictogram]
    versions: dict[str, dict[int, Questionnaire]] = field(default_factory=dict)  # every version, drafts too

    def published(self, questionnaire_id: str) -> Questionnaire | None:
        """Return the published questionnaire with this id, or None."""
        q = self.questionnaires.get(questionnaire_id)
        return q if q is not None and q.status == "published" else None

    def version(self, questionnaire_id: str, number: int) -> Questionnaire | None:
        """Return one version (draft, published or retired) of a questionnaire, or None."""
        return self.versions.get(questionnaire_id, {}).get(number)

    def versions_of(self, questionnaire_id: str) -> list[Questionnaire]:
        """Return every version of a questionnaire, oldest first."""
        return [q for _, q in sorted(self.versions.get(questionnaire_id, {}).items())]

    def answered_versions(self, questionnaire_id: str) -> dict[int, Questionnaire]:
        """Return the versions responses can hold: published and retired ones (drafts are only tested)."""
        return {q.version: q for q in self.versions_of(questionnaire_id) if q.status in versions.FROZEN}

    def draft(self, questionnaire_id: str) -> Questionnaire | None:
        """Return the draft of a questionnaire, or None."""
        return next((q for q in self.versions_of(questionnaire_id) if q.status == "draft"), None)

    def all_versions(self) -> list[Questionnaire]:
        """Return every version of every questionnaire."""
        return [q for qid in sorted(self.versions) for q in self.versions_of(qid)]


def parse_questionnaire(file: str, raw: Any, flag_ids: set[str], pictograms: set[str]) -> Questionnaire:
    """Validate one loaded questionnaire; raise DataFileError listing every problem."""
    try:
        parsed = Questionnaire.model_validate(raw)
    except pydantic.ValidationError as err:
        raise DataFileError(validation_problems(file, raw, err)) from None
    problems = _check(file, raw, parsed, flag_ids, pictograms)
    if problems:
        raise DataFileError(problems)
    return parsed.model_copy(update={"questions": tuple(_with_scale(q, parsed.scales) for q in parsed.questions)})


def _with_scale(question: Question, scales: dict[str, tuple[Option, ...]]) -> Question:
    if question.scale is None:
        return question
    return question.model_copy(update={"options": scales[question.scale]})


def _check(file: str, raw: Any, q: Questionnaire, flag_ids: set[str], pictograms: set[str]) -> list[Problem]:
    """Find every semantic problem: texts per language, references, option rules."""
    found: list[Problem] = []

    def bad(loc: tuple, message: str) -> None:
        found.append(problem(file, raw, loc, message))

    def texts(loc: tuple, value: dict[str, str], limit: int | None = None, required: bool = True) -> None:
        for lang in q.languages:
            if required and not (value.get(lang) or "").strip():
                bad(loc, f"missing text in language '{lang}'")
        for lang, text in value.items():
            if lang not in q.languages:
                bad(loc + (lang,), f"language '{lang}' is not in this questionnaire's languages {list(q.languages)}")
            elif limit and len(text) > limit:
                bad(loc + (lang,), f"text is {len(text)} characters; keep it to {limit} or fewer")

    def rates(loc: tuple, value: dict[str, int]) -> None:
        for lang, rate in value.items():
            if lang not in q.languages:
                bad(loc + (lang,), f"language '{lang}' is not in this questionnaire's languages {list(q.languages)}")
            elif not MIN_RATE <= rate <= MAX_RATE:
                bad(loc + (lang,), f"speech rate {rate} words per minute is outside {MIN_RATE} to {MAX_RATE}")

    def options(loc: tuple, opts: tuple[Option, ...]) -> None:
        keys = [o.key for o in opts]
        for i, opt in enumerate(opts):
            texts(loc + (i, "text"), opt.text, MAX_OPTION_TEXT)
            texts(loc + (i, "spoken"), opt.spoken, MAX_SPOKEN_CHARS, required=False)
            rates(loc + (i, "speech_rate"), opt.speech_rate)
            if opt.pictogram not in pictograms:
                bad(loc + (i, "pictogram"), f"unknown pictogram '{opt.pictogram}' (not in pictograms/catalogue.yaml)")
            if keys.count(opt.key) > 1 and keys.index(opt.key) != i:
                bad(loc + (i, "key"), f"option key '{opt.key}' is used twice")
            if opt.key == DONT_KNOW:
                bad(loc + (i, "key"), f"'{DONT_KNOW}' is reserved: use `dont_know: true` instead")

    for name in ("title", "intro", "thanks"):
        texts((name,), getattr(q, name))
    rates(("speech_rate",), q.speech_rate)
    for name, opts in q.scales.items():
        options(("scales", name), opts)
    keys = [question.key for question in q.questions]
    backgrounds: list[str] = []
    for i, question in enumerate(q.questions):
        loc = ("questions", i)
        if keys.count(question.key) > 1 and keys.index(question.key) != i:
            bad(loc + ("key",), f"question key '{question.key}' is used twice")
        texts(loc + ("text",), question.text, MAX_QUESTION_TEXT)
        texts(loc + ("spoken",), question.spoken, MAX_SPOKEN_CHARS, required=False)
        rates(loc + ("speech_rate",), question.speech_rate)
        if question.pictogram not in pictograms:
            bad(loc + ("pictogram",), f"unknown pictogram '{question.pictogram}' (not in pictograms/catalogue.yaml)")
        for f, flag in enumerate(question.flags):
            if flag not in flag_ids:
                bad(loc + ("flags", f), f"unknown flag '{flag}' (not in {MODEL_FILE})")
        options(loc + ("options",), question.options)
        _check_options(question, q.scales, lambda m, where=loc: bad(where, m))
        if question.background:
            if question.background in backgrounds:
                bad(loc + ("background",), f"background '{question.background}' is asked twice")
            if question.type is not QuestionType.SINGLE_CHOICE:
                bad(loc + ("background",), "a background question must be single_choice")
            backgrounds.append(question.background)
    return found


def _check_options(question: Question, scales: dict, bad) -> None:
    """Check that a question's options fit its type."""
    if question.scale is not None and question.options:
        bad("give either `scale` or `options`, not both")
        return
    if question.scale is not None and question.scale not in scales:
        bad(f"unknown scale '{question.scale}' (define it under `scales:`)")
        return
    count = len(scales[question.scale]) if question.scale else len(question.options)
    if question.type is QuestionType.FREE_TEXT:
        if count or question.dont_know:
            bad("a free_text question has no options and no dont_know")
        return
    low, high = MIN_OPTIONS[question.type], MAX_OPTIONS.get(question.type)
    if count < low or (high and count > high):
        wanted = f"{low} to {high}" if high else f"at least {low}"
        bad(f"a {question.type.value} question needs {wanted} options, it has {count}")


def load_library(questionnaire_dir: Path, pictogram_dir: Path, files: list[Path] | None = None) -> Library:
    """Load the quality model, the pictogram catalogue and every questionnaire version; raise listing every problem.

    Without `files`, the whole folder: published files, versions/ and the fingerprints of published versions."""
    problems: list[Problem] = []
    model = _collect(problems, lambda: load_quality_model(questionnaire_dir), None)
    catalogue = _collect(problems, lambda: load_catalogue(pictogram_dir), {})
    register = _collect(problems, lambda: versions.read_register(questionnaire_dir), {})
    flag_ids = model.flag_ids() if model else set()
    if files is not None:
        paths = files
    else:
        paths = questionnaire_files(questionnaire_dir) + versions.version_files(questionnaire_dir)
    found = []
    for path in paths:
        name = versions.display_name(questionnaire_dir, path)
        try:
            raw = read_yaml(path)
            found.append((path, raw, parse_questionnaire(name, raw, flag_ids, set(catalogue))))
        except DataFileError as err:
            problems += err.problems
    problems += versions.layout_problems(questionnaire_dir, found, register, whole_folder=files is None)
    if problems:
        raise DataFileError(problems)
    every: dict[str, dict[int, Questionnaire]] = {}
    for _path, _raw, q in found:
        every.setdefault(q.id, {})[q.version] = q
    published = {q.id: q for _path, _raw, q in found if q.status == "published"}
    return Library(published, model, catalogue, every)


def _collect(problems: list[Problem], load, default):
    """Return what load() returns, or default after adding its problems."""
    try:
        return load()
    except DataFileError as err:
        problems += err.problems
        return default


def questionnaire_files(questionnaire_dir: Path) -> list[Path]:
    """Return every published questionnaire file in the folder (every .yaml except the quality model)."""
    return sorted(p for p in questionnaire_dir.glob("*.yaml") if p.name != MODEL_FILE)
