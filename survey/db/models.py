"""Tables. What a response may hold about its respondent is decided in survey/respond/store.py."""
from __future__ import annotations

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
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


class Pool(Base):
    """A fixed group of units of one service type (a cluster of small group homes): where a unit's own figures would
    be hidden, the pool's are shown. An administrator sets it; a unit belongs to one pool at most."""

    __tablename__ = "pool"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    service_type: Mapped[str] = mapped_column(String(40))


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.id"))
    area_id: Mapped[str | None] = mapped_column(ForeignKey("area.id"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)  # the unit's link: /u/<slug>
    service_type: Mapped[str] = mapped_column(String(40))
    # How many people the unit serves: once a service users' round has this many responses, more through the open
    # link are held for review (None: no bound). See survey/respond/store.py.
    places: Mapped[int | None] = mapped_column(Integer)
    pool_id: Mapped[str | None] = mapped_column(ForeignKey("pool.id", ondelete="SET NULL"))


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
    """One anonymous respondent's answers to one questionnaire version, at one unit, in one round.

    No date or time: the round is the only "when". `channel` says how the respondent came (an open link anyone
    can use, a single-use code, or the unit's tablet mode): figures are shown only where enough respondents came
    through a channel an outsider cannot use at will (survey/analysis/scoring.py). `held`: an open-link response
    beyond the unit's places, kept out of every figure until an administrator counts it in or discards it."""

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
    held: Mapped[bool] = mapped_column(Boolean, default=False)


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
    # Counts up when every session of the account must end (logout, new password): sessions carry the count
    # they began with (survey/staff/auth.py), and one that differs is refused on every instance.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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
    """A single-use invitation code, kept only as a keyed hash. Its use is never linked to a response.

    Whether it is used is sealed (survey/respond/invitations.py): a keyed hash over the code, its state and a
    fresh random nonce, rewritten for every code of the round whenever one is used, so neither the rows, the
    database's log nor its old row versions say which code was used when."""

    __tablename__ = "invitation"
    __table_args__ = NO_ROWID
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    seal: Mapped[str] = mapped_column(String(97))  # "<nonce hex 32>:<hmac hex 64>"


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


class Release(Base):
    """The published results of one round: computed once, audited together, never changed.

    Every page, chart, export, the API and the PDF report read a release's stored cells; nothing computes
    published figures from live responses on request (survey/analysis/releases.py)."""

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("round_id", "number"),
                      UniqueConstraint("questionnaire_id", "position", name="uq_release_questionnaire_id_position"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int]  # 1 for a round's release; a round is released once, after it closes
    made_on: Mapped[dt.date] = mapped_column(Date)
    threshold: Mapped[int]
    rules: Mapped[str] = mapped_column(Text)  # the rule set it was made by, so a figure can be reproduced
    versions: Mapped[str] = mapped_column(String(200))  # questionnaire versions answered, e.g. "1,2"
    summary: Mapped[str] = mapped_column(Text)  # JSON: cells, hidden, respondents, microdata and free-text choices
    # Its place among its questionnaire's releases (1, 2, ...); None when released beside or before a later one.
    # Figures over several periods stay within a block of three (positions 1-3, 4-6, ...): survey/analysis/periods.py
    position: Mapped[int | None]


class ReleaseCell(Base):
    """One published figure of a release: a question or flag, for a unit or group, overall or for a category."""

    __tablename__ = "release_cell"
    __table_args__ = (Index("ix_release_cell_group", "release_id", "level", "group_id"),
                      Index("ix_release_cell_kind", "release_id", "kind", "level", "dimension"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    release_id: Mapped[str] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[str] = mapped_column(String(64))
    periods: Mapped[int] = mapped_column(Integer, default=1)  # 2 or 3: the group over this and the periods before
    group_name: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    item: Mapped[str] = mapped_column(String(80))
    hidden: Mapped[bool] = mapped_column(Boolean)
    n: Mapped[int | None]
    positive: Mapped[int | None]
    valid: Mapped[int | None]
    dont_know: Mapped[int | None]
    share: Mapped[float | None] = mapped_column(Float)
    colour: Mapped[str | None] = mapped_column(String(10))
    since: Mapped[int | None]  # the oldest questionnaire version this figure compares with
    change: Mapped[float | None] = mapped_column(Float)  # share minus the previous round's, where comparable


class ReleaseOption(Base):
    """How many chose one option of a question, in one shown cell of a release."""

    __tablename__ = "release_option"
    __table_args__ = (Index("ix_release_option_group", "release_id", "level", "group_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    release_id: Mapped[str] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[str] = mapped_column(String(64))
    dimension: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(80))
    option: Mapped[str] = mapped_column(String(64))
    answers: Mapped[int]


class ReleaseText(Base):
    """A free-text answer released in one group's list (one fixed grouping per release, alphabetical)."""

    __tablename__ = "release_text"
    __table_args__ = (Index("ix_release_text_group", "release_id", "level", "group_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    release_id: Mapped[str] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)


class ReleaseFile(Base):
    """A file made with a release (exports, microdata) or from it on first request (reports): stored, served as is."""

    __tablename__ = "release_file"
    release_id: Mapped[str] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ImportWarnings(Base):
    """What an XLSForm import left out or changed, kept with the draft it made until that draft is published or
    deleted (drafts live in files for now; their warnings do not, so they can move into the database alone)."""

    __tablename__ = "import_warnings"
    questionnaire_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    listed: Mapped[list[str]] = mapped_column(JSON)  # each warning as staff read it: file: sheet row, column: what
    unlisted: Mapped[int] = mapped_column(default=0)  # warnings beyond those listed (at most 100 are)


class Valuation(Base):
    """A joint valuation of one flag for a unit (or a pool or area; the organisation: none of the three) in one
    period: strength, watch, challenge or not enough evidence, with the reasoning and who took part (roles, never
    names of service users).

    Never updated: a new valuation is a new row, so the history stays (survey/cycle/store.py)."""

    __tablename__ = "valuation"
    __table_args__ = (Index("ix_valuation_unit_flag", "unit_id", "flag_id"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    pool_id: Mapped[str | None] = mapped_column(ForeignKey("pool.id", ondelete="CASCADE"))
    area_id: Mapped[str | None] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    flag_id: Mapped[str] = mapped_column(String(64))
    round_id: Mapped[str | None] = mapped_column(ForeignKey("survey_round.id", ondelete="SET NULL"))
    release_id: Mapped[str | None] = mapped_column(ForeignKey("release.id", ondelete="SET NULL"))
    verdict: Mapped[str] = mapped_column(String(24))  # strength, watch, challenge, not_enough_evidence
    suggested: Mapped[str | None] = mapped_column(String(24))  # what the figure's colour suggested, if anything
    reasoning: Mapped[str] = mapped_column(Text)
    participants: Mapped[str] = mapped_column(Text)  # roles: "enhetschef, två medarbetare, brukarrådet"
    decided_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Action(Base):
    """An improvement action at a unit, linked to flags: a SMART goal, a status, the A3/PDSA fields, and what the
    service users are told in easy-read words (what we will do, and later what we did)."""

    __tablename__ = "action"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    flag_ids: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))  # a role, e.g. "enhetschef"
    status: Mapped[str] = mapped_column(String(16))  # planned, ongoing, done, stopped
    # The SMART goal: which measure, from what to what, by when
    measure: Mapped[str] = mapped_column(Text, default="")
    from_value: Mapped[float | None] = mapped_column(Float)
    to_value: Mapped[float | None] = mapped_column(Float)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    # A3 / PDSA
    problem: Mapped[str] = mapped_column(Text, default="")
    current_state: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    change_tried: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    # For the easy-read results page: what we will do, what we did, who is responsible ("Enhetschefen")
    easy_read: Mapped[str] = mapped_column(Text, default="")
    easy_read_done: Mapped[str] = mapped_column(Text, default="")
    responsible_role: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class FlagEvidence(Base):
    """Evidence for a flag at a unit from another source than the questionnaires, entered by staff: a count with
    its denominator ("plans followed up: 14 of 20" from a record review), or a qualitative note (a story, what a
    conversation concluded). About the unit's work, never about a person; kept as entered, never changed."""

    __tablename__ = "flag_evidence"
    __table_args__ = (Index("ix_flag_evidence_unit_flag", "unit_id", "flag_id"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    flag_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # "count" or "note"
    title: Mapped[str] = mapped_column(String(200))  # "Genomförandeplaner som följts upp"
    count: Mapped[int | None]
    denominator: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200))  # "journalgranskning", "samtal på APT"
    period: Mapped[str] = mapped_column(String(40))  # "2026", "hösten 2026", "2026-Q3"
    measured_by: Mapped[str] = mapped_column(String(200))  # a role: the måleansvarlig
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SharedWithUsers(Base):
    """That a round's results were shown to the unit's service users: when, and how (möte, affisch, surfplatta)."""

    __tablename__ = "shared_with_users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"))
    shared_on: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(200))


class IndicatorValue(Base):
    """A value of one of the quality model's indicators at a unit for a period: a count of its denominator about
    the unit's work ("14 of 20 plans followed up"), never about a person; entered by staff or imported from CSV
    (imported_from names the file). Kept as entered, never changed: a corrected figure is a new row."""

    __tablename__ = "indicator_value"
    __table_args__ = (Index("ix_indicator_value_unit_indicator", "unit_id", "indicator_id"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    indicator_id: Mapped[str] = mapped_column(String(64))  # an id from quality_model.yaml's indicators
    period: Mapped[str] = mapped_column(String(40))  # "2026", "2026-Q3"
    count: Mapped[int]
    denominator: Mapped[int]
    measured_by: Mapped[str] = mapped_column(String(200))  # a role
    note: Mapped[str] = mapped_column(Text, default="")
    imported_from: Mapped[str] = mapped_column(String(200), default="")  # the CSV file's name; "" if entered
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
class ChartPhase(Base):
    """A new phase on a flag's run charts at a unit (or at the pool a small unit is charted through), from the
    period an action started: offered from the action's date, stored only when a person confirms it (never
    automatic). Its first `baseline` points give the phase's centre line, frozen: later points never rebase it."""

    __tablename__ = "chart_phase"
    __table_args__ = (Index("ix_chart_phase_unit_flag", "unit_id", "flag_id"),
                      Index("ix_chart_phase_pool_flag", "pool_id", "flag_id"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    pool_id: Mapped[str | None] = mapped_column(ForeignKey("pool.id", ondelete="CASCADE"))
    flag_id: Mapped[str] = mapped_column(String(64))
    action_id: Mapped[str | None] = mapped_column(ForeignKey("action.id", ondelete="SET NULL"))
    starts_on: Mapped[dt.date] = mapped_column(Date)  # the phase starts with the first period opening on or after it
    baseline: Mapped[int]  # how many of the phase's first points give its frozen centre line
    confirmed_by: Mapped[str] = mapped_column(String(200))  # a role, e.g. "kvalitetsutvecklare"
    confirmed_on: Mapped[dt.date] = mapped_column(Date)
# Results back to the users (survey/results/): what each unit shows, and what user councils said about the page.

class ResultsChoice(Base):
    """The questions a unit shows on its easy-read results page and poster, chosen by its staff. Without a row the
    unit shows its user questionnaire's questions."""

    __tablename__ = "results_choice"
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    questions: Mapped[list[str]] = mapped_column(JSON)  # "QUESTIONNAIRE:KEY", in the order chosen
    chosen_on: Mapped[dt.date] = mapped_column(Date)


class CouncilResultsFeedback(Base):
    """Whether a user-council tester understood one part of the easy-read results page: yes, partly or no."""

    __tablename__ = "council_results_feedback"
    __table_args__ = NO_ROWID
    session_id: Mapped[str] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[str] = mapped_column(String(140), primary_key=True)  # "intro", "user:KEY", "actions"
    understood: Mapped[str] = mapped_column(String(8))  # yes, partly, no
    wording: Mapped[str] = mapped_column(Text)  # the part as the tester read it
round_series_unit = Table(
    "round_series_unit",
    Base.metadata,
    Column("series_id", ForeignKey("round_series.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)


class RoundSeries(Base):
    """A continuous survey: a questionnaire at chosen units with one round per month or quarter from a start date
    (and until an end, if given), each period released on its own (survey/staff/series.py). `pulse`: the questions a
    short pulse rotates through, `pulse_size` (1 to 3) of them a period, in order; empty: the whole questionnaire."""

    __tablename__ = "round_series"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    name: Mapped[str] = mapped_column(String(200))  # "Brukarenkät": its rounds are "Brukarenkät 2027-01"
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))  # "month" or "quarter"
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    pulse: Mapped[list[str]] = mapped_column(JSON, default=list)
    pulse_size: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[list[Unit]] = relationship(secondary=round_series_unit)


class SeriesPeriod(Base):
    """One period of a series: its round, its number in the series (1, 2, ...) and, for a pulse, the questions it
    asks (None: the whole questionnaire). Respondents see, and releases publish, only these."""

    __tablename__ = "series_period"
    __table_args__ = (UniqueConstraint("series_id", "number"),)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), primary_key=True)
    series_id: Mapped[str] = mapped_column(ForeignKey("round_series.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    questions: Mapped[list[str] | None] = mapped_column(JSON)
# What several instances share (survey/questionnaires/store.py, survey/speech/shared.py): questionnaire versions
# and drafts, the counter that tells every instance to reload them, recordings waiting with a draft, speech clips.

class QuestionnaireVersion(Base):
    """One version of a questionnaire as its YAML text (comments kept): a draft, or published or retired with the
    fingerprint it was published with; a frozen version whose text no longer matches it is refused on loading."""

    __tablename__ = "questionnaire_version"
    questionnaire_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # draft, published or retired
    text: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # SHA-256 at publishing; None while a draft


class QuestionnaireRevision(Base):
    """One row counting every change to the questionnaire versions: each instance reloads when it differs."""

    __tablename__ = "questionnaire_revision"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(default=0)


class DraftRecording(Base):
    """A recording brought in with an XLSForm draft, kept with that version (deleted only with the draft)."""

    __tablename__ = "draft_recording"
    questionnaire_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    audio: Mapped[bytes] = mapped_column(LargeBinary)


class SpeechClip(Base):
    """A synthesised clip, made once by one instance and served by all (each keeps a copy in its SPEECH_DIR)."""

    __tablename__ = "speech_clip"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    audio: Mapped[bytes] = mapped_column(LargeBinary)
