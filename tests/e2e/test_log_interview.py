"""The app in real Chromium: log an interview and find it again, hostile text,
invalid input, a bookmark to /log on a fresh server, and the demo data.

The Log page is a card per question (tests/e2e/test_capture.py drives it at
both widths). st.dataframe draws on a canvas (Glide Data Grid). Glide mirrors
the cells in view into an accessible ``<table role=grid>`` inside the canvas:
the tests read cells there, and only clicks land on the canvas (at row
positions: every row is 35 px high).
"""

from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import open_app, wait_idle

pytestmark = pytest.mark.e2e

# Glide Data Grid geometry used by st.dataframe (pixels).
ROW_HEIGHT = 35
ROW_MARKER_WIDTH = 30

XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2">'


def sidebar_link(page: Page, name: str) -> Locator:
    return page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True)


def go_to(page: Page, name: str) -> None:
    sidebar_link(page, name).click()
    wait_idle(page)


def interviews_table(page: Page) -> Locator:
    """The list of interviews on the Interviews page.

    Only columns in view are in a grid's accessible table: find it by a column
    near its left edge.
    """
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Company$")))
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    return table


def add_question(page: Page, number: int, question: str, rating: int) -> None:
    """Type question ``number`` on its card (adding the card after the first) and tap its rating."""
    if number > 1:
        page.get_by_role("button", name="Add the next question").click()
        wait_idle(page)
    card = page.locator("[class*='st-key-log_card_']").nth(number - 1)
    text = card.get_by_label(f"Question {number}", exact=True)
    text.fill(question)
    text.blur()
    card.get_by_role("radio", name=str(rating), exact=True).click()
    wait_idle(page)
    expect(card.get_by_role("radio", name=str(rating), exact=True)).to_be_checked()


def test_log_interview_with_two_questions(page: Page, server) -> None:
    """Company, role and two rated questions typed in the Log page are listed and open on Interviews."""
    open_app(page, server)
    go_to(page, "Log interview")
    expect(page.get_by_role("heading", name="Log interview")).to_be_visible()

    company = page.get_by_label("Company", exact=True)
    expect(company).to_be_visible()
    company.fill("Acme Rockets")
    company.press("Tab")
    page.get_by_label("Role", exact=True).fill("Data Engineer")
    page.get_by_label("Role", exact=True).press("Tab")

    add_question(page, 1, "Tell me about yourself", 4)
    add_question(page, 2, "Design a rate limiter", 2)

    page.get_by_role("button", name="Save interview").click()
    wait_idle(page)
    saved = page.get_by_text("Saved your")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text("Acme Rockets: 2 questions, 2 rated.")
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()

    go_to(page, "Interviews")
    expect(page.get_by_role("heading", name="Interviews", exact=True)).to_be_visible()
    listing = interviews_table(page)
    expect(listing.locator("td", has_text="Acme Rockets")).to_have_count(1)

    # Open it: tick the row's checkbox in the row-marker column.
    listing.click(position={"x": ROW_MARKER_WIDTH // 2, "y": ROW_HEIGHT + ROW_HEIGHT // 2})
    wait_idle(page)
    expect(page.get_by_role("heading", name="Acme Rockets · Data Engineer")).to_be_visible()
    questions = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Question$")))
    expect(questions.get_by_test_id("data-grid-canvas")).to_be_visible()
    expect(questions.locator("td", has_text="Tell me about yourself")).to_have_count(1)
    expect(questions.locator("td", has_text="Design a rate limiter")).to_have_count(1)
    expect(questions.locator("td", has_text="4 – good")).to_have_count(1)
    expect(questions.locator("td", has_text="2 – weak")).to_have_count(1)


def expect_no_injected_markup(page: Page) -> None:
    assert page.evaluate("window.__xss") is None
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("script", has_text="window.__xss")).to_have_count(0)


def test_markup_in_company_and_notes_shows_as_typed_and_runs_nothing(page: Page, server) -> None:
    """HTML in the company name and the notes is shown as text, never run or rendered."""
    open_app(page, server)
    go_to(page, "Log interview")
    company = page.get_by_label("Company", exact=True)
    expect(company).to_be_visible()
    company.fill(XSS)
    company.press("Tab")
    notes = page.get_by_label("The company", exact=True)
    expect(notes).to_be_visible()
    notes.fill(f"Careful: {XSS}")
    notes.press("Tab")

    page.get_by_role("button", name="Save interview").click()
    wait_idle(page)
    saved = page.get_by_text("Saved your")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text(f"with {XSS}.")
    expect_no_injected_markup(page)

    go_to(page, "Interviews")
    listing = interviews_table(page)
    expect(listing.locator("td", has_text=XSS)).to_have_count(1)
    listing.click(position={"x": ROW_MARKER_WIDTH // 2, "y": ROW_HEIGHT + ROW_HEIGHT // 2})
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"{XSS} · role not noted")).to_be_visible()
    expect(page.get_by_text(f"Careful: {XSS}", exact=True)).to_be_visible()
    expect_no_injected_markup(page)


def test_save_without_company_shows_the_problem_and_writes_nothing(page: Page, server) -> None:
    """Saving without a company names the problem, and nothing reaches the database."""
    open_app(page, server)
    go_to(page, "Log interview")
    save = page.get_by_role("button", name="Save interview")
    expect(save).to_be_visible()
    save.click()
    wait_idle(page)
    expect(page.get_by_text("Company is required: which company was the interview with?")).to_be_visible()
    expect(page.get_by_text("Nothing was saved: fix the 1 problem marked above.")).to_be_visible()
    expect(page.get_by_text("Saved your")).to_have_count(0)

    go_to(page, "Interviews")
    expect(page.get_by_text("No interviews yet.")).to_be_visible()

    server.stop()
    # Stopped cleanly: the shared connection was closed while the interpreter was whole.
    assert "leaked" not in server.output(), server.output()
    with duckdb.connect(str(server.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM interviews").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM questions").fetchone() == (0,)


def test_bookmark_to_log_on_a_fresh_server_gets_the_app_navigation(page: Page, server) -> None:
    """A first request to /log runs through app.py (the workaround in ui.cursor), not legacy pages/ mode."""
    # The server is fresh: this is the first script run of its process.
    open_app(page, server, "/log")
    sidebar = page.get_by_test_id("stSidebar")
    for name in ("Home", "Log interview", "Interviews"):
        expect(sidebar_link(page, name)).to_be_visible()
    expect(sidebar.get_by_text("Database:")).to_be_visible()
    expect(sidebar).to_contain_text(str(server.db_path))
    expect(page.get_by_role("heading", name="Log interview")).to_be_visible()
    # Not Streamlit's legacy pages/ navigation, whose links are named after the files.
    for name in ("app", "log", "home", "interviews"):
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    assert page.url == f"{server.url}/log"


def test_demo_opens_beside_the_empty_database_and_back(page: Page, server) -> None:
    """The demo fills its own file and shows the metrics; Back to my data returns to the empty home page."""
    open_app(page, server)
    expect(page.get_by_role("heading", name="Explore demo data")).to_be_visible()
    page.get_by_role("button", name="Open the demo").click()
    wait_idle(page)

    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Demo data.")).to_be_visible()
    expect(sidebar).to_contain_text(str(server.db_path.with_name("debrief-demo.duckdb")))
    interviews = page.get_by_test_id("stMetric").filter(has_text="Interviews").get_by_test_id("stMetricValue")
    expect(interviews).to_have_text(re.compile(r"^[1-9][0-9,]*$"))
    demo_interviews = int(interviews.inner_text().replace(",", ""))
    expect(page.get_by_test_id("stMetric").filter(has_text="Questions logged")).to_be_visible()
    expect(page.get_by_role("heading", name="Explore demo data")).to_have_count(0)

    page.get_by_role("button", name="Back to my data").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Explore demo data")).to_be_visible()
    expect(sidebar.get_by_text("Demo data.")).to_have_count(0)
    expect(sidebar).to_contain_text(str(server.db_path))
    expect(page.get_by_test_id("stMetric")).to_have_count(0)

    # The user's own file holds no interviews; the demo went to its own file.
    server.stop()
    with duckdb.connect(str(server.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM interviews").fetchone() == (0,)
    with duckdb.connect(str(server.db_path.with_name("debrief-demo.duckdb")), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM interviews").fetchone() == (demo_interviews,)
