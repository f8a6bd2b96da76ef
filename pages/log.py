"""Log interview: the essentials, then one card per question, then the people and notes.

Built for a phone in a corridor: large buttons for the rating, chips for the
category and the reaction, a card per question (two columns on a wide screen).
Everything typed is kept as a draft in the database on every change
(``analysis.drafts``), so a reload, a closed tab or a navigation loses nothing.
With ``?id=N`` the same screen edits a stored interview.
"""

import dataclasses
import datetime as dt
import json

import duckdb
import streamlit as st

import ui
from analysis import drafts
from analysis import interviews as iv
from analysis import stories as story_bank
from analysis.store import StoreError
from analysis.vocab import FORMATS, OUTCOMES, RATING_LABELS, REACTIONS, STAGES

con = ui.cursor()
editing_id = ui.query_int("id")
# Widget keys carry a form token: a saved new interview gets a fresh, empty form.
# An edited one is keyed by its id alone, never its revision, so the rerun of a
# save keeps what the user typed even when another window saved meanwhile.
nonce = st.session_state.setdefault("log_form_nonce", 0)
token = f"edit{editing_id}" if editing_id is not None else f"new{nonce}"
LOADED, CONFLICT = f"log_loaded_{editing_id}", f"log_conflict_{editing_id}"

QUESTION_FIELDS = ("question", "category", "rating", "reaction", "clarify", "better_answer", "notes")
INTERVIEW_TEXT = ("company", "role", "recruiter", "role_notes", "company_notes", "people_notes", "culture_notes")
NOTES = {
    "role_notes": "The role",
    "company_notes": "The company",
    "people_notes": "The people you met",
    "culture_notes": "Office and culture",
}


def key(name: str) -> str:
    return f"log_{token}_{name}"


# The form's model, kept apart from the widgets: Streamlit forgets a widget's
# value when a run does not draw it (another page, a removed card), so every
# widget is seeded from here and the model is refreshed from the widgets at
# the end of each run.
MODEL = key("model")
DRAFT_KEY = key("draft_key")
DRAFT_SAVED = key("draft_saved")
REMOVED = key("removed")


def _now_to_five_minutes() -> dt.time:
    now = dt.datetime.now()
    return dt.time(now.hour, now.minute - now.minute % 5)


def model_of(interview: iv.Interview, stories: list[list[int]] | None = None, *, spare_card: bool) -> dict:
    """The form's model filled from ``interview``: its fields, its people and one card per question."""
    stories = stories or []
    cards = {
        number: {**{f: getattr(q, f) for f in QUESTION_FIELDS}, "id": q.id}
        | {"stories": list(stories[number]) if number < len(stories) else []}
        for number, q in enumerate(interview.questions)
    }
    if spare_card or not cards:
        cards[len(cards)] = {f: None for f in (*QUESTION_FIELDS, "id")} | {"stories": []}
    people = {number: {"name": p.name, "title": p.title} for number, p in enumerate(interview.interviewers)}
    if not people:
        people[0] = {"name": None, "title": None}
    fields = {f.name: getattr(interview, f.name) for f in dataclasses.fields(iv.Interview)}
    fields = {k: v for k, v in fields.items() if k not in ("interviewers", "questions", "id", "revision")}
    return {"fields": fields, "order": list(cards), "cards": cards, "people_order": list(people), "people": people}


def blank_interview() -> iv.Interview:
    return iv.Interview(company="", interview_date=dt.date.today(), interview_time=_now_to_five_minutes())


def reset_form() -> None:
    """Forget every widget and the model of this form (not the stored draft)."""
    for name in [k for k in st.session_state if str(k).startswith(key(""))]:
        del st.session_state[name]


def restore(draft: drafts.Draft) -> None:
    """Fill the form from ``draft`` and keep writing to it (a button's callback, so before any widget)."""
    reset_form()
    st.session_state[MODEL] = model_of(draft.interview, draft.stories, spare_card=False)
    st.session_state[DRAFT_KEY] = draft.key
    if draft.loaded is not None:
        st.session_state[LOADED] = draft.loaded
        st.session_state.pop(CONFLICT, None)


@ui.guarded
def discard(draft_key: str) -> None:
    drafts.discard_draft(ui.callback_cursor(), draft_key)
    ui.flash("Draft discarded.")


stored = loaded = None
if editing_id is not None:
    stored = iv.load_interview(con, editing_id)
    # The version the form was filled from, kept until it is saved or reloaded:
    # a save is checked against its revision. A form opened afresh takes the stored one.
    if MODEL not in st.session_state or LOADED not in st.session_state:
        st.session_state[LOADED] = stored
        st.session_state.pop(CONFLICT, None)
        st.session_state.pop(MODEL, None)
    loaded = st.session_state[LOADED]
    if loaded is None:
        st.error("That interview no longer exists. It may have been deleted in another window.")
        st.page_link("pages/interviews.py", label="Back to Interviews", icon=":material/list:")
        st.stop()

fresh = MODEL not in st.session_state
if fresh:
    st.session_state[MODEL] = model_of(loaded or blank_interview(), spare_card=loaded is None)
    st.session_state[DRAFT_KEY] = drafts.edit_key(editing_id) if loaded else drafts.new_key()
model = st.session_state[MODEL]

if loaded:
    st.title(f"Edit interview: {ui.literal(loaded.company)}")
    st.page_link("pages/interviews.py", label="Back to Interviews", icon=":material/arrow_back:")
else:
    st.title("Log interview")
    st.caption("Write it down while it is fresh. Everything you type is kept as a draft until you save.")


def offer_drafts() -> None:
    """Offer back the drafts this form could continue: this interview's, or the newest new-interview ones."""
    if loaded:
        draft = drafts.load_draft(con, drafts.edit_key(loaded.id))
        waiting = [draft] if draft and draft.interview != loaded else []
    else:
        waiting = drafts.new_drafts(con, limit=3, exclude=st.session_state[DRAFT_KEY])
    for draft in waiting:
        with st.container(border=True, key=f"log_offer_{draft.key.replace(':', '_')}"):
            with st.container(horizontal=True):
                st.button(
                    ui.literal(drafts.offer(draft)),
                    icon=":material/history:",
                    type="primary",
                    on_click=restore,
                    args=(draft,),
                    key=f"log_continue_{draft.key}",
                )
                st.button("Discard draft", on_click=discard, args=(draft.key,), key=f"log_discard_{draft.key}")


# Always the same slot, offers or not: when they go, the form below keeps its place on the page
# (Streamlit matches elements by position, and a shift leaves stale copies until the run ends).
with st.container(key="log_offers"):
    if not st.session_state.get(DRAFT_SAVED):
        offer_drafts()


def seed(name: str, value) -> str:
    """The widget key for ``name``, holding ``value`` unless the widget already has one."""
    full = key(name)
    if full not in st.session_state:
        st.session_state[full] = value
    return full


problem_slots = {}
fields = model["fields"]

st.subheader("The interview")
left, right = st.columns(2)
with left:
    st.text_input("Company", key=seed("company", fields["company"] or ""), placeholder="Required")
    problem_slots["company"] = st.empty()
with right:
    st.text_input("Role", key=seed("role", fields["role"] or ""))
left, middle, right = st.columns(3)
with left:
    st.selectbox("Stage", STAGES, key=seed("stage", fields["stage"]), help="Screens, technical rounds, finals…")
with middle:
    st.date_input(
        "Date", key=seed("date", fields["interview_date"]), format="YYYY-MM-DD", min_value=dt.date(1950, 1, 1)
    )
    problem_slots["date"] = st.empty()
with right:
    st.time_input("Time it began", key=seed("time", fields["interview_time"]), step=300)


def move(card: int, by: int) -> None:
    order = model["order"]
    at = order.index(card)
    to = max(0, min(len(order) - 1, at + by))
    order.insert(to, order.pop(at))


def remove(card: int) -> None:
    order = model["order"]
    st.session_state[REMOVED] = (order.index(card), card, model["cards"][card])
    order.remove(card)
    for field in (*QUESTION_FIELDS, "stories"):
        st.session_state.pop(key(f"q{card}_{field}"), None)


def undo_remove() -> None:
    at, card, values = st.session_state.pop(REMOVED)
    model["cards"][card] = values
    model["order"].insert(min(at, len(model["order"])), card)


def add_card() -> None:
    card = max(model["cards"], default=-1) + 1
    model["cards"][card] = {f: None for f in (*QUESTION_FIELDS, "id")} | {"stories": []}
    model["order"].append(card)
    st.session_state[FOCUS] = card  # the next run puts the cursor in its question


# Streamlit takes a typed value when the field loses focus (or on Enter, Ctrl+Enter in a text
# area). So that a draft is kept while the user is still typing, a pause of a second in a text
# field of this page hands its value over as that key would, focus and cursor staying put; the
# run that follows writes the draft. Debrief's own script, installed once per browser tab.
KEEP_WHILE_TYPING = """<script>
(() => {
  if (window.debriefKeepsWhileTyping) return;
  window.debriefKeepsWhileTyping = true;
  const timers = new WeakMap();
  const isText = (field) => field instanceof HTMLTextAreaElement
    || (field instanceof HTMLInputElement && field.type === "text" && !field.getAttribute("role"));
  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!isText(field) || !field.closest("[class*='st-key-log_']")) return;
    clearTimeout(timers.get(field));
    timers.set(field, setTimeout(() => {
      if (document.activeElement !== field) return;  // leaving the field handed it over already
      const area = field instanceof HTMLTextAreaElement;
      field.dispatchEvent(new KeyboardEvent("keydown", {
        key: "Enter", code: "Enter", keyCode: 13, which: 13,
        ctrlKey: area, metaKey: area, bubbles: true, cancelable: true,
      }));
    }, 1000));
  }, true);
})();
</script>"""
FOCUS = key("focus")
# Moves the cursor into the new card's question once the run has drawn it (a phone opens its
# keyboard there). Debrief's own script, with no user text in it: the selector is built from a
# widget key, letters, digits and _ only.
FOCUS_SCRIPT = """<script>
(() => {
  const selector = %s;
  let tries = 0;
  const focus = () => {
    const field = document.querySelector(selector);
    if (field) { field.focus(); field.scrollIntoView({block: "center"}); }
    else if (tries++ < 100) setTimeout(focus, 50);
  };
  focus();
})();
</script>"""


categories = iv.categories(con)
story_titles = story_bank.story_titles(con)


def question_card(card: int, number: int) -> None:
    """One question: its text, the rating as five buttons, chips, and the texts that open when wanted."""
    values = model["cards"][card]
    with st.container(border=True, key=f"log_card_{card}"):
        st.text_area(
            f"Question {number:d}",
            key=seed(f"q{card}_question", values["question"] or ""),
            height=68,
            placeholder="What were you asked?",
        )
        st.segmented_control(
            "How did your answer go? 1 missed it … 5 nailed it",
            list(RATING_LABELS),
            format_func=lambda rating: f"{rating:d}",
            key=seed(f"q{card}_rating", values["rating"]),
            width="stretch",
        )
        st.pills("Category", categories, format_func=ui.literal, key=seed(f"q{card}_category", values["category"]))
        st.pills("Their reaction", REACTIONS, key=seed(f"q{card}_reaction", values["reaction"]))
        extras = any(values[f] for f in ("clarify", "better_answer", "notes")) or values["stories"]
        with st.expander("Promise, better answer, notes", expanded=bool(extras)):
            st.text_area("I said I'd clarify…", key=seed(f"q{card}_clarify", values["clarify"] or ""))
            st.text_area("Better answer", key=seed(f"q{card}_better_answer", values["better_answer"] or ""))
            st.text_area("Notes", key=seed(f"q{card}_notes", values["notes"] or ""))
            if story_titles:
                st.multiselect(
                    "Story you told",
                    list(story_titles),
                    format_func=story_titles.get,
                    key=seed(f"q{card}_stories", [s for s in values["stories"] if s in story_titles]),
                )
        with st.container(horizontal=True):
            first, last = number == 1, number == len(model["order"])
            st.button(
                "Up",
                icon=":material/arrow_upward:",
                key=key(f"up{card}"),
                on_click=move,
                args=(card, -1),
                disabled=first,
            )
            st.button(
                "Down",
                icon=":material/arrow_downward:",
                key=key(f"down{card}"),
                on_click=move,
                args=(card, 1),
                disabled=last,
            )
            st.button("Remove", icon=":material/delete:", key=key(f"remove{card}"), on_click=remove, args=(card,))


st.subheader("Questions and answers")
order = model["order"]
for pair_start in range(0, len(order), 2):
    # A row of two cards: on a phone Streamlit stacks the columns, so cards keep their order.
    columns = st.columns(2)
    for offset, card in enumerate(order[pair_start : pair_start + 2]):
        with columns[offset]:
            question_card(card, pair_start + offset + 1)
problem_slots["questions"] = st.empty()
if FOCUS in st.session_state:
    target = json.dumps(f".st-key-{key(f'q{st.session_state.pop(FOCUS)}_question')} textarea")
    st.html(FOCUS_SCRIPT % target, unsafe_allow_javascript=True)
with st.container(horizontal=True):
    st.button("Add the next question", icon=":material/add:", on_click=add_card, key=key("add_card"))
    if REMOVED in st.session_state:
        gone = st.session_state[REMOVED][2]["question"] or "the empty question"
        st.button(
            f"Undo: bring back “{ui.literal(gone[:40])}”",
            icon=":material/undo:",
            on_click=undo_remove,
            key=key("undo"),
        )
with st.popover("Add a category", icon=":material/add:"):
    new_category = st.text_input("New category", key="log_new_category", max_chars=40)
    if st.button("Add category", key="log_add_category"):
        try:
            added = iv.add_category(con, new_category)
            ui.flash(f"Category “{ui.literal(added)}” added: pick it on any question.")
            st.rerun()
        except iv.InvalidInterview as exc:
            st.error(ui.literal(exc))

st.number_input(
    "How likely are you to advance? (%, optional)",
    min_value=0,
    max_value=100,
    step=5,
    key=seed("predicted_advance", fields["predicted_advance"]),
    placeholder="Your honest guess, 0 to 100",
    help="Compared later with what happened: the Dashboard shows how well you judge your own interviews.",
)


def add_person() -> None:
    person = max(model["people"], default=-1) + 1
    model["people"][person] = {"name": None, "title": None}
    model["people_order"].append(person)


def remove_person(person: int) -> None:
    model["people_order"].remove(person)
    for field in ("name", "title"):
        st.session_state.pop(key(f"p{person}_{field}"), None)


st.subheader("The people you met")
st.caption("Now or later: the thank-you drafts address each of them by name.")
for person in model["people_order"]:
    values = model["people"][person]
    with st.container(horizontal=True, vertical_alignment="bottom", key=f"log_person_{person}"):
        st.text_input("Name", key=seed(f"p{person}_name", values["name"] or ""))
        st.text_input("Title", key=seed(f"p{person}_title", values["title"] or ""))
        st.button(
            "", icon=":material/close:", key=key(f"drop{person}"), on_click=remove_person, args=(person,), help="Remove"
        )
problem_slots["interviewers"] = st.empty()
st.button("Add a person", icon=":material/person_add:", on_click=add_person, key=key("add_person"))

st.subheader("More about it")
left, middle, right = st.columns(3)
with left:
    st.selectbox("Format", FORMATS, key=seed("format", fields["format"]), placeholder="Video, phone or in person")
    st.text_input("Recruiter or agency", key=seed("recruiter", fields["recruiter"] or ""))
with middle:
    st.selectbox("Outcome", OUTCOMES, key=seed("outcome", fields["outcome"]))
with right:
    st.date_input(
        "Decided on", key=seed("decided_on", fields["decided_on"]), format="YYYY-MM-DD", min_value=dt.date(1950, 1, 1)
    )
    problem_slots["decided_on"] = st.empty()

st.subheader("Notes for next time")
left, right = st.columns(2)
for index, name in enumerate(NOTES):
    with (left, right)[index % 2]:
        st.text_area(NOTES[name], key=seed(name, fields[name] or ""))
st.text_area("Questions to ask next time", key=seed("questions_to_ask", fields["questions_to_ask"] or ""))

summary_slot = st.empty()


def refresh_model() -> None:
    """Copy every widget's value into the model, so it outlives the widgets."""
    state = st.session_state
    for name in (*INTERVIEW_TEXT, "stage", "format", "outcome", "decided_on", "questions_to_ask", "predicted_advance"):
        fields[name] = state.get(key(name))
    fields["interview_date"], fields["interview_time"] = state.get(key("date")), state.get(key("time"))
    for card in model["order"]:
        for field in (*QUESTION_FIELDS, "stories"):
            if key(f"q{card}_{field}") in state:
                model["cards"][card][field] = state[key(f"q{card}_{field}")]
    for person in model["people_order"]:
        for field in ("name", "title"):
            model["people"][person][field] = state.get(key(f"p{person}_{field}"))


def typed(interview_id: int | None, revision: int | None) -> tuple[iv.Interview, list, list[list[int]]]:
    """The interview as typed, to be saved as ``interview_id`` at ``revision``; its problems; its stories."""
    cards = [model["cards"][c] for c in model["order"]]
    question_list, problems, question_rows = iv.questions_from_rows(cards)
    kept = [cards[row - 1] for row in question_rows]
    people_list, people_problems = iv.interviewers_from_rows([model["people"][p] for p in model["people_order"]])
    problems += people_problems
    if interview_id is None:  # saved as a new interview: its questions are new too
        question_list = [dataclasses.replace(q, id=None) for q in question_list]
    prediction = fields["predicted_advance"]
    interview = iv.Interview(
        **{name: (fields[name] or "").strip() or None for name in ("role", "recruiter")},
        company=(fields["company"] or "").strip(),
        interview_date=fields["interview_date"],
        interview_time=fields["interview_time"],
        stage=fields["stage"] or "other",
        format=fields["format"],
        outcome=fields["outcome"] or "pending",
        decided_on=fields["decided_on"],
        **{name: fields[name] or None for name in NOTES},
        questions_to_ask=fields["questions_to_ask"] or None,
        predicted_advance=None if prediction is None else int(prediction),
        interviewers=people_list,
        questions=question_list,
        id=interview_id,
        revision=revision,
    )
    return interview, problems + iv.validate(interview, categories, question_rows), [c["stories"] for c in kept]


def link_stories(saved: iv.Interview, stories: list[list[int]]) -> None:
    """Link each saved answer to the stories chosen on its card (saved questions keep the cards' order)."""
    for question, chosen in zip(saved.questions, stories, strict=False):
        already = set(story_bank.stories_of_answer(con, question.id))
        for story_id in already - set(chosen):
            story_bank.unlink_answer(con, question.id, story_id)
        for story_id in [s for s in chosen if s not in already]:
            story_bank.link_answer(con, question.id, story_id)


def save(interview: iv.Interview, problems: list, stories: list[list[int]]) -> None:
    """Save what was typed, or say why not; a refused edit keeps every typed value on screen."""
    if not problems:
        try:
            saved = iv.save_interview(con, interview)
            link_stories(saved, stories)
        except iv.InvalidInterview as exc:
            problems = exc.problems
        except iv.RecordChanged:
            # Stored, so the reruns show what changed and offer the ways out.
            now_stored = iv.load_interview(con, editing_id)
            st.session_state[CONFLICT] = "deleted" if now_stored is None else now_stored.revision
            st.rerun()
        except (StoreError, duckdb.Error) as exc:
            summary_slot.error(
                f"Nothing was saved: {ui.literal(exc)} Everything you typed is still here.", icon=":material/error:"
            )
        else:
            drafts.discard_draft(con, st.session_state[DRAFT_KEY])
            # "Saved your interview with Acme" when no stage was picked, not "your other interview".
            stage = "" if saved.stage == "other" else f"{saved.stage} "
            asked, rated = len(saved.questions), sum(q.rating is not None for q in saved.questions)
            tally = f": {ui.count(asked, 'question')}, {rated:d} rated." if asked else "."
            ui.flash(f"Saved your {ui.literal(stage)}interview with {ui.literal(saved.company)}{tally}")
            reset_form()
            st.session_state.pop(LOADED, None)
            st.session_state.pop(CONFLICT, None)
            if editing_id is not None:
                st.switch_page("pages/interviews.py", query_params={"id": str(saved.id)})
            st.session_state["log_form_nonce"] = nonce + 1
            # The next step: this interview's follow-up checklist, its next due step in view.
            st.switch_page("pages/followups.py", query_params={"id": str(saved.id)})
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


def worth_keeping(interview: iv.Interview) -> bool:
    """Whether a form holds anything typed: a new form's date, time and stage alone are not a draft."""
    if loaded:
        return interview != loaded
    texts = (interview.company, interview.role, interview.recruiter, interview.questions_to_ask)
    notes = tuple(getattr(interview, name) for name in NOTES)
    return bool(any(texts + notes) or interview.questions or interview.interviewers or interview.predicted_advance)


def keep_draft() -> None:
    """Write the form to its draft when it changed since the last write: nothing typed is ever lost."""
    interview, _, stories = typed(loaded.id if loaded else None, loaded.revision if loaded else None)
    state = (interview, stories)
    if st.session_state.get(DRAFT_SAVED) == state:
        return
    if worth_keeping(interview):
        drafts.save_draft(con, st.session_state[DRAFT_KEY], interview, stories, loaded=loaded)
        st.session_state[DRAFT_SAVED] = state
    elif st.session_state.get(DRAFT_SAVED):
        drafts.discard_draft(con, st.session_state[DRAFT_KEY])
        st.session_state.pop(DRAFT_SAVED)


refresh_model()
keep_draft()
st.html(KEEP_WHILE_TYPING, unsafe_allow_javascript=True)
with st.container(horizontal=True):
    save_clicked = st.button("Save changes" if loaded else "Save interview", type="primary", icon=":material/save:")
    if st.session_state.get(DRAFT_SAVED) and st.button("Discard draft", icon=":material/delete:", key=key("discard")):
        drafts.discard_draft(con, st.session_state[DRAFT_KEY])
        reset_form()
        st.rerun()
if st.session_state.get(DRAFT_SAVED):
    st.caption(ui.literal(drafts.kept(st.session_state[DRAFT_SAVED][0])))
conflict = st.session_state.get(CONFLICT)
if loaded and stored is None:
    conflict = st.session_state[CONFLICT] = "deleted"
choice = conflict_choice(conflict) if conflict is not None else None
if choice == "reload":
    reset_form()
    st.session_state.pop(LOADED, None)
    st.session_state.pop(CONFLICT, None)
    st.rerun()
elif choice == "mine":
    save(*typed(editing_id, conflict))
elif choice == "new":
    save(*typed(None, None))
elif save_clicked:
    save(*typed(loaded.id if loaded else None, loaded.revision if loaded else None))
