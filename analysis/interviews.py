"""Interviews and their questions: validation, saving, loading, listing, deleting.

Every function takes a DuckDB connection (a cursor is fine) and binds every
value as a parameter. Saving is one transaction: the interview, its
interviewers and its questions land together or not at all.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from analysis import schema, sql, store, text
from analysis.schema import INTERVIEW_COLUMNS, QUESTION_COLUMNS
from analysis.sql import SQL
from analysis.vocab import FORMATS, OUTCOMES, REACTIONS, STAGES


class RecordChanged(store.StoreError):
    """The interview was changed or deleted elsewhere since it was opened."""


class InvalidInput(store.StoreError):
    """What the user entered cannot be stored; ``problems`` says what is wrong, field by field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.text for p in problems))


class InvalidInterview(InvalidInput):
    """Raised by ``save_interview`` (and ``add_category``) with the problems that stopped it."""


class InvalidSettings(InvalidInput):
    """Raised when settings cannot be saved, with the problems that stopped them."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what the user entered.

    ``field`` names the input ("company", "date", "questions", ...); ``row`` is the
    1-based row of a table input, or None.
    """

    field: str
    message: str
    row: int | None = None

    @property
    def text(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else self.message


@dataclass
class Interviewer:
    name: str
    title: str | None = None


@dataclass
class Question:
    question: str
    category: str = "other"
    rating: int | None = None
    reaction: str | None = None
    clarify: str | None = None
    better_answer: str | None = None
    notes: str | None = None
    id: int | None = None


@dataclass
class Interview:
    company: str
    interview_date: dt.date | None
    role: str | None = None
    interview_time: dt.time | None = None
    stage: str = "other"
    format: str | None = None
    recruiter: str | None = None
    outcome: str = "pending"
    decided_on: dt.date | None = None
    role_notes: str | None = None
    company_notes: str | None = None
    people_notes: str | None = None
    culture_notes: str | None = None
    questions_to_ask: str | None = None
    predicted_advance: int | None = None  # "How likely are you to advance?", 0 to 100 %
    interviewers: list[Interviewer] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    id: int | None = None
    revision: int | None = None


def _placeholders(n: int) -> SQL:
    return SQL(", ".join("?" * n))


# Every stored column of ``interviews`` the user edits: the canonical CSV's interview fields.
_STORED_COLUMNS = INTERVIEW_COLUMNS


# The SQL type each question column is bound as when new questions go in as lists.
_QUESTION_TYPES = {c: SQL("TINYINT") if schema.FIELD[c].kind == "rating" else SQL("VARCHAR") for c in QUESTION_COLUMNS}

# Statements built once from the schema's column lists; values are always bound.
_INSERT_INTERVIEW = sql.render(
    "INSERT INTO interviews ({columns}) VALUES ({values}) RETURNING id, revision",
    columns=sql.idents(_STORED_COLUMNS),
    values=_placeholders(len(_STORED_COLUMNS)),
)
_UPDATE_INTERVIEW = sql.render(
    "UPDATE interviews SET {assignments}, revision = revision + 1, updated_at = current_localtimestamp() "
    "WHERE id = ? AND revision = ? RETURNING id, revision",
    assignments=sql.join(sql.render("{column} = ?", column=c) for c in _STORED_COLUMNS),
)
_SELECT_INTERVIEW = sql.render(
    "SELECT {columns}, id, revision FROM interviews WHERE id = ?", columns=sql.idents(_STORED_COLUMNS)
)
_SELECT_QUESTIONS = sql.render(
    "SELECT {columns}, id FROM questions WHERE interview_id = ? ORDER BY position", columns=sql.idents(QUESTION_COLUMNS)
)
_UPDATE_QUESTION = sql.render(
    "UPDATE questions SET position = ?, {assignments} WHERE id = ?",
    assignments=sql.join(sql.render("{column} = ?", column=c) for c in QUESTION_COLUMNS),
)
# One statement for all new questions: a round trip per row costs more than the rows.
_INSERT_QUESTIONS = sql.render(
    "INSERT INTO questions (interview_id, position, {columns}) SELECT ?, unnest(?::INTEGER[]), {lists} "
    "RETURNING id, position",
    columns=sql.idents(QUESTION_COLUMNS),
    lists=sql.join(sql.render("unnest(?::{type}[])", type=_QUESTION_TYPES[c]) for c in QUESTION_COLUMNS),
)


def _blank(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value) -> str | None:
    """Cell or widget value to stored text: blanks become None, nothing else changes."""
    if _blank(value):
        return None
    return value if isinstance(value, str) else str(value)


def questions_from_rows(rows: list[dict]) -> tuple[list[Question], list[Problem], list[int]]:
    """Turn edited table rows into questions, skipping rows left entirely blank.

    Returns the questions, the problems found (a problem's ``row`` is the row's
    1-based position in ``rows``; a row without its question is reported, not
    returned) and, for each question, the row it came from, for ``validate``.
    """
    questions, problems, row_numbers = [], [], []
    for number, row in enumerate(rows, start=1):
        if all(_blank(row.get(c)) for c in QUESTION_COLUMNS):
            continue
        question_text = _text(row.get("question"))
        rating = row.get("rating")
        if question_text is None:
            what = "a rating" if not _blank(rating) else "details"
            problems.append(
                Problem(
                    "questions", f"this row has {what} but no question: type the question or delete the row.", number
                )
            )
            continue
        if not _blank(rating):
            try:
                as_float = float(str(rating).split("–")[0].strip())
                if not as_float.is_integer() or not 1 <= as_float <= 5:
                    raise ValueError
                rating = int(as_float)
            except ValueError:
                problems.append(Problem("questions", f"rating {rating!r} is not a whole number from 1 to 5.", number))
                rating = None
        else:
            rating = None
        raw_id = row.get("id")
        questions.append(
            Question(
                question=question_text or "",
                category=_text(row.get("category")) or "other",
                rating=rating,
                reaction=_text(row.get("reaction")),
                clarify=_text(row.get("clarify")),
                better_answer=_text(row.get("better_answer")),
                notes=_text(row.get("notes")),
                id=None if _blank(raw_id) else int(raw_id),
            )
        )
        row_numbers.append(number)
    return questions, problems, row_numbers


def interviewers_from_rows(rows: list[dict]) -> tuple[list[Interviewer], list[Problem]]:
    """Turn edited table rows into interviewers, skipping blank rows."""
    people, problems = [], []
    for number, row in enumerate(rows, start=1):
        name, title = _text(row.get("name")), _text(row.get("title"))
        if name is None and title is None:
            continue
        if name is None:
            problems.append(
                Problem("interviewers", "this row has a title but no name: add the name or delete the row.", number)
            )
            continue
        people.append(Interviewer(name.strip(), title.strip() if title else None))
    return people, problems


def validate(
    interview: Interview, categories: list[str] | None = None, question_rows: list[int] | None = None
) -> list[Problem]:
    """Return everything wrong with ``interview``; an empty list means it can be saved.

    ``categories`` are the known question categories (None: any); ``question_rows``
    gives the row each question was entered on, so problems name that row.
    """
    problems = []
    if _blank(interview.company):
        problems.append(Problem("company", "Company is required: which company was the interview with?"))
    if interview.interview_date is None:
        problems.append(Problem("date", "Date is required: when did the interview take place?"))
    if interview.stage not in STAGES:
        problems.append(Problem("stage", f"Stage must be one of: {', '.join(STAGES)}."))
    if interview.format is not None and interview.format not in FORMATS:
        problems.append(Problem("format", f"Format must be one of: {', '.join(FORMATS)}."))
    if interview.outcome not in OUTCOMES:
        problems.append(Problem("outcome", f"Outcome must be one of: {', '.join(OUTCOMES)}."))
    prediction = interview.predicted_advance
    if prediction is not None and not (isinstance(prediction, int) and 0 <= prediction <= 100):
        problems.append(Problem("predicted_advance", "How likely you are to advance is a whole number from 0 to 100."))
    if interview.decided_on and interview.interview_date and interview.decided_on < interview.interview_date:
        problems.append(Problem("decided_on", "The decision date is before the interview: check both dates."))
    for index, q in enumerate(interview.questions):
        number = question_rows[index] if question_rows else index + 1
        if _blank(q.question):
            problems.append(Problem("questions", "a question is empty: type it or delete the row.", number))
        if q.rating is not None and not (isinstance(q.rating, int) and 1 <= q.rating <= 5):
            problems.append(Problem("questions", f"rating {q.rating!r} is not a whole number from 1 to 5.", number))
        if q.reaction is not None and q.reaction not in REACTIONS:
            problems.append(Problem("questions", f"reaction must be one of: {', '.join(REACTIONS)}.", number))
        if categories is not None and q.category not in categories:
            problems.append(
                Problem("questions", f"category {q.category!r} is unknown: add it first or pick another.", number)
            )
    for number, person in enumerate(interview.interviewers, start=1):
        if _blank(person.name):
            problems.append(Problem("interviewers", "an interviewer has no name.", number))
    return problems


def categories(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Question categories: the built-in ones first, then the user's own by name."""
    rows = con.execute("SELECT name FROM categories ORDER BY NOT builtin, added_at, name").fetchall()
    return [r[0] for r in rows]


def add_category(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """Add a user-defined category (case and spacing tidied); return its stored name."""
    clean = " ".join(str(name).split()).lower()
    if not clean:
        raise InvalidInterview([Problem("category", "Type a name for the new category.")])
    if len(clean) > 40:
        raise InvalidInterview([Problem("category", "Keep category names to 40 characters or fewer.")])
    with store.writing(con):
        con.execute("INSERT INTO categories (name) VALUES (?) ON CONFLICT DO NOTHING", [clean])
    return clean


def save_interview(con: duckdb.DuckDBPyConnection, interview: Interview) -> Interview:
    """Validate and store ``interview`` with its interviewers and questions, in one transaction.

    A new interview (``id`` None) is inserted; an existing one is updated only if
    its ``revision`` still matches the stored one, otherwise ``RecordChanged``
    is raised and nothing is written. Questions keep their ids across edits.
    Raises ``InvalidInterview`` with the problems when the input is not valid.
    Returns the stored interview with its id and new revision.
    """
    known = categories(con)
    problems = validate(interview, known)
    if problems:
        raise InvalidInterview(problems)
    try:
        # A new interview touches no stored row, so a conflict can only come
        # from DuckDB's shared structures and repeating it is safe. An edit is
        # never repeated: it may be the stale side of two windows' edits.
        if interview.id is None:
            return store.retry_on_conflict(lambda: _save(con, interview))
        return _save(con, interview)
    except duckdb.Error as exc:
        if store.is_conflict(exc):
            raise RecordChanged(
                "This interview was being saved in another window at the same moment. "
                "Your edits are still on screen: reload it to see the other changes, then save again."
            ) from None
        # A full disk, a read-only or damaged file: told as what it is, never as a conflict.
        raise store.explain(exc, con) from exc


def _save(con: duckdb.DuckDBPyConnection, interview: Interview) -> Interview:
    values = [getattr(interview, c) for c in _STORED_COLUMNS]
    values[_STORED_COLUMNS.index("company")] = interview.company.strip()
    with store.writing(con):
        if interview.id is None:
            interview_id, revision = con.execute(_INSERT_INTERVIEW, values).fetchone()
        else:
            row = con.execute(_UPDATE_INTERVIEW, [*values, interview.id, interview.revision]).fetchone()
            if row is None:
                raise RecordChanged(
                    "This interview was changed or deleted in another window since you opened it. "
                    "Your edits are still on screen: copy anything you need, then reload it."
                )
            interview_id, revision = row
            con.execute("DELETE FROM interviewers WHERE interview_id = ?", [interview_id])
        _write_interviewers(con, interview_id, interview.interviewers)
        saved_questions = _write_questions(con, interview_id, interview.questions, is_new=interview.id is None)
    return replace(interview, id=interview_id, revision=revision, questions=saved_questions)


def _write_interviewers(con, interview_id: int, people: list[Interviewer]) -> None:
    if people:
        con.executemany(
            "INSERT INTO interviewers (interview_id, position, name, title) VALUES (?, ?, ?, ?)",
            [[interview_id, i, p.name.strip(), p.title] for i, p in enumerate(people, start=1)],
        )


def _delete_questions(con, question_ids: list[int]) -> None:
    """Delete questions with every row that belongs to them (a question's rows are owned through its id)."""
    for owned in schema.INTERVIEW_OWNED:
        if owned.via_question:
            con.execute(
                sql.render(
                    "DELETE FROM {table} WHERE list_contains(?, {column})", table=owned.table, column=owned.column
                ),
                [question_ids],
            )
    con.execute("DELETE FROM questions WHERE list_contains(?, id)", [question_ids])


def _write_questions(con, interview_id: int, questions: list[Question], *, is_new: bool) -> list[Question]:
    existing = set()
    if not is_new:
        existing = {
            r[0] for r in con.execute("SELECT id FROM questions WHERE interview_id = ?", [interview_id]).fetchall()
        }
    kept = {q.id for q in questions if q.id in existing}
    removed = existing - kept
    if removed:
        _delete_questions(con, sorted(removed))
    saved, new = [], []
    for position, q in enumerate(questions, start=1):
        q = replace(q, question=q.question.strip())
        values = [getattr(q, c) for c in QUESTION_COLUMNS]
        if q.id in kept:
            con.execute(_UPDATE_QUESTION, [position, *values, q.id])
        else:
            new.append([position, *values])
        saved.append(q)
    if new:
        columns = [list(c) for c in zip(*new, strict=True)]
        ids = dict(
            (position, question_id)
            for question_id, position in con.execute(_INSERT_QUESTIONS, [interview_id, *columns]).fetchall()
        )
        saved = [q if q.id in kept else replace(q, id=ids[position]) for position, q in enumerate(saved, start=1)]
    return saved


def load_interview(con: duckdb.DuckDBPyConnection, interview_id: int) -> Interview | None:
    """Return the stored interview with its interviewers and questions, or None."""
    row = con.execute(_SELECT_INTERVIEW, [interview_id]).fetchone()
    if row is None:
        return None
    interview = Interview(**dict(zip((*_STORED_COLUMNS, "id", "revision"), row, strict=True)))
    interview.interviewers = [
        Interviewer(name, title)
        for name, title in con.execute(
            "SELECT name, title FROM interviewers WHERE interview_id = ? ORDER BY position", [interview_id]
        ).fetchall()
    ]
    interview.questions = [
        Question(**dict(zip((*QUESTION_COLUMNS, "id"), r, strict=True)))
        for r in con.execute(_SELECT_QUESTIONS, [interview_id]).fetchall()
    ]
    return interview


@dataclass(frozen=True)
class Change:
    """One field whose stored value is no longer the one a form was loaded with."""

    field: str  # as the user knows it: "Company", "Question 2 (rating)"
    loaded: str
    stored: str


def _shown(value, limit: int = 60) -> str:
    """A stored value as text for a list of changes; long notes are cut."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, dt.time):
        value = value.strftime("%H:%M")
    return text.clip(str(value), limit)


def changes(loaded: Interview, stored: Interview) -> list[Change]:
    """What differs between the interview a form was loaded from and the one stored now.

    Interview fields by their label, then the interviewers as one list, then
    questions (matched by id): a changed field, a question added or removed.
    """
    found = [
        Change(schema.FIELD[name].label.capitalize(), _shown(getattr(loaded, column)), _shown(getattr(stored, column)))
        for name, column in ((f.name, f.column) for f in schema.FIELDS if f.table == schema.INTERVIEW)
        if getattr(loaded, column) != getattr(stored, column)
    ]
    people = [[text.person(p.name, p.title) for p in i.interviewers] for i in (loaded, stored)]
    if people[0] != people[1]:
        found.append(Change("Interviewers", _shown("; ".join(people[0])), _shown("; ".join(people[1]))))
    before = {q.id: q for q in loaded.questions}
    after = {q.id: q for q in stored.questions}
    for number, q in enumerate(stored.questions, start=1):
        if q.id not in before:
            found.append(Change(f"Question {number} (added)", "(none)", _shown(q.question)))
            continue
        for column in QUESTION_COLUMNS:
            if getattr(before[q.id], column) != getattr(q, column):
                label = f"Question {number} ({schema.FIELD[column].label})"
                found.append(Change(label, _shown(getattr(before[q.id], column)), _shown(getattr(q, column))))
    found += [Change("Question (removed)", _shown(q.question), "(none)") for q in loaded.questions if q.id not in after]
    return found


def delete_interview(con: duckdb.DuckDBPyConnection, interview_id: int) -> bool:
    """Delete an interview with everything that belongs to it, in one transaction; return whether it existed.

    "Everything" is every table in ``schema.INTERVIEW_OWNED``: interviewers,
    questions, the follow-through and its ticks, and practice's seen-rows.
    """
    with store.writing(con):
        for owned in schema.INTERVIEW_OWNED:
            con.execute(schema.delete_owned_sql(owned), {"ids": [interview_id]})
        deleted = con.execute("DELETE FROM interviews WHERE id = ? RETURNING id", [interview_id]).fetchall()
    return bool(deleted)


@dataclass(frozen=True)
class InterviewFilter:
    """What the Interviews list is narrowed to; empty tuples mean "any"."""

    companies: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None


_LIST_INTERVIEWS = sql.render(
    """
    SELECT i.id, i.interview_date AS date, i.interview_time AS time, i.company, i.role, i.stage, i.format, i.outcome,
           count(q.id) AS questions, round(avg(q.rating), 1) AS avg_rating,
           count(q.id) FILTER (WHERE {weak}) AS weak_answers
    FROM interviews i LEFT JOIN questions q ON q.interview_id = i.id
    WHERE (len($companies) = 0 OR list_contains($companies, i.company))
      AND (len($stages) = 0 OR list_contains($stages, i.stage))
      AND (len($outcomes) = 0 OR list_contains($outcomes, i.outcome))
      AND ($start IS NULL OR i.interview_date >= $start)
      AND ($end IS NULL OR i.interview_date <= $end)
    GROUP BY ALL
    ORDER BY i.interview_date DESC, i.interview_time DESC NULLS LAST, i.id DESC
    LIMIT $limit
""",
    weak=schema.weak_sql("q.rating"),
)


def list_interviews(
    con: duckdb.DuckDBPyConnection, where: InterviewFilter = InterviewFilter(), limit: int | None = None
) -> pd.DataFrame:
    """One row per interview matching ``where``, newest first (at most ``limit``), with question counts and mean rating."""
    return con.execute(
        _LIST_INTERVIEWS,
        {
            "limit": limit,
            "companies": list(where.companies),
            "stages": list(where.stages),
            "outcomes": list(where.outcomes),
            "start": where.start,
            "end": where.end,
        },
    ).df()


def companies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every company with a stored interview, alphabetically."""
    return [r[0] for r in con.execute("SELECT DISTINCT company FROM interviews ORDER BY lower(company)").fetchall()]


def date_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest interview dates, or (None, None) when there are none."""
    return con.execute("SELECT min(interview_date), max(interview_date) FROM interviews").fetchone()


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many interviews and questions are stored, and how many interviews await a decision."""
    interviews, pending, questions = con.execute(
        "SELECT (SELECT count(*) FROM interviews), (SELECT count(*) FROM interviews WHERE outcome = 'pending'), "
        "(SELECT count(*) FROM questions)"
    ).fetchone()
    return {"interviews": interviews, "pending": pending, "questions": questions}
