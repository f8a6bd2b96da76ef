"""The 48 hours after an interview: a checklist with due times, drafts and reminders.

Five steps from a recruiter's advice (ask how to follow up, review, make notes,
ask the recruiter for feedback, thank the interviewers and connect on LinkedIn)
become six checklist items per interview. An item is done when the data shows
it (every answer rated, notes written, a date recorded) or when ticked by hand.

Times: due times are wall-clock times in the user's time zone, counted from the
end of the interview, so "+24 h" after a 10:00 interview is 10:00 the next day
even across a daylight-saving change. Ticks and "sent" times are stored in UTC.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import string
import sys
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import pandas as pd
import tzlocal

from analysis import store
from analysis.interviews import InvalidInterview, Problem

LIVE_DAYS = 7  # logged within this many days of the interview: a live checklist
DUE_SOON_HOURS = 24
DEFAULT_END_TIME = dt.time(17, 0)  # when the interview's time is not known
INTERVIEW_LENGTH = dt.timedelta(hours=1)
LINKEDIN_LIMIT = 300  # characters LinkedIn allows in a connection note
CHANNELS = ("email", "phone", "through the recruiter", "LinkedIn", "other")


@dataclasses.dataclass(frozen=True)
class Item:
    key: str
    step: int
    title: str
    what: str
    hours: float  # default: due this many hours after the interview ends


ITEMS = (
    Item("plan", 1, "Follow-up plan", "Whom to follow up with, how and when, and when the decision is due.", 0),
    Item("review", 2, "Review your answers", "Rate every answer; draft a better one for each rated 2 or less.", 24),
    Item("notes", 3, "Notes while fresh", "The role, the company, the people, the office and culture.", 24),
    Item("feedback", 4, "Ask the recruiter for feedback", "Ask for early feedback; it shows you are keen.", 48),
    Item("thank_you", 5, "Send a thank-you", "A short thank-you email to the people you met.", 24),
    Item("linkedin", 5, "Connect on LinkedIn", "A connection request with a brief message.", 48),
)
ITEM_KEYS = tuple(i.key for i in ITEMS)
_ITEMS = {i.key: i for i in ITEMS}

DEFAULT_THANK_YOU = (
    "Subject: Thank you, {interviewer}\n\n"
    "Dear {interviewer},\n\n"
    "Thank you for your time today and for telling me about the {role} role at {company}. "
    "I especially enjoyed hearing about {detail}.\n\n"
    "As I promised, a follow-up on one point: {clarification}\n\n"
    "I am keen on the role and look forward to hearing from you.\n\n"
    "Best regards,\n{my_name}"
)
DEFAULT_LINKEDIN = (
    "Hi {interviewer}, thank you for the conversation about the {role} role at {company}. "
    "I enjoyed hearing about {detail} and would be glad to stay in touch. {my_name}"
)
PLACEHOLDERS = {
    "interviewer": "the interviewer's name",
    "role": "the role",
    "company": "the company",
    "detail": "a detail from your notes",
    "clarification": "what you promised to clarify",
    "my_name": "your name",
}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Follow-through preferences, kept in the database's settings table."""

    hours: dict[str, float] = dataclasses.field(default_factory=lambda: {i.key: i.hours for i in ITEMS})
    time_zone: str = ""
    my_name: str = ""
    thank_you_template: str = DEFAULT_THANK_YOU
    linkedin_template: str = DEFAULT_LINKEDIN

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.time_zone)


def zone(name: str | None) -> ZoneInfo:
    """The named IANA time zone, or this machine's own."""
    if name:
        return ZoneInfo(name)
    try:
        return ZoneInfo(tzlocal.get_localzone_name() or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def load_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The stored follow-through settings, with defaults for anything not set."""
    raw = store.get_setting(con, "followups")
    if not raw:
        return Settings()
    data = json.loads(raw)
    hours = {**Settings().hours, **{k: float(v) for k, v in data.get("hours", {}).items() if k in ITEM_KEYS}}
    return Settings(
        hours=hours,
        time_zone=data.get("time_zone", ""),
        my_name=data.get("my_name", ""),
        thank_you_template=data.get("thank_you_template") or DEFAULT_THANK_YOU,
        linkedin_template=data.get("linkedin_template") or DEFAULT_LINKEDIN,
    )


def save_settings(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Validate and store follow-through settings; raises InvalidInterview with the problems."""
    problems = []
    for key, hours in settings.hours.items():
        if key not in ITEM_KEYS:
            problems.append(Problem("hours", f"Unknown checklist item {key!r}."))
        elif not 0 <= hours <= 24 * 14:
            problems.append(
                Problem("hours", f"{_ITEMS[key].title}: due time must be 0 to 336 hours after the interview.")
            )
    if settings.time_zone:
        try:
            ZoneInfo(settings.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                Problem("time_zone", f"Unknown time zone {settings.time_zone!r}: use a name like Europe/London.")
            )
    for name, template in (
        ("thank_you_template", settings.thank_you_template),
        ("linkedin_template", settings.linkedin_template),
    ):
        unknown = set(template_fields(template)) - set(PLACEHOLDERS)
        if unknown:
            problems.append(
                Problem(
                    name,
                    "Unknown placeholder "
                    + ", ".join("{" + u + "}" for u in sorted(unknown))
                    + ". Use: "
                    + ", ".join("{" + p + "}" for p in PLACEHOLDERS),
                )
            )
    if problems:
        raise InvalidInterview(problems)
    store.set_setting(con, "followups", json.dumps(dataclasses.asdict(settings)))


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
_STATE_SQL = """
CASE WHEN f.state = 'open' THEN 'open'
     WHEN f.state = 'closed' THEN 'closed by you'
     WHEN i.created_at::DATE - i.interview_date > $live_days THEN 'logged late'
     WHEN i.interview_date < $today - $quiet_days THEN 'past'
     ELSE 'open' END
"""

# Everything the checklist is derived from, one row per chosen interview.
# {where} is one of the fixed conditions below and {state} is _STATE_SQL, never user text.
_CHECKLIST_SQL = """
WITH picked AS (
    SELECT i.id, i.company, i.role, i.stage, i.interview_date, i.interview_time, i.outcome,
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
           coalesce(t.ticks, MAP {}) AS ticks
    FROM chosen c
    LEFT JOIN (
        SELECT interview_id, count(*) AS questions,
               count(*) FILTER (WHERE rating IS NULL OR (rating <= 2 AND coalesce(trim(better_answer), '') = ''))
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
""".replace("{state}", _STATE_SQL)
_ONE = "id = $id"
_LIVE = "checklist_state = 'open'"
QUIET_DAYS = 14


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
    result = []
    for item in ITEMS:
        due = due_at(end, settings.hours[item.key])
        from_data, data_time = bool(row[f"{item.key}_done"]), times.get(item.key)
        ticked = ticks.get(item.key)
        done = from_data or ticked is not None
        done_at = _utc(ticked) if ticked is not None else _as_moment(data_time, tz)
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
    con, where: str, now: dt.datetime, tz: ZoneInfo, params: dict | None = None, *, to_do_only: bool = False
) -> list[dict]:
    sql = _CHECKLIST_SQL.replace("{where}", where)
    if to_do_only:
        sql = "SELECT * FROM (" + sql + ") WHERE NOT all_done"  # noqa: S608 - fixed SQL text
    today = now.astimezone(tz).date()
    cursor = con.execute(sql, {"live_days": LIVE_DAYS, "quiet_days": QUIET_DAYS, "today": today, **(params or {})})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def checklist(
    con: duckdb.DuckDBPyConnection, interview_id: int, now: dt.datetime | None = None, settings: Settings | None = None
) -> list[ItemStatus]:
    """The six checklist items of one interview, in order, with their state at ``now``."""
    settings = settings or load_settings(con)
    now = _now(now)
    rows = _rows(con, _ONE, now, settings.zone, {"id": interview_id})
    if not rows:
        return []
    return _statuses(rows[0], settings, now)


def checklist_state(
    con: duckdb.DuckDBPyConnection, interview_id: int, now: dt.datetime | None = None, settings: Settings | None = None
) -> str:
    """'open', or why the checklist is closed: 'closed by you', 'logged late' or 'past'."""
    settings = settings or load_settings(con)
    rows = _rows(con, _ONE, _now(now), settings.zone, {"id": interview_id})
    return rows[0]["checklist_state"] if rows else "closed by you"


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
    columns = [
        "interview_id",
        "company",
        "role",
        "stage",
        "interview_date",
        "item",
        "title",
        "state",
        "due",
        "hours_left",
    ]
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


def overdue_count(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None) -> int:
    """How many checklist items are overdue across live checklists."""
    frame = due_now(con, now)
    return int((frame["state"] == "overdue").sum())


# --- recording --------------------------------------------------------------


def load_followup(con: duckdb.DuckDBPyConnection, interview_id: int) -> FollowUp:
    """What was recorded of the interview's follow-through (empty if nothing yet)."""
    row = con.execute(
        "SELECT " + ", ".join(FOLLOWUP_COLUMNS) + " FROM followups WHERE interview_id = ?",  # noqa: S608
        [interview_id],
    ).fetchone()
    return FollowUp(*row) if row else FollowUp()


def save_followup(con: duckdb.DuckDBPyConnection, interview_id: int, followup: FollowUp) -> None:
    """Store the follow-through record of an interview (one statement, so all or nothing)."""
    if followup.state not in (None, "open", "closed"):
        raise ValueError("state must be 'open', 'closed' or None")
    if con.execute("SELECT count(*) FROM interviews WHERE id = ?", [interview_id]).fetchone()[0] == 0:
        raise InvalidInterview([Problem("interview", "That interview no longer exists.")])
    values = [getattr(followup, c) for c in FOLLOWUP_COLUMNS]
    updates = ", ".join(f"{c} = excluded.{c}" for c in FOLLOWUP_COLUMNS)
    con.execute(
        "INSERT INTO followups (interview_id, " + ", ".join(FOLLOWUP_COLUMNS) + ") "  # noqa: S608
        "VALUES (?" + ", ?" * len(FOLLOWUP_COLUMNS) + ") "
        "ON CONFLICT (interview_id) DO UPDATE SET " + updates,
        [interview_id, *values],
    )
    store.bump_version(con)


def update_followup(con: duckdb.DuckDBPyConnection, interview_id: int, **changes) -> FollowUp:
    """Change some fields of the follow-through record; return the new record."""
    followup = dataclasses.replace(load_followup(con, interview_id), **changes)
    save_followup(con, interview_id, followup)
    return followup


def tick(con: duckdb.DuckDBPyConnection, interview_id: int, item: str, when: dt.datetime | None = None) -> None:
    """Mark a checklist item done by hand, keeping when (UTC)."""
    if item not in ITEM_KEYS:
        raise ValueError(f"unknown checklist item {item!r}")
    moment = _now(when).astimezone(dt.UTC).replace(tzinfo=None)
    con.execute(
        "INSERT INTO followup_ticks (interview_id, item, ticked_at) VALUES (?, ?, ?) "
        "ON CONFLICT (interview_id, item) DO UPDATE SET ticked_at = excluded.ticked_at",
        [interview_id, item, moment],
    )
    store.bump_version(con)


def untick(con: duckdb.DuckDBPyConnection, interview_id: int, item: str) -> None:
    """Undo a tick (and, for the messages, the "sent" mark)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM followup_ticks WHERE interview_id = ? AND item = ?", [interview_id, item])
        if item in ("thank_you", "linkedin"):
            con.execute(
                f"UPDATE followups SET {item}_sent_at = NULL WHERE interview_id = ?",  # noqa: S608 - item is from ITEM_KEYS
                [interview_id],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    store.bump_version(con)


def mark_sent(con: duckdb.DuckDBPyConnection, interview_id: int, message: str, when: dt.datetime | None = None) -> None:
    """Record that the thank-you or LinkedIn message went out."""
    if message not in ("thank_you", "linkedin"):
        raise ValueError("message must be 'thank_you' or 'linkedin'")
    moment = _now(when).astimezone(dt.UTC).replace(tzinfo=None)
    update_followup(con, interview_id, **{f"{message}_sent_at": moment})


def set_checklist_state(con: duckdb.DuckDBPyConnection, interview_id: int, state: str) -> None:
    """Reopen ('open') or close ('closed') an interview's checklist."""
    update_followup(con, interview_id, state=state)


# --- messages -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Draft:
    text: str
    missing: tuple[str, ...]  # placeholders with nothing to fill them

    @property
    def length(self) -> int:
        return len(self.text)


def template_fields(template: str) -> list[str]:
    """The placeholder names used in ``template``."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return []


def render(template: str, values: dict[str, str | None]) -> Draft:
    """Fill ``template``'s placeholders; one with no value becomes ``[the role?]`` and is listed as missing."""
    missing = []

    def fill(match: re.Match) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None or not str(value).strip():
            if name not in missing:
                missing.append(name)
            return f"[{PLACEHOLDERS.get(name, name)}?]"
        return str(value).strip()

    text = re.sub(r"\{(\w+)\}", fill, template)
    return Draft(text, tuple(missing))


def message_values(con: duckdb.DuckDBPyConnection, interview_id: int, settings: Settings) -> dict[str, str | None]:
    """What the templates can say about this interview: names, role, a detail, a promise."""
    row = con.execute(
        "SELECT company, role, culture_notes, company_notes, role_notes, people_notes FROM interviews WHERE id = ?",
        [interview_id],
    ).fetchone()
    if row is None:
        return {}
    company, role, *notes = row
    person = con.execute(
        "SELECT name FROM interviewers WHERE interview_id = ? ORDER BY position LIMIT 1", [interview_id]
    ).fetchone()
    promise = con.execute(
        "SELECT clarify FROM questions WHERE interview_id = ? AND coalesce(trim(clarify), '') <> '' "
        "ORDER BY position LIMIT 1",
        [interview_id],
    ).fetchone()
    detail = next((first_sentence(n) for n in notes if n and n.strip()), None)
    return {
        "interviewer": person[0].split()[0] if person and person[0].strip() else None,
        "role": role,
        "company": company,
        "detail": detail,
        "clarification": promise[0] if promise else None,
        "my_name": settings.my_name or None,
    }


def first_sentence(text: str, limit: int = 120) -> str:
    """The first sentence (or line) of a note, shortened for a message, lowercased at its start."""
    sentence = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].rstrip(".!?")
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence[:1].lower() + sentence[1:] if sentence[:2] != sentence[:2].upper() else sentence


# --- calendar -----------------------------------------------------------------


def calendar(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None) -> bytes:
    """An iCalendar file of open follow-up deadlines and expected decision dates."""
    from icalendar import Alarm, Calendar, Event

    now = _now(now)
    settings = settings or load_settings(con)
    cal = Calendar()
    cal.add("prodid", "-//Debrief//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Debrief follow-ups")
    for row in _rows(con, _LIVE, now, settings.zone, to_do_only=True):
        for status in _statuses(row, settings, now):
            if status.done:
                continue
            event = Event()
            event.add("uid", f"debrief-{row['id']}-{status.key}@debrief.local")
            event.add("dtstamp", now)
            event.add("summary", f"{status.title}: {row['company']}")
            event.add("description", f"{status.what}\n{row['stage']} interview on {row['interview_date']:%Y-%m-%d}.")
            event.add("dtstart", status.due)
            event.add("dtend", status.due + dt.timedelta(minutes=15))
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", status.title)
            alarm.add("trigger", dt.timedelta(hours=-1))
            event.add_component(alarm)
            cal.add_component(event)
    for row in awaiting_or_expected(con).itertuples():
        event = Event()
        event.add("uid", f"debrief-{row.interview_id}-decision@debrief.local")
        event.add("dtstamp", now)
        event.add("summary", f"Decision expected: {row.company}")
        event.add("description", f"{row.stage} interview on {row.interview_date:%Y-%m-%d}. No word yet? Nudge.")
        event.add(
            "dtstart",
            row.decision_expected_on.date() if hasattr(row.decision_expected_on, "date") else row.decision_expected_on,
        )
        cal.add_component(event)
    return cal.to_ical()


def awaiting_or_expected(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pending interviews with an expected decision date."""
    return con.execute(
        """
        SELECT i.id AS interview_id, i.company, i.stage, i.interview_date, f.decision_expected_on
        FROM interviews i JOIN followups f ON f.interview_id = i.id
        WHERE i.outcome = 'pending' AND f.decision_expected_on IS NOT NULL
        ORDER BY f.decision_expected_on
        """
    ).df()


# --- command line ----------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis due``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def run(args: argparse.Namespace) -> int:
    """List overdue and due-soon follow-up steps, and decisions past their date."""
    con = store.connect(args.db).cursor()
    settings = load_settings(con)
    now = dt.datetime.now(dt.UTC)
    due = due_now(con, now, settings)
    late = awaiting_word(con, now.astimezone(settings.zone).date())
    if args.json:
        json.dump(
            {
                "now": now.isoformat(),
                "due": [
                    {
                        "interview_id": int(r.interview_id),
                        "company": r.company,
                        "role": r.role,
                        "stage": r.stage,
                        "interview_date": r.interview_date.isoformat()[:10],
                        "item": r.item,
                        "title": r.title,
                        "state": r.state,
                        "due": r.due.isoformat(),
                    }
                    for r in due.itertuples()
                ],
                "awaiting_decision": [
                    {
                        "interview_id": int(r.interview_id),
                        "company": r.company,
                        "decision_expected_on": str(r.decision_expected_on)[:10],
                        "days_late": int(r.days_late),
                    }
                    for r in late.itertuples()
                ],
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    if due.empty and late.empty:
        print("Nothing due: every live follow-up is done or not yet due.")
        return 0
    for r in due.itertuples():
        when = r.due.astimezone(settings.zone)
        flag = "OVERDUE " if r.state == "overdue" else "due soon"
        print(f"{flag}  {when:%a %d %b %H:%M}  {r.title}: {r.company} ({r.stage}, {r.interview_date:%Y-%m-%d})")
    for r in late.itertuples():
        print(
            f"no word   {int(r.days_late)} days late  decision from {r.company} was expected {str(r.decision_expected_on)[:10]}: nudge?"
        )
    return 0


def interviews_to_follow(
    con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None, limit: int = 200
) -> pd.DataFrame:
    """Interviews to pick from on the Follow-ups page: live checklists first, then the newest."""
    settings = settings or load_settings(con)
    sql = (
        "SELECT i.id AS interview_id, i.company, i.stage, i.interview_date, ("  # noqa: S608 - fixed SQL text
        + _STATE_SQL
        + ") = 'open' AS live FROM interviews i LEFT JOIN followups f ON f.interview_id = i.id "
        "ORDER BY live DESC, i.interview_date DESC, i.id DESC LIMIT $limit"
    )
    today = _now(now).astimezone(settings.zone).date()
    return con.execute(sql, {"live_days": LIVE_DAYS, "quiet_days": QUIET_DAYS, "today": today, "limit": limit}).df()
