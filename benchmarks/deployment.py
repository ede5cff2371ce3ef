"""Answers per second through nginx in front of one and of two survey instances (deploy/), beside the bare insert.

On PostgreSQL and Redis, everything on loopback ports of this machine and in the same run: the bare insert
endpoint (gunicorn as `make run`, reached directly), nginx with deploy/nginx's site and proxy snippet in front of
one survey instance, and nginx in front of two (over plain HTTP on loopback: TLS is left out of the comparison).
The three take turns in short slices, as in answer_throughput.py, with the same clients (each answers the whole
user questionnaire again and again). Then simulated tablets answer at people's pace (up to 4 s per question)
through nginx in front of the two instances, for the latency people feel.
Usage: python benchmarks/deployment.py [--seconds 30] [--slices 5] [--clients 16] [--workers 2] [--tablets 100]
       [--postgres URL]
"""
from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import answer_throughput as throughput
import bare_app
import load as tablets

from tests.server import nginx_proxy, private_schema, redis_server, self_signed_certificate


def start_servers(url: str, workers: int, logs: Path, stack: ExitStack) -> dict[str, tuple[str, str]]:
    """Start Redis, the bare endpoint, two survey instances and two nginx; return label -> (client kind, URL)."""
    redis_url = stack.enter_context(redis_server(logs))
    env = {"SURVEY_DATABASE_URL": url, "SURVEY_SECRET_KEY": tablets.SECRET, "SURVEY_REDIS_URL": redis_url,
           "SURVEY_TRUSTED_PROXIES": "1", "SURVEY_WORKERS": str(workers),
           "SURVEY_OPEN_LINK_STARTS": tablets.ONE_ADDRESS}  # every client comes from this machine
    procs = []
    bare_proc, bare = throughput.serve("bare_app:create_app()", {"BARE_DATABASE_URL": url}, ROOT / "benchmarks",
                                       logs / "bare.log")
    procs.append(bare_proc)
    instances = []
    for name in ("first", "second"):
        proc, base = throughput.serve("survey:create_app()", env, ROOT, logs / f"{name}.log")
        procs.append(proc)
        instances.append(base.removeprefix("http://"))
    for proc in procs:
        stack.callback(proc.wait)
        stack.callback(proc.terminate)
    for name in ("one", "two"):
        (logs / name).mkdir()
    certificate = self_signed_certificate(logs)
    one = stack.enter_context(nginx_proxy(logs / "one", instances[:1], *certificate))["plain"]
    two = stack.enter_context(nginx_proxy(logs / "two", instances, *certificate))["plain"]
    return {"bare insert": ("bare", bare), "nginx + 1 instance": ("survey", one),
            "nginx + 2 instances": ("survey", two)}


def throughput_in_turns(targets: dict, questions: list[dict], seconds: float, slices: int, clients: int) -> None:
    """Let the targets take turns in slices; print answers per second of each and its ratio to the bare insert."""
    totals = {label: [0, 0.0, collections.Counter()] for label in targets}
    ratios: dict[str, list[float]] = {label: [] for label in targets}
    throughput.warm_up(targets.values(), questions, clients)
    for _ in range(slices):
        rates = {}
        for label, (kind, base) in targets.items():
            answers, elapsed, errors = throughput.load(kind, base, questions, seconds / slices, clients)
            totals[label][0] += answers
            totals[label][1] += elapsed
            totals[label][2] += errors
            rates[label] = answers / elapsed
        for label in targets:
            ratios[label].append(rates[label] / max(rates["bare insert"], 1e-9))
    bare_rate = totals["bare insert"][0] / totals["bare insert"][1]
    for label, (answers, elapsed, errors) in totals.items():
        print(f"  {label:<20} {answers / elapsed:7.0f} per s ({throughput.said(errors)})   ratio to the bare insert "
              f"{answers / elapsed / bare_rate:.2f} (slices: median {statistics.median(ratios[label]):.2f}, "
              f"{min(ratios[label]):.2f} to {max(ratios[label]):.2f})")


def at_peoples_pace(base: str, count: int, seconds: float) -> None:
    """Let `count` tablets answer at people's pace through nginx; print the latencies and server errors."""
    tally, elapsed = tablets.run_tablets(SimpleNamespace(url=base), tablets=count, seconds=seconds, think=4)
    lat = tally.latencies
    print(f"  people's pace, {count} tablets through nginx + 2 instances: {len(lat) / elapsed:.0f} requests/s, "
          f"p50 {tablets.percentile(lat, .5) * 1000:.0f} ms, p95 {tablets.percentile(lat, .95) * 1000:.0f} ms, "
          f"p99 {tablets.percentile(lat, .99) * 1000:.0f} ms; {len(tally.answers)} answers acknowledged, "
          f"server errors {len(tally.server_errors)} {dict(collections.Counter(s for s, _ in tally.server_errors))}, "
          f"unexpected replies {len(tally.unexpected)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--slices", type=int, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per survey instance")
    parser.add_argument("--tablets", type=int, default=100)
    parser.add_argument("--postgres", default=tablets.PG_DEFAULT)
    args = parser.parse_args()
    print(f"{args.clients} concurrent clients, {args.seconds:.0f} s per target in {args.slices} turns, "
          f"{args.workers} workers per survey instance, the bare insert as `make run` ({os.cpu_count()} cores)")
    with private_schema(args.postgres, "deploy") as url, tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        questions = throughput.prepare_survey_database(url)
        bare_app.create_table(url)
        targets = start_servers(url, args.workers, Path(tmp), stack)
        if args.slices:
            throughput_in_turns(targets, questions, args.seconds, args.slices, args.clients)
        at_peoples_pace(targets["nginx + 2 instances"][1], args.tablets, args.seconds)


if __name__ == "__main__":
    main()
