"""One clip in one fresh process: text on stdin -> pyttsx3 on espeak-ng -> checked samples -> MP3 file.

Run by path (`python survey/speech_worker.py ...`), never imported by the app, so that it starts in
tens of milliseconds with only the standard library, pyttsx3 and lameenc. A fresh process per clip
is deliberate: espeak-ng's library can only be set up once per process, and reusing one pyttsx3
engine cut the end off some clips.

    speech_worker.py probe                                  -> JSON {"engine": ..., "voices": [...]}
    speech_worker.py say --voice gmq/sv --rate 150 --out F  (text on stdin) -> F as MP3
Exit status 0 on success; otherwise one line on stderr says what is wrong.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.metadata
import io
import json
import math
import os
import sys
import threading
import time
from array import array
from pathlib import Path  # already loaded by importlib.metadata: no cost to the start-up time

SAMPLE_RATE = 22050  # what pyttsx3's espeak driver writes: 16-bit mono
BITRATE_KBPS = 48
MIN_SECONDS = 0.2
SILENCE_RMS = 100  # of 32767: espeak's speech is in the thousands
TIMEOUT_SECONDS = 20
SETTLE_SECONDS = 5
PYTTSX3_START_RATE = 200  # what pyttsx3's espeak driver sets when it starts


class ClipError(Exception):
    """The engine made nothing usable."""


def engine():
    """Start pyttsx3 on espeak-ng (raises if the library cannot be loaded)."""
    import pyttsx3
    return pyttsx3.init("espeak")


def engine_version() -> str:
    """Name the engine, its library and the encoder: part of every clip's cache key."""
    from pyttsx3.drivers import _espeak
    espeak = (_espeak.Info(None) or b"?").decode()
    versions = {name: importlib.metadata.version(name) for name in ("pyttsx3", "lameenc")}
    return f"espeak-ng {espeak}; pyttsx3 {versions['pyttsx3']}; lameenc {versions['lameenc']} {BITRATE_KBPS}kbps"


def probe() -> dict:
    """Report the engine's version and every voice it has."""
    voices = sorted(v.id for v in engine().getProperty("voices"))
    return {"engine": engine_version(), "voices": voices}


def synthesise(text: str, voice: str, rate: int) -> bytes:
    """Speak text with a fresh pyttsx3 engine on espeak-ng; return every 16-bit sample it produced."""
    from pyttsx3.drivers import _espeak
    tts = engine()
    if voice not in {v.id for v in tts.getProperty("voices")}:
        raise ClipError(f"voice '{voice}' is not installed")  # pyttsx3 would silently keep its default
    driver = tts.proxy._driver
    # espeak-ng applies a rate in its own thread but a voice at once in ours; pyttsx3 queues both until
    # runAndWait. Under load that raced (a clip now and then came out at pyttsx3's default rate), so:
    # let pyttsx3's start-up rate land, set voice then rate directly, and wait until the rate holds.
    _wait_for_rate(_espeak, PYTTSX3_START_RATE)
    driver.setProperty("voice", voice)
    driver.setProperty("rate", rate)
    _wait_for_rate(_espeak, rate)
    chunks: list[bytes] = []
    finished = threading.Event()

    # pyttsx3 (2.99) writes its file on espeak's end event *before* adding the samples that came with
    # that event, and its runAndWait returns before espeak has finished. So collect every sample here,
    # in order, let pyttsx3 do its own bookkeeping, and wait for the end event ourselves.
    def collect(wav, numsamples, events):
        if numsamples > 0:
            chunks.append(ctypes.string_at(wav, numsamples * 2))
        result = driver._onSynth(wav, numsamples, events)
        if _has_ended(events, _espeak):
            finished.set()
        return result

    _espeak.SetSynthCallback(collect)
    with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to ..."
        tts.save_to_file(text, os.devnull)  # its own copy is not used (see above)
        tts.runAndWait()
        if not finished.wait(TIMEOUT_SECONDS):
            raise ClipError(f"espeak-ng did not finish within {TIMEOUT_SECONDS} s")
    return b"".join(chunks)


def _wait_for_rate(espeak, rate: int) -> None:
    """Wait until espeak-ng's current rate is the one given (its settings land in its own thread)."""
    current = espeak.cfunc("espeak_GetParameter", espeak.dll, ctypes.c_int,
                           ("parameter", ctypes.c_int, 1), ("current", ctypes.c_int, 1))
    deadline = time.monotonic() + SETTLE_SECONDS
    while current(espeak.RATE, 1) != rate:
        if time.monotonic() > deadline:
            raise ClipError(f"espeak-ng did not take the rate {rate} within {SETTLE_SECONDS} s")
        time.sleep(0.002)


def _has_ended(events, espeak) -> bool:
    i = 0
    while events[i].type != espeak.EVENT_LIST_TERMINATED:
        if events[i].type == espeak.EVENT_MSG_TERMINATED:
            return True
        i += 1
    return False


def check_pcm(pcm: bytes) -> bytes:
    """Return the samples if they make a clip: long enough and not silent; else raise ClipError."""
    samples = array("h", pcm)
    if len(samples) < MIN_SECONDS * SAMPLE_RATE:
        raise ClipError(f"clip is only {len(samples)} samples long")
    if rms(samples) < SILENCE_RMS:
        raise ClipError("clip is silent")
    return pcm


def rms(samples: array) -> float:
    """Return the root mean square level of 16-bit samples."""
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def encode_mp3(pcm: bytes) -> bytes:
    """Encode 16-bit mono PCM at 22,050 Hz as MP3 (plays on iPad Safari)."""
    import lameenc
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(5)
    return bytes(encoder.encode(pcm) + encoder.flush())


def say(text: str, voice: str, rate: int, out: str) -> None:
    """Synthesise text and write it as MP3 to out (the caller renames it into place)."""
    mp3 = encode_mp3(check_pcm(synthesise(text, voice, rate)))
    Path(out).write_bytes(mp3)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("probe")
    clip = commands.add_parser("say")
    clip.add_argument("--voice", required=True)
    clip.add_argument("--rate", type=int, required=True)
    clip.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "probe":
            print(json.dumps(probe()))
        else:
            say(sys.stdin.buffer.read().decode("utf-8"), args.voice, args.rate, args.out)
    except Exception as err:  # one line for the parent's log, whatever went wrong
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
