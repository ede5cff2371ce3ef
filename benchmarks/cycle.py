"""The quality cycle's pages on a released organisation: a unit's cycle page, a flag's page, the JSON API.

Generates the organisation of benchmarks/releases.py (300 units, 3 closed user rounds) on SQLite, releases the
last round, gives one unit a long history (every flag valued 12 times, 40 actions), then times each page through
the Flask test client as an analyst (best of 5, after one warm-up request).
Usage: python benchmarks/cycle.py [--responses 20000] [--units 300]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.releases import PASSWORD, prepared, timed
from survey.analysis import releases
from survey.cycle import rules, store
from survey.db import db
from survey.db.models import Round, Unit
from survey.staff import accounts


def history(unit_id: str, flags: set[str], today: dt.date) -> None:
    """Every flag valued 12 times (one a month), and 40 actions over the flags."""
    for flag_id in sorted(flags):
        for month in range(12):
            store.add_valuation(store.NewValuation(unit_id, flag_id, rules.VERDICTS[month % 4], "Skäl " * 40,
                                                   "enhetschef, medarbetare", today - dt.timedelta(days=30 * month)),
                                flags, today)
    ordered = sorted(flags)
    for i in range(40):
        store.add_action(store.NewAction(unit_id, ordered[i % len(ordered):i % len(ordered) + 2], f"Åtgärd {i}",
                                         "enhetschef", rules.STATUSES[i % 4], 50, 80,
                                         texts={"measure": "Andel positiva svar", "problem": "Problem " * 50}), flags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, _, round_id = prepared(f"sqlite:///{folder}/cycle.sqlite", args.units, 3, args.responses)
        with app.app_context(), app.test_request_context():
            releases.make(db.session.get(Round, round_id), dt.date.today())
            accounts.create_account("analyst@bench.example", "Analyst", PASSWORD, accounts.ANALYST)
            db.session.commit()
            unit = db.session.scalar(sa.select(Unit.id).order_by(Unit.name).limit(1))
            history(unit, {f.id for _, f in app.extensions["survey.library"].quality_model.flags()}, dt.date.today())
        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False  # the benchmark logs in with a plain form post
        client.post("/staff/login", data={"email": "analyst@bench.example", "password": PASSWORD})
        paths = {"cycle: the unit's page": f"/cycle/unit/{unit}",
                 "cycle: a flag's page": f"/cycle/unit/{unit}/flag/relationships?round={round_id}",
                 "cycle: JSON API": f"/api/v1/cycle/units/{unit}"}
        for name, path in paths.items():
            timed(client, path)
            took = min(timed(client, path) for _ in range(5))
            print(f"  {name:<28} {took:6.3f} s   (goal <= 1 s)")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
