"""Releases: how long making one takes, and every analysis page and download read from it, beside the floor.

Generates an organisation (300 units by default, 10 areas, 3 closed rounds; 50,000 responses x 20 answers, all
through invitation codes) on SQLite and on PostgreSQL (loaded with COPY), then, in the same run on the same
database:
  floor     one raw SQL GROUP BY of the round's answers (respondents, positive and valid per unit and flag): the
            cheapest query that yields the figures a page shows
  release   making the round's release: counts, scoring at every level and breakdown, suppression with its exact
            audit, microdata, free-text lists, the downloads in three languages, all stored
  pages     the overview, a unit page, a flag page, the CSV and Excel exports, microdata, the JSON API and the PDF
            report (first render, and the kept copy), through the Flask test client as an analyst
With --growth, release time at 300, 1,000 and 3,000 units (one round each, 55 respondents a unit).
Each database is measured in a fresh process.
Usage: python benchmarks/releases.py [--responses 50000] [--units 300] [--sqlite-only] [--growth]
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import secrets
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey import create_app
from survey.analysis import releases
from survey.db import db, migrate
from survey.db.models import Round, Unit
from survey.staff import accounts

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AREAS, ANSWERS_EACH, PASSWORD = 10, 20, "benchmark password"
TYPES = ["housing", "daily_activity", "housing_support", "social_psychiatry", "addiction_care"]


def generate(units_n: int, rounds_n: int, responses: int, questionnaire, seed: int = 1) -> dict[str, list[tuple]]:
    """Rows for every table, made with numpy: ids are random, answers drawn per question, every response by code."""
    rng = np.random.default_rng(seed)
    org = secrets.token_hex(16)
    areas = [(secrets.token_hex(16), org, f"Område {i}") for i in range(AREAS)]
    units = [(secrets.token_hex(16), org, areas[i % AREAS][0], f"Enhet {i}", f"enhet-{i}", TYPES[i % len(TYPES)])
             for i in range(units_n)]
    rounds = [(secrets.token_hex(16), f"Omgång {2023 + r}", questionnaire.id, dt.date(2023 + r, 9, 1),
               dt.date(2023 + r, 10, 31)) for r in range(rounds_n)]
    round_units = [(r[0], u[0]) for r in rounds for u in units]
    ids = [secrets.token_hex(16) for _ in range(responses)]
    unit_of = rng.integers(0, units_n, responses)
    round_of = rng.integers(0, rounds_n, responses)
    sex = rng.choice(np.array(["woman", "man", "other", None], dtype=object), responses, p=[0.48, 0.45, 0.02, 0.05])
    helped = rng.choice(np.array(["nobody", "staff", "relative", None], dtype=object), responses,
                        p=[0.6, 0.3, 0.05, 0.05])
    response_rows = [(ids[i], units[unit_of[i]][0], rounds[round_of[i]][0], questionnaire.id, questionnaire.version,
                      "sv", "qr", helped[i], sex[i], True, False) for i in range(responses)]
    choice = [q for q in questionnaire.questions if q.is_choice and not q.background]
    answer_rows = []
    for i in range(responses):
        for q in rng.choice(len(choice), size=min(ANSWERS_EACH, len(choice)), replace=False):
            question = choice[q]
            keys = [o.key for o in question.options] + (["dont_know"] if question.dont_know else [])
            answer_rows.append((ids[i], question.key, keys[rng.integers(0, len(keys))], None))
    return {"organisation": [(org, "Benchmarkkommunen")], "area": areas, "unit": units, "survey_round": rounds,
            "round_unit": round_units, "response": response_rows, "answer": answer_rows}


COLUMNS = {"organisation": "id, name", "area": "id, organisation_id, name",
           "unit": "id, organisation_id, area_id, name, slug, service_type",
           "survey_round": "id, name, questionnaire_id, opens_on, closes_on", "round_unit": "round_id, unit_id",
           "response": "id, unit_id, round_id, questionnaire_id, questionnaire_version, language, channel, "
                       "helped, sex, completed, held",
           "answer": "response_id, question_key, option, text"}


def load(url: str, rows: dict[str, list[tuple]]) -> float:
    """Bulk-load the rows: COPY on PostgreSQL (then vacuumed and analysed, as autovacuum would), executemany on
    SQLite."""
    started = time.perf_counter()
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            for table, data in rows.items():
                marks = ", ".join("?" * len(data[0]))
                conn.executemany(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", data)
    else:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for table, data in rows.items():
                with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f"VACUUM ANALYZE {', '.join(rows)}"))
        engine.dispose()
    return time.perf_counter() - started


def floor(questionnaire, round_id: str) -> float:
    """The floor: one GROUP BY over the round's answers joined to responses and the flag mapping."""
    pairs = [(q.key, o.key, flag, int(o.positive))
             for q in questionnaire.questions for flag in q.flags for o in q.options]
    mapping = " UNION ALL ".join(f"SELECT '{k}' AS question_key, '{o}' AS option, '{f}' AS flag, {p} AS positive"
                                 for k, o, f, p in pairs)
    sql = sa.text(f"""SELECT r.unit_id, m.flag, COUNT(DISTINCT r.id), SUM(m.positive), COUNT(*)
                      FROM answer a JOIN response r ON r.id = a.response_id
                      JOIN ({mapping}) m ON m.question_key = a.question_key AND m.option = a.option
                      WHERE r.round_id = :round GROUP BY r.unit_id, m.flag""")
    started = time.perf_counter()
    db.session.execute(sql, {"round": round_id}).all()
    return time.perf_counter() - started


def timed(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    took = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return took


def prepared(url: str, units: int, rounds: int, responses: int):
    """The app on a migrated database holding the generated organisation; return (app, questionnaire, last round)."""
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "SPEECH_ENABLED": False})
    with app.app_context():
        migrate.upgrade()
        questionnaire = app.extensions["survey.library"].questionnaires["user"]
        rows = generate(units, rounds, responses, questionnaire)
        loaded = load(url, rows)
        print(f"  loaded {len(rows['response']):,} responses, {len(rows['answer']):,} answers, {units} units "
              f"in {loaded:.1f} s")
        last = rows["survey_round"][-1][0]
    return app, questionnaire, last


def measure(label: str, url: str, responses: int, units: int) -> None:
    print(f"{label}:")
    app, questionnaire, round_id = prepared(url, units, 3, responses)
    with app.app_context(), app.test_request_context():
        floor(questionnaire, round_id)  # warm the caches
        base = min(floor(questionnaire, round_id) for _ in range(3))
        started = time.perf_counter()
        release = releases.make(db.session.get(Round, round_id), dt.date.today())
        made = time.perf_counter() - started
        print(f"  floor: one GROUP BY of the round's answers     {base:6.2f} s")
        print(f"  making the release (goal <= 60 s)              {made:6.2f} s   {release.summary}")
        accounts.create_account("analyst@bench.example", "Analyst", PASSWORD, accounts.ANALYST)
        db.session.commit()
        unit = db.session.scalar(sa.select(Unit.id).order_by(Unit.name).limit(1))
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False  # the benchmark logs in with a plain form post
    client.post("/staff/login", data={"email": "analyst@bench.example", "password": PASSWORD})
    q = f"round={round_id}"
    paths = {"overview": f"/analysis/?{q}", "unit page": f"/analysis/unit/{unit}?{q}",
             "flag page": f"/analysis/unit/{unit}/flags/relationships?{q}", "export CSV": f"/analysis/export.csv?{q}",
             "export Excel": f"/analysis/export.xlsx?{q}", "microdata CSV": f"/analysis/microdata.csv?{q}",
             "JSON API (a unit)": f"/api/v1/results?{q}&level=unit&group_id={unit}",
             "PDF report, first": f"/analysis/unit/{unit}/report.pdf?{q}",
             "PDF report, kept": f"/analysis/unit/{unit}/report.pdf?{q}"}
    timed(client, paths["overview"])  # the first request loads templates and translations
    for name, path in paths.items():
        took = min(timed(client, path) for _ in range(1 if name == "PDF report, first" else 3))
        print(f"  {name:<28} {took:6.3f} s  = {took / base:5.1f}x the floor (goal <= 1 s)")
    with app.app_context():
        db.engine.dispose()


def growth(folder: str) -> None:
    print("SQLite: release time as the organisation grows (one round, 55 respondents a unit)")
    for units in (300, 1000, 3000):
        app, questionnaire, round_id = prepared(f"sqlite:///{folder}/growth-{units}.sqlite", units, 1, 55 * units)
        with app.app_context(), app.test_request_context():
            base = min(floor(questionnaire, round_id) for _ in range(2))
            started = time.perf_counter()
            release = releases.make(db.session.get(Round, round_id), dt.date.today())
            made = time.perf_counter() - started
            print(f"  {units:>5} units: release {made:7.1f} s (floor {base:.2f} s)   {release.summary}")
            db.engine.dispose()


def in_fresh_process(target, *args) -> None:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{target.__name__}{args[:2]} failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--growth", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.growth:
            in_fresh_process(growth, folder)
            return
        in_fresh_process(measure, "SQLite", f"sqlite:///{folder}/bench.sqlite", args.responses, args.units)
    if not args.sqlite_only:
        from tests.server import private_schema
        with private_schema(args.postgres, "bench") as url:
            in_fresh_process(measure, "PostgreSQL", url, args.responses, args.units)


if __name__ == "__main__":
    main()
