"""The app and the terminal side by side: the command line uses the file while a tab is open on the app.

The app holds the database file only while a script run needs it and lets go
half a second after; the command line, finding the file held, waits a few
seconds for it. No test sleeps: each command is run once, and its own wait for
the file is the deadline.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analysis import interviews as iv

from .conftest import ROOT, fill_database, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` from the repository, as a user's terminal or a scheduled job runs it."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def due_steps(db: Path) -> set[tuple[str, str]]:
    """(company, step) of every step ``due --json`` lists; fails the test if the command fails."""
    result = cli("due", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return {(step["company"], step["item"]) for step in json.loads(result.stdout)["due"]}


@pytest.fixture
def server(tmp_path):
    """A server on a database with one interview yesterday at Northwind: its follow-up steps are due."""

    def fill(con) -> None:
        interview = iv.Interview(
            company="Northwind",
            role="Data Engineer",
            interview_date=YESTERDAY,
            interview_time=dt.time(10, 0),
            stage="technical",
        )
        iv.save_interview(con, interview)

    fill_database(tmp_path, fill)
    with running_server(tmp_path) as running:
        yield running


def test_due_works_from_the_terminal_while_a_tab_is_open(server, page):
    open_app(page, server)
    expect(page.get_by_text("Northwind").first).to_be_visible()
    assert ("Northwind", "review") in due_steps(server.db_path)
    # The tab still works after the command had the file.
    page.locator("[data-testid=stSidebarNav] a").filter(has_text="Follow-ups").click()
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()


def test_an_import_from_the_terminal_shows_in_the_open_tab_after_one_click(server, page, tmp_path):
    open_app(page, server)
    expect(page.get_by_text("Northwind").first).to_be_visible()
    expect(page.get_by_text("Contoso")).to_have_count(0)
    notes = tmp_path / "notes.csv"
    three_days_ago = dt.date.today() - dt.timedelta(days=3)
    notes.write_text(
        f"company,role,interview_date,stage,question,rating\nContoso,Analyst,{three_days_ago},technical,Why us?,3\n"
    )
    result = cli("import", str(notes), "--db", str(server.db_path))
    assert result.returncode == 0, result.stderr
    # One click (here, the page's own link) and the page shows the import.
    page.locator("[data-testid=stSidebarNav] a").filter(has_text="Home").click()
    expect(page.get_by_text("Contoso").first).to_be_visible()


def test_a_step_done_in_the_app_is_done_for_the_terminal_at_once(server, page):
    open_app(page, server)
    done = page.locator(".st-key-home_done_1_review button").first
    expect(done).to_be_visible()
    assert ("Northwind", "review") in due_steps(server.db_path)
    done.click()
    expect(page.locator(".st-key-home_done_1_review")).to_have_count(0)
    wait_idle(page)
    steps = due_steps(server.db_path)
    assert ("Northwind", "review") not in steps
    assert ("Northwind", "notes") in steps  # only the step ticked
