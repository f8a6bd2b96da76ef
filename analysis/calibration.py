"""Calibration: are you a good judge of how an interview went?

Two predictors are scored against what happened, over decided rounds only
(``vocab.DECIDED_OUTCOMES``; advancing is ``vocab.PASSED_OUTCOMES``):

- the prediction given at debrief time, "How likely are you to advance?" (0–100 %);
- the mean self-rating of the round's answers, turned into a probability by
  the user's own history: the pass rate of the other decided rounds with the
  same whole-number mean rating (leave-one-out, so a round never predicts itself).

Each gets reliability bins (what was predicted against how often it
happened, with counts) and the Brier score, the mean of (probability −
outcome)², where 0 is perfect. Beside it is the Brier score of always
guessing one's own base rate (the share of all decided rounds passed): a
predictor worth listening to scores lower than that. Fewer than
``MIN_PREDICTIONS`` decided rounds and nothing is scored: the scorecard says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd

from analysis import sql, text
from analysis.sql import SQL
from analysis.vocab import DECIDED_OUTCOMES, PASSED_OUTCOMES

MIN_PREDICTIONS = 10  # decided rounds before any score is shown
MIN_PER_BIN = 3  # a bin's sentence needs at least this many rounds
MIN_PER_PERIOD = 5  # a quarter on the Brier-over-time chart needs this many
BIN_WIDTH = 10  # percentage points per reliability bin

_OUTCOMES = {"decided": list(DECIDED_OUTCOMES), "passed": list(PASSED_OUTCOMES)}

# Decided rounds with a prediction: p in 0..1, y 1 when the round advanced.
_PREDICTED = SQL("""
scored AS (
    SELECT id AS interview_id, company, stage, interview_date, outcome,
           predicted_advance / 100.0 AS p, list_contains($passed, outcome)::INTEGER AS y
    FROM interviews
    WHERE predicted_advance IS NOT NULL AND list_contains($decided, outcome)
)
""")

# Decided rounds with a rated answer: p is the pass rate of the other rounds
# in the same whole-number band of mean rating (the base rate of the others
# when the round is alone in its band).
_RATED = SQL("""
rounds AS (
    SELECT i.id AS interview_id, i.company, i.stage, i.interview_date, i.outcome, avg(q.rating) AS mean_rating,
           list_contains($passed, i.outcome)::INTEGER AS y
    FROM interviews i JOIN questions q ON q.interview_id = i.id
    WHERE q.rating IS NOT NULL AND list_contains($decided, i.outcome)
    GROUP BY ALL
),
banded AS (
    SELECT *, least(floor(mean_rating), 4)::INTEGER AS band,
           count(*) OVER (PARTITION BY least(floor(mean_rating), 4)) AS band_rounds,
           sum(y) OVER (PARTITION BY least(floor(mean_rating), 4)) AS band_passed,
           count(*) OVER () AS all_rounds, sum(y) OVER () AS all_passed
    FROM rounds
),
scored AS (
    SELECT *, CASE WHEN band_rounds > 1 THEN (band_passed - y) / (band_rounds - 1)
                   ELSE (all_passed - y) / greatest(all_rounds - 1, 1) END AS p
    FROM banded
)
""")


def _run(con, scored: SQL, body: str, **params) -> pd.DataFrame:
    statement = sql.render("WITH {scored}\n{body}", scored=scored, body=SQL(body))
    return con.execute(statement, {**_OUTCOMES, **params}).df()


def reliability(con: duckdb.DuckDBPyConnection, width: int = BIN_WIDTH) -> pd.DataFrame:
    """Predictions in bins of ``width`` points: low, high, label ("70–80 %"), rounds, advanced, the means.

    A prediction of 100 % falls in the top bin. ``mean_predicted`` and
    ``advanced_rate`` are shares (0..1).
    """
    frame = _run(
        con,
        _PREDICTED,
        """
        SELECT least(floor(p * 100 / $width), 100 // $width - 1)::INTEGER * $width AS low,
               count(*) AS rounds, sum(y)::INTEGER AS advanced, avg(p) AS mean_predicted, avg(y) AS advanced_rate
        FROM scored GROUP BY low ORDER BY low
        """,
        width=width,
    )
    frame.insert(1, "high", frame["low"] + width)
    frame.insert(2, "label", [f"{lo}–{hi} %" for lo, hi in zip(frame["low"], frame["high"], strict=True)])
    return frame


def rating_reliability(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Decided rounds by their whole-number band of mean self-rating (1 to 4, 4 meaning 4 to 5): rounds, advanced."""
    frame = _run(
        con,
        _RATED,
        """
        SELECT band, count(*) AS rounds, sum(y)::INTEGER AS advanced, avg(mean_rating) AS mean_rating,
               avg(y) AS advanced_rate
        FROM scored GROUP BY band ORDER BY band
        """,
    )
    frame.insert(1, "label", [f"{b}–{b + 1}" for b in frame["band"]])
    return frame


@dataclasses.dataclass(frozen=True)
class Brier:
    """A predictor's Brier score beside always guessing the base rate, over ``rounds`` decided rounds."""

    rounds: int
    score: float | None
    base_rate: float | None
    base_score: float | None

    @property
    def skill(self) -> float | None:
        """1 − score / base score: above 0 the predictor beats guessing the base rate."""
        if self.score is None or not self.base_score:
            return None
        return 1 - self.score / self.base_score


def _brier(con, scored: SQL) -> Brier:
    # DuckDB cannot nest a window in an aggregate: take the base rate first.
    frame = _run(
        con,
        scored,
        """
        , rate AS (SELECT avg(y) AS base_rate FROM scored)
        SELECT count(*) AS rounds, avg((p - y) ^ 2) AS score, any_value(base_rate) AS base_rate,
               avg((base_rate - y) ^ 2) AS base_score
        FROM scored, rate
        """,
    )
    row = frame.iloc[0]
    rounds = int(row["rounds"])
    if rounds == 0:
        return Brier(0, None, None, None)
    return Brier(rounds, float(row["score"]), float(row["base_rate"]), float(row["base_score"]))


def prediction_brier(con: duckdb.DuckDBPyConnection) -> Brier:
    """The Brier score of the user's predictions, and of always guessing their base rate."""
    return _brier(con, _PREDICTED)


def rating_brier(con: duckdb.DuckDBPyConnection) -> Brier:
    """The Brier score of the mean self-rating as a predictor (see the module docstring), and of the base rate."""
    return _brier(con, _RATED)


def brier_over_time(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """By quarter of the interview date: rounds, the predictions' Brier score, and that of the base rate.

    The base rate is the user's own over every decided prediction (not the
    quarter's, which would know the answer). Quarters with fewer than
    ``MIN_PER_PERIOD`` rounds are left out.
    """
    return _run(
        con,
        _PREDICTED,
        """
        , rate AS (SELECT avg(y) AS base_rate FROM scored)
        SELECT date_trunc('quarter', interview_date)::DATE AS quarter, count(*) AS rounds,
               avg((p - y) ^ 2) AS brier, avg((base_rate - y) ^ 2) AS base_rate_brier,
               avg(p) AS mean_predicted, avg(y) AS advanced_rate
        FROM scored, rate GROUP BY quarter HAVING count(*) >= $least ORDER BY quarter
        """,
        least=MIN_PER_PERIOD,
    )


def predictions_behind(
    con: duckdb.DuckDBPyConnection, low: int | None = None, width: int = BIN_WIDTH, quarter: dt.date | None = None
) -> pd.DataFrame:
    """The decided rounds with a prediction behind a chart mark (drill-down), newest first.

    ``low``: those in the reliability bin starting there; ``quarter``: those in
    the quarter starting on that date; both None: every one.
    """
    return _run(
        con,
        _PREDICTED,
        """
        SELECT interview_id, interview_date, company, stage, outcome, round(p * 100)::INTEGER AS predicted
        FROM scored
        WHERE ($low IS NULL OR least(floor(p * 100 / $width), 100 // $width - 1)::INTEGER * $width = $low)
          AND ($quarter IS NULL OR date_trunc('quarter', interview_date)::DATE = $quarter)
        ORDER BY interview_date DESC, interview_id DESC
        """,
        low=low,
        width=width,
        quarter=quarter,
    )


def bin_sentences(bins: pd.DataFrame, what: str = "you said") -> list[str]:
    """One plain sentence per bin with at least ``MIN_PER_BIN`` rounds.

    "When you said 70–80 %, you advanced 4 times out of 11."
    """
    return [
        f"When {what} {row.label}, you advanced {text.count(int(row.advanced), 'time')} out of {int(row.rounds)}."
        for row in bins.itertuples()
        if row.rounds >= MIN_PER_BIN
    ]


@dataclasses.dataclass(frozen=True)
class Scorecard:
    """Everything the Dashboard and the brief show about calibration.

    ``enough`` is False below ``MIN_PREDICTIONS`` decided predictions; then
    ``message`` says so and the frames are empty. ``rating`` is the same for
    the mean self-rating, with its own ``rating_enough``.
    """

    enough: bool
    message: str
    bins: pd.DataFrame
    brier: Brier
    over_time: pd.DataFrame
    sentences: list[str]
    rating_enough: bool
    rating_message: str
    rating_bins: pd.DataFrame
    rating_brier: Brier
    rating_sentences: list[str]


def scorecard(con: duckdb.DuckDBPyConnection) -> Scorecard:
    """The calibration scorecard, or what is missing before there can be one."""
    brier = prediction_brier(con)
    rating = rating_brier(con)
    enough = brier.rounds >= MIN_PREDICTIONS
    rating_enough = rating.rounds >= MIN_PREDICTIONS
    bins = reliability(con) if enough else pd.DataFrame()
    rating_bins = rating_reliability(con) if rating_enough else pd.DataFrame()
    return Scorecard(
        enough=enough,
        message=verdict(brier, bins) if enough else _too_few(brier.rounds, "with a prediction"),
        bins=bins,
        brier=brier,
        over_time=brier_over_time(con) if enough else pd.DataFrame(),
        sentences=bin_sentences(bins) if enough else [],
        rating_enough=rating_enough,
        rating_message=_rating_verdict(rating) if rating_enough else _too_few(rating.rounds, "with rated answers"),
        rating_bins=rating_bins,
        rating_brier=rating,
        rating_sentences=bin_sentences(rating_bins, "your answers averaged") if rating_enough else [],
    )


def summary(con: duckdb.DuckDBPyConnection) -> str | None:
    """The scorecard's one sentence on the predictions, for the brief; None below ``MIN_PREDICTIONS``."""
    brier = prediction_brier(con)
    return verdict(brier, reliability(con)) if brier.rounds >= MIN_PREDICTIONS else None


def _too_few(rounds: int, what: str) -> str:
    return (
        f"{text.count(rounds, 'decided round')} {what} so far: calibration is shown from "
        f"{MIN_PREDICTIONS} on, since fewer says more about luck than judgement."
    )


def verdict(brier: Brier, bins: pd.DataFrame) -> str:
    """One sentence on the predictions: their Brier score against the base rate's, and which way they lean."""
    mean_predicted = float((bins["mean_predicted"] * bins["rounds"]).sum() / bins["rounds"].sum())
    lean = mean_predicted - brier.base_rate
    if abs(lean) < 0.05:
        tilt = "on average your predictions match how often you advance"
    elif lean > 0:
        tilt = (
            f"you tend to be overconfident (you said {mean_predicted:.0%} on average, advanced {brier.base_rate:.0%})"
        )
    else:
        tilt = f"you tend to be too modest (you said {mean_predicted:.0%} on average, advanced {brier.base_rate:.0%})"
    better = "better than" if brier.score < brier.base_score else "no better than"
    return (
        f"Over {text.count(brier.rounds, 'decided round')}, your predictions score {brier.score:.2f} "
        f"(Brier; 0 is perfect), {better} always guessing your base rate of {brier.base_rate:.0%} "
        f"({brier.base_score:.2f}); {tilt}."
    )


def _rating_verdict(brier: Brier) -> str:
    better = "better than" if brier.score < brier.base_score else "no better than"
    return (
        f"Your mean self-rating, read through your own history, scores {brier.score:.2f} over "
        f"{text.count(brier.rounds, 'decided round')}: {better} always guessing your base rate ({brier.base_score:.2f})."
    )
