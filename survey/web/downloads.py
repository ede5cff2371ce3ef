"""Files staff download: never cached, always saved under a safe name."""
from flask import Response
from werkzeug.utils import secure_filename


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    """Return data as a download that no browser or proxy keeps."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{secure_filename(filename)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
