"""Prep: the brief for the next interview, built from your own history."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from analysis import brief as briefs
from analysis import followups, store
from analysis import interviews as iv
from analysis.vocab import STAGES, rating_label

ROUND_COLUMNS = {
    "question": st.column_config.TextColumn("Question", width="large"),
    "category": "Category",
    "rating": "Rating",
    "reaction": "Reaction",
    "better_answer": st.column_config.TextColumn("Better answer", width="large"),
}

RECENT_ROUNDS = 3  # the latest earlier rounds, shown in full; older ones are picked one at a time


def round_title(r: briefs.Round) -> str:
    return f"{r.date:%Y-%m-%d} · {r.stage} · {r.role or 'role not noted'} · {r.outcome}"


def show_round(r: briefs.Round) -> None:
    """One earlier round: who you met, what you were asked and how it went, your notes and the feedback."""
    with st.expander(ui.literal(round_title(r)), expanded=True):
        if r.interviewers:
            st.text("Met: " + "; ".join(r.interviewers))
        if not r.questions.empty:
            st.dataframe(
                r.questions.assign(
                    rating=r.questions["rating"].map(lambda v: rating_label(None if pd.isna(v) else int(v)) or "")
                ).pipe(ui.without_none),
                hide_index=True,
                column_config=ROUND_COLUMNS,
            )
        for heading, text in r.notes.items():
            st.markdown(f"**{ui.literal(heading)}**")
            st.text(text)
        if r.feedback:
            st.markdown("**Recruiter feedback**")
            st.text(r.feedback)


con = ui.cursor()
st.title("Prepare")
st.caption("The evening before: what you must rehearse, what you owe this company, and what you learnt about it.")

# Interview times are wall-clock times in the user's zone, as on the Follow-ups page.
upcoming = briefs.upcoming(con, dt.datetime.now(followups.load_settings(con).zone))
OTHER = "Another interview…"
options = [*(r[0] for r in upcoming), OTHER]
choice = st.selectbox(
    "Interview",
    options,
    format_func=lambda o: (
        o if o == OTHER else next(f"{r[1]} · {r[3]} · {r[4]:%a %d %b %Y}" for r in upcoming if r[0] == o)
    ),
    key="prep_choice",
    help="Upcoming interviews you have logged, or any company you name.",
)
interview_id = None
if choice == OTHER:
    with st.container(horizontal=True):
        company = st.selectbox(
            "Company",
            iv.companies(con),
            index=None,
            accept_new_options=True,
            key="prep_company",
            placeholder="Pick or type a company",
        )
        role = st.text_input("Role", key="prep_role")
        stage = st.selectbox("Stage", STAGES, index=None, key="prep_stage")
        date = st.date_input("Date", value=dt.date.today() + dt.timedelta(days=1), key="prep_date", format="YYYY-MM-DD")
else:
    interview_id, company, role, stage, date = next(r for r in upcoming if r[0] == choice)

if not company or not company.strip():
    st.info("Pick or type the company you are interviewing with.", icon=":material/info:")
    st.stop()


@st.cache_data(max_entries=32, show_spinner=False)
def _brief(
    path: str, version: int, today: dt.date, company, role, stage, date, interview_id
) -> tuple[briefs.Brief, str]:
    # Keyed by the data version and the day: a rerun that changed nothing (a download, a widget
    # outside the brief) neither queries nor writes it again; any write, here or elsewhere, renews it.
    cur = store.connect(path).cursor()
    brief = briefs.build(cur, company, role, stage, date, today=today, interview_id=interview_id)
    return brief, briefs.to_markdown(brief)


brief, markdown = _brief(
    str(ui.database_path()), store.data_version(con), dt.date.today(), company, role or None, stage, date, interview_id
)
st.download_button(
    "Download the brief (Markdown)",
    data=markdown.encode("utf-8"),
    file_name=briefs.file_name(brief),
    mime="text/markdown",
    icon=":material/download:",
    on_click="ignore",
)
if brief.is_empty:
    st.info(
        "Your history is empty so far. Log interviews and rate your answers, and the brief fills in.",
        icon=":material/info:",
    )

st.subheader("Rehearse: your weakest categories of late")
if brief.weakest.empty:
    st.caption("No rated answers yet.")
else:
    cols = st.columns(len(brief.weakest))
    for col, row in zip(cols, brief.weakest.itertuples(), strict=True):
        col.metric(
            ui.literal(row.category),
            f"{row.mean_rating:.1f}",
            delta=None if pd.isna(row.change) else f"{row.change:+.1f}",
            help=f"Mean of {ui.count(row.answers, 'answer')} in the last {briefs.RECENT_DAYS} days; "
            f"the change is against the {briefs.RECENT_DAYS} days before.",
        )

st.subheader("Questions to rehearse")
if brief.rehearse.empty:
    st.caption("No weak or recurring questions yet.")
else:
    st.caption("Rated 2 or less, or asked three times or more; those asked at this company first.")
    st.dataframe(
        brief.rehearse.assign(
            latest_rating=brief.rehearse["latest_rating"].map(lambda r: rating_label(int(r))),
            better_answer=brief.rehearse["better_answer"].fillna(""),
        ),
        hide_index=True,
        column_config={
            "question": st.column_config.TextColumn("Question", width="large"),
            "asked": "Times asked",
            "mean_rating": st.column_config.NumberColumn("Mean rating", format="%.1f"),
            "latest_rating": "Latest",
            "better_answer": st.column_config.TextColumn("Your latest better answer", width="large"),
            "at_company": st.column_config.CheckboxColumn("Asked here"),
        },
    )
if not brief.stubborn.empty:
    st.markdown("**Stubborn weak spots from practice**")
    st.dataframe(
        ui.without_none(brief.stubborn),
        hide_index=True,
        column_config={
            "question": st.column_config.TextColumn("Question", width="large"),
            "category": "Category",
            "agains": st.column_config.NumberColumn("Graded Again", help="Times you graded the card Again"),
        },
    )

st.subheader("Your stories")
if brief.heard:
    st.markdown("**They have already heard**")
    # One note listing them all: an alert apiece made a long page, and drawing 25 alerts took the
    # browser 60 ms, most of the page's time.
    st.warning(
        "\n".join(
            "- " + ui.literal(warning.text + (": on this round's panel again" if warning.meeting_again else ""))
            for warning in brief.heard
        ),
        icon=":material/hearing:",
    )
if brief.suggested:
    st.markdown("**A story for each weak category**")
    for suggestion in brief.suggested:
        st.markdown("- " + ui.literal(suggestion.text))
if not brief.heard and not brief.suggested:
    st.caption("No story told here before, and none tagged for your weak categories yet.")
st.page_link("pages/stories.py", label="Your story bank", icon=":material/auto_stories:")

if brief.calibration:
    st.subheader("How well you judge your rounds")
    st.caption(ui.literal(brief.calibration))

st.subheader("What you owe them: clarifications promised")
if brief.promised.empty:
    st.caption("Nothing outstanding.")
for row in brief.promised.itertuples():
    left, right = st.columns([6, 1], vertical_alignment="center")
    left.text(f"{row.clarify}\n  (you were asked “{row.question}” at {row.company}, {row.date:%Y-%m-%d})")
    if right.button("Sent", key=f"prep_sent_{row.question_id}", icon=":material/check:"):
        briefs.mark_clarified(con, row.question_id, dt.date.today())
        st.rerun()

st.subheader(f"Earlier rounds at {ui.literal(brief.company)}")
if not brief.rounds:
    st.caption("This is your first interview here.")
older = {r.interview_id: r for r in brief.rounds[:-RECENT_ROUNDS]}
if older:
    # Every round in full would be a page of tables the browser redraws on each visit (19 rounds
    # took 250 ms); the latest few matter most, any other is one pick away and all are in the download.
    picked = st.selectbox(
        ui.count(len(older), "older round"),
        list(older),
        index=None,
        format_func=lambda interview_id: round_title(older[interview_id]),
        key=f"prep_older_{brief.company}",
        placeholder="Open one",
        help="Every round, older ones too, is in the downloaded brief.",
    )
    if picked is not None:
        show_round(older[picked])
for r in brief.rounds[-RECENT_ROUNDS:]:
    show_round(r)

st.subheader("Questions to ask")
if not brief.to_ask:
    st.caption("None noted yet: write a few down before you go.")
for question in brief.to_ask:
    st.text(f"• {question}")
