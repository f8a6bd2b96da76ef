"""The importer's vocabulary: the words a spreadsheet may use for Debrief's fields and values.

Data, not logic: header synonyms for each field, synonyms for each stage,
format, outcome, reaction and category, rating words, and the date and time
formats tried. ``vocabulary_params`` turns them into the parameters the
parsing SQL binds.
"""

from __future__ import annotations

import re

from analysis.sql import SQL
from analysis.vocab import FORMATS, OUTCOMES, RATING_LABELS, REACTIONS, STAGES

# Header synonyms, compared after ``mapping.normalise_header`` (lower case, punctuation to spaces).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    # Most specific first: a tracker's "Date Applied", "createdAt" or a form's "Timestamp" is used only
    # when nothing names the interview's own date.
    "date": (
        "interview date",
        "date of interview",
        "interview day",
        "date interviewed",
        "interview on",
        "day",
        "when",
        "date applied",
        "applied on",
        "application date",
        "applied",
        "created at",
        "created",
        "created time",
        "timestamp",
    ),
    "time": ("interview time", "start time", "start", "time of interview"),
    "company": ("company name", "employer", "organization", "organisation", "org", "firm", "business", "employer name"),
    "role": ("position", "job title", "title", "job", "role title", "position title", "job role", "vacancy"),
    "stage": ("round", "interview stage", "interview round", "step", "interview type", "round type"),
    "format": ("interview format", "medium", "mode", "channel", "setting", "location type"),
    "interviewers": ("interviewer", "interviewer names", "interviewed by", "panel", "panelists", "interviewer s"),
    "recruiter": ("recruiter name", "agency", "recruitment agency", "recruiter agency", "hiring contact"),
    "outcome": (
        "result",
        "interview result",
        "interview outcome",
        "decision",
        "verdict",
        "interview status",
        "status",
        "application status",
    ),
    "decided_on": ("decision date", "outcome date", "result date", "decided", "date decided", "heard back"),
    # Never a plain "confidence": that may be anything. See PERCENT_HEADER_SYNONYMS.
    "predicted_advance": (
        "chance to advance",
        "chance of advancing",
        "advance chance",
        "likelihood to advance",
        "likelihood of advancing",
        "confidence to advance",
        "advance confidence",
        "how likely to advance",
        "predicted chance",
        "prediction",
        "chance",
        "likelihood",
        "how likely",
    ),
    "role_notes": ("about the role", "role details", "job notes", "position notes"),
    "company_notes": ("about the company", "company details", "employer notes"),
    "people_notes": ("about the people", "interviewer notes", "notes on people"),
    "culture_notes": ("culture", "vibe", "team culture", "culture and values"),
    "questions_to_ask": ("my questions", "questions for them", "to ask", "questions i asked", "questions i will ask"),
    "question": (
        "question asked",
        "questions",
        "interview question",
        "q",
        "prompt",
        "question text",
        "what were you asked",
    ),
    "category": ("type", "topic", "question type", "question category", "kind", "area"),
    "rating": ("self rating", "my rating", "how i did", "how did it go", "self score", "rating 1 5", "score", "grade"),
    "reaction": ("interviewer reaction", "their reaction", "reception", "how it landed"),
    "clarify": ("to clarify", "follow up", "clarification", "clarify later", "look up"),
    "better_answer": ("ideal answer", "improved answer", "what i should have said", "model answer", "answer"),
    "notes": (
        "comments",
        "comment",
        "what to improve",
        "improve",
        "remarks",
        "question notes",
        "my notes",
        "anything else",
    ),
    "stories": ("story", "stories told", "story told", "story used", "stories used", "star story", "star stories"),
}

# Headers that name the prediction only when the header itself has a "%" ("Confidence (%)"): a
# plain "Confidence" may be a self-rating or anything else, so it is left for the user to map.
PERCENT_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "predicted_advance": ("confidence", "probability", "odds", "percent", "percentage"),
}

# Application-tracker statuses (Huntr, Notion, spreadsheets; an emoji before them is ignored) and the
# outcome each means. In a stage column they are stage "other"; in an outcome column, this outcome.
TRACKER_STATUSES = {
    "wishlist": "pending",
    "applied": "pending",
    "application": "pending",
    "interviewing": "pending",
    "interview": "pending",
    "in interview": "pending",
    "offer": "offer",
    "rejected": "rejected",
    "ghosted": "no response",
    "withdrawn": "withdrew",
}
TRACKER_STATUS_WORDS = tuple(TRACKER_STATUSES)

STAGE_SYNONYMS = {
    "recruiter screen": (
        "recruiter",
        "recruiter call",
        "recruiter chat",
        "recruiter screening",
        "hr",
        "hr screen",
        "hr call",
        "hr interview",
        "screening",
        "screen",
        "intro call",
        "talent call",
    ),
    "phone screen": ("phone", "phone interview", "phone call", "phone screening", "call", "telephone"),
    "technical": (
        "tech",
        "technical interview",
        "tech interview",
        "technical screen",
        "coding",
        "live coding",
        "coding interview",
        "system design",
        "pairing",
        "pair programming",
    ),
    "take-home": ("take home", "take home test", "take home assignment", "assignment", "homework", "case study"),
    "onsite/panel": ("onsite", "on site", "panel", "panel interview", "onsite interview", "loop", "on site panel"),
    "final": ("final round", "final interview", "last round", "final stage", "executive", "ceo"),
    # Application-tracker statuses in a stage column say nothing about the round: "other".
    "other": ("misc", "unknown", *TRACKER_STATUS_WORDS),
}
FORMAT_SYNONYMS = {
    "video": ("video call", "zoom", "teams", "ms teams", "google meet", "meet", "remote", "webex", "skype", "virtual"),
    "phone": ("phone call", "call", "telephone", "by phone"),
    "in person": ("in-person", "inperson", "onsite", "on site", "office", "f2f", "face to face", "in office"),
}
OUTCOME_SYNONYMS = {
    "pending": (
        "waiting",
        "tbd",
        "in progress",
        "awaiting",
        "open",
        "waiting to hear",
        "unknown",
        "scheduled",
        *(word for word, outcome in TRACKER_STATUSES.items() if outcome == "pending"),
    ),
    "advanced": (
        "passed",
        "pass",
        "next round",
        "moved forward",
        "moved on",
        "progressed",
        "through",
        "went through",
        "advance",
        "yes",
    ),
    "rejected": (
        "declined",
        "rejection",
        "reject",
        "no",
        "failed",
        "fail",
        "turned down",
        "not selected",
        "unsuccessful",
    ),
    "offer": ("offered", "got offer", "offer received", "job offer", "hired", "accepted"),
    "withdrew": ("withdrawn", "withdraw", "pulled out", "i withdrew", "dropped out", "cancelled"),
    "no response": ("ghosted", "no reply", "no answer", "silence", "never heard back", "none", "noresponse"),
}
REACTION_SYNONYMS = {
    "positive": ("pos", "good", "great", "happy", "liked it", "+"),
    "neutral": ("neu", "ok", "okay", "meh", "fine", "mixed", "flat"),
    "negative": ("neg", "bad", "poor", "unhappy", "-"),
    "unsure": ("unknown", "not sure", "unclear", "?", "dont know"),
}
CATEGORY_SYNONYMS = {
    "behavioral": ("behavioural", "behavior", "behaviour", "star", "soft skills"),
    "technical": ("tech", "coding", "system design", "algorithms"),
    "situational": ("hypothetical", "scenario"),
    "culture/motivation": ("culture", "motivation", "culture fit", "values", "why us", "fit"),
    "salary/logistics": ("salary", "logistics", "compensation", "pay", "notice period", "admin"),
    "other": ("misc", "general"),
}
# Words for a rating, lower case: Debrief's own labels and the common ones.
RATING_WORDS = {
    **{label: n for n, label in RATING_LABELS.items()},
    "poor": 1,
    "bad": 2,
    "ok": 3,
    "average": 3,
    "fair": 3,
    "great": 5,
    "excellent": 5,
}
# What a spreadsheet writes for "no rating": stored as no rating, without a warning.
NO_RATING = ("n/a", "na", "n.a.", "-", "–", "—", "--", "none", "not rated", "tbd", "?")

NAMED_DATE_FORMATS = [
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d %b, %Y",
    "%d %B, %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%b-%d-%Y",
    "%Y %b %d",
]
TIME_FORMATS = ["%I:%M %p", "%I:%M%p", "%I:%M:%S %p", "%I %p", "%I%p", "%H.%M", "%Hh%M", "%Hh"]


# What a stored value is when the file leaves it empty.
DEFAULTS = {"stage": "other", "outcome": "pending", "category": "other"}

# The fixed vocabularies, by the field kind that uses them, in their stored order.
CHOICES: dict[str, tuple[str, ...]] = {
    "stage": STAGES,
    "format": FORMATS,
    "outcome": OUTCOMES,
    "reaction": REACTIONS,
}
_SYNONYMS = {
    "stage": STAGE_SYNONYMS,
    "format": FORMAT_SYNONYMS,
    "outcome": OUTCOME_SYNONYMS,
    "reaction": REACTION_SYNONYMS,
}


def normalise_word(text: str) -> str:
    """Python twin of ``normalise_word_sql``: lower case, runs of other characters to one space."""
    return " ".join(re.sub(r"[^a-z0-9/+?]+", " ", str(text).lower()).split())


def normalise_word_sql(expr: str) -> SQL:
    """SQL twin of ``normalise_word`` over ``expr`` (a trusted SQL expression)."""
    return SQL(f"trim(regexp_replace(lower({expr}), '[^a-z0-9/+?]+', ' ', 'g'))")


def _choice_pairs(kind: str) -> tuple[list[str], list[int]]:
    """Keys and 1-based codes of a MAP from normalised words to positions in ``CHOICES[kind]``."""
    canon = CHOICES[kind]
    table: dict[str, int] = {}
    for code, value in enumerate(canon, start=1):
        table[value.lower()] = code
        table[normalise_word(value)] = code
    for value, words in _SYNONYMS[kind].items():
        for word in words:
            table.setdefault(word.lower(), canon.index(value) + 1)
            table.setdefault(normalise_word(word), canon.index(value) + 1)
    return list(table), list(table.values())


def _category_pairs() -> tuple[list[str], list[str]]:
    table: dict[str, str] = {}
    for value, words in CATEGORY_SYNONYMS.items():
        for word in words:
            table[" ".join(word.lower().split())] = value
    return list(table), list(table.values())


def vocabulary_params() -> dict:
    """Parameters for the parsing SQL: ``$<kind>_k``/``$<kind>_v`` word-to-code maps, ``$category_k``/``_v``."""
    params = {}
    for kind in CHOICES:
        params[f"{kind}_k"], params[f"{kind}_v"] = _choice_pairs(kind)
    params["category_k"], params["category_v"] = _category_pairs()
    return params


def choice_lists() -> dict:
    """Parameters turning a vocabulary code back into its word: ``$stage_list[code]`` and so on."""
    return {f"{kind}_list": list(values) for kind, values in CHOICES.items()}
