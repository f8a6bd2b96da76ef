"""Home: the ways in on an empty database, and what is on file otherwise."""

import datetime as dt

import streamlit as st

import ui
from analysis import demo, followups
from analysis import interviews as iv
from analysis.store import StoreError

con = ui.cursor()


def _span(hours: float) -> str:
    """3 h, 2 days: how long, roughly."""
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"


_more_box = []


def _more():
    """The expander that holds Due now's less urgent interviews, made on first use."""
    if not _more_box:
        _more_box.append(st.expander("More interviews with steps due"))
    return _more_box[0]


totals = iv.counts(con)

st.title("Debrief")

if totals["interviews"] == 0 and not ui.in_demo():
    st.write(
        "Learn from your own interviews. Spend ten minutes after each one: log the questions, "
        "rate your answers, note what you promised, and see what to rehearse before the next."
    )
    log_col, import_col, demo_col = st.columns(3, border=True)
    with log_col:
        st.subheader("Log your first interview")
        st.write("Company, date, stage, and every question with how your answer went.")
        st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    with import_col:
        st.subheader("Import past notes")
        st.write("Kept notes in a spreadsheet? Export it as CSV and bring months of history in at once.")
        st.page_link("pages/import.py", label="Import a CSV", icon=":material/upload_file:")
    with demo_col:
        st.subheader("Explore demo data")
        st.write("A made-up history of a year and a half of interviews, in a separate demo database.")
        if st.button("Open the demo", icon=":material/science:"):
            ui.use_demo(True)
            demo_con = ui.cursor()
            try:
                if iv.counts(demo_con)["interviews"] == 0:
                    with st.spinner("Writing demo interviews…"):
                        demo.generate(demo_con, interviews=300)
            except StoreError as exc:
                ui.use_demo(False)
                st.error(str(exc))
            else:
                st.rerun()
    st.stop()

if ui.in_demo():
    st.info("You are looking at demo data, kept in its own database. Use **Back to my data** in the sidebar to return.")

settings = followups.load_settings(con)
due = followups.due_now(con, settings=settings)
late = followups.awaiting_word(con, dt.datetime.now(settings.zone).date())
st.subheader("Due now")
if due.empty and late.empty:
    st.caption("Nothing due: every live follow-up step is done or not yet due.")
SHOWN = 5  # interviews listed before the rest fold away
LISTED = 30  # at most this many here; the Follow-ups page has every one
groups = list(due.groupby("interview_id", sort=False))
for index, (interview_id, steps) in enumerate(groups[:LISTED]):
    first = steps.iloc[0]
    where = st.container() if index < SHOWN else _more()
    with where.container(border=True):
        st.markdown(
            f"**{ui.plain(first.company)}** · {ui.plain(first.stage)} on {first.interview_date:%a %d %b}"
            + (f" · {ui.plain(first.role)}" if isinstance(first.role, str) else "")
        )
        with st.container(horizontal=True, vertical_alignment="center"):
            for row in steps.itertuples():
                is_late = row.state == "overdue"
                st.markdown(
                    (":red-badge[overdue]" if is_late else ":orange-badge[due soon]")
                    + f" {ui.plain(row.title)} · "
                    + (f"{_span(-row.hours_left)} late" if is_late else f"in {_span(row.hours_left)}")
                )
                if st.button(
                    "Done",
                    key=f"home_done_{row.interview_id}_{row.item}",
                    icon=":material/check:",
                    help=f"Mark “{row.title}” done",
                ):
                    followups.tick(con, row.interview_id, row.item)
                    st.rerun()
            st.page_link(
                "pages/followups.py",
                label="Open checklist",
                icon=":material/arrow_forward:",
                query_params={"id": str(interview_id)},
            )
if len(groups) > LISTED:
    _more().caption(
        f"…and {ui.count(len(groups) - LISTED, 'more interview')} with steps due: open them on the Follow-ups page."
    )
for row in late.head(LISTED).itertuples():
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.markdown(
            f":violet-badge[no word yet] **{ui.plain(row.company)}** ({ui.plain(row.stage)}): the decision was expected "
            f"{row.decision_expected_on:%d %b}, {ui.count(int(row.days_late), 'day')} ago. "
            "Nudge?"
        )
        st.page_link(
            "pages/followups.py",
            label="Open",
            icon=":material/arrow_forward:",
            query_params={"id": str(row.interview_id)},
        )
if len(late) > LISTED:
    st.caption(f"…and {ui.count(len(late) - LISTED, 'more decision')} past the expected date.")

left, middle, right = st.columns(3)
left.metric("Interviews", f"{totals['interviews']:,}")
middle.metric("Questions logged", f"{totals['questions']:,}")
right.metric("Awaiting a decision", f"{totals['pending']:,}")

st.subheader("Latest interviews")
st.dataframe(
    iv.list_interviews(con, limit=8),
    hide_index=True,
    column_order=("date", "company", "role", "stage", "outcome", "questions", "avg_rating"),
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "company": "Company",
        "role": "Role",
        "stage": "Stage",
        "outcome": "Outcome",
        "questions": "Questions",
        "avg_rating": st.column_config.NumberColumn("Avg rating", format="%.1f"),
    },
)
with st.container(horizontal=True):
    st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    st.page_link("pages/interviews.py", label="All interviews", icon=":material/list:")
