"""Follow-ups in real Chromium: tick a step and watch it leave "Due now".

The interview took place 50 hours ago and was logged just now, so its checklist
is live and every one of its six steps is overdue (the latest are due 48 hours
after the interview's end, an hour after it began).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from analysis import followups
from analysis import interviews as iv

from .conftest import fill_database, marked_width, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

COMPANY = "Acme Rockets"
STEPS = [item.title for item in followups.ITEMS]


@pytest.fixture
def interview_id(tmp_path) -> int:
    """An interview that began 50 hours ago (local time) and was logged then, with no follow-up done."""

    def fill(con) -> int:
        began = (dt.datetime.now() - dt.timedelta(hours=50)).replace(second=0, microsecond=0)
        saved = iv.save_interview(
            con,
            iv.Interview(
                company=COMPANY,
                role="Data Engineer",
                stage="technical",
                interview_date=began.date(),
                interview_time=began.time(),
            ),
        )
        con.execute("UPDATE interviews SET created_at = ? WHERE id = ?", [began, saved.id])
        due = followups.due_now(con)
        assert due["title"].tolist() and set(due["title"]) == set(STEPS)  # the premise of these tests
        assert set(due["state"]) == {"overdue"}
        return saved.id

    return fill_database(tmp_path, fill)


@pytest.fixture
def server(tmp_path, interview_id):
    """The app on the database holding the interview (filled before the server starts)."""
    with running_server(tmp_path) as running:
        yield running


def due_step(page: Page, title: str) -> Locator:
    """A step listed in Due now: its badge, its title and how late it is."""
    return (
        page.get_by_test_id("stMain")
        .get_by_test_id("stMarkdownContainer")
        .filter(has_text=re.compile(rf"^(overdue|due soon) {re.escape(title)} · "))
    )


def expect_overdue_count(page: Page, count: int) -> None:
    """The sidebar's "N follow-up steps overdue" link (its text starts with the icon's name)."""
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=re.compile(r"follow-up steps? overdue$"))
    expect(link).to_have_text(re.compile(rf"(?<!\d){count} follow-up steps overdue$"))


def test_done_on_home_takes_the_step_out_of_due_now(page: Page, server, interview_id) -> None:
    """Done next to "Send a thank-you" removes that step from Due now, keeps the others; the overdue count drops."""
    open_app(page, server)
    expect(page.get_by_role("heading", name="Due now")).to_be_visible()
    expect(page.get_by_text(re.compile(f"^{COMPANY} · technical on .* · Data Engineer$"))).to_be_visible()
    for title in STEPS:
        step = due_step(page, title)
        expect(step).to_have_count(1)
        expect(step.locator(".stMarkdownBadge")).to_have_text("overdue")
    expect(due_step(page, "Send a thank-you")).to_have_text(re.compile(r"· \d+ h late$"))
    expect_overdue_count(page, len(STEPS))

    done = page.locator(f".st-key-home_done_{interview_id}_thank_you").get_by_role("button", name="Done")
    expect(done).to_be_visible()
    done.click()
    wait_idle(page)

    expect(due_step(page, "Send a thank-you")).to_have_count(0)
    expect(page.locator(f".st-key-home_done_{interview_id}_thank_you")).to_have_count(0)
    for title in STEPS:
        if title != "Send a thank-you":
            expect(due_step(page, title)).to_have_count(1)
    # Done reran only its interview's part of Home: the sidebar's count catches up at the next full run.

    # Stored, not just hidden: a fresh load of Home agrees.
    page.reload()
    wait_idle(page)
    expect(due_step(page, "Connect on LinkedIn")).to_have_count(1)
    expect(due_step(page, "Send a thank-you")).to_have_count(0)
    expect_overdue_count(page, len(STEPS) - 1)


def test_ticking_a_checklist_step_marks_it_done_and_home_drops_it(page: Page, server, interview_id) -> None:
    """Ticking "4. Ask the recruiter for feedback" on Follow-ups turns its badge to done; Home no longer lists it."""
    open_app(page, server, f"/followups?id={interview_id}")
    expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
    checkbox = page.get_by_role("checkbox", name="4. Ask the recruiter for feedback")
    expect(checkbox).not_to_be_checked()
    row = page.get_by_test_id("stHorizontalBlock").filter(has=page.locator(f".st-key-fu_tick_{interview_id}_feedback"))
    expect(row.locator(".stMarkdownBadge")).to_have_text(re.compile(r"overdue$"))

    page.get_by_text("4. Ask the recruiter for feedback", exact=True).click()
    wait_idle(page)
    expect(checkbox).to_be_checked()
    expect(row.locator(".stMarkdownBadge")).to_have_text(re.compile(r"done$"))
    expect(row).to_contain_text("(ticked)")
    # The other steps are untouched.
    thank_you = page.get_by_test_id("stHorizontalBlock").filter(
        has=page.locator(f".st-key-fu_tick_{interview_id}_thank_you")
    )
    expect(thank_you.locator(".stMarkdownBadge")).to_have_text(re.compile(r"overdue$"))
    expect(page.get_by_role("checkbox", name="5. Send a thank-you")).not_to_be_checked()

    # The calendar is made when its button is clicked: it has the open steps, not the one just ticked.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download follow-up calendar (.ics)").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR") and f"SUMMARY:Send a thank-you: {COMPANY}" in ics
    assert "Ask the recruiter for feedback" not in ics

    page.get_by_test_id("stSidebar").get_by_role("link", name="Home", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Due now")).to_be_visible()
    expect(due_step(page, "Send a thank-you")).to_have_count(1)
    expect(due_step(page, "Ask the recruiter for feedback")).to_have_count(0)
    expect_overdue_count(page, len(STEPS) - 1)


@pytest.fixture
def sized_page(kept_context, request) -> Iterator[Page]:
    """A new page in the module's kept browser context at the test's ``@pytest.mark.width``."""
    page = kept_context(marked_width(request), 1000).new_page()
    yield page
    page.close()


@pytest.mark.width(390)
def test_checkboxes_show_each_steps_state_after_tick_save_plan_and_mark_as_sent(
    sized_page: Page, server, interview_id
) -> None:
    """Tick a step, save the plan, mark the thank-you sent: each box shows the new state at once, no reload."""
    page = sized_page
    open_app(page, server, f"/followups?id={interview_id}")
    expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
    plan, feedback, thank_you, linkedin = (
        page.get_by_role("checkbox", name=name)
        for name in (
            "1. Follow-up plan",
            "4. Ask the recruiter for feedback",
            "5. Send a thank-you",
            "6. Connect on LinkedIn",
        )
    )
    for box in (plan, feedback, thank_you, linkedin):
        expect(box).not_to_be_checked()

    page.get_by_text("4. Ask the recruiter for feedback", exact=True).click()
    wait_idle(page)
    expect(feedback).to_be_checked()

    contact = page.get_by_label("Whom to follow up with", exact=True)
    contact.fill("Sam Lee")
    # The date field is a group of year, month and day segments: type into the first, it moves on by itself.
    decision = page.get_by_label("Decision expected by", exact=True)
    decision.get_by_role("spinbutton").first.click()
    page.keyboard.type("20300115")
    expect(decision.get_by_role("spinbutton")).to_have_text(["2030", "01", "15"])
    page.get_by_role("button", name="Save plan").click()
    wait_idle(page)
    expect(page.get_by_text("Follow-up plan saved.")).to_be_visible()
    expect(plan).to_be_checked()
    expect(plan).to_be_disabled()  # done because the plan says so, not by a tick
    expect(feedback).to_be_checked()

    page.locator(f".st-key-fu_send_thank_you_{interview_id}").get_by_role("button").click()
    wait_idle(page)
    expect(page.get_by_text("Thank-you email marked as sent.")).to_be_visible()
    expect(thank_you).to_be_checked()
    expect(linkedin).not_to_be_checked()
    expect(plan).to_be_checked()
    unsend = page.locator(f".st-key-fu_unsend_thank_you_{interview_id}").get_by_role("button")
    expect(unsend).to_have_text("Not sent after all")

    # Taken back from the checklist (after its question): the message's box offers "Mark as sent" again.
    page.get_by_text("5. Send a thank-you", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("“Send a thank-you” is recorded as sent.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Yes, it was not sent").click()
    wait_idle(page)
    expect(thank_you).not_to_be_checked()
    expect(unsend).to_have_count(0)
    expect(page.locator(f".st-key-fu_send_thank_you_{interview_id}").get_by_role("button")).to_have_text(
        re.compile("Mark as sent$")
    )
