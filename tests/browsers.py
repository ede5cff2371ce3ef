"""Browser helpers: axe-core checks, screenshots, and what a person does in the browser (log in, listen)."""
from __future__ import annotations

from pathlib import Path

from tests.helpers import PASSWORD

SCREENSHOTS = Path(__file__).parent / "screenshots"


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# WCAG 2.x A and AA, best practices, and the enhanced (7:1) contrast rule.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice", "wcag2aaa"]}}


def check_accessible(axe, page) -> None:
    """Fail with axe-core's report if the page has any violation."""
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path



def log_in(page, email):
    page.goto("/staff/login")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()



def wait_until_heard(page, seconds: float = 0.3) -> None:
    page.wait_for_function(f"""() => {{
        const audio = document.querySelector('audio.player');
        return audio && !audio.paused && audio.currentTime > {seconds};
    }}""", timeout=15000)

