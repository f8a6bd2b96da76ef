"""Debrief's domain vocabulary, defined once.

Pages, the importer, charts and the command line all take their choices from
here so that a stage or an outcome is spelled the same everywhere.
"""

STAGES = (
    "recruiter screen",
    "phone screen",
    "technical",
    "take-home",
    "onsite/panel",
    "final",
    "other",
)

FORMATS = ("video", "phone", "in person")

OUTCOMES = ("pending", "advanced", "rejected", "offer", "withdrew", "no response")

# Outcomes that are the employer's verdict on a round: the pass rate and the
# calibration count only these. A withdrawal is the candidate's own choice, and
# silence after an interview is, in practice, a no.
DECIDED_OUTCOMES = ("advanced", "offer", "rejected", "no response")
PASSED_OUTCOMES = ("advanced", "offer")

BUILTIN_CATEGORIES = (
    "behavioral",
    "technical",
    "situational",
    "culture/motivation",
    "salary/logistics",
    "other",
)

REACTIONS = ("positive", "neutral", "negative", "unsure")

RATING_LABELS = {
    1: "missed it",
    2: "weak",
    3: "okay",
    4: "good",
    5: "nailed it",
}


def rating_label(rating: int | None) -> str:
    """Return "4 – good" for 4, and an empty string for no rating."""
    if rating is None:
        return ""
    return f"{rating} – {RATING_LABELS[int(rating)]}"
