"""The funnel by process, where it leaks, and how many more first rounds an offer takes.

A process is every round at one company for one role (both matched ignoring
case and spacing at the ends). Stages form a ladder in the order of
``vocab.STAGES`` ("other" is off the ladder). A process enters the ladder at
its lowest stage and reaches up to its furthest, even when it later ended in
a rejection: a process rejected after the final round counts as having passed
every stage below the final. Skipped stages in between count as passed.

How a process stands at its furthest stage comes from its latest round: an
offer anywhere means it passed every stage it reached; "advanced" means it
passed and the next round is not logged yet; "rejected" and "no response"
mean it was stopped there; "pending" means it is open; "withdrew" is the
user's own choice and counts as neither a pass nor a stop.

Conversion per stage is passed / (passed + stopped), with a 90 % Wilson
interval. The forecast is in ``forecast``'s docstring.
"""

from __future__ import annotations

import dataclasses
import math
from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd

from analysis import text
from analysis.vocab import STAGES

CONFIDENCE = 0.90
LADDER: tuple[str, ...] = tuple(s for s in STAGES if s != "other")
OFFER = "offer"
MIN_STAGE_DECIDED = 5  # decided processes at a stage before its conversion is compared
MIN_FINISHED = 10  # finished processes before a forecast is made


def wilson(successes, trials, confidence: float = CONFIDENCE):
    """The Wilson score interval (low, high) of ``successes`` out of ``trials``, at ``confidence``.

    Works on numbers or arrays; with no trials the interval is (nan, nan).
    For 4 out of 11 at 90 %: about (0.175, 0.606).
    """
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        low, high = np.where(n > 0, centre - half, np.nan), np.where(n > 0, centre + half, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


# One row per process: where it entered the ladder, how far it got, and how it stands there.
_PROCESSES = """
WITH ladder AS (SELECT unnest($ladder::VARCHAR[]) AS stage, generate_subscripts($ladder::VARCHAR[], 1) AS step),
rounds AS (
    SELECT i.id, lower(trim(i.company)) AS company_key, lower(coalesce(trim(i.role), '')) AS role_key,
           i.company, i.role, i.interview_date, i.outcome, l.step
    FROM interviews i LEFT JOIN ladder l ON l.stage = i.stage
)
SELECT arg_max(company, interview_date) AS company, arg_max(role, interview_date) AS role,
       list_extract($ladder::VARCHAR[], min(step)) AS entered,
       list_extract($ladder::VARCHAR[], max(step)) AS furthest, count(*) AS rounds,
       min(interview_date) AS started, max(interview_date) AS latest,
       CASE WHEN bool_or(outcome = 'offer') THEN 'offer'
            ELSE CASE arg_max(outcome, (interview_date, id))
                 WHEN 'advanced' THEN 'passed' WHEN 'rejected' THEN 'stopped' WHEN 'no response' THEN 'stopped'
                 WHEN 'withdrew' THEN 'withdrew' ELSE 'open' END
       END AS state,
       list(id ORDER BY interview_date, id) AS interview_ids
FROM rounds GROUP BY company_key, role_key
HAVING max(step) IS NOT NULL
ORDER BY latest DESC, company_key, role_key
"""


def processes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per process on the ladder: company, role, entered and furthest stage, ``state``, its interview ids.

    ``state`` at the furthest stage: offer, passed (advanced, next round not
    logged), stopped, withdrew or open.
    """
    return con.execute(_PROCESSES, {"ladder": list(LADDER)}).df()


def stage_conversion(con: duckdb.DuckDBPyConnection, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per ladder stage, then "offer": processes reached, passed, stopped, withdrew, open; conversion and interval.

    ``conversion`` is passed / (passed + stopped); ``low`` and ``high`` its
    Wilson interval at ``confidence``. The "offer" row counts offers as reached.
    """
    return conversion_table(processes(con), confidence)


def conversion_table(frame: pd.DataFrame, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """``stage_conversion`` from a ``processes`` frame."""
    step = {stage: i for i, stage in enumerate(LADDER)}
    entered = frame["entered"].map(step).to_numpy()
    furthest = frame["furthest"].map(step).to_numpy()
    state = frame["state"].to_numpy()
    rows = []
    for stage, s in step.items():
        here = furthest == s
        passed = ((entered <= s) & (furthest > s)).sum() + (here & np.isin(state, [OFFER, "passed"])).sum()
        rows.append(
            {
                "stage": stage,
                "reached": int(((entered <= s) & (furthest >= s)).sum()),
                "passed": int(passed),
                "stopped": int((here & (state == "stopped")).sum()),
                "withdrew": int((here & (state == "withdrew")).sum()),
                "open": int((here & (state == "open")).sum()),
            }
        )
    offers = int((state == OFFER).sum())
    rows.append({"stage": OFFER, "reached": offers, "passed": 0, "stopped": 0, "withdrew": 0, "open": 0})
    table = pd.DataFrame(rows)
    decided = table["passed"] + table["stopped"]
    table["decided"] = decided
    table["conversion"] = table["passed"] / decided.where(decided > 0)
    table["low"], table["high"] = wilson(table["passed"], decided, confidence)
    table.loc[table["stage"] == OFFER, ["decided", "conversion", "low", "high"]] = [0, np.nan, np.nan, np.nan]
    return table


@dataclasses.dataclass(frozen=True)
class Leak:
    """The stage where the user is most often stopped, against their other stages pooled."""

    stage: str
    conversion: float
    low: float
    high: float
    decided: int
    others: float  # conversion of the other stages with enough data, pooled

    @property
    def text(self) -> str:
        """A sentence for the Dashboard."""
        return (
            f"You are most often stopped at the {self.stage} stage: you get past it {self.conversion:.0%} of the "
            f"time ({CONFIDENCE:.0%} interval {self.low:.0%}–{self.high:.0%}, {text.count(self.decided, 'process')}), "
            f"against {self.others:.0%} at your other stages."
        )


def leak(table: pd.DataFrame) -> Leak | None:
    """The stage with the lowest conversion among those with ``MIN_STAGE_DECIDED`` decided processes, or None.

    None too when fewer than two stages have that much data: there is nothing to compare with.
    """
    enough = table[(table["stage"] != OFFER) & (table["decided"] >= MIN_STAGE_DECIDED)]
    if len(enough) < 2:
        return None
    worst = enough.loc[enough["conversion"].idxmin()]
    rest = enough.drop(index=worst.name)
    others = rest["passed"].sum() / rest["decided"].sum()
    return Leak(
        str(worst["stage"]),
        float(worst["conversion"]),
        float(worst["low"]),
        float(worst["high"]),
        int(worst["decided"]),
        float(others),
    )


@dataclasses.dataclass(frozen=True)
class Forecast:
    """How many more first rounds an offer takes at the user's current rates, with the assumptions behind it."""

    enough: bool
    finished: int  # processes that ended in an offer or were stopped
    offers: int
    still_open: int
    rate: float | None  # offers per finished process
    expected: float | None  # first rounds until an offer, on average
    low: float | None  # the interval's ends, in first rounds (high None: no upper end)
    high: float | None
    text: str
    assumptions: tuple[str, ...]


def forecast(frame: pd.DataFrame, confidence: float = CONFIDENCE) -> Forecast:
    """From a ``processes`` frame: how many more first rounds until an offer, at the user's own rates.

    Each new process (a first round) is taken to end in an offer with the rate
    of the finished ones (offers / (offers + stopped)), independently of the
    others, so the number of processes until the first offer is geometric with
    mean 1 / rate. The interval inverts the Wilson interval of the rate.
    Below ``MIN_FINISHED`` finished processes there is no forecast.
    """
    state = frame["state"]
    offers = int((state == OFFER).sum())
    finished = offers + int((state == "stopped").sum())
    still_open = int(state.isin(["open", "passed"]).sum())
    if finished < MIN_FINISHED:
        message = (
            f"{text.count(finished, 'finished process')} so far: a forecast needs {MIN_FINISHED}, "
            "each ended by an offer or a rejection."
        )
        return Forecast(False, finished, offers, still_open, None, None, None, None, message, ())
    rate = offers / finished
    low_rate, high_rate = wilson(offers, finished, confidence)
    low = math.ceil(1 / high_rate)
    high = math.ceil(1 / low_rate) if low_rate > 0 else None
    if offers == 0:
        expected = None
        message = (
            f"No offer yet in {text.count(finished, 'finished process')}: at your current rates an offer "
            f"takes more than about {text.count(low, 'first round')}."
        )
    else:
        expected = 1 / rate
        message = (
            f"At your current rates, an offer takes about {text.count(round(expected), 'more first round')} "
            f"({confidence:.0%} interval {low}–{high})."
        )
    assumptions = (
        f"Each process (one company and role) ends in an offer as often as your finished ones did: "
        f"{text.count(offers, 'offer')} in {text.count(finished, 'finished process')} ({rate:.0%}).",
        "Processes are independent of each other, and your rates stay as they are now.",
        f"The interval inverts the {confidence:.0%} Wilson interval of that offer rate.",
        f"{text.count(still_open, 'process')} still open {text.plural(still_open, 'is')} not counted; "
        "any of them may still end in an offer.",
        "Withdrawn processes are left out: leaving was your choice, not a verdict.",
    )
    return Forecast(True, finished, offers, still_open, rate, expected, low, high, message, assumptions)
