"""The quality cycle: evidence per flag, valuations, actions, and measurement over time.

Layers: `spc` (run charts judged by the Anhøj rules, phases and frozen baselines; pure), `spc_proportions` (p- and
Laney's p′ charts, funnel plots; pure), `spc_texts` (what a chart shows, in plain words in sv, nb and en),
`spc_charts` (the charts as SVG, and the same figures as table rows); `rules` (verdicts, statuses, the verdict a
figure suggests; pure), `store` (valuations, kept as history, and actions), `evidence` (a flag's released figures
from both questionnaires, read through survey/analysis/service.py), `indicators` (the quality model's other
indicators: values entered or imported from CSV, summed per group); `views` (a unit's cycle), `levels` (a pool's,
an area's, the organisation's) and `api` (JSON), with their forms in `forms`; over time: `series` (a figure per
release, read from release cells only), `phases` (a new phase from an action's start, confirmed by a person),
`measurement` (series judged and drawn for the pages), `funnel_chart` (a funnel plot as SVG), and their pages
`charts` and `model_page` (the whole model, and its A4 PDF).
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the quality cycle's pages and its JSON API."""
    from survey.cycle import api, charts, levels, model_page, views  # noqa: F401 - charts, model_page: routes on views.bp
    app.register_blueprint(views.bp)
    app.register_blueprint(levels.bp)
    app.register_blueprint(api.bp)
