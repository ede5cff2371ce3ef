"""The speech engine as the app sees it: what is installed, and one clip per fresh worker process."""
from __future__ import annotations

import functools
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from survey.speech.text import Clip

WORKER = Path(__file__).with_name("worker.py")
INSTALL = "apt-get install espeak-ng libespeak-ng1"
TIMEOUT_SECONDS = 30


class SpeechError(Exception):
    """A clip could not be made; the message says why."""


@dataclass(frozen=True)
class Engine:
    """What a probe found: the engine's version (None when it cannot run), its voices, or the problem."""

    version: str | None
    voices: frozenset[str] = frozenset()
    problem: str = ""

    @property
    def available(self) -> bool:
        return self.version is not None

    def missing(self, voices: dict[str, str]) -> dict[str, str]:
        """Return language -> voice for every configured voice the engine does not have."""
        return {lang: voice for lang, voice in voices.items() if voice not in self.voices}


@functools.lru_cache(maxsize=8)
def probe(python: str) -> Engine:
    """Ask a worker process which engine and voices are installed (once per process and interpreter)."""
    try:
        done = subprocess.run([python, "-I", str(WORKER), "probe"], capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        return Engine(None, problem=f"cannot run the speech worker with {python}: {err}")
    if done.returncode != 0:
        return Engine(None, problem=_last_line(done.stderr) or f"the speech worker failed ({done.returncode})")
    try:
        found = json.loads(done.stdout)
        return Engine(str(found["engine"]), frozenset(found["voices"]))
    except (ValueError, KeyError, TypeError):
        return Engine(None, problem="the speech worker answered something unexpected")


def synthesise(clip: Clip, out: Path, python: str) -> None:
    """Write the clip as MP3 to out, made by a fresh worker process; raise SpeechError saying why not."""
    command = [python, "-I", str(WORKER), "say", "--voice", clip.voice, "--rate", str(clip.rate), "--out", str(out)]
    try:
        done = subprocess.run(command, input=clip.text.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        raise SpeechError(f"cannot run the speech worker: {err}") from None
    if done.returncode != 0 or not out.is_file():
        reason = _last_line(done.stderr.decode("utf-8", "replace")) or f"exit status {done.returncode}"
        raise SpeechError(f"{clip.lang} {clip.voice}: {reason}")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
