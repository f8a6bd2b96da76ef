"""The capture flow in real Chromium, at a phone's width (390x844) and a desktop's (1400x900).

Log a six-question interview card by card and land on its checklist (at both
widths); reload mid-way and continue the draft (both); close the tab and find
the draft (phone); the demo stays on through a reload and a new tab (phone). One server for the module: each test
logs its own company, so the drafts one leaves are told apart by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from .conftest import StreamlitServer, database_copy, marked_width, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

SIZES = {"phone": (390, 844), "desktop": (1400, 900)}
RATING_GROUP = "How did your answer go? 1 missed it … 5 nailed it"
# (question, rating, reaction, promise, better answer): ratings, two reactions, one promise, one better answer.
QUESTIONS = (
    ("Tell me about yourself.", 4, "positive", None, None),
    ("Why do you want to leave\nyour current job?", 3, None, None, None),
    ("Design a rate limiter.", 2, "negative", "Send the token-bucket sketch", None),
    ("A disagreement with a manager?", 4, None, None, None),
    ("Your salary expectation?", 2, None, None, "A researched range, then the package."),
    ("Any questions for us?", 5, None, None, None),
)


@pytest.fixture(scope="module")
def capture_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    with running_server(tmp_path_factory.mktemp("capture")) as running:
        yield running


@pytest.fixture
def context(kept_context, request) -> Iterator[BrowserContext]:
    """A browser context at the test's ``@pytest.mark.width``: a phone's (390x844) or a desktop's (1400x900)."""
    width, height = next(size for size in SIZES.values() if size[0] == marked_width(request))
    context = kept_context(width, height)
    yield context
    for opened in context.pages:
        opened.close()


def card(page: Page, number: int) -> Locator:
    return page.locator("[class*='st-key-log_card_']").nth(number - 1)


def choose(box: Locator, group: str, option: str) -> None:
    """Tap one of a card's buttons (a segmented control and pills are radio groups named by their label)."""
    box.get_by_role("radiogroup", name=group, exact=True).get_by_role("radio", name=option, exact=True).click()


def open_log(page: Page, server: StreamlitServer, path: str = "/log") -> None:
    open_app(page, server, path)
    expect(page.get_by_label("Question 1", exact=True)).to_be_visible()


def type_into(field: Locator, text: str) -> None:
    field.fill(text)
    field.blur()  # Streamlit takes a typed value when the field loses focus, as the next tap does


def log_questions(page: Page, company: str, questions=QUESTIONS) -> None:
    type_into(page.get_by_label("Company", exact=True), company)
    wait_idle(page)
    for number, (question, rating, reaction, promise, better) in enumerate(questions, start=1):
        if number > 1:
            page.get_by_role("button", name="Add the next question").click()
            wait_idle(page)
        box = card(page, number)
        if number > 1:  # the cursor is already in the new card's question: the thumb types on
            expect(box.get_by_label(f"Question {number}", exact=True)).to_be_focused()
        type_into(box.get_by_label(f"Question {number}", exact=True), question)
        choose(box, RATING_GROUP, str(rating))
        wait_idle(page)
        if reaction:
            choose(box, "Their reaction", reaction)
            wait_idle(page)
        if promise or better:
            box.get_by_text("Promise, better answer, notes").click()
        for label, words in (("I said I'd clarify…", promise), ("Better answer", better)):
            if words:
                type_into(box.get_by_label(label, exact=True), words)
                wait_idle(page)
    # The page says what its stored draft holds: once it counts every answer, a closed tab loses nothing.
    n = len(questions)
    kept = f"Kept as a draft: {company}, {n} question{'s' * (n != 1)}, {n} rated."
    expect(page.get_by_text(kept, exact=True)).to_be_visible()


def stored(server: StreamlitServer, folder, company: str) -> list[tuple]:
    with duckdb.connect(str(database_copy(server, folder)), read_only=True) as con:
        return con.execute(
            "SELECT q.question, q.rating, q.reaction, q.clarify, q.better_answer FROM questions q "
            "JOIN interviews i ON i.id = q.interview_id WHERE i.company = ? ORDER BY q.position",
            [company],
        ).fetchall()


def no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate(
        """[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMain] *')]
           .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden'
                        && e.getBoundingClientRect().right > window.innerWidth + 1).length"""
    )
    assert wide == 0, "something on the Log page scrolls sideways"


BOTH_WIDTHS = pytest.mark.parametrize(
    "size", [pytest.param(name, marks=pytest.mark.width(width), id=name) for name, (width, _) in SIZES.items()]
)


@BOTH_WIDTHS
def test_log_a_six_question_interview_and_land_on_its_checklist(size, context, capture_server, tmp_path) -> None:
    page = context.new_page()
    company = f"Acme {page.viewport_size['width']}"
    open_log(page, capture_server)
    log_questions(page, company)
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save interview").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()
    expect(page.get_by_text(f"Saved your interview with {company}: 6 questions, 6 rated.")).to_be_visible()
    # The next due step is in view, and nothing is overdue the moment the interview is logged.
    expect(page.get_by_text(re.compile(r"^Next: 1\. Follow-up plan, due"))).to_be_visible()
    expect(page.locator(".stMarkdownBadge", has_text="overdue")).to_have_count(0)
    assert re.search(r"/followups\?id=\d+", page.url)
    assert stored(capture_server, tmp_path, company) == [(q, r, re_, p, b) for q, r, re_, p, b in QUESTIONS]


@BOTH_WIDTHS
def test_a_reload_mid_way_offers_the_draft_back_and_it_continues(size, context, capture_server, tmp_path) -> None:
    page = context.new_page()
    company = f"Globex {page.viewport_size['width']}"
    open_log(page, capture_server)
    log_questions(page, company, QUESTIONS[:2])
    page.reload()
    offer = page.get_by_role("button", name=re.compile(rf"^Continue your debrief of {company}, started \d\d:\d\d$"))
    expect(offer).to_be_visible()
    offer.click()
    wait_idle(page)
    expect(page.get_by_label("Company", exact=True)).to_have_value(company)
    expect(card(page, 2).get_by_label("Question 2", exact=True)).to_have_value(QUESTIONS[1][0])
    page.get_by_role("button", name="Add the next question").click()
    wait_idle(page)
    type_into(card(page, 3).get_by_label("Question 3", exact=True), "One more?")
    wait_idle(page)
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()
    questions = [row[0] for row in stored(capture_server, tmp_path, company)]
    assert questions == [QUESTIONS[0][0], QUESTIONS[1][0], "One more?"]


@pytest.mark.width(390)
def test_a_pause_in_typing_keeps_the_draft_without_leaving_the_field(context, capture_server) -> None:
    page = context.new_page()
    open_log(page, capture_server)
    company = page.get_by_label("Company", exact=True)
    company.click()
    company.press_sequentially("Hooli")  # keys, as a thumb types them; the field never loses focus
    expect(page.get_by_text("Kept as a draft: Hooli, no questions yet.", exact=True)).to_be_visible()
    expect(company).to_be_focused()
    question = card(page, 1).get_by_label("Question 1", exact=True)
    question.click()
    question.press_sequentially("Why here?")
    page.keyboard.press("Enter")  # a new line in a text area, not a save
    question.press_sequentially("And why now?")
    expect(page.get_by_text("Kept as a draft: Hooli, 1 question.", exact=True)).to_be_visible()
    expect(question).to_be_focused()
    expect(question).to_have_value("Why here?\nAnd why now?")
    page.close()
    later = context.new_page()
    open_log(later, capture_server)
    later.get_by_role("button", name=re.compile(r"^Continue your debrief of Hooli, started")).click()
    wait_idle(later)
    expect(card(later, 1).get_by_label("Question 1", exact=True)).to_have_value("Why here?\nAnd why now?")


def test_a_closed_tab_leaves_its_draft_for_the_next_visit(browser: Browser, capture_server) -> None:
    first = browser.new_context(viewport={"width": 390, "height": 844})
    page = first.new_page()
    open_log(page, capture_server)
    log_questions(page, "Initech", QUESTIONS[:1])
    page.close()
    first.close()
    later = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = later.new_page()
        open_log(page, capture_server)
        offer = page.get_by_role("button", name=re.compile(r"^Continue your debrief of Initech, started"))
        expect(offer).to_be_visible()
        offer.click()
        wait_idle(page)
        expect(card(page, 1).get_by_label("Question 1", exact=True)).to_have_value(QUESTIONS[0][0])
        page.locator("[class*='st-key-log_new'][class*='_discard']").get_by_role("button").click()
        wait_idle(page)
        expect(page.get_by_label("Company", exact=True)).to_have_value("")
        page.reload()
        expect(page.get_by_label("Question 1", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name=re.compile(r"^Continue your debrief of Initech"))).to_have_count(0)
    finally:
        later.close()


def test_the_demo_survives_a_reload_and_a_new_tab(browser: Browser, capture_server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        open_app(page, capture_server, "/interviews")
        page.get_by_test_id("stSidebarCollapsedControl").or_(page.get_by_test_id("stExpandSidebarButton")).click()
        page.get_by_test_id("stSidebar").get_by_role("button", name="Explore demo data").click()
        wait_idle(page)
        demo_note = page.get_by_test_id("stSidebar").get_by_text("Demo data.")
        expect(demo_note).to_be_attached()
        expect(page).to_have_url(re.compile(r"[?&]demo=1"))
        page.reload()
        wait_idle(page)
        expect(page.get_by_test_id("stSidebar").get_by_text("Demo data.")).to_be_attached()
        other = context.new_page()
        open_app(other, capture_server, "/" + page.url.split("/", 3)[3])
        expect(other.get_by_test_id("stSidebar").get_by_text("Demo data.")).to_be_attached()
    finally:
        context.close()
