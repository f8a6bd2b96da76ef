"""The funnel by process, Wilson intervals, the leak and the forecast, against hand-computed values."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import charts, demo, funnel, insight_charts
from analysis import interviews as iv


def _process(con, company, role, rounds):
    """Log one round per (stage, outcome), a week apart."""
    day = dt.date(2026, 1, 5)
    for n, (stage, outcome) in enumerate(rounds):
        iv.save_interview(
            con,
            iv.Interview(
                company=company, role=role, interview_date=day + dt.timedelta(days=7 * n), stage=stage, outcome=outcome
            ),
        )


@pytest.fixture
def history(con):
    _process(
        con, "Northwind", "DE", [("recruiter screen", "advanced"), ("technical", "advanced"), ("final", "rejected")]
    )
    _process(con, "Contoso", "DE", [("phone screen", "advanced"), ("technical", "rejected")])
    _process(con, "Fabrikam", "DE", [("recruiter screen", "advanced"), ("technical", "advanced"), ("final", "offer")])
    _process(con, "Adatum", "DE", [("recruiter screen", "pending")])
    _process(con, "Litware", "DE", [("technical", "withdrew")])
    _process(con, "northwind", "Analyst", [("recruiter screen", "advanced")])  # another role: another process
    _process(con, "Proseware", "DE", [("other", "rejected")])  # off the ladder
    return con


def test_wilson_interval_of_4_out_of_11_at_90_percent():
    # p = 4/11, z = 1.6449: centre (p + z²/22) / (1 + z²/11) = 0.3906, half-width 0.2154.
    low, high = funnel.wilson(4, 11)
    assert low == pytest.approx(0.1751, abs=1e-4) and high == pytest.approx(0.6060, abs=1e-4)
    assert funnel.wilson(0, 0) != funnel.wilson(0, 0)  # nan: no trials, no interval


def test_processes_keep_the_furthest_stage_even_after_a_rejection(history):
    processes = funnel.processes(history).set_index("company")
    assert len(processes) == 6
    assert processes.loc["Northwind", ["entered", "furthest", "state"]].tolist() == [
        "recruiter screen",
        "final",
        "stopped",
    ]
    assert processes.loc["Fabrikam", "state"] == "offer"
    assert processes.loc["Adatum", "state"] == "open" and processes.loc["Litware", "state"] == "withdrew"
    assert processes.loc["northwind", "state"] == "passed"


def test_conversion_per_stage_counts_each_process_once_per_stage(history):
    table = funnel.stage_conversion(history).set_index("stage")
    counts = table[["reached", "passed", "stopped", "withdrew", "open"]]
    assert counts.loc["recruiter screen"].tolist() == [4, 3, 0, 0, 1]
    assert counts.loc["phone screen"].tolist() == [3, 3, 0, 0, 0]  # skipped by Northwind and Fabrikam: passed
    assert counts.loc["technical"].tolist() == [4, 2, 1, 1, 0]
    assert counts.loc["final"].tolist() == [2, 1, 1, 0, 0]
    assert table.loc["offer", "reached"] == 1
    assert table.loc["technical", "conversion"] == pytest.approx(2 / 3)
    assert (table.loc["final", "low"], table.loc["final", "high"]) == pytest.approx(funnel.wilson(1, 2))


def _frame(*groups):
    """A processes frame from (count, entered, furthest, state) groups."""
    rows = [{"entered": e, "furthest": f, "state": s} for n, e, f, s in groups for _ in range(n)]
    return pd.DataFrame(rows)


SEARCH = _frame(
    (2, "recruiter screen", "recruiter screen", "stopped"),
    (8, "recruiter screen", "technical", "stopped"),
    (4, "recruiter screen", "final", "stopped"),
    (6, "recruiter screen", "final", "offer"),
)


def test_leak_is_the_stage_with_the_lowest_conversion_against_the_others_pooled():
    found = funnel.leak(funnel.conversion_table(SEARCH))
    assert found.stage == "technical"
    assert found.conversion == pytest.approx(10 / 18) and found.decided == 18
    # Others: recruiter 18/20, phone 18/18, take-home 10/10, onsite 10/10, final 6/10.
    assert found.others == pytest.approx(62 / 68)
    assert found.text.startswith(
        "You are most often stopped at the technical stage: you get past it 56% of the time (90% interval 37%–73%"
    )


def test_no_leak_without_two_stages_with_enough_data():
    assert funnel.leak(funnel.conversion_table(_frame((4, "technical", "technical", "stopped")))) is None


def test_forecast_is_one_over_the_offer_rate_with_the_wilson_bounds_inverted():
    frame = _frame((2, "recruiter screen", "final", "offer"), (9, "technical", "technical", "stopped"))
    frame = pd.concat([frame, _frame((1, "technical", "technical", "open"), (1, "final", "final", "withdrew"))])
    forecast = funnel.forecast(frame)
    assert forecast.enough and (forecast.finished, forecast.offers, forecast.still_open) == (11, 2, 1)
    assert forecast.expected == pytest.approx(5.5)
    # Wilson 90 % of 2/11 is (0.0621, 0.4271): 1/0.4271 = 2.34 and 1/0.0621 = 16.1, rounded up.
    assert (forecast.low, forecast.high) == (3, 17)
    assert forecast.text == "At your current rates, an offer takes about 6 more first rounds (90% interval 3–17)."
    assert any("independent" in a for a in forecast.assumptions)
    assert any("1 process still open is not counted" in a for a in forecast.assumptions)


def test_forecast_without_an_offer_gives_only_a_lower_bound():
    forecast = funnel.forecast(_frame((12, "technical", "technical", "stopped")))
    assert forecast.enough and forecast.expected is None and forecast.high is None
    assert forecast.text.startswith("No offer yet in 12 finished processes")


def test_forecast_needs_enough_finished_processes():
    forecast = funnel.forecast(SEARCH.head(funnel.MIN_FINISHED - 1))
    assert not forecast.enough and forecast.expected is None
    assert forecast.text.startswith("9 finished processes so far")


def test_demo_history_has_a_funnel_a_leak_and_a_forecast(con):
    demo.generate(con, interviews=400, today=dt.date(2026, 6, 1))
    processes = funnel.processes(con)
    assert funnel.leak(funnel.conversion_table(processes)) is not None
    forecast = funnel.forecast(processes)
    assert forecast.enough and forecast.offers > 0 and forecast.low <= forecast.expected <= forecast.high


def test_conversion_chart_shows_intervals_and_can_drill_down(history):
    spec = insight_charts.conversion_chart(funnel.stage_conversion(history)).to_dict()
    bars, interval, _ = spec["layer"]
    assert any(p["name"] == charts.SELECTION for p in spec["params"])  # lifted from the bars
    assert interval["encoding"]["x2"]["field"] == "high"
    assert {t["title"] for t in bars["encoding"]["tooltip"]} >= {"Got past it", "Stopped there", "90% interval from"}
