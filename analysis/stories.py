"""The story bank: the user's prepared stories, which answers told them, and who has heard them.

A story has a title, the four parts of a STAR answer (situation, task, action,
result) and competencies: the user's own tags, kept in lower case. An answer
(a question of a logged interview) is linked to the stories it told, so each
story has a record: how its answers were rated, how the rounds went, and who
was in the room. The brief uses that record to warn before a round ("Ana Ruiz
at Northwind already heard 'Kafka migration' (technical, 12 Mar)") and to
suggest a story for each weak category.

A competency matches a question category when the two names are equal
(ignoring case): tag a story "technical" and it is suggested for weak
technical answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd

from analysis import sql, store
from analysis.interviews import InvalidInput, Problem, RecordChanged
from analysis.sql import SQL
from analysis.vocab import DECIDED_OUTCOMES, PASSED_OUTCOMES

STORY_PARTS = ("situation", "task", "action", "result")
TITLE_LIMIT = 80


class InvalidStory(InvalidInput):
    """Raised by ``save_story`` with the problems that stopped it."""


@dataclasses.dataclass
class Story:
    """A prepared story: a title, its STAR parts, and the competencies it shows."""

    title: str
    situation: str | None = None
    task: str | None = None
    action: str | None = None
    result: str | None = None
    competencies: list[str] = dataclasses.field(default_factory=list)
    id: int | None = None
    revision: int | None = None


def competency(name: str) -> str:
    """A competency tag as stored: single spaces, lower case."""
    return " ".join(str(name).split()).lower()


def _clean(story: Story) -> Story:
    parts = {p: (getattr(story, p) or "").strip() or None for p in STORY_PARTS}
    tags = list(dict.fromkeys(t for t in (competency(c) for c in story.competencies) if t))
    return dataclasses.replace(story, title=" ".join(str(story.title or "").split()), competencies=tags, **parts)


def cleaned(story: Story) -> Story:
    """``story`` as ``save_story`` stores it: title on single spaces, parts stripped, competencies as tags."""
    return _clean(story)


def validate(story: Story) -> list[Problem]:
    """Everything wrong with ``story``; an empty list means it can be saved."""
    problems = []
    if not story.title:
        problems.append(Problem("title", "Give the story a short title, like “Kafka migration”."))
    elif len(story.title) > TITLE_LIMIT:
        problems.append(Problem("title", f"Keep the title to {TITLE_LIMIT} characters or fewer."))
    return problems


def save_story(con: duckdb.DuckDBPyConnection, story: Story) -> Story:
    """Validate and store ``story`` with its competencies, in one transaction; return it with id and revision.

    A new story (``id`` None) is inserted; an existing one is updated only if its
    ``revision`` still matches, otherwise ``RecordChanged`` is raised and nothing
    is written. Raises ``InvalidStory`` when the input is not valid, or when another
    story has the same title (whatever its case).
    """
    story = _clean(story)
    problems = validate(story)
    if problems:
        raise InvalidStory(problems)
    values = [story.title, *(getattr(story, p) for p in STORY_PARTS)]
    with store.writing(con):
        # Titles tell stories apart wherever one is picked (the Log page, the brief): one title, one story.
        taken = con.execute(
            "SELECT title FROM stories WHERE lower(title) = lower(?) AND id IS DISTINCT FROM ?", [story.title, story.id]
        ).fetchone()
        if taken:
            raise InvalidStory(
                [
                    Problem(
                        "title",
                        f"You already have a story called “{taken[0]}”: give this one another title, "
                        "or pick that one in “Story” above to edit it.",
                    )
                ]
            )
        if story.id is None:
            row = con.execute(
                "INSERT INTO stories (title, situation, task, action, result) VALUES (?, ?, ?, ?, ?) "
                "RETURNING id, revision",
                values,
            ).fetchone()
        else:
            row = con.execute(
                "UPDATE stories SET title = ?, situation = ?, task = ?, action = ?, result = ?, "
                "revision = revision + 1, updated_at = current_localtimestamp() "
                "WHERE id = ? AND revision = ? RETURNING id, revision",
                [*values, story.id, story.revision],
            ).fetchone()
            if row is None:
                raise RecordChanged(
                    "This story was changed or deleted in another window since you opened it. "
                    "Your edits are still on screen: copy anything you need, then reload it."
                )
        story_id, revision = row
        con.execute("DELETE FROM story_competencies WHERE story_id = ?", [story_id])
        con.execute(
            "INSERT INTO story_competencies (story_id, competency) SELECT ?, unnest(?::VARCHAR[])",
            [story_id, story.competencies],
        )
    return dataclasses.replace(story, id=story_id, revision=revision)


def load_story(con: duckdb.DuckDBPyConnection, story_id: int) -> Story | None:
    """The stored story with its competencies, or None."""
    row = con.execute(
        "SELECT title, situation, task, action, result, id, revision FROM stories WHERE id = ?", [story_id]
    ).fetchone()
    if row is None:
        return None
    tags = con.execute(
        "SELECT competency FROM story_competencies WHERE story_id = ? ORDER BY competency", [story_id]
    ).fetchall()
    return Story(*row[:5], competencies=[t[0] for t in tags], id=row[5], revision=row[6])


def delete_story(con: duckdb.DuckDBPyConnection, story_id: int) -> bool:
    """Delete a story with its competencies and its links to answers, in one transaction; return whether it existed."""
    with store.writing(con):
        con.execute("DELETE FROM question_stories WHERE story_id = ?", [story_id])
        con.execute("DELETE FROM story_competencies WHERE story_id = ?", [story_id])
        deleted = con.execute("DELETE FROM stories WHERE id = ? RETURNING id", [story_id]).fetchall()
    return bool(deleted)


def link_answer(con: duckdb.DuckDBPyConnection, question_id: int, story_id: int) -> None:
    """Record that the answer to question ``question_id`` told story ``story_id`` (once, however often called).

    Raises ``RecordChanged`` when the answer or the story no longer exists.
    """
    with store.writing(con):
        (answers, found) = con.execute(
            "SELECT (SELECT count(*) FROM questions WHERE id = $q), (SELECT count(*) FROM stories WHERE id = $s)",
            {"q": question_id, "s": story_id},
        ).fetchone()
        if not answers or not found:
            raise RecordChanged("That answer or story was deleted in another window: reload the page.")
        con.execute(
            "INSERT INTO question_stories (question_id, story_id) SELECT $q, $s WHERE NOT EXISTS "
            "(SELECT 1 FROM question_stories WHERE question_id = $q AND story_id = $s)",
            {"q": question_id, "s": story_id},
        )


def unlink_answer(con: duckdb.DuckDBPyConnection, question_id: int, story_id: int | None = None) -> None:
    """Remove the link from an answer to ``story_id`` (None: to every story)."""
    with store.writing(con):
        con.execute(
            "DELETE FROM question_stories WHERE question_id = $q AND ($s IS NULL OR story_id = $s)",
            {"q": question_id, "s": story_id},
        )


def stories_of_answer(con: duckdb.DuckDBPyConnection, question_id: int) -> list[int]:
    """The ids of the stories an answer told, oldest story first."""
    rows = con.execute(
        "SELECT story_id FROM question_stories WHERE question_id = ? ORDER BY story_id", [question_id]
    ).fetchall()
    return [r[0] for r in rows]


# Every use of a story: the answer, its rating and its round's outcome.
_USES = SQL("""
uses AS (
    SELECT l.story_id, q.id AS question_id, q.question, q.category, q.rating, i.id AS interview_id,
           i.company, i.role, i.stage, i.interview_date, i.outcome,
           list_contains($decided, i.outcome) AS decided, list_contains($passed, i.outcome) AS passed
    FROM question_stories l JOIN questions q ON q.id = l.question_id JOIN interviews i ON i.id = q.interview_id
)
""")
_OUTCOMES = {"decided": list(DECIDED_OUTCOMES), "passed": list(PASSED_OUTCOMES)}


def story_titles(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Every story's title by its id, in the order ``list_stories`` lists them."""
    return dict(con.execute("SELECT id, title FROM stories ORDER BY lower(title), id").fetchall())


def list_stories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every story with its record: competencies, times used, mean rating when used, pass rate of those rounds.

    ``pass_rate`` counts the decided rounds in which the story was told (each
    round once, however many answers told it); it is empty with none decided.
    """
    statement = sql.render(
        """
        WITH {uses}
        SELECT s.id, s.title, coalesce(t.competencies, []) AS competencies,
               count(u.question_id) AS uses, count(DISTINCT u.company) AS companies,
               avg(u.rating) AS mean_rating,
               count(DISTINCT u.interview_id) FILTER (WHERE u.decided) AS decided_rounds,
               count(DISTINCT u.interview_id) FILTER (WHERE u.passed) AS passed_rounds,
               max(u.interview_date) AS last_used
        FROM stories s
        LEFT JOIN (SELECT story_id, list(competency ORDER BY competency) AS competencies
                   FROM story_competencies GROUP BY story_id) t ON t.story_id = s.id
        LEFT JOIN uses u ON u.story_id = s.id
        GROUP BY s.id, s.title, t.competencies
        ORDER BY lower(s.title), s.id
        """,
        uses=_USES,
    )
    frame = con.execute(statement, _OUTCOMES).df()
    frame["pass_rate"] = frame["passed_rounds"] / frame["decided_rounds"].where(frame["decided_rounds"] > 0)
    return frame


def competency_matrix(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Stories by competencies: one row per story (its title), one column per competency, True where tagged."""
    long = con.execute(
        "SELECT s.title, c.competency FROM stories s JOIN story_competencies c ON c.story_id = s.id "
        "ORDER BY lower(s.title), c.competency"
    ).df()
    if long.empty:
        return pd.DataFrame(dtype=bool)
    return pd.crosstab(long["title"], long["competency"]).gt(0).rename_axis(index=None, columns=None)


def who_heard(con: duckdb.DuckDBPyConnection, company: str | None = None) -> pd.DataFrame:
    """Who has heard which story: one row per story, company and interviewer (None when nobody was noted).

    With ``company`` (any case), only that company's rounds. ``last_heard`` is
    the latest round in which they heard it, ``stage`` that round's stage.
    """
    statement = sql.render(
        """
        WITH {uses}
        SELECT u.story_id, s.title, u.company, p.name AS interviewer,
               max(u.interview_date) AS last_heard,
               arg_max(u.stage, u.interview_date) AS stage,
               count(DISTINCT u.interview_id) AS rounds
        FROM uses u JOIN stories s ON s.id = u.story_id
        LEFT JOIN interviewers p ON p.interview_id = u.interview_id
        WHERE $company IS NULL OR lower(u.company) = lower($company)
        GROUP BY u.story_id, s.title, u.company, p.name
        ORDER BY lower(s.title), lower(u.company), last_heard DESC, p.name
        """,
        uses=_USES,
    )
    return con.execute(statement, {**_OUTCOMES, "company": company}).df()


@dataclasses.dataclass(frozen=True)
class HeardWarning:
    """Someone at the company already heard a story: say so before the next round there."""

    story_id: int
    title: str
    company: str
    interviewer: str | None
    stage: str
    date: dt.date
    meeting_again: bool  # the interviewer is named on the coming round

    @property
    def text(self) -> str:
        """ "Ana Ruiz at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)"."""
        who = f"{self.interviewer} at {self.company}" if self.interviewer else f"Someone at {self.company}"
        return f"{who} already heard '{self.title}' ({self.stage}, {self.date:%d %b %Y})"


def heard_warnings(
    con: duckdb.DuckDBPyConnection, company: str, interview_id: int | None = None, before: dt.date | None = None
) -> list[HeardWarning]:
    """The stories already told at ``company``, by whom they were heard, for the brief of a coming round.

    ``interview_id`` is the coming round (its own answers are not "already
    heard", and the people named on it come first, marked ``meeting_again``);
    ``before`` leaves out rounds after that date.
    """
    statement = sql.render(
        """
        WITH {uses}, coming AS (SELECT lower(name) AS name FROM interviewers WHERE interview_id = $interview_id)
        SELECT u.story_id, s.title, any_value(u.company) AS company, p.name AS interviewer,
               arg_max(u.stage, u.interview_date) AS stage, max(u.interview_date) AS date,
               coalesce(lower(p.name) IN (SELECT name FROM coming), false) AS meeting_again
        FROM uses u JOIN stories s ON s.id = u.story_id
        LEFT JOIN interviewers p ON p.interview_id = u.interview_id
        WHERE lower(u.company) = lower($company) AND u.interview_id IS DISTINCT FROM $interview_id
          AND ($before IS NULL OR u.interview_date <= $before)
        GROUP BY u.story_id, s.title, p.name
        ORDER BY meeting_again DESC, date DESC, lower(s.title), p.name
        """,
        uses=_USES,
    )
    params = {**_OUTCOMES, "company": company.strip(), "interview_id": interview_id, "before": before}
    return [HeardWarning(*row) for row in con.execute(statement, params).fetchall()]


@dataclasses.dataclass(frozen=True)
class Suggestion:
    """A story to tell for a weak category, and why it is the one."""

    category: str
    story_id: int
    title: str
    uses: int
    mean_rating: float | None
    heard_here: bool  # already told at the company the brief is for

    @property
    def text(self) -> str:
        """ "technical: tell 'Kafka migration' (mean 4.2 over 3 answers)"."""
        record = (
            f"mean {self.mean_rating:.1f} over {self.uses} {'answer' if self.uses == 1 else 'answers'}"
            if self.mean_rating is not None and self.uses
            else "not told yet"
        )
        here = "; already told here, so pick a fresh angle" if self.heard_here else ""
        return f"{self.category}: tell '{self.title}' ({record}{here})"


def suggestions(con: duckdb.DuckDBPyConnection, categories: list[str], company: str | None = None) -> list[Suggestion]:
    """For each weak category, the best story for it: tagged with it, or told in answers of it.

    Best is: not yet told at ``company``, then the highest mean rating of the
    answers in that category that told it, then the most used. Categories with
    no fitting story get none.
    """
    statement = sql.render(
        """
        WITH {uses}, wanted AS (SELECT unnest($categories::VARCHAR[]) AS category),
        fits AS (
            SELECT w.category, s.id AS story_id, s.title,
                   count(u.question_id) AS uses, avg(u.rating) AS mean_rating,
                   coalesce(bool_or(lower(u.company) = lower($company)), false) AS heard_here
            FROM wanted w CROSS JOIN stories s
            LEFT JOIN uses u ON u.story_id = s.id AND lower(u.category) = lower(w.category)
            WHERE u.story_id IS NOT NULL OR EXISTS (
                SELECT 1 FROM story_competencies c WHERE c.story_id = s.id AND c.competency = lower(w.category))
            GROUP BY ALL
        )
        SELECT category, story_id, title, uses, mean_rating, heard_here FROM fits
        QUALIFY row_number() OVER (
            PARTITION BY category ORDER BY heard_here, mean_rating DESC NULLS LAST, uses DESC, story_id) = 1
        ORDER BY list_position($categories::VARCHAR[], category)
        """,
        uses=_USES,
    )
    rows = con.execute(statement, {**_OUTCOMES, "categories": list(categories), "company": company}).fetchall()
    return [Suggestion(c, int(s), t, int(n), None if pd.isna(m) else float(m), bool(h)) for c, s, t, n, m, h in rows]
