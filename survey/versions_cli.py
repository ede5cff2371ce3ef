"""`survey draft | publish | import-xlsform | export-xlsform`: questionnaire versions from the command line."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey import council, drafts, xlsform, xlsform_import


def _fail(err: drafts.DraftError) -> None:
    for problem in err.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(err.problems)} problem(s) found; nothing was changed.", err=True)
    sys.exit(1)


@click.command("draft")
@with_appcontext
@click.argument("questionnaire_id")
def draft_command(questionnaire_id: str) -> None:
    """Start a draft of a questionnaire from its published version (versions/ID/vN.yaml)."""
    try:
        made = drafts.create_draft(questionnaire_id, council.tested_versions(questionnaire_id))
    except drafts.DraftError as err:
        _fail(err)
    click.echo(f"Draft {made.id} version {made.version}: {drafts.file_of(made)}")


@click.command("publish")
@with_appcontext
@click.argument("questionnaire_id")
def publish_command(questionnaire_id: str) -> None:
    """Publish the draft of a questionnaire: it is frozen, and the version it replaces is retired."""
    draft = current_app.extensions["survey.library"].draft(questionnaire_id)
    if draft is None:
        raise click.ClickException(f"'{questionnaire_id}' has no draft")
    try:
        published = drafts.publish(questionnaire_id, draft.version)
    except drafts.DraftError as err:
        _fail(err)
    click.echo(f"Published {published.id} version {published.version}.")


@click.command("import-xlsform")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_xlsform(file: Path) -> None:
    """Import an XLSForm workbook as a draft; recordings named in media::audio are read from beside it."""
    def beside(name: str) -> bytes | None:
        path = file.parent / Path(name).name
        return path.read_bytes() if path.is_file() else None

    try:
        made = xlsform_import.import_draft(file.read_bytes(), file.name, beside)
    except drafts.DraftError as err:
        _fail(err)
    click.echo(f"Imported as draft {made.id} version {made.version}: {drafts.file_of(made)}")


@click.command("export-xlsform")
@with_appcontext
@click.argument("questionnaire_id")
@click.option("--version", "number", type=int, default=None, help="Which version (default: the published one).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .xlsx to write.")
def export_xlsform(questionnaire_id: str, number: int | None, out: Path) -> None:
    """Write a questionnaire version as an XLSForm workbook, with its recordings as MP3 files beside it."""
    library = current_app.extensions["survey.library"]
    found = library.version(questionnaire_id, number) if number else (
        library.published(questionnaire_id) or library.draft(questionnaire_id))
    if found is None:
        raise click.ClickException(f"no questionnaire '{questionnaire_id}'" + (f" version {number}" if number else ""))
    out.write_bytes(xlsform.workbook_bytes(xlsform.to_workbook(found, xlsform.recording_names(found))))
    recordings = xlsform.recording_files(found)
    for name, data in recordings.items():
        (out.parent / name).write_bytes(data)
    click.echo(f"{found.id} version {found.version} written to {out}"
               + (f", with {len(recordings)} recording(s) beside it" if recordings else ""))


COMMANDS = (draft_command, publish_command, import_xlsform, export_xlsform)
