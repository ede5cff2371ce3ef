"""`survey speech ...`: check the engine and voices, build every clip, record a person's voice."""
from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from survey.questionnaires import library
from survey.speech import recordings
from survey.speech.cache import build
from survey.speech.engine import INSTALL
from survey.speech.views import heard_clips, speech


@click.group("speech", cls=AppGroup)
def speech_commands() -> None:
    """Speech clips: check the engine and voices, build every clip, record a human voice."""


@speech_commands.command("check")
def speech_check() -> None:
    """Report the speech engine, a voice per language and the clip cache; exit 1 if anything is missing."""
    sys.exit(0 if speech_report() else 1)


def speech_report() -> bool:
    """Print whether the engine and every voice are installed, and how to install what is not."""
    found = speech()
    engine = found.engine
    click.echo(f"{'ok ' if engine.available else 'NO '} speech engine: "
               f"{engine.version if engine.available else engine.problem}")
    missing = engine.missing(found.voices.voice) if engine.available else {}
    for lang, voice in found.voices.voice.items():
        state = "?  " if not engine.available else "NO " if lang in missing else "ok "
        click.echo(f"{state} voice for {lang}: {voice} at {found.voices.rate[lang]} words per minute")
    if not engine.available or missing:
        click.echo(f"Install the engine and its voices with `{INSTALL}`; espeak-ng lists its voices "
                   "with `espeak-ng --voices`. Until then pages use the browser's own speech.")
    click.echo(f"    clip cache: {found.folder}")
    return engine.available and not missing


@speech_commands.command("build")
@click.option("--workers", type=int, default=None, help="Clips made at the same time (default: two per CPU).")
def speech_build(workers: int | None) -> None:
    """Make every clip of every published questionnaire and of the pages, for every instance (kept in the database);
    a second run has nothing to do."""
    found = speech()
    if not speech_report():
        sys.exit(1)
    clips = heard_clips(current_app, library(), found.voices, published_only=True)
    makers = {clip.key(found.engine.version): found.shared_maker(clip) for clip in clips}
    with click.progressbar(length=len(makers), label="Making clips") as bar:
        summary = build(found.folder, makers, workers or 2 * (os.cpu_count() or 1), bar.update)
    click.echo(str(summary))
    for failure in summary.failed:
        click.echo(f"  failed: {failure}", err=True)
    if summary.failed:
        sys.exit(1)


@speech_commands.command("record")
@click.argument("questionnaire")
@click.argument("item")
@click.argument("lang")
@click.argument("file", type=click.File("rb"))
def speech_record(questionnaire: str, item: str, lang: str, file) -> None:
    """Use a person's MP3 recording for ITEM (a question key, or QUESTION.OPTION) in LANG instead of synthesis."""
    try:
        row = recordings.record(library(), questionnaire, item, lang,
                                file.read(recordings.MAX_BYTES + 1), speech().folder)
    except recordings.BadRecording as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(f"Recorded {questionnaire} {item} ({lang}): {row.seconds:.1f} s, heard instead of \"{row.text}\"")


@speech_commands.command("forget")
@click.argument("questionnaire")
@click.argument("item")
@click.argument("lang")
def speech_forget(questionnaire: str, item: str, lang: str) -> None:
    """Remove the recording of ITEM in LANG, so synthesis speaks it again."""
    if not recordings.forget(questionnaire, item, lang, speech().folder):
        click.echo(f"There is no recording of {questionnaire} {item} ({lang}).", err=True)
        sys.exit(1)
    click.echo(f"Removed the recording of {questionnaire} {item} ({lang}).")
