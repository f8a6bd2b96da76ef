"""A realistic, deterministic demo history: ``python -m analysis demo``.

The history is simulated as job applications that move through stages: each
round's questions are drawn from a bank of real interview questions, the
answers are rated with skills that grow over time in some categories and not in
others, and whether a round advances depends on how the answers went. Every
random choice comes from one NumPy generator seeded with ``seed`` and drawn in a
fixed order, and the whole simulation works on arrays (no per-row Python), so
the same seed and ``today`` give the same rows byte for byte, and 100,000
interviews take seconds. Rows go in with one ``INSERT ... SELECT`` per table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analysis import demo_insights, schema, sql, store, text
from analysis.demo_data import (
    AGENCIES,
    CATEGORY_ORDER,
    CLARIFY,
    COMPANIES,
    COMPANY_EXTRAS,
    CULTURE_NOTES,
    ENGINEER,
    EXEC,
    FIRST_NAMES,
    LAST_NAMES,
    MANAGER,
    ORDER_OVERRIDES,
    PEER,
    PEOPLE_NOTES,
    PROCESSES,
    QUESTION_BANK,
    QUESTION_NOTES,
    QUESTIONS_TO_ASK,
    RECRUITER,
    ROLE_EXTRAS,
    ROLES,
    SKILL_GROWTH,
    SKILL_START,
    STAGE_CATEGORY_WEIGHTS,
    STORIES,
    TAKE_HOME_QUESTIONS,
    TITLES,
)
from analysis.vocab import BUILTIN_CATEGORIES, FORMATS, REACTIONS, STAGES


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate`` wrote."""

    interviews: int  # held before today
    questions: int
    upcoming: int = 0  # logged ahead, from tomorrow on


# --- Tables derived once from the vocabulary above --------------------------

_CATEGORIES = BUILTIN_CATEGORIES
_BANK = [(category, *entry) for category in _CATEGORIES for entry in QUESTION_BANK[category]]
_BANK_CATEGORY = np.array([_CATEGORIES.index(b[0]) for b in _BANK])
_BANK_DIFFICULTY = np.array([b[2] for b in _BANK])
_BANK_ORDER = np.array([ORDER_OVERRIDES.get(b[1], CATEGORY_ORDER[b[0]]) for b in _BANK])
_SKILL_START = np.array([SKILL_START[c] for c in _CATEGORIES])
_SKILL_GROWTH = np.array([SKILL_GROWTH[c] for c in _CATEGORIES])


def _stage_question_log_weights() -> np.ndarray:
    """log(probability weight) of each bank question at each stage, for Gumbel top-k sampling."""
    frequency = np.array([b[3] for b in _BANK])
    per_category = np.bincount(_BANK_CATEGORY, weights=frequency)
    weights = np.empty((len(STAGES), len(_BANK)))
    take_home = np.array([b[1] in TAKE_HOME_QUESTIONS for b in _BANK])
    for s, stage in enumerate(STAGES):
        category_weight = np.array(STAGE_CATEGORY_WEIGHTS[stage])[_BANK_CATEGORY]
        weights[s] = category_weight * frequency / per_category[_BANK_CATEGORY]
        weights[s, take_home] *= 8.0 if stage == "take-home" else 0.002
    return np.log(weights).astype(np.float32)


_STAGE_LOG_WEIGHTS = _stage_question_log_weights()

# One list of every free text a question row may carry; rows hold indexes into it.
_TEXTS: list[str] = list(REACTIONS)
_BETTER_INDEX = np.arange(len(_BANK)) + len(_TEXTS)
_TEXTS += [b[4] for b in _BANK]


def _text_block(bank: dict[str, tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """Append ``bank`` to ``_TEXTS``; return each category's first index and count."""
    starts, counts = [], []
    for category in _CATEGORIES:
        starts.append(len(_TEXTS))
        counts.append(len(bank[category]))
        _TEXTS.extend(bank[category])
    return np.array(starts), np.array(counts)


_CLARIFY_START, _CLARIFY_COUNT = _text_block(CLARIFY)
_NOTES_START, _NOTES_COUNT = _text_block(QUESTION_NOTES)

_STAGE_INDEX = {stage: i for i, stage in enumerate(STAGES)}
_MAX_ROUNDS = max(len(p) for p, _ in PROCESSES)
# Stage of each round of each process; -1 past its last round.
_PROCESS_STAGES = np.array([[_STAGE_INDEX[s] for s in p] + [-1] * (_MAX_ROUNDS - len(p)) for p, _ in PROCESSES])
_PROCESS_LENGTH = np.array([len(p) for p, _ in PROCESSES])

# Per stage (order of STAGES): format probabilities (order of FORMATS), mean
# question count, interviewers (minimum, extra up to), pass-rate bias.
_FORMAT_P = np.array(
    [
        (0.45, 0.55, 0.0),
        (0.3, 0.7, 0.0),
        (0.85, 0.0, 0.15),
        (0.85, 0.0, 0.15),
        (0.4, 0.0, 0.6),
        (0.5, 0.0, 0.5),
        (0.4, 0.2, 0.4),
    ]
)
_MEAN_QUESTIONS = np.array([6.5, 8.0, 9.5, 8.5, 11.5, 9.0, 7.0])
_INTERVIEWERS_MIN = np.array([1, 1, 1, 1, 2, 1, 0])
_INTERVIEWERS_EXTRA = np.array([0, 0, 1, 1, 2, 1, 1])
_PASS_BIAS = np.array([0.9, 0.5, 0.0, 0.1, -0.1, -0.3, 0.6])

# How long each company takes to answer, as a factor on the usual delay: from
# twice as quick to two and a half times as slow, fixed per company.
_RESPONSE_HABIT = 0.5 + (np.arange(len(COMPANIES)) * 37 % 11) / 5

SPAN_DAYS = 548  # about 18 months
_EPOCH = dt.date(1970, 1, 1)
_DAY_US = 86_400_000_000
_MINUTE_US = 60_000_000


def _weights(values) -> np.ndarray:
    w = np.asarray(values, dtype=float)
    return w / w.sum()


def _pick(rng: np.random.Generator, options: tuple, size: int) -> np.ndarray:
    """Uniform random indexes into ``options``."""
    return rng.integers(0, len(options), size)


def _weekday_forward(days: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays to a weekday of the week after: people rarely interview at weekends.

    Spreading them over the week (by a hash of the day) keeps Mondays from
    collecting every weekend's rounds and decisions.
    """
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    return np.where(weekday >= 5, days + 7 - weekday + (days * 7919) % 5, days)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --- Simulation ---------------------------------------------------------------


def _applications(rng: np.random.Generator, count: int, today: int) -> dict[str, np.ndarray]:
    """Draw ``count`` job applications: company, role, process, recruiter, start day."""
    company_w = _weights(1.0 / np.arange(1, len(COMPANIES) + 1) ** 0.4)
    company = rng.permutation(len(COMPANIES))[rng.choice(len(COMPANIES), count, p=company_w)]
    role = rng.choice(len(ROLES), count, p=_weights([r[1] for r in ROLES]))
    process = rng.choice(len(PROCESSES), count, p=_weights([p[1] for p in PROCESSES]))
    # A steady search, busier in the last four months.
    recent = rng.random(count) < 0.3
    back = np.where(recent, rng.integers(1, 120, count), rng.integers(1, SPAN_DAYS, count))
    return {
        "company": company,
        "role": role,
        "process": process,
        "start": _weekday_forward(today - back),
        "recruiter_kind": rng.choice(3, count, p=[0.3, 0.5, 0.2]),  # none, agency, in-house
        "agency": _pick(rng, AGENCIES, count),
        "recruiter_first": _pick(rng, FIRST_NAMES, count),
        "recruiter_last": _pick(rng, LAST_NAMES, count),
        "manager_first": _pick(rng, FIRST_NAMES, count),
        "manager_last": _pick(rng, LAST_NAMES, count),
        "manager_title": _pick(rng, TITLES[MANAGER], count),
    }


def _questions(rng: np.random.Generator, stage: np.ndarray, when: np.ndarray) -> dict[str, np.ndarray]:
    """Questions for interviews at ``stage`` held at ``when`` (0 = 18 months ago, 1 = today)."""
    n = len(stage)
    count = np.clip(np.rint(_MEAN_QUESTIONS[stage] + rng.normal(0.0, 1.8, n)), 3, 13).astype(np.int64)
    # Gumbel top-k: the first k of the perturbed log weights are a weighted
    # sample of k distinct questions.
    noise = -np.log(-np.log(rng.random((n, len(_BANK)), dtype=np.float32) * 0.99999 + 0.000005))
    scores = _STAGE_LOG_WEIGHTS[stage] + noise
    top = np.argpartition(-scores, 13, axis=1)[:, :13]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1), axis=1)
    keep = np.arange(13) < count[:, None]
    interview = np.repeat(np.arange(n), count)
    bank = top[keep]
    # Interviews open with introductions and close with logistics.
    order = np.lexsort((_BANK_ORDER[bank] + rng.random(len(bank)) * 0.15, interview))
    bank = bank[order]
    starts = np.repeat(np.cumsum(count) - count, count)
    position = np.arange(len(bank)) - starts + 1

    category = _BANK_CATEGORY[bank]
    form = rng.normal(0.0, 0.45, n)  # a good or bad day moves every answer
    level = (
        _SKILL_START[category] + _SKILL_GROWTH[category] * when[interview] + _BANK_DIFFICULTY[bank] + form[interview]
    )
    rating = np.clip(np.rint(level + rng.normal(0.0, 0.75, len(bank))), 1, 5).astype(np.int8)
    rating[rng.random(len(bank)) < 0.02] = 0  # not rated

    # What the interviewer seemed to think follows the rating, loosely.
    felt = rating + rng.normal(0.0, 0.9, len(bank))
    reaction = np.where(felt >= 3.9, 0, np.where(felt < 2.4, 2, 1))
    reaction = np.where(rng.random(len(bank)) < 0.08, 3, reaction)
    reaction = np.where((rng.random(len(bank)) < 0.12) | (rating == 0), -1, reaction)

    u = rng.random(len(bank))
    clarify_p = np.where(category == _CATEGORIES.index("salary/logistics"), 0.12, np.where(rating <= 3, 0.08, 0.03))
    clarify = np.where(
        u < clarify_p, _CLARIFY_START[category] + (u / clarify_p * _CLARIFY_COUNT[category]).astype(int), -1
    )
    u = rng.random(len(bank))
    # Weak answers (rating 0 is "not rated") usually get a better-answer draft.
    better_p = np.where((rating >= 1) & (rating <= schema.WEAK_RATING), 0.85, np.where(rating == 3, 0.08, 0.0))
    better = np.where(u < better_p, _BETTER_INDEX[bank], -1)
    u = rng.random(len(bank))
    notes = np.where(u < 0.08, _NOTES_START[category] + (u / 0.08 * _NOTES_COUNT[category]).astype(int), -1)

    rated = rating > 0
    sums = np.bincount(interview, weights=np.where(rated, rating, 0), minlength=n)
    rated_count = np.bincount(interview, weights=rated, minlength=n)
    mean = np.where(rated_count > 0, sums / np.maximum(rated_count, 1), 3.0)
    return {
        "interview": interview,
        "position": position,
        "bank": bank,
        "rating": rating,
        "reaction": reaction,
        "clarify": clarify,
        "better": better,
        "notes": notes,
        "mean": mean,
    }


def _rounds(rng: np.random.Generator, apps: dict[str, np.ndarray], today: int) -> tuple[dict, dict]:
    """Play each application's rounds until it stops advancing or reaches today.

    Returns the rounds (one entry per array, ordered by depth then application)
    and their questions, whose ``interview`` indexes the rounds.
    """
    rounds: list[dict] = []
    questions: list[dict] = []
    offset = 0
    active = np.arange(len(apps["start"]))
    day = apps["start"].copy()
    for depth in range(_MAX_ROUNDS):
        process = apps["process"][active]
        stage = _PROCESS_STAGES[process, depth]
        ok = (stage >= 0) & (day < today)
        active, day, stage, process = active[ok], day[ok], stage[ok], process[ok]
        n = len(active)
        if n == 0:
            break
        when = np.clip(1.0 - (today - day) / SPAN_DAYS, 0.0, 1.0)
        q = _questions(rng, stage, when)

        last = depth == _PROCESS_LENGTH[process] - 1
        chance = _sigmoid(2.2 * (q["mean"] - 3.3) + _PASS_BIAS[stage])
        passed = rng.random(n) < chance
        early = stage <= _STAGE_INDEX["phone screen"]
        ghosted = rng.random(n) < np.where(early, 0.3, 0.12)
        withdrew = rng.random(n) < 0.04
        outcome = np.where(passed, np.where(last, "offer", "advanced"), np.where(ghosted, "no response", "rejected"))
        outcome = np.where(withdrew, "withdrew", outcome).astype(object)
        lag = np.select(
            [outcome == "advanced", outcome == "offer", outcome == "rejected", outcome == "no response"],
            [rng.integers(1, 8, n), rng.integers(2, 10, n), rng.integers(2, 15, n), rng.integers(21, 36, n)],
            rng.integers(1, 6, n),
        )
        # Silence takes as long anywhere; an answer comes at the company's own pace.
        habit = _RESPONSE_HABIT[apps["company"][active]]
        lag = np.where(outcome == "no response", lag, np.maximum(1, np.rint(lag * habit))).astype(np.int64)
        decided = _weekday_forward(day + lag)
        # A decision that would come today or later has not come yet.
        pending = decided >= today
        outcome[pending] = "pending"
        decided = np.where(pending, -1, decided)

        q["interview"] = q["interview"] + offset
        questions.append(q)
        rounds.append({"app": active, "depth": np.full(n, depth), "stage": stage, "day": day})
        rounds[-1].update(outcome=outcome, decided=decided, chance=chance)
        offset += n

        go_on = outcome == "advanced"
        gap = np.where(stage == _STAGE_INDEX["recruiter screen"], rng.integers(2, 9, n), rng.integers(3, 12, n))
        active, day = active[go_on], _weekday_forward(decided[go_on] + gap[go_on])
    return _concat(rounds), _concat(questions)


def _concat(parts: list[dict]) -> dict[str, np.ndarray]:
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _interview_details(rng: np.random.Generator, r: dict, apps: dict) -> dict[str, np.ndarray]:
    """Time, format, recruiter, notes and bookkeeping columns for the rounds ``r``."""
    n = len(r["day"])
    app = r["app"]
    stage = r["stage"]
    first = r["depth"] == 0

    slots = np.arange(8 * 60 + 30, 17 * 60 + 31, 15)
    slot_w = _weights(1.0 + np.exp(-(((slots - 13 * 60) / 150.0) ** 2)))
    minute = np.where(rng.random(n) < 0.9, rng.choice(slots, n, p=slot_w), -1)
    cumulative = np.cumsum(_FORMAT_P[stage], axis=1)
    fmt = np.array(FORMATS, dtype=object)[(rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, 2)]

    first_names = np.array(FIRST_NAMES, dtype=object)
    last_names = np.array(LAST_NAMES, dtype=object)
    kind = apps["recruiter_kind"][app]
    person = first_names[apps["recruiter_first"][app]] + " " + last_names[apps["recruiter_last"][app]]
    agency = np.array(AGENCIES, dtype=object)[apps["agency"][app]]
    recruiter = np.where(kind == 1, agency + ": " + person, np.where(kind == 2, "In-house: " + person, None))

    role = apps["role"][app]
    company = apps["company"][app]
    role_notes_table = np.array([r_[2] for r_ in ROLES], dtype=object)
    role_notes = role_notes_table[role, rng.integers(0, role_notes_table.shape[1], n)]
    role_notes = role_notes + np.where(
        rng.random(n) < 0.6, " " + np.array(ROLE_EXTRAS, dtype=object)[_pick(rng, ROLE_EXTRAS, n)], ""
    )
    role_notes = np.where(rng.random(n) < np.where(first, 0.55, 0.12), role_notes, None)

    profiles = np.array(
        [f"{c[1].capitalize()}, about {c[2]} people, based in {c[3]}." for c in COMPANIES], dtype=object
    )
    company_notes = profiles[company] + np.where(
        rng.random(n) < 0.5, " " + np.array(COMPANY_EXTRAS, dtype=object)[_pick(rng, COMPANY_EXTRAS, n)], ""
    )
    company_notes = np.where(rng.random(n) < np.where(first, 0.5, 0.1), company_notes, None)

    culture = np.array(CULTURE_NOTES, dtype=object)
    a = _pick(rng, CULTURE_NOTES, n)
    b = (a + rng.integers(1, len(CULTURE_NOTES), n)) % len(CULTURE_NOTES)
    culture_notes = culture[a] + np.where(rng.random(n) < 0.35, " " + culture[b], "")
    culture_notes = np.where(rng.random(n) < 0.25, culture_notes, None)

    ask = np.array(QUESTIONS_TO_ASK, dtype=object)
    a = _pick(rng, QUESTIONS_TO_ASK, n)
    b = (a + rng.integers(1, 7, n)) % len(ask)
    c = (b + rng.integers(1, 7, n)) % len(ask)
    to_ask = ask[a] + "\n" + ask[b] + np.where(rng.random(n) < 0.5, "\n" + ask[c], "")
    to_ask = np.where(rng.random(n) < np.where(first, 0.45, 0.3), to_ask, None)

    # Logged a few hours after the interview; updated again when the decision came.
    start_minute = np.where(minute >= 0, minute, 18 * 60)
    created = r["day"] * _DAY_US + (start_minute + rng.integers(45, 240, n)) * _MINUTE_US
    decided = r["decided"] >= 0
    updated = np.where(decided, r["decided"] * _DAY_US + rng.integers(9 * 60, 21 * 60, n) * _MINUTE_US, created)
    return {
        "company": np.array([c[0] for c in COMPANIES], dtype=object)[company],
        "role": np.array([r_[0] for r_ in ROLES], dtype=object)[role],
        "minute": minute,
        "format": fmt,
        "recruiter": recruiter,
        "role_notes": role_notes,
        "company_notes": company_notes,
        "culture_notes": culture_notes,
        "questions_to_ask": to_ask,
        "revision": np.where(decided, 2, 1),
        "created_us": created,
        "updated_us": updated,
    }


def _interviewers(rng: np.random.Generator, r: dict, apps: dict) -> dict[str, np.ndarray]:
    """Who interviewed in each round: recruiters at screens, panels onsite, the hiring manager throughout."""
    n = len(r["day"])
    stage = r["stage"]
    count = _INTERVIEWERS_MIN[stage] + rng.integers(0, _INTERVIEWERS_EXTRA[stage] + 1)
    count[rng.random(n) < 0.06] = 0  # not written down
    row = np.repeat(np.arange(n), count)
    position = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count) + 1
    s = stage[row]
    u = rng.random(len(row))
    is_stage = {name: s == i for name, i in _STAGE_INDEX.items()}
    kind = np.select(
        [
            is_stage["recruiter screen"],
            is_stage["phone screen"] & (u < 0.6),
            is_stage["take-home"] & (position == 2) & (u < 0.5),
            is_stage["onsite/panel"] & (position == 1),
            is_stage["onsite/panel"] & (u < 0.25),
            is_stage["final"] & (position == 1) & (u < 0.55),
            is_stage["final"] & (position == 1),
            is_stage["final"],
            is_stage["other"] & (u < 0.5),
        ],
        [RECRUITER, MANAGER, MANAGER, MANAGER, PEER, EXEC, MANAGER, MANAGER, MANAGER],
        ENGINEER,
    )
    # Two managers in one final round would be the same person twice.
    if len(row):
        previous_kind = np.concatenate([[-1], kind[:-1]])
        kind = np.where(is_stage["final"] & (position == 2) & (previous_kind == MANAGER), EXEC, kind)

    app = r["app"][row]
    first = _pick(rng, FIRST_NAMES, len(row))
    last = _pick(rng, LAST_NAMES, len(row))
    manager = kind == MANAGER
    # The in-house recruiter named on the application runs its screen.
    own_recruiter = (kind == RECRUITER) & (apps["recruiter_kind"][app] == 2)
    first = np.select([manager, own_recruiter], [apps["manager_first"][app], apps["recruiter_first"][app]], first)
    last = np.select([manager, own_recruiter], [apps["manager_last"][app], apps["recruiter_last"][app]], last)
    name = np.array(FIRST_NAMES, dtype=object)[first] + " " + np.array(LAST_NAMES, dtype=object)[last]

    title_index = rng.integers(0, 1 << 30, len(row))
    title = np.empty(len(row), dtype=object)
    for k, titles in enumerate(TITLES):
        chosen = kind == k
        title[chosen] = np.array(titles, dtype=object)[title_index[chosen] % len(titles)]
    title[manager] = np.array(TITLES[MANAGER], dtype=object)[apps["manager_title"][app[manager]]]
    title[rng.random(len(row)) < 0.08] = None

    # People notes need a name, so they are made here, from the first interviewer.
    firsts = position == 1
    template = _pick(rng, PEOPLE_NOTES, int(firsts.sum()))
    before = np.array([p[0] for p in PEOPLE_NOTES], dtype=object)[template]
    after = np.array([p[1] for p in PEOPLE_NOTES], dtype=object)[template]
    people_notes = np.full(n, None, dtype=object)
    note = before + np.array(FIRST_NAMES, dtype=object)[first[firsts]] + after
    people_notes[row[firsts]] = np.where(rng.random(len(note)) < 0.35, note, None)
    return {"row": row, "position": position, "name": name, "title": title, "people_notes": people_notes}


def _simulate(count: int, seed: int, today: int) -> tuple[dict, dict, dict]:
    """Exactly ``count`` interviews (with details), their questions and interviewers.

    Rounds come back in the order ids are given: by date, time, then application.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    batches = []
    total = 0
    while total < count:
        # An application yields about two rounds; draw more until there are enough.
        apps = _applications(rng, max(16, (count - total) * 3 // 5 + 16), today)
        r, q = _rounds(rng, apps, today)
        batches.append((apps, r, q))
        total += len(r["day"])

    # Whole applications in drawing order, cut at ``count`` rounds.
    rounds, questions, app_base, round_base = [], [], 0, 0
    for apps, r, q in batches:
        by_app = np.lexsort((r["depth"], r["app"]))
        rank = np.empty_like(by_app)
        rank[by_app] = np.arange(len(by_app))
        r = {k: v[by_app] for k, v in r.items()}
        q = dict(q, interview=rank[q["interview"]] + round_base)
        r["global_app"] = r["app"] + app_base
        rounds.append(r)
        questions.append(q)
        app_base += len(apps["start"])
        round_base += len(by_app)
    r = _concat(rounds)
    q = _concat(questions)
    del q["mean"]
    r = {k: v[:count] for k, v in r.items()}
    q = {k: v[q["interview"] < count] for k, v in q.items()}

    # Details need each round's application, which lives in its batch.
    all_apps = {k: np.concatenate([b[0][k] for b in batches]) for k in batches[0][0]}
    r["app"] = r["global_app"]
    details = _interview_details(rng, r, all_apps)
    people = _interviewers(rng, r, all_apps)
    r.update(details)
    r["people_notes"] = people.pop("people_notes")

    # Ids follow the calendar, as they would for someone logging as they go.
    order = np.lexsort((r["depth"], r["app"], r["minute"], r["day"]))
    new_index = np.empty_like(order)
    new_index[order] = np.arange(count)
    r = {k: v[order] for k, v in r.items()}
    q["interview"] = new_index[q["interview"]]
    people["row"] = new_index[people["row"]]
    q_order = np.lexsort((q["position"], q["interview"]))
    q = {k: v[q_order] for k, v in q.items()}
    p_order = np.lexsort((people["position"], people["row"]))
    people = {k: v[p_order] for k, v in people.items()}
    return r, q, people


# --- Writing ------------------------------------------------------------------


def _reserve_ids(con: duckdb.DuckDBPyConnection, sequence: str, count: int) -> np.ndarray:
    """Take ``count`` values from ``sequence``, smallest first, so the app's later inserts never collide."""
    if count == 0:
        return np.empty(0, dtype=np.int64)
    values = con.execute("SELECT nextval(?) AS id FROM range(?)", [sequence, count]).fetchnumpy()["id"]
    return np.sort(np.asarray(values, dtype=np.int64))


_INSERT_INTERVIEWS = """
    INSERT INTO interviews (id, company, role, interview_date, interview_time, stage, format, recruiter,
                            outcome, decided_on, role_notes, company_notes, people_notes, culture_notes,
                            questions_to_ask, predicted_advance, revision, created_at, updated_at)
    SELECT id, company, role, DATE '1970-01-01' + day,
           CASE WHEN minute >= 0 THEN make_time(minute // 60, minute % 60, 0) END,
           stage, format, recruiter, outcome,
           CASE WHEN decided >= 0 THEN DATE '1970-01-01' + decided END,
           role_notes, company_notes, people_notes, culture_notes, questions_to_ask,
           CASE WHEN predicted >= 0 THEN predicted END, revision,
           make_timestamp(created_us), make_timestamp(updated_us)
    FROM _demo_interviews ORDER BY id
"""

_INSERT_QUESTIONS = """
    INSERT INTO questions (id, interview_id, position, question, category, rating, reaction, clarify,
                           better_answer, notes)
    SELECT g.id, g.interview_id, g.position, b.question, b.category, nullif(g.rating, 0),
           r.text, c.text, a.text, n.text
    FROM _demo_questions g
    JOIN _demo_bank b ON b.idx = g.bank
    LEFT JOIN _demo_texts r ON r.idx = g.reaction
    LEFT JOIN _demo_texts c ON c.idx = g.clarify
    LEFT JOIN _demo_texts a ON a.idx = g.better
    LEFT JOIN _demo_texts n ON n.idx = g.notes
    ORDER BY g.id
"""

_INSERT_INTERVIEWERS = """
    INSERT INTO interviewers (interview_id, position, name, title)
    SELECT interview_id, position, name, title FROM _demo_interviewers ORDER BY interview_id, position
"""


def _write(con: duckdb.DuckDBPyConnection, r: dict, q: dict, people: dict) -> np.ndarray:
    """Insert the rounds, their questions and interviewers; return the questions' ids, in the order of ``q``."""
    interview_ids = _reserve_ids(con, "interview_id_seq", len(r["day"]))
    question_ids = _reserve_ids(con, "question_id_seq", len(q["bank"]))
    frames = {
        "_demo_interviews": pd.DataFrame(
            {
                "id": interview_ids,
                "company": r["company"],
                "role": r["role"],
                # DuckDB adds INTEGER, not BIGINT, days to a DATE.
                "day": r["day"].astype(np.int32),
                "minute": r["minute"].astype(np.int32),
                "stage": np.array(STAGES, dtype=object)[r["stage"]],
                **{k: r[k] for k in ("format", "recruiter", "outcome")},
                "decided": r["decided"].astype(np.int32),
                **{k: r[k] for k in ("role_notes", "company_notes", "people_notes", "culture_notes")},
                **{k: r[k] for k in ("questions_to_ask", "revision", "created_us", "updated_us")},
                "predicted": r["predicted"].astype(np.int16),
            }
        ),
        "_demo_questions": pd.DataFrame(
            {
                "id": question_ids,
                "interview_id": interview_ids[q["interview"]],
                "position": q["position"].astype(np.int32),
                **{k: q[k] for k in ("bank", "rating", "reaction", "clarify", "better", "notes")},
            }
        ),
        "_demo_bank": pd.DataFrame(
            {"idx": np.arange(len(_BANK)), "question": [b[1] for b in _BANK], "category": [b[0] for b in _BANK]}
        ),
        "_demo_texts": pd.DataFrame({"idx": np.arange(len(_TEXTS)), "text": _TEXTS}),
        "_demo_interviewers": pd.DataFrame(
            {
                "interview_id": interview_ids[people["row"]],
                "position": people["position"].astype(np.int32),
                "name": people["name"],
                "title": people["title"],
            }
        ),
    }
    # Registered inside the caller's transaction: a rollback drops them too.
    for name, frame in frames.items():
        con.register(name, frame)
    con.execute(_INSERT_INTERVIEWS)
    con.execute(_INSERT_QUESTIONS)
    con.execute(_INSERT_INTERVIEWERS)
    for name in frames:
        con.unregister(name)
    return question_ids


# The demo candidate is diligent: for interviews more than three days old every
# follow-up step is done; the last three days are part done, so "Due now" shows
# a realistic handful. Deterministic: driven by the interview id and date only.
_FOLLOW_THROUGH = """
INSERT INTO followups (interview_id, contact, channel, follow_up_on, decision_expected_on,
                       feedback_requested_on, thank_you_sent_at, linkedin_sent_at)
SELECT i.id,
       coalesce(p.name, i.recruiter, 'the hiring manager'),
       CASE WHEN i.recruiter IS NOT NULL THEN 'through the recruiter' ELSE 'email' END,
       i.interview_date + 5,
       i.interview_date + 7,
       CASE WHEN age > 3 OR i.id % 3 = 0 THEN i.interview_date + 1 END,
       CASE WHEN age > 3 OR (age >= 1 AND i.id % 2 = 0)
            THEN i.interview_date + coalesce(i.interview_time, TIME '17:00') + INTERVAL 20 HOUR END,
       CASE WHEN age > 3 THEN i.interview_date + coalesce(i.interview_time, TIME '17:00') + INTERVAL 30 HOUR END
FROM (SELECT *, $today - interview_date AS age FROM interviews) i
LEFT JOIN interviewers p ON p.interview_id = i.id AND p.position = 1
WHERE i.age > 3 OR i.id % 4 <> 0
"""
_FOLLOW_THROUGH_TICKS = """
INSERT INTO followup_ticks (interview_id, item, ticked_at)
SELECT i.id, item, i.interview_date + coalesce(i.interview_time, TIME '17:00') + INTERVAL 6 HOUR
FROM interviews i, (VALUES ('review'), ('notes')) AS items(item)
WHERE $today - i.interview_date > 3
"""

_CLARIFIED = """
UPDATE questions SET clarified_on = i.interview_date + 1
FROM interviews i
WHERE questions.interview_id = i.id AND questions.clarify IS NOT NULL AND $today - i.interview_date > 3
"""


def _check_replaceable(con: duckdb.DuckDBPyConnection, replace: bool) -> None:
    """Raise ``store.StoreError`` unless the database is empty, or a demo database that may be replaced."""
    existing, stories = con.execute("SELECT (SELECT count(*) FROM interviews), count(*) FROM stories").fetchone()
    if not (existing or stories) or (replace and store.is_demo(con)):
        return
    held = text.count(existing, "interview") if existing else text.count(stories, "story")
    if store.is_demo(con):
        raise store.StoreError(
            f"{store.database_file(con)} already holds {held} of demo data; pass --replace to write a new "
            "demo history over them, or use --db to name another file."
        )
    raise store.StoreError(
        f"{store.database_file(con)} already holds {held}; demo data is only written to an empty database, "
        "so it never mixes with your own records. Use --db to name another file."
    )


def _clear_history(con: duckdb.DuckDBPyConnection) -> None:
    """Delete every interview with all that belongs to it, and the history that belongs to none."""
    tables = [*(o.table for o in schema.INTERVIEW_OWNED), schema.INTERVIEW, *schema.HISTORY_TABLES]
    for table in tables:
        con.execute(sql.render("DELETE FROM {table}", table=table))


def generate(
    con: duckdb.DuckDBPyConnection,
    interviews: int = 400,
    seed: int = 7,
    today: dt.date | None = None,
    *,
    replace: bool = False,
) -> DemoSummary:
    """Write a demo history of ``interviews`` interviews in the 18 months before ``today``, and a few ahead.

    The same ``seed`` (a non-negative integer) and ``today`` give the same rows.
    The database must hold no interviews, unless it is already a demo database
    and ``replace`` is true, in which case its rows are replaced. Everything is
    written in one transaction and the database is marked as demo data.
    Raises ``store.StoreError`` when the database holds other interviews.
    """
    if interviews < 1:
        raise ValueError(f"interviews must be at least 1, not {interviews}")
    today = today or dt.date.today()
    with sql.write_transaction(con):
        _check_replaceable(con, replace)
        rounds, questions, people = _simulate(interviews, seed, (today - _EPOCH).days)
        # The insights' data draws from its own generator, so adding it left the
        # history above as it was for a given seed.
        insight_rng = np.random.Generator(np.random.PCG64([seed, 16]))
        rounds["predicted"] = demo_insights.predictions(insight_rng, rounds["chance"])
        # Everything in a demo database is demo data, so all of its history goes,
        # not just the interviews: practice cards and reviews built from the old
        # history would otherwise linger beside the new one.
        if store.is_demo(con):
            _clear_history(con)
        question_ids = _write(con, rounds, questions, people)
        story_ids = _reserve_ids(con, "story_id_seq", len(STORIES))
        written = dt.datetime.combine(today - dt.timedelta(days=SPAN_DAYS), dt.time(9, 0))
        categories = _BANK_CATEGORY[questions["bank"]]
        demo_insights.write_stories(con, insight_rng, categories, question_ids, story_ids, written)
        con.execute(_FOLLOW_THROUGH, {"today": today})
        con.execute(_FOLLOW_THROUGH_TICKS, {"today": today})
        con.execute(_CLARIFIED, {"today": today})
        upcoming = demo_insights.write_upcoming(con, today)
        store.set_setting(con, "demo", "true")
    store.checkpoint(con)
    return DemoSummary(interviews=len(rounds["day"]), questions=len(questions["bank"]), upcoming=upcoming)
