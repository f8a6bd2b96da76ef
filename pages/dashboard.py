"""Dashboard: weak answers and outcomes over time, filtered, with drill-down to the answers; then the
insights from the whole history: calibration, response times, the funnel by process and the forecast.

Streamlit reruns a page on every click. Here the filters and everything they
drive are one fragment, and each chart with its drill-down a fragment inside
it, so a click on a mark reruns that chart alone and a filter change reruns
the filtered part alone. Every number and every chart specification is cached
by data version: a run after the first neither queries nor re-validates a chart.
"""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from analysis import calibration, charts, companies, funnel, insight_charts, metrics, practice, store
from analysis.vocab import rating_label

con = ui.cursor()
db_path = str(ui.database_path())
st.title("Dashboard")

interviews_total, rated_total = metrics.has_history(con)
if interviews_total == 0:
    st.info(
        "Nothing to chart yet. Log your interviews and rate your answers, and this page will show which "
        "kinds of answers are weak, whether they are getting better, and how your interviews turn out.",
        icon=":material/insights:",
    )
    st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    st.stop()


def cursor():
    """A cursor for this run, full or fragment: one kept from the full run may be on a file let go since."""
    return ui.cursor()


@st.cache_data(max_entries=32, show_spinner=False)
def _options(path: str, version: int) -> dict:
    return metrics.filter_options(store.connect(path).cursor())


# What each figure is computed from; a run computes only those its open view shows.
FIGURES = {
    "headline": lambda cur, filters, grain: metrics.headline(cur, filters),
    "trend": metrics.rating_trend,
    "strength": lambda cur, filters, grain: metrics.category_strength(cur, filters),
    "weak": lambda cur, filters, grain: metrics.weak_answers(cur, filters),
    "outcomes": lambda cur, filters, grain: metrics.outcomes_by_month(cur, filters),
    "funnel": lambda cur, filters, grain: metrics.stage_funnel(cur, filters),
    "calibration": lambda cur, filters, grain: metrics.calibration(cur, filters),
    "reactions": lambda cur, filters, grain: metrics.reaction_vs_rating(cur, filters),
}


@st.cache_data(max_entries=64, show_spinner="Crunching your history…")
def _figures(path: str, version: int, filters: metrics.DashboardFilter, grain: str, names: tuple[str, ...]) -> dict:
    # Keyed by the database, its data version (bumped by every write) and the
    # filters, so a new interview shows at once and nothing else is recomputed.
    cur = store.connect(path).cursor()
    return {name: FIGURES[name](cur, filters, grain) for name in names}


# Each chart of the filtered views: how it is built from its figure (given the categories and the
# grain), and the rows it draws (charts.with_rows puts another filter's rows into a built one).
CHARTS = {
    "trend": (charts.rating_trend_chart, charts.rating_trend_rows),
    "strength": (
        lambda frame, categories, _: charts.category_strength_chart(frame, categories),
        charts.category_strength_rows,
    ),
    "outcomes": (lambda frame, *_: charts.outcomes_chart(frame), charts.outcomes_rows),
    "funnel": (lambda frame, *_: charts.funnel_chart(frame), charts.funnel_rows),
    "calibration": (lambda frame, *_: charts.calibration_chart(frame), charts.calibration_rows),
    "reactions": (lambda frame, *_: charts.reaction_chart(frame), charts.reaction_rows),
}


@st.cache_data(max_entries=32, show_spinner=False)
def _chart_template(name: str, grain: str, categories: tuple[str, ...], _built_from: pd.DataFrame) -> dict:
    # Building an Altair chart costs tens of milliseconds (validation, layering), and a chart's
    # specification depends on its data only through its rows: each chart is built once per grain
    # and set of categories, from the first figure drawn (``_built_from``, not part of the key),
    # and every filter and every later version of the data swaps in its own rows (charts.with_rows).
    # (Keyed by the data version instead, a filter change after any write, a tick, built every chart again.)
    return charts.to_spec(CHARTS[name][0](_built_from, list(categories), grain))


@st.cache_data(max_entries=64, show_spinner=False)
def _chart_specs(path: str, version: int, filters: metrics.DashboardFilter, grain: str, names: tuple[str, ...]) -> dict:
    # A cached specification is drawn as it is (charts.to_spec). An empty figure has no chart (None);
    # the funnel is drawn even empty: its stages are its axis.
    data = _figures(path, version, filters, grain, names)
    categories = tuple(_options(path, version)["categories"])
    return {
        name: charts.with_rows(_chart_template(name, grain, categories, data[name]), CHARTS[name][1](data[name]))
        if name == "funnel" or not data[name].empty
        else None
        for name in names
        if name in CHARTS
    }


@st.cache_data(max_entries=16, show_spinner="Working out your insights…")
def _insights(path: str, version: int) -> dict:
    """The whole history's insights (not filtered): calibration, response times, the funnel, the forecast."""
    cur = store.connect(path).cursor()
    processes = funnel.processes(cur)
    table = funnel.conversion_table(processes)
    return {
        "scorecard": calibration.scorecard(cur),
        "waits": companies.response_time_distribution(cur),
        "median_days": companies.overall_median_days(cur),
        "processes": processes,
        "conversion": table,
        "leak": funnel.leak(table),
        "forecast": funnel.forecast(processes),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def _insight_specs(path: str, version: int) -> dict:
    found = _insights(path, version)
    card, waits, table = found["scorecard"], found["waits"], found["conversion"]
    chartable = table[(table["stage"] != funnel.OFFER) & (table["decided"] > 0)]
    built = {
        "reliability": (card.enough, lambda: insight_charts.reliability_chart(card.bins)),
        "brier": (not card.over_time.empty, lambda: insight_charts.brier_chart(card.over_time)),
        "waits": (not waits.empty, lambda: insight_charts.response_time_chart(waits, found["median_days"])),
        "conversion": (not chartable.empty, lambda: insight_charts.conversion_chart(table)),
    }
    return {name: charts.to_spec(build()) if wanted else None for name, (wanted, build) in built.items()}


def chart(spec: dict, key: str):
    """Draw a cached specification; clicking a mark reruns the fragment it is in."""
    return st.vega_lite_chart(spec=spec, on_select="rerun", key=key)


def selected(event, *fields):
    """The values of ``fields`` in a chart's current selection, or None."""
    points = (event.selection or {}).get(charts.SELECTION) if event else None
    if not points:
        return None
    point = points[0]
    return tuple(point.get(name) for name in fields)


def as_date(value) -> dt.date | None:
    """Vega hands back dates as milliseconds since the epoch (or ISO text)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return pd.Timestamp(value, unit="ms").date()
    return pd.Timestamp(value).date()


def open_selected(event, frame: pd.DataFrame) -> None:
    """Open the interview of the row selected in a drill-down table."""
    if event.selection.rows:
        interview_id = int(frame.iloc[event.selection.rows[0]]["interview_id"])
        st.switch_page("pages/interviews.py", query_params={"id": str(interview_id)})


def show_answers(filters: metrics.DashboardFilter, title: str, key: str, selection: dict) -> None:
    """List the answers behind a selection; choosing one opens its interview."""
    answers = metrics.answers_behind(cursor(), filters, **selection)
    total = int(answers["total"].iloc[0]) if len(answers) else 0
    counted = ui.count(total, "answer")
    shown = f"the latest {len(answers):,} of {counted}" if total > len(answers) else counted
    st.markdown(f"**{ui.literal(title)}** · {shown}")
    if answers.empty:
        st.caption("No rated answers behind this selection.")
        return
    answers["rating"] = answers["rating"].map(lambda r: rating_label(None if pd.isna(r) else int(r)))
    event = st.dataframe(
        ui.without_none(answers),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_order=("date", "company", "stage", "question", "category", "rating", "reaction", "better_answer"),
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "company": "Company",
            "stage": "Stage",
            "question": st.column_config.TextColumn("Question", width="large"),
            "category": "Category",
            "rating": "Rating",
            "reaction": "Reaction",
            "better_answer": st.column_config.TextColumn("Better answer", width="large"),
        },
    )
    st.caption("Select an answer to open its interview.")
    open_selected(event, answers)


def show_rounds(title: str, key: str, rounds: pd.DataFrame, columns: dict) -> None:
    """List the interviews behind a selection (``columns``: field to heading); choosing one opens it."""
    st.markdown(f"**{ui.literal(title)}** · {ui.count(len(rounds), 'round')}")
    if rounds.empty:
        st.caption("No rounds behind this selection.")
        return
    config = {name: label for name, label in columns.items()}
    if "interview_date" in columns:
        config["interview_date"] = st.column_config.DateColumn(columns["interview_date"], format="YYYY-MM-DD")
    event = st.dataframe(
        ui.without_none(rounds),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_order=tuple(columns),
        column_config=config,
    )
    st.caption("Select a round to open its interview.")
    open_selected(event, rounds)


# The filtered part -------------------------------------------------------------

PERIODS = {"All time": None, "Last 30 days": 30, "Last 90 days": 90, "Last 6 months": 183, "Last 12 months": 365}


def filter_bar(options: dict) -> metrics.DashboardFilter:
    """The filter widgets, and the filter they describe."""
    with st.container(horizontal=True):
        period_name = st.selectbox("Period", [*PERIODS, "Custom dates"], key="dash_period")
        if period_name == "Custom dates":
            period = st.date_input(
                "Dates", value=(options["start"], options["end"]), key="dash_dates", format="YYYY-MM-DD"
            )
        companies_picked = st.multiselect("Company", options["companies"], key="dash_companies", placeholder="Any")
        roles = st.multiselect("Role", options["roles"], key="dash_roles", placeholder="Any")
        stages = st.multiselect("Stage", options["stages"], key="dash_stages", placeholder="Any")
        categories = st.multiselect("Category", options["categories"], key="dash_categories", placeholder="Any")
    if period_name == "Custom dates":
        start, end = (tuple(period) + (None, None))[:2] if isinstance(period, tuple | list) else (period, period)
        if start is not None and end is None:
            end = start  # a range being picked: one day until the second click
    elif PERIODS[period_name]:
        end = dt.date.today()
        start = end - dt.timedelta(days=PERIODS[period_name] - 1)
    else:
        start = end = None
    return metrics.DashboardFilter(
        start=start,
        end=end,
        companies=tuple(companies_picked),
        roles=tuple(roles),
        stages=tuple(stages),
        categories=tuple(categories),
    )


def headline(head: metrics.Headline) -> None:
    cols = st.columns(5)
    cols[0].metric("Interviews", f"{head.interviews:,}")
    cols[1].metric("Questions rated", f"{head.questions_rated:,}")
    cols[2].metric(
        "Average rating",
        "–" if head.average_rating is None else f"{head.average_rating:.2f}",
        delta=None if head.average_rating_change is None else f"{head.average_rating_change:+.2f}",
        help="Mean of your 1–5 self-ratings. The change compares with the period of equal length just before.",
    )
    cols[3].metric(
        "Pass rate",
        "–" if head.pass_rate is None else f"{head.pass_rate:.0%}",
        help=f"Share of decided rounds ({head.decided:,}) that advanced or ended in an offer. "
        "Pending and withdrawn rounds are not counted.",
    )
    cols[4].metric("Offers", f"{head.offers:,}")


NO_RATINGS = "No rated answers match these filters yet."


@ui.fragment
def trend_and_strength(filters: metrics.DashboardFilter, grain: str, version: int) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    names = VIEW_FIGURES[ANSWERS]
    data, specs = (
        _figures(db_path, version, filters, grain, names),
        _chart_specs(db_path, version, filters, grain, names),
    )
    drill = None
    left, right = st.columns([3, 2])
    with left:
        if data["trend"].empty:
            st.caption(NO_RATINGS)
        else:
            with_practice = st.toggle("Show practice beside interviews", key="dash_practice")
            if with_practice:
                practice_trend = practice.practice_trend(cursor(), grain)
                if practice_trend.empty:
                    st.caption("No practice grades yet: practise a weak answer on the Practice page.")
                categories = _options(db_path, version)["categories"]
                spec = charts.to_spec(charts.rating_trend_chart(data["trend"], categories, grain, practice_trend))
            event = chart(spec if with_practice else specs["trend"], "chart_trend")
            if pick := selected(event, "category", "period"):
                drill = (
                    f"{pick[0]}, {grain} of {as_date(pick[1]):%d %b %Y}",
                    "drill_trend",
                    {"category": pick[0], "period": as_date(pick[1]), "grain": grain},
                )
    with right:
        if data["strength"].empty:
            st.caption(NO_RATINGS)
        else:
            event = chart(specs["strength"], "chart_strength")
            st.caption("Mean rating with its 95% interval; the number is how many answers stand behind it.")
            if pick := selected(event, "category"):
                drill = (f"Answers in {pick[0]}", "drill_strength", {"category": pick[0]})
    if drill:
        show_answers(filters, *drill)


@ui.fragment
def weak_answers(filters: metrics.DashboardFilter, weak: pd.DataFrame) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    st.subheader("Weak answers")
    if weak.empty:
        st.caption("No question averages 3 or below under these filters. Nothing weak to rehearse here.")
        return
    st.caption(
        "Your lowest-rated questions. The same or nearly the same question asked in several interviews is "
        "counted once. Select one to see every time you were asked it."
    )
    weak_event = st.dataframe(
        ui.without_none(weak.assign(latest_rating=weak["latest_rating"].map(rating_label))),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="weak_table",
        column_order=("question", "asked", "mean_rating", "latest_rating", "latest_date", "better_answer"),
        column_config={
            "question": st.column_config.TextColumn("Question", width="large"),
            "asked": st.column_config.NumberColumn("Times asked"),
            "mean_rating": st.column_config.NumberColumn("Mean rating", format="%.1f"),
            "latest_rating": "Latest rating",
            "latest_date": st.column_config.DateColumn("Last asked", format="YYYY-MM-DD"),
            "better_answer": st.column_config.TextColumn("Latest better answer", width="large"),
        },
    )
    if weak_event.selection.rows:
        row = weak.iloc[weak_event.selection.rows[0]]
        title = f"Every time you were asked “{row['question']}”"
        show_answers(filters, title, "drill_weak", {"texts": list(row["texts"])})


@ui.fragment
def outcomes(filters: metrics.DashboardFilter, grain: str, version: int) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    specs = _chart_specs(db_path, version, filters, grain, VIEW_FIGURES[OUTCOMES])
    st.subheader("Outcomes")
    drill = None
    left, right = st.columns(2)
    with left:
        if specs["outcomes"] is None:
            st.caption("No decided rounds under these filters yet: outcomes show once you record them.")
        else:
            event = chart(specs["outcomes"], "chart_outcomes")
            if pick := selected(event, "month", "outcome"):
                drill = (
                    f"Rounds decided {pick[1]} in {as_date(pick[0]):%B %Y}",
                    "drill_outcomes",
                    {"outcome": pick[1], "month": as_date(pick[0])},
                )
    with right:
        event = chart(specs["funnel"], "chart_funnel")
        if pick := selected(event, "stage"):
            drill = (f"Answers in {pick[0]} rounds", "drill_funnel", {"stage": pick[0]})
    if drill:
        show_answers(filters, *drill)


@ui.fragment
def calibration_and_reactions(filters: metrics.DashboardFilter, grain: str, version: int) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    names = VIEW_FIGURES[CALIBRATION]
    data, specs = (
        _figures(db_path, version, filters, grain, names),
        _chart_specs(db_path, version, filters, grain, names),
    )
    st.subheader("Calibration and reactions")
    drill = None
    left, right = st.columns(2)
    with left:
        verdict = metrics.calibration_verdict(data["calibration"])
        if specs["calibration"] is None:
            st.caption("Calibration needs decided interviews with rated answers.")
        else:
            event = chart(specs["calibration"], "chart_calibration")
            if pick := selected(event, "band"):
                drill = (
                    f"Decided interviews you rated {charts.BAND_LABELS.get(int(pick[0]), pick[0])} on average",
                    "drill_calibration",
                    {"band": int(pick[0])},
                )
        st.caption(ui.literal(verdict.message))
    with right:
        reactions = data["reactions"]
        if specs["reactions"] is None:
            st.caption("Note the interviewer's reaction to your answers to see where it and your rating disagree.")
        else:
            event = chart(specs["reactions"], "chart_reactions")
            disagreements = int(reactions.loc[reactions["disagreement"] != "", "answers"].sum())
            st.caption(
                f"{ui.count(disagreements, 'answer')} where your rating and the interviewer's "
                "reaction disagree (outlined in red)."
            )
            if pick := selected(event, "rating", "reaction"):
                drill = (
                    f"Rated {rating_label(int(pick[0]))}, reaction {pick[1]}",
                    "drill_reactions",
                    {"rating": int(pick[0]), "reaction": pick[1]},
                )
    if drill:
        show_answers(filters, *drill)


# The page's views: only the open one is drawn (a browser takes about 100 ms per chart), and the
# open one is in the address (?view=Outcomes), so a link, a reload or Back returns to it.
ANSWERS, OUTCOMES, CALIBRATION, WHOLE_HISTORY = VIEWS = ("Answers", "Outcomes", "Calibration", "Whole history")
VIEW_FIGURES = {
    ANSWERS: ("trend", "strength", "weak"),
    OUTCOMES: ("outcomes", "funnel"),
    CALIBRATION: ("calibration", "reactions"),
}


@ui.fragment
def dashboard() -> None:
    """Filters, the headline they drive, and the open view: a filter change or a new view reruns this, not the page."""
    version = store.data_version(cursor())
    options = _options(db_path, version)
    filters = filter_bar(options)
    grain = metrics.trend_grain(filters, (options["start"], options["end"]))
    head = _figures(db_path, version, filters, grain, ("headline",))["headline"]
    headline(head)
    tabs = dict(zip(VIEWS, st.tabs(VIEWS, key="view", bind="query-params"), strict=True))
    if tabs[WHOLE_HISTORY].open:
        with tabs[WHOLE_HISTORY]:
            insights(version)
        return
    view = next(name for name, tab in tabs.items() if tab.open)
    with tabs[view]:
        if head.interviews == 0:
            st.info(
                "No interviews match these filters. Widen the dates or clear a filter.",
                icon=":material/filter_alt_off:",
            )
            return
        if view == ANSWERS:
            if rated_total < 5:
                st.info(
                    f"You have rated {ui.count(rated_total, 'answer')} so far. Trends need a few more: "
                    "rate every answer when you log an interview, and this page fills in.",
                    icon=":material/info:",
                )
            trend_and_strength(filters, grain, version)
            weak_answers(filters, _figures(db_path, version, filters, grain, VIEW_FIGURES[ANSWERS])["weak"])
            stubborn = practice.stubborn_cards(cursor())
            if not stubborn.empty:
                st.markdown("**Stubborn weak spots**: practice cards you keep grading Again. Rewrite these answers.")
                st.dataframe(
                    stubborn[["question", "category", "agains"]],
                    hide_index=True,
                    column_config={"question": "Question", "category": "Category", "agains": "Graded Again"},
                )
        elif view == OUTCOMES:
            outcomes(filters, grain, version)
        else:
            calibration_and_reactions(filters, grain, version)


# The whole history's insights ------------------------------------------------------


def brier_metrics(brier: calibration.Brier, label: str) -> None:
    """The predictor's Brier score beside the base rate's, each explained in its tooltip."""
    cols = st.columns(3)
    cols[0].metric(
        ui.literal(label),
        f"{brier.score:.3f}",
        help="Brier score: the mean of (probability − outcome)² over your decided rounds, where the "
        "outcome is 1 if you advanced and 0 if not. 0 is perfect; lower is better.",
    )
    cols[1].metric(
        "Always guessing your base rate",
        f"{brier.base_score:.3f}",
        help=f"The Brier score you would get by saying {brier.base_rate:.0%} (the share of your decided "
        "rounds you advanced from) every time. A predictor worth listening to scores lower.",
    )
    cols[2].metric(
        "Decided rounds scored",
        f"{brier.rounds:,}",
        help=f"Rounds with an outcome known; below {calibration.MIN_PREDICTIONS} nothing is scored.",
    )


@ui.fragment
def calibration_scorecard(version: int) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    card, specs = _insights(db_path, version)["scorecard"], _insight_specs(db_path, version)
    st.subheader("How well you judge your rounds")
    st.caption("From your whole history, whatever the filters above.")
    st.markdown("**Your prediction: “How likely are you to advance?”**")
    if not card.enough:
        st.info(ui.literal(card.message), icon=":material/info:")
    else:
        brier_metrics(card.brier, "Your predictions (Brier)")
        drill = None
        left, right = st.columns(2)
        with left:
            event = chart(specs["reliability"], "chart_reliability")
            st.caption("Each point is a band of predictions; on the dashed line you would be perfectly calibrated.")
            if pick := selected(event, "low"):
                low = int(pick[0])
                title = f"Rounds you gave {low}–{low + calibration.BIN_WIDTH} %"
                drill = (title, "drill_reliability", calibration.predictions_behind(cursor(), low))
        with right:
            if specs["brier"] is None:
                st.caption(
                    f"The score by quarter shows once a quarter has {calibration.MIN_PER_PERIOD} decided "
                    "rounds with a prediction."
                )
            else:
                event = chart(specs["brier"], "chart_brier")
                if pick := selected(event, "quarter"):
                    quarter = as_date(pick[0])
                    quarter = dt.date(quarter.year, 3 * ((quarter.month - 1) // 3) + 1, 1)
                    rounds = calibration.predictions_behind(cursor(), quarter=quarter)
                    drill = (f"Rounds in the quarter from {quarter:%d %b %Y}", "drill_brier", rounds)
        st.caption(ui.literal(card.message))
        for sentence in card.sentences:
            st.markdown("- " + ui.literal(sentence))
        if drill:
            columns = {"interview_date": "Date", "company": "Company", "stage": "Stage", "predicted": "You said (%)"}
            show_rounds(drill[0], drill[1], drill[2], columns | {"outcome": "Outcome"})
    st.markdown("**Your mean self-rating as a predictor**")
    if not card.rating_enough:
        st.caption(ui.literal(card.rating_message))
        return
    brier_metrics(card.rating_brier, "Your mean self-rating (Brier)")
    st.caption(
        ui.literal(card.rating_message)
        + " Each round's rating is read as the pass rate of your other rounds with the same mean rating; "
        "the chart under Calibration and reactions shows the bands."
    )
    for sentence in card.rating_sentences:
        st.markdown("- " + ui.literal(sentence))


@ui.fragment
def response_times(version: int) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    found, specs = _insights(db_path, version), _insight_specs(db_path, version)
    st.subheader("How long companies take to answer")
    if specs["waits"] is None:
        st.caption("No decision dates yet: note when a company answered, and its wait shows here.")
        return
    timed = int(found["waits"]["rounds"].sum())
    median = found["median_days"]
    st.metric(
        "Your usual wait",
        "–" if median is None else ui.count(round(median), "day"),
        help=f"The median of the days from interview to answer over {ui.count(timed, 'round')} with a decision "
        f"date; said from {companies.MIN_OVERALL_DECIDED} on.",
    )
    event = chart(specs["waits"], "chart_waits")
    st.caption("Select a bar to see the rounds behind it.")
    if pick := selected(event, "days", "outcome"):
        times = companies.response_times(cursor())
        days = int(float(pick[0])) if pick[0] is not None else None
        behind = times[(times["days"] == days) & (times["outcome"] == pick[1])] if days is not None else times[:0]
        show_rounds(
            f"Answered {pick[1]} after {ui.count(days or 0, 'day')}",
            "drill_waits",
            behind,
            {"interview_date": "Date", "company": "Company", "stage": "Stage", "days": "Days", "outcome": "Answer"},
        )


@ui.fragment
def process_funnel(version: int) -> None:
    cursor()  # hold the file for this rerun: the cached queries open it by path
    found, specs = _insights(db_path, version), _insight_specs(db_path, version)
    st.subheader("Where you get stopped, and how far an offer is")
    st.caption(
        "A process is every round at one company for one role; the furthest stage it reached counts, "
        "even when it later ended in a rejection."
    )
    if specs["conversion"] is None:
        st.caption("No process has been decided at any stage yet.")
    else:
        event = chart(specs["conversion"], "chart_conversion")
        st.caption(
            f"Bars: how often you got past the stage; lines: its {funnel.CONFIDENCE:.0%} Wilson interval; "
            "the number is how many decided processes stand behind it."
        )
        if pick := selected(event, "stage"):
            stage = pick[0]
            step = {name: i for i, name in enumerate(funnel.LADDER)}
            processes = found["processes"]
            reached = processes[
                (processes["entered"].map(step) <= step[stage]) & (processes["furthest"].map(step) >= step[stage])
            ]
            reached = reached.assign(interview_id=reached["interview_ids"].map(lambda ids: int(ids[-1])))
            show_rounds(
                f"Processes that reached the {stage} stage (select one to open its latest round)",
                "drill_conversion",
                reached,
                {
                    "company": "Company",
                    "role": "Role",
                    "furthest": "Furthest stage",
                    "state": "There",
                    "rounds": "Rounds",
                },
            )
    leak = found["leak"]
    if leak is None:
        st.caption(
            f"Which stage stops you most shows once two stages each have {funnel.MIN_STAGE_DECIDED} decided processes."
        )
    else:
        st.markdown(ui.literal(leak.text))
    forecast = found["forecast"]
    st.markdown("**Forecast**")
    if not forecast.enough:
        st.caption(ui.literal(forecast.text))
        return
    st.metric(
        "First rounds until an offer",
        "–" if forecast.expected is None else f"about {forecast.expected:.0f}",
        help=f"{ui.count(forecast.offers, 'offer')} in {ui.count(forecast.finished, 'finished process')}; the number of new processes "
        "until the first offer is geometric with mean 1 / offer rate.",
    )
    st.markdown(ui.literal(forecast.text))
    st.caption("Assumptions:")
    for assumption in forecast.assumptions:
        st.caption("- " + ui.literal(assumption))


def insights(version: int) -> None:
    """The whole history's insights, whatever the filters."""
    calibration_scorecard(version)
    response_times(version)
    process_funnel(version)


dashboard()
