"""Helpers for speech tests: clip URLs on a page, fetching clips, an MP3 recording, an engine that is missing."""
from __future__ import annotations

import math
import re
from array import array

import lameenc

AUDIO = re.compile(r'<button type="button" class="speak"[^>]*>')


CLIP_URL = re.compile(r'data-audio="(/speech/([0-9a-f]{64})\.mp3)"')


def fetch(client, url: str, **kwargs):
    """GET a URL, read the whole body and close the file behind it."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def speakers(page: str) -> list[str]:
    return AUDIO.findall(page)


def clip_urls(page: str) -> list[str]:
    return [url for button in speakers(page) for url, _ in CLIP_URL.findall(button)]



def mp3(seconds: float = 1.5, loudness: int = 8000, rate: int = 22050) -> bytes:
    """A tone, encoded as MP3: what a phone's recording looks like to the service."""
    samples = array("h", (int(loudness * math.sin(2 * math.pi * 220 * i / rate)) for i in range(int(seconds * rate))))
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())



NO_LIBRARY = "OSError: libespeak-ng.so.1: cannot open shared object file: No such file or directory"


def python_without_espeak(folder) -> str:
    """An interpreter stand-in that fails as Python does where libespeak-ng is not installed."""
    python = folder / "python-without-espeak"
    python.write_text(f"#!/bin/sh\necho '{NO_LIBRARY}' >&2\nexit 1\n")
    python.chmod(0o755)
    return str(python)

