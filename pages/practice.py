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
due = practice.due_cards(con, now)
cards = practice.all_cards(con)

with st.sidebar.expander("Practice settings"):
    new_threshold = st.slider(
        "Make cards from answers rated at most", 1, 5, practice.threshold(con), key="practice_threshold"
    )
    if new_threshold != practice.threshold(con):
        practice.set_threshold(con, new_threshold)
        practice.sync(con)
        st.rerun()

left, middle, right = st.columns(3)
left.metric("Due now", len(due))
middle.metric("Cards", len(cards))
right.metric("Stubborn weak spots", sum(c.stubborn for c in cards))

if not cards:
    st.info(
        "No cards yet. When you rate an answer 3 or less on the Log page, it becomes a card here.",
        icon=":material/style:",
    )
    st.stop()

if not due:
    soonest = min(cards, key=lambda c: c.due)
    st.success(
        f"Nothing due. The next card is due {soonest.due.astimezone(tz):%a %d %b, %H:%M}.",
        icon=":material/celebration:",
    )
else:
    card = due[0]
    with st.container(border=True):
        st.caption(f"{card.category or 'uncategorised'} · reviewed {card.reviews}× · Again {card.agains}×")
        if card.stubborn:
            st.warning(
                "A stubborn weak spot: rewrite the better answer before you practise it again.",
                icon=":material/warning:",
            )
        st.subheader(ui.plain(card.question))
        revealed = st.session_state.get("practice_revealed") == card.id
        if not revealed:
            if st.button("Reveal my better answer", icon=":material/visibility:", type="primary"):
                st.session_state["practice_revealed"] = card.id
                st.rerun()
        else:
            st.markdown("**Your better answer**")
            st.text(card.better_answer or "No better answer drafted yet: write one on the Log page.")
            st.write("How did your answer go?")
            with st.container(horizontal=True):
                for grade, label, icon in (
                    ("again", "Again", ":material/replay:"),
                    ("hard", "Hard", ":material/sentiment_dissatisfied:"),
                    ("good", "Good", ":material/sentiment_satisfied:"),
                    ("easy", "Easy", ":material/bolt:"),
                ):
                    if st.button(label, key=f"practice_{grade}", icon=icon):
                        graded = practice.grade(con, card.id, grade)
                        st.session_state.pop("practice_revealed", None)
                        ui.flash(f"Graded {label}. Next due {graded.due.astimezone(tz):%a %d %b, %H:%M}.")
                        st.rerun()

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
chosen = st.selectbox(
    "History of a card", [c.id for c in cards], format_func={c.id: c.question for c in cards}.get, key="practice_card"
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
