"""WebKit, the engine of every iPad browser: a person completes the user questionnaire with read aloud on.
WebKit lets a page sound only after a tap in it; the questions are shown in place, in one document, so the tap
on Start is the only one: every question after it sounds on arrival. Where sound is still refused, a big "Tap
here to listen" button says why and plays it: nothing stays silent without saying why. Driven with Selenium
through Debian's WebKitWebDriver (webkit2gtk-driver) on a virtual screen (Xvfb)."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.browsers import AXE_OPTIONS, LAYOUT_JS, MINIBROWSER, SCREENSHOTS, X_SOCKETS, free_display

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


def open_with_read_aloud(driver) -> None:
    """Open the user questionnaire's first page and switch read aloud on."""
    driver.get(driver.base_url + "/u/bjorken/user?lang=sv")
    tap(driver, "Läs upp")
    wait_for(driver, "document.body.dataset.readAloud === 'on' && !!document.querySelector('audio.player')")


def test_complete_the_user_questionnaire_with_read_aloud_in_webkit(webkit, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    open_with_read_aloud(webkit)
    tap(webkit, "Börja")
    for position, question in enumerate(questions, start=1):
        wait_for(webkit, f"document.querySelector('h1').textContent.trim() === {question.text['sv']!r}")
        # on arrival the question sounds, or a big button says that a tap is needed, and plays it
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


# Every clip the page's one audio element starts playing, and every clip it was heard sounding (playing past 0.1 s),
# recorded by the page itself: a short clip may have ended before the test looks, under load.
RECORD_PLAYING = """window.heard = []; window.sounded = [];
    const player = document.querySelector('audio.player');
    player.addEventListener('playing', e => window.heard.push(new URL(e.target.currentSrc).pathname));
    player.addEventListener('timeupdate', e => {
        const clip = new URL(e.target.currentSrc).pathname;
        if (e.target.currentTime > 0.1 && !e.target.paused && !window.sounded.includes(clip)) window.sounded.push(clip);
    });"""
MAIN_CLIP = "document.querySelector('button.speak[data-autoplay]').dataset.audio"


def test_one_tap_on_start_and_every_question_after_it_sounds_on_arrival_in_webkit(webkit, app):
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    open_with_read_aloud(webkit)
    webkit.execute_script(RECORD_PLAYING)
    tap(webkit, "Börja")  # the one tap
    for position, question in enumerate(questions[:4], start=1):
        wait_for(webkit, f"document.querySelector('h1').textContent.trim() === {question.text['sv']!r}")
        clip = webkit.execute_script(f"return {MAIN_CLIP}")
        # this question's own clip plays by itself, and nothing asks for a tap
        wait_for(webkit, f"window.heard.includes({clip!r}) && window.sounded.includes({clip!r})"
                         f" && document.querySelector('audio.player').currentSrc.endsWith({clip!r})")
        assert not webkit.execute_script("return !!document.querySelector('button.hear')"), position
        tap(webkit, question.options[0].text["sv"])
    # the same document all along: the recorder set before Start heard every question
    assert len(webkit.execute_script("return window.heard")) >= 4


def webkit_problems(driver, question: bool = False) -> list[str]:
    """What the layout measurement and axe-core find wrong with the page WebKit shows."""
    import axe_playwright_python
    driver.execute_script("window.scrollTo(0, 0)")
    problems = driver.execute_script(f"return ({LAYOUT_JS})(arguments[0])", question)
    driver.execute_script((Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    violations = driver.execute_async_script("""const done = arguments[arguments.length - 1];
        axe.run(document, arguments[0]).then(r => done(r.violations.map(v => `${v.id} (${v.nodes.length})`)),
                                             e => done([`axe failed: ${e}`]));""", AXE_OPTIONS)
    return problems + violations


# A phone and an iPad in portrait. MiniBrowser's window is at least 447 px wide here (WebKitGTK 2.50 under Xvfb),
# so the "phone" is a large one; the 320-390 px phones are measured in Chromium (test_devices_browser.py).
@pytest.mark.parametrize("size", [(375, 667), (810, 1000)], ids=["narrowest-window", "ipad-portrait"])
def test_respondent_pages_fit_and_pass_axe_in_webkit(webkit, app, size):
    from selenium.webdriver.common.by import By
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    webkit.set_window_size(*size)
    width = webkit.execute_script("return document.documentElement.clientWidth")
    assert width <= max(size[0], 450)
    found, label = {}, f"webkit-{width}px"

    def measure(name: str, question: bool = False) -> None:
        wait_for(webkit, "document.readyState === 'complete'")
        problems = webkit_problems(webkit, question)
        if problems:
            found[name] = problems
        SCREENSHOTS.mkdir(exist_ok=True)
        webkit.save_screenshot(str(SCREENSHOTS / f"{label}-{name}.png"))

    webkit.get(webkit.base_url + "/u/bjorken")
    measure("unit")
    webkit.get(webkit.base_url + "/u/bjorken/user?lang=sv")
    tap(webkit, "Börja")
    wait_for(webkit, f"document.querySelector('h1').textContent.trim() === {questions[0].text['sv']!r}")
    measure("question-1", question=True)
    tap(webkit, "Bilder")
    wait_for(webkit, "document.querySelectorAll('img.pictogram, img.icon').length === 0")
    measure("question-1-no-pictures", question=True)
    webkit.get(webkit.base_url + f"/r/{len(questions)}")
    webkit.find_element(By.CSS_SELECTOR, ".options .option").click()
    wait_for(webkit, "document.querySelector('h1').textContent.trim() === 'Tack'")
    measure("thanks")
    assert not found, "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in found.items())
