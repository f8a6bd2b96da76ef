"""The 48 hours after an interview: a checklist with due times, the follow-up record, the settings.

Five steps from a recruiter's advice (ask how to follow up, review, make notes,
ask the recruiter for feedback, thank the interviewers and connect on LinkedIn)
become six checklist items per interview. An item is done when the data shows
it (every answer rated, notes written, a date recorded) or when ticked by hand.

Times: due times are wall-clock times in the user's time zone, counted from the
end of the interview, so "+24 h" after a 10:00 interview is 10:00 the next day
even across a daylight-saving change. Ticks and "sent" times are stored in UTC.

The message drafts and the calendar file built from all this are in ``analysis.messages``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shlex
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from analysis import followup_settings, schema, sql, store
from analysis.interviews import RecordChanged
from analysis.sql import SQL

LIVE_DAYS = 7  # logged within this many days of the interview: a live checklist
DUE_SOON_HOURS = 24
DEFAULT_END_TIME = dt.time(17, 0)  # when the interview's time is not known
INTERVIEW_LENGTH = dt.timedelta(hours=1)
LINKEDIN_LIMIT = 300  # characters LinkedIn allows in a connection note
CHANNELS = ("email", "phone", "through the recruiter", "LinkedIn", "other")


# The steps and the settings live in analysis.followup_settings; these names stay importable from here.
DEFAULT_LINKEDIN = followup_settings.DEFAULT_LINKEDIN
DEFAULT_THANK_YOU = followup_settings.DEFAULT_THANK_YOU
ITEM_KEYS = followup_settings.ITEM_KEYS
ITEMS = followup_settings.ITEMS
PLACEHOLDERS = followup_settings.PLACEHOLDERS
Item = followup_settings.Item
Settings = followup_settings.Settings
load_settings = followup_settings.load_settings
save_settings = followup_settings.save_settings
template_fields = followup_settings.template_fields
zone = followup_settings.zone
# --- due times ---------------------------------------------------------------


def interview_end(date: dt.date, time: dt.time | None, tz: ZoneInfo) -> dt.datetime:
    """When the interview ended, as an aware local time (an hour after it began, or 17:00)."""
    if time is None:
        return _localize(dt.datetime.combine(date, DEFAULT_END_TIME), tz)
    return _localize(dt.datetime.combine(date, time) + INTERVIEW_LENGTH, tz)


def due_at(end: dt.datetime, hours: float) -> dt.datetime:
    """``hours`` after ``end`` on the wall clock of ``end``'s time zone.

    Whole days keep the time of day across daylight-saving changes; a due time
    that falls in a spring-forward gap moves to the first valid time after it.
    """
    naive = end.replace(tzinfo=None) + dt.timedelta(hours=hours)
    return _localize(naive, end.tzinfo)


def _localize(naive: dt.datetime, tz) -> dt.datetime:
    aware = naive.replace(tzinfo=tz, fold=0)
    # A wall-clock time skipped by a spring-forward change does not survive a
    # round trip through UTC; take the time the clocks jumped to instead.
    round_trip = aware.astimezone(dt.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        return round_trip
    return aware


# --- the checklist -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ItemStatus:
    interview_id: int
    key: str
    step: int
    title: str
    what: str
    due: dt.datetime
    done: bool
    done_at: dt.datetime | None
    by_hand: bool
    state: str  # done, overdue, due soon, upcoming, closed


@dataclasses.dataclass
class FollowUp:
    """What the user recorded of an interview's follow-through."""

    contact: str | None = None
    channel: str | None = None
    follow_up_on: dt.date | None = None
    decision_expected_on: dt.date | None = None
    feedback_requested_on: dt.date | None = None
    feedback: str | None = None
    feedback_received_on: dt.date | None = None
    thank_you_sent_at: dt.datetime | None = None
    linkedin_sent_at: dt.datetime | None = None
    state: str | None = None


FOLLOWUP_COLUMNS = tuple(f.name for f in dataclasses.fields(FollowUp))

# Why a checklist is open or closed. The user's own choice wins; otherwise an
# interview logged more than LIVE_DAYS after it took place is history, and a
# live checklist goes quiet QUIET_DAYS after the interview, so steps nobody will
# do any more stop nagging (an expected decision still shows as "no word yet").
_STATE_SQL = SQL("""
CASE WHEN f.state = 'open' THEN 'open'
     WHEN f.state = 'closed' THEN 'closed by you'
     WHEN i.created_at::DATE - i.interview_date > $live_days THEN 'logged late'
     WHEN i.interview_date < $today - $quiet_days THEN 'past'
     ELSE 'open' END
""")

# Everything the checklist is derived from, one row per chosen interview.
# {where} is one of the fixed conditions below, {state} is _STATE_SQL and {weak}
# the weak-answer rule: never user text.
_CHECKLIST_SQL = """
WITH picked AS (
    SELECT i.id, i.company, i.role, i.stage, i.interview_date, i.interview_time, i.outcome, i.created_at AS logged_at,
           i.role_notes, i.company_notes, i.people_notes, i.culture_notes, i.questions_to_ask,
           f.contact, f.channel, f.decision_expected_on, f.feedback_requested_on, f.feedback,
           f.thank_you_sent_at, f.linkedin_sent_at,
           {state} AS checklist_state
    FROM interviews i LEFT JOIN followups f ON f.interview_id = i.id
),
chosen AS (SELECT * FROM picked WHERE {where}),
facts AS (
    SELECT c.* EXCLUDE (role_notes, company_notes, people_notes, culture_notes, questions_to_ask),
           coalesce(q.questions, 0) AS questions,
           coalesce(q.unreviewed, 0) AS unreviewed,
           (coalesce(trim(c.role_notes), '') <> '')::INT
             + (coalesce(trim(c.company_notes), '') <> '')::INT
             + (coalesce(trim(c.people_notes), '') <> '')::INT
             + (coalesce(trim(c.culture_notes), '') <> '')::INT
             + (coalesce(trim(c.questions_to_ask), '') <> '')::INT AS notes_written,
           coalesce(t.ticks, MAP {{}}) AS ticks
    FROM chosen c
    LEFT JOIN (
        SELECT interview_id, count(*) AS questions,
               count(*) FILTER (WHERE rating IS NULL OR ({weak} AND coalesce(trim(better_answer), '') = ''))
                   AS unreviewed
        FROM questions WHERE interview_id IN (SELECT id FROM chosen) GROUP BY interview_id
    ) q ON q.interview_id = c.id
    LEFT JOIN (
        SELECT interview_id, map(list(item), list(ticked_at)) AS ticks
        FROM followup_ticks WHERE interview_id IN (SELECT id FROM chosen) GROUP BY interview_id
    ) t ON t.interview_id = c.id
),
-- What the data shows done, item by item (the rules in this module's docstring).
derived AS (
    SELECT *,
           coalesce(trim(contact), '') <> '' AND decision_expected_on IS NOT NULL AS plan_done,
           questions > 0 AND unreviewed = 0 AS review_done,
           notes_written >= 2 AS notes_done,
           feedback_requested_on IS NOT NULL OR coalesce(trim(feedback), '') <> '' AS feedback_done,
           thank_you_sent_at IS NOT NULL AS thank_you_done,
           linkedin_sent_at IS NOT NULL AS linkedin_done
    FROM facts
)
SELECT *,
       (plan_done OR contains(map_keys(ticks), 'plan'))
       AND (review_done OR contains(map_keys(ticks), 'review'))
       AND (notes_done OR contains(map_keys(ticks), 'notes'))
       AND (feedback_done OR contains(map_keys(ticks), 'feedback'))
       AND (thank_you_done OR contains(map_keys(ticks), 'thank_you'))
       AND (linkedin_done OR contains(map_keys(ticks), 'linkedin')) AS all_done
FROM derived
ORDER BY interview_date, id
"""
_ONE = SQL("id = $id")
_LIVE = SQL("checklist_state = 'open'")
QUIET_DAYS = 14
LOGGING_GRACE = dt.timedelta(hours=2)


def _statuses(row: dict, settings: Settings, now: dt.datetime) -> list[ItemStatus]:
    tz = settings.zone
    end = interview_end(row["interview_date"], _time_or_none(row["interview_time"]), tz)
    ticks = row["ticks"] or {}
    times = {
        "feedback": row["feedback_requested_on"],
        "thank_you": row["thank_you_sent_at"],
        "linkedin": row["linkedin_sent_at"],
    }
    closed = row["checklist_state"] != "open"
    # Logging is not late: a step of a live checklist falls due no sooner than
    # LOGGING_GRACE after the interview was logged, so nothing is overdue the
    # moment it is saved. An interview logged long after (LIVE_DAYS) starts closed.
    earliest = _logged(row.get("logged_at")) + LOGGING_GRACE if row.get("logged_at") is not None else None
    result = []
    for item in ITEMS:
        due = due_at(end, settings.hours[item.key])
        if earliest is not None and row["checklist_state"] == "open" and due < earliest:
            due = earliest.astimezone(tz)
        from_data, data_time = bool(row[f"{item.key}_done"]), times.get(item.key)
        ticked = ticks.get(item.key)
        done = from_data or ticked is not None
        # What the data records (a sent time) wins over a tick: it is the fact.
        done_at = _as_moment(data_time, tz) if data_time is not None else _utc(ticked) if ticked is not None else None
        if done:
            state = "done"
        elif closed:
            state = "closed"
        elif now > due:
            state = "overdue"
        elif now > due - dt.timedelta(hours=DUE_SOON_HOURS):
            state = "due soon"
        else:
            state = "upcoming"
        result.append(
            ItemStatus(
                interview_id=int(row["id"]),
                key=item.key,
                step=item.step,
                title=item.title,
                what=item.what,
                due=due,
                done=done,
                done_at=done_at,
                by_hand=ticked is not None and not from_data,
                state=state,
            )
        )
    return result


def _time_or_none(value) -> dt.time | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def _logged(naive: dt.datetime) -> dt.datetime:
    """When an interview was logged: stored as this machine's local time (DuckDB's current_localtimestamp)."""
    return _localize(naive, zone(""))


def _utc(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=dt.UTC)


def _as_moment(value, tz: ZoneInfo) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _utc(value)
    return _localize(dt.datetime.combine(value, dt.time(12, 0)), tz)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now(dt.UTC)


def _rows(
    con, where: SQL, now: dt.datetime, tz: ZoneInfo, params: dict | None = None, *, to_do_only: bool = False
) -> list[dict]:
    statement = sql.render(_CHECKLIST_SQL, state=_STATE_SQL, where=where, weak=schema.weak_sql("rating"))
    if to_do_only:
        statement = sql.render("SELECT * FROM ({checklist}) WHERE NOT all_done", checklist=statement)
    today = now.astimezone(tz).date()
    cursor = con.execute(
        statement, {"live_days": LIVE_DAYS, "quiet_days": QUIET_DAYS, "today": today, **(params or {})}
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def checklist(
    con: duckdb.DuckDBPyConnection, interview_id: int, now: dt.datetime | None = None, settings: Settings | None = None
) -> list[ItemStatus]:
    """The six checklist items of one interview, in order, with their state at ``now``."""
    return checklist_with_state(con, interview_id, now, settings)[1]


def checklist_state(
    con: duckdb.DuckDBPyConnection, interview_id: int, now: dt.datetime | None = None, settings: Settings | None = None
) -> str:
    """'open', or why the checklist is closed: 'closed by you', 'logged late' or 'past'."""
    return checklist_with_state(con, interview_id, now, settings)[0]


def checklist_with_state(
    con: duckdb.DuckDBPyConnection, interview_id: int, now: dt.datetime | None = None, settings: Settings | None = None
) -> tuple[str, list[ItemStatus]]:
    """``checklist_state`` and ``checklist`` of one interview from one query (a page showing both)."""
    settings = settings or load_settings(con)
    now = _now(now)
    rows = _rows(con, _ONE, now, settings.zone, {"id": interview_id})
    if not rows:
        return "closed by you", []
    return rows[0]["checklist_state"], _statuses(rows[0], settings, now)


def due_now(
    con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Overdue and due-soon items across every live checklist, most urgent first."""
    now = _now(now)
    settings = settings or load_settings(con)
    records = []
    for row in _rows(con, _LIVE, now, settings.zone, to_do_only=True):
        for status in _statuses(row, settings, now):
            if status.state in ("overdue", "due soon"):
                records.append(
                    {
                        "interview_id": status.interview_id,
                        "company": row["company"],
                        "role": row["role"],
                        "stage": row["stage"],
                        "interview_date": row["interview_date"],
                        "item": status.key,
                        "title": status.title,
                        "state": status.state,
                        "due": status.due,
                        "hours_left": (status.due - now).total_seconds() / 3600,
                    }
                )
    columns = "interview_id company role stage interview_date item title state due hours_left".split()
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values(["due", "interview_id", "item"], kind="stable").reset_index(drop=True)


def awaiting_word(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> pd.DataFrame:
    """Interviews whose decision was expected before ``today`` and have no outcome yet."""
    return con.execute(
        """
        SELECT i.id AS interview_id, i.company, i.role, i.stage, i.interview_date, f.decision_expected_on,
               f.contact, f.channel, $today - f.decision_expected_on AS days_late
        FROM interviews i JOIN followups f ON f.interview_id = i.id
        WHERE i.outcome = 'pending' AND f.decision_expected_on < $today
        ORDER BY f.decision_expected_on, i.id
        """,
        {"today": today or dt.date.today()},
    ).df()


def live_checklists(
    con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None
) -> list[tuple[dict, list[ItemStatus]]]:
    """Every live checklist at ``now``: the interview's row and its six items."""
    now = _now(now)
    settings = settings or load_settings(con)
    return [(row, _statuses(row, settings, now)) for row in _rows(con, _LIVE, now, settings.zone)]


def overdue_count(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None) -> int:
    """How many checklist items are overdue across live checklists."""
    frame = due_now(con, now)
    return int((frame["state"] == "overdue").sum())


# --- recording --------------------------------------------------------------


def load_followup(con: duckdb.DuckDBPyConnection, interview_id: int) -> FollowUp:
    """What was recorded of the interview's follow-through (empty if nothing yet)."""
    row = con.execute(
        sql.render("SELECT {columns} FROM followups WHERE interview_id = ?", columns=sql.idents(FOLLOWUP_COLUMNS)),
        [interview_id],
    ).fetchone()
    return FollowUp(*row) if row else FollowUp()


class FollowUpChanged(RecordChanged):
    """The follow-through record changed in another window since it was loaded.

    ``fields`` names the fields whose stored value differs from the loaded one
    and from the one being saved; ``stored`` is the record as it is now.
    """

    def __init__(self, fields: list[str], stored: FollowUp):
        self.fields = fields
        self.stored = stored
        super().__init__(
            "This follow-up record was changed in another window since you opened it: "
            + ", ".join(FOLLOWUP_LABELS[f] for f in fields)
            + ". Your entries are still on screen."
        )


FOLLOWUP_LABELS = {
    "contact": "whom to follow up with",
    "channel": "how",
    "follow_up_on": "follow up on",
    "decision_expected_on": "decision expected by",
    "feedback_requested_on": "feedback requested on",
    "feedback": "feedback received",
    "feedback_received_on": "feedback received on",
    "thank_you_sent_at": "thank-you sent",
    "linkedin_sent_at": "LinkedIn note sent",
    "state": "checklist open or closed",
}

_UPSERT_FOLLOWUP = sql.render(
    "INSERT INTO followups (interview_id, {columns}) VALUES (?, {slots}) "
    "ON CONFLICT (interview_id) DO UPDATE SET {updates}",
    columns=sql.idents(FOLLOWUP_COLUMNS),
    slots=SQL(", ".join("?" for _ in FOLLOWUP_COLUMNS)),
    updates=sql.join(sql.render("{column} = excluded.{column}", column=c) for c in FOLLOWUP_COLUMNS),
)


def save_followup(
    con: duckdb.DuckDBPyConnection, interview_id: int, followup: FollowUp, loaded: FollowUp | None = None
) -> None:
    """Store the follow-through record of an interview, in one transaction.

    With ``loaded`` (the record as the user's form was filled from) this is a
    compare-and-set: if another window changed a field since, to something
    other than what is being saved, ``FollowUpChanged`` is raised and nothing
    is written. ``RecordChanged`` means the interview itself is gone.
    """
    if followup.state not in (None, "open", "closed"):
        raise ValueError("state must be 'open', 'closed' or None")
    try:
        with store.writing(con):
            if con.execute("SELECT count(*) FROM interviews WHERE id = ?", [interview_id]).fetchone()[0] == 0:
                raise RecordChanged(
                    "That interview was deleted in another window: reload the page to see what is left."
                )
            if loaded is not None:
                stored = load_followup(con, interview_id)
                changed = changed_fields(loaded, stored, followup)
                if changed:
                    raise FollowUpChanged(changed, stored)
            con.execute(_UPSERT_FOLLOWUP, [interview_id, *(getattr(followup, c) for c in FOLLOWUP_COLUMNS)])
    except duckdb.Error as exc:
        if store.is_conflict(exc):
            raise RecordChanged(
                "This follow-up record was being saved in another window at the same moment. "
                "Your entries are still on screen: save again."
            ) from None
        raise


def changed_fields(loaded: FollowUp, stored: FollowUp, saving: FollowUp | None = None) -> list[str]:
    """The fields whose stored value is no longer the loaded one (and, if given, not the one being saved)."""
    return [
        c
        for c in FOLLOWUP_COLUMNS
        if getattr(stored, c) != getattr(loaded, c) and (saving is None or getattr(stored, c) != getattr(saving, c))
    ]


def update_followup(
    con: duckdb.DuckDBPyConnection, interview_id: int, loaded: FollowUp | None = None, **changes
) -> FollowUp:
    """Change some fields of the follow-through record; return the new record.

    Fields not in ``changes`` keep their stored values. With ``loaded``, the
    changed fields are compared and set: see ``save_followup``.
    """
    current = load_followup(con, interview_id)
    followup = dataclasses.replace(current, **changes)
    expected = None if loaded is None else dataclasses.replace(current, **{k: getattr(loaded, k) for k in changes})
    save_followup(con, interview_id, followup, expected)
    return followup


_SENT_AT = {"thank_you": "thank_you_sent_at", "linkedin": "linkedin_sent_at"}


def tick(con: duckdb.DuckDBPyConnection, interview_id: int, item: str, when: dt.datetime | None = None) -> None:
    """Mark a checklist item done by hand, keeping when (UTC).

    A tick never replaces what is already recorded: an earlier tick keeps its
    time, and a message with a recorded sent time gets no tick at all.
    """
    if item not in ITEM_KEYS:
        raise ValueError(f"unknown checklist item {item!r}")
    if item in _SENT_AT and getattr(load_followup(con, interview_id), _SENT_AT[item]) is not None:
        return
    moment = _now(when).astimezone(dt.UTC).replace(tzinfo=None)
    _write_again_on_conflict(
        con,
        "INSERT INTO followup_ticks (interview_id, item, ticked_at) VALUES (?, ?, ?) "
        "ON CONFLICT (interview_id, item) DO NOTHING",
        [interview_id, item, moment],
    )


def untick(con: duckdb.DuckDBPyConnection, interview_id: int, item: str) -> None:
    """Undo a tick by hand; a recorded sent time stays (``mark_unsent`` removes it)."""
    _write_again_on_conflict(
        con, "DELETE FROM followup_ticks WHERE interview_id = ? AND item = ?", [interview_id, item]
    )


def _write_again_on_conflict(con: duckdb.DuckDBPyConnection, *statements) -> None:
    """Run ``statements`` (SQL, parameters, SQL, parameters...) as one write, repeated if another window wrote at once.

    Only for writes that mean the same whenever they run (a tick, an untick): two
    windows ticking one step at one moment both get what they asked for. Failures
    are told as ``StoreError`` (``store.writing``; ``WriteConflict`` after the last try).
    """

    def write() -> None:
        with store.writing(con):
            for statement, params in zip(statements[::2], statements[1::2], strict=True):
                con.execute(statement, params)

    store.retry_on_conflict(write)


def is_sent(con: duckdb.DuckDBPyConnection, interview_id: int, item: str) -> bool:
    """Whether ``item`` is a message whose sending is recorded."""
    return item in _SENT_AT and getattr(load_followup(con, interview_id), _SENT_AT[item]) is not None


def mark_unsent(con: duckdb.DuckDBPyConnection, interview_id: int, message: str) -> None:
    """Take back a message's "sent": its sent time and any tick go."""
    if message not in _SENT_AT:
        raise ValueError("message must be 'thank_you' or 'linkedin'")
    _write_again_on_conflict(
        con,
        "DELETE FROM followup_ticks WHERE interview_id = ? AND item = ?",
        [interview_id, message],
        sql.render("UPDATE followups SET {sent_at} = NULL WHERE interview_id = ?", sent_at=_SENT_AT[message]),
        [interview_id],
    )


def mark_sent(con: duckdb.DuckDBPyConnection, interview_id: int, message: str, when: dt.datetime | None = None) -> None:
    """Record that the thank-you or LinkedIn message went out."""
    if message not in _SENT_AT:
        raise ValueError("message must be 'thank_you' or 'linkedin'")
    moment = _now(when).astimezone(dt.UTC).replace(tzinfo=None)
    update_followup(con, interview_id, **{_SENT_AT[message]: moment})


def set_checklist_state(con: duckdb.DuckDBPyConnection, interview_id: int, state: str) -> None:
    """Reopen ('open') or close ('closed') an interview's checklist."""
    update_followup(con, interview_id, state=state)


def interviews_to_follow(
    con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None, limit: int = 200
) -> pd.DataFrame:
    """Interviews to pick from on the Follow-ups page, the one to open first at the top.

    Live checklists first: the latest interview held by today first (the one just
    over is the one with steps due), then those still ahead, soonest first (nothing
    to follow up yet); then every other interview, newest first.
    """
    settings = settings or load_settings(con)
    statement = sql.render(
        "SELECT i.id AS interview_id, i.company, i.stage, i.interview_date, ({state}) = 'open' AS live "
        "FROM interviews i LEFT JOIN followups f ON f.interview_id = i.id "
        "ORDER BY live DESC, i.interview_date > $today, "
        "CASE WHEN i.interview_date > $today THEN i.interview_date END, i.interview_date DESC, i.id DESC "
        "LIMIT $limit",
        state=_STATE_SQL,
    )
    today = _now(now).astimezone(settings.zone).date()
    return con.execute(
        statement, {"live_days": LIVE_DAYS, "quiet_days": QUIET_DAYS, "today": today, "limit": limit}
    ).df()


# --- before the interview -----------------------------------------------------

PREP_TIME = dt.time(18, 0)  # the evening before an interview, when its prep reminder goes off


def upcoming_preps(
    con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None, days: int = 1
) -> pd.DataFrame:
    """Interviews from now (local time) to ``days`` days ahead, soonest first: the rounds to prepare for.

    Besides the interview's columns: ``when`` ("today", "tomorrow", "in 3 days"), ``prepare_at``
    (the evening before, local time) and ``brief_command``, the command printing its brief.
    """
    tz = (settings or load_settings(con)).zone
    local = _now(now).astimezone(tz)
    frame = con.execute(
        "SELECT id AS interview_id, company, role, stage, interview_date, interview_time, "
        "interview_date - $today AS days_ahead FROM interviews "
        "WHERE interview_date + coalesce(interview_time, TIME '23:59:59') > $now AND interview_date <= $today + $days "
        "ORDER BY interview_date, interview_time NULLS LAST, id",
        {"now": local.replace(tzinfo=None), "today": local.date(), "days": days},
    ).df()
    frame["when"] = [{0: "today", 1: "tomorrow"}.get(n, f"in {n} days") for n in frame.pop("days_ahead")]
    evening = [
        dt.datetime.combine(pd.Timestamp(d).date() - dt.timedelta(days=1), PREP_TIME) for d in frame["interview_date"]
    ]
    frame["prepare_at"] = [_localize(moment, tz) for moment in evening]
    frame["brief_command"] = [brief_command(r.company, r.role, r.stage) for r in frame.itertuples()]
    return frame


def brief_command(company: str, role: str | None = None, stage: str | None = None) -> str:
    """The command line that prints the brief for a round at ``company``, quoted for a POSIX shell."""
    words = ["python", "-m", "analysis", "brief", "--company", company]
    for option, value in (("--role", role), ("--stage", stage)):
        if isinstance(value, str) and value.strip():
            words += [option, value]
    return shlex.join(words)
