"""Log lines that name no client: addresses and query strings (invitation codes travel in them) are cut out."""
from __future__ import annotations

import logging
import re

IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![\w:.])")
QUERY = re.compile(r"\?[^\s'\"]+")
# Libraries' loggers that may put a client's address or a request's query string into a message; install()
# adds the app's own (a filter on a logger does not see what its children log, so each gets one).
REDACTED_LOGGERS = ("gunicorn.error", "flask-limiter", "werkzeug")


def redact(text: str) -> str:
    """Replace IP addresses and query strings in a log text."""
    return QUERY.sub("?…", IPV4.sub("[address]", IPV6.sub("[address]", text)))


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
