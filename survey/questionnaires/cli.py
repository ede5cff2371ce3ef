"""`survey check-questionnaires | draft | publish | export-questionnaires | import-xlsform | export-xlsform`:
questionnaires from the shell."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from survey.config import Defaults
from survey.questionnaires import drafts, import_warnings, library, store
from survey.questionnaires.files import DataFileError
from survey.questionnaires.model import load_library, questionnaire_files
from survey.questionnaires.quality import MODEL_FILE, flags_without_survey_evidence
from survey.questionnaires.xlsform import write as xlsform


def _fail(err: drafts.DraftError) -> None:
    for problem in err.problems:
        click.echo(str(problem), err=True)
    if err.unlisted:
        click.echo(f"... and {err.unlisted} more problem(s), not listed.", err=True)
    click.echo(f"{len(err.problems) + err.unlisted} problem(s) found; nothing was changed.", err=True)
    sys.exit(1)


@click.command("draft")
@with_appcontext
@click.argument("questionnaire_id")
def draft_command(questionnaire_id: str) -> None:
    """Start a draft of a questionnaire from its published version (edit it in the editor, or export, edit and
    import it)."""
    try:
        made = drafts.create_draft(questionnaire_id)
    except drafts.DraftError as err:
        _fail(err)
    click.echo(f"Draft {made.id} version {made.version}.")


@click.command("publish")
@with_appcontext
@click.argument("questionnaire_id")
def publish_command(questionnaire_id: str) -> None:
    """Publish the draft of a questionnaire: it is frozen, and the version it replaces is retired."""
    draft = library().draft(questionnaire_id)
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
@click.option("--skip-unsupported", is_flag=True,
              help="Leave out rows of types with no equivalent here (geopoint, integer, date, ...), "
                   "each with a warning.")
def import_xlsform(file: Path, skip_unsupported: bool) -> None:
    """Import an XLSForm workbook as a draft; recordings named in media::audio are read from beside it."""
    def beside(name: str) -> bytes | None:
        path = file.parent / Path(name).name
        return path.read_bytes() if path.is_file() else None

    try:
        made = drafts.add_workbook(file.read_bytes(), file.name, beside, skip_unsupported)
    except drafts.DraftError as err:
        _fail(err)
    click.echo(f"Imported as draft {made.id} version {made.version}.")
    found = import_warnings.of(made.id, made.version)
    if found is not None:
        for warning in found.listed:
            click.echo(f"warning  {warning}")
        if found.unlisted:
            click.echo(f"warning  ... and {found.unlisted} more, not listed")
        click.echo(f"{len(found.listed) + found.unlisted} warning(s): what was left out or changed. The editor shows "
                   "them on the draft's page until it is published or deleted.")


@click.command("export-xlsform")
@with_appcontext
@click.argument("questionnaire_id")
@click.option("--version", "number", type=int, default=None, help="Which version (default: the published one).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .xlsx to write.")
def export_xlsform(questionnaire_id: str, number: int | None, out: Path) -> None:
    """Write a questionnaire version as an XLSForm workbook, with its recordings as MP3 files beside it."""
    loaded = library()
    found = loaded.version(questionnaire_id, number) if number else (
        loaded.published(questionnaire_id) or loaded.draft(questionnaire_id))
    if found is None:
        raise click.ClickException(f"no questionnaire '{questionnaire_id}'" + (f" version {number}" if number else ""))
    out.write_bytes(xlsform.workbook_bytes(xlsform.to_workbook(found, xlsform.recording_names(found))))
    recordings = xlsform.recording_files(found)
    for name, data in recordings.items():
        (out.parent / name).write_bytes(data)
    click.echo(f"{found.id} version {found.version} written to {out}"
               + (f", with {len(recordings)} recording(s) beside it" if recordings else ""))


@click.command("export-questionnaires")
@with_appcontext
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_questionnaires(folder: Path) -> None:
    """Write every questionnaire version in the database to FOLDER as YAML files, laid out as questionnaires/ is
    (with the quality model and the fingerprints of published versions): a copy `check-questionnaires` can read."""
    written = store.export_folder(folder)
    shutil.copyfile(drafts.folder() / MODEL_FILE, folder / MODEL_FILE)
    click.echo(f"{len(written) - 1} version(s) written to {folder}")


@click.command("check-questionnaires")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=Defaults.QUESTIONNAIRE_DIR,
              help="The questionnaire folder (default: the shipped one), e.g. one `export-questionnaires` wrote.")
def check_questionnaires(files: tuple[Path, ...], folder: Path) -> None:
    """Validate questionnaire files (all of them, or FILES) and print every problem; exit 1 if any."""
    folder = Path(folder)
    try:
        library = load_library(folder, Path(Defaults.PICTOGRAM_DIR), list(files) or questionnaire_files(folder))
    except DataFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(err.problems)} problem(s) found.", err=True)
        sys.exit(1)
    for q in library.all_versions():
        click.echo(f"ok  {q.id} v{q.version} ({q.audience}, {q.status}): {len(q.questions)} questions, "
                   f"languages {', '.join(q.languages)}")
    published = [q for q in library.questionnaires.values() if q.status == "published"]
    for flag in flags_without_survey_evidence(library.quality_model, published):
        click.echo(f"note  flag '{flag}' has no survey evidence: no published question informs it")


COMMANDS = (check_questionnaires, draft_command, publish_command, export_questionnaires, import_xlsform,
            export_xlsform)
