"""Practice cards scheduled by FSRS, checked against the fsrs package itself."""

import dataclasses
import datetime as dt

import pytest
from fsrs import Card, Rating, Scheduler

from analysis import interviews as iv
from analysis import metrics, practice, schema

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def _scheduler():
    return Scheduler(enable_fuzzing=False)  # deterministic, to compare with


def test_weak_answers_become_cards_and_strong_ones_do_not(history):
    result = practice.sync(history, NOW, _scheduler())
    cards = {c.question: c for c in practice.all_cards(history)}
    # Rated 3 or less: Design a cache (+ "please", the same question), Why Acme?, Salary expectations?,
    # Tell me about yourself. (3). Tell me about a conflict (5) is not a card.
    assert set(cards) == {"Design a cache", "Why Acme?", "Salary expectations?", "Tell me about yourself"}
    assert result.cards_created == 4
    assert cards["Design a cache"].better_answer == "Start from requirements"
    assert cards["Design a cache"].category == "technical"
    # Syncing again changes nothing.
    assert practice.sync(history, NOW, _scheduler()) == practice.SyncResult(0, 0)


def test_real_ratings_replay_through_fsrs_in_order(history):
    practice.sync(history, NOW, _scheduler())
    card = next(c for c in practice.all_cards(history) if c.question == "Design a cache")
    # Expected: created on 10 Jan (rated 2: Again), then 10 Feb (1: Again), then 10 Mar (3: Hard),
    # each at 17:00 UTC (no time logged), through the same scheduler.
    expected = Card(due=dt.datetime(2026, 1, 10, 17, 0, tzinfo=dt.UTC))
    scheduler = _scheduler()
    for day, rating in ((dt.datetime(2026, 1, 10, 17), Rating.Again), (dt.datetime(2026, 2, 10, 17), Rating.Again),
                        (dt.datetime(2026, 3, 10, 17), Rating.Hard)):  # fmt: skip
        expected, _ = scheduler.review_card(expected, rating, day.replace(tzinfo=dt.UTC))
    assert card.due == expected.due
    state = practice.fsrs_state(history, card.id)
    assert state["stability"] == expected.stability and state["difficulty"] == expected.difficulty
    assert list(practice.history(history, card.id)["grade"]) == ["again", "again", "hard"]


def test_grading_reschedules_with_fsrs(history):
    practice.sync(history, NOW, _scheduler())
    card = next(c for c in practice.due_cards(history, NOW) if c.question == "Why Acme?")
    before = Card.from_dict(practice.fsrs_state(history, card.id))
    graded = practice.grade(history, card.id, "good", NOW, _scheduler())
    expected, _ = _scheduler().review_card(before, Rating.Good, NOW)
    assert graded.due == expected.due
    assert graded.reviews == card.reviews + 1 and graded.agains == 0
    assert graded.due > NOW
    assert card.id not in {c.id for c in practice.due_cards(history, NOW)}


def test_each_grade_previews_its_next_interval_without_storing_anything(history):
    practice.sync(history, NOW, _scheduler())
    card = next(c for c in practice.due_cards(history, NOW) if c.question == "Why Acme?")
    before = practice.fsrs_state(history, card.id)
    intervals = practice.next_intervals(history, card.id, NOW, _scheduler())
    assert practice.fsrs_state(history, card.id) == before
    assert intervals["again"] < intervals["hard"] <= intervals["good"] < intervals["easy"]
    graded = practice.grade(history, card.id, "good", NOW, _scheduler())
    assert graded.due - NOW == intervals["good"]


def test_intervals_read_as_short_words():
    words = practice.interval_words
    assert [words(dt.timedelta(minutes=10)), words(dt.timedelta(hours=5)), words(dt.timedelta(days=4))] == [
        "10 min",
        "5 h",
        "4 d",
    ]
    assert words(dt.timedelta(days=90)) == "3 mo" and words(dt.timedelta(seconds=5)) == "1 min"


def test_a_card_graded_again_many_times_is_a_stubborn_weak_spot(history):
    practice.sync(history, NOW, _scheduler())
    card = practice.all_cards(history)[0]
    when = NOW
    for _ in range(practice.LEECH_AGAINS - 1):
        graded = practice.grade(history, card.id, "again", when, _scheduler())
        when += dt.timedelta(hours=1)
    assert not graded.stubborn and practice.stubborn_cards(history).empty
    graded = practice.grade(history, card.id, "again", when, _scheduler())
    assert graded.stubborn
    assert list(practice.stubborn_cards(history)["id"]) == [card.id]


def test_a_new_real_rating_of_the_same_question_updates_its_card(history):
    practice.sync(history, NOW, _scheduler())
    card = next(c for c in practice.all_cards(history) if c.question == "Salary expectations?")
    iv.save_interview(
        history,
        iv.Interview(
            company="Hooli",
            interview_date=dt.date(2026, 4, 2),
            interview_time=dt.time(10, 0),
            questions=[iv.Question("Salary expectations ?", "salary/logistics", 5)],
        ),
    )
    result = practice.sync(history, NOW, _scheduler())
    assert result == practice.SyncResult(0, 1)
    grades = practice.history(history, card.id)
    assert list(grades["grade"]) == ["again", "easy"]
    assert practice.get_card(history, card.id).due > dt.datetime(2026, 4, 3, tzinfo=dt.UTC)


def test_raising_the_threshold_turns_more_answers_into_cards(history):
    practice.sync(history, NOW, _scheduler())
    assert len(practice.all_cards(history)) == 4
    practice.set_threshold(history, 4)
    practice.sync(history, NOW, _scheduler())
    assert "Tell me about a conflict" not in {c.question for c in practice.all_cards(history)}  # rated 5
    assert len(practice.all_cards(history)) == 4  # the 4s were "Tell me about yourself", already a card


def test_progress_by_category_and_practice_trend(history):
    practice.sync(history, NOW, _scheduler())
    card = next(c for c in practice.all_cards(history) if c.category == "technical")
    practice.grade(history, card.id, "easy", NOW, _scheduler())
    progress = practice.progress_by_category(history).set_index("category")
    assert progress.loc["technical", "reviews"] == 1 and progress.loc["technical", "share_good"] == 1.0
    trend = practice.practice_trend(history)
    assert list(trend["mean_rating"]) == [5.0]


def test_grade_must_be_one_of_the_four():
    with pytest.raises(ValueError):
        practice.grade(None, 1, "meh")  # validated before the database is touched


def test_sync_leaves_nothing_half_done_on_error(history, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("scheduler down")

    scheduler = _scheduler()
    monkeypatch.setattr(scheduler, "review_card", broken)
    try:
        practice.sync(history, NOW, scheduler)
    except RuntimeError:
        pass
    assert practice.all_cards(history) == []
    assert history.execute("SELECT count(*) FROM practice_seen").fetchone()[0] == 0
    assert dataclasses.asdict(practice.sync(history, NOW, _scheduler()))["cards_created"] == 4


def test_the_dashboard_and_practice_cards_agree_on_the_same_question(con):
    wordings = [
        "Tell me about yourself.",
        "tell me about yourself",
        "Tell me about YOURSELF!",
        "Tell me  about yourself",
    ]
    for day, wording in enumerate(wordings, start=1):
        iv.save_interview(
            con,
            iv.Interview(
                company="Acme",
                interview_date=dt.date(2026, 1, day),
                questions=[iv.Question(wording, "behavioral", 2)],
            ),
        )
    weak = metrics.weak_answers(con, metrics.DashboardFilter())
    # One row, and one exact key behind it: the wordings are the same question, not merely similar ones.
    assert len(weak) == 1 and weak.loc[0, "wordings"] == 1
    assert sorted(weak.loc[0, "texts"]) == sorted(wordings)
    practice.sync(con, NOW, _scheduler())
    (card,) = practice.all_cards(con)
    assert len(practice.history(con, card.id)) == 4
    (stored,) = con.execute("SELECT question_key FROM practice_cards").fetchone()
    assert {schema.question_key(w) for w in wordings} == {stored} == {"tell me about yourself"}


def test_card_keys_stored_by_the_old_rule_match_the_shared_rule(con):
    # practice_cards.question_key values in existing databases were made by this
    # expression; sync matches stored keys exactly, so the shared rule must agree.
    old_rule = r"lower(trim(regexp_replace(?, '[^\p{L}\p{N}]+', ' ', 'g')))"
    new_rule = schema.question_key_sql("?")
    for wording in ["  Why   Acme?! ", "Tell me\tabout\nyourself.", "C++ vs. C#?", "Qué tal, Zoë? 2 × 3", "...", "a_b"]:
        old = con.execute("SELECT " + old_rule, [wording]).fetchone()[0]
        new = con.execute("SELECT " + new_rule, [wording]).fetchone()[0]
        assert old == new == schema.question_key(wording), wording


def test_sync_rolls_back_its_bulk_writes_and_drops_its_tables_when_a_late_step_fails(history, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(practice, "_mark_seen", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        practice.sync(history, NOW, _scheduler())
    written = history.execute("SELECT (SELECT count(*) FROM practice_cards), (SELECT count(*) FROM practice_reviews)")
    assert written.fetchone() == (0, 0)
    assert history.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0] == 0
    monkeypatch.undo()
    assert practice.sync(history, NOW, _scheduler()).cards_created == 4
    assert history.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0] == 0


def test_a_better_answer_saved_against_what_was_shown_is_refused_when_another_window_changed_it(con, sample_interview):
    iv.save_interview(con, sample_interview)
    practice.sync(con)
    card = practice.all_cards(con)[0]
    shown = card.better_answer
    practice.set_better_answer(con, card.id, "Theirs.", loaded=shown)  # nobody else wrote: saved
    with pytest.raises(practice.BetterAnswerChanged) as refused:
        practice.set_better_answer(con, card.id, "Mine.", loaded=shown)  # still the old version on screen
    assert refused.value.stored == "Theirs."
    assert practice.get_card(con, card.id).better_answer == "Theirs."
    practice.set_better_answer(con, card.id, "Theirs.", loaded=shown)  # the same text as stored: no conflict
    practice.set_better_answer(con, card.id, "Mine.", loaded="Theirs.")  # saved over the version now seen
    assert practice.get_card(con, card.id).better_answer == "Mine."
