"""Interviews: every logged interview, filtered; open one to read it, edit it or delete it."""

import streamlit as st

import ui
from analysis import interviews as iv
from analysis import text
from analysis.vocab import OUTCOMES, STAGES, rating_label

con = ui.cursor()
st.title("Interviews")

first, last = iv.date_span(con)
if first is None:
    st.info("No interviews yet. Log your first one and it will be listed here.", icon=":material/info:")
    st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    st.stop()

with st.container(horizontal=True):
    chosen_companies = st.multiselect("Company", iv.companies(con), key="list_companies", placeholder="Any")
    chosen_stages = st.multiselect("Stage", STAGES, key="list_stages", placeholder="Any")
    chosen_outcomes = st.multiselect("Outcome", OUTCOMES, key="list_outcomes", placeholder="Any")
    period = st.date_input("Dates", value=(first, last), key="list_dates", format="YYYY-MM-DD")

start, end = (period + (None, None))[:2] if isinstance(period, tuple) else (period, period)
listing = iv.list_interviews(
    con,
    iv.InterviewFilter(
        companies=tuple(chosen_companies),
        stages=tuple(chosen_stages),
        outcomes=tuple(chosen_outcomes),
        start=start,
        end=end,
    ),
)
st.caption(f"{ui.count(len(listing), 'interview')}. Select a row to open it.")

TABLE_KEY = f"list_table_{ui.database_path()}"
selection = st.dataframe(
    ui.without_none(listing),
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key=TABLE_KEY,
    column_order=(
        "date",
        "time",
        "company",
        "role",
        "stage",
        "format",
        "outcome",
        "questions",
        "avg_rating",
        "weak_answers",
    ),
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "time": st.column_config.TimeColumn("Time", format="HH:mm"),
        "company": "Company",
        "role": "Role",
        "stage": "Stage",
        "format": "Format",
        "outcome": "Outcome",
        "questions": st.column_config.NumberColumn("Questions"),
        "avg_rating": st.column_config.NumberColumn("Avg rating", format="%.1f"),
        "weak_answers": st.column_config.NumberColumn("Weak answers", help="Answers you rated 1 or 2"),
    },
)

rows = selection.selection.rows
opened_id = None
if rows:
    opened_id = int(listing.iloc[rows[0]]["id"])
else:
    opened_id = ui.query_int("id")

interview = iv.load_interview(con, opened_id) if opened_id is not None else None
if interview is None:
    st.stop()


st.divider()
st.subheader(f"{ui.literal(interview.company)} · {ui.literal(interview.role or 'role not noted')}")
when = f"{interview.interview_date:%A %d %B %Y}" + (
    f", {interview.interview_time:%H:%M}" if interview.interview_time else ""
)
facts = [when, interview.stage, interview.format or "format not noted", f"outcome: {interview.outcome}"]
if interview.decided_on:
    facts.append(f"decided {interview.decided_on:%Y-%m-%d}")
st.text(" · ".join(facts))

with st.container(horizontal=True):
    if st.button("Edit", icon=":material/edit:", key="open_edit"):
        st.switch_page("pages/log.py", query_params={"id": str(interview.id)})
    if st.button("Delete…", icon=":material/delete:", key="open_delete"):
        st.session_state["confirm_delete"] = interview.id

if st.session_state.get("confirm_delete") == interview.id:
    with st.container(border=True):
        st.warning(
            f"Delete the {ui.literal(interview.stage)} interview with {ui.literal(interview.company)} on "
            f"{interview.interview_date:%Y-%m-%d}"
            + (f" and its {ui.count(len(interview.questions), 'question')}" if interview.questions else "")
            + "? This cannot be undone.",
            icon=":material/warning:",
        )
        with st.container(horizontal=True):
            if st.button("Delete", type="primary", icon=":material/delete:", key="confirm_delete_yes"):
                iv.delete_interview(con, interview.id)
                del st.session_state["confirm_delete"]
                # Forget the row selection: the same row number is now another interview.
                st.session_state.pop(TABLE_KEY, None)
                ui.flash(
                    f"Deleted the interview with {ui.literal(interview.company)} on {interview.interview_date:%Y-%m-%d}."
                )
                st.query_params.clear()
                st.rerun()
            if st.button("Keep it", key="confirm_delete_no"):
                del st.session_state["confirm_delete"]
                st.rerun()

if interview.interviewers or interview.recruiter:
    people = [text.person(p.name, p.title) for p in interview.interviewers]
    st.text("Interviewers: " + ("; ".join(people) or "none noted"))
    if interview.recruiter:
        st.text(f"Recruiter: {interview.recruiter}")

if interview.questions:
    st.dataframe(
        [
            {
                "Question": q.question,
                "Category": q.category or "",
                "Rating": rating_label(q.rating),
                "Reaction": q.reaction or "",
                "I said I'd clarify": q.clarify or "",
                "Better answer": q.better_answer or "",
                "Notes": q.notes or "",
            }
            for q in interview.questions
        ],
        hide_index=True,
    )
else:
    st.caption("No questions logged for this interview.")

notes = {
    "The role": interview.role_notes,
    "The company": interview.company_notes,
    "The people": interview.people_notes,
    "Office and culture": interview.culture_notes,
    "Questions to ask next time": interview.questions_to_ask,
}
for heading, note in notes.items():
    if note:
        st.markdown(f"**{ui.literal(heading)}**")
        st.text(note)
