"""The Log page's capture flow under AppTest: cards, the draft kept on every change, and its offer on return."""

import datetime as dt
import re

from streamlit.testing.v1 import AppTest

from analysis import drafts, store
from analysis import interviews as iv
from analysis import stories as story_bank
from analysis.text import markdown_literal


def _new(name, nonce=0):
    return f"log_new{nonce}_{name}"


def _open_log(app):
    app.switch_page("pages/log.py").run()
    assert not app.exception, app.exception
    return app


def _click(app, label, index=0):
    [b for b in app.button if b.label == label][index].click().run()
    assert not app.exception, app.exception


def _second_window(app):
    """A new browser session on the same server and database: what a reload or a new tab gets."""
    other = AppTest.from_file(app._script_path, default_timeout=60)
    other.run()
    return _open_log(other)


def test_every_change_is_kept_as_a_draft_and_offered_back_after_a_reload(app, db_path):
    _open_log(app)
    app.text_input(key=_new("company")).input("Acme").run()
    app.text_area(key=_new("q0_question")).input("Why us?").run()
    app.segmented_control(key=_new("q0_rating")).set_value(4).run()
    (draft,) = drafts.new_drafts(store.connect(db_path).cursor())
    assert draft.interview.company == "Acme"
    assert [(q.question, q.rating) for q in draft.interview.questions] == [("Why us?", 4)]
    assert markdown_literal("Kept as a draft: Acme, 1 question, 1 rated.") in [c.value for c in app.caption]

    reloaded = _second_window(app)
    offer = next(b for b in reloaded.button if b.label.startswith("Continue your debrief of Acme, started "))
    assert re.fullmatch(r"Continue your debrief of Acme, started \d\d\\?:\d\d", offer.label)
    offer.click().run()
    assert reloaded.text_input(key=_new("company")).value == "Acme"
    assert reloaded.text_area(key=_new("q0_question")).value == "Why us?"
    assert reloaded.segmented_control(key=_new("q0_rating")).value == 4


def test_a_draft_goes_only_when_saved_or_discarded(app, db_path):
    con = store.connect(db_path).cursor()
    _open_log(app)
    app.text_input(key=_new("company")).input("Acme").run()
    _click(app, "Save interview")
    assert drafts.new_drafts(con) == []
    app.query_params.clear()  # the sidebar's link to Log interview, not the checklist's ?id=
    _open_log(app)
    app.text_input(key=_new("company", nonce=1)).input("Globex").run()
    assert [d.interview.company for d in drafts.new_drafts(con)] == ["Globex"]
    _click(app, "Discard draft")
    assert drafts.new_drafts(con) == []
    assert app.text_input(key=_new("company", nonce=1)).value == ""


def test_cards_move_and_a_removed_card_comes_back_with_undo(app, db_path):
    _open_log(app)
    app.text_input(key=_new("company")).input("Acme").run()
    app.text_area(key=_new("q0_question")).input("First").run()
    _click(app, "Add the next question")
    app.text_area(key=_new("q1_question")).input("Second").run()
    _click(app, "Up", index=1)
    assert [a.value for a in app.text_area if a.label.startswith("Question ")] == ["Second", "First"]
    _click(app, "Remove", index=0)
    assert [a.value for a in app.text_area if a.label.startswith("Question ")] == ["First"]
    _click(app, "Undo: bring back “Second”")
    assert [a.value for a in app.text_area if a.label.startswith("Question ")] == ["Second", "First"]
    _click(app, "Save interview")
    assert [q.question for q in iv.load_interview(store.connect(db_path).cursor(), 1).questions] == ["Second", "First"]


def test_the_prediction_and_the_story_told_are_saved_with_the_interview(app, db_path):
    con = store.connect(db_path).cursor()
    story = story_bank.save_story(con, story_bank.Story("Kafka migration", competencies=["technical"]))
    _open_log(app)
    app.text_input(key=_new("company")).input("Northwind").run()
    app.text_area(key=_new("q0_question")).input("A hard migration?").run()
    app.multiselect(key=_new("q0_stories")).select(story.id).run()
    app.number_input(key=_new("predicted_advance")).set_value(70).run()
    _click(app, "Save interview")
    saved = iv.load_interview(con, 1)
    assert saved.predicted_advance == 70
    assert story_bank.stories_of_answer(con, saved.questions[0].id) == [story.id]


def test_an_unsaved_edit_is_offered_back_when_the_interview_is_opened_again(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    app.query_params["id"] = str(saved.id)
    _open_log(app)
    app.text_area(key=f"log_edit{saved.id}_culture_notes").input("Dogs in the office").run()
    other = AppTest.from_file(app._script_path, default_timeout=60)
    other.query_params["id"] = str(saved.id)
    other.run()
    _open_log(other)
    assert other.text_area(key=f"log_edit{saved.id}_culture_notes").value == "Remote-first, async"
    _click(other, next(b.label for b in other.button if b.label.startswith("Continue your changes")))
    assert other.text_area(key=f"log_edit{saved.id}_culture_notes").value == "Dogs in the office"
    _click(other, "Save changes")
    assert iv.load_interview(con, saved.id).culture_notes == "Dogs in the office"
    assert drafts.load_draft(con, drafts.edit_key(saved.id)) is None


def test_a_new_form_with_nothing_typed_writes_no_draft(app, db_path):
    _open_log(app)
    app.selectbox(key=_new("stage")).select("final").run()
    app.date_input(key=_new("date")).set_value(dt.date(2026, 11, 2)).run()
    assert drafts.new_drafts(store.connect(db_path).cursor()) == []
    assert not [
        c.value for c in app.caption if c.value.startswith("Kept as a draft")
    ]  # nothing stored, nothing claimed


def test_the_demo_lives_in_the_url_and_a_new_tab_on_it_stays_in_the_demo(app, db_path):
    _click(app, "Explore demo data")
    assert app.query_params["demo"] == "1"
    assert str(store.demo_path(db_path)) in app.sidebar.caption[0].value.replace("\\", "")
    # A page change keeps it in the URL.
    app.switch_page("pages/interviews.py").run()
    assert app.query_params["demo"] == "1"
    # A reload or a new tab is a new session on the same URL.
    other = AppTest.from_file(app._script_path, default_timeout=60)
    other.query_params["demo"] = "1"
    other.run()
    assert any(b.label == "Back to my data" for b in other.sidebar.button)
    _click(other, "Back to my data")
    assert "demo" not in other.query_params
    assert not any(b.label == "Back to my data" for b in other.sidebar.button)


def test_opening_an_interview_to_edit_writes_no_draft_until_something_changes(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    app.query_params["id"] = str(saved.id)
    _open_log(app)
    app.run()
    assert drafts.load_draft(con, drafts.edit_key(saved.id)) is None
    app.text_input(key=f"log_edit{saved.id}_role").input("Lead").run()
    assert drafts.load_draft(con, drafts.edit_key(saved.id)).interview.role == "Lead"
    # Typed back to what is stored: nothing left to keep.
    app.text_input(key=f"log_edit{saved.id}_role").input("Data Engineer").run()
    assert drafts.load_draft(con, drafts.edit_key(saved.id)) is None
