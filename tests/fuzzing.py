"""Hostile requests to every route, as every kind of visitor: used by tests/test_fuzz.py and benchmarks/fuzz.py.

A case is one request: a route of the URL map (or a path next to one), any method, path values that are right or
hostile, a query, a form sent urlencoded, as multipart or as raw bytes in any declared encoding, with or without
a valid CSRF token, odd headers, sizes up to three times the largest form allowed; sent as an anonymous visitor,
a respondent in the middle of a questionnaire, a tablet, or staff of each role.
What must hold: no status of 500 or more, and no stored row changed by a refused request or by a GET.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from flask import Flask, session
from flask_wtf.csrf import generate_csrf
from hypothesis import strategies as st

from survey.db import db
from survey.db.models import Account, Area, Round, TabletSession, Unit
from survey.respond import store as responses
from survey.staff.auth import GENERATION
from tests.helpers import issue_codes, make_account, make_unit

ROLES = ("administrator", "unit_staff", "analyst", "council")
PERSONAS = ("anonymous", "respondent", "tablet", *ROLES)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
METHODS = ["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND", "TRACE", "BREW"]
FIELDS = ["csrf_token", "answer", "text", "keep", "response", "lang", "next", "pictures", "large_text", "code",
          "email", "password", "target", "pin", "count", "name", "slug", "service_type", "area_id",
          "questionnaire_id", "opens_on", "closes_on", "unit_ids", "role", "active"]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=ebcdic",
                 "multipart/form-data", "multipart/form-data; boundary=", "application/json", "text/plain",
                 "application/octet-stream", "text/html; charset=utf-16", ""]
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
RAW_CSRF = "f" * 40  # the session's raw token; forms carry its signed form


@dataclass
class World:
    """What the cases can aim at: ids of real rows, and the session each persona starts every request with."""

    values: dict[str, list[str]]
    sessions: dict[str, dict]
    csrf: str
    response_token: str


def build_world(app: Flask) -> World:
    """Two units with open rounds, an account per role, codes, a tablet, a respondent half-way through."""
    make_unit(app, "own", "Egen enhet")
    make_unit(app, "other", "Annan enhet")
    for role in ROLES:
        make_account(app, role, unit_slugs=("own",) if role == "unit_staff" else ())
    codes = issue_codes(app, "own", 3)
    with app.app_context():
        org_id = db.session.scalar(sa.select(Unit.organisation_id))
        db.session.add(Area(organisation_id=org_id, name="Norr"))
        own = db.session.scalar(sa.select(Unit).where(Unit.slug == "own"))
        survey_round = db.session.scalar(sa.select(Round).where(Round.units.any(Unit.id == own.id)))
        questionnaire = app.extensions["survey.library"].questionnaires["user"]
        response_id = responses.start_response(own, survey_round, questionnaire, "sv", "link",
                                               responses.start_id(None, ""))
        tablet = TabletSession(id=secrets.token_urlsafe(32), unit_id=own.id, questionnaire_id="user",
                               pin_hash="scrypt:x", valid_on=dt.date.today())
        db.session.add(tablet)
        db.session.commit()
        values = {name: [str(v) for v in db.session.scalars(sa.select(column))] for name, column in (
            ("unit_id", Unit.id), ("round_id", Round.id), ("area_id", Area.id), ("account_id", Account.id),
            ("slug", Unit.slug))}
        accounts = {a.role: a.id for a in db.session.scalars(sa.select(Account))}
        tablet_id = tablet.id
    values.update(questionnaire_id=["user", "staff"], position=["1", "2", "18", "0", "99"], code=codes,
                  name=["dont_know", "start"], filename=["survey.css", "offline.js", "../survey/__init__.py"])
    sessions = {"anonymous": {}, "respondent": {"response": response_id, "lang": "sv", "questionnaire": "user"},
                "tablet": {"tablet": tablet_id},
                **{role: {"_user_id": accounts[role], "_fresh": True} for role in ROLES}}
    with app.test_request_context():
        session["csrf_token"] = RAW_CSRF
        token = generate_csrf()
    return World(values, sessions, token, responses.answer_token(response_id, app.config["SECRET_KEY"]))


SPECIALS = ["' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\x00", "\x00\x07\x1b",
            "😀" * 5, "ÅÄÖ åäö æøå", "\u202e\ufeff", "A" * 70, "-1", "1e309", "NaN", "", " ", "yes", "dont_know",
            "keep", "%ff%fe", "\r\nX-Injected: 1", "{{7*7}}", "${jndi:x}", "//evil.example/", "\\x"]


def hostile_text(max_size: int = 60):
    """Text a person or an attacker might send: any characters, markup, SQL, paths, very long runs."""
    anything = st.text(st.characters(blacklist_categories=("Cs",)), max_size=max_size)
    special = st.sampled_from(SPECIALS)
    return st.one_of(anything, special, st.tuples(anything, special, anything).map("".join),
                     st.integers(0, 200_000).map(lambda n: "x" * n))


@st.composite
def path_for(draw, rule, world: World) -> str:
    """A path for a rule: each placeholder filled with a real value or a hostile one, sometimes with a tail."""
    def value(match: re.Match) -> str:
        arg = match.group(2)
        real = st.sampled_from(world.values.get(arg, ["x"]))
        tampered = st.tuples(real, st.sampled_from(SPECIALS)).map(lambda pair: pair[0] + pair[1])
        found = draw(st.one_of(real, real, tampered, hostile_text(), st.integers(-5, 10**20)))
        return quote(str(found), safe="")
    return PLACEHOLDER.sub(value, rule.rule) + draw(st.sampled_from([""] * 6 + ["/", "/..", "%ff", "//x"]))


def form_value(world: World):
    return st.one_of(hostile_text(), st.sampled_from(world.values["unit_id"] + world.values["round_id"]
                                                     + world.values["code"] + ["sv", "on", "off", "1", "2026-01-01"]))


@st.composite
def cases(draw, app: Flask, world: World) -> dict:
    """Draw one hostile request as keyword arguments for the test client, plus the persona sending it."""
    rule = draw(st.sampled_from(list(app.url_map.iter_rules())))
    path = draw(st.one_of(*[path_for(rule, world)] * 5, hostile_text().map(lambda s: "/" + quote(s, safe="/%?&="))))
    method = draw(st.sampled_from(sorted(rule.methods) * 3 + METHODS))
    names = st.one_of(st.sampled_from(FIELDS), hostile_text(20))
    form = draw(st.dictionaries(names, st.one_of(form_value(world), st.lists(form_value(world), max_size=4)),
                                max_size=8))
    csrf = draw(st.sampled_from([world.csrf, world.csrf, None, "garbage", world.csrf[:-2]]))
    if csrf is not None:
        form["csrf_token"] = csrf
    if draw(st.booleans()):
        form["response"] = draw(st.sampled_from([world.response_token, "garbage", world.response_token + "x"]))
    query = draw(st.dictionaries(st.sampled_from(["lang", "code", "next", "from", "x"]) | hostile_text(10),
                                 form_value(world), max_size=3))
    headers = draw(st.dictionaries(
        st.sampled_from(["Accept-Language", "User-Agent", "X-Forwarded-For", "Referer", "Cookie", "Accept",
                         "If-None-Match", "Range", "Origin", "Accept-Encoding"]),
        st.text(st.characters(min_codepoint=32, max_codepoint=255, blacklist_categories=("Cc",)), max_size=80),
        max_size=4))
    encoding = draw(st.sampled_from(["form", "form", "multipart", "raw"]))
    request = {"path": path + ("?" + urlencode(query, doseq=True) if query else ""), "method": method,
               "headers": headers, "environ_base": {"REMOTE_ADDR": draw(st.sampled_from(["127.0.0.1", "127.0.0.2"])
                                                                        | st.ip_addresses(v=4).map(str))}}
    if method not in ("GET", "HEAD"):
        if encoding == "raw":
            request["data"] = draw(st.binary(max_size=300) | st.integers(0, 200_000).map(lambda n: b"a=" + b"b" * n))
            request["content_type"] = draw(st.sampled_from(CONTENT_TYPES))
        elif encoding == "multipart":
            request["data"] = {**form, "upload": (io.BytesIO(draw(st.binary(max_size=200))), "x.txt")}
        else:
            request["data"] = form
    return {"persona": draw(st.sampled_from(PERSONAS)), "request": request}


def snapshot(app: Flask) -> list:
    """Every stored row of every table."""
    with app.app_context():
        rows = [(t.name, sorted(map(tuple, db.session.execute(sa.select(t)).all()), key=repr))
                for t in db.metadata.sorted_tables]
        db.session.remove()
    return rows


def send(app: Flask, world: World, case: dict):
    """Send one case from a fresh client that carries the persona's session; return (status, body)."""
    client = app.test_client()
    persona = dict(world.sessions[case["persona"]])
    if "_user_id" in persona:  # a fuzzed logout or new password ends the account's sessions: begin a new one
        with app.app_context():
            persona[GENERATION] = db.session.get(Account, persona["_user_id"]).session_generation
            db.session.remove()
    with client.session_transaction() as stored:
        stored.update(persona, csrf_token=RAW_CSRF)
    request = dict(case["request"])
    if request["path"].startswith("//"):  # the test client would read "//x" as a host name
        request["path"] = "/" + request["path"].lstrip("/")
    response = client.open(**request)
    body = response.get_data()
    response.close()
    return response.status_code, body


def check(app: Flask, world: World, case: dict) -> int:
    """Send a case; fail on a server error, a stack trace, or a stored change by a refused request or a GET."""
    before = snapshot(app)
    status, body = send(app, world, case)
    assert status < 500, (status, case)
    assert b"Traceback" not in body, case
    if status >= 400 or case["request"]["method"] in SAFE_METHODS:
        assert snapshot(app) == before, ("stored data changed", status, case)
    return status
