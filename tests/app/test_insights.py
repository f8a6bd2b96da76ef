"""The insights of issue 16 on their pages (Dashboard, Home, Prepare), on empty, small and demo data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis import demo, stories
from analysis import followups as fu
from analysis import interviews as iv
from tests.app.test_dashboard_page import charts_per_view, show_view

TODAY = dt.date.today()
INSIGHT_HEADINGS = [
    "How well you judge your rounds",
    "How long companies take to answer",
    "Where you get stopped, and how far an offer is",
]


def _texts(app) -> list[str]:
    """Every caption, Markdown and message on the page, unescaped."""
    found = [e.value for kind in ("caption", "markdown", "info", "warning") for e in getattr(app, kind)]
    return [t.replace("\\", "") for t in found]


def _metric(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label.replace("\\", "") == label)


def _open(app, page: str):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def demo_history(con):
    demo.generate(con, interviews=300, today=TODAY)
    return con


def test_dashboard_insights_are_not_shown_without_history(app):
    _open(app, "pages/dashboard.py")
    headings = [h.value for h in app.subheader]
    assert not any(h in headings for h in INSIGHT_HEADINGS)


def test_dashboard_insights_on_a_small_history_say_what_they_need(app, history):
    show_view(_open(app, "pages/dashboard.py"), "Whole history")
    assert [h.value for h in app.subheader][-3:] == INSIGHT_HEADINGS
    texts = _texts(app)
    # No predictions logged: the scorecard says how many it needs instead of scoring luck.
    assert any(t.startswith("0 decided rounds with a prediction so far") for t in texts)
    assert any("calibration is shown from 10 on" in t for t in texts)
    # Three rounds with a decision date: the usual wait is their median (5, 10, 2 days).
    assert _metric(app, "Your usual wait") == "5 days"
    assert any("Which stage stops you most shows once two stages" in t for t in texts)
    assert any(t.startswith("2 finished processes so far: a forecast needs 10") for t in texts)
    assert not any(m.label.startswith("Your predictions") for m in app.metric)


def test_dashboard_insights_on_demo_data_score_explain_and_forecast(app, demo_history):
    show_view(_open(app, "pages/dashboard.py"), "Whole history")
    texts = _texts(app)
    brier = _metric(app, "Your predictions (Brier)")
    assert 0 < float(brier) < 1
    assert any(t.startswith("- When you said ") and "you advanced" in t for t in texts)
    assert any(t.startswith("- When your answers averaged ") for t in texts)
    assert any(t.startswith("You are most often stopped at the ") for t in texts)
    assert any(t.startswith("At your current rates, an offer takes about ") for t in texts)
    assert "Assumptions:" in texts
    assert any("Processes are independent of each other" in t for t in texts)
    tooltips = {m.label.replace("\\", ""): m.help for m in app.metric}
    assert "Brier score" in tooltips["Your predictions (Brier)"]
    assert "geometric" in tooltips["First rounds until an offer"]
    # Six filtered charts in three views; reliability, Brier by quarter, response times and the funnel
    # by process in the whole history's.
    assert {view: len(keys) for view, keys in charts_per_view(app).items()} == {
        "Answers": 2,
        "Outcomes": 2,
        "Calibration": 2,
        "Whole history": 4,
    }


def test_dashboard_insights_ignore_the_filters_and_keep_working_under_them(app, demo_history):
    show_view(_open(app, "pages/dashboard.py"), "Whole history")
    before = _metric(app, "Your predictions (Brier)")
    app.multiselect(key="dash_stages").set_value(["technical"]).run()
    assert not app.exception
    assert _metric(app, "Your predictions (Brier)") == before


def _northwind_history(con) -> iv.Interview:
    """Three Northwind rounds answered after 6 days, and one pending for 9 days."""
    for n in range(3):
        day = TODAY - dt.timedelta(days=60 + 10 * n)
        iv.save_interview(
            con,
            iv.Interview(
                company="Northwind",
                interview_date=day,
                stage="technical",
                outcome="rejected",
                decided_on=day + dt.timedelta(days=6),
            ),
        )
    return iv.save_interview(
        con, iv.Interview(company="Northwind", interview_date=TODAY - dt.timedelta(days=9), stage="final")
    )


def test_home_says_how_long_the_company_usually_takes(app, con):
    _northwind_history(con)
    _open(app, "pages/home.py")
    assert any("Northwind usually answers within 6 days; it has been 9 days." in t for t in _texts(app))


def test_home_without_company_history_keeps_the_expected_date(app, con):
    iv.save_interview(con, iv.Interview(company="Initech", interview_date=TODAY - dt.timedelta(days=30)))
    _open(app, "pages/home.py")
    texts = _texts(app)
    assert not any("usually answers" in t for t in texts)


def test_home_lists_three_rounds_waiting_for_word_and_draws_the_rest_when_opened(app, con):
    for n in range(5):
        day = TODAY - dt.timedelta(days=30 + n)
        saved = iv.save_interview(con, iv.Interview(company=f"Company {n}", interview_date=day))
        fu.save_followup(con, saved.id, fu.FollowUp(decision_expected_on=day + dt.timedelta(days=7)))
    _open(app, "pages/home.py")
    waiting = [t for t in _texts(app) if t.startswith(":violet-badge[no word yet]")]
    assert len(waiting) == 3
    rest = app.expander(key="home_waiting")
    assert rest.label == "2 more rounds waiting for word" and not rest.markdown  # closed: nothing drawn
    app.session_state["home_waiting"] = True
    app.run()
    assert not app.exception
    assert len([t for t in _texts(app) if t.startswith(":violet-badge[no word yet]")]) == 5


def test_home_looks_back_a_year_and_at_the_biggest_change(app, con):
    iv.save_interview(
        con,
        iv.Interview(
            company="Globex",
            interview_date=TODAY - dt.timedelta(days=365),
            stage="technical",
            outcome="rejected",
            questions=[iv.Question("Design a cache", "technical", 2)],
        ),
    )
    for n in range(5):
        for days, rating in ((120, 2), (10, 4)):
            iv.save_interview(
                con,
                iv.Interview(
                    company=f"Co{n}",
                    interview_date=TODAY - dt.timedelta(days=days + n),
                    questions=[iv.Question("Salary expectations?", "salary/logistics", rating)],
                ),
            )
    _open(app, "pages/home.py")
    assert "Looking back" in [h.value for h in app.subheader]
    texts = _texts(app)
    assert any(t.startswith("A year ago") and "a technical round at Globex" in t for t in texts)
    assert any(t.startswith("salary/logistics answers: 2.0 in ") and t.endswith("4.0 now.") for t in texts)


def test_home_on_a_small_history_has_no_look_back(app, history):
    _open(app, "pages/home.py")
    assert "Looking back" not in [h.value for h in app.subheader]


def test_prepare_shows_who_heard_which_story_and_a_story_per_weak_category(app, con):
    earlier = iv.save_interview(
        con,
        iv.Interview(
            company="Northwind",
            interview_date=dt.date(2026, 3, 12),
            stage="technical",
            interviewers=[iv.Interviewer("Ana Ruiz"), iv.Interviewer("Ben Ode")],
            questions=[iv.Question("Tell me about a migration", "technical", 2)],
        ),
    )
    kafka = stories.save_story(con, stories.Story("Kafka migration", competencies=["technical"]))
    stories.link_answer(con, earlier.questions[0].id, kafka.id)
    _open(app, "pages/prepare.py")
    app.selectbox(key="prep_choice").select("Another interview…").run()
    app.selectbox(key="prep_company").select("Northwind").run()
    assert not app.exception
    assert "Your stories" in [h.value for h in app.subheader]
    (heard,) = [w.value.replace("\\", "") for w in app.warning]  # one note, a line for each who heard it
    assert heard.splitlines() == [
        "- Ana Ruiz at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)",
        "- Ben Ode at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)",
    ]
    assert any(t.startswith("- technical: tell 'Kafka migration'") for t in _texts(app))


def test_prepare_names_columns_and_the_download_cleanly(app, history):
    iv.save_interview(history, iv.Interview(company="Müller & Söhne GmbH", interview_date=dt.date(2026, 3, 1)))
    _open(app, "pages/prepare.py")
    app.selectbox(key="prep_choice").select("Another interview…").run()
    app.selectbox(key="prep_company").select("Müller & Söhne GmbH").run()
    assert not app.exception
    assert app.get("download_button")[0].proto.label == "Download the brief (Markdown)"
    assert app.get("download_button")[0].proto.ignore_rerun  # downloading the brief leaves the form as it is
    app.selectbox(key="prep_company").select("Acme").run()
    earlier = [d for d in app.dataframe if "better_answer" in d.value.columns][-1]
    labels = {name: config.get("label") for name, config in json.loads(earlier.proto.columns).items()}
    assert labels["better_answer"] == "Better answer" and labels["category"] == "Category"
    assert not earlier.value.isna().any().any()  # no "None" in empty cells


def test_prepare_shows_the_calibration_summary_once_there_are_enough_predictions(app, demo_history):
    _open(app, "pages/prepare.py")
    app.selectbox(key="prep_choice").select("Another interview…").run()
    company = app.selectbox(key="prep_company").options[0]
    app.selectbox(key="prep_company").select(company).run()
    assert not app.exception
    assert "How well you judge your rounds" in [h.value for h in app.subheader]
    assert any(t.startswith("Over ") and "(Brier; 0 is perfect)" in t for t in _texts(app))
