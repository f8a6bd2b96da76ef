"""The prep brief: one page, from your own history, for the next interview.

What to rehearse (weakest categories of late, weak and recurring questions with
your latest better answer, stubborn practice cards), what you owe this company
(clarifications promised and not yet sent), what you learnt about it in
earlier rounds, and the questions you planned to ask.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import duckdb
import pandas as pd

from analysis import calibration, metrics, practice, schema, store, stories, text
from analysis.vocab import rating_label

RECENT_DAYS = 90


@dataclasses.dataclass
class Round:
    """An earlier round at the company."""

    interview_id: int
    date: dt.date
    stage: str
    role: str | None
    outcome: str
    interviewers: list[str]
    questions: pd.DataFrame  # question, category, rating, reaction, better_answer
    notes: dict[str, str]
    feedback: str | None


@dataclasses.dataclass
class Brief:
    company: str
    role: str | None
    stage: str | None
    date: dt.date | None
    weakest: pd.DataFrame  # category, mean_rating, answers, change
    rehearse: pd.DataFrame  # question, asked, mean_rating, latest_rating, better_answer, at_company
    stubborn: pd.DataFrame  # question, category, agains
    promised: pd.DataFrame  # question_id, date, company, question, clarify
    rounds: list[Round]
    to_ask: list[str]
    heard: list[stories.HeardWarning] = dataclasses.field(default_factory=list)  # stories told here before
    suggested: list[stories.Suggestion] = dataclasses.field(default_factory=list)  # a story per weak category
    calibration: str | None = None  # how well your predictions have matched outcomes, when there are enough

    @property
    def is_empty(self) -> bool:
        return self.weakest.empty and self.rehearse.empty and not self.rounds and self.promised.empty


def build(
    con: duckdb.DuckDBPyConnection,
    company: str,
    role: str | None = None,
    stage: str | None = None,
    date: dt.date | None = None,
    today: dt.date | None = None,
    interview_id: int | None = None,
) -> Brief:
    """Build the brief for an interview at ``company`` (matched case-insensitively).

    Promises, earlier rounds and questions to ask come from ``company`` alone.
    ``interview_id`` is the logged interview the brief is for: it is never one
    of its own earlier rounds, and neither is a round dated after ``date``.
    """
    today = today or dt.date.today()
    company = company.strip()
    stored = con.execute(
        "SELECT company FROM interviews WHERE lower(company) = lower(?) ORDER BY interview_date DESC LIMIT 1",
        [company],
    ).fetchone()
    company = stored[0] if stored else company  # as you spelled it before
    recent = metrics.DashboardFilter(start=today - dt.timedelta(days=RECENT_DAYS - 1), end=today)
    weakest = metrics.category_strength(con, recent)
    if weakest.empty:  # nothing lately: fall back to all time
        weakest = metrics.category_strength(con, metrics.DashboardFilter())
    before = metrics.category_strength(con, recent.previous_period()).set_index("category")["mean_rating"]
    weakest = weakest.assign(change=weakest["mean_rating"] - weakest["category"].map(before))
    weakest = weakest[["category", "mean_rating", "answers", "change"]].head(4).reset_index(drop=True)

    groups = metrics.weak_answers(con, metrics.DashboardFilter(), limit=10_000, max_mean=5.0)
    at_company = _texts_at(con, company)
    if not groups.empty:
        groups["at_company"] = groups["texts"].map(lambda texts: any(t in at_company for t in texts))
        weak = schema.WEAK_RATING
        keep = (groups["latest_rating"] <= weak) | (groups["mean_rating"] <= weak) | (groups["asked"] >= 3)
        rehearse = (
            groups[keep]
            .sort_values(["at_company", "mean_rating", "asked"], ascending=[False, True, False])
            .head(12)[["question", "asked", "mean_rating", "latest_rating", "better_answer", "at_company"]]
            .reset_index(drop=True)
        )
    else:
        rehearse = pd.DataFrame(
            columns=["question", "asked", "mean_rating", "latest_rating", "better_answer", "at_company"]
        )

    promised = con.execute(
        """
        SELECT q.id AS question_id, i.interview_date AS date, i.company, q.question, q.clarify
        FROM questions q JOIN interviews i ON i.id = q.interview_id
        WHERE coalesce(trim(q.clarify), '') <> '' AND q.clarified_on IS NULL
          AND lower(i.company) = lower($company)
        ORDER BY i.interview_date DESC, q.position
        LIMIT 15
        """,
        {"company": company},
    ).df()

    rounds = [_round(con, row) for row in _rounds(con, company, interview_id, date)]
    to_ask = [
        line.strip("-•* ").strip()
        for r in con.execute(
            "SELECT questions_to_ask FROM interviews WHERE lower(company) = lower(?) AND "
            "coalesce(trim(questions_to_ask), '') <> '' ORDER BY interview_date DESC",
            [company],
        ).fetchall()
        for line in r[0].splitlines()
        if line.strip("-•* ").strip()
    ]
    stubborn = practice.stubborn_cards(con)[["question", "category", "agains"]]
    found = Brief(
        company, role, stage, date, weakest, rehearse, stubborn, promised, rounds, list(dict.fromkeys(to_ask))
    )
    return _with_insights(con, found, interview_id)


def upcoming(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, limit: int = 50) -> list[tuple]:
    """Logged interviews later than ``now`` (local wall-clock time): (id, company, role, stage, date), soonest first.

    An interview this morning is over by the afternoon; one with no time noted
    counts as upcoming until its day ends.
    """
    return con.execute(
        "SELECT id, company, role, stage, interview_date FROM interviews "
        "WHERE interview_date + coalesce(interview_time, TIME '23:59:59.999999') > ? "
        "ORDER BY interview_date, interview_time NULLS LAST, id LIMIT ?",
        [(now or dt.datetime.now()).replace(tzinfo=None), limit],
    ).fetchall()


def _texts_at(con, company: str) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT q.question FROM questions q JOIN interviews i ON i.id = q.interview_id "
        "WHERE lower(i.company) = lower(?)",
        [company],
    ).fetchall()
    return {r[0] for r in rows}


def _rounds(con, company: str, interview_id: int | None, date: dt.date | None) -> list[tuple]:
    return con.execute(
        """
        SELECT i.id, i.interview_date, i.stage, i.role, i.outcome, i.role_notes, i.company_notes, i.people_notes,
               i.culture_notes, f.feedback
        FROM interviews i LEFT JOIN followups f ON f.interview_id = i.id
        WHERE lower(i.company) = lower($company)
          AND i.id IS DISTINCT FROM $interview_id
          AND ($date IS NULL OR i.interview_date <= $date)
        ORDER BY i.interview_date, i.id
        """,
        {"company": company, "interview_id": interview_id, "date": date},
    ).fetchall()


def _round(con, row: tuple) -> Round:
    interview_id, date, stage, role, outcome, role_notes, company_notes, people_notes, culture_notes, feedback = row
    people = [
        text.person(name, title)
        for name, title in con.execute(
            "SELECT name, title FROM interviewers WHERE interview_id = ? ORDER BY position", [interview_id]
        ).fetchall()
    ]
    questions = con.execute(
        "SELECT question, category, rating, reaction, better_answer FROM questions "
        "WHERE interview_id = ? ORDER BY position",
        [interview_id],
    ).df()
    notes = {
        title: note
        for title, note in (
            ("The role", role_notes),
            ("The company", company_notes),
            ("The people", people_notes),
            ("Office and culture", culture_notes),
        )
        if note and note.strip()
    }
    return Round(interview_id, date, stage, role, outcome, people, questions, notes, feedback)


def mark_clarified(con: duckdb.DuckDBPyConnection, question_id: int, on: dt.date | None = None) -> None:
    """Record that a promised clarification was sent (None: not sent after all)."""
    with store.writing(con):
        con.execute("UPDATE questions SET clarified_on = ? WHERE id = ?", [on, question_id])


def file_name(brief: Brief) -> str:
    """The download's name: "brief-müller-söhne-gmbh.md" for Müller & Söhne GmbH.

    Letters (of any alphabet) and digits are kept, lower case; every run of
    anything else becomes one hyphen, and none is left at either end.
    """
    words = re.findall(r"[^\W_]+", brief.company.lower())
    return f"brief-{'-'.join(words) or 'interview'}.md"


def _md(value) -> str:
    """User text inside a Markdown list item, shown literally: one paragraph, indented continuation lines.

    Escaped as on the app's pages (``text.markdown_literal``), so a previewer of the
    downloaded brief fetches no image, runs no HTML, and a role like "# Hacked" is no heading.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return text.markdown_literal(str(value).strip()).replace("\n", "\n  ")


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown, for download and printing."""
    title = f"# Prep brief: {_md(brief.company)}"
    facts = [_md(x) for x in (brief.role, brief.stage, f"{brief.date:%A %d %B %Y}" if brief.date else None) if x]
    lines = [title, ""]
    if facts:
        lines += [" · ".join(facts), ""]
    lines += ["## Rehearse: your weakest categories of late", ""]
    if brief.weakest.empty:
        lines.append("No rated answers yet.")
    for row in brief.weakest.itertuples():
        change = "" if pd.isna(row.change) else f", {row.change:+.1f} on the {RECENT_DAYS} days before"
        lines.append(
            f"- **{_md(row.category)}**: mean {row.mean_rating:.1f} over {text.count(row.answers, 'answer')}{change}"
        )
    lines += ["", "## Questions to rehearse", ""]
    if brief.rehearse.empty:
        lines.append("No weak or recurring questions yet.")
    for row in brief.rehearse.itertuples():
        here = " (asked here before)" if row.at_company else ""
        lines.append(
            f"- **{_md(row.question)}**{here}: asked {row.asked}×, mean {row.mean_rating:.1f}, "
            f"last {rating_label(int(row.latest_rating))}"
        )
        if isinstance(row.better_answer, str) and row.better_answer.strip():
            lines.append(f"  - Better answer: {_md(row.better_answer)}")
    if not brief.stubborn.empty:
        lines += ["", "## Stubborn weak spots (practice)", ""]
        for row in brief.stubborn.itertuples():
            lines.append(f"- {_md(row.question)} ({_md(row.category)}; Again {row.agains}×)")
    lines += ["", "## Clarifications you promised and have not sent", ""]
    if brief.promised.empty:
        lines.append("None outstanding.")
    for row in brief.promised.itertuples():
        lines.append(f"- {_md(row.clarify)} (asked “{_md(row.question)}” at {_md(row.company)}, {row.date:%Y-%m-%d})")
    lines += ["", f"## Earlier rounds at {_md(brief.company)}", ""]
    if not brief.rounds:
        lines.append("This is your first interview here.")
    for r in brief.rounds:
        lines.append(
            f"### {r.date:%Y-%m-%d} · {_md(r.stage)}" + (f" · {_md(r.role)}" if r.role else "") + f" · {_md(r.outcome)}"
        )
        if r.interviewers:
            lines.append(f"Met: {_md('; '.join(r.interviewers))}")
        lines.append("")
        for q in r.questions.itertuples():
            rating = rating_label(None if pd.isna(q.rating) else int(q.rating)) or "not rated"
            reaction = f", reaction {_md(q.reaction)}" if isinstance(q.reaction, str) else ""
            lines.append(f"- {_md(q.question)} ({_md(q.category)}; {rating}{reaction})")
        for heading, note in r.notes.items():
            lines += ["", f"**{_md(heading)}:** {_md(note)}"]
        if r.feedback:
            lines += ["", f"**Recruiter feedback:** {_md(r.feedback)}"]
        lines.append("")
    lines += insight_lines(brief)
    lines += ["## Questions to ask", ""]
    if not brief.to_ask:
        lines.append("None noted yet: write a few down before you go.")
    lines += [f"- {_md(q)}" for q in brief.to_ask]
    return "\n".join(lines).rstrip() + "\n"


def _with_insights(con: duckdb.DuckDBPyConnection, found: Brief, interview_id: int | None) -> Brief:
    """``found`` with the story warnings and suggestions for its company, and the calibration sentence."""
    return dataclasses.replace(
        found,
        heard=stories.heard_warnings(con, found.company, interview_id=interview_id, before=found.date),
        suggested=stories.suggestions(con, found.weakest["category"].tolist(), company=found.company),
        calibration=calibration.summary(con),
    )


def insight_lines(brief: Brief) -> list[str]:
    """Markdown lines for the stories already heard here, the stories to tell, and your calibration."""
    lines = []
    if brief.heard:
        lines += ["## Stories they have already heard", ""]
        lines += [f"- {_md(w.text)}" + (" (on this round's panel)" if w.meeting_again else "") for w in brief.heard]
        lines.append("")
    if brief.suggested:
        lines += ["## A story for each weak category", ""]
        lines += [f"- {_md(s.text)}" for s in brief.suggested]
        lines.append("")
    if brief.calibration:
        lines += ["## How well you judge your rounds", "", _md(brief.calibration), ""]
    return lines
