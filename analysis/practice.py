"""Spaced-repetition practice of weak answers, scheduled by FSRS (the ``fsrs`` package).

Every question you answered at or below a threshold rating (3 by default)
becomes a card: read the question, answer aloud, reveal your better answer,
grade yourself Again, Hard, Good or Easy. The same question asked again in a
real interview counts as a review of its card: a rating of 1 or 2 as Again,
3 as Hard, 4 as Good and 5 as Easy. A card graded Again many times in practice
is a stubborn weak spot (Anki calls it a leech).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import duckdb
import pandas as pd
from fsrs import Card, Rating, Scheduler
from rapidfuzz import fuzz, process

from analysis import store

DEFAULT_THRESHOLD = 3
LEECH_AGAINS = 5  # practice "Again" grades that make a card a stubborn weak spot
MAX_REPLAY = 20  # real answers replayed per card when it is first built from history
SIMILAR_SCORE = 78  # as metrics.SIMILAR_QUESTION_SCORE: the same question in other words
GRADES = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
GRADE_AS_RATING = {"again": 1, "hard": 3, "good": 4, "easy": 5}  # for charts beside real ratings

# The key two wordings of one question share: letters and digits only, lower case.
QUESTION_KEY_SQL = r"lower(trim(regexp_replace({col}, '[^\p{{L}}\p{{N}}]+', ' ', 'g')))"


def question_key(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """The normalised key of a question (the same as the SQL the cards use)."""
    return con.execute("SELECT " + QUESTION_KEY_SQL.format(col="?"), [text]).fetchone()[0]  # noqa: S608


def grade_for_rating(rating: int) -> str:
    """A real interview's 1–5 self-rating as an FSRS grade."""
    return "again" if rating <= 2 else "hard" if rating == 3 else "good" if rating == 4 else "easy"


def threshold(con: duckdb.DuckDBPyConnection) -> int:
    """Answers rated at or below this become cards."""
    return int(store.get_setting(con, "practice_threshold", str(DEFAULT_THRESHOLD)))


def set_threshold(con: duckdb.DuckDBPyConnection, value: int) -> None:
    """Change the threshold; answers already passed over are looked at again on the next sync."""
    if not 1 <= int(value) <= 5:
        raise ValueError("the practice threshold is a rating from 1 to 5")
    con.execute("BEGIN TRANSACTION")
    try:
        store.set_setting(con, "practice_threshold", str(int(value)))
        con.execute("DELETE FROM practice_seen WHERE card_id IS NULL")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@dataclasses.dataclass(frozen=True)
class SyncResult:
    cards_created: int
    reviews_from_interviews: int


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _load_card(raw: str) -> Card:
    return Card.from_json(raw)


def sync(
    con: duckdb.DuckDBPyConnection,
    now: dt.datetime | None = None,
    scheduler: Scheduler | None = None,
    limit_threshold: int | None = None,
) -> SyncResult:
    """Fold real answers not yet seen into the cards, creating cards for weak ones.

    One transaction. Answers are taken in the order they were given; a card's
    review time is the end of the interview (never before its last review).
    """
    now = now or dt.datetime.now(dt.UTC)
    scheduler = scheduler or Scheduler()
    cutoff = limit_threshold if limit_threshold is not None else threshold(con)
    con.execute("BEGIN TRANSACTION")
    try:
        result = _sync(con, now, scheduler, cutoff)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if result.cards_created or result.reviews_from_interviews:
        store.bump_version(con)
    return result


def _sync(con, now, scheduler, cutoff) -> SyncResult:
    key = QUESTION_KEY_SQL.format(col="q.question")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _practice_new AS
        SELECT q.id, q.question, q.category, q.rating, q.better_answer, {key} AS key,
               i.interview_date + coalesce(i.interview_time, TIME '17:00') AS answered_at
        FROM questions q JOIN interviews i ON i.id = q.interview_id
        LEFT JOIN practice_seen s ON s.question_id = q.id
        WHERE q.rating IS NOT NULL AND s.question_id IS NULL
        """  # noqa: S608 - fixed SQL text
    )
    cards = {row[1]: row[0] for row in con.execute("SELECT id, question_key FROM practice_cards").fetchall()}
    weak_keys = [
        r[0] for r in con.execute("SELECT DISTINCT key FROM _practice_new WHERE rating <= ?", [cutoff]).fetchall()
    ]
    # A weak question in new words joins the card of the same question in old words.
    alias = {}
    known = list(cards)
    for weak in weak_keys:
        if weak in cards:
            continue
        match = (
            process.extractOne(weak, known, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_SCORE) if known else None
        )
        alias[weak] = match[0] if match else weak
        if not match:
            known.append(weak)
    relevant = set(cards) | set(alias.values()) | set(weak_keys)
    con.execute("CREATE OR REPLACE TEMP TABLE _practice_alias (key VARCHAR, card_key VARCHAR)")
    mapping = [(k, k) for k in relevant if k not in alias] + list(alias.items())
    if mapping:
        con.executemany("INSERT INTO _practice_alias VALUES (?, ?)", mapping)
    # Only the last MAX_REPLAY answers per card are replayed through the scheduler.
    rows = con.execute(
        """
        SELECT n.id, n.question, n.category, n.rating, n.better_answer, a.card_key, n.answered_at
        FROM (
            SELECT n.*, a.card_key,
                   row_number() OVER (PARTITION BY a.card_key ORDER BY n.answered_at DESC, n.id DESC) AS recent
            FROM _practice_new n JOIN _practice_alias a ON a.key = n.key
        ) n JOIN _practice_alias a ON a.key = n.key
        WHERE n.recent <= ?
        ORDER BY n.answered_at, n.id
        """,
        [MAX_REPLAY],
    ).fetchall()
    state = {
        r[0]: {"id": r[1], "card": _load_card(r[2])}
        for r in con.execute("SELECT question_key, id, fsrs FROM practice_cards").fetchall()
    }
    created = 0
    reviews, touched = [], {}
    for qid, question, category, rating, better, card_key, answered_at in rows:
        entry = state.get(card_key)
        if entry is None:
            if rating > cutoff:
                continue  # strong before it was ever weak: nothing to practise yet
            card = Card(due=answered_at.replace(tzinfo=dt.UTC))
            (card_id,) = con.execute(
                "INSERT INTO practice_cards (question_key, question, category, better_answer, fsrs, due, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [card_key, question, category, better, card.to_json(), answered_at, answered_at],
            ).fetchone()
            entry = state[card_key] = {"id": card_id, "card": card}
            created += 1
        when = answered_at.replace(tzinfo=dt.UTC)
        if entry["card"].last_review and when < entry["card"].last_review:
            when = entry["card"].last_review
        entry["card"], _ = scheduler.review_card(entry["card"], GRADES[grade_for_rating(rating)], when)
        # The card shows the latest wording, category and better-answer draft.
        latest = touched.setdefault(entry["id"], {"better": None})
        latest.update(question=question, category=category, entry=entry)
        latest["better"] = better or latest["better"]
        reviews.append(
            (entry["id"], _utc_naive(when), grade_for_rating(rating), "interview", qid, _utc_naive(entry["card"].due))
        )
    # One write per card and one for all reviews: row-by-row UPDATEs cost more than the scheduling.
    for card_id, latest in touched.items():
        card = latest["entry"]["card"]
        con.execute(
            "UPDATE practice_cards SET question = ?, category = ?, better_answer = coalesce(?, better_answer), "
            "fsrs = ?, due = ? WHERE id = ?",
            [latest["question"], latest["category"], latest["better"], card.to_json(), _utc_naive(card.due), card_id],
        )
    if reviews:
        frame = pd.DataFrame(reviews, columns=["card_id", "reviewed_at", "grade", "source", "question_id", "due_after"])
        con.register("_practice_reviews_new", frame)
        con.execute("INSERT INTO practice_reviews SELECT * FROM _practice_reviews_new")
        con.unregister("_practice_reviews_new")
    # Every new answer is now seen: linked to its card, or passed over.
    con.execute(
        """
        INSERT INTO practice_seen (question_id, card_id)
        SELECT n.id, c.id FROM _practice_new n
        LEFT JOIN _practice_alias a ON a.key = n.key
        LEFT JOIN practice_cards c ON c.question_key = a.card_key
        """
    )
    con.execute("DROP TABLE _practice_new")
    con.execute("DROP TABLE _practice_alias")
    return SyncResult(created, len(reviews))


@dataclasses.dataclass(frozen=True)
class PracticeCard:
    id: int
    question: str
    category: str | None
    better_answer: str | None
    due: dt.datetime
    agains: int
    reviews: int

    @property
    def stubborn(self) -> bool:
        return self.agains >= LEECH_AGAINS


def due_cards(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, limit: int = 50) -> list[PracticeCard]:
    """Cards due by ``now``, the most overdue first."""
    now = now or dt.datetime.now(dt.UTC)
    return _cards(con, "WHERE c.due <= ? ORDER BY c.due, c.id LIMIT ?", [_utc_naive(now), limit])


def all_cards(con: duckdb.DuckDBPyConnection) -> list[PracticeCard]:
    """Every card, soonest due first."""
    return _cards(con, "ORDER BY c.due, c.id", [])


def get_card(con: duckdb.DuckDBPyConnection, card_id: int) -> PracticeCard | None:
    cards = _cards(con, "WHERE c.id = ?", [card_id])
    return cards[0] if cards else None


_CARD_SELECT = """
SELECT c.id, c.question, c.category, c.better_answer, c.due, c.agains,
       (SELECT count(*) FROM practice_reviews r WHERE r.card_id = c.id AND r.source = 'practice')
FROM practice_cards c
"""


def _cards(con, tail: str, params: list) -> list[PracticeCard]:
    # ``tail`` is one of the fixed WHERE/ORDER clauses above; values are bound.
    rows = con.execute(_CARD_SELECT + tail, params).fetchall()
    return [PracticeCard(r[0], r[1], r[2], r[3], r[4].replace(tzinfo=dt.UTC), r[5], r[6]) for r in rows]


def grade(
    con: duckdb.DuckDBPyConnection,
    card_id: int,
    how: str,
    now: dt.datetime | None = None,
    scheduler: Scheduler | None = None,
) -> PracticeCard:
    """Record a practice grade (again, hard, good, easy) and reschedule the card with FSRS."""
    if how not in GRADES:
        raise ValueError(f"grade must be one of {', '.join(GRADES)}")
    now = now or dt.datetime.now(dt.UTC)
    scheduler = scheduler or Scheduler()
    con.execute("BEGIN TRANSACTION")
    try:
        row = con.execute("SELECT fsrs FROM practice_cards WHERE id = ?", [card_id]).fetchone()
        if row is None:
            raise store.StoreError("That practice card no longer exists.")
        card, _ = scheduler.review_card(_load_card(row[0]), GRADES[how], now)
        con.execute(
            "UPDATE practice_cards SET fsrs = ?, due = ?, agains = agains + ? WHERE id = ?",
            [card.to_json(), _utc_naive(card.due), int(how == "again"), card_id],
        )
        con.execute(
            "INSERT INTO practice_reviews (card_id, reviewed_at, grade, source, due_after) VALUES (?, ?, ?, 'practice', ?)",
            [card_id, _utc_naive(now), how, _utc_naive(card.due)],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    store.bump_version(con)
    return get_card(con, card_id)


def stubborn_cards(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Cards graded Again at least LEECH_AGAINS times in practice: your stubborn weak spots."""
    return con.execute(
        "SELECT id, question, category, agains, due FROM practice_cards WHERE agains >= ? ORDER BY agains DESC, id",
        [LEECH_AGAINS],
    ).df()


def history(con: duckdb.DuckDBPyConnection, card_id: int) -> pd.DataFrame:
    """Every grade one card got, oldest first: from practice and from real interviews."""
    return con.execute(
        "SELECT reviewed_at, source, grade, due_after FROM practice_reviews WHERE card_id = ? ORDER BY reviewed_at",
        [card_id],
    ).df()


def progress_by_category(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per category: cards, practice reviews, share graded Good or Easy, and cards due now."""
    return con.execute(
        """
        SELECT c.category, count(DISTINCT c.id) AS cards,
               count(r.card_id) AS reviews,
               avg(CASE WHEN r.grade IN ('good', 'easy') THEN 1.0 WHEN r.grade IS NOT NULL THEN 0.0 END) AS share_good,
               count(DISTINCT c.id) FILTER (WHERE c.due <= $now) AS due_now,
               count(DISTINCT c.id) FILTER (WHERE c.agains >= $leech) AS stubborn
        FROM practice_cards c LEFT JOIN practice_reviews r ON r.card_id = c.id AND r.source = 'practice'
        GROUP BY c.category ORDER BY cards DESC, c.category
        """,
        {"now": _utc_naive(dt.datetime.now(dt.UTC)), "leech": LEECH_AGAINS},
    ).df()


def practice_trend(con: duckdb.DuckDBPyConnection, grain: str = "month") -> pd.DataFrame:
    """Practice grades per category over time, on the 1–5 rating scale (again 1, hard 3, good 4, easy 5)."""
    if grain not in ("week", "month"):
        raise ValueError("grain must be 'week' or 'month'")
    return con.execute(
        """
        SELECT date_trunc($grain, r.reviewed_at)::DATE AS period, c.category,
               avg(CASE r.grade WHEN 'again' THEN 1 WHEN 'hard' THEN 3 WHEN 'good' THEN 4 ELSE 5 END) AS mean_rating,
               count(*) AS answers
        FROM practice_reviews r JOIN practice_cards c ON c.id = r.card_id
        WHERE r.source = 'practice'
        GROUP BY ALL ORDER BY period, category
        """,
        {"grain": grain},
    ).df()


def fsrs_state(con: duckdb.DuckDBPyConnection, card_id: int) -> dict:
    """The card's FSRS state as the fsrs package stores it (stability, difficulty, due...)."""
    (raw,) = con.execute("SELECT fsrs FROM practice_cards WHERE id = ?", [card_id]).fetchone()
    return json.loads(raw)
