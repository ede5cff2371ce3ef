"""XLSForm's words and what each becomes here (pure): column names, question types and language names.

The XLSForm specification and pyxform, its reference implementation, accept column names in any case,
with spaces or underscores, `::` (or, in older forms, `:`) before a language, and a few aliases; this
module reads them all to one canonical name. Every column falls in one of four classes:

- ours: read (type, name, label, media::image, and the columns only we write, like flags);
- helping: it only helps the respondent (hint, required, appearance, ...): left out, a warning per cell;
- meaning: leaving it out would change what is asked or what an answer means (relevant, constraint,
  calculation, choice_filter, repeats, ...): the import stops, with a problem per cell;
- anything else is a comment column: left out, one warning per column.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SELF_WRITTEN = "translated_title"  # settings: the title per language (XLSForm's form_title has one language)
PER_LANGUAGE = {"label", "hint", "guidance_hint", "constraint_message", "required_message", "media::image",
                "media::audio", "media::video", "media::big-image", "spoken", "speech_rate", "title", SELF_WRITTEN}
OURS = {
    "survey": {"type", "name", "label", "media::image", "media::audio", "spoken", "speech_rate", "flags",
               "dont_know", "meaning", "question_type", "background"},
    "choices": {"list_name", "name", "label", "media::image", "media::audio", "spoken", "speech_rate", "positive"},
    "settings": {"form_id", "version", "form_title", "default_language", "audience", "title", SELF_WRITTEN,
                 "speech_rate"},
}
ALIASES = {"list": "list_name", "caption": "label", "image": "media::image", "audio": "media::audio",
           "video": "media::video", "big-image": "media::big-image", "relevance": "relevant",
           "calculate": "calculation", "readonly": "read_only", "constraining_message": "constraint_message",
           "requiredmsg": "required_message", "jr:requiredmsg": "required_message",
           "jr:constraintmsg": "constraint_message", "count": "repeat_count", "jr:count": "repeat_count",
           "set_form_id": "form_id", "set_form_title": "form_title"}
CHOICE_ALIASES = {"value": "name"}
TODO = " Remove it (or the row) and import again."
MEANING = {
    "relevant": "conditions are not supported: every question is shown to everyone, so leaving the condition "
                "out would ask people what the form does not ask them." + TODO,
    "constraint": "constraints are not supported: every answer offered is accepted." + TODO,
    "calculation": "calculations are not supported." + TODO,
    "choice_filter": "choice filters are not supported: every question shows all its options." + TODO,
    "repeat_count": "repeats are not supported: each question is asked once." + TODO,
    "default": "default answers are not supported: nothing is chosen before the respondent chooses." + TODO,
    "read_only": "read-only questions are not supported: every question can be answered." + TODO,
    "trigger": "triggers are not supported: an answer never changes another one." + TODO,
}
HELPING = {
    "hint": "the hint was left out: put what matters into the question, or into what speech says (spoken::…)",
    "guidance_hint": "the guidance hint was left out",
    "required": "'required' was left out: every question may be skipped here",
    "required_message": "the message for a required answer was left out: every question may be skipped here",
    "constraint_message": "the constraint message was left out (there are no constraints here)",
    "appearance": "the appearance '{value}' was left out: every question is shown the same accessible way, "
                  "one per screen with big buttons",
    "parameters": "the parameters '{value}' were left out: options are shown in the order written",
    "media::video": "the video was left out: a question shows its pictogram",
    "media::big-image": "the big image was left out: a question shows its pictogram",
    "autoplay": "autoplay was left out: every text can be read aloud",
}
FALSE = {"no", "false", "false()", "0", "nej", "nei"}
TRUE = {"yes", "true", "true()", "1", "ja"}

# Language names in Swedish, Norwegian and English, and codes, as a form may write them.
LANGUAGE_WORDS = {
    "sv": {"sv", "swe", "svenska", "swedish", "svensk"},
    "nb": {"nb", "no", "nob", "nor", "norsk", "norsk bokmål", "norsk bokmal", "bokmål", "bokmal", "norwegian",
           "norwegian bokmål", "norwegian bokmal", "norska"},
    "en": {"en", "eng", "english", "engelska", "engelsk"},
}
LANGUAGE_HEADER = re.compile(r"^(?P<name>[^()]*?)\s*\((?P<code>[^()]+)\)\s*$")

TEXT_TYPES = {"text", "string", "add text prompt", "q string"}
NOTE_TYPES = {"note", "add note prompt", "q note"}
METADATA_TYPES = {"start", "end", "today", "deviceid", "device id", "imei", "subscriberid", "subscriber id",
                  "simserial", "sim id", "phonenumber", "username", "email", "audit", "start time", "end time",
                  "get start time", "get end time", "get today", "get device id", "get subscriber id", "get sim id",
                  "get phone number", "uri:deviceid", "uri:email", "uri:phonenumber", "uri:simserial",
                  "uri:subscriberid", "uri:username", "start-geopoint", "background-geopoint", "background-audio"}
NO_EQUIVALENT = {"integer", "int", "decimal", "range", "date", "time", "datetime", "date time", "geopoint",
                 "geotrace", "geoshape", "gps", "location", "image", "photo", "audio", "video", "file", "barcode",
                 "acknowledge", "calculate", "hidden", "rank", "osm", "phone number", "percentage", "trigger",
                 "number of days in last month", "number of days in last six months", "number of days in last year",
                 "csv-external", "xml-external", "select_one_from_file", "select_multiple_from_file",
                 "select one from file", "select multiple from file", "select_one_external", "select one external",
                 "add integer prompt", "add decimal prompt", "add date prompt", "add date time prompt",
                 "add datetime prompt", "add location prompt", "add image prompt", "add audio prompt",
                 "add video prompt", "add file prompt", "add barcode prompt", "add acknowledge prompt",
                 "add calculate prompt", "q int", "q decimal", "q date", "q date time", "q datetime", "q geopoint",
                 "q geoshape", "q geotrace", "q location", "q image", "q picture", "q audio", "q video", "q barcode",
                 "q acknowledge", "q calculate"}
SELECT = re.compile(r"(?i)^(?P<word>select_one|select one from|select one using|select one|select1"
                    r"|add select one prompt using|q select1"
                    r"|select_multiple|select multiple from|select multiple using|select multiple"
                    r"|select all that apply from|select all that apply|add select multiple prompt using|q select)"
                    r" (?P<list>\S+)(?: (?P<other>or_other|or specify other|or other))?(?P<rest> .*)?$")
TYPE_WORDS = {**dict.fromkeys(TEXT_TYPES, "text"), **dict.fromkeys(NOTE_TYPES, "note"),
              **dict.fromkeys(METADATA_TYPES, "metadata"), **dict.fromkeys(NO_EQUIVALENT, "no_equivalent")}
CONTROL = re.compile(r"^(?P<edge>begin|end)[ _](?P<what>group|repeat|lgroup|loop|looped group)(?: .*)?$")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header as written (for messages), canonical name, and language if it has one."""

    header: str
    base: str
    language: str | None = None  # as written after `::`, or None


def snake(text: str) -> str:
    """Return a name the way XLSForm compares names: lowercase, spaces as underscores."""
    return "_".join(text.split()).lower()


def column(header: str, sheet: str, double_colon: bool) -> Column:
    """Read a header: 'Label::English (en)' -> label, 'English (en)'; 'list name' -> list_name; 'image' -> media."""
    whole = snake(header)
    if whole in ALIASES or whole.startswith("jr:"):
        return Column(header, ALIASES.get(whole, whole))
    tokens = [t.strip() for t in header.split("::" if double_colon else ":")]
    first = snake(tokens[0])
    if first == "media" and len(tokens) > 1:
        first, tokens = f"media::{snake(tokens[1])}", tokens[1:]
    aliases = {**ALIASES, **CHOICE_ALIASES} if sheet == "choices" else ALIASES
    base = aliases.get(first, first)
    language = ("::" if double_colon else ":").join(tokens[1:]) or None
    if language is not None and base not in PER_LANGUAGE:
        return Column(header, header.strip().lower())  # some other tool's column: a comment here
    return Column(header, base, language)


def language_code(written: str) -> str | None:
    """Return the code of a language as a form writes it (Svenska (sv), English, EN, Norsk bokmål), or None."""
    found = LANGUAGE_HEADER.match(written)
    words = [found.group("code"), found.group("name")] if found else [written]
    for word in words:
        folded = word.strip().casefold()
        for candidate in (folded, re.split(r"[-_]", folded)[0]):
            for code, names in LANGUAGE_WORDS.items():
                if candidate in names:
                    return code
    return None


@dataclass(frozen=True)
class Kind:
    """What a survey row's type says: a question (select_one, select_multiple, text), a note, a group's edge,
    metadata we never collect, a type with no equivalent here, or a type nobody knows."""

    word: str  # select_one, select_multiple, text, note, begin_group, end_group, begin_repeat, end_repeat,
    #            metadata, no_equivalent, unknown, malformed
    list_name: str | None = None
    or_other: bool = False


def kind_of(written: str) -> Kind:
    """Read a type cell the way pyxform does (any case, its aliases, `or_other`)."""
    text = " ".join(written.split()).lower()
    control = CONTROL.match(text)
    if control:
        return Kind(f"{control.group('edge')}_{'group' if control.group('what') == 'group' else 'repeat'}")
    word = TYPE_WORDS.get(text) or ("no_equivalent" if text.rsplit(" ", 1)[0] in NO_EQUIVALENT else None)
    if word:
        return Kind(word)
    select = SELECT.match(" ".join(written.split()))  # as written: list names keep their case
    if select and not select.group("rest"):
        chosen = select.group("word").lower()
        multiple = "multiple" in chosen or "all" in chosen or chosen == "q select"
        return Kind("select_multiple" if multiple else "select_one", select.group("list"), bool(select.group("other")))
    malformed = select or text.startswith(("select_one", "select_multiple", "select one", "select multiple"))
    return Kind("malformed" if malformed else "unknown")


def truthy(value: object) -> bool:
    """Read a yes/no cell."""
    return value is True or str(value).strip().lower() in TRUE


def falsy(value: object) -> bool:
    """Tell whether a cell plainly says no (so a `required` or `read_only` that says no is nothing to report)."""
    return value is False or str(value).strip().lower() in FALSE


def key_for(name: object) -> str:
    """Return a name as a key may be written here: lowercase a-z, digits and _, starting with a letter."""
    text = unicodedata.normalize("NFKD", str(name).strip().lower().replace("ø", "o").replace("æ", "ae"))
    text = re.sub(r"[^a-z0-9_]+", "_", "".join(c for c in text if not unicodedata.combining(c))).strip("_")
    return text if not text or text[0].isalpha() else f"n{text}"
