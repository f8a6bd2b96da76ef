"""Log interview: the interview's details, the people, and every question with its rating.

With ``?id=N`` the same screen edits a stored interview.
"""

import dataclasses
import datetime as dt

import duckdb
import pandas as pd
import streamlit as st

import ui
from analysis import interviews as iv
from analysis.store import StoreError
from analysis.vocab import FORMATS, OUTCOMES, RATING_LABELS, REACTIONS, STAGES, rating_label

con = ui.cursor()
editing_id = ui.query_int("id")
# Widget keys carry a form token: a saved new interview gets a fresh, empty form.
# An edited one is keyed by its id alone, never its revision, so the rerun of a
# save keeps what the user typed even when another window saved meanwhile.
nonce = st.session_state.setdefault("log_form_nonce", 0)
token = f"edit{editing_id}" if editing_id is not None else f"new{nonce}"
LOADED, CONFLICT = f"log_loaded_{editing_id}", f"log_conflict_{editing_id}"


def key(name: str) -> str:
    return f"log_{token}_{name}"


stored = loaded = None
if editing_id is not None:
    stored = iv.load_interview(con, editing_id)
    # The version the form was filled from, kept until it is saved or reloaded:
    # a save is checked against its revision. A form opened afresh takes the stored one.
    if key("company") not in st.session_state or LOADED not in st.session_state:
        st.session_state[LOADED] = stored
        st.session_state.pop(CONFLICT, None)
    loaded = st.session_state[LOADED]
    if loaded is None:
        st.error("That interview no longer exists. It may have been deleted in another window.")
        st.page_link("pages/interviews.py", label="Back to Interviews", icon=":material/list:")
        st.stop()

if loaded:
    st.title(f"Edit interview: {ui.plain(loaded.company)}")
    st.page_link("pages/interviews.py", label="Back to Interviews", icon=":material/arrow_back:")
else:
    st.title("Log interview")
    st.caption("Write it down while it is fresh: every question, how your answer went, and what you learnt.")

base = loaded or iv.Interview(company="", interview_date=dt.date.today())
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


def typed(interview_id: int | None, revision: int | None) -> tuple[iv.Interview, list]:
    """The interview as typed in the form, to be saved as ``interview_id`` at ``revision``, and its problems."""
    question_list, problems, question_rows = iv.questions_from_rows(questions.to_dict("records"))
    people_list, people_problems = iv.interviewers_from_rows(people.to_dict("records"))
    problems += people_problems
    if interview_id is None:  # saved as a new interview: its questions are new too
        question_list = [dataclasses.replace(q, id=None) for q in question_list]
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
        id=interview_id,
        revision=revision,
    )
    return interview, problems + iv.validate(interview, categories, question_rows)


def save(interview: iv.Interview, problems: list) -> None:
    """Save what was typed, or say why not; a refused edit keeps every typed value on screen."""
    if not problems:
        try:
            saved = iv.save_interview(con, interview)
        except iv.InvalidInterview as exc:
            problems = exc.problems
        except iv.RecordChanged:
            # Stored, so the reruns show what changed and offer the ways out.
            now_stored = iv.load_interview(con, editing_id)
            st.session_state[CONFLICT] = "deleted" if now_stored is None else now_stored.revision
            st.rerun()
        except (StoreError, duckdb.Error) as exc:
            summary_slot.error(
                f"Nothing was saved: {ui.plain(exc)} Everything you typed is still here.", icon=":material/error:"
            )
        else:
            rated = sum(q.rating is not None for q in saved.questions)
            ui.flash(
                f"Saved your {saved.stage} interview with {ui.plain(saved.company)}: "
                f"{ui.count(len(saved.questions), 'question')}, {rated} rated."
            )
            if editing_id is not None:
                st.session_state.pop(LOADED, None)
                st.session_state.pop(CONFLICT, None)
                st.switch_page("pages/interviews.py", query_params={"id": str(saved.id)})
            st.session_state["log_form_nonce"] = nonce + 1
            st.rerun()
    if problems:
        for field, slot in problem_slots.items():
            with slot.container():
                ui.show_problems(problems, field)
        summary_slot.error(
            f"Nothing was saved: fix the {ui.count(len(problems), 'problem')} marked above. "
            "Everything you typed is still here.",
            icon=":material/error:",
        )


def conflict_choice(conflict) -> str | None:
    """Say what happened in another window and offer the ways out; return the one chosen."""
    if conflict == "deleted":
        st.error(
            "This interview was deleted in another window. Everything you typed is still here: "
            "save it as a new interview, or leave this page to let it go.",
            icon=":material/delete:",
        )
        return "new" if st.button("Save as a new interview", icon=":material/add:", key="log_save_new") else None
    st.error(
        "Not saved: this interview was changed in another window since you opened it. "
        "Everything you typed is still here. What is stored now differs from what you opened in:",
        icon=":material/sync_problem:",
    )
    lines = [f"• {c.field}: you opened “{c.loaded}”, stored now “{c.stored}”" for c in iv.changes(loaded, stored)]
    # Two saves at the same instant: the other one may not have landed, leaving nothing to list.
    st.text("\n".join(lines) or "• No field differs now: the other save did not land. Save mine over it to keep yours.")
    with st.container(horizontal=True):
        if st.button("Reload the stored version", icon=":material/refresh:", key="log_reload"):
            return "reload"
        if st.button("Save mine over it", icon=":material/save:", key="log_save_over"):
            return "mine"
    return None


save_clicked = st.button("Save changes" if loaded else "Save interview", type="primary", icon=":material/save:")
conflict = st.session_state.get(CONFLICT)
if loaded and stored is None:
    conflict = st.session_state[CONFLICT] = "deleted"
choice = conflict_choice(conflict) if conflict is not None else None
if choice == "reload":
    for widget in [k for k in st.session_state if str(k).startswith(key(""))]:
        del st.session_state[widget]
    st.session_state.pop(LOADED, None)
    st.session_state.pop(CONFLICT, None)
    st.rerun()
elif choice == "mine":
    save(*typed(editing_id, conflict))
elif choice == "new":
    save(*typed(None, None))
elif save_clicked:
    save(*typed(loaded.id if loaded else None, loaded.revision if loaded else None))
