"""The clip cache on disk: one MP3 per key, made once even when many processes ask for it at the same time."""
from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from survey.speech.engine import SpeechError

Maker = Callable[[Path], None]  # writes a complete clip to the path it is given


def clip_path(folder: Path, key: str) -> Path:
    """Return where the clip with this key lives (256 subfolders keep folders small)."""
    return folder / key[:2] / f"{key}.mp3"


@contextmanager
def _locked(folder: Path, key: str) -> Iterator[None]:
    """Hold an exclusive lock for the key, across threads and processes (one lock file per subfolder)."""
    locks = folder / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{key[:2]}.lock").open("ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure(folder: Path, key: str, make: Maker) -> tuple[Path, bool]:
    """Return the clip's file and whether it was made now; make it once, atomically, if it is missing."""
    path = clip_path(folder, key)
    if path.is_file():
        return path, False
    with _locked(folder, key):
        if path.is_file():  # made by someone else while we waited
            return path, False
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            make(tmp)
            with tmp.open("rb") as written:
                if not written.read(1):
                    raise SpeechError(f"clip {key} came out empty")
                os.fsync(written.fileno())  # a clip is served as immutable: never rename a half-written one
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    return path, True


@dataclass
class BuildSummary:
    """What a build did."""

    total: int = 0
    made: int = 0
    present: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        rate = f", {self.made / self.seconds:.1f} clips/s" if self.made and self.seconds else ""
        text = (f"{self.total} clips: {self.made} made, {self.present} already there, "
                f"{len(self.failed)} failed, in {self.seconds:.1f} s{rate}")
        return text if self.made or self.failed else f"{text}. Nothing to do."


def missing(folder: Path, keys: Iterator[str] | list[str]) -> list[str]:
    """Return the keys whose clip is not on disk yet."""
    return [key for key in keys if not clip_path(folder, key).is_file()]


def build(folder: Path, makers: dict[str, Maker], workers: int = 2,
          progress: Callable[[int], None] = lambda _done: None) -> BuildSummary:
    """Make every missing clip, `workers` at a time, calling progress(1) after each; never raise for one clip."""
    started = time.perf_counter()
    todo = missing(folder, list(makers))
    summary = BuildSummary(total=len(makers), present=len(makers) - len(todo))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(ensure, folder, key, makers[key]): key for key in todo}
        for future in as_completed(futures):
            try:
                made = future.result()[1]
            except (SpeechError, OSError) as err:
                summary.failed.append(f"{futures[future]}: {err}")
            else:
                summary.made += made
                summary.present += not made
            progress(1)
    summary.seconds = time.perf_counter() - started
    return summary
