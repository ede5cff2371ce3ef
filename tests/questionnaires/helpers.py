"""Helpers for questionnaire tests: a tiny questionnaire written inline, and workbooks written as other tools do."""
from __future__ import annotations

import io
from pathlib import Path
from textwrap import dedent

import openpyxl
import sqlalchemy as sa

from survey.db import db
from survey.db.models import QuestionnaireVersion
from survey.questionnaires import drafts
from survey.questionnaires.files import read_yaml
from survey.questionnaires.model import parse_questionnaire

FLAGS = {"relationships", "influence"}


PICTOGRAMS = {"home", "happy", "sad", "neutral"}


TINY = dedent("""\
    id: tiny
    version: 1
    audience: user
    languages: [sv, en]
    title: {sv: Liten enkät, en: Tiny survey}
    intro: {sv: Hej, en: Hello}
    thanks: {sv: Tack, en: Thanks}
    scales:
      yes_no:
        - key: "yes"
          text: {sv: Ja, en: "Yes"}
          pictogram: happy
          positive: true
        - key: "no"
          text: {sv: Nej, en: "No"}
          pictogram: sad
    questions:
      - key: safe
        type: yes_no
        text: {sv: Känner du dig trygg?, en: Do you feel safe?}
        pictogram: home
        scale: yes_no
        dont_know: true
        flags: [relationships]
      - key: more
        type: free_text
        text: {sv: Vill du berätta mer?, en: Anything more?}
        pictogram: home
    """)


def parse(tmp_path: Path, text: str):
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return parse_questionnaire(path.name, read_yaml(path), FLAGS, PICTOGRAMS)



def workbook(survey: list[list] | None, choices: list[list] | None, settings: list[list] | None,
             extra: dict | None = None) -> bytes:
    """Write a workbook the way another tool would: plain openpyxl, sheets in any order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (("settings", settings), ("choices", choices), ("survey", survey), *(extra or {}).items()):
        if rows is not None:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SURVEY = [["type", "name", "label::Svenska (sv)", "label::English (en)", "media::image", "flags", "dont_know"],
          ["note", "intro", "Hej! Några frågor.", "Hello! Some questions."],
          ["select_one trygg", "safe_home", "Känner du dig trygg hemma?", "Do you feel safe at home?",
           "images/safe.png", "relationships staff_approach", "yes"],
          ["text", "more", "Vill du berätta mer?", "Anything more?", "write.svg", None, None],
          ["note", "thanks", "Tack!", "Thank you!"]]


CHOICES = [["list_name", "name", "label::Svenska (sv)", "label::English (en)", "media::image", "positive"],
           ["trygg", "yes", "Ja", "Yes", "face_happy.svg", "yes"],
           ["trygg", "no", "Nej", "No", "face_sad.svg", None]]


SETTINGS = [["form_id", "version", "form_title", "title::English (en)", "default_language"],
            ["council_test", "2024010101", "Trygghet", "Safety", "Svenska (sv)"]]


def cells(rows: list[list], row: int, column: str, value) -> list[list]:
    rows = [list(r) for r in rows]
    head = rows[0]
    if column not in head:
        head.append(column)
        for r in rows[1:]:
            r.append(None)
    rows[row - 1][head.index(column)] = value
    return rows


def publish_next(app, change) -> int:
    """Make a draft of the user questionnaire, change its text with `change`, publish it; return its number."""
    with app.app_context():
        draft = drafts.create_draft("user")
        drafts.save_draft("user", draft.version, change(drafts.text_of("user", draft.version)))
        return drafts.publish("user", draft.version).version


def stored_versions(app) -> list[tuple[str, int, str]]:
    """Return every questionnaire version the database holds: (id, version, status)."""
    with app.app_context():
        drafts.sync(app)
        rows = db.session.execute(sa.select(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version,
                                            QuestionnaireVersion.status)).all()
    return sorted(tuple(r) for r in rows)
