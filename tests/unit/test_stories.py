"""The story bank: saving stories, linking answers, their record, who heard them, warnings and suggestions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from analysis import brief, demo, stories, text
from analysis import interviews as iv


def _round(con, company, day, outcome, questions, people=(), stage="technical"):
    return iv.save_interview(
        con,
        iv.Interview(
            company=company,
            interview_date=day,
            stage=stage,
            outcome=outcome,
            interviewers=[iv.Interviewer(p) for p in people],
            questions=questions,
        ),
    )


@pytest.fixture
def bank(con):
    """'Kafka migration' told at Northwind (rated 4, advanced) and Contoso (rated 2, rejected); two more stories."""
    kafka = stories.save_story(
        con, stories.Story("Kafka migration", action="Moved 40 topics", competencies=["Technical"])
    )
    mentor = stories.save_story(con, stories.Story("Mentoring Sam", competencies=["behavioral", "leadership"]))
    stories.save_story(con, stories.Story("Quarter-end deadline", competencies=["situational"]))
    north = _round(
        con,
        "Northwind",
        dt.date(2026, 3, 12),
        "advanced",
        [iv.Question("Design a pipeline", "technical", 4), iv.Question("Tell me about yourself", "behavioral", 3)],
        people=["Ana Ruiz", "Ben Ode"],
    )
    contoso = _round(
        con, "Contoso", dt.date(2026, 4, 2), "rejected", [iv.Question("A hard migration?", "technical", 2)]
    )
    stories.link_answer(con, north.questions[0].id, kafka.id)
    stories.link_answer(con, north.questions[0].id, kafka.id)  # twice: still one link
    stories.link_answer(con, contoso.questions[0].id, kafka.id)
    stories.link_answer(con, north.questions[1].id, mentor.id)
    return con, kafka, mentor, north


def test_a_story_round_trips_with_tidy_competencies(con):
    saved = stories.save_story(
        con,
        stories.Story("  Kafka   migration ", situation=" Old queue ", competencies=["Technical", " technical", ""]),
    )
    loaded = stories.load_story(con, saved.id)
    assert loaded == saved
    assert (loaded.title, loaded.situation, loaded.competencies, loaded.revision) == (
        "Kafka migration",
        "Old queue",
        ["technical"],
        1,
    )


def test_a_story_needs_a_title(con):
    with pytest.raises(stories.InvalidStory, match="title"):
        stories.save_story(con, stories.Story("   "))


def test_saving_a_stale_story_changes_nothing(con):
    saved = stories.save_story(con, stories.Story("Kafka migration", competencies=["technical"]))
    stories.save_story(con, dataclasses.replace(saved, title="Kafka move"))
    with pytest.raises(iv.RecordChanged):
        stories.save_story(con, dataclasses.replace(saved, title="Stale", competencies=["other"]))
    assert stories.load_story(con, saved.id).title == "Kafka move"
    assert stories.load_story(con, saved.id).competencies == ["technical"]


def test_deleting_a_story_takes_its_tags_and_links(bank):
    con, kafka, _, north = bank
    assert stories.delete_story(con, kafka.id)
    assert stories.load_story(con, kafka.id) is None
    assert stories.stories_of_answer(con, north.questions[0].id) == []
    assert con.execute("SELECT count(*) FROM story_competencies WHERE story_id = ?", [kafka.id]).fetchone()[0] == 0


def test_linking_a_deleted_answer_is_refused(bank):
    con, kafka, _, north = bank
    iv.delete_interview(con, north.id)
    with pytest.raises(iv.RecordChanged):
        stories.link_answer(con, north.questions[0].id, kafka.id)


def test_unlinking_an_answer(bank):
    con, kafka, _, north = bank
    stories.unlink_answer(con, north.questions[0].id, kafka.id)
    assert stories.stories_of_answer(con, north.questions[0].id) == []


def test_each_story_has_its_mean_rating_and_pass_rate_when_used(bank):
    con, *_ = bank
    listed = stories.list_stories(con).set_index("title")
    kafka = listed.loc["Kafka migration"]
    assert (kafka["uses"], kafka["companies"], kafka["mean_rating"]) == (2, 2, 3.0)
    assert (kafka["decided_rounds"], kafka["passed_rounds"], kafka["pass_rate"]) == (2, 1, 0.5)
    assert listed.loc["Quarter-end deadline", "uses"] == 0
    assert listed.loc["Quarter-end deadline", "pass_rate"] != listed.loc["Quarter-end deadline", "pass_rate"]  # nan


def test_story_titles_are_the_listed_stories_by_id_in_the_same_order(bank):
    con, kafka, *_ = bank
    listed = stories.list_stories(con)
    titles = stories.story_titles(con)
    assert list(titles.items()) == list(zip(listed["id"], listed["title"], strict=True))
    assert titles[kafka.id] == "Kafka migration" and len(titles) == 3


def test_matrix_of_stories_by_competencies(bank):
    matrix = stories.competency_matrix(bank[0])
    assert list(matrix.columns) == ["behavioral", "leadership", "situational", "technical"]
    assert matrix.loc["Mentoring Sam"].tolist() == [True, True, False, False]
    assert matrix.loc["Kafka migration", "technical"]


def test_who_heard_lists_each_interviewer_and_company(bank):
    heard = stories.who_heard(bank[0])
    kafka = heard[heard["title"] == "Kafka migration"]
    assert sorted(zip(kafka["company"], kafka["interviewer"].fillna("-"), strict=True)) == [
        ("Contoso", "-"),
        ("Northwind", "Ana Ruiz"),
        ("Northwind", "Ben Ode"),
    ]


def test_warning_before_a_round_names_who_heard_which_story(bank):
    con, _, _, _ = bank
    coming = _round(con, "northwind", dt.date(2026, 5, 4), "pending", [], people=["Ben Ode"], stage="final")
    warnings = stories.heard_warnings(con, "Northwind", interview_id=coming.id)
    texts = [w.text for w in warnings]
    assert texts[0] == "Ben Ode at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)"
    assert warnings[0].meeting_again and not warnings[-1].meeting_again
    assert "Ana Ruiz at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)" in texts
    assert not stories.heard_warnings(con, "Northwind", before=dt.date(2026, 3, 11))


def test_suggestions_pick_the_best_story_for_each_weak_category(bank):
    con, *_ = bank
    found = {s.category: s for s in stories.suggestions(con, ["technical", "behavioral", "salary/logistics"])}
    assert set(found) == {"technical", "behavioral"}  # no story fits salary
    assert (found["technical"].title, found["technical"].mean_rating, found["technical"].uses) == (
        "Kafka migration",
        3.0,
        2,
    )
    assert found["behavioral"].text == "behavioral: tell 'Mentoring Sam' (mean 3.0 over 1 answer)"
    at_northwind = stories.suggestions(con, ["technical"], company="Northwind")
    assert at_northwind[0].heard_here and "already told here" in at_northwind[0].text


def test_the_brief_warns_and_suggests(bank):
    con, *_ = bank
    built = brief.build(con, "Northwind", today=dt.date(2026, 5, 1))
    warning = "Ana Ruiz at Northwind already heard 'Kafka migration' (technical, 12 Mar 2026)"
    assert warning in [w.text for w in built.heard]
    assert [s.title for s in built.suggested if s.category == "technical"] == ["Kafka migration"]
    markdown = brief.to_markdown(built)  # user text in it is escaped, as everywhere in the brief
    assert "## Stories they have already heard" in markdown and text.markdown_literal(warning) in markdown
    assert text.markdown_literal("tell 'Kafka migration'") in markdown


def test_demo_stories_are_reused_across_companies(con):
    demo.generate(con, interviews=400, today=dt.date(2026, 6, 1))
    listed = stories.list_stories(con)
    assert len(listed) >= 6 and (listed["companies"] >= 3).sum() >= 4
    assert listed["pass_rate"].notna().all()
    assert not stories.who_heard(con).empty


def test_a_title_already_in_the_bank_is_refused_whatever_its_case_and_the_story_keeps_its_own(con):
    kafka = stories.save_story(con, stories.Story("Kafka migration", action="Moved 40 topics"))
    with pytest.raises(stories.InvalidStory) as refused:
        stories.save_story(con, stories.Story("  KAFKA   migration ", action="Another one"))
    (problem,) = refused.value.problems
    assert problem.field == "title" and "You already have a story called “Kafka migration”" in problem.text
    assert stories.list_stories(con)["title"].tolist() == ["Kafka migration"]  # nothing written
    renamed = stories.save_story(con, dataclasses.replace(kafka, title="kafka Migration", result="Done"))
    assert renamed.title == "kafka Migration"  # a story may keep, or re-case, its own title
    other = stories.save_story(con, stories.Story("Hiring loop"))
    with pytest.raises(stories.InvalidStory):
        stories.save_story(con, dataclasses.replace(other, title="Kafka migration"))
