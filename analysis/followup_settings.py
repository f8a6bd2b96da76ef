"""The follow-through's steps and the user's settings for them: due times, time zone, name, message templates.

Split from ``analysis.followups`` (which re-exports every name here): the
checklist logic lives there, what the user can set lives here.
"""

from __future__ import annotations

import dataclasses
import json
import string
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import tzlocal

from analysis import schema, store
from analysis.interviews import InvalidSettings, Problem


@dataclasses.dataclass(frozen=True)
class Item:
    key: str
    step: int
    title: str
    what: str
    hours: float  # default: due this many hours after the interview ends


ITEMS = (
    Item("plan", 1, "Follow-up plan", "Whom to follow up with, how and when, and when the decision is due.", 0),
    Item(
        "review",
        2,
        "Review your answers",
        f"Rate every answer; draft a better one for each rated {schema.WEAK_RATING} or less.",
        24,
    ),
    Item("notes", 3, "Notes while fresh", "The role, the company, the people, the office and culture.", 24),
    Item("feedback", 4, "Ask the recruiter for feedback", "Ask for early feedback; it shows you are keen.", 48),
    Item("thank_you", 5, "Send a thank-you", "A short thank-you email to the people you met.", 24),
    Item("linkedin", 6, "Connect on LinkedIn", "A connection request with a brief message.", 48),
)
ITEM_KEYS = tuple(i.key for i in ITEMS)
_ITEMS = {i.key: i for i in ITEMS}

DEFAULT_THANK_YOU = (
    "Subject: Thank you, {interviewer}\n\n"
    "Dear {interviewer},\n\n"
    "Thank you for your time today and for telling me about the {role} role at {company}. "
    "I especially enjoyed hearing about {detail}.\n\n"
    "As promised: {clarification}\n\n"
    "I am keen on the role and look forward to hearing from you.\n\n"
    "Best regards,\n{my_name}"
)
DEFAULT_LINKEDIN = (
    "Hi {interviewer}, thank you for the conversation about the {role} role at {company}. "
    "I enjoyed hearing about {detail}. I would be glad to stay in touch. {my_name}"
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


def template_fields(template: str) -> list[str]:
    """The placeholder names used in ``template``."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return []


def save_settings(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Validate and store follow-through settings; raises ``InvalidSettings`` with the problems."""
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
        raise InvalidSettings(problems)

    def write() -> None:
        with store.writing(con):
            store.set_setting(con, "followups", json.dumps(dataclasses.asdict(settings)))

    store.retry_on_conflict(write)  # the settings saved last win, whenever they are saved
