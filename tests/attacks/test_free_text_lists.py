"""Attack 2: an analyst combines free-text lists (unit, area, service type, organisation pages and the microdata)
to pin a hidden unit's texts to it by set algebra.

Before: texts were listed per unit, area and service type; a hidden unit's texts were its area's list ∩ its
type's list minus the shown units' lists. Now texts are listed for one level only, whose groups never overlap,
and the microdata blanks a text wherever its unit's cell is hidden."""
from __future__ import annotations

import io
import re
from html import unescape

import pandas as pd
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Area
from tests.attacks.conftest import UNITS, unit_ids


def listed(page: str) -> set[str]:
    """The free texts a page lists."""
    return {unescape(t) for t in re.findall(r"<li>([^<]*skriver \d+)</li>", page)}


def test_no_hidden_units_text_can_be_pinned_to_it(app, world, insider):
    ids = unit_ids(app)
    with app.app_context():
        areas = dict(db.session.execute(sa.select(Area.name, Area.id)).all())
    lists = {("unit", slug): listed(insider.get(f"/analysis/unit/{uid}").get_data(as_text=True))
             for slug, uid in ids.items()}
    for name, area_id in areas.items():
        lists[("area", name)] = listed(insider.get(f"/analysis/area/{area_id}").get_data(as_text=True))
    for kind in ("housing", "daily_activity"):
        lists[("service_type", kind)] = listed(insider.get(f"/analysis/service_type/{kind}").get_data(as_text=True))
    lists[("organisation", "all")] = listed(insider.get("/analysis/organisation/all").get_data(as_text=True))
    rows = pd.read_csv(io.BytesIO(insider.get("/analysis/microdata.csv?free_text=1").data), dtype=str,
                       keep_default_na=False)
    pinned = {text: uid for uid, text in zip(rows["unit_id"], rows["more"]) if text}
    levels = {level for (level, _g), texts in lists.items() if texts}
    assert len(levels) <= 1  # one grouping only: lists never overlap

    members = {("unit", slug): {slug} for slug in ids}
    members |= {("area", a): {s for s, u in UNITS.items() if u[1] == a} for a in ("Norr", "Söder")}
    members |= {("service_type", k): {s for s, u in UNITS.items() if u[2] == k} for k in ("housing", "daily_activity")}
    members[("organisation", "all")] = set(ids)
    slug_of = {uid: slug for slug, uid in ids.items()}
    for text in set().union(*lists.values()) | set(pinned):
        # Where can the attacker place the text? In every group whose list holds it, never in a unit whose own texts
        # they see in full (a shown unit's rows), unless the text is one of them.
        places = set(ids)
        for group, texts in lists.items():
            if text in texts:
                places &= members[group]
        seen_fully = {slug_of[u] for u in set(rows["unit_id"]) if u}
        if text in pinned:
            places = {slug_of[pinned[text]]}
        else:
            places -= seen_fully
        writer = text.split(" skriver")[0]
        if places == {writer}:  # pinned to one unit: only ever a shown one
            assert writer in seen_fully, f"{text!r} pinned to hidden unit {writer}"
    for person in world["lillstugan"]:  # and Lillstugan's texts in particular are nowhere pinned to it
        assert person["answers"]["more"] not in pinned
