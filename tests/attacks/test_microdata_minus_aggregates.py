"""Attack 1: an analyst subtracts the microdata rows of a group's other units from the group's published figures.

Before: the area's figures counted Lillstugan (3 people) while the microdata left it out, so area minus the other
units' rows gave Lillstugan's answers exactly; rows of shown units showed cells the aggregates hid; one empty
response lifted a unit into the microdata; the version column told who answered after a new version."""
from __future__ import annotations

import io
from collections import Counter

import pandas as pd

from tests.attacks.conftest import UNITS, build_world, questions, unit_ids
from tests.helpers import Respondent


def download(insider, path: str) -> pd.DataFrame:
    response = insider.get(path)
    assert response.status_code == 200, path
    return pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)


def test_area_minus_the_other_units_rows_never_gives_a_hidden_units_answers(app, world, insider):
    cells = download(insider, "/analysis/export.csv?lang=en")
    rows = download(insider, "/analysis/microdata.csv?free_text=1")
    ids = unit_ids(app)
    norr = [slug for slug, (_n, area, _k, _c) in UNITS.items() if area == "Norr"]
    recovered = []
    for question in questions(app):
        area = cells[(cells["level"] == "area") & (cells["group"] == "Norr") & (cells["dimension"] == "all")
                     & (cells["item"] == question.key) & (cells["category"] == "all")].iloc[0]
        if area["status"] != "shown":
            continue  # nothing to subtract from
        counts = Counter({o.key: int(area[f"answers: {o.key}"] or 0) for o in question.options})
        counts["dont_know"] = int(area["dont_know"] or 0)
        for slug in norr:
            if slug != "lillstugan":
                counts.subtract(Counter(rows.loc[rows["unit_id"] == ids[slug], question.key]))
        residual = {k: v for k, v in counts.items() if k and v}
        truth = dict(Counter(p["answers"][question.key] for p in world["lillstugan"]))
        recovered.append(residual == truth)
    assert recovered and not any(recovered)  # subtraction always leaves more than Lillstugan's three people


def test_no_row_shows_a_value_in_a_cell_the_release_hides(app, world, insider):
    cells = download(insider, "/analysis/export.csv?lang=en")
    rows = download(insider, "/analysis/microdata.csv?free_text=1")
    hidden = cells[(cells["level"] == "unit") & (cells["status"] != "shown") & (cells["kind"] == "question")]
    hidden = set(zip(hidden["group_id"], hidden["item"], hidden["dimension"], hidden["category"]))
    breakdown = next((c for c in ("sex", "help") if c in rows.columns), None)
    for row in rows.to_dict("records"):
        for question in [q.key for q in questions(app)] + ["more"]:
            if row[question]:
                assert (row["unit_id"], question, "all", "all") not in hidden
                if breakdown:
                    assert (row["unit_id"], question, breakdown, row[breakdown]) not in hidden
    assert not set(rows["unit_id"]) & {unit_ids(app)["lillstugan"]}
    assert not {"version", "language", "channel", "id", "completed", "date"} & set(rows.columns)
    assert not ({"sex", "help"} <= set(rows.columns))  # never both: their cross was never audited


def test_an_empty_response_through_the_open_link_lifts_nobody_into_the_figures(app, client):
    build_world(app, released=False)
    for _ in range(3):  # Lillstugan's 3 people, plus empty open-link starts up to 5 and beyond
        Respondent(app.test_client(), "lillstugan").start()
    from tests.helpers import login, make_account, release
    release(app)
    login(client, make_account(app, "analyst"))
    cells = download(client, "/analysis/export.csv?lang=en")
    lillstugan = cells[(cells["group"] == "Lillstugan")]
    assert (lillstugan["status"] == "too few answers").all()
    rows = download(client, "/analysis/microdata.csv")
    assert unit_ids(app)["lillstugan"] not in set(rows["unit_id"])
