"""Speech: every text a respondent sees can be heard, as a clip made on the server or a person's recording.

Layers: `text` (what is said, and the key of its clip; pure), `worker` (one clip in one fresh process, run by
path), `engine` (running the worker), `cache` (clip files made once), `recordings` (people's recordings),
`views` (speech in the app: start-up checks, clip URLs, the clip route), `upload` (administrators' recording
page), `cli`.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Check the speech settings and engine, and add the clip route and the recording upload page (which takes
    uploads up to RECORDING_UPLOAD_LIMIT)."""
    from survey.speech import upload, views
    from survey.web.security import allow_upload
    views.init_app(app)
    app.register_blueprint(upload.bp)
    allow_upload(app, "recordings.upload", "RECORDING_UPLOAD_LIMIT")


def commands() -> list:
    """Return the speech commands: `survey speech ...`."""
    from survey.speech import cli
    return [cli.speech_commands]
