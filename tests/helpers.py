"""Builders tests share: apps on a fresh database, units and rounds, respondents, staff accounts, codes."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import sqlalchemy as sa

from survey import create_app
from survey.config import Defaults
from survey.db import db, migrate
from survey.db.models import Answer, Organisation, Response, Round, Unit
from survey.questionnaires import drafts, versions
from survey.respond import invitations
from survey.staff import accounts


def migrated_app(database_url: str, **config):
    """Create the app with test settings (and any given) on a migrated database holding only its questionnaires."""
    app = create_app({"SECRET_KEY": "test", "DATABASE_URL": database_url, "TESTING": True, **config})
    with app.app_context():
        migrate.upgrade()
        if database_url.startswith("postgresql"):
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(sa.text(f"TRUNCATE {tables} CASCADE"))
            db.session.commit()
        drafts.sync(app)  # the shipped questionnaires into the database, as `survey init` does
    return app


def questionnaire_copy(tmp_path: Path, change=None, refreeze: bool = False) -> Path:
    """Copy the shipped questionnaires to tmp_path; `change(text) -> text` edits user.yaml.

    With refreeze, the edited user.yaml counts as published that way (its fingerprint is recorded anew):
    for tests that need another published world, not an edit of a published version."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(Defaults.QUESTIONNAIRE_DIR, folder)
    user = folder / "user.yaml"
    if change is not None:
        user.write_text(change(user.read_text(encoding="utf-8")), encoding="utf-8")
    if refreeze:
        from survey.questionnaires.files import read_yaml
        from survey.questionnaires.model import parse_questionnaire
        from survey.questionnaires.pictograms import load_catalogue
        from survey.questionnaires.quality import load_quality_model
        edited = parse_questionnaire("user.yaml", read_yaml(user), load_quality_model(folder).flag_ids(),
                                     set(load_catalogue(Path(Defaults.PICTOGRAM_DIR))))
        register = versions.read_register(folder)
        register["user"][edited.version] = versions.fingerprint(edited)
        (folder / versions.VERSIONS_DIR / versions.REGISTER_FILE).write_text(versions.register_text(register))
    return folder


def make_unit(app, slug="bjorken", name="Gruppbostad Björken", questionnaires=("user",),
              opens=-10, closes=10) -> str:
    """Add a unit with a round per questionnaire, open from today+opens to today+closes; return its slug."""
    today = dt.date.today()
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation)) or Organisation(name="Testkommunen")
        db.session.add(org)
        db.session.flush()
        unit = Unit(organisation_id=org.id, name=name, slug=slug, service_type="housing")
        db.session.add(unit)
        for qid in questionnaires:  # units made one after the other share the round
            survey_round = db.session.scalar(sa.select(Round).where(Round.name == "Hösten",
                                                                    Round.questionnaire_id == qid))
            if survey_round is None:
                survey_round = Round(name="Hösten", questionnaire_id=qid, opens_on=today + dt.timedelta(days=opens),
                                     closes_on=today + dt.timedelta(days=closes))
                db.session.add(survey_round)
            survey_round.units.append(unit)
        db.session.commit()
    return slug


def csrf_token(html: str) -> str:
    """Read the CSRF token out of a page, as a browser's form would send it."""
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


class Respondent:
    """A person answering through the test client: open the link, choose a language, tap answers."""

    def __init__(self, client, slug: str, questionnaire: str = "user"):
        self.client, self.slug, self.questionnaire = client, slug, questionnaire
        self.page, self.token = "", ""

    def get(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        self.page = response.get_data(as_text=True)
        if 'name="csrf_token"' in self.page:
            self.token = csrf_token(self.page)
        return response

    def post(self, path: str, data: dict | None = None, **kwargs):
        data = {"csrf_token": self.token, **(data or {})}
        response = self.client.post(path, data=data, **kwargs)
        if response.status_code < 300 or response.status_code >= 400:
            self.page = response.get_data(as_text=True)
        return response

    def start(self, lang: str = "sv"):
        """Open the unit link in a language and press Start; return the first question's response."""
        self.get(f"/u/{self.slug}/{self.questionnaire}?lang={lang}")
        self.post(f"/u/{self.slug}/{self.questionnaire}", {"lang": lang})
        return self.get("/r/1")

    def answer(self, position: int, *values: str, text: str | None = None, follow=False):
        """Answer the question at position with option keys (or text), as its form would send them."""
        self.get(f"/r/{position}")
        data: dict = {"answer": list(values)}
        if text is not None:
            data["text"] = text
        return self.post(f"/r/{position}", data, follow_redirects=follow)


PASSWORD = "correct horse battery"


def make_account(app, role: str, email: str | None = None, unit_slugs=()) -> str:
    """Add an account with this role (bound to units by slug); return its e-mail."""
    email = email or f"{role}@example.org"
    with app.app_context():
        units = list(db.session.scalars(sa.select(Unit).where(Unit.slug.in_(unit_slugs)))) if unit_slugs else []
        accounts.create_account(email, role.title(), PASSWORD, role, units)
        db.session.commit()
    return email


def login(client, email: str):
    """Log in through the login form, as a person would."""
    page = client.get("/staff/login").get_data(as_text=True)
    token = csrf_token(page) if 'name="csrf_token"' in page else ""  # tests of roles may switch CSRF off
    return client.post("/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def issue_codes(app, slug="bjorken", count=1) -> list[str]:
    """Issue invitation codes for the unit's first round, as the printed cards would carry them."""
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == slug))
        survey_round = db.session.scalar(sa.select(Round).where(Round.units.any(Unit.id == unit.id)))
        return invitations.issue(unit, survey_round, count, app.config["SECRET_KEY"])



def add_response(app, slug: str, answers: dict, sex=None, helped=None, completed=True, round_name="Hösten", version=1,
                 channel="qr"):
    """Store one response with these answers (question key -> option key or [keys] or free text).

    The channel is an invitation code unless said otherwise ("link": the open link, "tablet": tablet mode)."""
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == slug))
        survey_round = db.session.scalar(sa.select(Round).where(Round.name == round_name,
                                                                Round.units.any(Unit.id == unit.id)))
        response = Response(unit_id=unit.id, round_id=survey_round.id, questionnaire_id=survey_round.questionnaire_id,
                            questionnaire_version=version, language="sv", channel=channel, completed=completed,
                            sex=sex, helped=helped)
        db.session.add(response)
        db.session.flush()
        for key, value in answers.items():
            options = value if isinstance(value, list) else [value]
            for option in options:
                free = option.startswith("text:") or key == "more"
                text = option.removeprefix("text:") if free else None
                db.session.add(Answer(response_id=response.id, question_key=key, option="" if free else option,
                                      text=text))
        db.session.commit()



def release(app, round_name: str = "Hösten", questionnaire: str = "user"):
    """Close a round (if it is still open, it ended yesterday) and make its release, as analysts do; return its id."""
    from survey.analysis import releases
    with app.app_context(), app.test_request_context():
        survey_round = db.session.scalar(sa.select(Round).where(Round.name == round_name,
                                                                Round.questionnaire_id == questionnaire))
        yesterday = dt.date.today() - dt.timedelta(days=1)
        survey_round.opens_on = min(survey_round.opens_on, yesterday)
        survey_round.closes_on = min(survey_round.closes_on, yesterday)
        db.session.commit()
        return releases.make(survey_round, dt.date.today()).id
