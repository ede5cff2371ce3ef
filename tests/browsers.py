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


def axe_violations(axe, page) -> list[str]:
    """The ids of axe-core's violations on the page, with how many elements each concerns."""
    results = axe.run(page, options=AXE_OPTIONS)
    return [f"{v['id']} ({len(v['nodes'])})" for v in results.response["violations"]]


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


# Where a person's screen can go wrong that axe-core cannot see. Controls are what a finger or a switch
# reaches; a control's words and pictures must lie inside it, and no two controls may share a pixel.
LAYOUT_JS = """(question) => {
    const problems = [];
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    const name = el => (el.innerText || el.getAttribute('aria-label') || el.tagName).trim().replace(/\\s+/g, ' ');
    const shown = el => {
        const box = el.getBoundingClientRect(), style = getComputedStyle(el);
        return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && !el.closest('.visually-hidden');
    };
    if (document.documentElement.scrollWidth > vw)
        problems.push(`page is ${document.documentElement.scrollWidth} px wide in a ${vw} px viewport`);
    const selector = 'button, a[href], input:not([type=hidden]), textarea, select, summary, label.option';
    const controls = [...document.querySelectorAll(selector)]
        .filter(el => shown(el) && !(el.tagName === 'INPUT' && el.closest('label.option')));
    const boxes = controls.map(el => el.getBoundingClientRect());
    controls.forEach((el, i) => {
        const box = boxes[i];
        if (box.width < 64 || box.height < 64)
            problems.push(`"${name(el)}" is ${Math.round(box.width)}x${Math.round(box.height)} px`);
        if (box.left < -0.5 || box.right > vw + 0.5) problems.push(`"${name(el)}" sticks out of the viewport`);
        for (const part of [el, ...el.querySelectorAll('*')]) {
            if (!shown(part)) continue;
            const cut = part.scrollWidth > part.clientWidth + 1 || part.scrollHeight > part.clientHeight + 1;
            if (part.clientWidth > 0 && cut)
                problems.push(`"${name(el)}" has clipped or overflowing words`);
            const inner = part.getBoundingClientRect();
            if (part !== el && (inner.left < box.left - 0.5 || inner.right > box.right + 0.5
                                || inner.top < box.top - 0.5 || inner.bottom > box.bottom + 0.5))
                problems.push(`"${name(el)}": its ${part.tagName.toLowerCase()} lies outside it`);
        }
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.textContent.matchAll(/[^\\s\\/]+\\/?/g)) {
                const piece = document.createRange();
                piece.setStart(node, word.index);
                piece.setEnd(node, word.index + word[0].length);
                const lines = new Set([...piece.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) problems.push(`"${name(el)}": the word "${word[0]}" is broken over two lines`);
            }
        }
        const range = document.createRange();
        range.selectNodeContents(el);
        const text = range.getBoundingClientRect();
        if (text.width && (text.left < box.left - 0.5 || text.right > box.right + 0.5))
            problems.push(`"${name(el)}": its words run outside it`);
        for (let j = i + 1; j < controls.length; j++) {
            const other = boxes[j];
            if (el.contains(controls[j]) || controls[j].contains(el)) continue;
            const w = Math.min(box.right, other.right) - Math.max(box.left, other.left);
            const h = Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top);
            if (w > 0.5 && h > 0.5) problems.push(`"${name(el)}" overlaps "${name(controls[j])}"`);
        }
    });
    if (question) {
        const first = document.querySelector('.options .option, .choices .choice, textarea');
        const heading = document.querySelector('h1');
        if (!first) problems.push('no answer on the page');
        // an answer button wholly; a text field by its first 64 px (it grows as one writes)
        const box = first ? first.getBoundingClientRect() : {top: 0, bottom: 0};
        const field = first && first.tagName === 'TEXTAREA';
        const bottom = Math.round(field ? Math.min(box.bottom, box.top + 64) : box.bottom);
        if (bottom > vh) problems.push(`first answer ends at ${bottom} px in a ${vh} px window`);
        if (heading && heading.getBoundingClientRect().top < -0.5) problems.push('the question is above the window');
    }
    return [...new Set(problems)];
}"""


def layout_problems(page, question: bool = False) -> list[str]:
    """What a person would find wrong with the page's layout: sideways scroll, overlap, clipping, small
    targets and, on a question, no answer in sight when the page opens."""
    page.evaluate("() => window.scrollTo(0, 0)")
    return page.evaluate(LAYOUT_JS, question)



X_SOCKETS = Path("/tmp/.X11-unix")  # noqa: S108 -- where every X server on this machine listens


def free_display() -> int:
    """A display number no X server on this machine uses."""
    return next(n for n in range(90, 200)
                if not (X_SOCKETS / f"X{n}").exists() and not (X_SOCKETS.parent / f".X{n}-lock").exists())


MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
