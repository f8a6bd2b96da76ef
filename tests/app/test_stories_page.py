"""The Stories page under AppTest: the story bank's form, its record, the matrix and who heard what."""

from __future__ import annotations

import datetime as dt

from analysis import demo
from analysis import interviews as iv
from analysis import stories as bank


def _stories(app):
    app.switch_page("pages/stories.py").run()
    assert not app.exception, app.exception
    return app


def _save(app):
    next(b for b in app.button if b.label == "Save story").click().run()
    assert not app.exception, app.exception
    return app


def _fill(app, title: str, action: str = "", competencies=()):
    app.text_input(key="story_title").input(title)
    app.text_area(key="story_action").input(action)
    app.multiselect(key="story_competencies").set_value(list(competencies))
    return app


def test_stories_page_on_an_empty_database_invites_the_first_story(app):
    _stories(app)
    assert "No stories yet: write the first one above." in [c.value for c in app.caption]
    assert app.selectbox(key="story_choice").value == 0  # a new story


def test_writing_a_story_saves_it_with_its_own_competencies(app, con):
    _stories(app)
    _fill(app, "Kafka migration", "Moved 40 topics without downtime", ["technical", "Leadership "])
    _save(app)
    assert app.success[0].value.replace("\\", "") == "Saved “Kafka migration”."
    [saved] = bank.list_stories(con).itertuples()
    story = bank.load_story(con, saved.id)
    assert story.action == "Moved 40 topics without downtime"
    assert story.competencies == ["leadership", "technical"]
    assert app.selectbox(key="story_choice").value == saved.id  # the form now holds the saved story
    assert list(app.dataframe[0].value["title"]) == ["Kafka migration"]


def test_a_story_without_a_title_is_refused_with_the_reason(app, con):
    _stories(app)
    _fill(app, "   ", "Something I did")
    _save(app)
    assert any("Give the story a short title" in e.value for e in app.error)
    assert bank.list_stories(con).empty
    assert app.text_area(key="story_action").value == "Something I did"


def test_a_save_over_a_story_changed_elsewhere_is_refused_and_the_text_stays(app, con):
    story = bank.save_story(con, bank.Story("Kafka migration", action="First draft"))
    _stories(app)
    app.selectbox(key="story_choice").select(story.id).run()
    assert app.text_area(key="story_action").value == "First draft"
    bank.save_story(con, bank.Story("Kafka migration", action="Changed in another window", id=story.id, revision=1))
    app.text_area(key="story_action").input("My careful rewrite")
    _save(app)
    assert any("changed or deleted in another window" in e.value for e in app.error)
    assert app.text_area(key="story_action").value == "My careful rewrite"
    assert bank.load_story(con, story.id).action == "Changed in another window"


def test_editing_a_story_twice_in_a_row_works(app, con):
    story = bank.save_story(con, bank.Story("Kafka migration"))
    _stories(app)
    app.selectbox(key="story_choice").select(story.id).run()
    app.text_area(key="story_result").input("Lag down from hours to seconds")
    _save(app)
    app.text_area(key="story_task").input("Keep every consumer running")
    _save(app)
    assert not app.error
    saved = bank.load_story(con, story.id)
    assert (saved.task, saved.result, saved.revision) == (
        "Keep every consumer running",
        "Lag down from hours to seconds",
        3,
    )


def test_deleting_a_story_takes_it_off_the_page(app, con):
    story = bank.save_story(con, bank.Story("Kafka migration"))
    _stories(app)
    app.selectbox(key="story_choice").select(story.id).run()
    app.button(key="story_delete").click().run()
    assert not app.exception
    assert bank.load_story(con, story.id) is None
    assert app.selectbox(key="story_choice").value == 0
    assert app.text_input(key="story_title").value == ""


def test_the_record_matrix_and_who_heard_it_on_a_small_history(app, con):
    interview = iv.save_interview(
        con,
        iv.Interview(
            company="Northwind",
            interview_date=dt.date(2026, 3, 12),
            stage="technical",
            outcome="advanced",
            interviewers=[iv.Interviewer("Ana Ruiz")],
            questions=[iv.Question("Tell me about a migration", "technical", 4)],
        ),
    )
    kafka = bank.save_story(con, bank.Story("Kafka migration", competencies=["technical", "leadership"]))
    bank.save_story(con, bank.Story("Hiring loop", competencies=["leadership"]))
    bank.link_answer(con, interview.questions[0].id, kafka.id)
    _stories(app)
    record, matrix, heard = (d.value for d in app.dataframe)
    kafka_row = record.set_index("title").loc["Kafka migration"]
    assert (kafka_row["uses"], kafka_row["mean_rating"], kafka_row["pass_rate"]) == (1, 4.0, 1.0)
    assert matrix.loc["Kafka migration"].tolist() == ["✓", "✓"]
    assert matrix.loc["Hiring loop", "technical"] == ""
    assert heard[["title", "company", "interviewer"]].values.tolist() == [["Kafka migration", "Northwind", "Ana Ruiz"]]


def test_the_stories_page_on_demo_data(app, con):
    demo.generate(con, interviews=150)
    _stories(app)
    record, matrix, heard = (d.value for d in app.dataframe)
    assert len(record) >= 5 and record["uses"].sum() > 0
    assert not matrix.empty and not heard.empty
    assert not heard["interviewer"].isna().any()  # "not noted", never "None"
