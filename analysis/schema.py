"""The one description of Debrief's data: its fields, the tables an interview owns, and its rules.

Everything that lists the interview's columns (import, export, the backup,
the import preview, deleting an interview, replacing the demo) derives that
list from here, so a new field or table is added in one place.

The domain rules that more than one module applies also live here:
what a weak answer is and when two questions are "the same question".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis import sql
from analysis.sql import SQL

# --- fields ---------------------------------------------------------------------------------------

INTERVIEW = "interviews"
QUESTION = "questions"
INTERVIEWER = "interviewers"
QUESTION_STORIES = "question_stories"


@dataclass(frozen=True)
class Field:
    """One field of an interview as the user and the canonical CSV know it.

    ``name`` is the canonical CSV header and the name the importer maps onto;
    ``table`` and ``column`` say where it is stored; ``kind`` says how a value
    is parsed (text, date, time, rating, a vocabulary name, ``percent`` for a
    whole number from 0 to 100, ``people`` for the interviewers list, or
    ``stories`` for the titles of the stories an answer told); ``keep_whitespace`` marks free text whose leading
    and trailing spaces and line breaks are the user's own.
    """

    name: str
    table: str
    column: str
    kind: str
    label: str
    required: bool = False
    keep_whitespace: bool = False

    @property
    def is_interview(self) -> bool:
        """Whether the field belongs to the interview (repeated on each of its rows) rather than a question."""
        return self.table in (INTERVIEW, INTERVIEWER)

    @property
    def is_stored_column(self) -> bool:
        """Whether the field is a column of ``interviews`` or ``questions`` (not a list of linked rows)."""
        return self.table in (INTERVIEW, QUESTION)


# In the canonical CSV's order: the interview's fields, then the question's.
FIELDS: tuple[Field, ...] = (
    Field("date", INTERVIEW, "interview_date", "date", "date", required=True),
    Field("time", INTERVIEW, "interview_time", "time", "time"),
    Field("company", INTERVIEW, "company", "text", "company", required=True),
    Field("role", INTERVIEW, "role", "text", "role"),
    Field("stage", INTERVIEW, "stage", "stage", "stage"),
    Field("format", INTERVIEW, "format", "format", "format"),
    Field("interviewers", INTERVIEWER, "name", "people", "interviewers"),
    Field("recruiter", INTERVIEW, "recruiter", "text", "recruiter"),
    Field("outcome", INTERVIEW, "outcome", "outcome", "outcome"),
    Field("decided_on", INTERVIEW, "decided_on", "date", "decided on"),
    # "How likely are you to advance?", asked at debrief time: the calibration scorecard's prediction.
    Field("predicted_advance", INTERVIEW, "predicted_advance", "percent", "chance to advance (%)"),
    Field("role_notes", INTERVIEW, "role_notes", "text", "role notes", keep_whitespace=True),
    Field("company_notes", INTERVIEW, "company_notes", "text", "company notes", keep_whitespace=True),
    Field("people_notes", INTERVIEW, "people_notes", "text", "people notes", keep_whitespace=True),
    Field("culture_notes", INTERVIEW, "culture_notes", "text", "culture notes", keep_whitespace=True),
    Field("questions_to_ask", INTERVIEW, "questions_to_ask", "text", "questions to ask", keep_whitespace=True),
    Field("question", QUESTION, "question", "text", "question"),
    Field("category", QUESTION, "category", "category", "category"),
    Field("rating", QUESTION, "rating", "rating", "rating"),
    Field("reaction", QUESTION, "reaction", "reaction", "reaction"),
    Field("clarify", QUESTION, "clarify", "text", "clarify", keep_whitespace=True),
    Field("better_answer", QUESTION, "better_answer", "text", "better answer", keep_whitespace=True),
    Field("notes", QUESTION, "notes", "text", "notes", keep_whitespace=True),
    # The stories the answer told, by title: stored as links in ``question_stories``.
    Field("stories", QUESTION_STORIES, "story_id", "stories", "stories told"),
)

# The canonical CSV's first column: the interview's id in the database it was exported from. Not a
# field of an interview: the importer groups rows by it, so two interviews on one day at one company,
# role and stage stay two.
INTERVIEW_IDENTITY = "interview"

FIELD = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
INTERVIEW_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.is_interview)
QUESTION_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.is_interview)
REQUIRED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
FIELD_LABELS: dict[str, str] = {f.name: f.label for f in FIELDS}
KEEP_WHITESPACE: frozenset[str] = frozenset(f.name for f in FIELDS if f.keep_whitespace)

# Stored columns of ``interviews`` and ``questions`` that the user edits, in field order.
INTERVIEW_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.table == INTERVIEW)
QUESTION_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.table == QUESTION)

# Stored columns of ``questions`` that the importer writes itself (the linked stories are another table's rows).
QUESTION_STORED_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.table == QUESTION)

# The story bank's own CSV, beside the canonical one: one row per story, competencies as a list
# escaped like the interviewers cell. The importer knows it by its headers.
STORY_BANK_HEADERS: tuple[str, ...] = ("title", "situation", "task", "action", "result", "competencies")


def fields_of(names: Iterable[str]) -> tuple[Field, ...]:
    """The ``Field`` for each name, in the order given."""
    return tuple(FIELD[n] for n in names)


# --- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owned:
    """A table whose rows belong to one interview, and how they point at it.

    ``column`` holds an interview id, or (``via_question``) the id of one of
    the interview's questions.
    """

    table: str
    column: str
    via_question: bool = False


# Every table whose rows belong to an interview: deleting the interview deletes
# these rows with it. Children come before the rows they point at.
INTERVIEW_OWNED: tuple[Owned, ...] = (
    Owned("question_stories", "question_id", via_question=True),
    Owned("practice_seen", "question_id", via_question=True),
    Owned("followup_ticks", "interview_id"),
    Owned("followups", "interview_id"),
    Owned("interviewers", "interview_id"),
    Owned("questions", "interview_id"),
)

# Tables that hold the user's history but belong to no single interview. With
# INTERVIEW_OWNED and ``interviews`` they are everything the demo replaces.
# Children come before the rows they point at, as above.
HISTORY_TABLES: tuple[str, ...] = ("story_competencies", "stories", "practice_reviews", "practice_cards")

# Tables that describe the database rather than its history: never replaced.
META_TABLES: tuple[str, ...] = ("schema_migrations", "settings", "categories", sql.DATA_CHANGES)

# Work in progress that is the user's but not yet history: the Log page's
# unsaved drafts. Backed up, never replaced by the demo, never counted as history.
WORKING_TABLES: tuple[str, ...] = ("drafts",)

# Columns that may refer to an interview or a question without the row being
# owned by it (a practice review outlives the answer that graded it).
# A draft outlives its interview deleted in another window: the typed text is the user's.
NOT_OWNING: frozenset[tuple[str, str]] = frozenset({("practice_reviews", "question_id"), ("drafts", "interview_id")})

# Every table in restore order: a backup writes them in this order and a restore reads them back so.
ALL_TABLES: tuple[str, ...] = (
    *META_TABLES,
    INTERVIEW,
    *(o.table for o in reversed(INTERVIEW_OWNED)),
    *reversed(HISTORY_TABLES),
    *WORKING_TABLES,
)


def delete_owned_sql(owned: Owned) -> SQL:
    """The statement deleting ``owned``'s rows of the interviews whose ids are bound as a list (``$ids``)."""
    if owned.via_question:
        return sql.render(
            "DELETE FROM {table} WHERE {column} IN (SELECT id FROM questions WHERE list_contains($ids, interview_id))",
            table=owned.table,
            column=owned.column,
        )
    return sql.render("DELETE FROM {table} WHERE list_contains($ids, {column})", table=owned.table, column=owned.column)


# --- rules ----------------------------------------------------------------------------------------

# An answer rated this or lower is weak: it wants a better-answer draft, shows
# among weak answers, and counts as "Again" when it grades a practice card.
WEAK_RATING = 2

# Two wordings whose question keys score at least this (rapidfuzz's
# token_sort_ratio) are the same question asked in other words.
SIMILAR_QUESTION_SCORE = 78


def is_weak(rating) -> bool:
    """Whether a 1–5 rating is a weak answer."""
    # NaN (a blank pandas cell) compares false, as NULL does in SQL.
    return rating is not None and float(rating) <= WEAK_RATING


def weak_sql(column: str) -> SQL:
    """SQL: whether the rating in ``column`` (a trusted column reference) is a weak answer."""
    return SQL(f"({column} <= {WEAK_RATING})")


_NOT_WORD = re.compile(r"[^\w]+|_+")
_LOWER_ONE_BY_ONE = str.maketrans({"Σ": "σ", "İ": "i"})


def question_key(text: str | None) -> str:
    """The key two wordings of one question share: letters and digits only, lower case, single spaces.

    "Tell me about yourself." and "tell me  about yourself" share a key. The
    SQL twin is ``question_key_sql``; both give the same key for any text made
    of characters this Python's Unicode database knows (a letter added in a
    later Unicode version is a letter to DuckDB but not yet to Python).
    """
    if text is None:
        return ""
    words = _NOT_WORD.sub(" ", str(text))
    # DuckDB's lower() maps each character on its own; Python's lowers a final
    # capital sigma to "ς" and "İ" to two characters. Map those two first so
    # both sides agree.
    return " ".join(words.translate(_LOWER_ONE_BY_ONE).lower().split())


def question_key_sql(expr: str) -> SQL:
    """SQL: ``question_key`` of the text in ``expr`` (a trusted SQL expression)."""
    return SQL(rf"lower(trim(regexp_replace(coalesce({expr}, ''), '[^\p{{L}}\p{{N}}]+', ' ', 'g')))")
