"""Two windows on one interview, in real Chromium: the second save never loses the first's text.

Both windows are pages of one browser context on one server, as two tabs of one
browser are. Window 1 saves a change (or deletes the interview); window 2, still
showing what it loaded, then saves its own typing: the save is refused, what it
typed stays on screen, and it can save its version over the other one (or, when
the interview is gone, save it as a new interview). One at a desktop's width,
the other at a phone's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import duckdb
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from analysis import interviews as iv

from .conftest import database_copy, fill_database, marked_width, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

NOTES = "Dogs in the office; standing desks"


@pytest.fixture
def interview_id(tmp_path) -> int:
    """One stored interview at Northwind, with a question, filled before the server starts."""

    def fill(con) -> int:
        interview = iv.Interview(
            company="Northwind",
            role="Data Engineer",
            interview_date=dt.date(2026, 11, 20),
            stage="technical",
            questions=[iv.Question("Design a rate limiter", "technical", 2)],
        )
        return iv.save_interview(con, interview).id

    return fill_database(tmp_path, fill)


@pytest.fixture
def server(tmp_path, interview_id):
    with running_server(tmp_path) as running:
        yield running


@pytest.fixture
def context(kept_context, request) -> Iterator[BrowserContext]:
    """One browser context (one browser's tabs share it) at the width the test names (``@pytest.mark.width``)."""
    context = kept_context(marked_width(request), 1000)
    yield context
    for window in context.pages:
        window.close()


def open_both(context: BrowserContext, server, interview_id: int) -> tuple[Page, Page]:
    """Two tabs on the interview's edit form, both loaded before either saves."""
    windows = []
    for _ in range(2):
        window = context.new_page()
        open_app(window, server, f"/log?id={interview_id}")
        expect(window.get_by_role("heading", name="Edit interview: Northwind")).to_be_visible()
        windows.append(window)
    return windows[0], windows[1]


def type_into(window: Page, label: str, text: str) -> None:
    field = window.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Tab")  # commit: Streamlit takes a typed value when the field loses focus
    wait_idle(window)


def save(window: Page, label: str) -> None:
    window.get_by_role("button", name=label).click()
    wait_idle(window)


def stored(server, folder, interview_id: int) -> list[tuple]:
    """The interviews stored now, read from a copy of the running server's database."""
    with duckdb.connect(str(database_copy(server, folder)), read_only=True) as con:
        return con.execute("SELECT id, company, culture_notes FROM interviews ORDER BY id").fetchall()


@pytest.mark.width(1400)
def test_second_window_save_is_refused_keeps_the_text_and_can_save_over(
    context, server, interview_id, tmp_path
) -> None:
    first, second = open_both(context, server, interview_id)
    type_into(first, "Company", "Northwind Ltd")
    save(first, "Save changes")
    expect(first.get_by_text(re.compile("^Saved your technical interview with Northwind Ltd"))).to_be_visible()

    type_into(second, "Office and culture", NOTES)
    save(second, "Save changes")
    expect(second.get_by_text(re.compile("Not saved: this interview was changed in another window"))).to_be_visible()
    expect(second.get_by_text("• Company: you opened “Northwind”, stored now “Northwind Ltd”")).to_be_visible()
    expect(second.get_by_label("Office and culture", exact=True)).to_have_value(NOTES)
    expect(second.get_by_label("Company", exact=True)).to_have_value("Northwind")
    assert stored(server, tmp_path, interview_id) == [(interview_id, "Northwind Ltd", None)]

    save(second, "Save mine over it")
    expect(second.get_by_text(re.compile("^Saved your technical interview with Northwind:"))).to_be_visible()
    assert stored(server, tmp_path, interview_id) == [(interview_id, "Northwind", NOTES)]


@pytest.mark.width(390)
def test_save_after_a_delete_in_another_window_keeps_the_text_and_saves_it_as_new(
    context, server, interview_id, tmp_path
) -> None:
    first, second = open_both(context, server, interview_id)
    open_app(first, server, f"/interviews?id={interview_id}")
    first.locator(".st-key-open_delete").get_by_role("button").click()
    first.locator(".st-key-confirm_delete_yes").get_by_role("button").click()
    wait_idle(first)
    expect(first.get_by_text(re.compile("^Deleted the interview with Northwind"))).to_be_visible()

    type_into(second, "Office and culture", NOTES)
    expect(second.get_by_text(re.compile("This interview was deleted in another window"))).to_be_visible()
    save(second, "Save changes")
    expect(second.get_by_label("Office and culture", exact=True)).to_have_value(NOTES)
    expect(second.get_by_label("Company", exact=True)).to_have_value("Northwind")
    assert stored(server, tmp_path, interview_id) == []

    save(second, "Save as a new interview")
    expect(second.get_by_text(re.compile("^Saved your technical interview with Northwind:"))).to_be_visible()
    ((new_id, company, notes),) = stored(server, tmp_path, interview_id)
    assert (company, notes) == ("Northwind", NOTES) and new_id != interview_id
