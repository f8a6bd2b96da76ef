"""Dashboard: weak answers and outcomes over time, filtered, with drill-down to the answers."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from analysis import charts, metrics, practice, store
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


@st.cache_data(max_entries=32, show_spinner=False)
def _options(path: str, version: int) -> dict:
    return metrics.filter_options(store.connect(path).cursor())


@st.cache_data(max_entries=64, show_spinner="Crunching your history…")
def _dashboard(path: str, version: int, filters: metrics.DashboardFilter, grain: str) -> dict:
    # Keyed by the database, its data version (bumped by every write) and the
    # filters, so a new interview shows at once and nothing else is recomputed.
    cur = store.connect(path).cursor()
    return {
        "headline": metrics.headline(cur, filters),
        "trend": metrics.rating_trend(cur, filters, grain),
        "strength": metrics.category_strength(cur, filters),
        "weak": metrics.weak_answers(cur, filters),
        "outcomes": metrics.outcomes_by_month(cur, filters),
        "funnel": metrics.stage_funnel(cur, filters),
        "calibration": metrics.calibration(cur, filters),
        "reactions": metrics.reaction_vs_rating(cur, filters),
    }


version = store.data_version(con)
options = _options(db_path, version)

PERIODS = {"All time": None, "Last 30 days": 30, "Last 90 days": 90, "Last 6 months": 183, "Last 12 months": 365}
with st.container(horizontal=True):
    period_name = st.selectbox("Period", [*PERIODS, "Custom dates"], key="dash_period")
    if period_name == "Custom dates":
        period = st.date_input("Dates", value=(options["start"], options["end"]), key="dash_dates", format="YYYY-MM-DD")
    companies = st.multiselect("Company", options["companies"], key="dash_companies", placeholder="Any")
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
filters = metrics.DashboardFilter(
    start=start,
    end=end,
    companies=tuple(companies),
    roles=tuple(roles),
    stages=tuple(stages),
    categories=tuple(categories),
)
grain = metrics.trend_grain(filters, (options["start"], options["end"]))
data = _dashboard(db_path, version, filters, grain)
head = data["headline"]

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

if head.interviews == 0:
    st.info("No interviews match these filters. Widen the dates or clear a filter.", icon=":material/filter_alt_off:")
    st.stop()
if rated_total < 5:
    st.info(
        f"You have rated {ui.count(rated_total, 'answer')} so far. Trends need a few more: "
        "rate every answer when you log an interview, and this page fills in.",
        icon=":material/info:",
    )


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


def show_answers(title: str, key: str, selection: dict) -> None:
    """List the answers behind a selection; choosing one opens its interview."""
    answers = metrics.answers_behind(con, filters, **selection)
    total = int(answers["total"].iloc[0]) if len(answers) else 0
    counted = ui.count(total, "answer")
    shown = f"the latest {len(answers):,} of {counted}" if total > len(answers) else counted
    st.markdown(f"**{ui.plain(title)}** · {shown}")
    if answers.empty:
        st.caption("No rated answers behind this selection.")
        return
    answers["rating"] = answers["rating"].map(lambda r: rating_label(None if pd.isna(r) else int(r)))
    event = st.dataframe(
        answers,
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
    if event.selection.rows:
        interview_id = int(answers.iloc[event.selection.rows[0]]["interview_id"])
        st.switch_page("pages/interviews.py", query_params={"id": str(interview_id)})


all_categories = options["categories"]
no_ratings = "No rated answers match these filters yet."

drill = None
left, right = st.columns([3, 2])
with left:
    if data["trend"].empty:
        st.caption(no_ratings)
    else:
        with_practice = st.toggle("Show practice beside interviews", key="dash_practice")
        practice_trend = practice.practice_trend(con, grain) if with_practice else None
        if with_practice and practice_trend.empty:
            st.caption("No practice grades yet: practise a weak answer on the Practice page.")
        event = st.altair_chart(
            charts.rating_trend_chart(data["trend"], all_categories, grain, practice_trend),
            on_select="rerun",
            key="chart_trend",
        )
        if pick := selected(event, "category", "period"):
            drill = (
                f"{pick[0]}, {grain} of {as_date(pick[1]):%d %b %Y}",
                "drill_trend",
                {"category": pick[0], "period": as_date(pick[1]), "grain": grain},
            )
with right:
    if data["strength"].empty:
        st.caption(no_ratings)
    else:
        event = st.altair_chart(
            charts.category_strength_chart(data["strength"], all_categories), on_select="rerun", key="chart_strength"
        )
        st.caption("Mean rating with its 95% interval; the number is how many answers stand behind it.")
        if pick := selected(event, "category"):
            drill = (f"Answers in {pick[0]}", "drill_strength", {"category": pick[0]})

if drill:
    show_answers(*drill)

st.subheader("Weak answers")
weak = data["weak"]
if weak.empty:
    st.caption("No question averages 3 or below under these filters. Nothing weak to rehearse here.")
else:
    st.caption(
        "Your lowest-rated questions. The same or nearly the same question asked in several interviews is "
        "counted once. Select one to see every time you were asked it."
    )
    weak_event = st.dataframe(
        weak.assign(latest_rating=weak["latest_rating"].map(rating_label)),
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
        show_answers(f"Every time you were asked “{row['question']}”", "drill_weak", {"texts": list(row["texts"])})

stubborn = practice.stubborn_cards(con)
if not stubborn.empty:
    st.markdown("**Stubborn weak spots**: practice cards you keep grading Again. Rewrite these answers.")
    st.dataframe(
        stubborn[["question", "category", "agains"]],
        hide_index=True,
        column_config={"question": "Question", "category": "Category", "agains": "Graded Again"},
    )

st.subheader("Outcomes")
drill = None
left, right = st.columns(2)
with left:
    if data["outcomes"].empty:
        st.caption("No decided rounds under these filters yet: outcomes show once you record them.")
    else:
        event = st.altair_chart(charts.outcomes_chart(data["outcomes"]), on_select="rerun", key="chart_outcomes")
        if pick := selected(event, "month", "outcome"):
            drill = (
                f"Rounds decided {pick[1]} in {as_date(pick[0]):%B %Y}",
                "drill_outcomes",
                {"outcome": pick[1], "month": as_date(pick[0])},
            )
with right:
    event = st.altair_chart(charts.funnel_chart(data["funnel"]), on_select="rerun", key="chart_funnel")
    if pick := selected(event, "stage"):
        drill = (f"Answers in {pick[0]} rounds", "drill_funnel", {"stage": pick[0]})

if drill:
    show_answers(*drill)

st.subheader("Calibration and reactions")
drill = None
left, right = st.columns(2)
with left:
    bands = data["calibration"]
    verdict = metrics.calibration_verdict(bands)
    if bands.empty:
        st.caption("Calibration needs decided interviews with rated answers.")
    else:
        event = st.altair_chart(charts.calibration_chart(bands), on_select="rerun", key="chart_calibration")
        if pick := selected(event, "band"):
            drill = (
                f"Decided interviews you rated {charts.BAND_LABELS.get(int(pick[0]), pick[0])} on average",
                "drill_calibration",
                {"band": int(pick[0])},
            )
    st.caption(verdict.message)
with right:
    reactions = data["reactions"]
    if reactions.empty:
        st.caption("Note the interviewer's reaction to your answers to see where it and your rating disagree.")
    else:
        event = st.altair_chart(charts.reaction_chart(reactions), on_select="rerun", key="chart_reactions")
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
    show_answers(*drill)
