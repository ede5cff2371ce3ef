"""WebKit, the engine of every iPad browser: a person completes the user questionnaire with read aloud on.
Each question either sounds on arrival or shows a big "Tap here to listen" button that plays it: nothing stays
silent without saying why. (WebKit wants that tap on every new page; one tap for the whole questionnaire would
need the questions shown in one document.) Driven with Selenium through Debian's WebKitWebDriver
(webkit2gtk-driver) on a virtual screen (Xvfb)."""
from __future__ import annotations

import subprocess
import time

import pytest

from tests.browsers import MINIBROWSER, X_SOCKETS, free_display

# Selenium's WebKitGTK driver still builds its connection the deprecated way (selenium 4.x).
pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")]


@pytest.fixture(scope="session")
def xvfb():
    """A virtual screen of its own for the test run."""
    display = free_display()
    server = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
    socket = X_SOCKETS / f"X{display}"
    for _ in range(400):  # waits for the socket, not for a time: at most 20 s on a busy machine
        if socket.exists() or server.poll() is not None:
            break
        time.sleep(0.05)
    assert socket.exists(), "Xvfb did not start"
    yield f":{display}"
    server.terminate()
    server.wait()


@pytest.fixture
def webkit(xvfb, live_server, monkeypatch):
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service
    monkeypatch.setenv("DISPLAY", xvfb)
    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    driver = webdriver.WebKitGTK(options=options, service=Service(executable_path="/usr/bin/WebKitWebDriver"))
    driver.base_url = live_server
    yield driver
    driver.quit()


# What the page is doing with its sound, as JavaScript expressions.
SOUNDING = ("(() => { const a = document.querySelector('audio.player');"
            " return !!a && !a.paused && a.currentTime > 0.1; })()")
SAYS_WHY = "(() => { const b = document.querySelector('button.hear'); return !!b && b.offsetHeight >= 64; })()"


def tap(driver, words: str) -> None:
    from selenium.webdriver.common.by import By
    button = f"//button[normalize-space(.)='{words}' or .//span[normalize-space(.)='{words}']]"
    driver.find_element(By.XPATH, button).click()


def wait_for(driver, script: str, seconds: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, seconds).until(lambda d: d.execute_script(f"return {script}"))


def test_complete_the_user_questionnaire_with_read_aloud_in_webkit(webkit, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    webkit.get(webkit.base_url + "/u/bjorken/user?lang=sv")
    tap(webkit, "Läs upp")
    wait_for(webkit, "document.body.dataset.readAloud === 'on'")
    tap(webkit, "Börja")
    for position, question in enumerate(questions, start=1):
        wait_for(webkit, f"document.querySelector('h1').textContent.trim() === {question.text['sv']!r}")
        # on arrival the question sounds, or a big button says that a tap is needed, and plays it. WebKitGTK
        # 2.50 refuses sound before a tap on every new page: 0 of 18 questions sound by themselves (2026-12-06).
        wait_for(webkit, f"{SOUNDING} || {SAYS_WHY}")
        if position == 1 and not webkit.execute_script(f"return {SOUNDING}"):
            webkit.find_element("css selector", "button.hear").click()
            wait_for(webkit, SOUNDING)
        if question.type.value == "free_text":
            webkit.find_element("css selector", "textarea").send_keys("Bra")
            webkit.find_element("css selector", "button.step.next").click()
        else:
            tap(webkit, question.options[0].text["sv"])
    wait_for(webkit, "document.querySelector('h1').textContent.trim() === 'Tack'")
