"""What browsers and proxies may keep: respondent pages and downloads never (the next person must not see them)."""
from flask import Response
from werkzeug.utils import secure_filename


def no_store(response: Response) -> Response:
    """Keep a response out of every cache and history snapshot (a blueprint's after_request, or called directly)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    """Return data as a download saved under a safe name, that no browser or proxy keeps."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{secure_filename(filename)}"'
    return no_store(response)
