"""Drafts of the Log page: what the user typed but has not saved yet, kept in the database.

The page writes its draft on every change, so a reload, a closed tab or a
navigation loses nothing; the draft is offered back on return ("Continue your
debrief of Acme, started 14:05") and goes only when the interview is saved or
the user discards it.

A draft is keyed by the form it belongs to: ``edit_key(id)`` for an edit of a
stored interview (one draft per interview), ``new_key()`` for a new interview
(one per form; the page offers the most recent ones back). Its content is the
typed interview (``analysis.interviews.Interview``), the stories linked to each
question, and, for an edit, the version the form was loaded from, so a save
from a continued draft is still checked against what the user saw.

Each function is one statement or one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid

import duckdb

from analysis import store, text
from analysis.interviews import Interview, Interviewer, Question

_NEW_PREFIX = "new:"
_EDIT_PREFIX = "interview:"
_DATES = ("interview_date", "decided_on")


@dataclasses.dataclass
class Draft:
    """One stored draft: its key, what was typed, and when it was started and last changed."""

    key: str
    interview: Interview
    stories: list[list[int]]  # per question, in order: the ids of the stories linked
    loaded: Interview | None  # for an edit: the version the form was filled from
    started_at: dt.datetime
    updated_at: dt.datetime

    @property
    def interview_id(self) -> int | None:
        """The stored interview this draft edits, or None for a new interview."""
        return interview_id_of(self.key)


def new_key() -> str:
    """A key for the draft of a new interview, unique to one form."""
    return _NEW_PREFIX + uuid.uuid4().hex


def edit_key(interview_id: int) -> str:
    """The key of the draft editing stored interview ``interview_id``."""
    return f"{_EDIT_PREFIX}{int(interview_id)}"


def interview_id_of(key: str) -> int | None:
    """The interview an edit draft's ``key`` names, or None for a new interview's draft."""
    return int(key.removeprefix(_EDIT_PREFIX)) if key.startswith(_EDIT_PREFIX) else None


def _plain(interview: Interview | None) -> dict | None:
    """``interview`` as JSON-ready values: dates and times as ISO text."""
    if interview is None:
        return None
    values = dataclasses.asdict(interview)
    for name in (*_DATES, "interview_time"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return values


def _interview(values: dict | None) -> Interview | None:
    """The inverse of ``_plain``; fields a later Debrief added and this one does not know are ignored."""
    if values is None:
        return None
    known = {f.name for f in dataclasses.fields(Interview)}
    values = {k: v for k, v in values.items() if k in known}
    for name in _DATES:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    if values.get("interview_time"):
        values["interview_time"] = dt.time.fromisoformat(values["interview_time"])
    values["interviewers"] = [Interviewer(**p) for p in values.get("interviewers") or []]
    values["questions"] = [Question(**q) for q in values.get("questions") or []]
    return Interview(**values)


def save_draft(
    con: duckdb.DuckDBPyConnection,
    key: str,
    interview: Interview,
    stories: list[list[int]] | None = None,
    loaded: Interview | None = None,
) -> None:
    """Store (or replace) the draft ``key``: the typed ``interview``, its ``stories`` per question, the ``loaded`` version.

    The draft keeps the time it was first started; every save updates its last change.
    """
    content = json.dumps({"interview": _plain(interview), "stories": stories or [], "loaded": _plain(loaded)})

    def write() -> None:
        with store.writing(con, work_in_progress=True):
            con.execute(
                """
                INSERT INTO drafts (draft_key, interview_id, company, content) VALUES (?, ?, ?, ?)
                ON CONFLICT (draft_key) DO UPDATE SET company = excluded.company, content = excluded.content,
                    updated_at = current_localtimestamp()
                """,
                [key, interview_id_of(key), (interview.company or "").strip() or None, content],
            )

    # A page writes its draft on every change, so two writes of one draft can meet: the last one wins.
    store.retry_on_conflict(write)


_SELECT_ONE = "SELECT draft_key, content, started_at, updated_at FROM drafts WHERE draft_key = ?"
_SELECT_NEW = (
    "SELECT draft_key, content, started_at, updated_at FROM drafts "
    "WHERE starts_with(draft_key, ?) AND draft_key IS DISTINCT FROM ? ORDER BY updated_at DESC, draft_key LIMIT ?"
)


def _draft(row) -> Draft:
    key, content, started_at, updated_at = row
    values = json.loads(content)
    interview = _interview(values["interview"])
    stories = [list(s) for s in values.get("stories") or []]
    return Draft(key, interview, stories, _interview(values.get("loaded")), started_at, updated_at)


def load_draft(con: duckdb.DuckDBPyConnection, key: str) -> Draft | None:
    """The draft stored under ``key``, or None."""
    row = con.execute(_SELECT_ONE, [key]).fetchone()
    return _draft(row) if row else None


def new_drafts(con: duckdb.DuckDBPyConnection, limit: int = 5, exclude: str | None = None) -> list[Draft]:
    """The drafts of new interviews, most recently changed first (not ``exclude``, the form's own)."""
    rows = con.execute(_SELECT_NEW, [_NEW_PREFIX, exclude, limit]).fetchall()
    return [_draft(r) for r in rows]


def discard_draft(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    """Delete the draft ``key``; return whether there was one."""

    def delete() -> list:
        with store.writing(con, work_in_progress=True):
            return con.execute("DELETE FROM drafts WHERE draft_key = ? RETURNING draft_key", [key]).fetchall()

    return bool(store.retry_on_conflict(delete))


def offer(draft: Draft) -> str:
    """The words offering ``draft`` back: "Continue your debrief of Acme, started 14:05" (or "on 2 Dec, 14:05")."""
    company = (draft.interview.company or "").strip()
    what = f"your debrief of {company}" if company else "your unsaved debrief"
    if draft.interview_id is not None:
        what = f"your changes to the interview with {company}" if company else "your unsaved changes"
    started = draft.started_at
    when = (
        f"{started:%H:%M}" if started.date() == dt.date.today() else f"on {started.day} {started:%b}, {started:%H:%M}"
    )
    return f"Continue {what}, started {when}"


def kept(interview: Interview) -> str:
    """What the stored draft holds, said back to the user: "Kept as a draft: Acme, 2 questions, 1 rated."

    The page shows it once the draft is written, so a tab can be closed on it.
    """
    rated = sum(q.rating is not None for q in interview.questions)
    company = (interview.company or "").strip() or "no company yet"
    questions = text.count(len(interview.questions), "question") if interview.questions else "no questions yet"
    return f"Kept as a draft: {company}, {questions}" + (f", {rated:,} rated." if rated else ".")
