"""Company memory: rounds, people, open promises and response times, by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import brief, charts, companies, demo, insight_charts
from analysis import interviews as iv

TODAY = dt.date(2026, 3, 20)


def _round(con, company, day, outcome="pending", answered_after=None, people=(), questions=()):
    return iv.save_interview(
        con,
        iv.Interview(
            company=company,
            interview_date=day,
            stage="technical",
            outcome=outcome,
            decided_on=None if answered_after is None else day + dt.timedelta(days=answered_after),
            interviewers=[iv.Interviewer(p) for p in people],
            questions=list(questions),
        ),
    )


@pytest.fixture
def history(con):
    """Northwind answered after 4, 6 and 8 days and is silent for 9; Contoso answered once, after 10 days."""
    _round(con, "Northwind", dt.date(2026, 1, 5), "advanced", 4, people=["Ana Ruiz"])
    _round(con, "Northwind", dt.date(2026, 1, 15), "advanced", 6, people=["Ben Ode", "Ana Ruiz"])
    promised = iv.Question("Design a cache", "technical", 3, clarify="Send the sketch")
    sent = iv.Question("Why us?", "culture/motivation", 4, clarify="Send the blog post")
    saved = _round(con, "northwind", dt.date(2026, 2, 2), "rejected", 8, questions=[promised, sent])
    brief.mark_clarified(con, saved.questions[1].id, dt.date(2026, 2, 3))
    _round(con, "Northwind", TODAY - dt.timedelta(days=9), people=["Chloe Nguyen"])
    _round(con, "Contoso", dt.date(2026, 1, 7), "rejected", 10)
    _round(con, "Contoso", TODAY - dt.timedelta(days=2))
    _round(con, "Fabrikam", TODAY)  # today: not waiting yet
    return con


def test_response_times_are_days_from_interview_to_decision(history):
    times = companies.response_times(history)
    assert sorted(times["days"].tolist()) == [4, 6, 8, 10]
    assert companies.overall_median_days(history) == 7.0


def test_memory_holds_rounds_people_promises_and_medians(history):
    memory = companies.memory(history).set_index("company")
    northwind = memory.loc["Northwind"]  # "northwind" is the same company, spelled as last time
    assert northwind["rounds"] == 4
    assert list(northwind["people"]) == ["Ana Ruiz", "Ben Ode", "Chloe Nguyen"]
    assert northwind["open_promises"] == 1
    assert northwind["timed_rounds"] == 3 and northwind["median_days"] == 6.0
    contoso = memory.loc["Contoso"]
    assert contoso["timed_rounds"] == 1 and pd.isna(contoso["median_days"])  # too few of its own
    assert set(memory["overall_median_days"]) == {7.0}


def test_no_word_yet_uses_the_company_median_when_it_has_three_answers(history):
    waits = {w.company: w for w in companies.no_word_yet(history, TODAY)}
    assert set(waits) == {"Northwind", "Contoso"}
    assert waits["Northwind"].text == "Northwind usually answers within 6 days; it has been 9 days."
    assert waits["Northwind"].overdue and waits["Northwind"].from_company
    contoso = waits["Contoso"]
    assert not contoso.from_company and contoso.usual == 7.0 and not contoso.overdue
    assert "too few answers from Contoso" in contoso.text


def test_no_word_yet_says_nothing_usual_without_history(con):
    _round(con, "Northwind", TODAY - dt.timedelta(days=3))
    (wait,) = companies.no_word_yet(con, TODAY)
    assert wait.usual is None and not wait.overdue
    assert wait.text == "No word from Northwind yet; it has been 3 days."


def test_distribution_counts_rounds_per_day_and_outcome(history):
    distribution = companies.response_time_distribution(history)
    assert distribution.values.tolist() == [
        [4, "advanced", 1],
        [6, "advanced", 1],
        [8, "rejected", 1],
        [10, "rejected", 1],
    ]


def test_demo_companies_have_their_own_response_habits(con):
    demo.generate(con, interviews=400, today=dt.date(2026, 6, 1))
    memory = companies.memory(con).dropna(subset=["median_days"])
    assert len(memory) >= 10
    # Habits differ: the slowest companies take at least twice as long as the quickest.
    assert memory["median_days"].quantile(0.9) >= 2 * memory["median_days"].quantile(0.1)
    assert {"Northwind Traders", "Contoso"} <= set(memory["company"])


def test_response_time_chart_explains_each_bar_and_marks_the_median(history):
    chart = insight_charts.response_time_chart(companies.response_time_distribution(history), 7.0)
    spec = chart.to_dict()
    bars, rule = spec["layer"]
    assert any(p["name"] == charts.SELECTION for p in spec["params"])  # lifted from the bars
    assert {t["title"] for t in bars["encoding"]["tooltip"]} >= {"Days to the answer", "Answer"}
    assert rule["mark"]["type"] == "rule"
