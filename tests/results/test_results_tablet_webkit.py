"""WebKit, the engine of every iPad browser: in tablet mode, "Visa resultaten" on the start page opens the results
and "Tillbaka till enkäten" comes back to the start page, still in tablet mode. Selenium through Debian's
WebKitWebDriver on a virtual screen, as tests/respond/test_webkit_browser.py does."""
from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, make_account
from tests.respond.test_webkit_browser import tap, wait_for, webkit, xvfb  # noqa: F401 (fixtures)
from tests.results.test_results_tablet import released_last_year

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")]


def test_the_results_and_back_on_an_ipads_engine(webkit, app):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    released_last_year(app)
    email = make_account(app, "unit_staff", unit_slugs=("bjorken",))
    webkit.get(webkit.base_url + "/staff/login")
    webkit.find_element(By.ID, "email").send_keys(email)
    webkit.find_element(By.ID, "password").send_keys(PASSWORD)
    tap(webkit, "Logga in")
    wait_for(webkit, "location.pathname === '/staff/'")
    webkit.get(webkit.base_url + "/staff/tablet")
    Select(webkit.find_element(By.ID, "target")).select_by_index(1)  # the user questionnaire
    webkit.find_element(By.ID, "pin").send_keys("2468")
    tap(webkit, "Starta surfplatteläget")
    wait_for(webkit, "!!document.querySelector('button[lang=sv]')")
    tap(webkit, "Svenska")
    wait_for(webkit, "!!document.querySelector('.tablet-results button')")
    tap(webkit, "Visa resultaten")
    wait_for(webkit, "[...document.querySelectorAll('p.said')].some(p => p.textContent.trim() === '6 av 8 sa ja.')")
    assert webkit.execute_script("return location.pathname") == "/tablet/results"
    webkit.find_element(By.LINK_TEXT, "Tillbaka till enkäten").click()
    wait_for(webkit, "!!document.querySelector('button[lang=sv]')")  # the start page for the next person
    assert webkit.execute_script("return location.pathname") == "/u/bjorken/user"
