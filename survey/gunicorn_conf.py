"""Gunicorn settings for `make run`: loopback by default, and access logs that never name a client."""
import multiprocessing
import os

from survey.web import redaction

bind = f"{os.environ.get('SURVEY_HOST', '127.0.0.1')}:{os.environ.get('SURVEY_PORT', '8000')}"
workers = int(os.environ.get("SURVEY_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("SURVEY_THREADS", "2"))
worker_class = "gthread"
# Load the app once, in the master, and fork the workers from it. Loading takes about 3 s of CPU (scipy, WeasyPrint,
# matplotlib, the questionnaire files); five workers loading at once on 2 cores kept the first requests after a start
# or a restart waiting up to 9 s (p99 8.8 s at 100 tablets; 1.5 s with the app loaded once). Loading connects to
# nothing; when_ready closes the one it uses before the first fork, and post_fork drops any pooled, so no connection
# is shared between workers. A code change needs a restart, not HUP.
preload_app = True
timeout = 30
graceful_timeout = 10
accesslog = os.environ.get("SURVEY_ACCESS_LOG", "-")
# Method, path without query string (codes may travel in it), status, size, duration. A council link's token, which
# is its path, is cut out by the redacting filter on_starting puts on gunicorn.access too.
# No client address, no user agent, no referrer, no time stamp: nothing that points at a person.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Gunicorn's control socket is one fixed path per user: a second server (a test, a benchmark's
# baseline) would fight over it. Nothing here uses it.
control_socket_disable = True


def _survey_app(server):
    """Return the app gunicorn loaded, or None for the benchmarks' bare endpoint, which runs with these settings too."""
    app = server.app.wsgi()
    return app if "sqlalchemy" in app.extensions else None


def when_ready(server):
    """Before the first fork, bring the questionnaires to the database's revision once, in the master: each worker
    would otherwise load them again at its first request (about 0.3 s of CPU, five times over after every start).
    Then close the connection it used, so that no worker inherits it."""
    from survey.db import db
    from survey.questionnaires import drafts
    app = _survey_app(server)
    if app is None:
        return
    with app.app_context():
        drafts.refresh()  # if the database cannot answer yet, each worker compares at its first request, as before
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def post_fork(server, _worker):
    """Give each worker its own database connections: drop any pooled before the fork (there should be none)."""
    from survey.db import db
    app = _survey_app(server)
    if app is None:
        return
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def on_starting(_server):
    """Keep client addresses, query strings and council link tokens out of gunicorn's error and access logs."""
    redaction.install()
