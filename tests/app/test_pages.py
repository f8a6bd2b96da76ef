"""The pages under AppTest, on real DuckDB files."""

import datetime as dt

from analysis import interviews as iv
from analysis import store
from analysis.text import markdown_literal


def _open(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def _log_form_key(name, nonce=0):
    return f"log_new{nonce}_{name}"


def _log_edit_key(interview_id, name=""):
    return f"log_edit{interview_id}_{name}"


def _click(app, label, index=0):
    [b for b in app.button if b.label == label][index].click().run()
    assert not app.exception, app.exception
    return app


def test_every_page_runs_on_an_empty_database(app):
    assert not app.exception
    assert app.title[0].value == "Debrief"
    for page in ("pages/log.py", "pages/interviews.py", "pages/home.py"):
        _open(app, page)


def test_home_offers_three_ways_in_on_an_empty_database(app):
    headings = [h.value for h in app.subheader]
    assert headings == ["Log your first interview", "Import past notes", "Explore demo data"]
    assert any(b.label == "Open the demo" for b in app.button)


def test_sidebar_names_the_database_in_use(app, db_path):
    assert markdown_literal(db_path) in app.sidebar.caption[0].value


def _fill_card(app, card, question, rating=None, *, category=None, reaction=None, better=None, key=_log_form_key):
    """Type one question card of the Log page (card numbers count from 0)."""
    app.text_area(key=key(f"q{card}_question")).input(question)
    if rating is not None:
        app.segmented_control(key=key(f"q{card}_rating")).set_value(rating)
    if category is not None:
        app.pills(key=key(f"q{card}_category")).set_value(category)
    if reaction is not None:
        app.pills(key=key(f"q{card}_reaction")).set_value(reaction)
    if better is not None:
        app.text_area(key=key(f"q{card}_better_answer")).input(better)
    app.run()
    assert not app.exception, app.exception


def test_logging_an_interview_stores_it_and_opens_its_checklist(app, db_path):
    _open(app, "pages/log.py")
    app.text_input(key=_log_form_key("company")).input("Northwind")
    app.text_input(key=_log_form_key("role")).input("Data Engineer")
    app.selectbox(key=_log_form_key("stage")).select("technical")
    _fill_card(app, 0, "Design a rate limiter", 2, category="technical", better="Token bucket")
    _click(app, "Add the next question")
    _fill_card(app, 1, "Tell me about yourself", 4, category="behavioral", reaction="positive")
    app.text_input(key=_log_form_key("p0_name")).input("Ana Ruiz")
    app.text_input(key=_log_form_key("p0_title")).input("Engineering Manager").run()
    _click(app, "Save interview")
    assert app.success[0].value.startswith("Saved your technical interview with Northwind: 2 questions, 2 rated")
    # Saving opens the interview's follow-up checklist.
    assert app.query_params["id"] == "1"
    assert app.title[-1].value == "Follow-ups" and app.selectbox(key="fu_interview").value == 1

    con = store.connect(db_path).cursor()
    stored = iv.load_interview(con, 1)
    assert (stored.company, stored.role, stored.stage, stored.interview_date) == (
        "Northwind",
        "Data Engineer",
        "technical",
        dt.date.today(),
    )
    assert [(q.question, q.category, q.rating, q.reaction, q.better_answer) for q in stored.questions] == [
        ("Design a rate limiter", "technical", 2, None, "Token bucket"),
        ("Tell me about yourself", "behavioral", 4, "positive", None),
    ]
    assert stored.interviewers == [iv.Interviewer("Ana Ruiz", "Engineering Manager")]

    # The form is fresh for the next interview.
    app.query_params.clear()
    _open(app, "pages/log.py")
    assert app.text_input(key=_log_form_key("company", nonce=1)).value == ""
    _open(app, "pages/interviews.py")
    listing = app.dataframe[0].value
    assert list(listing["company"]) == ["Northwind"]
    assert list(listing["questions"]) == [2]


def test_invalid_input_shows_the_problem_and_writes_nothing(app, db_path):
    _open(app, "pages/log.py")
    _fill_card(app, 0, "Why us?", 3)
    _click(app, "Add the next question")
    app.segmented_control(key=_log_form_key("q1_rating")).set_value(2)
    app.text_area(key=_log_form_key("q1_notes")).input("forgot the question").run()
    _click(app, "Save interview")
    errors = [e.value for e in app.error]
    # Problems are shown literally (ui.literal), so the page's Markdown holds their escaped form.
    assert markdown_literal("Company is required: which company was the interview with?") in errors
    assert any(e.startswith(markdown_literal("Row 2: this row has a rating but no question")) for e in errors)
    assert any(e.startswith("Nothing was saved: fix the 2 problems") for e in errors)
    # What the user typed is still there, and nothing was written.
    assert app.text_area(key=_log_form_key("q0_question")).value == "Why us?"
    assert iv.counts(store.connect(db_path).cursor())["interviews"] == 0


def test_interviews_page_opens_edits_and_deletes(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    _open(app, "pages/interviews.py")
    assert list(app.dataframe[0].value["company"]) == ["Northwind"]
    # Opening by id (as the Log page does after an edit) shows the whole interview.
    app.query_params["id"] = str(saved.id)
    app.run()
    assert any("Northwind" in s.value for s in app.subheader)
    questions_shown = app.dataframe[1].value
    assert list(questions_shown["Question"]) == [q.question for q in sample_interview.questions]
    assert list(questions_shown["Rating"]) == ["4 – good", "2 – weak", "3 – okay"]

    next(b for b in app.button if b.label == "Delete…").click().run()
    next(b for b in app.button if b.label == "Delete").click().run()
    assert not app.exception
    assert iv.load_interview(con, saved.id) is None
    assert app.success[0].value.startswith("Deleted the interview with Northwind")


def test_interviews_filter_narrows_the_list(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    iv.save_interview(con, sample_interview)
    other = iv.Interview(company="Contoso", interview_date=dt.date(2026, 10, 1), stage="final", outcome="offer")
    iv.save_interview(con, other)
    _open(app, "pages/interviews.py")
    assert len(app.dataframe[0].value) == 2
    app.multiselect(key="list_outcomes").select("offer").run()
    assert list(app.dataframe[0].value["company"]) == ["Contoso"]
    app.multiselect(key="list_outcomes").unselect("offer").run()
    app.multiselect(key="list_stages").select("technical").run()
    assert list(app.dataframe[0].value["company"]) == ["Northwind"]


def test_editing_an_interview_saves_changes(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    app.query_params["id"] = str(saved.id)
    _open(app, "pages/log.py")
    key = _log_edit_key(saved.id)
    assert app.text_input(key=key + "company").value == "Northwind"
    app.selectbox(key=key + "outcome").select("advanced")
    app.segmented_control(key=key + "q1_rating").set_value(3).run()
    _click(app, "Remove", index=2)
    next(b for b in app.button if b.label == "Save changes").click().run()
    assert not app.exception
    stored = iv.load_interview(con, saved.id)
    assert stored.outcome == "advanced"
    assert [(q.question, q.rating) for q in stored.questions] == [
        ("Tell me about yourself", 4),
        ("Design a rate limiter", 3),
    ]
    assert [q.id for q in stored.questions] == [q.id for q in saved.questions[:2]]


def test_pages_count_in_the_same_words_as_analysis():
    import ui
    from analysis import text

    assert ui.count is text.count
    assert ui.count(1, "reply") == "1 reply" and ui.count(2_048, "reply") == "2,048 replies"


def test_a_save_against_a_newer_revision_is_refused_with_the_typed_text_kept(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    app.query_params["id"] = str(saved.id)
    _open(app, "pages/log.py")
    app.text_area(key=_log_edit_key(saved.id, "culture_notes")).input("Dogs in the office").run()
    # Another window renames the company and saves first.
    iv.save_interview(con, iv.Interview(**{**vars(iv.load_interview(con, saved.id)), "company": "Northwind *Ltd*"}))
    _click(app, "Save changes")
    assert any("changed in another window" in e.value for e in app.error)
    assert "• Company: you opened “Northwind”, stored now “Northwind *Ltd*”" in [t.value for t in app.text]
    assert app.text_area(key=_log_edit_key(saved.id, "culture_notes")).value == "Dogs in the office"
    assert iv.load_interview(con, saved.id).culture_notes == "Remote-first, async"  # nothing written
    # Saving again is refused again until the user chooses.
    _click(app, "Save changes")
    assert iv.load_interview(con, saved.id).culture_notes == "Remote-first, async"
    _click(app, "Save mine over it")
    stored = iv.load_interview(con, saved.id)
    assert (stored.company, stored.culture_notes) == ("Northwind", "Dogs in the office")
    assert [q.id for q in stored.questions] == [q.id for q in saved.questions]


def test_reloading_the_stored_version_after_a_refused_save(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    app.query_params["id"] = str(saved.id)
    _open(app, "pages/log.py")
    app.text_input(key=_log_edit_key(saved.id, "role")).input("My typed role").run()
    iv.save_interview(con, iv.Interview(**{**vars(iv.load_interview(con, saved.id)), "company": "Northwind Ltd"}))
    _click(app, "Save changes")
    _click(app, "Reload the stored version")
    assert app.text_input(key=_log_edit_key(saved.id, "company")).value == "Northwind Ltd"
    assert app.text_input(key=_log_edit_key(saved.id, "role")).value == "Data Engineer"
    assert not any("another window" in e.value for e in app.error)
    app.text_input(key=_log_edit_key(saved.id, "role")).input("Lead").run()
    _click(app, "Save changes")
    assert (iv.load_interview(con, saved.id).company, iv.load_interview(con, saved.id).role) == (
        "Northwind Ltd",
        "Lead",
    )


def test_a_save_after_a_delete_elsewhere_keeps_the_text_and_saves_as_new(app, db_path, sample_interview):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(con, sample_interview)
    app.query_params["id"] = str(saved.id)
    _open(app, "pages/log.py")
    app.text_area(key=_log_edit_key(saved.id, "culture_notes")).input("Dogs in the office").run()
    iv.delete_interview(con, saved.id)  # in another window
    _click(app, "Save changes")
    assert any("deleted in another window" in e.value for e in app.error)
    assert app.text_area(key=_log_edit_key(saved.id, "culture_notes")).value == "Dogs in the office"
    assert app.text_input(key=_log_edit_key(saved.id, "company")).value == "Northwind"
    assert iv.counts(con)["interviews"] == 0
    _click(app, "Save as a new interview")
    (new_id,) = iv.list_interviews(con)["id"]
    stored = iv.load_interview(con, int(new_id))
    assert (stored.company, stored.culture_notes) == ("Northwind", "Dogs in the office")
    assert [q.question for q in stored.questions] == [q.question for q in sample_interview.questions]


def test_empty_cells_read_empty_not_none(app, db_path):
    con = store.connect(db_path).cursor()
    saved = iv.save_interview(
        con, iv.Interview(company="Acme", interview_date=dt.date(2026, 11, 2), questions=[iv.Question("Why us?")])
    )
    app.query_params["id"] = str(saved.id)
    _open(app, "pages/interviews.py")
    listing, questions = app.dataframe[0].value, app.dataframe[1].value
    assert list(listing["role"]) == [""] and list(listing["format"]) == [""]
    assert questions.iloc[0]["Reaction"] == "" and questions.iloc[0]["Better answer"] == ""


def test_tables_show_missing_text_empty_and_keep_times_sendable():
    import pandas as pd
    import pyarrow as pa

    import ui

    frame = pd.DataFrame(
        {"company": ["Acme", None], "time": [dt.time(9, 30), None], "rating": [4, None]},
    ).astype({"company": object, "time": object})
    shown = ui.without_none(frame)
    assert list(shown["company"]) == ["Acme", ""]
    # A column of times keeps its missing value missing: "" among times could not be sent as Arrow.
    assert shown["time"].iloc[0] == dt.time(9, 30) and shown["time"].isna().iloc[1]
    pa.Table.from_pandas(shown)
