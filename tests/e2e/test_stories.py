"""The story bank in real Chromium (the brief at a desktop's width, the writing at a phone's): an answer told a story at
Northwind, so the brief for the next Northwind round warns that Ana Ruiz already heard it;
and a story written on the Stories page shows in its record.

The answer is linked to the story through ``analysis.stories`` while the module's database
is prepared (DuckDB lets one process hold the file, so that happens before the one server
starts); linking from the capture page is tested with that page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from analysis import interviews as iv
from analysis import stories

from .conftest import PAGE_ERRORS, StreamlitServer, fill_database, marked_width, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

WARNING = "Ana Ruiz at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)"


def _history(con) -> None:
    earlier = iv.save_interview(
        con,
        iv.Interview(
            company="Northwind",
            role="Data Engineer",
            interview_date=dt.date(2026, 3, 12),
            stage="technical",
            outcome="advanced",
            interviewers=[iv.Interviewer("Ana Ruiz", "Engineering Manager")],
            questions=[iv.Question("Tell me about a migration you led", "technical", 4)],
        ),
    )
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
    kafka = stories.save_story(
        con, stories.Story("Kafka migration", action="Moved 40 topics", competencies=["technical"])
    )
    stories.link_answer(con, earlier.questions[0].id, kafka.id)


@pytest.fixture(scope="module")
def story_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    """One server for the module, on a history with one story told at Northwind."""
    folder = tmp_path_factory.mktemp("stories")
    fill_database(folder, _history)
    with running_server(folder) as server:
        yield server


@pytest.fixture
def sized_page(browser: Browser, request) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": marked_width(request), "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        errors = request.node.stash.setdefault(PAGE_ERRORS, [])
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
    finally:
        context.close()


def _no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"


@pytest.mark.width(1400)
def test_the_next_brief_warns_who_already_heard_the_story(sized_page: Page, story_server) -> None:
    open_app(sized_page, story_server, "/prepare")
    expect(sized_page.get_by_role("heading", name="Your stories")).to_be_visible()
    warning = sized_page.get_by_test_id("stAlertContentWarning").filter(has_text=WARNING)
    expect(warning).to_contain_text("on this round's panel again")
    suggestion = sized_page.get_by_text("technical: tell 'Kafka migration'")
    expect(suggestion).to_be_visible()
    _no_sideways_scrolling(sized_page)


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
