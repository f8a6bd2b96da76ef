"""Spaced-repetition practice of weak answers, scheduled by FSRS (the ``fsrs`` package).

Every question you answered at or below a threshold rating (3 by default)
becomes a card: read the question, answer aloud, reveal your better answer,
grade yourself Again, Hard, Good or Easy. The same question asked again in a
real interview counts as a review of its card: a weak rating (``schema.is_weak``)
as Again, 3 as Hard, 4 as Good and 5 as Easy. A card graded Again many times in
practice is a stubborn weak spot (Anki calls it a leech).

"The same question" is ``schema.question_key`` (and its SQL twin), then
rapidfuzz at ``schema.SIMILAR_QUESTION_SCORE``: the dashboard groups its weak
answers by the same rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import duckdb
import pandas as pd
from fsrs import Card, Rating, Scheduler
from rapidfuzz import fuzz, process

from analysis import schema, sql, store
from analysis.interviews import RecordChanged
from analysis.sql import SQL

DEFAULT_THRESHOLD = 3
LEECH_AGAINS = 5  # practice "Again" grades that make a card a stubborn weak spot
MAX_REPLAY = 20  # real answers replayed per card when it is first built from history
GRADES = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}


def grade_for_rating(rating: int) -> str:
    """A real interview's 1–5 self-rating as an FSRS grade."""
    if schema.is_weak(rating):
        return "again"
    return "hard" if rating == 3 else "good" if rating == 4 else "easy"


def threshold(con: duckdb.DuckDBPyConnection) -> int:
    """Answers rated at or below this become cards."""
    return int(store.get_setting(con, "practice_threshold", str(DEFAULT_THRESHOLD)))


def set_threshold(con: duckdb.DuckDBPyConnection, value: int) -> None:
    """Change the threshold; answers already passed over are looked at again on the next sync."""
    if not 1 <= int(value) <= 5:
        raise ValueError("the practice threshold is a rating from 1 to 5")
    with sql.transaction(con):
        store.set_setting(con, "practice_threshold", str(int(value)))
        con.execute("DELETE FROM practice_seen WHERE card_id IS NULL")


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
    ``limit_threshold`` overrides the stored threshold for this sync.
    """
    now = now or dt.datetime.now(dt.UTC)
    scheduler = scheduler or Scheduler()
    cutoff = limit_threshold if limit_threshold is not None else threshold(con)
    # The temp tables are dropped after the transaction ends: a statement in a
    # failed transaction would raise and hide the error that failed it.
    with sql.TempTables(con) as tables, sql.transaction(con):
        _stage_new_answers(con, tables)
        _map_keys_to_cards(con, tables, cutoff)
        replay = _replay(con, tables, scheduler, cutoff)
        _write_cards(con, replay.touched)
        _write_reviews(con, replay.reviews)
        _mark_seen(con, tables)
        # Only a sync that made cards or reviews changes what the pages show.
        if replay.created or replay.reviews:
            store.bump_version(con)
    return SyncResult(replay.created, len(replay.reviews))


def _stage_new_answers(con, tables: sql.TempTables) -> None:
    """Every rated answer not yet seen, with its question key and when it was given."""
    con.execute(
        sql.render(
            """
            CREATE TEMP TABLE {new} AS
            SELECT q.id, q.question, q.category, q.rating, q.better_answer, {key} AS key,
                   i.interview_date + coalesce(i.interview_time, TIME '17:00') AS answered_at
            FROM questions q JOIN interviews i ON i.id = q.interview_id
            LEFT JOIN practice_seen s ON s.question_id = q.id
            WHERE q.rating IS NOT NULL AND s.question_id IS NULL
            """,
            new=tables.name("new"),
            key=schema.question_key_sql("q.question"),
        )
    )


def _map_keys_to_cards(con, tables: sql.TempTables, cutoff: int) -> None:
    """Fill the ``alias`` table: for each question key, the key of the card it counts towards.

    A weak question in new words joins the card of the same question in old
    words; a stored card's key is matched exactly as stored (it was made by
    the same key rule).
    """
    cards = [row[0] for row in con.execute("SELECT question_key FROM practice_cards").fetchall()]
    weak_keys = [
        row[0]
        for row in con.execute(
            sql.render("SELECT DISTINCT key FROM {new} WHERE rating <= ? ORDER BY key", new=tables.name("new")),
            [cutoff],
        ).fetchall()
    ]
    alias = {}
    known = list(cards)
    stored = set(cards)
    for weak in weak_keys:
        if weak in stored:
            continue
        match = (
            process.extractOne(weak, known, scorer=fuzz.token_sort_ratio, score_cutoff=schema.SIMILAR_QUESTION_SCORE)
            if known
            else None
        )
        alias[weak] = match[0] if match else weak
        if not match:
            known.append(weak)
    relevant = stored | set(alias.values()) | set(weak_keys)
    mapping = [(key, key) for key in relevant if key not in alias] + list(alias.items())
    con.execute(sql.render("CREATE TEMP TABLE {alias} (key VARCHAR, card_key VARCHAR)", alias=tables.name("alias")))
    if mapping:
        con.executemany(sql.render("INSERT INTO {alias} VALUES (?, ?)", alias=tables.name("alias")), mapping)


@dataclasses.dataclass
class _Replay:
    """What replaying new answers through the scheduler produced, to be written in bulk."""

    created: int = 0
    reviews: list[tuple] = dataclasses.field(default_factory=list)
    touched: dict[int, dict] = dataclasses.field(default_factory=dict)


def _replay(con, tables: sql.TempTables, scheduler: Scheduler, cutoff: int) -> _Replay:
    """Replay each card's new answers, oldest first, through FSRS; create cards for first weak answers."""
    # Only the last MAX_REPLAY answers per card are replayed through the scheduler.
    rows = con.execute(
        sql.render(
            """
            SELECT n.id, n.question, n.category, n.rating, n.better_answer, n.card_key, n.answered_at
            FROM (
                SELECT n.*, a.card_key,
                       row_number() OVER (PARTITION BY a.card_key ORDER BY n.answered_at DESC, n.id DESC) AS recent
                FROM {new} n JOIN {alias} a ON a.key = n.key
            ) n
            WHERE n.recent <= ?
            ORDER BY n.answered_at, n.id
            """,
            new=tables.name("new"),
            alias=tables.name("alias"),
        ),
        [MAX_REPLAY],
    ).fetchall()
    state = {
        key: {"id": card_id, "card": _load_card(raw)}
        for key, card_id, raw in con.execute("SELECT question_key, id, fsrs FROM practice_cards").fetchall()
    }
    replay = _Replay()
    for question_id, question, category, rating, better, card_key, answered_at in rows:
        entry = state.get(card_key)
        if entry is None:
            if rating > cutoff:
                continue  # strong before it was ever weak: nothing to practise yet
            entry = state[card_key] = _new_card(con, card_key, question, category, better, answered_at)
            replay.created += 1
        when = answered_at.replace(tzinfo=dt.UTC)
        if entry["card"].last_review and when < entry["card"].last_review:
            when = entry["card"].last_review
        grade_name = grade_for_rating(rating)
        entry["card"], _ = scheduler.review_card(entry["card"], GRADES[grade_name], when)
        # The card shows the latest wording, category and better-answer draft.
        latest = replay.touched.setdefault(entry["id"], {"better": None})
        latest.update(question=question, category=category, entry=entry)
        latest["better"] = better or latest["better"]
        replay.reviews.append(
            (entry["id"], _utc_naive(when), grade_name, "interview", question_id, _utc_naive(entry["card"].due))
        )
    return replay


def _new_card(con, card_key: str, question: str, category, better, answered_at: dt.datetime) -> dict:
    card = Card(due=answered_at.replace(tzinfo=dt.UTC))
    (card_id,) = con.execute(
        "INSERT INTO practice_cards (question_key, question, category, better_answer, fsrs, due, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [card_key, question, category, better, card.to_json(), answered_at, answered_at],
    ).fetchone()
    return {"id": card_id, "card": card}


def _write_cards(con, touched: dict[int, dict]) -> None:
    # One write per card and one for all reviews: row-by-row UPDATEs cost more than the scheduling.
    for card_id, latest in touched.items():
        card = latest["entry"]["card"]
        con.execute(
            "UPDATE practice_cards SET question = ?, category = ?, better_answer = coalesce(?, better_answer), "
            "fsrs = ?, due = ? WHERE id = ?",
            [latest["question"], latest["category"], latest["better"], card.to_json(), _utc_naive(card.due), card_id],
        )


def _write_reviews(con, reviews: list[tuple]) -> None:
    if reviews:
        frame = pd.DataFrame(reviews, columns=["card_id", "reviewed_at", "grade", "source", "question_id", "due_after"])
        con.from_df(frame).insert_into("practice_reviews")


def _mark_seen(con, tables: sql.TempTables) -> None:
    """Every new answer is now seen: linked to its card, or passed over."""
    con.execute(
        sql.render(
            """
            INSERT INTO practice_seen (question_id, card_id)
            SELECT n.id, c.id FROM {new} n
            LEFT JOIN {alias} a ON a.key = n.key
            LEFT JOIN practice_cards c ON c.question_key = a.card_key
            """,
            new=tables.name("new"),
            alias=tables.name("alias"),
        )
    )


@dataclasses.dataclass(frozen=True)
class PracticeCard:
    id: int
    question: str
    category: str | None
    better_answer: str | None
    due: dt.datetime
    agains: int  # practice "Again" grades: what makes a card stubborn
    reviews: int  # every grade in the card's history, from practice and from interviews
    again_grades: int = 0  # every "Again" in the card's history, as its history lists them

    @property
    def stubborn(self) -> bool:
        return self.agains >= LEECH_AGAINS


def due_cards(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None, limit: int = 50) -> list[PracticeCard]:
    """Cards due by ``now``, the most overdue first."""
    now = now or dt.datetime.now(dt.UTC)
    return _cards(con, SQL("WHERE c.due <= ? ORDER BY c.due, c.id LIMIT ?"), [_utc_naive(now), limit])


def all_cards(con: duckdb.DuckDBPyConnection) -> list[PracticeCard]:
    """Every card, soonest due first."""
    return _cards(con, SQL("ORDER BY c.due, c.id"), [])


def get_card(con: duckdb.DuckDBPyConnection, card_id: int) -> PracticeCard | None:
    """The card with this id, or None if it no longer exists."""
    cards = _cards(con, SQL("WHERE c.id = ?"), [card_id])
    return cards[0] if cards else None


def _cards(con, tail: SQL, params: list) -> list[PracticeCard]:
    statement = sql.render(
        """
        SELECT c.id, c.question, c.category, c.better_answer, c.due, c.agains,
               (SELECT count(*) FROM practice_reviews r WHERE r.card_id = c.id),
               (SELECT count(*) FROM practice_reviews r WHERE r.card_id = c.id AND r.grade = 'again')
        FROM practice_cards c
        {tail}
        """,
        tail=tail,
    )
    rows = con.execute(statement, params).fetchall()
    return [PracticeCard(r[0], r[1], r[2], r[3], r[4].replace(tzinfo=dt.UTC), r[5], r[6], r[7]) for r in rows]


def next_intervals(
    con: duckdb.DuckDBPyConnection, card_id: int, now: dt.datetime | None = None, scheduler: Scheduler | None = None
) -> dict[str, dt.timedelta]:
    """For each grade, how long until the card comes back if graded so now (FSRS's preview; nothing is stored)."""
    now = now or dt.datetime.now(dt.UTC)
    scheduler = scheduler or Scheduler()
    (raw,) = con.execute("SELECT fsrs FROM practice_cards WHERE id = ?", [card_id]).fetchone()
    # review_card works on a copy of the card it is given, so one stored card previews all four grades.
    return {how: scheduler.review_card(_load_card(raw), rating, now)[0].due - now for how, rating in GRADES.items()}


def interval_words(delta: dt.timedelta) -> str:
    """A grade button's interval, short: "10 min", "5 h", "4 d", "3 mo"."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{round(minutes / 60)} h"
    days = round(minutes / (24 * 60))
    return f"{days} d" if days < 60 else f"{round(days / 30)} mo"


class BetterAnswerChanged(RecordChanged):
    """The card's better answer was changed in another window since it was shown; ``stored`` is what it is now."""

    def __init__(self, stored: str | None):
        self.stored = stored
        super().__init__(
            "This card's better answer was changed in another window since you opened it. Your text is still "
            "here: keep the other version, or save yours over it."
        )


_UNCHECKED = object()


def _text_or_none(text: str | None) -> str | None:
    return text if text and text.strip() else None


def set_better_answer(con: duckdb.DuckDBPyConnection, card_id: int, text: str | None, loaded=_UNCHECKED) -> None:
    """Write the card's better answer, and the same on the newest real answer to its question.

    Where it goes: the card, so practice shows it; and the newest logged answer
    the card was made from (its interview's revision moves on, so a Log form
    open on it is told), so the Log page, the brief and the next sync agree.
    Older answers keep what was written then: they are history.

    With ``loaded`` (the better answer as the user's form showed it) this is a
    compare-and-set: if another window changed it since, to something other
    than ``text``, ``BetterAnswerChanged`` is raised and nothing is written.
    """
    text = _text_or_none(text)
    with store.writing(con):
        found = con.execute("SELECT better_answer FROM practice_cards WHERE id = ?", [card_id]).fetchone()
        if found is None:
            raise store.StoreError("That practice card no longer exists.")
        stored = _text_or_none(found[0])
        if loaded is not _UNCHECKED and stored not in (_text_or_none(loaded), text):
            raise BetterAnswerChanged(stored)
        con.execute("UPDATE practice_cards SET better_answer = ? WHERE id = ?", [text, card_id])
        newest = con.execute(
            """
            SELECT q.id, q.interview_id FROM practice_seen s JOIN questions q ON q.id = s.question_id
            JOIN interviews i ON i.id = q.interview_id
            WHERE s.card_id = ? ORDER BY i.interview_date DESC, q.id DESC LIMIT 1
            """,
            [card_id],
        ).fetchone()
        if newest:
            con.execute("UPDATE questions SET better_answer = ? WHERE id = ?", [text, newest[0]])
            con.execute(
                "UPDATE interviews SET revision = revision + 1, updated_at = current_localtimestamp() WHERE id = ?",
                [newest[1]],
            )


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
    with store.writing(con):
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
