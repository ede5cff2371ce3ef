"""The clip cache: a missing clip is made once, whole, even when threads and processes ask at once."""
import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from survey.speech.cache import build, clip_path, ensure
from survey.speech.engine import SpeechError

KEY = "ab" + "0" * 62


def slow_maker(log: Path):
    """A maker that takes a while and notes every call in a log file (shared across processes)."""
    def make(path: Path) -> None:
        with log.open("a") as calls:
            calls.write("made\n")
        time.sleep(0.2)
        path.write_bytes(b"ID3 mp3 bytes")
    return make


def _ensure_in_process(folder: str, log: str, ready) -> None:
    ready.wait()  # every process has started (imports done) before any asks: they ask at once
    ensure(Path(folder), KEY, slow_maker(Path(log)))


def test_a_missing_clip_is_made_once_and_then_reused(tmp_path):
    log = tmp_path / "log"
    path, made = ensure(tmp_path, KEY, slow_maker(log))
    again, made_again = ensure(tmp_path, KEY, slow_maker(log))
    assert (made, made_again) == (True, False) and path == again == clip_path(tmp_path, KEY)
    assert path.read_bytes() == b"ID3 mp3 bytes" and log.read_text() == "made\n"


def test_threads_asking_for_the_same_clip_at_once_make_it_once(tmp_path):
    log = tmp_path / "log"
    threads = [threading.Thread(target=ensure, args=(tmp_path, KEY, slow_maker(log))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.read_text() == "made\n"


def test_processes_asking_for_the_same_clip_at_once_make_it_once(tmp_path):
    log = tmp_path / "log"
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(3)
    processes = [spawn.Process(target=_ensure_in_process, args=(str(tmp_path), str(log), ready)) for _ in range(3)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(600)  # no clock in the assertion: a loaded machine only makes starting Python slower
    assert [p.exitcode for p in processes] == [0, 0, 0]
    assert log.read_text() == "made\n"


def test_a_failed_clip_leaves_nothing_behind(tmp_path):
    def half_then_fail(path: Path) -> None:
        path.write_bytes(b"half a clip")
        raise SpeechError("the engine broke")

    with pytest.raises(SpeechError):
        ensure(tmp_path, KEY, half_then_fail)
    assert [p.name for p in tmp_path.rglob("*.mp3")] + [p.name for p in tmp_path.rglob("*.tmp")] == []


def test_an_empty_clip_is_refused(tmp_path):
    with pytest.raises(SpeechError, match="empty"):
        ensure(tmp_path, KEY, lambda path: path.write_bytes(b""))
    assert not clip_path(tmp_path, KEY).exists()


def test_a_build_makes_what_is_missing_reports_failures_and_a_second_build_does_nothing(tmp_path):
    def broken(path: Path) -> None:
        raise SpeechError("no voice")

    makers = {f"{i:02x}" + "1" * 62: slow_maker(tmp_path / "log") for i in range(5)}
    makers["ff" + "2" * 62] = broken
    ticks = []
    first = build(tmp_path / "clips", makers, workers=3, progress=ticks.append)
    assert (first.total, first.made, first.present, len(first.failed), len(ticks)) == (6, 5, 0, 1, 6)
    assert "no voice" in first.failed[0]
    second = build(tmp_path / "clips", {k: m for k, m in makers.items() if m is not broken})
    assert (second.made, second.present) == (0, 5) and str(second).endswith("Nothing to do.")
