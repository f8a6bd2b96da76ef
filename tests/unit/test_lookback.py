"""Look back: a year ago today, and the biggest change in a category, with their minimum counts."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import demo, lookback
from analysis import interviews as iv

TODAY = dt.date(2026, 6, 15)


def _round(con, day, company="Northwind", ratings=(), category="technical", outcome="rejected"):
    questions = [iv.Question(f"Question {n}", category, r) for n, r in enumerate(ratings, start=1)]
    return iv.save_interview(
        con, iv.Interview(company=company, interview_date=day, stage="technical", outcome=outcome, questions=questions)
    )


def test_a_year_ago_today_is_the_interview_on_that_day(con):
    _round(con, dt.date(2025, 6, 15), ratings=(2, 3, 4))
    _round(con, dt.date(2025, 6, 14), company="Contoso")
    memory = lookback.year_ago(con, TODAY)
    assert memory.company == "Northwind" and memory.days_off == 0
    assert memory.text == "A year ago today: a technical round at Northwind (3 answers, mean 3.0; rejected)."


def test_a_year_ago_falls_back_to_the_nearest_interview_within_the_window(con):
    _round(con, dt.date(2025, 6, 5), company="Far")  # 10 days before
    _round(con, dt.date(2025, 6, 19), company="Near")  # 4 days after
    memory = lookback.year_ago(con, TODAY)
    assert (memory.company, memory.days_off) == ("Near", 4)
    assert memory.text.startswith("A year ago (19 Jun 2025): a technical round at Near (")


def test_nothing_a_year_ago_outside_the_window(con):
    _round(con, dt.date(2025, 6, 15) - dt.timedelta(days=lookback.YEAR_AGO_WINDOW + 1))
    assert lookback.year_ago(con, TODAY) is None


def test_biggest_change_compares_the_last_90_days_with_the_90_before(con):
    # Salary: 2.0 then 3.4 (+1.4); technical: 3.0 then 3.5 (+0.5). Each period holds five answers.
    _round(con, dt.date(2026, 2, 1), ratings=(2, 2, 2, 2, 2), category="salary/logistics")
    _round(con, dt.date(2026, 5, 1), ratings=(3, 3, 4, 4, 3), category="salary/logistics")
    _round(con, dt.date(2026, 2, 2), ratings=(3, 3, 3, 3, 3))
    _round(con, dt.date(2026, 5, 2), ratings=(3, 4, 3, 4, 4))
    change = lookback.biggest_change(con, TODAY)
    assert change.category == "salary/logistics"
    assert (change.before, change.now) == (pytest.approx(2.0), pytest.approx(3.4))
    # The last 90 days are 18 Mar to 15 Jun; the 90 before, 18 Dec to 17 Mar.
    assert (change.before_start, change.before_end) == (dt.date(2025, 12, 18), dt.date(2026, 3, 17))
    assert change.text == "salary/logistics answers: 2.0 in Dec–Mar, 3.4 now."


def test_biggest_change_needs_enough_answers_in_both_periods(con):
    _round(con, dt.date(2026, 2, 1), ratings=(1,) * (lookback.MIN_ANSWERS - 1))
    _round(con, dt.date(2026, 5, 1), ratings=(5,) * 10)
    assert lookback.biggest_change(con, TODAY) is None


def test_a_small_change_is_not_news(con):
    _round(con, dt.date(2026, 2, 1), ratings=(3, 3, 3, 3, 3))
    _round(con, dt.date(2026, 5, 1), ratings=(3, 3, 3, 3, 4))
    assert lookback.biggest_change(con, TODAY) is None


def test_demo_history_has_a_year_ago_and_a_change(con):
    demo.generate(con, interviews=400, today=TODAY)
    assert lookback.year_ago(con, TODAY) is not None
    assert lookback.biggest_change(con, TODAY) is not None
