"""Practice in real Chromium: practise a card and see its next due date.

The database holds one interview with a question rated 2 and a better answer;
the Practice page folds it into a card when it loads (``practice.sync``), and the
card is due at once.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest
from fsrs import Card, Rating, Scheduler
from playwright.sync_api import Locator, Page, expect

from analysis import interviews as iv

from .conftest import fill_database, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

QUESTION = "Design a rate limiter for a public API"
BETTER = "Token bucket per API key in Redis; say how refill rate and burst size are chosen, then the failure mode."
DUE_FORMAT = "%a %d %b, %H:%M"  # as the page shows due times (local time)


@pytest.fixture
def server(tmp_path):
    """The app on a database with one weak answer (rated 2, with a better answer) from three days ago."""

    def fill(con) -> None:
        iv.save_interview(
            con,
            iv.Interview(
                company="Acme Rockets",
                stage="technical",
                interview_date=dt.date.today() - dt.timedelta(days=3),
                interview_time=dt.time(10, 0),
                questions=[
                    iv.Question(QUESTION, category="technical", rating=2, better_answer=BETTER),
                    iv.Question("Tell me about yourself", category="behavioral", rating=4),
                ],
            ),
        )

    fill_database(tmp_path, fill)
    with running_server(tmp_path) as running:
        yield running


def metric_value(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def good_interval() -> dt.timedelta:
    """How far FSRS puts a card graded Good after the page made it from one answer graded Again."""
    scheduler = Scheduler()
    answered = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    card, _ = scheduler.review_card(Card(due=answered), Rating.Again, answered)
    now = dt.datetime.now(dt.UTC)
    card, _ = scheduler.review_card(card, Rating.Good, now)
    return card.due - now


def test_practise_a_card_and_see_its_next_due_date(page: Page, server) -> None:
    """Reveal the better answer, grade Good: the page says when the card is next due, and nothing is due now."""
    open_app(page, server, "/practice")
    expect(page.get_by_role("heading", name="Practice", exact=True)).to_be_visible()
    expect(metric_value(page, "Due now")).to_have_text("1")
    expect(metric_value(page, "Cards")).to_have_text("1")  # the answer rated 4 is no card
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(page.get_by_text(BETTER)).to_have_count(0)

    page.get_by_role("button", name="Reveal my better answer").click()
    wait_idle(page)
    expect(page.get_by_label("Your better answer", exact=True)).to_have_value(BETTER)
    # Each grade says when the card comes back.
    good = page.get_by_role("button", name=re.compile(r"^Good · \d+ (min|h|d|mo)"))
    expect(good).to_be_visible()

    before = dt.datetime.now().astimezone()
    good.click()
    wait_idle(page)
    graded = page.get_by_text(re.compile(r"^Graded Good\. Next due "))
    expect(graded).to_be_visible()
    after = dt.datetime.now().astimezone()
    interval = good_interval()
    # The next due time is the grading time (between before and after) plus FSRS's interval, to the minute.
    allowed, minute = set(), (before + interval).replace(second=0, microsecond=0)
    while minute <= after + interval:
        allowed.add(f"{minute:{DUE_FORMAT}}")
        minute += dt.timedelta(minutes=1)
    due_text = re.fullmatch(r"Graded Good\. Next due (.+)\.", graded.inner_text().strip())
    assert due_text, graded.inner_text()
    assert due_text[1] in allowed, f"next due {due_text[1]!r}, expected one of {sorted(allowed)}"

    expect(metric_value(page, "Due now")).to_have_text("0")
    expect(metric_value(page, "Cards")).to_have_text("1")
    expect(page.get_by_text(f"Nothing due. The next card is due {due_text[1]}.", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Reveal my better answer")).to_have_count(0)
    expect(page.get_by_role("heading", name=QUESTION)).to_have_count(0)

    # The grade is stored with the same due time.
    server.stop()
    with duckdb.connect(str(server.db_path), read_only=True) as con:
        rows = con.execute(
            "SELECT r.grade, r.due_after, c.due FROM practice_reviews r JOIN practice_cards c ON c.id = r.card_id "
            "WHERE r.source = 'practice'"
        ).fetchall()
    assert len(rows) == 1
    grade, due_after, card_due = rows[0]
    assert grade == "good" and due_after == card_due
    stored = due_after.replace(tzinfo=dt.UTC).astimezone()
    assert f"{stored:{DUE_FORMAT}}" == due_text[1]


def test_write_a_better_answer_on_the_card_and_grade_with_the_keyboard(page: Page, server) -> None:
    """Space reveals, the better answer is edited and saved on the card, 1-4 grade: here 1, Again."""
    open_app(page, server, "/practice")
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Reveal my better answer"))).to_be_visible()
    page.keyboard.press("Space")
    answer = page.get_by_label("Your better answer", exact=True)
    expect(answer).to_have_value(BETTER)
    answer.fill("First the requirements,\nthen the token bucket.")
    answer.blur()
    wait_idle(page)
    page.get_by_role("button", name="Save better answer").click()
    expect(page.get_by_text("Saved to the card and to your newest answer to this question.")).to_be_visible()
    # The run that says so has ended (a key pressed while it draws the grade buttons can be lost).
    wait_idle(page)
    page.get_by_role("heading", name=QUESTION).click()  # focus off the text box: keys are shortcuts again
    expect(answer).not_to_be_focused()
    page.keyboard.press("1")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Graded Again\. Next due "))).to_be_visible()

    server.stop()
    with duckdb.connect(str(server.db_path), read_only=True) as con:
        assert con.execute("SELECT better_answer FROM practice_cards").fetchall() == [
            ("First the requirements,\nthen the token bucket.",)
        ]
        assert con.execute("SELECT better_answer FROM questions WHERE rating = 2").fetchall() == [
            ("First the requirements,\nthen the token bucket.",)
        ]
        assert con.execute("SELECT grade FROM practice_reviews WHERE source = 'practice'").fetchall() == [("again",)]
