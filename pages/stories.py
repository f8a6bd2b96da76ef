"""Stories: the story bank. Write the stories you tell, tag their competencies, and see how each one
went and who has already heard it.

Saving and deleting run as button callbacks, before the page is drawn, so the
story picker can move to the saved story. The form remembers the story and
revision it loaded in ``LOADED`` (session state, not a widget key): a save
over a story changed in another window since is refused, and the typed text
stays in the form.
"""

import streamlit as st

import ui
from analysis import stories as bank
from analysis.store import StoreError

NEW = 0  # the picker's value for "a new story"
LOADED = "story_loaded"  # (story id or None, revision or None) of what the form holds
OUTCOME = "story_outcome"  # what the last save or delete said: ("problems", [...]) or ("conflict", text)
PICKER = "story_choice"
FIELDS = {"title": "story_title", **{part: f"story_{part}" for part in bank.STORY_PARTS}}
TAGS = "story_competencies"
PART_HELP = {
    "situation": "Where and when: the context in a sentence or two.",
    "task": "What you had to do, and why it was hard.",
    "action": "What you did yourself: the heart of the story.",
    "result": "What came of it, in numbers if you can.",
}

con = ui.cursor()
st.title("Stories")
st.caption(
    "The stories you tell in interviews, in situation, task, action and result. Tag each with the "
    "competencies it shows; link answers to stories when you log an interview, and see here how each "
    "story went and who has already heard it."
)


def _fill_form(story: bank.Story | None) -> None:
    """Put ``story`` (None: an empty new one) in the form, and remember which revision it was."""
    for field, key in FIELDS.items():
        st.session_state[key] = (getattr(story, field) or "") if story else ""
    st.session_state[TAGS] = list(story.competencies) if story else []
    st.session_state[LOADED] = (story.id, story.revision) if story else (None, None)


def _save() -> None:
    story_id, revision = st.session_state.get(LOADED, (None, None))
    typed = bank.Story(
        title=st.session_state.get(FIELDS["title"], ""),
        competencies=list(st.session_state.get(TAGS, [])),
        id=story_id,
        revision=revision,
        **{part: st.session_state.get(FIELDS[part]) for part in bank.STORY_PARTS},
    )
    try:
        saved = bank.save_story(ui.callback_cursor(), typed)
    except bank.InvalidStory as exc:
        st.session_state[OUTCOME] = ("problems", exc.problems)
        return
    except StoreError as exc:  # changed in another window, or a full disk: the form keeps what was typed
        st.session_state[OUTCOME] = ("conflict", str(exc))
        return
    st.session_state[LOADED] = (saved.id, saved.revision)
    st.session_state[PICKER] = saved.id
    st.session_state[OUTCOME] = ("saved", saved.title)


@ui.guarded
def _delete() -> None:
    story_id, _ = st.session_state.get(LOADED, (None, None))
    if story_id is not None and bank.delete_story(ui.callback_cursor(), story_id):
        st.session_state[OUTCOME] = ("deleted", st.session_state.get(FIELDS["title"], ""))
    st.session_state[PICKER] = NEW
    _fill_form(None)


record = bank.list_stories(con)
titles = dict(zip(record["id"].astype(int), record["title"], strict=True))
if st.session_state.get(PICKER) not in (NEW, *titles):
    st.session_state[PICKER] = NEW  # deleted in another window
choice = st.selectbox(
    "Story",
    [NEW, *titles],
    format_func=lambda i: "New story…" if i == NEW else titles[i],
    key=PICKER,
    help="Pick a story to edit it, or write a new one.",
)
if LOADED not in st.session_state or (choice or None) != st.session_state[LOADED][0]:
    _fill_form(bank.load_story(con, choice) if choice else None)
loaded_id = st.session_state[LOADED][0]

kind, detail = st.session_state.pop(OUTCOME, (None, None))
if kind == "saved":
    st.success(f"Saved “{ui.literal(detail)}”.", icon=":material/check_circle:")
elif kind == "deleted":
    st.success(f"Deleted “{ui.literal(detail)}”.", icon=":material/delete:")
elif kind == "conflict":
    st.error(ui.literal(detail), icon=":material/sync_problem:")

known_tags = sorted({tag for tags in record["competencies"] for tag in tags} | set(st.session_state.get(TAGS, [])))
with st.form("story_form", border=True):
    st.text_input("Title", key=FIELDS["title"], max_chars=bank.TITLE_LIMIT, placeholder="Kafka migration")
    if kind == "problems":
        ui.show_problems(detail, "title")
    for part in bank.STORY_PARTS:
        st.text_area(ui.literal(part.capitalize()), key=FIELDS[part], height=90, help=PART_HELP[part])
    st.multiselect(
        "Competencies",
        known_tags,
        key=TAGS,
        accept_new_options=True,
        placeholder="Pick or type a competency, e.g. technical or leadership",
        help="Your own tags. A story tagged like a question category (behavioral, technical…) is "
        "suggested in the brief when that category is weak.",
    )
    with st.container(horizontal=True):
        st.form_submit_button("Save story", type="primary", icon=":material/save:", on_click=_save)
if loaded_id is not None and choice:
    with st.popover("Delete this story", icon=":material/delete:"):
        st.write("The story goes, with its links to your answers. The answers stay.")
        st.button("Delete it", key="story_delete", type="primary", on_click=_delete)

st.subheader("How each story went")
if record.empty:
    st.caption("No stories yet: write the first one above.")
else:
    st.dataframe(
        record.assign(competencies=record["competencies"].map(", ".join)),
        hide_index=True,
        column_order=("title", "competencies", "uses", "companies", "mean_rating", "pass_rate", "last_used"),
        column_config={
            "title": st.column_config.TextColumn("Story", width="medium"),
            "competencies": "Competencies",
            "uses": st.column_config.NumberColumn("Told", help="Answers linked to the story"),
            "companies": st.column_config.NumberColumn("Companies"),
            "mean_rating": st.column_config.NumberColumn(
                "Mean rating", format="%.1f", help="Your mean rating of the answers that told it"
            ),
            "pass_rate": st.column_config.NumberColumn(
                "Pass rate", format="percent", help="Share of the decided rounds it was told in that you advanced from"
            ),
            "last_used": st.column_config.DateColumn("Last told", format="YYYY-MM-DD"),
        },
    )

    st.subheader("Stories by competency")
    matrix = bank.competency_matrix(con)
    if matrix.empty:
        st.caption("No story has a competency yet: tag them in the form above.")
    else:
        st.dataframe(matrix.map(lambda tagged: "✓" if tagged else ""), width="stretch")

    st.subheader("Who has heard which story")
    heard = bank.who_heard(con)
    if heard.empty:
        st.caption("No answer is linked to a story yet: link them when you log an interview.")
    else:
        st.dataframe(
            heard.fillna({"interviewer": "not noted"}),
            hide_index=True,
            column_order=("title", "company", "interviewer", "stage", "last_heard", "rounds"),
            column_config={
                "title": "Story",
                "company": "Company",
                "interviewer": "Interviewer",
                "stage": "Last round",
                "last_heard": st.column_config.DateColumn("Last heard", format="YYYY-MM-DD"),
                "rounds": st.column_config.NumberColumn("Rounds"),
            },
        )
