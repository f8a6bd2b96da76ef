"""Chart builders produce the intended encodings (checked through ``to_dict()``)."""

import datetime as dt
import json
import re

import pandas as pd
import pytest

from analysis import charts
from analysis import metrics as m
from analysis.metrics import DashboardFilter

CATEGORIES = ["behavioral", "technical", "culture/motivation", "salary/logistics", "estimation"]


def _layers(spec):
    return spec.get("layer", [spec])


def _encoding(spec, channel):
    for layer in _layers(spec):
        if channel in layer.get("encoding", {}):
            return layer["encoding"][channel]
    raise AssertionError(f"no {channel} encoding")


def _has_pick(spec):
    return any(p["name"] == charts.SELECTION for layer in _layers(spec) for p in layer.get("params", [])) or any(
        p["name"] == charts.SELECTION for p in spec.get("params", [])
    )


def _drawn_order(spec, field):
    """The values of ``field`` in the order of their rows' ``rank`` (how a sort by rank draws them)."""
    rows = spec["datasets"][spec["data"]["name"]]
    return list(dict.fromkeys(row[field] for row in sorted(rows, key=lambda row: row["rank"])))


def test_same_category_gets_the_same_colour_in_every_chart():
    one = charts.category_scale(["estimation", "technical"]).to_dict()
    two = charts.category_scale(["technical", "estimation", "behavioral"]).to_dict()
    assert one == two
    assert one["domain"][one["domain"].index("technical")] == "technical"
    assert one["range"][one["domain"].index("technical")] == two["range"][two["domain"].index("technical")]


def test_rating_trend_chart_encodes_period_mean_category_and_count(history):
    spec = charts.rating_trend_chart(m.rating_trend(history, DashboardFilter()), CATEGORIES).to_dict()
    assert _encoding(spec, "x")["field"] == "period" and _encoding(spec, "x")["type"] == "temporal"
    assert _encoding(spec, "y")["field"] == "mean_rating"
    assert _encoding(spec, "y")["scale"]["domain"] == [1, 5]
    assert _encoding(spec, "color")["field"] == "category"
    assert _encoding(spec, "size")["field"] == "answers"
    assert {t["field"] for t in _encoding(spec, "tooltip")} == {
        "category",
        "source",
        "period",
        "mean_rating",
        "answers",
    }
    assert _has_pick(spec)


def test_rating_trend_chart_draws_practice_dashed_beside_interviews(history):
    import pandas as pd

    trend = m.rating_trend(history, DashboardFilter())
    practice = pd.DataFrame(
        {"period": [pd.Timestamp(2026, 3, 1)], "category": ["technical"], "mean_rating": [4.0], "answers": [3]}
    )
    spec = charts.rating_trend_chart(trend, CATEGORIES, "month", practice).to_dict()
    dash = _encoding(spec, "strokeDash")
    assert dash["field"] == "source" and dash["scale"]["domain"] == ["interviews", "practice"]
    data = spec["datasets"][spec["data"]["name"]]
    assert {d["source"] for d in data} == {"interviews", "practice"}
    assert len(data) == len(trend) + 1


def test_category_strength_chart_has_bars_intervals_and_counts(history):
    spec = charts.category_strength_chart(m.category_strength(history, DashboardFilter()), CATEGORIES).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text"]
    assert spec["layer"][1]["encoding"]["x"]["field"] == "low" and spec["layer"][1]["encoding"]["x2"]["field"] == "high"
    assert spec["layer"][2]["encoding"]["text"]["field"] == "answers"
    # Weakest on top: drawn in the order of the rows' ranks, which is the metric's order.
    assert _encoding(spec, "y")["sort"] == {"field": "rank", "op": "min"}
    assert _drawn_order(spec, "category") == ["technical", "salary/logistics", "culture/motivation", "behavioral"]
    assert _has_pick(spec)


def test_category_strength_chart_shows_a_bar_for_a_mean_of_one():
    strength = pd.DataFrame(
        {"category": ["technical", "behavioral"], "mean_rating": [1.0, 4.0], "answers": [3, 2],
         "low": [1.0, 3.0], "high": [1.0, 5.0]}
    )  # fmt: skip
    bars = charts.category_strength_chart(strength, CATEGORIES).to_dict()["layer"][0]["encoding"]
    # The bar runs from the scale's start to the mean: from 0, a mean of 1.0 has length 1, not 0.
    start = bars["x"]["scale"]["domain"][0]
    assert "x2" not in bars and start == 0 and 1.0 - start > 0
    assert bars["x"]["axis"]["values"] == [1, 2, 3, 4, 5]


def test_outcomes_chart_uses_the_fixed_outcome_colours(history):
    spec = charts.outcomes_chart(m.outcomes_by_month(history, DashboardFilter())).to_dict()
    colour = spec["encoding"]["color"]
    assert colour["field"] == "outcome"
    assert colour["scale"]["domain"][:4] == ["pending", "advanced", "rejected", "offer"]
    assert colour["scale"]["range"][colour["scale"]["domain"].index("offer")] == "#2e7d32"
    assert spec["encoding"]["y"]["field"] == "rounds"


def test_funnel_chart_shows_reached_and_passed_per_stage(history):
    spec = charts.funnel_chart(m.stage_funnel(history, DashboardFilter())).to_dict()
    assert spec["encoding"]["y"]["sort"] == {"field": "rank", "op": "min"}
    assert _drawn_order(spec, "stage") == ["recruiter screen", "phone screen", "technical", "final"]
    assert spec["encoding"]["yOffset"]["field"] == "measure"
    data = spec["datasets"][spec["data"]["name"]]
    assert {(d["stage"], d["measure"], d["rounds"]) for d in data} >= {
        ("technical", "reached", 2),
        ("technical", "passed", 1),
    }


def test_calibration_chart_labels_each_band_with_its_sample(history):
    spec = charts.calibration_chart(m.calibration(history, DashboardFilter())).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["field"] == "pass_rate"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "interviews"
    data = spec["datasets"][spec["data"]["name"]]
    assert [d["label"] for d in data] == ["2 to 3", "3 to 4", "4 to 5"]


def test_reaction_chart_outlines_disagreements(history):
    spec = charts.reaction_chart(m.reaction_vs_rating(history, DashboardFilter())).to_dict()
    cells = spec["layer"][0]
    assert cells["mark"]["type"] == "rect"
    assert "disagreement" in cells["encoding"]["stroke"]["condition"]["test"]
    assert _encoding(spec, "x")["field"] == "reaction"
    assert _has_pick(spec)


def test_counts_are_drawn_with_whole_number_ticks_and_legends(history):
    outcomes = charts.outcomes_chart(m.outcomes_by_month(history, DashboardFilter())).to_dict()
    funnel = charts.funnel_chart(m.stage_funnel(history, DashboardFilter())).to_dict()
    reactions = charts.reaction_chart(m.reaction_vs_rating(history, DashboardFilter())).to_dict()
    for axis in (_encoding(outcomes, "y")["axis"], _encoding(funnel, "x")["axis"]):
        assert axis["format"] == "d" and axis["tickMinStep"] == 1
    assert _encoding(reactions, "color")["legend"]["format"] == "d"


def test_to_spec_is_the_validated_specification_without_theme_sizes(history):
    chart = charts.outcomes_chart(m.outcomes_by_month(history, DashboardFilter()))
    validated = chart.to_dict()
    spec = charts.to_spec(chart)
    assert "continuousWidth" not in spec.get("config", {}).get("view", {})
    for key in ("layer", "encoding", "mark", "params"):
        assert spec.get(key) == validated.get(key)
    # The same rows, under the one name with_rows swaps them by, not a hash of them.
    assert spec["data"] == {"name": charts.ROWS}
    assert spec["datasets"] == {charts.ROWS: validated["datasets"][validated["data"]["name"]]}
    charts.to_spec(chart, validate=True)  # the builder passes the schema


def _without_view_names(spec: dict) -> str:
    # Altair names each view by a hash (Streamlit's own step rewrites them before drawing).
    return re.sub(r"view_[0-9a-f]+_\d+", "view", json.dumps(spec, sort_keys=True))


CHARTS_OF_FIGURES = {
    "trend": (m.rating_trend, lambda f: charts.rating_trend_chart(f, CATEGORIES), charts.rating_trend_rows),
    "strength": (
        m.category_strength,
        lambda f: charts.category_strength_chart(f, CATEGORIES),
        charts.category_strength_rows,
    ),
    "outcomes": (m.outcomes_by_month, charts.outcomes_chart, charts.outcomes_rows),
    "funnel": (m.stage_funnel, charts.funnel_chart, charts.funnel_rows),
    "calibration": (m.calibration, charts.calibration_chart, charts.calibration_rows),
    "reactions": (m.reaction_vs_rating, charts.reaction_chart, charts.reaction_rows),
}


@pytest.mark.parametrize("name", CHARTS_OF_FIGURES)
def test_a_chart_given_another_filters_rows_is_that_filters_chart(history, name):
    """The page builds each chart once and swaps in a filter's rows: that must draw what building it would."""
    figure, build, rows = CHARTS_OF_FIGURES[name]
    whole = DashboardFilter()
    narrowed = DashboardFilter(start=dt.date(2026, 2, 1), stages=("technical", "final"))
    if name == "trend":
        whole_figure, narrowed_figure = figure(history, whole, "month"), figure(history, narrowed, "month")
    else:
        whole_figure, narrowed_figure = figure(history, whole), figure(history, narrowed)
    assert len(narrowed_figure) and not narrowed_figure.equals(whole_figure)  # the premise: other rows
    swapped = charts.with_rows(charts.to_spec(build(whole_figure)), rows(narrowed_figure))
    assert _without_view_names(swapped) == _without_view_names(charts.to_spec(build(narrowed_figure)))
    assert swapped["data"] == {"name": charts.ROWS} and list(swapped["datasets"]) == [charts.ROWS]
    # And the other way: the page builds each chart from the first figure it draws, whatever its filter.
    widened = charts.with_rows(charts.to_spec(build(narrowed_figure)), rows(whole_figure))
    assert _without_view_names(widened) == _without_view_names(charts.to_spec(build(whole_figure)))


def test_the_funnel_built_from_no_rounds_draws_any_rounds_as_if_built_from_them(history):
    """The funnel is drawn even empty (its stages are its axis), so the page may first build it from no rows."""
    nothing = m.stage_funnel(history, DashboardFilter(companies=("Nobody at all",)))
    everything = m.stage_funnel(history, DashboardFilter())
    assert nothing.empty and not everything.empty  # the premise
    swapped = charts.with_rows(charts.to_spec(charts.funnel_chart(nothing)), charts.funnel_rows(everything))
    assert _without_view_names(swapped) == _without_view_names(charts.to_spec(charts.funnel_chart(everything)))
