"""The Dashboard page under AppTest."""

import dataclasses
import datetime as dt

import pytest

from analysis import interviews as iv

HEADLINE = ("Interviews", "Questions rated", "Average rating", "Pass rate", "Offers")


def _metrics(app):
    """The headline metrics (the insights below them have metrics of their own)."""
    return {m.label: m.value for m in app.metric if m.label in HEADLINE}


def _dashboard(app):
    app.switch_page("pages/dashboard.py").run()
    assert not app.exception, app.exception
    return app


def show_view(app, view: str):
    """Open one of the Dashboard's views, as a click on its tab does (the tab and the address change)."""
    app.session_state["view"] = view
    app.query_params["view"] = view
    app.run()
    assert not app.exception, app.exception
    return app


def charts_per_view(app) -> dict[str, list[str]]:
    """The charts each view of the open Dashboard draws, by key, each view opened in turn."""
    return {tab.label: [c.key for c in show_view(app, tab.label).get("vega_lite_chart")] for tab in app.tabs}


def test_dashboard_on_an_empty_database_gives_guidance(app):
    _dashboard(app)
    assert "Nothing to chart yet" in app.info[0].value
    assert not app.metric


def test_dashboard_metrics_match_the_history(app, history):
    _dashboard(app)
    assert _metrics(app) == {
        "Interviews": "5",
        "Questions rated": "9",
        "Average rating": "3.11",
        "Pass rate": "67%",
        "Offers": "1",
    }
    assert list(app.dataframe[0].value["question"]) == ["Design a cache", "Salary expectations?", "Why Acme?"]
    # Only the open view is drawn: six filtered charts in three views, then the response times and
    # the funnel by process from the whole history.
    assert charts_per_view(app) == {
        "Answers": ["chart_trend", "chart_strength"],
        "Outcomes": ["chart_outcomes", "chart_funnel"],
        "Calibration": ["chart_calibration", "chart_reactions"],
        "Whole history": ["chart_waits", "chart_conversion"],
    }
    show_view(app, "Calibration")
    assert any("too few to say" in c.value for c in app.caption)


def test_dashboard_view_is_in_the_address_and_a_link_opens_it(app, history):
    app.query_params["view"] = "Outcomes"
    _dashboard(app)
    assert [h.value for h in app.subheader] == ["Outcomes"]
    assert _metrics(app)["Interviews"] == "5"  # the headline stays above every view
    show_view(app, "Answers")
    assert "Weak answers" in [h.value for h in app.subheader]
    assert "Outcomes" not in [h.value for h in app.subheader]


def test_a_filter_matching_nothing_still_leaves_the_whole_history(app, history):
    _dashboard(app)
    app.multiselect(key="dash_companies").set_value(["Acme"]).run()
    app.multiselect(key="dash_roles").set_value(["Analyst"]).run()
    assert any("No interviews match these filters" in i.value for i in app.info)
    show_view(app, "Whole history")
    assert "How long companies take to answer" in [h.value for h in app.subheader]


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("dash_companies", ["Acme"], {"Interviews": "2", "Questions rated": "5", "Offers": "1"}),
        ("dash_roles", ["Analyst"], {"Interviews": "2", "Questions rated": "1", "Pass rate": "–"}),
        ("dash_stages", ["technical"], {"Interviews": "2", "Pass rate": "50%", "Offers": "0"}),
        ("dash_categories", ["technical"], {"Interviews": "4", "Questions rated": "3", "Average rating": "2.00"}),
    ],
)
def test_dashboard_follows_each_filter(app, history, widget, value, expected):
    _dashboard(app)
    app.multiselect(key=widget).set_value(value).run()
    assert not app.exception
    shown = _metrics(app)
    assert {k: shown[k] for k in expected} == expected


def test_dashboard_date_filter_shows_change_against_previous_period(app, history):
    _dashboard(app)
    app.selectbox(key="dash_period").select("Custom dates").run()
    app.date_input(key="dash_dates").set_value((dt.date(2026, 2, 1), dt.date(2026, 3, 31))).run()
    assert not app.exception
    average = next(m for m in app.metric if m.label == "Average rating")
    assert average.value == "3.17"
    assert average.delta == "+0.17"


def test_dashboard_filter_matching_nothing_says_so(app, history):
    _dashboard(app)
    app.selectbox(key="dash_period").select("Custom dates").run()
    app.date_input(key="dash_dates").set_value((dt.date(2025, 1, 1), dt.date(2025, 1, 31))).run()
    assert not app.exception
    assert any("No interviews match these filters" in i.value for i in app.info)


def test_relative_period_counts_back_from_today(app, history):
    from analysis import interviews as iv

    iv.save_interview(history, iv.Interview(company="Hooli", interview_date=dt.date.today() - dt.timedelta(days=3)))
    _dashboard(app)
    app.selectbox(key="dash_period").select("Last 30 days").run()
    assert _metrics(app)["Interviews"] == "1"


def test_dashboard_picks_up_a_new_interview_at_once(app, history):
    from analysis import interviews as iv

    _dashboard(app)
    assert _metrics(app)["Interviews"] == "5"
    iv.save_interview(history, iv.Interview(company="Hooli", interview_date=dt.date(2026, 3, 30)))
    app.run()
    assert _metrics(app)["Interviews"] == "6"


def test_dashboard_counts_answers_in_words(app, con, sample_interview):
    iv.save_interview(con, dataclasses.replace(sample_interview, questions=sample_interview.questions[:1]))
    _dashboard(app)
    assert any("You have rated 1 answer so far." in i.value for i in app.info)
