"""Simulated tablets answer whole questionnaires against the real server, for a fixed time; then every answer the
server acknowledged must be in the database exactly once, and no request may have got a server error.

The server is gunicorn with the settings `make run` uses (survey/gunicorn_conf.py), on a loopback port, on SQLite
and on PostgreSQL. With --kill it is killed with SIGKILL (master and workers) in the middle of the run and started
again; tablets whose request was cut off send the same request again, with the same cookies, until it is answered.
Each tablet is a thread with its own cookies; several processes share the tablets.

Usage: python benchmarks/load.py [--tablets 100] [--seconds 30] [--kill] [--sqlite-only | --postgres URL]
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey.questionnaires.model import load_library
from survey.respond.store import response_from_token
from survey.staff.demo import DEMO_UNITS
from tests.server import Gunicorn, private_schema

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "load-test"  # noqa: S105 -- the throwaway SECRET_KEY of a benchmark's own server, not a credential
SLUGS = [slug for _, _, slug, _ in DEMO_UNITS]
WHOLE_RUN = 900  # seconds a run that waits for whole questionnaires may take at most on a very slow machine
ONE_ADDRESS = "1000000 per hour"  # every simulated tablet comes from this machine: no per-address limit on Start
CUT_OFF = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
MAX_ATTEMPTS = 600  # one request is sent at most this often (0.1 s apart): bounded even if the server never returns


class GaveUp(Exception):
    """The server did not answer one request within the run's deadline."""


@dataclass
class Tally:
    """What one process's tablets saw: latencies, errors, and everything the server acknowledged."""

    latencies: list[float] = field(default_factory=list)
    server_errors: list[tuple[int, str]] = field(default_factory=list)
    unexpected: list[tuple[int, str]] = field(default_factory=list)
    cut_off: int = 0
    gave_up: int = 0
    started: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    answers: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("latencies", "server_errors", "unexpected", "started", "completed", "answers"):
            getattr(self, name).extend(getattr(other, name))
        self.cut_off += other.cut_off
        self.gave_up += other.gave_up


def questions() -> list[tuple[str, str, tuple[str, ...], str | None]]:
    """The user questionnaire as plain data: (key, type, option keys, background column) per question."""
    library = load_library(ROOT / "questionnaires", ROOT / "pictograms")
    return [(q.key, q.type.value, tuple(o.key for o in q.options) + (("dont_know",) if q.dont_know else ()),
             q.background) for q in library.questionnaires["user"].questions]


def send(session: requests.Session, method: str, url: str, tally: Tally, deadline: float, **kwargs):
    """Send a request until the server answers it, the same request each time; return (response, attempts)."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        started = time.perf_counter()
        try:
            response = session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
        except CUT_OFF:
            tally.cut_off += 1
        else:
            if response.status_code < 500:
                tally.latencies.append(time.perf_counter() - started)
                return response, attempt
            tally.server_errors.append((response.status_code, f"{method} {url.split('/', 3)[-1]}"))
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    raise GaveUp(url)


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def answer_for(rng: random.Random, kind: str, options: tuple[str, ...], tablet: int) -> tuple[str, ...]:
    """Choose what a tablet answers: one option, one or two (never with "don't know"), or a few words."""
    if kind == "free_text":
        return (f"tablet {tablet} says hello",)
    if kind == "multiple_choice":
        real = [o for o in options if o != "dont_know"]
        return tuple(sorted(rng.sample(real, rng.randint(1, min(2, len(real))))))
    return (rng.choice(options),)


def questionnaire(session, base: str, slug: str, plan, rng, tablet: int, tally: Tally, think: float,
                  stop_at: float, deadline: float) -> None:
    """Answer a questionnaire (until time is up), recording what the server acknowledged."""
    intro, _ = send(session, "GET", f"{base}/u/{slug}/user?lang=sv", tally, deadline)
    begun, _ = send(session, "POST", f"{base}/u/{slug}/user", tally, deadline,
                    data={"lang": "sv", "csrf_token": csrf(intro.text)})
    if begun.status_code != 302:
        tally.unexpected.append((begun.status_code, "POST start"))
        return
    response_id = None
    for position, (key, kind, options, _) in enumerate(plan, start=1):
        page, _ = send(session, "GET", f"{base}/r/{position}", tally, deadline)
        if page.status_code != 200:
            tally.unexpected.append((page.status_code, f"GET /r/{position}"))
            return
        token = re.search(r'name="response" value="([^"]+)"', page.text).group(1)
        if response_id is None:
            response_id = response_from_token(token, SECRET)
            tally.started.append(response_id)
        if time.monotonic() >= stop_at:
            return
        time.sleep(rng.uniform(0, think))
        given = answer_for(rng, kind, options, tablet)
        data = {"csrf_token": csrf(page.text), "response": token,
                **({"text": given[0]} if kind == "free_text" else {"answer": list(given)})}
        sent, attempts = send(session, "POST", f"{base}/r/{position}", tally, deadline, data=data)
        done_before = position == len(plan) and attempts > 1 and sent.status_code == 400  # the retried last answer
        if sent.status_code != 302 and not done_before:
            tally.unexpected.append((sent.status_code, f"POST /r/{position}"))
            return
        tally.answers.append((response_id, key, given))
    tally.completed.append(response_id)


def tablet_thread(base: str, plan, tablet: int, stop_at: float, deadline: float, think: float, tally: Tally,
                  each: int | None = None) -> None:
    """Answer questionnaires until time is up, or until `each` are completed (then time never cuts one short)."""
    rng = random.Random(tablet)
    session = requests.Session()
    while (time.monotonic() < stop_at) if each is None else (len(tally.completed) < each):
        try:
            questionnaire(session, base, SLUGS[tablet % len(SLUGS)], plan, rng, tablet, tally, think, stop_at,
                          deadline)
        except GaveUp:
            tally.gave_up += 1
            return


def tablet_process(base: str, plan, first: int, count: int, stop_at: float, deadline: float, think: float,
                   out, each: int | None = None) -> None:
    tallies = [Tally() for _ in range(count)]
    threads = [threading.Thread(target=tablet_thread, args=(base, plan, first + i, stop_at, deadline, think, t, each))
               for i, t in enumerate(tallies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = Tally()
    for t in tallies:
        total.add(t)
    out.put(total)


def run_tablets(server: Gunicorn, tablets: int, seconds: float | None = None, kill_after: float | None = None,
                think: float = 0.0, processes: int = 4, each: int | None = None,
                kill_when=None) -> tuple[Tally, float]:
    """Let `tablets` tablets answer for `seconds`, or until each has completed `each` questionnaires; kill the
    server and start it again once, after `kill_after` seconds or when kill_when() first says so."""
    plan = questions()
    processes = max(1, min(processes, tablets))
    stop_at = time.monotonic() + seconds if seconds is not None else float("inf")
    deadline = (stop_at if seconds is not None else time.monotonic() + WHOLE_RUN) + 60
    queue: multiprocessing.Queue = multiprocessing.Queue()
    shares = [tablets // processes + (1 if i < tablets % processes else 0) for i in range(processes)]
    workers = [multiprocessing.Process(target=tablet_process,
                                       args=(server.url, plan, sum(shares[:i]), shares[i], stop_at, deadline, think,
                                             queue, each))
               for i in range(processes)]
    started = time.monotonic()
    for w in workers:
        w.start()
    if kill_after is not None or kill_when is not None:
        if kill_after is not None:
            time.sleep(kill_after)
        while kill_when is not None and not kill_when() and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill9()
        time.sleep(1)
        server.start()
    total = Tally()
    for _ in workers:
        total.add(queue.get(timeout=(seconds or WHOLE_RUN) + 120))
    for w in workers:
        w.join()
    return total, time.monotonic() - started


def verify(database_url: str, tally: Tally) -> dict[str, int]:
    """Compare what the server acknowledged with what the database holds; return counts of every kind of fault."""
    plan = questions()
    kinds = {key: kind for key, kind, _, _ in plan}
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        responses = {row.id: row for row in connection.execute(sa.text("SELECT * FROM response"))}
        stored: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in connection.execute(sa.text("SELECT response_id, question_key, option, text FROM answer")):
            stored[(row.response_id, row.question_key)].append(row.option or row.text)
    engine.dispose()
    for response_id, row in responses.items():
        for key, _, _, column in plan:
            if column and getattr(row, column):
                stored[(response_id, key)].append(getattr(row, column))
    acknowledged = {(rid, key): sorted(values) for rid, key, values in tally.answers}
    return {
        "acknowledged answers missing or changed": sum(sorted(stored.get(k, [])) != v for k, v in acknowledged.items()),
        "answers stored twice": sum(len(v) != len(set(v)) or (kinds[k[1]] != "multiple_choice" and len(v) > 1)
                                    for k, v in stored.items()),
        "acknowledged starts missing": len(set(tally.started) - set(responses)),
        "responses stored but never acknowledged (duplicates)": len(set(responses) - set(tally.started)),
        "completed but not marked so": sum(not responses[r].completed for r in tally.completed if r in responses),
    }


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=1000)[int(share * 1000) - 1] if len(values) > 1 else float("nan")


def report(label: str, tally: Tally, elapsed: float, faults: dict[str, int]) -> None:
    lat = tally.latencies
    print(f"{label}: {len(tally.completed)} questionnaires, {len(tally.answers)} answers acknowledged, "
          f"{len(lat) / elapsed:.0f} requests/s, latency p50 {percentile(lat, .5) * 1000:.0f} ms, "
          f"p95 {percentile(lat, .95) * 1000:.0f} ms, p99 {percentile(lat, .99) * 1000:.0f} ms")
    print(f"    server errors (5xx): {len(tally.server_errors)}"
          f"{' ' + str(tally.server_errors[:5]) if tally.server_errors else ''}; "
          f"unexpected replies: {len(tally.unexpected)}{' ' + str(tally.unexpected[:5]) if tally.unexpected else ''}; "
          f"requests cut off and sent again: {tally.cut_off}; tablets that gave up: {tally.gave_up}")
    print("    " + "; ".join(f"{name}: {count}" for name, count in faults.items()))


def prepare(database_url: str) -> None:
    """Migrate and add the demo units with the user questionnaire open."""
    from survey import create_app
    from survey.db import db, migrate
    from survey.staff import demo
    app = create_app({"SECRET_KEY": SECRET, "DATABASE_URL": database_url})
    with app.app_context():
        migrate.upgrade()
        demo.create_demo(dt.date.today(), ["user"])
        db.engine.dispose()


def measure(label: str, database_url: str, args, logs: Path) -> bool:
    """Run the load on one database (steady, then with a SIGKILL if asked); return whether everything was kept."""
    prepare(database_url)
    server = Gunicorn(database_url, logs / f"{label}.log", secret=SECRET, SURVEY_ACCESS_LOG="/dev/null",
                      SURVEY_OPEN_LINK_STARTS=ONE_ADDRESS).start()
    kept, everything = True, Tally()
    try:
        for kill in [False, True] if args.kill else [False]:
            tally, elapsed = run_tablets(server, args.tablets, args.seconds, args.seconds / 2 if kill else None,
                                         args.think)
            everything.add(tally)
            faults = verify(database_url, everything)
            report(f"{label}{' with SIGKILL and restart half-way' if kill else ''}", tally, elapsed, faults)
            kept = kept and not any(faults.values()) and not tally.server_errors and not tally.gave_up
    finally:
        server.stop()
    problems = [line for line in (logs / f"{label}.log").read_text().splitlines() if "[ERROR]" in line]
    print(f"    server log: {len(problems)} error lines{': ' + problems[0] if problems else ''}")
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tablets", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=0.0, help="each tablet waits up to this long per question")
    parser.add_argument("--kill", action="store_true", help="also run once with SIGKILL and restart half-way")
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(f"{dt.date.today()}: {args.tablets} tablets, {args.seconds:.0f} s, think time up to {args.think} s, "
          f"gunicorn as `make run` ({os.cpu_count()} cores, {os.environ.get('SURVEY_WORKERS', 'default')} workers)")
    kept = True
    with tempfile.TemporaryDirectory() as tmp:
        kept &= measure("SQLite", f"sqlite:///{tmp}/survey.sqlite", args, Path(tmp))
        if not args.sqlite_only:
            with private_schema(args.postgres, "load") as url:
                kept &= measure("PostgreSQL", url, args, Path(tmp))
    print("Every acknowledged answer kept exactly once, no server errors." if kept else "FAULTS FOUND (see above).")
    sys.exit(0 if kept else 1)


if __name__ == "__main__":
    main()
