"""Home: the ways in on an empty database, and what is on file otherwise."""

import streamlit as st

import ui
from analysis import demo
from analysis import interviews as iv
from analysis.store import StoreError

con = ui.cursor()
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
        st.write(
            "Kept notes in a spreadsheet? Export it as CSV and import it from the command line: "
            "`python -m analysis import notes.csv`."
        )
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
