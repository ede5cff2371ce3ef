"""Log lines that name no client: addresses, query strings (invitation codes travel in them) and the user councils'
link tokens (in their paths) are cut out."""
from __future__ import annotations

import logging
import re

IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![\w:.])")
QUERY = re.compile(r"\?[^\s'\"]+")
# A council link's token is its path (/council/<token>, and the editor's /editor/links/<token>/...): whoever reads
# it can answer as the council. The council's own pages after the link (q/<n>, done) carry none.
COUNCIL_TOKEN = re.compile(r"(?<=/council/)(?!(?:q|done)(?:[/\s'\"?]|$))[^/\s'\"?]+|(?<=/editor/links/)[^/\s'\"?]+")
# Libraries' loggers that may put a client's address or a request's query string into a message; install()
# adds the app's own (a filter on a logger does not see what its children log, so each gets one).
REDACTED_LOGGERS = ("gunicorn.error", "gunicorn.access", "flask-limiter", "werkzeug")


def redact(text: str) -> str:
    """Replace IP addresses, query strings and council link tokens in a log text."""
    return COUNCIL_TOKEN.sub("…", QUERY.sub("?…", IPV4.sub("[address]", IPV6.sub("[address]", text))))


class RedactFilter(logging.Filter):
    """Rewrite each record's message (and traceback) without addresses or query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def install(names: tuple[str, ...] = REDACTED_LOGGERS) -> None:
    """Put the redacting filter on the named loggers and on every logger of this package (once)."""
    ours = [name for name in logging.root.manager.loggerDict if name == "survey" or name.startswith("survey.")]
    for name in (*names, "survey", *ours):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFilter) for f in logger.filters):
            logger.addFilter(RedactFilter())
