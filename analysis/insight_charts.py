"""Chart builders for the insights: calibration, response times and the process funnel.

Pure functions from the insight modules' DataFrames to ``alt.Chart``, in the
manner of ``analysis.charts``: every mark explains its numbers in a tooltip,
and every chart carries the point selection ``charts.SELECTION`` ("pick") over
the fields that identify a mark, so a page can drill down to the rounds behind it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import funnel
from analysis.charts import SELECTION, outcome_scale, whole_numbers

_PREDICTED = "#4e79a7"
_BASE_RATE = "#bab0ac"


def _pick(*fields: str) -> alt.Parameter:
    return alt.selection_point(name=SELECTION, fields=list(fields), on="click", clear="dblclick")


def reliability_chart(bins: pd.DataFrame, title: str = "Your predictions against what happened") -> alt.Chart:
    """One point per bin of ``calibration.reliability``: what you predicted against how often you advanced.

    The diagonal is perfect calibration; a point below it means you expected
    more than happened. Point size and the label give the rounds behind it.
    """
    pick = _pick("low")
    share = alt.Scale(domain=[0, 1])
    base = alt.Chart(bins).encode(
        x=alt.X("mean_predicted:Q", title="You said (mean of the bin)", axis=alt.Axis(format="%"), scale=share),
        y=alt.Y("advanced_rate:Q", title="You advanced", axis=alt.Axis(format="%"), scale=share),
        tooltip=[
            alt.Tooltip("label:N", title="When you said"),
            alt.Tooltip("rounds:Q", title="Decided rounds"),
            alt.Tooltip("advanced:Q", title="Of which you advanced"),
            alt.Tooltip("mean_predicted:Q", title="Your mean prediction", format=".0%"),
            alt.Tooltip("advanced_rate:Q", title="Share advanced", format=".0%"),
        ],
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]}))
        .mark_line(color=_BASE_RATE, strokeDash=[4, 3])
        .encode(x="x:Q", y="y:Q")
    )
    points = (
        base.mark_circle(color=_PREDICTED)
        .encode(
            size=alt.Size("rounds:Q", scale=alt.Scale(range=[40, 600]), legend=None),
            opacity=alt.condition(pick, alt.value(0.95), alt.value(0.35)),
        )
        .add_params(pick)
    )
    counts = base.mark_text(dy=-14, color="#555").encode(text=alt.Text("rounds:Q", format="n=,d"))
    return (diagonal + points + counts).properties(height=300, title=title)


def brier_chart(over_time: pd.DataFrame) -> alt.Chart:
    """The predictions' Brier score per quarter beside that of always guessing your base rate (lower is better)."""
    pick = _pick("quarter")
    long = over_time.melt(
        id_vars=["quarter", "rounds", "mean_predicted", "advanced_rate"],
        value_vars=["brier", "base_rate_brier"],
        var_name="predictor",
        value_name="score",
    )
    long["predictor"] = long["predictor"].map({"brier": "your predictions", "base_rate_brier": "your base rate"})
    base = alt.Chart(long).encode(
        x=alt.X("quarter:T", timeUnit="yearquarter", title=None),
        y=alt.Y("score:Q", title="Brier score (0 is perfect)", scale=alt.Scale(domainMin=0)),
        color=alt.Color(
            "predictor:N",
            title=None,
            scale=alt.Scale(domain=["your predictions", "your base rate"], range=[_PREDICTED, _BASE_RATE]),
        ),
        tooltip=[
            alt.Tooltip("quarter:T", title="Quarter", timeUnit="yearquarter", format="Q%q %Y"),
            alt.Tooltip("predictor:N", title="Predictor"),
            alt.Tooltip("score:Q", title="Mean of (probability − outcome)²", format=".3f"),
            alt.Tooltip("rounds:Q", title="Decided rounds"),
            alt.Tooltip("mean_predicted:Q", title="You said on average", format=".0%"),
            alt.Tooltip("advanced_rate:Q", title="You advanced", format=".0%"),
        ],
    )
    lines = base.mark_line(point=True).encode(
        strokeDash=alt.StrokeDash(
            "predictor:N", scale=alt.Scale(domain=["your predictions", "your base rate"], range=[[1, 0], [4, 3]])
        ),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
    )
    return lines.add_params(pick).properties(height=260, title="Brier score by quarter")


def response_time_chart(distribution: pd.DataFrame, median_days: float | None = None) -> alt.Chart:
    """Rounds answered after each number of days (``companies.response_time_distribution``), stacked by outcome.

    With ``median_days``, a rule marks the user's usual wait.
    """
    pick = _pick("days", "outcome")
    bars = (
        alt.Chart(distribution)
        .mark_bar()
        .encode(
            x=alt.X("days:Q", bin=alt.Bin(step=1), axis=whole_numbers("Days from interview to answer")),
            y=alt.Y("rounds:Q", stack="zero", axis=whole_numbers("Rounds")),
            color=alt.Color("outcome:N", title="Answer", scale=outcome_scale()),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
            tooltip=[
                alt.Tooltip("days:Q", title="Days to the answer"),
                alt.Tooltip("outcome:N", title="Answer"),
                alt.Tooltip("rounds:Q", title="Rounds answered after that many days"),
            ],
        )
        .add_params(pick)
    )
    if median_days is None:
        return bars.properties(height=260, title="How long companies take to answer")
    rule = (
        alt.Chart(pd.DataFrame({"median": [median_days]}))
        .mark_rule(color="#333", strokeDash=[4, 3])
        .encode(x="median:Q", tooltip=[alt.Tooltip("median:Q", title="Your median wait (days)", format=".1f")])
    )
    return (bars + rule).properties(height=260, title="How long companies take to answer")


def conversion_chart(table: pd.DataFrame) -> alt.Chart:
    """Per ladder stage (``funnel.stage_conversion``): the share of processes that got past it, with its interval."""
    pick = _pick("stage")
    frame = table[(table["stage"] != funnel.OFFER) & (table["decided"] > 0)]
    order = [s for s in funnel.LADDER if s in set(frame["stage"])]
    base = alt.Chart(frame).encode(
        y=alt.Y("stage:N", sort=order, title=None),
        tooltip=[
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("reached:Q", title="Processes that reached it"),
            alt.Tooltip("passed:Q", title="Got past it"),
            alt.Tooltip("stopped:Q", title="Stopped there"),
            alt.Tooltip("open:Q", title="Still open there"),
            alt.Tooltip("conversion:Q", title="Got past it (of those decided)", format=".0%"),
            alt.Tooltip("low:Q", title=f"{funnel.CONFIDENCE:.0%} interval from", format=".0%"),
            alt.Tooltip("high:Q", title="to", format=".0%"),
        ],
    )
    bars = (
        base.mark_bar(color="#59a14f")
        .encode(
            x=alt.X(
                "conversion:Q", title="Got past the stage", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
        )
        .add_params(pick)
    )
    interval = base.mark_rule(color="#333").encode(x="low:Q", x2="high:Q")
    counts = base.mark_text(align="left", dx=6, color="#555").encode(
        x="high:Q", text=alt.Text("decided:Q", format="n=,d")
    )
    return (bars + interval + counts).properties(height=alt.Step(28), title="How often you get past each stage")
