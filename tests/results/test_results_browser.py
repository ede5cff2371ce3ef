"""The easy-read results page in a browser, on the devices people use: no sideways scroll, nothing overlapping, cut
off or sticking out of its question's box, targets big enough, axe-core clean, at normal and larger text; the
screenshots are in tests/screenshots/results-*.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import check_accessible, screenshot
from tests.helpers import add_response, release

pytestmark = pytest.mark.browser

PROFILES = ["iPhone SE", "Galaxy S9+", "iPad (gen 7)", "iPad (gen 7) landscape", "zoom 200 %", "iPhone SE larger text"]

LAYOUT = """() => {
  const width = document.documentElement.scrollWidth, viewport = window.innerWidth;
  const controls = [...document.querySelectorAll('main a, main button:not([hidden]), main h1, main h2, main p')]
    .filter(e => e.getClientRects().length);
  const clipped = controls.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim());
  const boxes = controls.filter(e => e.matches('a, button')).map(e => [e, e.getBoundingClientRect()]);
  const overlapping = [];
  for (const [a, r] of boxes) for (const [b, s] of boxes)
    if (a !== b && !a.contains(b) && !b.contains(a) && r.left < s.right - 1 && s.left < r.right - 1
        && r.top < s.bottom - 1 && s.top < r.bottom - 1) overlapping.push(a.textContent.trim());
  const outside = controls.filter(e => e.closest('.result')).filter(e => {
    const r = e.getBoundingClientRect(), box = e.closest('.result').getBoundingClientRect();
    return r.left < box.left || r.right > box.right;
  }).map(e => e.outerHTML.slice(0, 80));
  const small = boxes.filter(([e, r]) => r.width < 44 || r.height < 44).map(([e]) => e.outerHTML.slice(0, 80));
  return {width, viewport, clipped, overlapping, outside, small};
}"""


def context_for(browser, playwright_instance, live_server, profile):
    if profile.endswith("larger text"):
        profile = profile.removesuffix(" larger text")
    if profile == "zoom 200 %":
        return browser.new_context(viewport={"width": 640, "height": 480}, device_scale_factor=2,
                                   base_url=live_server, locale="sv-SE")
    return browser.new_context(**playwright_instance.devices[profile], base_url=live_server, locale="sv-SE")


@pytest.fixture
def released(app, live_server):
    """Björken (the live server's unit) answered by 8 people, 6 of them yes to the first question; released."""
    for i in range(8):
        add_response(app, "bjorken", {"decide_important": "yes" if i < 6 else "no", "safe_with_staff": "yes"})
    release(app)
    return live_server


@pytest.mark.parametrize("profile", PROFILES)
def test_the_results_page_fits_every_device(browser, playwright_instance, released, axe, profile):
    context = context_for(browser, playwright_instance, released, profile)
    page = context.new_page()
    try:
        page.goto("/u/bjorken/results?lang=sv")
        if profile.endswith("larger text"):
            normal = page.locator(".said").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            page.get_by_role("button", name="Större text").click()
            expect(page.locator("html")).to_have_class(re.compile("large-text"))
            page.wait_for_load_state("load")  # measured with the stylesheet in place
            larger = page.locator(".said").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert larger >= 1.3 * normal
        page.get_by_text("6 av 8 sa ja.").wait_for()
        found = page.evaluate(LAYOUT)
        assert found["width"] <= found["viewport"], found
        assert (found["clipped"], found["overlapping"], found["outside"]) == ([], [], [])
        assert found["small"] == [], found
        check_accessible(axe, page)
        screenshot(page, f"results-{profile.replace(' ', '-').replace('%', 'pct')}")
    finally:
        context.close()
