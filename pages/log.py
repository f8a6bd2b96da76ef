"""Log interview: the interview's details, the people, and every question with its rating.

With ``?id=N`` the same screen edits a stored interview.
"""

import datetime as dt

import duckdb
import pandas as pd
import streamlit as st

import ui
from analysis import interviews as iv
from analysis.store import StoreError
from analysis.vocab import FORMATS, OUTCOMES, RATING_LABELS, REACTIONS, STAGES, rating_label

con = ui.cursor()
editing_id = st.query_params.get("id")
stored = None
if editing_id is not None:
    stored = iv.load_interview(con, int(editing_id)) if editing_id.isdigit() else None
    if stored is None:
        st.error("That interview no longer exists. It may have been deleted in another window.")
        st.page_link("pages/interviews.py", label="Back to Interviews", icon=":material/list:")
        st.stop()

# Widget keys carry a form token: a saved new interview gets a fresh, empty form,
# and an edited one re-reads what was stored.
nonce = st.session_state.setdefault("log_form_nonce", 0)
token = f"edit{stored.id}r{stored.revision}" if stored else f"new{nonce}"


def key(name: str) -> str:
    return f"log_{token}_{name}"


if stored:
    st.title(f"Edit interview: {ui.plain(stored.company)}")
    st.page_link("pages/interviews.py", label="Back to Interviews", icon=":material/arrow_back:")
else:
    st.title("Log interview")
    st.caption("Write it down while it is fresh: every question, how your answer went, and what you learnt.")

base = stored or iv.Interview(company="", interview_date=dt.date.today())
problem_slots = {}

st.subheader("The interview")
left, middle, right = st.columns(3)
company = left.text_input("Company", value=base.company, key=key("company"), placeholder="Required")
problem_slots["company"] = left.empty()
role = middle.text_input("Role", value=base.role or "", key=key("role"))
interview_date = right.date_input(
    "Date", value=base.interview_date, key=key("date"), format="YYYY-MM-DD", min_value=dt.date(1950, 1, 1)
)
problem_slots["date"] = right.empty()

left, middle, right = st.columns(3)
interview_time = left.time_input("Time (optional)", value=base.interview_time, key=key("time"), step=300)
stage = middle.selectbox("Stage", STAGES, index=STAGES.index(base.stage), key=key("stage"))
interview_format = right.selectbox(
    "Format",
    FORMATS,
    index=FORMATS.index(base.format) if base.format else None,
    key=key("format"),
    placeholder="Video, phone or in person",
)

left, middle, right = st.columns(3)
recruiter = left.text_input("Recruiter or agency", value=base.recruiter or "", key=key("recruiter"))
outcome = middle.selectbox("Outcome", OUTCOMES, index=OUTCOMES.index(base.outcome), key=key("outcome"))
decided_on = right.date_input(
    "Decided on", value=base.decided_on, key=key("decided_on"), format="YYYY-MM-DD", min_value=dt.date(1950, 1, 1)
)
problem_slots["decided_on"] = right.empty()

st.markdown("**Interviewers**")
people = st.data_editor(
    pd.DataFrame(
        {
            "name": pd.Series([p.name for p in base.interviewers], dtype="object"),
            "title": pd.Series([p.title for p in base.interviewers], dtype="object"),
        }
    ),
    num_rows="dynamic",
    hide_index=True,
    key=key("interviewers"),
    column_config={
        "name": st.column_config.TextColumn("Name", width="medium"),
        "title": st.column_config.TextColumn("Title", width="medium"),
    },
    placeholder="",
)
problem_slots["interviewers"] = st.empty()

st.subheader("Questions and answers")
st.caption(
    "One row per question, in the order you were asked. Rate your answer: "
    + ", ".join(rating_label(r) for r in RATING_LABELS)
    + ". Draft a better answer for the weak ones while you remember them."
)
categories = iv.categories(con)
questions = st.data_editor(
    pd.DataFrame(
        {
            "id": pd.Series([q.id for q in base.questions], dtype="Int64"),
            "question": pd.Series([q.question for q in base.questions], dtype="object"),
            "category": pd.Series([q.category for q in base.questions], dtype="object"),
            "rating": pd.Series([q.rating for q in base.questions], dtype="Int64"),
            "reaction": pd.Series([q.reaction for q in base.questions], dtype="object"),
            "clarify": pd.Series([q.clarify for q in base.questions], dtype="object"),
            "better_answer": pd.Series([q.better_answer for q in base.questions], dtype="object"),
            "notes": pd.Series([q.notes for q in base.questions], dtype="object"),
        }
    ),
    num_rows="dynamic",
    hide_index=True,
    key=key("questions"),
    column_order=("question", "category", "rating", "reaction", "clarify", "better_answer", "notes"),
    column_config={
        "question": st.column_config.TextColumn("Question", width="large", required=True),
        "category": st.column_config.SelectboxColumn("Category", options=categories, default="other"),
        "rating": st.column_config.SelectboxColumn(
            "Rating", options=list(RATING_LABELS), format_func=rating_label, help="1 = missed it … 5 = nailed it"
        ),
        "reaction": st.column_config.SelectboxColumn("Interviewer's reaction", options=REACTIONS),
        "clarify": st.column_config.TextColumn("I said I'd clarify…", help="What you promised to follow up on"),
        "better_answer": st.column_config.TextColumn("Better answer (draft)", width="large"),
        "notes": st.column_config.TextColumn("Notes"),
    },
)
problem_slots["questions"] = st.empty()

with st.popover("Add a category", icon=":material/add:"):
    new_category = st.text_input("New category", key="log_new_category", max_chars=40)
    if st.button("Add category", key="log_add_category"):
        try:
            added = iv.add_category(con, new_category)
            ui.flash(f"Category “{added}” added: pick it in the Category column.")
            st.rerun()
        except iv.InvalidInterview as exc:
            st.error(str(exc))

st.subheader("Notes for next time")
left, right = st.columns(2)
role_notes = left.text_area("The role", value=base.role_notes or "", key=key("role_notes"))
company_notes = right.text_area("The company", value=base.company_notes or "", key=key("company_notes"))
people_notes = left.text_area("The people you met", value=base.people_notes or "", key=key("people_notes"))
culture_notes = right.text_area("Office and culture", value=base.culture_notes or "", key=key("culture_notes"))
questions_to_ask = st.text_area(
    "Questions to ask next time", value=base.questions_to_ask or "", key=key("questions_to_ask")
)

summary_slot = st.empty()
if st.button("Save changes" if stored else "Save interview", type="primary", icon=":material/save:"):
    question_list, problems, question_rows = iv.questions_from_rows(questions.to_dict("records"))
    people_list, people_problems = iv.interviewers_from_rows(people.to_dict("records"))
    problems += people_problems
    interview = iv.Interview(
        company=company.strip(),
        role=role.strip() or None,
        interview_date=interview_date,
        interview_time=interview_time,
        stage=stage,
        format=interview_format,
        recruiter=recruiter.strip() or None,
        outcome=outcome,
        decided_on=decided_on,
        role_notes=role_notes or None,
        company_notes=company_notes or None,
        people_notes=people_notes or None,
        culture_notes=culture_notes or None,
        questions_to_ask=questions_to_ask or None,
        interviewers=people_list,
        questions=question_list,
        id=stored.id if stored else None,
        revision=stored.revision if stored else None,
    )
    problems += iv.validate(interview, categories, question_rows)
    if not problems:
        try:
            saved = iv.save_interview(con, interview)
        except iv.InvalidInterview as exc:
            problems = exc.problems
        except (StoreError, duckdb.Error) as exc:
            summary_slot.error(
                f"Nothing was saved: {ui.plain(exc)} Everything you typed is still here.", icon=":material/error:"
            )
        else:
            rated = sum(q.rating is not None for q in saved.questions)
            ui.flash(
                f"Saved your {saved.stage} interview with {ui.plain(saved.company)}: "
                f"{len(saved.questions)} questions, {rated} rated."
            )
            if stored:
                st.switch_page("pages/interviews.py", query_params={"id": str(saved.id)})
            st.session_state["log_form_nonce"] = nonce + 1
            st.rerun()
    if problems:
        for field, slot in problem_slots.items():
            with slot.container():
                ui.show_problems(problems, field)
        summary_slot.error(
            f"Nothing was saved: fix the {len(problems)} problem{'s' if len(problems) > 1 else ''} marked above. "
            "Everything you typed is still here.",
            icon=":material/error:",
        )
