"""Where a small unit's own figure is hidden, the easy-read page and poster say whose answers stand in: the pool by
name, or the unit over the periods, named."""
from __future__ import annotations

import subprocess

from tests.analysis.test_pooling import pooled_homes, two_rounds
from tests.helpers import release
from tests.results.test_results_pages import text


def poster_words(client, slug: str, tmp_path) -> str:
    pdf = tmp_path / f"{slug}.pdf"
    pdf.write_bytes(client.get(f"/u/{slug}/results/poster.pdf?lang=sv").data)
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_the_page_and_poster_name_the_pool(app, client, tmp_path):
    pooled_homes(app)
    release(app)
    reader = text(client.get("/u/bjorken/results?lang=sv").get_data(as_text=True))
    assert "Få svarade här. Det här är svaren från Gruppbostäderna i Norr." in reader
    assert "av 3 " not in reader  # Björken's own three are never shown
    assert "Det här är svaren från Gruppbostäderna i Norr." in poster_words(client, "bjorken", tmp_path)


def test_the_page_and_poster_name_the_periods(app, client, tmp_path):
    two_rounds(app, {"bjorken": 3, "eken": 8, "linden": 8}, {"bjorken": 3, "eken": 8, "linden": 8})
    reader = text(client.get("/u/bjorken/results?lang=sv").get_data(as_text=True))
    assert "Det här är svaren från Gruppbostad Björken, Våren–Hösten." in reader
    assert "2 av 6 sa ja." in reader  # one yes in each period
    assert "Gruppbostad Björken, Våren–Hösten." in poster_words(client, "bjorken", tmp_path)
