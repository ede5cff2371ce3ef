"""Time to make 500 invitation cards (codes, QR codes and the PDF), beside one A4 page as a baseline.

Usage: python benchmarks/invitations.py [--cards 500]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey import create_app
from survey.db import (
    db,
    migrate,
)
from survey.db.models import Round, Unit
from survey.respond import invitations
from survey.staff import cards


def timed(make, *args) -> tuple[float, bytes]:
    started = time.perf_counter()
    pdf = make(*args)
    return time.perf_counter() - started, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite"})
        with app.app_context(), app.test_request_context():
            migrate.upgrade()
            import datetime as dt

            from survey.staff import demo
            demo.create_demo(dt.date.today(), ["user"])
            unit = db.session.scalar(db.select(Unit).where(Unit.slug == "bjorken"))
            survey_round = db.session.scalar(db.select(Round))

            def make(count: int) -> bytes:
                codes = invitations.issue(unit, survey_round, count, "bench")
                return cards.render_cards(unit.name, codes, "https://enkat.example.se/c?code=",
                                          "https://enkat.example.se", "sv")

            timed(make, 8)  # warm up fonts and templates
            page_s, _ = timed(make, cards.CARDS_PER_PAGE)
            all_s, pdf = timed(make, args.cards)
    pages = -(-args.cards // cards.CARDS_PER_PAGE)
    print(f"baseline: 1 page of {cards.CARDS_PER_PAGE} cards  {page_s:6.2f} s")
    print(f"{args.cards} cards ({pages} pages, {len(pdf) / 1e6:.1f} MB)  {all_s:6.2f} s  "
          f"= {all_s / page_s:.0f}x one page, {args.cards / all_s:.0f} cards/s  (goal <= 10 s)")


if __name__ == "__main__":
    main()
