"""Cold and warm `survey speech build`: every clip of the default questionnaires in all languages.

Cold builds into an empty folder (every clip synthesised, one fresh worker process per clip, --workers
at a time); warm runs the same build again on that folder (nothing to make). Goal: cold <= 60 s, warm ~ 0.
Usage: python benchmarks/speech_build.py [--workers N] [--rounds 1]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD_GOAL_SECONDS = 60
WARM_GOAL_SECONDS = 1


def build_once(folder: Path, workers: int):
    """Run the build the way `survey speech build` does; return its summary."""
    from survey import create_app
    from survey.speech.cache import build
    from survey.speech.views import heard_clips

    app = create_app({"SECRET_KEY": "bench", "SPEECH_DIR": str(folder),
                      "DATABASE_URL": f"sqlite:///{folder / 'unused.sqlite'}"})
    speech = app.extensions["survey.speech"]
    if not speech.engine.available:
        sys.exit(f"speech engine not available: {speech.engine.problem}")
    clips = heard_clips(app, app.extensions["survey.library"], speech.voices, published_only=True)
    return build(folder, {clip.key(speech.engine.version): speech.maker(clip) for clip in clips}, workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--rounds", type=int, default=1, help="cold and warm builds to run, each reported")
    args = parser.parse_args()
    print(f"speech build of the default questionnaires, {args.workers} workers on {os.cpu_count()} cores")
    for round_ in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            cold = build_once(Path(tmp), args.workers)
            warm = build_once(Path(tmp), args.workers)
        met = cold.seconds <= COLD_GOAL_SECONDS and not cold.failed
        print(f"round {round_}  cold: {cold.made} of {cold.total} clips made in {cold.seconds:5.1f} s = "
              f"{cold.made / cold.seconds:5.1f} clips/s, {len(cold.failed)} failed "
              f"(goal <= {COLD_GOAL_SECONDS} s: {'met' if met else 'MISSED'})   "
              f"warm: {warm.made} made in {warm.seconds:4.2f} s "
              f"(goal ~ 0: {'met' if warm.seconds <= WARM_GOAL_SECONDS and not warm.made else 'MISSED'})")

if __name__ == "__main__":
    main()
