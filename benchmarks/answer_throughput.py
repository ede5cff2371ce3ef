"""Answers per second through the real answer endpoint under gunicorn, beside a bare insert endpoint.

Both servers run with the same gunicorn settings as `make run`, on the same kind of database, in the
same run; concurrent clients (several processes, several threads each) post answers for a fixed time.
A survey client does what a respondent does: opens the start page, taps Start, answers every question of the
user questionnaire (the last answer completes the response) and begins again; only answers are counted, but the
start pages' time is in the figure. After 2 s of uncounted warm-up each, the two endpoints take turns in short
slices, so that a busy moment on a shared machine weighs on both alike; the ratio is the one of the totals, and the
median and range of the slices' own ratios show how steady it was.
Usage: python benchmarks/answer_throughput.py [--seconds 30] [--slices 10] [--clients 16]
       [--postgres URL | --sqlite-only | --postgres-only]
"""
from __future__ import annotations

import argparse
import collections
import http.client
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import bare_app

from tests.server import free_port, private_schema

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def serve(app_spec: str, env: dict, cwd: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the settings `make run` uses; its errors go to log."""
    port = free_port()
    env = {**os.environ, **env, "SURVEY_PORT": str(port), "SURVEY_ACCESS_LOG": "/dev/null"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "survey/gunicorn_conf.py"),
                                 app_spec], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(400):  # ready when a worker answers (the port opens before the workers have booted)
        if proc.poll() is not None:
            raise RuntimeError(f"{app_spec} did not start:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{app_spec} did not start")


def prepare_survey_database(url: str) -> list[dict]:
    """Migrate, add the demo units and rounds; return a respondent's answer to each question of the user
    questionnaire."""
    import datetime as dt

    from survey import create_app
    from survey.db import migrate
    from survey.staff import demo
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        migrate.upgrade()
        demo.create_demo(dt.date.today(), ["user"])
        questions = app.extensions["survey.library"].questionnaires["user"].questions
        return [{"text": "Bra"} if q.type.value == "free_text" else {"answer": q.options[0].key} for q in questions]


class Browser:
    """One keep-alive connection that keeps the session cookie, as a tablet's browser does.

    Plain http.client rather than requests: the clients share the machine's cores with the servers, and
    requests' cookie jar costs more than the bare endpoint itself; the same light client drives both servers."""

    def __init__(self, base: str):
        url = urlsplit(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.cookie: str | None = None

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, urlencode(form) if form is not None else None, headers)
        reply = self.connection.getresponse()
        body = reply.read()
        cookie = reply.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return reply.status, body


def survey_client(base: str, questions: list[dict], stop_at: float, counts: list, errors: collections.Counter) -> None:
    """Answer the whole questionnaire (the last answer completes it), again and again until time is up."""
    browser = Browser(base)
    while time.time() < stop_at:
        _, page = browser.send("GET", "/u/bjorken/user?lang=sv")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        browser.send("POST", "/u/bjorken/user", {"lang": "sv", "csrf_token": token})
        for position, answer in enumerate(questions, start=1):
            if time.time() >= stop_at:
                return
            status, _ = browser.send("POST", f"/r/{position}", {**answer, "csrf_token": token})
            if status == 302:
                counts[0] += 1
            else:
                errors[f"HTTP {status}"] += 1


def bare_client(base: str, _questions: list[dict], stop_at: float, counts: list, errors: collections.Counter) -> None:
    browser = Browser(base)
    while time.time() < stop_at:
        status, _ = browser.send("POST", "/answer", {"answer": "yes"})
        if status == 204:
            counts[0] += 1
        else:
            errors[f"HTTP {status}"] += 1


def robust(client):
    """Keep a client going after a refused or dropped connection, counting it as an error."""
    def run(base, questions, stop_at, counts, errors):
        while time.time() < stop_at:
            try:
                client(base, questions, stop_at, counts, errors)
            except (OSError, http.client.HTTPException) as err:
                errors[type(err).__name__] += 1
    return run


def client_process(kind: str, base: str, questions: list[dict], stop_at: float, threads: int, out) -> None:
    target = robust(survey_client if kind == "survey" else bare_client)
    counts, errors = [[0] for _ in range(threads)], [collections.Counter() for _ in range(threads)]
    workers = [threading.Thread(target=target, args=(base, questions, stop_at, counts[i], errors[i]))
               for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((sum(c[0] for c in counts), sum(errors, collections.Counter())))


def load(kind: str, base: str, questions: list[dict], seconds: float,
         clients: int) -> tuple[int, float, collections.Counter]:
    """Run the clients for `seconds`; return answers, elapsed seconds and errors by kind."""
    processes = min(4, clients)
    queue: multiprocessing.Queue = multiprocessing.Queue()
    stop_at = time.time() + seconds
    procs = [multiprocessing.Process(target=client_process,
                                     args=(kind, base, questions, stop_at, clients // processes, queue))
             for _ in range(processes)]
    started = time.time()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return sum(r[0] for r in results), time.time() - started, sum((r[1] for r in results), collections.Counter())


def warm_up(targets, questions: list[dict], clients: int) -> None:
    """Load each (kind, base URL) for 2 s, uncounted: the workers' first requests (connections, first renders) would
    otherwise weigh on the first slice of one side only (the bare insert's once served a third less than in the
    slices after it)."""
    for kind, base in targets:
        load(kind, base, questions, 2, clients)


def measure(label: str, survey_url: str, bare_url: str, seconds: float, slices: int, clients: int,
            logs: Path) -> None:
    questions = prepare_survey_database(survey_url)
    bare_app.create_table(bare_url)
    env = {"SURVEY_DATABASE_URL": survey_url, "SURVEY_SECRET_KEY": "bench",
           "SURVEY_OPEN_LINK_STARTS": "1000000 per hour"}  # every client comes from this machine
    survey_proc, survey_base = serve("survey:create_app()", env, ROOT, logs / "survey.log")
    bare_proc, bare_base = serve("bare_app:create_app()", {"BARE_DATABASE_URL": bare_url}, ROOT / "benchmarks",
                                 logs / "bare.log")
    totals = {"bare": [0, 0.0, collections.Counter()], "survey": [0, 0.0, collections.Counter()]}
    ratios = []
    try:
        warm_up((("bare", bare_base), ("survey", survey_base)), questions, clients)
        for _ in range(slices):
            rates = {}
            for kind, base in (("bare", bare_base), ("survey", survey_base)):
                answers, elapsed, errors = load(kind, base, questions, seconds / slices, clients)
                totals[kind][0] += answers
                totals[kind][1] += elapsed
                totals[kind][2] += errors
                rates[kind] = answers / elapsed
            ratios.append(rates["survey"] / max(rates["bare"], 1e-9))
        for name, proc in (("bare.log", bare_proc), ("survey.log", survey_proc)):
            if proc.poll() is not None:
                raise RuntimeError(f"the server behind {name} stopped during the run:\n"
                                   f"{(logs / name).read_text()[-3000:]}")
            problems = [line for line in (logs / name).read_text().splitlines() if "[ERROR]" in line]
            if problems:
                print(f"  {name}: {len(problems)} error lines, first: {problems[0]}")
    finally:
        for proc in (survey_proc, bare_proc):
            proc.terminate()
            proc.wait()
    (bare, bare_s, bare_errors), (ours, ours_s, our_errors) = totals["bare"], totals["survey"]
    print(f"{label:<11} bare insert {bare / bare_s:8.0f} req/s ({said(bare_errors)})   "
          f"answer endpoint {ours / ours_s:8.0f} answers/s ({said(our_errors)})   "
          f"ratio {ours / ours_s / max(bare / bare_s, 1e-9):.2f} "
          f"(goal >= 0.5; slices: median {statistics.median(ratios):.2f}, {min(ratios):.2f} to {max(ratios):.2f})")


def said(errors: collections.Counter) -> str:
    """Say how many requests failed, and how."""
    if not errors:
        return "0 errors"
    return f"{sum(errors.values())} errors: " + ", ".join(f"{n} {kind}" for kind, n in errors.most_common())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    print(f"{args.clients} concurrent clients, {args.seconds:.0f} s per endpoint in {args.slices} turns, "
          f"gunicorn as `make run` ({os.cpu_count()} cores)")
    if not args.postgres_only:
        with tempfile.TemporaryDirectory() as tmp:
            measure("SQLite", f"sqlite:///{tmp}/survey.sqlite", f"sqlite:///{tmp}/bare.sqlite", args.seconds,
                    args.slices, args.clients, Path(tmp))
    if not args.sqlite_only:
        with private_schema(args.postgres, "bench") as url, tempfile.TemporaryDirectory() as tmp:
            measure("PostgreSQL", url, url, args.seconds, args.slices, args.clients, Path(tmp))

if __name__ == "__main__":
    main()
