"""The web layer every page shares: request guards, error pages, languages and the site's own pages.

Layers: `proxy` (the client's address behind proxies, the printed address), `security` (headers, cookie flags,
malformed requests), `limits` (rate limits), `redaction` (log lines that name no client) guard every request;
`errors` answers every error (easy-read for respondents, precise for staff); `i18n` picks the language; `site`
serves the home and about pages and the pictogram files (views); `downloads` and `caching` say how files and
pages may be kept.
"""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Guard every request (security headers first, then CSRF), set up languages and errors.

    Rate limits come last, from create_app: `limits.enforce` wraps the views every package has registered."""
    from survey.web import errors, i18n, proxy, security, site
    proxy.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    app.register_blueprint(site.bp)
