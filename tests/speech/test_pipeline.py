"""The real pipeline, clip by clip: pyttsx3 on espeak-ng in a fresh process -> MP3 file -> HTTP."""
from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import miniaudio
import numpy as np
import pytest

from survey import create_app
from survey.speech.cache import build, clip_path, ensure
from survey.speech.text import Clip
from survey.speech.views import heard_clips

SAMPLE_RATE = 22050
# The MP3 encoder adds a start delay and pads the last frame: at most this many samples, never fewer.
MP3_PADDING = 2 * 576 + 1105
EXTRA_TEXTS = {  # beyond the questionnaires: edge cases a questionnaire author may write
    "sv": ["Ja.", "LSS-boende och daglig verksamhet", "Känner du dig trygg när du är ensam hemma på kvällen? " * 8],
    "nb": ["Nei.", "NAV og kommunen samarbeider", "Får du hjelp når du trenger det, også i helgene? " * 8],
    "en": ["No.", "Staff at the day centre", "Do you get to decide what you do during the day, every day? " * 8],
}


def decode(mp3: bytes) -> miniaudio.DecodedSoundFile:
    return miniaudio.mp3_read_s16(mp3)


def espeak_samples(clip: Clip) -> int:
    """How many samples espeak-ng's own command line makes for the same text, voice and rate."""
    wav = subprocess.run(["espeak-ng", "-v", clip.voice, "-s", str(clip.rate), "--stdin", "--stdout"],
                         input=clip.text.encode(), capture_output=True, check=True).stdout
    return (len(wav) - 44) // 2


def plausible_seconds(clip: Clip) -> tuple[float, float]:
    """Seconds espeak-ng takes for a text of this length, measured at 150 words per minute, scaled to the rate."""
    scale = 150 / clip.rate
    return (0.3 + 0.05 * len(clip.text)) * scale, (0.8 + 0.10 * len(clip.text)) * scale


def check_clip(folder, key: str, clip: Clip) -> str | None:
    """Return what is wrong with one clip on disk, or None."""
    decoded = decode(clip_path(folder, key).read_bytes())
    if (decoded.sample_rate, decoded.nchannels) != (SAMPLE_RATE, 1):
        return f"format {decoded.sample_rate} Hz x {decoded.nchannels}"
    seconds = decoded.num_frames / SAMPLE_RATE
    low, high = plausible_seconds(clip)
    if not low <= seconds <= high:
        return f"{seconds:.2f} s is implausible for {len(clip.text)} characters ({low:.2f} to {high:.2f})"
    expected = espeak_samples(clip)
    if not 0 <= decoded.num_frames - expected <= MP3_PADDING:
        return f"{decoded.num_frames} samples where espeak-ng makes {expected}: cut or stretched"
    level = np.sqrt(np.mean(np.frombuffer(decoded.samples, dtype=np.int16).astype(np.float64) ** 2))
    if level < 500:
        return f"nearly silent (RMS {level:.0f})"
    return None


@pytest.fixture(scope="module")
def speech_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech")
    return create_app({"SECRET_KEY": "test", "TESTING": True, "SPEECH_DIR": str(folder),
                      "DATABASE_URL": f"sqlite:///{folder / 'unused.sqlite'}"})


@pytest.mark.slow  # makes and decodes every clip (about 15 s)
def test_every_clip_of_a_full_build_is_whole(speech_app):
    speech = speech_app.extensions["survey.speech"]
    library = speech_app.extensions["survey.library"]
    clips = heard_clips(speech_app, library, speech.voices)
    clips += [speech.voices.clip(text, lang) for lang, texts in EXTRA_TEXTS.items() for text in texts]
    by_key = {clip.key(speech.engine.version): clip for clip in clips}
    assert len(by_key) >= 200

    summary = build(speech.folder, {key: speech.maker(clip) for key, clip in by_key.items()}, workers=4)
    assert summary.failed == [] and summary.made == len(by_key)

    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = dict(zip(by_key, pool.map(lambda item: check_clip(speech.folder, *item), by_key.items())))
    bad = {by_key[key].text[:50]: problem for key, problem in problems.items() if problem}
    assert bad == {}, f"{len(bad)} of {len(by_key)} clips are wrong"


def test_the_check_finds_a_clip_whose_end_is_cut_off(speech_app, tmp_path):
    speech = speech_app.extensions["survey.speech"]
    clip = speech.voices.clip("Känner du dig trygg med personalen?", "sv")
    key = clip.key(speech.engine.version)
    path, _ = ensure(tmp_path, key, speech.maker(clip))
    assert check_clip(tmp_path, key, clip) is None
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 85 // 100])  # what a truncated clip looks like: its last ~0.4 s gone
    assert "cut or stretched" in check_clip(tmp_path, key, clip)
