"""Calibration: reliability bins, Brier scores and sentences, against hand-computed values."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from analysis import calibration, charts, demo, insight_charts
from analysis import interviews as iv


def _round(con, day: dt.date, outcome: str, predicted: int | None = None, ratings=(), company="Northwind") -> int:
    questions = [iv.Question(f"Question {n}", "technical", rating) for n, rating in enumerate(ratings, start=1)]
    saved = iv.save_interview(
        con,
        iv.Interview(
            company=company,
            interview_date=day,
            outcome=outcome,
            decided_on=day + dt.timedelta(days=3) if outcome != "pending" else None,
            predicted_advance=predicted,
            questions=questions,
        ),
    )
    return saved.id


@pytest.fixture
def predicted(con):
    """11 rounds at 75 % (4 advanced, one of them an offer), 2 at 20 % (both not advanced), and two not decided."""
    day = dt.date(2026, 1, 5)
    for n, outcome in enumerate(["advanced"] * 3 + ["offer"] + ["rejected"] * 7):
        _round(con, day + dt.timedelta(days=n), outcome, 75)
    _round(con, dt.date(2026, 4, 6), "rejected", 20)
    _round(con, dt.date(2026, 4, 7), "no response", 20)
    _round(con, dt.date(2026, 4, 8), "pending", 90)
    _round(con, dt.date(2026, 4, 9), "withdrew", 90)
    return con


def test_reliability_bins_count_decided_rounds_by_prediction(predicted):
    bins = calibration.reliability(predicted)
    assert bins[["low", "high", "label", "rounds", "advanced"]].values.tolist() == [
        [20, 30, "20–30 %", 2, 0],
        [70, 80, "70–80 %", 11, 4],
    ]
    assert bins["advanced_rate"].tolist() == pytest.approx([0.0, 4 / 11])
    assert bins["mean_predicted"].tolist() == pytest.approx([0.2, 0.75])


def test_a_certain_prediction_falls_in_the_top_bin(con):
    _round(con, dt.date(2026, 1, 5), "advanced", 100)
    assert calibration.reliability(con)[["low", "label"]].values.tolist() == [[90, "90–100 %"]]


def test_brier_score_and_the_base_rate_score_by_hand(predicted):
    brier = calibration.prediction_brier(predicted)
    # 4 advanced at .75: 4 × .0625; 7 not at .75: 7 × .5625; 2 not at .2: 2 × .04.
    assert brier.rounds == 13
    assert brier.score == pytest.approx((4 * 0.0625 + 7 * 0.5625 + 2 * 0.04) / 13)
    # Always guessing the base rate b = 4/13 scores b(1 − b).
    assert brier.base_rate == pytest.approx(4 / 13)
    assert brier.base_score == pytest.approx(4 / 13 * 9 / 13)
    assert brier.skill < 0  # these predictions are worse than the base rate


def test_sentences_say_how_often_you_advanced_at_each_prediction(predicted):
    assert calibration.bin_sentences(calibration.reliability(predicted)) == [
        "When you said 70–80 %, you advanced 4 times out of 11."
    ]  # the 20–30 % bin has 2 rounds, fewer than MIN_PER_BIN


def test_brier_over_time_keeps_quarters_with_enough_rounds(predicted):
    over_time = calibration.brier_over_time(predicted)
    # Q1 has the 11 rounds at 75 %; Q2's two decided rounds are fewer than MIN_PER_PERIOD.
    assert over_time["quarter"].dt.date.tolist() == [dt.date(2026, 1, 1)]
    assert over_time["rounds"].tolist() == [11]
    assert over_time["brier"].tolist() == pytest.approx([(4 * 0.0625 + 7 * 0.5625) / 11])
    b = 4 / 13
    assert over_time["base_rate_brier"].tolist() == pytest.approx([(4 * (1 - b) ** 2 + 7 * b**2) / 11])


def test_scorecard_calls_overconfidence_and_beats_nothing(predicted):
    card = calibration.scorecard(predicted)
    assert card.enough
    assert "overconfident" in card.message and "no better than" in card.message
    assert card.sentences == ["When you said 70–80 %, you advanced 4 times out of 11."]


def test_fewer_than_the_minimum_decided_predictions_shows_nothing(con):
    for n in range(calibration.MIN_PREDICTIONS - 1):
        _round(con, dt.date(2026, 1, 5) + dt.timedelta(days=n), "advanced", 60)
    card = calibration.scorecard(con)
    assert not card.enough and card.bins.empty and card.over_time.empty and card.sentences == []
    assert card.message.startswith("9 decided rounds with a prediction so far")


def test_mean_rating_predicts_by_the_pass_rate_of_the_other_rounds_in_its_band(con):
    # Band 4: passed, passed, not; band 2: not, passed. Leave-one-out probabilities:
    # .5, .5, 1 (band 4) and 1, 0 (band 2).
    day = dt.date(2026, 2, 2)
    for n, (outcome, ratings) in enumerate(
        [("advanced", (4, 5)), ("offer", (5,)), ("rejected", (4,)), ("rejected", (2,)), ("advanced", (2, 3))]
    ):
        _round(con, day + dt.timedelta(days=n), outcome, ratings=ratings)
    _round(con, day, "pending", ratings=(1,))
    brier = calibration.rating_brier(con)
    assert brier.rounds == 5
    assert brier.score == pytest.approx((0.25 + 0.25 + 1 + 1 + 1) / 5)
    assert brier.base_score == pytest.approx(0.6 * 0.4)
    bins = calibration.rating_reliability(con)
    assert bins[["band", "label", "rounds", "advanced"]].values.tolist() == [[2, "2–3", 2, 1], [4, "4–5", 3, 2]]


def test_drill_down_lists_the_rounds_behind_a_bin(predicted):
    behind = calibration.predictions_behind(predicted, 20)
    assert behind["outcome"].tolist() == ["no response", "rejected"]
    assert behind["predicted"].tolist() == [20, 20]


def test_drill_down_lists_the_rounds_of_a_quarter_or_every_one(predicted):
    second = calibration.predictions_behind(predicted, quarter=dt.date(2026, 4, 1))
    assert second["outcome"].tolist() == ["no response", "rejected"]
    assert len(calibration.predictions_behind(predicted)) == 13  # every decided round with a prediction


def test_demo_predictions_are_overconfident_and_enough_to_score(con):
    demo.generate(con, interviews=400, today=dt.date(2026, 6, 1))
    card = calibration.scorecard(con)
    assert card.enough and card.rating_enough
    assert "overconfident" in card.message
    assert card.brier.score > card.brier.base_score * 0.8  # miscalibrated, not clairvoyant
    assert len(card.bins) >= 5 and not card.over_time.empty


def _picks_and_tooltips(spec: dict) -> tuple[bool, set[str]]:
    layers = spec.get("layer", [spec])
    # A layered chart lifts its selection to the top.
    params = [*spec.get("params", []), *(p for layer in layers for p in layer.get("params", []))]
    picked = any(p.get("name") == charts.SELECTION for p in params)
    titles = {t["title"] for layer in layers for t in layer.get("encoding", {}).get("tooltip", [])}
    return picked, titles


def test_reliability_chart_explains_each_bin_and_can_drill_down(predicted):
    picked, titles = _picks_and_tooltips(insight_charts.reliability_chart(calibration.reliability(predicted)).to_dict())
    assert picked and {"When you said", "Decided rounds", "Of which you advanced"} <= titles


def test_brier_chart_draws_your_score_beside_the_base_rate(predicted):
    chart = insight_charts.brier_chart(calibration.brier_over_time(predicted))
    picked, titles = _picks_and_tooltips(chart.to_dict())
    assert picked and "Mean of (probability − outcome)²" in titles
    assert set(chart.data["predictor"]) == {"your predictions", "your base rate"}


def test_a_prediction_is_saved_loaded_and_kept_to_0_to_100(con):
    interview_id = _round(con, dt.date(2026, 1, 5), "pending", 65)
    loaded = iv.load_interview(con, interview_id)
    assert loaded.predicted_advance == 65
    edited = iv.save_interview(con, dataclasses.replace(loaded, predicted_advance=None))
    assert iv.load_interview(con, edited.id).predicted_advance is None
    with pytest.raises(iv.InvalidInterview, match="0 to 100"):
        iv.save_interview(con, dataclasses.replace(edited, predicted_advance=101))
    assert [c.field for c in iv.changes(loaded, iv.load_interview(con, interview_id))] == ["Chance to advance (%)"]
