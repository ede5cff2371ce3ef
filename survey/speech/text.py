"""What can be heard, and how a clip is named: sanitised texts, voices and content-addressed keys (pure)."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from survey.config import LANGUAGES

MAX_SPOKEN_CHARS = 600  # a clip of about 40 seconds; longer texts are cut at a sentence or a word
MIN_RATE, MAX_RATE = 80, 450  # words per minute, espeak-ng's range
KEY = re.compile(r"^[0-9a-f]{64}$")
VOICE_ID = re.compile(r"^[a-z0-9][a-z0-9_+\-]*(/[a-z0-9_+\-]+)*$")
_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,200}>")
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


def sanitise(text: str) -> str:
    """Make any text safe and bounded for speech: no markup or control characters, one line, at most
    MAX_SPOKEN_CHARS."""
    return _sanitised(str(text))  # str() first: a lazily translated text must not be cached in one language


@lru_cache(maxsize=8192)  # pages say the same few hundred texts again and again
def _sanitised(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _TAG.sub(" ", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") or c in "<>" else c
                   for c in text)
    text = " ".join(text.split())
    return _bounded(text, MAX_SPOKEN_CHARS)


def _bounded(text: str, limit: int) -> str:
    """Cut text to the limit at the last sentence end, else the last space, in the second half."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] > limit // 2:
        return head[: ends[-1]].strip()
    space = head.rfind(" ")
    return head[:space].strip() if space > limit // 2 else text[:limit]


def sentences(*parts: str) -> str:
    """Join texts into one spoken text, adding a full stop where a part has no closing punctuation."""
    kept = [p.strip() for p in parts if p and p.strip()]
    closed = [p if p[-1] in ".!?…:" else f"{p}." for p in kept[:-1]]
    return " ".join(closed + kept[-1:])


@dataclass(frozen=True)
class Clip:
    """One text in one language, as one voice at one rate says it."""

    text: str
    lang: str
    voice: str
    rate: int

    def key(self, engine: str) -> str:
        """Name the clip by everything that changes its sound (the URL changes when the sound does)."""
        fields = [engine, self.lang, self.voice, self.rate, self.text]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Voices:
    """The configured voice and default rate per language."""

    voice: dict[str, str]
    rate: dict[str, int]

    def clip(self, text: str, lang: str, rate: int | None = None) -> Clip | None:
        """Return the clip for a text in a language (sanitised), or None when nothing would be said."""
        spoken = sanitise(text)
        return Clip(spoken, lang, self.voice[lang], rate or self.rate[lang]) if spoken else None


def settings_problems(voices: object, rates: object) -> list[str]:
    """Check SPEECH_VOICES and SPEECH_RATES; return every problem in words an operator can act on."""
    found = []
    if not isinstance(voices, dict):
        return ["SPEECH_VOICES must map each language to an espeak-ng voice, like {\"sv\": \"gmq/sv\"}"]
    if not isinstance(rates, dict):
        return ["SPEECH_RATES must map each language to words per minute, like {\"sv\": 150}"]
    for setting, mapping in (("SPEECH_VOICES", voices), ("SPEECH_RATES", rates)):
        for lang in mapping:
            if lang not in LANGUAGES:
                found.append(f"{setting} names unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
        for lang in LANGUAGES:
            if lang not in mapping:
                found.append(f"{setting} has nothing for language '{lang}'")
    for lang, voice in voices.items():
        if not isinstance(voice, str) or not VOICE_ID.match(voice):
            found.append(f"SPEECH_VOICES['{lang}'] = {voice!r} is not an espeak-ng voice id (like gmq/sv)")
    for lang, rate in rates.items():
        if not isinstance(rate, int) or isinstance(rate, bool) or not MIN_RATE <= rate <= MAX_RATE:
            found.append(f"SPEECH_RATES['{lang}'] = {rate!r} must be a whole number from {MIN_RATE} to {MAX_RATE}")
    return found


def spoken(item, lang: str) -> str:
    """Return what speech says for a question or option: its override in this language, else its text."""
    return item.spoken.get(lang) or item.text.get(lang, "")


def rate_of(item, questionnaire, lang: str) -> int | None:
    """Return the rate set on the item, else on its questionnaire, for this language (None: the configured one)."""
    for holder in (item, questionnaire):
        rate = getattr(holder, "speech_rate", {}).get(lang)
        if rate:
            return rate
    return None


def heard(thing, lang: str, questionnaire=None) -> tuple[str, int | None]:
    """Return (text, rate) for a plain text, a question or an option, as speech says it in this language."""
    text = thing if isinstance(thing, str) else spoken(thing, lang)
    return text, rate_of(None if isinstance(thing, str) else thing, questionnaire, lang)


def item_key(question, option=None) -> str:
    """Name a question ('safe') or one of its options ('safe.yes'), as recordings are filed."""
    return f"{question.key}.{option.key}" if option is not None else question.key


def questionnaire_clips(questionnaire, voices: Voices, dont_know: dict[str, str]) -> Iterator[Clip]:
    """Yield every clip of a questionnaire in each of its languages: intro, questions, options, thanks."""
    for lang in questionnaire.languages:
        things = [sentences(questionnaire.title[lang], questionnaire.intro[lang]), questionnaire.thanks[lang]]
        for question in questionnaire.questions:
            things.append(question)
            things.extend(question.options)
            if question.dont_know:
                things.append(dont_know[lang])
        for thing in things:
            text, rate = heard(thing, lang, questionnaire)
            clip = voices.clip(text, lang, rate)
            if clip:
                yield clip
