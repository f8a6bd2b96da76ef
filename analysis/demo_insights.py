"""The demo history's data for the insights: predictions at debrief time, the story bank, rounds to come.

``analysis.demo`` simulates the rounds and calls these with a generator of
their own, so the rounds, questions and people for a seed stay as they were.
Vectorised like the rest of the demo: no per-row Python.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from analysis.demo_data import STORIES
from analysis.vocab import BUILTIN_CATEGORIES, STAGES

# How often an answer of each category tells one of the stories that serve it.
STORY_USE = {"behavioral": 0.4, "situational": 0.35, "technical": 0.1, "culture/motivation": 0.15}

_PARTS = ("situation", "task", "action", "result")
# Per category (order of BUILTIN_CATEGORIES): the stories that serve it, as one flat array with offsets.
_CHOICES = [[i for i, s in enumerate(STORIES) if c in s[5]] for c in BUILTIN_CATEGORIES]
_FLAT = np.array([i for choices in _CHOICES for i in choices])
_COUNT = np.array([len(c) for c in _CHOICES])
_START = np.cumsum(_COUNT) - _COUNT
_USE = np.array([STORY_USE.get(c, 0.0) for c in BUILTIN_CATEGORIES]) * (_COUNT > 0)


def predictions(rng: np.random.Generator, chance: np.ndarray) -> np.ndarray:
    """ "How likely are you to advance?" for rounds whose real chance was ``chance``: steps of 5 %, -1 for none.

    Overconfident, as candidates are: the felt chance is the real one pushed
    up and stretched towards the ends, with a day's noise on top; about 70 %
    of rounds get a prediction.
    """
    n = len(chance)
    real = np.clip(chance, 0.01, 0.99)
    felt = 1.0 / (1.0 + np.exp(-(1.4 * np.log(real / (1 - real)) + 0.8 + rng.normal(0.0, 0.5, n))))
    predicted = (np.rint(felt * 20) * 5).astype(np.int64)
    return np.where(rng.random(n) < 0.7, predicted, -1)


def write_stories(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    categories: np.ndarray,
    question_ids: np.ndarray,
    story_ids: np.ndarray,
    written: dt.datetime,
) -> None:
    """Insert the story bank (ids ``story_ids``, written at ``written``) and link stories to some answers.

    ``categories`` is each question's category (an index into
    BUILTIN_CATEGORIES) and ``question_ids`` its id. Runs in the caller's transaction.
    """
    u = rng.random(len(categories))
    told = u < _USE[categories]
    category = categories[told]
    # u below the threshold, rescaled, picks evenly among the category's stories.
    pick = np.minimum((u[told] / _USE[category] * _COUNT[category]).astype(np.int64), _COUNT[category] - 1)
    story = _FLAT[_START[category] + pick]
    frames = {
        "_demo_stories": pd.DataFrame(
            {"id": story_ids, "title": [s[0] for s in STORIES]}
            | {part: [s[k] for s in STORIES] for k, part in enumerate(_PARTS, start=1)}
        ),
        "_demo_tags": pd.DataFrame(
            {
                "story_id": [story_ids[i] for i, s in enumerate(STORIES) for _ in s[5]],
                "competency": [tag for s in STORIES for tag in s[5]],
            }
        ),
        "_demo_links": pd.DataFrame({"question_id": question_ids[told], "story_id": story_ids[story]}),
    }
    for name, frame in frames.items():
        con.register(name, frame)
    con.execute(
        "INSERT INTO stories (id, title, situation, task, action, result, created_at, updated_at) "
        "SELECT id, title, situation, task, action, result, $at, $at FROM _demo_stories ORDER BY id",
        {"at": written},
    )
    con.execute("INSERT INTO story_competencies SELECT story_id, competency FROM _demo_tags")
    con.execute("INSERT INTO question_stories SELECT question_id, story_id FROM _demo_links ORDER BY question_id")
    for name in frames:
        con.unregister(name)


# Rounds still to come, logged ahead as a candidate would: the next round of the processes
# whose latest round advanced most recently, at the same company and role, with whoever
# led that round on the panel again (so the brief has a story to warn about), tomorrow
# and later this week. They give the Prepare page, the "prepare for" reminders of
# ``due`` and the calendar something real to show.
UPCOMING_DAYS = (1, 3, 6)
_UPCOMING_TIMES = (dt.time(10, 0), dt.time(14, 30), dt.time(9, 30))
_LATEST_ADVANCED = """
SELECT id, company, role, stage, format, recruiter FROM (
  SELECT *, row_number() OVER (PARTITION BY company, role ORDER BY interview_date DESC, id DESC) AS nth
  FROM interviews
)
WHERE nth = 1 AND outcome = 'advanced' AND stage <> 'final'
ORDER BY decided_on DESC NULLS LAST, interview_date DESC, id DESC
LIMIT ?
"""


def write_upcoming(con: duckdb.DuckDBPyConnection, today: dt.date) -> int:
    """Log the next round of the latest advanced processes ahead (``UPCOMING_DAYS``); return how many."""
    sources = con.execute(_LATEST_ADVANCED, [len(UPCOMING_DAYS)]).fetchall()
    for (source, company, role, stage, format_, recruiter), days, at in zip(
        sources, UPCOMING_DAYS, _UPCOMING_TIMES, strict=False
    ):
        # The next stage of the usual order; after an onsite, the final.
        following = STAGES[min(STAGES.index(stage) + 1, STAGES.index("final"))]
        logged = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(18, 0))  # the same rows for a seed
        (new_id,) = con.execute(
            "INSERT INTO interviews (company, role, interview_date, interview_time, stage, format, recruiter, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [company, role, today + dt.timedelta(days=days), at, following, format_, recruiter, logged, logged],
        ).fetchone()
        con.execute(
            "INSERT INTO interviewers (interview_id, position, name, title) "
            "SELECT ?, 1, name, title FROM interviewers WHERE interview_id = ? ORDER BY position LIMIT 1",
            [new_id, source],
        )
    return len(sources)
