"""The story bank in real Chromium (the capture and the brief at a desktop's width, the writing at a phone's):
an answer logged on the Log page tells a story at Northwind, so the brief for the next Northwind round warns
that Ana Ruiz already heard it; and a story written on the Stories page shows in its record.

Both start from a database holding the story "Kafka migration" and the coming Northwind round, written
through ``analysis`` before the server starts (DuckDB lets one process hold the file). The earlier round
that told the story is logged through the Log page, its card's "Story you told" linking the answer to the
story, so that test writes: it gets a server of its own. The Stories-page test shares the module's server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from analysis import interviews as iv
from analysis import stories

from .conftest import PAGE_ERRORS, StreamlitServer, fill_database, marked_width, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

WARNING = "Ana Ruiz at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)"
QUESTION = "Tell me about a migration you led"
RATING_GROUP = "How did your answer go? 1 missed it … 5 nailed it"


def _story_and_next_round(con) -> None:
    """The story, and tomorrow's final round at Northwind with Ana Ruiz; no round has told the story yet."""
    iv.save_interview(
        con,
        iv.Interview(
            company="Northwind",
            role="Data Engineer",
            interview_date=dt.date.today() + dt.timedelta(days=1),
            stage="final",
            interviewers=[iv.Interviewer("Ana Ruiz")],
        ),
    )
    stories.save_story(con, stories.Story("Kafka migration", action="Moved 40 topics", competencies=["technical"]))


@pytest.fixture(scope="module")
def story_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    """One server for the module's tests that leave the story and the coming round as they are."""
    folder = tmp_path_factory.mktemp("stories")
    fill_database(folder, _story_and_next_round)
    with running_server(folder) as server:
        yield server


@pytest.fixture
def own_story_server(tmp_path) -> Iterator[StreamlitServer]:
    """A server of the test's own, on the same start: for a test that logs an interview."""
    fill_database(tmp_path, _story_and_next_round)
    with running_server(tmp_path) as server:
        yield server


@pytest.fixture
def sized_page(kept_context, request) -> Iterator[Page]:
    """A new page in the module's kept browser context at the test's ``@pytest.mark.width``."""
    page = kept_context(marked_width(request), 900).new_page()
    errors = request.node.stash.setdefault(PAGE_ERRORS, [])
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()


def _no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"


# The Log page's cards driven as tests/e2e/test_capture.py drives them.
def _card(page: Page, number: int) -> Locator:
    return page.locator("[class*='st-key-log_card_']").nth(number - 1)


def _choose(box: Locator, group: str, option: str) -> None:
    """Tap one of a card's buttons (a segmented control and pills are radio groups named by their label)."""
    box.get_by_role("radiogroup", name=group, exact=True).get_by_role("radio", name=option, exact=True).click()


def _type_into(field: Locator, text: str) -> None:
    field.fill(text)
    field.blur()  # Streamlit takes a typed value when the field loses focus, as the next tap does


def _pick(page: Page, within: Locator, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox or multiselect labelled ``label`` by typing it, and wait for the run."""
    box = within.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def _open_details(box: Locator, label: str) -> None:
    """Open a card's expander and wait until it has grown to its full height.

    While it grows, the expander clips and scrolls its content: a list opened in it then
    closes again and the text typed into it is dropped.
    """
    expander = box.get_by_test_id("stExpander").filter(has_text=label)
    expander.get_by_text(label, exact=True).click()
    details = expander.locator("details")
    expect(details).to_have_attribute("open", "")
    expect(details).to_have_css("overflow", "visible")


def _log_the_round_that_told_the_story(page: Page) -> None:
    """Northwind, Data Engineer, 12 Mar 2026, technical, Ana Ruiz: an answer rated 4 that told "Kafka migration"."""
    _type_into(page.get_by_label("Company", exact=True), "Northwind")
    _type_into(page.get_by_label("Role", exact=True), "Data Engineer")
    wait_idle(page)
    expect(page.get_by_text("Kept as a draft: Northwind, no questions yet.", exact=True)).to_be_visible()
    # The date field is a group of year, month and day segments: type into the first, it moves on by itself.
    date = page.get_by_label("Date", exact=True)
    date.get_by_role("spinbutton").first.click()
    page.keyboard.type("20260312")
    expect(date.get_by_role("spinbutton")).to_have_text(["2026", "03", "12"])
    _pick(page, page.get_by_test_id("stMain"), "Stage", "technical")
    expect(page.get_by_role("combobox", name="Stage", exact=True)).to_have_value("technical")
    _type_into(page.locator("[class*='st-key-log_person_']").first.get_by_label("Name", exact=True), "Ana Ruiz")
    wait_idle(page)

    box = _card(page, 1)
    _type_into(box.get_by_label("Question 1", exact=True), QUESTION)
    wait_idle(page)
    _choose(box, "Category", "technical")
    wait_idle(page)
    expect(box.get_by_role("radio", name="technical", exact=True)).to_be_checked()
    _choose(box, RATING_GROUP, "4")
    wait_idle(page)
    expect(box.get_by_role("radio", name="4", exact=True)).to_be_checked()
    # The stored draft counts the rating: the runs have taken everything typed and tapped so far.
    expect(page.get_by_text("Kept as a draft: Northwind, 1 question, 1 rated.", exact=True)).to_be_visible()

    _open_details(box, "Promise, better answer, notes")
    _pick(page, box, "Story you told", "Kafka migration")
    stories_field = box.get_by_test_id("stMultiSelect")
    expect(stories_field).to_contain_text("Kafka migration")
    # A multiselect's list stays open for the next pick, hiding the rest of the page from the
    # accessibility tree (the Save button among it): close it, as a tap elsewhere would.
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(stories_field).to_contain_text("Kafka migration")


@pytest.mark.width(1400)
def test_a_story_linked_on_the_log_page_is_in_the_next_brief(sized_page: Page, own_story_server) -> None:
    page = sized_page
    open_app(page, own_story_server, "/log")
    expect(page.get_by_label("Question 1", exact=True)).to_be_visible()
    _log_the_round_that_told_the_story(page)
    _no_sideways_scrolling(page)
    page.get_by_role("button", name="Save interview").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()
    expect(page.get_by_text("Saved your technical interview with Northwind: 1 question, 1 rated.")).to_be_visible()

    open_app(page, own_story_server, "/prepare")
    expect(page.get_by_role("heading", name="Your stories")).to_be_visible()
    warning = page.get_by_test_id("stAlertContentWarning").filter(has_text=WARNING)
    expect(warning).to_contain_text("on this round's panel again")
    suggestion = page.get_by_text("technical: tell 'Kafka migration'")
    expect(suggestion).to_be_visible()
    _no_sideways_scrolling(page)


@pytest.mark.width(390)
def test_a_story_written_on_the_stories_page_joins_the_record(sized_page: Page, story_server) -> None:
    width = sized_page.viewport_size["width"]
    title = f"Hiring loop at {width}px"
    open_app(sized_page, story_server, "/stories")
    expect(sized_page.get_by_role("heading", name="Stories", exact=True)).to_be_visible()
    sized_page.get_by_role("textbox", name="Title", exact=True).fill(title)
    sized_page.get_by_role("textbox", name="Action", exact=True).fill("Rebuilt the interview loop")
    sized_page.get_by_role("button", name="Save story").click()
    wait_idle(sized_page)
    expect(sized_page.get_by_text(f"Saved “{title}”.")).to_be_visible()
    _no_sideways_scrolling(sized_page)
