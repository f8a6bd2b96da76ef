"""What Debrief writes for you after an interview: message drafts and the follow-up calendar.

The drafts fill the user's templates (kept with the follow-through settings in
``analysis.followups``) from the interview's notes. The calendar holds every
dated commitment: the open checklist steps, each promised clarification (due
with the thank-you, where it is promised), the plan's follow-up date and the
expected decisions; and, before each interview logged ahead of time, a
reminder the evening before to prepare, with the command that prints its brief.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import duckdb
import pandas as pd

from analysis import followups
from analysis.followups import PLACEHOLDERS, Settings


@dataclasses.dataclass(frozen=True)
class Draft:
    text: str
    missing: tuple[str, ...]  # placeholders with nothing to fill them

    @property
    def length(self) -> int:
        return len(self.text)


# Placeholders whose sentence says nothing without them: with no value, the
# sentence goes rather than leaving "[what you promised to clarify?]" behind.
OPTIONAL_PLACEHOLDERS = frozenset({"detail", "clarification"})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+")


def _without_empty_sentences(template: str, values: dict[str, str | None]) -> str:
    """``template`` without the sentences whose optional placeholder has nothing to say."""

    def says_nothing(sentence: str) -> bool:
        names = _PLACEHOLDER.findall(sentence)
        return any(n in OPTIONAL_PLACEHOLDERS and not str(values.get(n) or "").strip() for n in names)

    lines = []
    for line in template.split("\n"):
        kept = [s for s in _SENTENCE_END.split(line) if not says_nothing(s)]
        if line.strip() and not kept:
            continue  # the whole paragraph went
        lines.append(" ".join(kept))
    # A paragraph removed leaves two blank lines: keep one.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render(template: str, values: dict[str, str | None]) -> Draft:
    """Fill ``template``'s placeholders.

    A sentence whose optional placeholder (a detail, a promise) has no value is
    left out; any other placeholder with no value becomes ``[the role?]`` and is
    listed as missing, to fill in before sending.
    """
    missing = []

    def fill(match: re.Match) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None or not str(value).strip():
            if name not in missing:
                missing.append(name)
            return f"[{PLACEHOLDERS.get(name, name)}?]"
        return str(value).strip()

    text = _PLACEHOLDER.sub(fill, _without_empty_sentences(template, values))
    return Draft(text, tuple(missing))


def first_names(con: duckdb.DuckDBPyConnection, interview_id: int) -> list[str]:
    """The first name of each interviewer, in the order they were entered."""
    rows = con.execute(
        "SELECT name FROM interviewers WHERE interview_id = ? ORDER BY position", [interview_id]
    ).fetchall()
    return [name.split()[0] for (name,) in rows if name and name.strip()]


def together(names: list[str]) -> str | None:
    """ "Ana", "Ana and Ben", "Ana, Ben and Cy": everyone in one greeting (None for nobody)."""
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def addressees(con: duckdb.DuckDBPyConnection, interview_id: int, *, one_each: bool) -> list[str | None]:
    """Whom each thank-you greets: one message per interviewer, or one to all (``[None]`` when nobody is known)."""
    names = first_names(con, interview_id)
    if one_each and names:
        return names
    return [together(names)]


def open_promises(con: duckdb.DuckDBPyConnection, interview_id: int) -> list[str]:
    """What the user said they would clarify, answer by answer, as they noted it (for them, not to paste)."""
    rows = con.execute(
        "SELECT clarify FROM questions WHERE interview_id = ? AND coalesce(trim(clarify), '') <> '' ORDER BY position",
        [interview_id],
    ).fetchall()
    return [text.strip() for (text,) in rows]


def detail_suggestions(con: duckdb.DuckDBPyConnection, interview_id: int) -> list[str]:
    """First sentences of the interview's notes: ideas for a detail to mention, never pasted as they are."""
    row = con.execute(
        "SELECT culture_notes, company_notes, role_notes, people_notes FROM interviews WHERE id = ?", [interview_id]
    ).fetchone()
    return [first_sentence(n) for n in row or () if n and n.strip()]


def message_values(
    con: duckdb.DuckDBPyConnection,
    interview_id: int,
    settings: Settings,
    *,
    interviewer: str | None = None,
    detail: str | None = None,
    promises: list[str] | None = None,
) -> dict[str, str | None]:
    """What the templates say for this interview.

    The role, the company and the user's name come from the records. The
    greeting (``interviewer``, default: everyone met), the ``detail`` and the
    ``promises`` are the user's own words, chosen on the page: a note-to-self
    is never pasted into a message.
    """
    row = con.execute("SELECT company, role FROM interviews WHERE id = ?", [interview_id]).fetchone()
    if row is None:
        return {}
    company, role = row
    words = [p.strip() for p in promises or [] if p and p.strip()]
    return {
        "interviewer": interviewer or together(first_names(con, interview_id)),
        "role": role,
        "company": company,
        "detail": (detail or "").strip() or None,
        "clarification": " ".join(words) or None,
        "my_name": settings.my_name or None,
    }


def first_sentence(text: str, limit: int = 120) -> str:
    """The first sentence (or line) of a note, shortened for a message, lowercased at its start."""
    sentence = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].rstrip(".!?")
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence[:1].lower() + sentence[1:] if sentence[:2] != sentence[:2].upper() else sentence


# --- calendar -----------------------------------------------------------------

_REMINDER = dt.timedelta(hours=-1)
PREP_DAYS_AHEAD = 366  # interviews logged this far ahead get a prep reminder in the calendar


def calendar(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, settings: Settings | None = None) -> bytes:
    """An iCalendar file of every dated commitment still open.

    Open checklist steps of live checklists, each clarification promised there
    and not yet sent (due when the thank-you is, which carries it), the plan's
    "follow up on" date and the expected decision of every interview still
    waiting for an outcome. And a prep reminder the evening before each
    interview still to come, if that evening has not passed.
    """
    from icalendar import Calendar

    now = now if now is not None else dt.datetime.now(dt.UTC)
    settings = settings or followups.load_settings(con)
    cal = Calendar()
    cal.add("prodid", "-//Debrief//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Debrief follow-ups")
    live = followups.live_checklists(con, now, settings)
    for row, statuses in live:
        for status in statuses:
            if not status.done:
                summary = f"{status.title}: {row['company']}"
                about = f"{status.what}\n{_interview(row)}"
                cal.add_component(_event(f"{row['id']}-{status.key}", now, summary, about, status.due, status.title))
    thank_you_due = {row["id"]: next(s.due for s in statuses if s.key == "thank_you") for row, statuses in live}
    for promise in promises(con, list(thank_you_due)).to_dict("records"):
        uid = f"{promise['interview_id']}-clarify-{promise['question_id']}"
        summary = f"Clarify: {promise['clarify']} ({promise['company']})"
        about = f"You promised this when asked “{promise['question']}”.\n{_interview(promise)}"
        due = thank_you_due[promise["interview_id"]]
        cal.add_component(_event(uid, now, summary, about, due, "Send what you promised"))
    for row in awaiting_or_expected(con).to_dict("records"):
        for kind, day, summary, what in (
            ("follow-up", row["follow_up_on"], f"Follow up: {row['company']}", _plan(row)),
            ("decision", row["decision_expected_on"], f"Decision expected: {row['company']}", "No word yet? Nudge."),
        ):
            if not pd.isna(day):
                about = f"{what}\n{_interview(row)}"
                cal.add_component(_event(f"{row['interview_id']}-{kind}", now, summary, about, _day(day)))
    for row in followups.upcoming_preps(con, now, settings, days=PREP_DAYS_AHEAD).to_dict("records"):
        if row["prepare_at"] > now:
            summary = f"Prepare: {row['company']} tomorrow"
            about = f"Print your brief: {row['brief_command']}\n{_interview(row)}"
            cal.add_component(_event(f"{row['interview_id']}-prepare", now, summary, about, row["prepare_at"], summary))
    return cal.to_ical()


def _event(uid: str, now: dt.datetime, summary: str, description: str, start, reminder: str | None = None):
    """One calendar event; a timed one lasts 15 minutes and, with ``reminder``, alerts an hour before."""
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", f"debrief-{uid}@debrief.local")
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", start)
    if isinstance(start, dt.datetime):
        event.add("dtend", start + dt.timedelta(minutes=15))
    if reminder:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder)
        alarm.add("trigger", _REMINDER)
        event.add_component(alarm)
    return event


def _interview(row: dict) -> str:
    return f"{row['stage']} interview on {_day(row['interview_date']):%Y-%m-%d}."


def _plan(row: dict) -> str:
    who = row["contact"] if isinstance(row["contact"], str) and row["contact"].strip() else "the company"
    how = f" ({row['channel']})" if isinstance(row["channel"], str) else ""
    return f"Follow up with {who}{how}."


def _day(value) -> dt.date:
    return value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value


def promises(con: duckdb.DuckDBPyConnection, interview_ids: list[int]) -> pd.DataFrame:
    """Clarifications promised in these interviews and not yet sent, in the order they were asked."""
    return con.execute(
        """
        SELECT q.id AS question_id, q.interview_id, i.company, i.stage, i.interview_date, q.question, q.clarify
        FROM questions q JOIN interviews i ON i.id = q.interview_id
        WHERE list_contains(?, q.interview_id) AND coalesce(trim(q.clarify), '') <> '' AND q.clarified_on IS NULL
        ORDER BY q.interview_id, q.position
        """,
        [interview_ids],
    ).df()


def awaiting_or_expected(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pending interviews with a planned follow-up date or an expected decision date."""
    return con.execute(
        """
        SELECT i.id AS interview_id, i.company, i.stage, i.interview_date, f.contact, f.channel,
               f.follow_up_on, f.decision_expected_on
        FROM interviews i JOIN followups f ON f.interview_id = i.id
        WHERE i.outcome = 'pending' AND (f.follow_up_on IS NOT NULL OR f.decision_expected_on IS NOT NULL)
        ORDER BY coalesce(f.follow_up_on, f.decision_expected_on), i.id
        """
    ).df()
