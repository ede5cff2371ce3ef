"""Tables. What a response may hold about its respondent is decided in survey/responses.py."""
from __future__ import annotations

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.db import Base


def random_id() -> str:
    """Return a random, non-sequential id: it says nothing about when or in what order rows came."""
    return secrets.token_hex(16)


# SQLite tables keep a hidden, increasing rowid unless told otherwise; responses must not.
NO_ROWID = {"sqlite_with_rowid": False}


class Organisation(Base):
    __tablename__ = "organisation"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    name: Mapped[str] = mapped_column(String(200))


class Area(Base):
    __tablename__ = "area"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"))
    area_id: Mapped[str | None] = mapped_column(ForeignKey("area.id"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)  # the unit's link: /u/<slug>
    service_type: Mapped[str] = mapped_column(String(40))


round_unit = Table(
    "round_unit",
    Base.metadata,
    Column("round_id", ForeignKey("survey_round.id"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True),
)


class Round(Base):
    """A questionnaire opened for chosen units over a period (both dates included)."""

    __tablename__ = "survey_round"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    name: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    units: Mapped[list[Unit]] = relationship(secondary=round_unit)

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on


class Response(Base):
    """One anonymous respondent's answers to one questionnaire version, at one unit, in one round."""

    __tablename__ = "response"
    __table_args__ = NO_ROWID
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[int]
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    helped: Mapped[str | None] = mapped_column(String(64))
    sex: Mapped[str | None] = mapped_column(String(64))
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_on: Mapped[dt.date] = mapped_column(Date)


class Answer(Base):
    """One chosen option (or one free text) for one question: long form, so results are a GROUP BY."""

    __tablename__ = "answer"
    __table_args__ = NO_ROWID
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    question_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    option: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" for free text
    text: Mapped[str | None] = mapped_column(Text)


account_unit = Table(
    "account_unit",
    Base.metadata,
    Column("account_id", ForeignKey("account.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)


class Account(UserMixin, Base):
    """A staff member's login. Accounts never touch responses: nothing links an answer to a login."""

    __tablename__ = "account"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    units: Mapped[list[Unit]] = relationship(secondary=account_unit)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot log in
        return self.active


class TabletSession(Base):
    """An iPad put into answering mode for one unit and questionnaire, for the working day `valid_on`."""

    __tablename__ = "tablet_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    pin_hash: Mapped[str] = mapped_column(String(256))
    valid_on: Mapped[dt.date] = mapped_column(Date)


class Invitation(Base):
    """A single-use invitation code, kept only as a keyed hash. Its use is never linked to a response."""

    __tablename__ = "invitation"
    __table_args__ = NO_ROWID
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    used_on: Mapped[dt.date | None] = mapped_column(Date)


class SpeechRecording(Base):
    """A person's recording of one question or option in one language, heard instead of synthesis."""

    __tablename__ = "speech_recording"
    __table_args__ = (UniqueConstraint("questionnaire_id", "item", "language"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(130))  # "question" or "question.option"
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)  # what was recorded: once the text changes, synthesis speaks again
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # the clip's key and URL
    seconds: Mapped[float]
    audio: Mapped[bytes] = mapped_column(LargeBinary)  # MP3, kept with the data it belongs to


class CouncilLink(Base):
    """A link (and its QR code) that opens one questionnaire version in test mode for a user council."""

    __tablename__ = "council_link"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)  # random, in the link: /council/<token>
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))  # for staff: which council, which meeting
    created_on: Mapped[dt.date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CouncilSession(Base):
    """One tester's pass through a questionnaire in test mode, or an editor's preview. Never a response:
    results, rates and exports read only `response` and `answer`, so nothing here can reach them."""

    __tablename__ = "council_session"
    __table_args__ = NO_ROWID
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    link_token: Mapped[str | None] = mapped_column(ForeignKey("council_link.token", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    language: Mapped[str] = mapped_column(String(8))
    started_on: Mapped[dt.date] = mapped_column(Date)


class CouncilAnswer(Base):
    """A test answer: one chosen option (or one free text) for one question, kept apart from real answers."""

    __tablename__ = "council_answer"
    __table_args__ = NO_ROWID
    session_id: Mapped[str] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"), primary_key=True)
    question_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    option: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" for free text
    text: Mapped[str | None] = mapped_column(Text)


class CouncilFeedback(Base):
    """Whether a tester found one question easy to understand, and what they said about it."""

    __tablename__ = "council_feedback"
    __table_args__ = NO_ROWID
    session_id: Mapped[str] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"), primary_key=True)
    question_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    understood: Mapped[bool | None] = mapped_column(Boolean)  # thumbs up, thumbs down, or not said
    comment: Mapped[str | None] = mapped_column(Text)
    wording: Mapped[str] = mapped_column(Text)  # the question as shown: feedback on an earlier wording says so


class ImportWarnings(Base):
    """What an XLSForm import left out or changed, kept with the draft it made until that draft is published or
    deleted (drafts live in files for now; their warnings do not, so they can move into the database alone)."""

    __tablename__ = "import_warnings"
    questionnaire_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    listed: Mapped[list[str]] = mapped_column(JSON)  # each warning as staff read it: file: sheet row, column: what
    unlisted: Mapped[int] = mapped_column(default=0)  # warnings beyond those listed (at most 100 are)
