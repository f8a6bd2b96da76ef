"""Practice: weak answers as flashcards, scheduled by FSRS."""

import datetime as dt

import streamlit as st

import ui
from analysis import followups, practice, store

con = ui.cursor()
st.title("Practice")
st.caption(
    "Every answer you rated at or below the threshold becomes a card. Read the question, answer it aloud, "
    "reveal your better answer, then grade yourself honestly: the scheduler brings the card back when you "
    "are about to forget it."
)

# Fold new real answers into the cards once per change of the data.
version = store.data_version(con)
if st.session_state.get("practice_synced") != (str(ui.database_path()), version):
    practice.sync(con)
    st.session_state["practice_synced"] = (str(ui.database_path()), store.data_version(con))

now = dt.datetime.now(dt.UTC)
tz = followups.load_settings(con).zone  # the same clock as the Follow-ups page
cards = practice.all_cards(con)

with st.sidebar.expander("Practice settings"):
    new_threshold = st.slider(
        "Make cards from answers rated at most", 1, 5, practice.threshold(con), key="practice_threshold"
    )
    if new_threshold != practice.threshold(con):
        practice.set_threshold(con, new_threshold)
        practice.sync(con)
        st.rerun()

if not cards:
    st.info(
        "No cards yet. When you rate an answer 3 or less on the Log page, it becomes a card here.",
        icon=":material/style:",
    )
    st.stop()

GRADE_BUTTONS = (
    ("again", "Again", ":material/replay:", "1"),
    ("hard", "Hard", ":material/sentiment_dissatisfied:", "2"),
    ("good", "Good", ":material/sentiment_satisfied:", "3"),
    ("easy", "Easy", ":material/bolt:", "4"),
)
GRADE_LABELS = {grade: label for grade, label, _, _ in GRADE_BUTTONS}
GRADE_KEYS = {grade: key for grade, _, _, key in GRADE_BUTTONS}


# The better answer as the card showed it when its text area was filled, per card: a save is
# checked against it, so another window's change is never overwritten unseen.
ANSWER_CONFLICT = "practice_answer_conflict"


def answer_keys(card_id: int) -> tuple[str, str]:
    """The text area's key and the key of the better answer it was filled from."""
    return f"practice_better_{card_id}", f"practice_better_loaded_{card_id}"


@ui.guarded
def save_better_answer(card_id: int, over_theirs: bool = False, theirs: str | None = None) -> None:
    """Save the typed better answer if nobody changed it since it was shown (or, ``over_theirs``, since
    the user saw ``theirs``, the other window's version)."""
    widget, loaded = answer_keys(card_id)
    typed = st.session_state[widget]
    against = theirs if over_theirs else st.session_state.get(loaded)
    try:
        practice.set_better_answer(ui.callback_cursor(), card_id, typed, loaded=against)
    except practice.BetterAnswerChanged as exc:
        st.session_state[ANSWER_CONFLICT] = (card_id, exc.stored, str(exc))  # the typed text stays
        return
    st.session_state[loaded] = typed
    st.session_state.pop(ANSWER_CONFLICT, None)
    st.session_state["practice_saved_answer"] = card_id


def take_theirs(card_id: int, stored: str | None) -> None:
    """Show the other window's better answer in the text area (a callback: before the widget is drawn)."""
    widget, loaded = answer_keys(card_id)
    st.session_state[widget] = stored or ""
    st.session_state[loaded] = stored
    st.session_state.pop(ANSWER_CONFLICT, None)


def reveal(card_id: int) -> None:
    st.session_state["practice_revealed"] = card_id


@ui.guarded
def grade_card(card_id: int, grade: int) -> None:
    """A grade, stored before the run the click starts: that one run shows the next card."""
    graded = practice.grade(ui.callback_cursor(), card_id, grade)
    st.session_state.pop("practice_revealed", None)
    st.session_state["practice_graded"] = (grade, graded.due)


def grade_buttons(cursor, card: practice.PracticeCard) -> None:
    """The four grades, each saying when the card comes back (1–4 on the keyboard)."""
    intervals = practice.next_intervals(cursor, card.id)
    st.write("How did your answer go?")
    with st.container(horizontal=True):
        for grade, _, icon, key in GRADE_BUTTONS:
            when = practice.interval_words(intervals[grade])
            st.button(
                f"{GRADE_LABELS[grade]} · {ui.literal(when)}",
                key=f"practice_{grade}",
                icon=icon,
                shortcut=key,
                help=f"Press {GRADE_KEYS[grade]}: the card comes back in {ui.literal(when)}",
                on_click=grade_card,
                args=(card.id, grade),
            )


def the_card(cursor, card: practice.PracticeCard) -> None:
    """The due card: its question, then (revealed) the better answer to edit, then the grades."""
    with st.container(border=True, key="practice_card_box"):
        # The same counts as the card's history below: every grade, from practice and interviews.
        st.caption(
            f"{ui.literal(card.category or 'uncategorised')} · graded {card.reviews:,}× · Again {card.again_grades:,}×"
        )
        if card.stubborn:
            st.warning(
                "A stubborn weak spot: rewrite the better answer before you practise it again.",
                icon=":material/warning:",
            )
        st.subheader(ui.literal(card.question))
        if st.session_state.get("practice_revealed") != card.id:
            st.button(
                "Reveal my better answer",
                icon=":material/visibility:",
                type="primary",
                shortcut="Space",
                help="Press Space",
                on_click=reveal,
                args=(card.id,),
            )
            return
        answer_key, loaded_key = answer_keys(card.id)
        if answer_key not in st.session_state:
            st.session_state[answer_key] = card.better_answer or ""
            st.session_state[loaded_key] = card.better_answer
        st.text_area(
            "Your better answer",
            key=answer_key,
            height=160,
            placeholder="No better answer drafted yet: write it here, then say it aloud.",
        )
        st.button(
            "Save better answer",
            icon=":material/save:",
            key=f"practice_save_{card.id}",
            on_click=save_better_answer,
            args=(card.id,),
        )
        conflict = st.session_state.get(ANSWER_CONFLICT)
        if conflict and conflict[0] == card.id:
            _, stored, message = conflict
            st.warning(ui.literal(message), icon=":material/sync_problem:")
            st.caption("The other version:")
            st.text(stored or "(no better answer)")
            with st.container(horizontal=True):
                st.button(
                    "Save mine over it",
                    key="practice_save_over",
                    on_click=save_better_answer,
                    args=(card.id, True, stored),
                )
                st.button("Keep the other version", key="practice_take_theirs", on_click=take_theirs, args=conflict[:2])
        if st.session_state.pop("practice_saved_answer", None) == card.id:
            st.caption("Saved to the card and to your newest answer to this question.")
        grade_buttons(cursor, card)


@ui.fragment
def practise() -> None:
    """The counts and the due card. Reveal and grade rerun only this part: the progress
    table and a card's history below catch up at the next full run."""
    cursor = ui.cursor()
    now = dt.datetime.now(dt.UTC)
    due = practice.due_cards(cursor, now)
    every = practice.all_cards(cursor)
    left, middle, right = st.columns(3)
    left.metric("Due now", len(due))
    middle.metric("Cards", len(every))
    right.metric("Stubborn weak spots", sum(c.stubborn for c in every))
    graded = st.session_state.pop("practice_graded", None)
    if graded:
        st.success(f"Graded {GRADE_LABELS[graded[0]]}. Next due {graded[1].astimezone(tz):%a %d %b, %H:%M}.")
    if not due:
        soonest = min(every, key=lambda c: c.due)
        st.success(
            f"Nothing due. The next card is due {soonest.due.astimezone(tz):%a %d %b, %H:%M}.",
            icon=":material/celebration:",
        )
        return
    the_card(cursor, due[0])


practise()

st.subheader("Progress")
progress = practice.progress_by_category(con)
st.dataframe(
    progress,
    hide_index=True,
    column_config={
        "category": "Category",
        "cards": "Cards",
        "reviews": "Practice reviews",
        "share_good": st.column_config.ProgressColumn(
            "Graded Good or Easy", format="percent", min_value=0, max_value=1
        ),
        "due_now": "Due now",
        "stubborn": "Stubborn",
    },
)
# A question typed on several lines reads as one line in the picker, its words kept apart.
chosen = st.selectbox(
    "History of a card",
    [c.id for c in cards],
    format_func={c.id: " ".join(c.question.split()) for c in cards}.get,
    key="practice_card",
)
st.dataframe(
    practice.history(con, chosen),
    hide_index=True,
    column_config={
        "reviewed_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "source": "From",
        "grade": "Grade",
        "due_after": st.column_config.DatetimeColumn("Next due (UTC)", format="YYYY-MM-DD HH:mm"),
    },
)
