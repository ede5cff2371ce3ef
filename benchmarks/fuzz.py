"""Property-based fuzzing of every route with ten thousand hostile requests or more (tests/fuzzing.py says what a
case is and what must hold), on SQLite and on PostgreSQL; prints cases run, statuses seen and every failure.

Usage: python benchmarks/fuzz.py [--cases 10000] [--sqlite-only | --postgres URL] [--seed N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey import create_app
from survey.db import (
    db,
    migrate,
)
from tests import fuzzing
from tests.server import private_schema

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fuzz(label: str, database_url: str, cases: int, random_seed: int) -> bool:
    """Run `cases` cases against a fresh app; print what was seen; return whether none failed."""
    app = create_app({"SECRET_KEY": "fuzz", "DATABASE_URL": database_url})
    with app.app_context():
        migrate.upgrade()
    world = fuzzing.build_world(app)
    statuses, personas, failures = Counter(), Counter(), []

    @seed(random_seed)
    @settings(max_examples=cases, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        case = data.draw(fuzzing.cases(app, world))
        personas[case["persona"]] += 1
        try:
            statuses[fuzzing.check(app, world, case)] += 1
        except AssertionError as failure:  # keep going: every failure is listed, not only the first
            failures.append(str(failure)[:600])
            statuses["failed"] += 1

    started = time.monotonic()
    run()
    elapsed = time.monotonic() - started
    with app.app_context():
        db.engine.dispose()
    print(f"{label}: {sum(statuses.values())} cases in {elapsed:.0f} s; statuses "
          + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
    print("    as " + ", ".join(f"{k} {v}" for k, v in sorted(personas.items())))
    print(f"    failures: {len(failures)}")
    for failure in failures[:10]:
        print(f"      {failure}")
    return not failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--seed", type=int, default=int(dt.date.today().strftime("%Y%m%d")))
    args = parser.parse_args()
    print(f"{dt.date.today()}: {args.cases} hypothesis cases per database, seed {args.seed}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        ok &= fuzz("SQLite", f"sqlite:///{tmp}/fuzz.sqlite", args.cases, args.seed)
    if not args.sqlite_only:
        with private_schema(args.postgres, "fuzz") as url:
            ok &= fuzz("PostgreSQL", url, args.cases, args.seed)
    print("No server error, no change by a refused request." if ok else "FAILURES FOUND (see above).")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
