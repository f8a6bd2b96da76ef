"""Chart builders: pure functions from a metrics DataFrame to an ``alt.Chart``.

Colours are fixed per category and per outcome, so the same category or
outcome looks the same in every chart. Each chart that supports drill-down
carries a point selection named ``pick`` over the fields that identify a mark.

A chart's specification depends on its data only through its rows (``*_rows``):
orders come from the rows, never from lists in the specification. So a page
builds a chart's specification once and, for another filter, swaps in the new
rows (``with_rows``) instead of building the chart again, and the browser
updates the drawn chart's data instead of drawing a new one.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.vocab import BUILTIN_CATEGORIES, OUTCOMES, RATING_LABELS, REACTIONS, STAGES

SELECTION = "pick"
ROWS = "rows"  # the name of the one dataset each specification (``to_spec``) draws

# Tableau 10, in an order that keeps neighbouring built-in categories distinct.
_PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
    "#9c755f", "#76b7b2", "#edc948", "#ff9da7", "#bab0ac",
]  # fmt: skip
_OUTCOME_COLOURS = {
    "pending": "#bab0ac",
    "advanced": "#59a14f",
    "offer": "#2e7d32",
    "rejected": "#e15759",
    "no response": "#9c755f",
    "withdrew": "#edc948",
}
BAND_LABELS = {1: "1 to 2", 2: "2 to 3", 3: "3 to 4", 4: "4 to 5"}


def category_scale(categories: list[str]) -> alt.Scale:
    """One colour per category: built-in ones always get the same colour, user ones follow."""
    ordered = list(BUILTIN_CATEGORIES) + sorted(c for c in categories if c not in BUILTIN_CATEGORIES)
    colours = [_PALETTE[i % len(_PALETTE)] for i in range(len(ordered))]
    return alt.Scale(domain=ordered, range=colours)


def outcome_scale() -> alt.Scale:
    return alt.Scale(domain=list(OUTCOMES), range=[_OUTCOME_COLOURS[o] for o in OUTCOMES])


def _pick(*fields: str) -> alt.Parameter:
    return alt.selection_point(name=SELECTION, fields=list(fields), on="click", clear="dblclick")


def whole_numbers(title: str | None) -> alt.Axis:
    """An axis of counts: whole-number ticks only (no "0.5 rounds"), without decimals."""
    return alt.Axis(title=title, format="d", tickMinStep=1)


def count_legend(title: str) -> alt.Legend:
    """A legend of counts reading "4", not "4.000000"."""
    return alt.Legend(title=title, format="d", tickMinStep=1)


def to_spec(chart: alt.TopLevelMixin, validate: bool = False) -> dict:
    """The chart's Vega-Lite specification, for a page to cache by data version and draw with ``st.vega_lite_chart``.

    Drawing an ``alt.Chart`` validates it against the Vega-Lite schema on every
    page run: 10 to 50 ms a chart, most of a Dashboard run. The builders here
    are fixed code, validated by their unit tests (``validate=True``), so the
    page skips it. Altair's default theme sizes are dropped, as Streamlit drops
    them for an ``alt.Chart``, so the chart fills its column. The data is named
    ``ROWS`` (Altair names it by a hash of its content), so ``with_rows`` can swap it.
    """
    spec = chart.to_dict(validate=validate)
    view = spec.get("config", {}).get("view", {})
    for size in ("continuousWidth", "continuousHeight"):
        view.pop(size, None)
    name = spec.get("data", {}).get("name")
    if name in spec.get("datasets", {}):
        spec["datasets"] = {ROWS: spec["datasets"][name]}
        spec["data"] = {"name": ROWS}
    return spec


def with_rows(spec: dict, rows: pd.DataFrame) -> dict:
    """``spec`` (from ``to_spec``) drawing ``rows`` (a ``*_rows`` frame) instead of its own: no chart is built.

    The rows go through Altair's own data transformer, so they read as they would in a built chart.
    """
    return {**spec, "datasets": {ROWS: alt.data_transformers.get()(rows)["values"]}}


def rating_trend_rows(trend: pd.DataFrame, practice: pd.DataFrame | None = None) -> pd.DataFrame:
    """The trend chart's rows: the interviews' means, and the practice grades' (if any) after them."""
    frame = trend.assign(source="interviews")
    if practice is not None and not practice.empty:
        frame = pd.concat([frame, practice.assign(source="practice")], ignore_index=True)
    return frame


def rating_trend_chart(
    trend: pd.DataFrame, categories: list[str], grain: str = "month", practice: pd.DataFrame | None = None
) -> alt.Chart:
    """Mean rating per category over time; point size shows how many answers stand behind it.

    With ``practice`` (the same columns, from practice grades), those are drawn
    dashed beside the real interviews.
    """
    pick = _pick("category", "period")
    base = alt.Chart(rating_trend_rows(trend, practice)).encode(
        x=alt.X("period:T", title=None, timeUnit="yearmonthdate" if grain == "week" else "yearmonth"),
        y=alt.Y("mean_rating:Q", title="Mean rating", scale=alt.Scale(domain=[1, 5])),
        color=alt.Color("category:N", title="Category", scale=category_scale(categories)),
        strokeDash=alt.StrokeDash(
            "source:N",
            title=None,
            scale=alt.Scale(domain=["interviews", "practice"], range=[[1, 0], [4, 3]]),
            legend=None if practice is None or practice.empty else alt.Legend(),
        ),
        tooltip=[
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("source:N", title="From"),
            alt.Tooltip(
                "period:T",
                title="Week of" if grain == "week" else "Month",
                format="%d %b %Y" if grain == "week" else "%B %Y",
            ),
            alt.Tooltip("mean_rating:Q", title="Mean rating", format=".2f"),
            alt.Tooltip("answers:Q", title="Answers"),
        ],
    )
    lines = base.mark_line(strokeWidth=2, opacity=0.8)
    points = (
        base.mark_circle(opacity=0.9)
        .encode(
            size=alt.Size("answers:Q", scale=alt.Scale(range=[30, 300]), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        )
        .transform_filter(alt.datum.source == "interviews")
        .add_params(pick)
    )
    return (lines + points).properties(height=300, title=f"Rating trend by category ({grain}ly mean)")


def category_strength_rows(strength: pd.DataFrame) -> pd.DataFrame:
    """The strength chart's rows, each with its ``rank``: they come weakest first, and are drawn so."""
    return strength.assign(rank=range(len(strength)))


def category_strength_chart(strength: pd.DataFrame, categories: list[str]) -> alt.Chart:
    """Mean rating per category, weakest on top, with a 95% interval and the count."""
    pick = _pick("category")
    base = alt.Chart(category_strength_rows(strength)).encode(
        y=alt.Y("category:N", sort=alt.EncodingSortField("rank", op="min"), title=None, axis=alt.Axis(labelLimit=160)),
        tooltip=[
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("mean_rating:Q", title="Mean rating", format=".2f"),
            alt.Tooltip("answers:Q", title="Answers"),
            alt.Tooltip("low:Q", title="95% interval from", format=".2f"),
            alt.Tooltip("high:Q", title="to", format=".2f"),
        ],
    )
    # Bars start at 0 so a category whose every answer was a 1 still shows a
    # bar; starting at 1, the bottom of the scale, gave the worst category none.
    # Ticks mark the 1 to 5 scale itself.
    bars = (
        base.mark_bar()
        .encode(
            x=alt.X(
                "mean_rating:Q",
                title="Mean rating (1 to 5)",
                scale=alt.Scale(domain=[0, 5], nice=False),
                axis=alt.Axis(values=[1, 2, 3, 4, 5]),
            ),
            color=alt.Color("category:N", scale=category_scale(categories), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
        )
        .add_params(pick)
    )
    interval = base.mark_rule(color="#333").encode(x="low:Q", x2="high:Q")
    counts = base.mark_text(align="left", dx=6, color="#555").encode(
        x=alt.X("high:Q"), text=alt.Text("answers:Q", format=",")
    )
    return (bars + interval + counts).properties(height=alt.Step(28), title="Weakest categories")


def outcomes_rows(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The outcomes chart's rows: the metric's own."""
    return outcomes


def outcomes_chart(outcomes: pd.DataFrame) -> alt.Chart:
    """Decided rounds per month, stacked by outcome."""
    pick = _pick("month", "outcome")
    return (
        alt.Chart(outcomes_rows(outcomes))
        .mark_bar()
        .encode(
            x=alt.X("month:T", timeUnit="yearmonth", title=None),
            y=alt.Y("rounds:Q", stack="zero", axis=whole_numbers("Decided rounds")),
            color=alt.Color("outcome:N", title="Outcome", scale=outcome_scale()),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip("rounds:Q", title="Rounds"),
            ],
        )
        .add_params(pick)
        .properties(height=260, title="Outcomes over time")
    )


def funnel_rows(funnel: pd.DataFrame) -> pd.DataFrame:
    """The funnel chart's rows: reached and passed per stage, each stage ranked in interview order."""
    rank = {stage: index for index, stage in enumerate(STAGES)}
    stages = funnel.assign(rank=[rank.get(stage, len(STAGES) + index) for index, stage in enumerate(funnel["stage"])])
    return stages.melt(
        id_vars=["stage", "rank"], value_vars=["reached", "passed"], var_name="measure", value_name="rounds"
    )


def funnel_chart(funnel: pd.DataFrame) -> alt.Chart:
    """Per stage: rounds reached against rounds passed."""
    pick = _pick("stage")
    return (
        alt.Chart(funnel_rows(funnel))
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=alt.EncodingSortField("rank", op="min"), title=None),
            yOffset=alt.YOffset("measure:N", sort=["reached", "passed"]),
            x=alt.X("rounds:Q", axis=whole_numbers("Rounds")),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=["reached", "passed"], range=["#a0cbe8", "#2e7d32"]),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
            tooltip=[
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("measure:N", title="Rounds"),
                alt.Tooltip("rounds:Q", title="Count"),
            ],
        )
        .add_params(pick)
        .properties(height=alt.Step(14), title="Stage funnel: rounds reached and passed")
    )


def calibration_rows(bands: pd.DataFrame) -> pd.DataFrame:
    """The calibration chart's rows, each band with its label."""
    return bands.assign(label=bands["band"].map(BAND_LABELS))


def calibration_chart(bands: pd.DataFrame) -> alt.Chart:
    """Share of decided interviews passed, by the interview's mean self-rating."""
    pick = _pick("band")
    base = alt.Chart(calibration_rows(bands)).encode(
        x=alt.X("label:N", title="Your mean rating of the interview", sort=list(BAND_LABELS.values())),
        tooltip=[
            alt.Tooltip("label:N", title="Mean rating"),
            alt.Tooltip("interviews:Q", title="Decided interviews"),
            alt.Tooltip("passed:Q", title="Passed"),
            alt.Tooltip("pass_rate:Q", title="Pass rate", format=".0%"),
        ],
    )
    bars = (
        base.mark_bar(color="#4e79a7")
        .encode(
            y=alt.Y("pass_rate:Q", title="Passed", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
        )
        .add_params(pick)
    )
    labels = base.mark_text(dy=-6, color="#555").encode(y="pass_rate:Q", text=alt.Text("interviews:Q", format="n=,d"))
    return (bars + labels).properties(height=260, title="Calibration: does feeling good predict advancing?")


def reaction_rows(reactions: pd.DataFrame) -> pd.DataFrame:
    """The reaction chart's rows, each rating with its label."""
    return reactions.assign(rating_label=reactions["rating"].map(lambda r: f"{r} – {RATING_LABELS[int(r)]}"))


def reaction_chart(reactions: pd.DataFrame) -> alt.Chart:
    """Answers per rating and interviewer reaction; cells where the two disagree are outlined."""
    pick = _pick("rating", "reaction")
    base = alt.Chart(reaction_rows(reactions)).encode(
        x=alt.X("reaction:N", sort=list(REACTIONS), title="Interviewer's reaction"),
        y=alt.Y("rating_label:N", sort="descending", title="Your rating"),
        tooltip=[
            alt.Tooltip("rating_label:N", title="Your rating"),
            alt.Tooltip("reaction:N", title="Reaction"),
            alt.Tooltip("answers:Q", title="Answers"),
            alt.Tooltip("disagreement:N", title="Note"),
        ],
    )
    cells = (
        base.mark_rect()
        .encode(
            color=alt.Color("answers:Q", scale=alt.Scale(scheme="blues"), legend=count_legend("Answers")),
            stroke=alt.condition("datum.disagreement != ''", alt.value("#e15759"), alt.value(None)),
            strokeWidth=alt.condition("datum.disagreement != ''", alt.value(3), alt.value(0)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
        )
        .add_params(pick)
    )
    text = base.mark_text().encode(text=alt.Text("answers:Q", format=","))
    return (cells + text).properties(height=alt.Step(36), title="Your rating against the interviewer's reaction")
