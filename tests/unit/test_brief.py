"""The prep brief on the ``history`` fixture, and its command."""

import datetime as dt
import re
import subprocess
import sys

from analysis import brief as briefs
from analysis import interviews as iv
from analysis import store
from analysis.text import markdown_literal

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


def test_brief_names_people_with_their_titles_and_counts_in_words(con, sample_interview):
    iv.save_interview(con, sample_interview)
    text = briefs.to_markdown(briefs.build(con, "Northwind", today=dt.date(2026, 11, 30)))
    assert r"Met: Ana Ruiz \(Engineering Manager\); Ben Ode" in text  # shown literally: escaped brackets
    assert "- **technical**: mean 2.0 over 1 answer\n" in text


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


def test_brief_lists_only_the_chosen_companys_promises_in_page_and_markdown(con):
    iv.save_interview(
        con,
        iv.Interview(
            company="Globex",
            interview_date=dt.date(2026, 3, 30),
            questions=[iv.Question("Why Globex?", clarify="Send Globex my portfolio")],
        ),
    )
    iv.save_interview(
        con,
        iv.Interview(
            company="Acme",
            interview_date=dt.date(2026, 1, 5),
            questions=[iv.Question("Why Acme?", clarify="Send Acme the reference")],
        ),
    )
    brief = briefs.build(con, "Acme", today=TODAY)
    assert list(brief.promised["clarify"]) == ["Send Acme the reference"]
    markdown = briefs.to_markdown(brief)
    assert "Send Acme the reference" in markdown and "Globex" not in markdown


def test_upcoming_means_later_than_now_to_the_minute(con):
    now = dt.datetime(2026, 3, 31, 13, 0)
    for company, day, time in (
        ("This morning", now.date(), dt.time(9, 0)),
        ("This afternoon", now.date(), dt.time(15, 0)),
        ("Today, time not noted", now.date(), None),
        ("Yesterday", now.date() - dt.timedelta(days=1), None),
        ("Tomorrow", now.date() + dt.timedelta(days=1), dt.time(8, 0)),
    ):
        iv.save_interview(con, iv.Interview(company=company, interview_date=day, interview_time=time))
    assert [r[1] for r in briefs.upcoming(con, now)] == ["This afternoon", "Today, time not noted", "Tomorrow"]


def test_the_interview_a_brief_is_for_is_never_its_own_earlier_round(con):
    first = iv.save_interview(
        con, iv.Interview(company="Acme", interview_date=dt.date(2026, 3, 1), stage="phone screen")
    )
    this = iv.save_interview(con, iv.Interview(company="Acme", interview_date=dt.date(2026, 3, 31), stage="final"))
    iv.save_interview(con, iv.Interview(company="Acme", interview_date=dt.date(2026, 4, 20), stage="other"))
    brief = briefs.build(con, "Acme", stage="final", date=this.interview_date, today=TODAY, interview_id=this.id)
    assert [r.interview_id for r in brief.rounds] == [first.id]
    assert (
        "final" not in briefs.to_markdown(brief).split("## Earlier rounds at Acme")[1].split("## Questions to ask")[0]
    )


HOSTILE = "![](http://example.invalid/x.png) <img src=http://example.invalid/y.png> <script>x</script> [link](http://example.invalid)"


def test_brief_shows_user_text_literally_so_no_previewer_fetches_or_runs_it(con):
    hostile = iv.Interview(
        company="Evil " + HOSTILE,
        role="# Hacked",
        interview_date=dt.date(2026, 2, 10),
        stage="technical",
        outcome="rejected",
        role_notes="**bold** " + HOSTILE,
        questions=[
            iv.Question("Why? " + HOSTILE, "technical", 2, better_answer="$\\LaTeX$ http://example.invalid/link")
        ],
    )
    iv.save_interview(con, hostile)
    text = briefs.to_markdown(briefs.build(con, hostile.company, today=dt.date(2026, 3, 1)))
    for raw in ("![", "](http", "<img", "<script", "**bold**", "$\\LaTeX$", "\n# Hacked", "http://example"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw  # only its escaped form is there
    assert markdown_literal("![](http://example.invalid/x.png)") in text
    assert r"\# Hacked" in text


def test_the_download_is_named_by_a_clean_slug_that_keeps_letters(con):
    from analysis import brief as briefs

    assert briefs.file_name(briefs.build(con, "Müller & Söhne GmbH")) == "brief-müller-söhne-gmbh.md"
    assert briefs.file_name(briefs.build(con, "  A_B  (C) ")) == "brief-a-b-c.md"
    assert briefs.file_name(briefs.build(con, "&&&")) == "brief-interview.md"
