"""Dashboard metrics against hand-computed expectations on the ``history`` fixture."""

import datetime as dt

import pandas as pd
import pytest

from analysis import metrics as m
from analysis.metrics import DashboardFilter

EVERYTHING = DashboardFilter()
FEB_MAR = DashboardFilter(start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 31))


def test_headline_counts_means_and_pass_rate(history):
    head = m.headline(history, EVERYTHING)
    assert head.interviews == 5
    assert head.questions_rated == 9
    assert head.average_rating == pytest.approx(28 / 9)
    # Decided: advanced, rejected, offer. Pending and withdrew are not verdicts.
    assert head.decided == 3
    assert head.pass_rate == pytest.approx(2 / 3)
    assert head.offers == 1
    assert head.average_rating_change is None  # no date range, no previous period


def test_average_rating_change_compares_the_previous_period_of_equal_length(history):
    assert FEB_MAR.previous_period() == DashboardFilter(start=dt.date(2025, 12, 4), end=dt.date(2026, 1, 31))
    head = m.headline(history, FEB_MAR)
    assert head.interviews == 4
    assert head.average_rating == pytest.approx(19 / 6)
    # Previous period holds only the January interview: (4 + 2 + 3) / 3.
    assert head.average_rating_change == pytest.approx(19 / 6 - 3)


def test_category_filter_keeps_interviews_with_such_questions_and_only_those_questions(history):
    head = m.headline(history, DashboardFilter(categories=("technical",)))
    assert head.interviews == 4
    assert head.questions_rated == 3
    assert head.average_rating == pytest.approx(2.0)


def test_company_role_and_stage_filters(history):
    assert m.headline(history, DashboardFilter(companies=("Acme",))).interviews == 2
    assert m.headline(history, DashboardFilter(roles=("Analyst",))).interviews == 2
    assert m.headline(history, DashboardFilter(stages=("technical", "final"))).pass_rate == pytest.approx(2 / 3)


def test_rating_trend_by_month_with_counts(history):
    trend = m.rating_trend(history, EVERYTHING, "month")
    march = trend[trend["period"] == pd.Timestamp(2026, 3, 1)].set_index("category")
    assert march.loc["behavioral", "mean_rating"] == 5.0
    assert march.loc["behavioral", "answers"] == 2
    assert march.loc["technical", "answers"] == 1
    assert len(trend) == 8


def test_rating_trend_by_week_starts_on_monday(history):
    trend = m.rating_trend(history, EVERYTHING, "week")
    assert set(trend["period"]) >= {pd.Timestamp(2026, 1, 5), pd.Timestamp(2026, 3, 9)}


def test_category_strength_orders_weakest_first_with_an_interval(history):
    strength = m.category_strength(history, EVERYTHING).set_index("category")
    assert list(strength.index) == ["technical", "salary/logistics", "culture/motivation", "behavioral"]
    tech = strength.loc["technical"]
    assert (tech["mean_rating"], tech["answers"]) == (2.0, 3)
    # sd 1 over 3 answers: 2 ± 1.96/√3, clipped to the 1–5 scale.
    assert tech["low"] == 1.0
    assert tech["high"] == pytest.approx(2 + 1.96 / 3**0.5)
    assert strength.loc["behavioral", "mean_rating"] == 4.25


def test_weak_answers_group_near_duplicate_questions(history):
    weak = m.weak_answers(history, EVERYTHING)
    assert list(weak["question"]) == ["Design a cache", "Salary expectations?", "Why Acme?"]
    cache = weak.iloc[0]
    assert (cache["asked"], cache["wordings"], cache["mean_rating"], cache["latest_rating"]) == (3, 2, 2.0, 3)
    assert cache["better_answer"] == "Start from requirements"  # the latest draft
    assert sorted(cache["texts"]) == ["Design a cache", "Design a cache please"]
    # "Tell me about yourself" (and its punctuated twin) averages 4: not weak.
    assert not weak["question"].str.startswith("Tell me about yourself").any()


def test_group_similar_keeps_different_questions_apart():
    texts = [
        "walk me through your resume",
        "why?",
        "walk me through your cv",
        "why do you want to work here?",
        "describe a conflict with a coworker",
        "describe a conflict with your manager",
        "design a cache",
        "tell me about a conflict",
        "design a cache please",
    ]
    assert m.group_similar(texts) == [0, 1, 0, 3, 4, 5, 6, 7, 6]


def test_outcomes_by_month_count_decided_rounds_at_their_decision(history):
    outcomes = m.outcomes_by_month(history, EVERYTHING)
    assert [(r.month, r.outcome, r.rounds) for r in outcomes.itertuples()] == [
        (pd.Timestamp(2026, 1, 1), "advanced", 1),
        (pd.Timestamp(2026, 2, 1), "rejected", 1),
        (pd.Timestamp(2026, 3, 1), "offer", 1),
    ]


def test_stage_funnel_in_interview_order(history):
    funnel = m.stage_funnel(history, EVERYTHING)
    assert list(funnel["stage"]) == ["recruiter screen", "phone screen", "technical", "final"]
    technical = funnel.set_index("stage").loc["technical"]
    assert (technical["reached"], technical["decided"], technical["passed"]) == (2, 2, 1)
    assert technical["pass_rate"] == 0.5
    assert funnel.set_index("stage").loc["recruiter screen", "decided"] == 0


def test_calibration_bands_and_a_small_sample_claims_nothing(history):
    bands = m.calibration(history, EVERYTHING)
    assert [(r.band, r.interviews, r.passed) for r in bands.itertuples()] == [(2, 1, 0), (3, 1, 1), (4, 1, 1)]
    verdict = m.calibration_verdict(bands)
    assert verdict.sample == 3
    assert not verdict.enough
    assert "too few" in verdict.message


def test_calibration_verdict_with_enough_interviews():
    bands = pd.DataFrame({"band": [1, 2, 3, 4], "interviews": [5, 10, 10, 10], "passed": [0, 2, 6, 9]})
    verdict = m.calibration_verdict(bands)
    assert verdict.enough and verdict.sample == 35
    assert "90% passed when you averaged 4 or more, 13% when you averaged under 3" in verdict.message


def test_reaction_against_rating_flags_disagreements(history):
    reactions = m.reaction_vs_rating(history, EVERYTHING)
    cells = {(r.rating, r.reaction): (r.answers, r.disagreement) for r in reactions.itertuples()}
    assert cells[(3, "neutral")] == (3, "")
    assert cells[(2, "positive")] == (1, "you rated it low; they liked it")
    assert cells[(5, "negative")] == (1, "you rated it high; they did not")
    assert sum(a for a, _ in cells.values()) == 8  # the answer without a reaction is left out


def test_answers_behind_a_selection(history):
    tech = m.answers_behind(history, EVERYTHING, category="technical")
    assert list(tech["rating"]) == [3, 1, 2]  # newest first, unrated left out
    assert tech["total"].iloc[0] == 3
    march = m.answers_behind(history, EVERYTHING, category="behavioral", period=dt.date(2026, 3, 1))
    assert sorted(march["company"]) == ["Acme", "Initech"]
    offer = m.answers_behind(history, EVERYTHING, outcome="offer", month=dt.date(2026, 3, 1))
    assert set(offer["company"]) == {"Acme"} and len(offer) == 2
    low_band = m.answers_behind(history, EVERYTHING, band=2)
    assert set(low_band["company"]) == {"Globex"}
    cell = m.answers_behind(history, EVERYTHING, rating=2, reaction="positive")
    assert list(cell["question"]) == ["Design a cache"]
    grouped = m.answers_behind(history, EVERYTHING, texts=["Design a cache", "Design a cache please"])
    assert len(grouped) == 3
    limited = m.answers_behind(history, EVERYTHING, limit=2)
    assert len(limited) == 2 and limited["total"].iloc[0] == 9


def test_trend_grain_is_weekly_for_short_periods():
    span = (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert m.trend_grain(DashboardFilter(), span) == "month"
    assert m.trend_grain(FEB_MAR, span) == "week"


def test_metrics_on_an_empty_database(con):
    head = m.headline(con, EVERYTHING)
    assert (head.interviews, head.average_rating, head.pass_rate) == (0, None, None)
    assert m.weak_answers(con, EVERYTHING).empty
    assert m.category_strength(con, EVERYTHING).empty
    assert m.calibration_verdict(m.calibration(con, EVERYTHING)).sample == 0


def test_an_interview_logged_ahead_is_not_yet_in_the_history(history):
    from analysis import interviews as iv

    before = m.headline(history, EVERYTHING)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    iv.save_interview(history, iv.Interview(company="Initech", interview_date=tomorrow, stage="final"))
    assert m.headline(history, EVERYTHING) == before
    assert m.headline(history, DashboardFilter(start=tomorrow)).interviews == 0
