"""The prep brief on the ``history`` fixture, and its command."""

import datetime as dt
import subprocess
import sys

from analysis import brief as briefs
from analysis import interviews as iv
from analysis import store

TODAY = dt.date(2026, 3, 31)


def test_brief_ranks_weakest_categories_of_late_with_their_trend(history):
    brief = briefs.build(history, "acme", today=TODAY)
    assert brief.company == "Acme"  # as it was spelled when logged
    weakest = brief.weakest.set_index("category")
    assert list(brief.weakest["category"])[:2] == ["technical", "salary/logistics"]
    # Last 90 days (1 Jan – 31 Mar) hold every answer; nothing before, so no change.
    assert weakest.loc["technical", "mean_rating"] == 2.0
    assert weakest["change"].isna().all()


def test_brief_lists_weak_and_recurring_questions_with_the_latest_better_answer(history):
    rehearse = briefs.build(history, "Acme", today=TODAY).rehearse
    cache = rehearse[rehearse["question"] == "Design a cache"].iloc[0]
    assert cache["asked"] == 3 and cache["better_answer"] == "Start from requirements"
    assert bool(cache["at_company"]) is True
    assert "Salary expectations?" in set(rehearse["question"])
    # Asked at Acme first.
    assert rehearse.iloc[0]["question"] == "Design a cache"


def test_brief_collects_earlier_rounds_promises_and_questions_to_ask(history, sample_interview):
    saved = iv.save_interview(
        history,
        iv.Interview(
            company="acme",
            interview_date=dt.date(2026, 3, 28),
            stage="onsite/panel",
            people_notes="Met Dana, the VP",
            questions_to_ask="- How is on-call shared?\n- What does success look like at six months?",
            questions=[iv.Question("Walk me through a migration", "technical", 3, clarify="Send the cutover plan")],
        ),
    )
    brief = briefs.build(history, "ACME", today=TODAY)
    assert [r.stage for r in brief.rounds] == ["technical", "final", "onsite/panel"]
    assert brief.rounds[-1].notes == {"The people": "Met Dana, the VP"}
    assert list(brief.promised["clarify"]) == ["Send the cutover plan"]
    assert brief.to_ask == ["How is on-call shared?", "What does success look like at six months?"]
    briefs.mark_clarified(history, saved.questions[0].id, TODAY)
    assert briefs.build(history, "Acme", today=TODAY).promised.empty


def test_brief_markdown_has_every_section(history):
    text = briefs.to_markdown(briefs.build(history, "Globex", role="Data Engineer", today=TODAY))
    for heading in (
        "# Prep brief: Globex",
        "## Rehearse: your weakest categories of late",
        "## Questions to rehearse",
        "## Clarifications you promised and have not sent",
        "## Earlier rounds at Globex",
        "## Questions to ask",
    ):
        assert heading in text
    assert "- **Design a cache**" in text and "Better answer: Start from requirements" in text
    assert "### 2026-02-10 · technical · Data Engineer · rejected" in text


def test_brief_for_a_new_company_on_an_empty_history(con):
    brief = briefs.build(con, "Newco")
    assert brief.is_empty
    assert "This is your first interview here." in briefs.to_markdown(brief)


def test_brief_command_prints_markdown(db_path, history, repo_root):
    store.close(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "brief", "--db", str(db_path), "--company", "Acme"],
        cwd=repo_root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.startswith("# Prep brief: Acme\n")
    assert "## Earlier rounds at Acme" in result.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "analysis", "brief", "--db", str(db_path)], cwd=repo_root, capture_output=True, text=True
    )
    assert missing.returncode == 2 and "--company" in missing.stderr
