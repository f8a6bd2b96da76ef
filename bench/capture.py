"""How many interactions logging an interview takes: the card capture against the old grid.

Starts ``streamlit run app.py`` on a fresh database (a free port on 127.0.0.1),
drives headless Chromium (/usr/bin/chromium) through the Log page at 390x844
and at 1400x900, and logs the same interview each time: company and role, six
questions with their ratings, two interviewer reactions, one promise and one
better answer, then Save. Every click and every key press that is not part of
the text itself is counted (text is typed with ``fill``, which counts as none:
the words are the same in any form); the time is from opening the page to the
follow-up checklist Save lands on.

The old grid (``st.data_editor``, removed from the app) is not re-created:
its interactions are computed from the keystroke sequence the old browser test
drove it with (tests/e2e/test_log_interview.py before the capture flow; see
``GRID_STEPS`` below), which is the shortest sequence that worked. Its time is
not measured. Run with ``.venv/bin/python bench/capture.py``; ``--screenshots
DIR`` also saves the filled form at both widths (the README's pictures).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import start_server, wait_idle  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SIZES = {"phone": (390, 844), "desktop": (1400, 900)}

# The interview: (question, rating, reaction, promise, better answer).
QUESTIONS = (
    ("Tell me about yourself.", 4, "positive", None, None),
    ("Why do you want to leave your current job?", 3, None, None, None),
    ("Design a rate limiter for our public API.", 2, "negative", "Send a sketch of the token bucket", None),
    ("How do you handle a disagreement with a manager?", 4, None, None, None),
    ("What is your salary expectation?", 2, None, None, "Give a researched range, then ask about the package."),
    ("Do you have any questions for us?", 5, None, None, None),
)

# The old grid, per question, as tests/e2e/test_log_interview.py drove it:
# Escape (clear the selection), click the trailing row, type, Tab (commit, to
# Category), Tab (to Rating), Enter (open the choice), the digit, Enter.
GRID_STEPS = {
    "question": (1, 6),  # (clicks, keys)
    # From Rating: Tab to Reaction, Enter, a letter to filter, Enter.
    "reaction": (0, 4),
    # From Rating: Tab, Tab to "I said I'd clarify"; typing opens the cell; Tab commits.
    "promise": (0, 3),
    # From Rating: three Tabs to Better answer (off-screen: the grid scrolls); Tab commits.
    "better": (0, 4),
}
# Company and role (a click each) and Save, as on the card page.
GRID_FORM = (3, 0)


@dataclass
class Tally:
    """Clicks and keys beyond the text itself."""

    clicks: int = 0
    keys: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, locator, what: str) -> None:
        locator.click()
        self.clicks += 1
        self.log.append(f"click {what}")

    def press(self, locator, key: str) -> None:
        locator.press(key)
        self.keys += 1
        self.log.append(f"key {key}")


def grid_interactions() -> tuple[int, int]:
    """The old grid's clicks and keys for the same interview, from ``GRID_STEPS``."""
    clicks, keys = GRID_FORM
    for _, _, reaction, promise, better in QUESTIONS:
        for step, present in (("question", True), ("reaction", reaction), ("promise", promise), ("better", better)):
            if present:
                clicks, keys = clicks + GRID_STEPS[step][0], keys + GRID_STEPS[step][1]
    return clicks, keys


RATING_GROUP = "How did your answer go? 1 missed it … 5 nailed it"


def choice(box, group: str, option: str):
    """One of a card's buttons: a segmented control or pills are radio groups named by their label."""
    return box.get_by_role("radiogroup", name=group, exact=True).get_by_role("radio", name=option, exact=True)


def card(page, number: int):
    """The card of question ``number`` (from 1), by its position on the page."""
    return page.locator("[class*='st-key-log_card_']").nth(number - 1)


def log_interview(page, tally: Tally, company: str = "Acme Rockets", *, upto: int | None = None) -> None:
    """Log the benchmark interview on the open Log page (the first ``upto`` questions only, if given)."""
    field = page.get_by_label("Company", exact=True)
    tally.click(field, "company")
    field.fill(company)
    field = page.get_by_label("Role", exact=True)
    tally.click(field, "role")
    field.fill("Data Engineer")
    for number, (question, rating, reaction, promise, better) in enumerate(QUESTIONS[:upto], start=1):
        if number > 1:
            tally.click(page.get_by_role("button", name="Add the next question"), "add the next question")
            wait_idle(page)
        box = card(page, number)
        text = box.get_by_label(f"Question {number}", exact=True)
        tally.click(text, "question")
        text.fill(question)
        # Clicking the rating takes the focus from the question: Streamlit commits the text then.
        tally.click(choice(box, RATING_GROUP, str(rating)), "rating")
        wait_idle(page)
        if reaction:
            tally.click(choice(box, "Their reaction", reaction), "reaction")
            wait_idle(page)
        if promise or better:
            tally.click(box.get_by_text("Promise, better answer, notes"), "open the card's texts")
        for label, words in (("I said I'd clarify…", promise), ("Better answer", better)):
            if words:
                area = box.get_by_label(label, exact=True)
                tally.click(area, label)
                area.fill(words)
                area.blur()  # leaving the field, as the next tap does on a phone
                wait_idle(page)


def save(page, tally: Tally) -> None:
    tally.click(page.get_by_role("button", name="Save interview"), "save")
    page.get_by_role("heading", name="Follow-ups").wait_for()
    wait_idle(page)


# Streamlit scrolls its main area, not the document: look there for anything wider than the screen.
SCROLLS_SIDEWAYS = """
[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMain] *')]
    .some(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden'
               && e.getBoundingClientRect().right > window.innerWidth + 1)
"""


def picture(page, path: Path, width: int) -> None:
    """The top of the filled form: the essentials and the first cards, as a screen that tall shows them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 1700 if width < 640 else 1100})
    page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
    page.wait_for_timeout(300)  # let the resized layout settle
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def run(browser, url: str, size: str, screenshots: Path | None) -> tuple[Tally, float]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}/log")
        page.get_by_role("heading", name="Log interview").wait_for()
        wait_idle(page)
        # Streamlit loads each widget's code on first use: wait until the first card is drawn.
        page.get_by_label("Question 1", exact=True).wait_for()
        tally = Tally()
        log_interview(page, tally, company=f"Acme Rockets ({size})")
        wait_idle(page)
        if page.evaluate(SCROLLS_SIDEWAYS):
            tally.log.append("WARNING: the page scrolls sideways")
        if screenshots:
            picture(page, screenshots / f"capture-{size}.png", width)
        save(page, tally)
        return tally, time.perf_counter() - started
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="save the filled form at both widths here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    grid_clicks, grid_keys = grid_interactions()
    grid_total = grid_clicks + grid_keys
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'form':<22} {'clicks':>7} {'keys':>6} {'total':>6} {'seconds':>8}")
    print(f"{'old grid (computed)':<22} {grid_clicks:>7} {grid_keys:>6} {grid_total:>6} {'n/a':>8}")
    with tempfile.TemporaryDirectory(prefix="debrief-capture-") as folder:
        process, url = start_server(ROOT / "app.py", Path(folder) / "debrief.duckdb", Path(folder))
        ok = True
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for size in SIZES:
                    tally, elapsed = run(browser, url, size, args.screenshots)
                    total = tally.clicks + tally.keys
                    ok &= total * 2 <= grid_total
                    label = f"cards at {SIZES[size][0]}x{SIZES[size][1]}"
                    print(f"{label:<22} {tally.clicks:>7} {tally.keys:>6} {total:>6} {elapsed:>8.1f}")
                    for warning in [line for line in tally.log if line.startswith("WARNING")]:
                        print(f"  {warning}")
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"target: at most half the grid's {grid_total} interactions: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
