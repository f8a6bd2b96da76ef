"""The app in real Chromium: log an interview and find it again, hostile text,
invalid input, a bookmark to /log on a fresh server, and the demo data.

st.data_editor and st.dataframe draw on a canvas (Glide Data Grid). Glide
mirrors the cells in view into an accessible ``<table role=grid>`` inside the
canvas, with ``aria-selected`` on the selected cell and keyboard focus on its
``<td>``: the tests read cells and wait for the grid's state there, and only
clicks land on the canvas (at row positions: every row is 35 px high).
"""

from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import Locator, Page, expect

from analysis.vocab import rating_label

from .conftest import open_app, wait_idle

pytestmark = pytest.mark.e2e

# Glide Data Grid geometry used by st.data_editor / st.dataframe (pixels).
ROW_HEIGHT = 35
ROW_MARKER_WIDTH = 30

# Columns of the questions editor (0 is the row marker).
QUESTION, CATEGORY, RATING = 1, 2, 3

XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2">'


def sidebar_link(page: Page, name: str) -> Locator:
    return page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True)


def go_to(page: Page, name: str) -> None:
    sidebar_link(page, name).click()
    wait_idle(page)


def grid_cell(grid: Locator, column: int, row: int) -> Locator:
    """Cell (``column``, ``row``) of a canvas grid, through the grid's accessible table.

    Glide Data Grid mirrors the visible cells into a ``<table role=grid>`` inside
    its canvas; column 0 is the row-marker column when the grid has one.
    """
    return grid.get_by_test_id(f"glide-cell-{column}-{row}")


def questions_editor(page: Page) -> Locator:
    editor = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Rating$")))
    expect(editor.get_by_test_id("data-grid-canvas")).to_be_visible()
    return editor


def interviews_table(page: Page) -> Locator:
    """The list of interviews on the Interviews page.

    Only columns in view are in a grid's accessible table: find it by a column
    near its left edge.
    """
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Company$")))
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    return table


def cell_overlay(page: Page) -> Locator:
    """The open cell editor of a data editor (Glide renders it in a portal)."""
    return page.get_by_test_id("portal").locator(".gdg-clip-region")


def add_question(page: Page, editor: Locator, row: int, question: str, rating: int) -> None:
    """Type ``question`` into the empty trailing row (``row`` questions are above it) and rate it."""
    # With a cell still selected, the cell editor that clicking the trailing row
    # opens would commit and then move from that old selection: clear it first.
    editor.get_by_test_id("data-grid-canvas").press("Escape")
    expect(editor.locator("td[aria-selected=true]")).to_have_count(0)

    # Clicking the trailing row appends a row and opens its Question cell's editor.
    editor.click(position={"x": ROW_MARKER_WIDTH + 100, "y": ROW_HEIGHT * (row + 1) + ROW_HEIGHT // 2})
    expect(grid_cell(editor, QUESTION, row)).to_have_attribute("aria-selected", "true")
    text_input = cell_overlay(page).locator("textarea")
    expect(text_input).to_be_focused()
    text_input.fill(question)
    text_input.press("Tab")  # commit; the selection moves right, to Category
    expect(grid_cell(editor, QUESTION, row)).to_have_text(question)

    # The grid moves its selection, and the keyboard focus with it, to the
    # next cell's accessible <td>: wait for that before pressing more keys.
    category = grid_cell(editor, CATEGORY, row)
    expect(category).to_have_attribute("aria-selected", "true")
    expect(category).to_be_focused()
    category.press("Tab")
    rating_cell = grid_cell(editor, RATING, row)
    expect(rating_cell).to_have_attribute("aria-selected", "true")
    expect(rating_cell).to_be_focused()

    # Enter opens the Rating selectbox; typing the number leaves one option, Enter picks it.
    rating_cell.press("Enter")
    choice = cell_overlay(page).get_by_role("combobox")
    expect(choice).to_be_focused()
    choice.press_sequentially(str(rating))
    expect(page.get_by_role("option")).to_have_text([rating_label(rating)])
    choice.press("Enter")
    expect(rating_cell).to_have_text(str(rating))
    expect(cell_overlay(page)).to_have_count(0)
    wait_idle(page)


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

    editor = questions_editor(page)
    add_question(page, editor, 0, "Tell me about yourself", 4)
    add_question(page, editor, 1, "Design a rate limiter", 2)

    page.get_by_role("button", name="Save interview").click()
    wait_idle(page)
    saved = page.get_by_text("Saved your")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text("Acme Rockets: 2 questions, 2 rated.")

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
    expect(saved).to_contain_text(f"with {XSS}: 0 questions, 0 rated.")
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
