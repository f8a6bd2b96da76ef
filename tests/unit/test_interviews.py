"""Saving, loading, listing and deleting interviews on a real DuckDB file."""

import dataclasses
import datetime as dt

import pytest

from analysis import interviews as iv


def test_save_then_load_gives_back_every_field(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    loaded = iv.load_interview(con, saved.id)
    assert loaded == saved
    assert [q.question for q in loaded.questions] == [
        "Tell me about yourself",
        "Design a rate limiter",
        "Why Northwind?",
    ]
    assert loaded.interviewers == [iv.Interviewer("Ana Ruiz", "Engineering Manager"), iv.Interviewer("Ben Ode", None)]
    assert loaded.questions[1].clarify == "Send the token-bucket sketch"
    assert loaded.interview_time == dt.time(14, 30)


def test_edit_keeps_question_ids_and_order(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    first, second, third = saved.questions
    edited = dataclasses.replace(
        saved,
        questions=[
            dataclasses.replace(third, rating=5),
            first,
            iv.Question("What salary do you expect?", "salary/logistics", 2),
        ],
    )
    resaved = iv.save_interview(con, edited)
    loaded = iv.load_interview(con, saved.id)
    assert [q.id for q in loaded.questions[:2]] == [third.id, first.id]
    assert loaded.questions[0].rating == 5
    assert loaded.questions[2].id not in {first.id, second.id, third.id}
    assert con.execute("SELECT count(*) FROM questions WHERE id = ?", [second.id]).fetchone()[0] == 0
    assert loaded.revision == resaved.revision == saved.revision + 1


def test_stale_edit_is_refused_and_writes_nothing(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    iv.save_interview(con, dataclasses.replace(saved, role="Senior Data Engineer"))
    with pytest.raises(iv.RecordChanged, match="changed or deleted in another window"):
        iv.save_interview(con, dataclasses.replace(saved, role="Stale edit", questions=[]))
    loaded = iv.load_interview(con, saved.id)
    assert loaded.role == "Senior Data Engineer"
    assert len(loaded.questions) == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company": "  "}, "company"),
        ({"interview_date": None}, "date"),
        ({"stage": "lunch"}, "stage"),
        ({"outcome": "maybe"}, "outcome"),
        ({"decided_on": dt.date(2020, 1, 1)}, "decided_on"),
    ],
)
def test_invalid_interview_is_refused_and_nothing_is_written(con, sample_interview, change, field):
    with pytest.raises(iv.InvalidInterview) as caught:
        iv.save_interview(con, dataclasses.replace(sample_interview, **change))
    assert [p.field for p in caught.value.problems] == [field]
    assert iv.counts(con) == {"interviews": 0, "pending": 0, "questions": 0}


def test_failure_half_way_through_a_save_rolls_everything_back(con, sample_interview, monkeypatch):
    # Skip validation so the CHECK constraint refuses the third question's
    # rating, after the interview row, its people and two questions were written.
    monkeypatch.setattr(iv, "validate", lambda interview, categories=None: [])
    bad = dataclasses.replace(sample_interview, questions=[*sample_interview.questions[:2], iv.Question("Q", rating=9)])
    with pytest.raises(Exception, match="(?i)constraint"):
        iv.save_interview(con, bad)
    assert iv.counts(con) == {"interviews": 0, "pending": 0, "questions": 0}
    assert con.execute("SELECT count(*) FROM interviewers").fetchone()[0] == 0


def test_rows_from_the_editor_become_questions_and_problems():
    rows = [
        {"question": "Tell me about a conflict", "category": "behavioral", "rating": 2, "reaction": "neutral"},
        {"question": None, "category": None, "rating": None},  # left blank: skipped
        {"question": "", "rating": 4},
        {"question": "Why now?", "rating": 7.0},
        {"question": "Strengths?", "rating": float("nan"), "notes": "  "},
    ]
    questions, problems, row_numbers = iv.questions_from_rows(rows)
    assert [q.question for q in questions] == ["Tell me about a conflict", "Why now?", "Strengths?"]
    assert row_numbers == [1, 4, 5]
    assert questions[0].rating == 2 and questions[2].rating is None and questions[2].notes is None
    assert [(p.row, p.field) for p in problems] == [(3, "questions"), (4, "questions")]
    assert "no question" in problems[0].message and "1 to 5" in problems[1].message
    assert problems[0].text.startswith("Row 3:")


def test_validate_names_the_row_the_question_was_entered_on():
    interview = iv.Interview(
        company="X", interview_date=dt.date(2026, 1, 1), questions=[iv.Question("Q", reaction="delighted")]
    )
    (problem,) = iv.validate(interview, question_rows=[3])
    assert (problem.row, problem.field) == (3, "questions")
    assert problem.text == "Row 3: reaction must be one of: positive, neutral, negative, unsure."


def test_interviewer_rows_need_a_name():
    people, problems = iv.interviewers_from_rows([{"name": "Ana", "title": "CTO"}, {"name": None, "title": "HR"}, {}])
    assert people == [iv.Interviewer("Ana", "CTO")]
    assert [(p.row, p.field) for p in problems] == [(2, "interviewers")]


def test_unknown_category_is_refused_until_added(con, sample_interview):
    interview = dataclasses.replace(sample_interview, questions=[iv.Question("Estimate piano tuners", "estimation", 3)])
    with pytest.raises(iv.InvalidInterview, match="unknown"):
        iv.save_interview(con, interview)
    assert iv.add_category(con, "  Estimation ") == "estimation"
    assert iv.categories(con)[-1] == "estimation"
    assert iv.save_interview(con, interview).questions[0].category == "estimation"


def test_list_filters_by_company_stage_outcome_and_dates(con, sample_interview):
    base = sample_interview
    iv.save_interview(con, base)
    iv.save_interview(con, dataclasses.replace(base, company="Contoso", stage="final", outcome="offer", questions=[]))
    iv.save_interview(
        con, dataclasses.replace(base, interview_date=dt.date(2025, 6, 1), outcome="rejected", questions=[])
    )
    everything = iv.list_interviews(con)
    # Newest first; on the same day and time, the later-logged first.
    assert list(everything["company"]) == ["Contoso", "Northwind", "Northwind"]
    assert list(everything["questions"]) == [0, 3, 0]
    assert list(iv.list_interviews(con, iv.InterviewFilter(companies=("Contoso",)))["stage"]) == ["final"]
    assert list(iv.list_interviews(con, iv.InterviewFilter(outcomes=("rejected",)))["date"].astype(str)) == [
        "2025-06-01"
    ]
    assert len(iv.list_interviews(con, iv.InterviewFilter(stages=("technical",), start=dt.date(2026, 1, 1)))) == 1
    assert len(iv.list_interviews(con, iv.InterviewFilter(end=dt.date(2025, 12, 31)))) == 1
    assert len(iv.list_interviews(con, limit=2)) == 2
    assert iv.companies(con) == ["Contoso", "Northwind"]
    assert iv.date_span(con) == (dt.date(2025, 6, 1), dt.date(2026, 11, 20))


def test_list_reports_question_count_mean_rating_and_weak_answers(con, sample_interview):
    iv.save_interview(con, sample_interview)
    row = iv.list_interviews(con).iloc[0]
    assert (row["questions"], row["avg_rating"], row["weak_answers"]) == (3, 3.0, 1)


def test_delete_removes_interview_people_and_questions(con, sample_interview):
    keep = iv.save_interview(con, dataclasses.replace(sample_interview, company="Keep"))
    gone = iv.save_interview(con, sample_interview)
    assert iv.delete_interview(con, gone.id) is True
    assert iv.load_interview(con, gone.id) is None
    assert iv.delete_interview(con, gone.id) is False
    assert iv.counts(con) == {"interviews": 1, "pending": 1, "questions": 3}
    assert con.execute("SELECT count(*) FROM interviewers WHERE interview_id = ?", [gone.id]).fetchone()[0] == 0
    assert iv.load_interview(con, keep.id).company == "Keep"


def test_hostile_text_is_stored_exactly(con, sample_interview):
    odd = "<script>alert(1)</script> '; DROP TABLE interviews; -- =SUM(A1) \u202eRTL 𝔘𝔫𝔦 😀 \x00nul"
    saved = iv.save_interview(con, dataclasses.replace(sample_interview, company=odd.strip(), role_notes=odd))
    loaded = iv.load_interview(con, saved.id)
    assert loaded.role_notes == odd
    assert loaded.company == odd.strip()
