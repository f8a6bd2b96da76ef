"""Saving, loading, listing and deleting interviews on a real DuckDB file."""

import dataclasses
import datetime as dt

import pytest

from analysis import followups, practice, schema, sql, store, stories
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


def test_interview_and_question_dataclasses_carry_exactly_the_schema_columns():
    bookkeeping = {"interviewers", "questions", "id", "revision"}
    interview_fields = [f.name for f in dataclasses.fields(iv.Interview) if f.name not in bookkeeping]
    question_fields = [f.name for f in dataclasses.fields(iv.Question) if f.name != "id"]
    assert sorted(interview_fields) == sorted(schema.INTERVIEW_COLUMNS)
    assert question_fields == list(schema.QUESTION_COLUMNS)


def _rows_of_interview(con, interview_id: int, question_ids: list[int]) -> dict[str, int]:
    """How many rows of each interview-owned table still point at the interview or its questions."""
    counts = {}
    for owned in schema.INTERVIEW_OWNED:
        ids = question_ids if owned.via_question else [interview_id]
        statement = sql.render(
            "SELECT count(*) FROM {table} WHERE list_contains(?, {column})", table=owned.table, column=owned.column
        )
        counts[owned.table] = con.execute(statement, [ids]).fetchone()[0]
    return counts


def test_delete_leaves_no_row_of_the_interview_behind(con, sample_interview):
    keep = iv.save_interview(con, dataclasses.replace(sample_interview, company="Keep"))
    gone = iv.save_interview(con, sample_interview)
    for saved in (keep, gone):
        followups.save_followup(con, saved.id, followups.FollowUp(contact="Ana Ruiz", feedback="Kind words"))
        followups.tick(con, saved.id, "review")
        story = stories.save_story(con, stories.Story(f"Kafka migration at {saved.company}"))
        stories.link_answer(con, saved.questions[0].id, story.id)
    practice.sync(con)
    gone_questions = [q.id for q in gone.questions]
    before = _rows_of_interview(con, gone.id, gone_questions)
    assert all(before.values()), f"every owned table should hold rows of the interview first: {before}"

    assert iv.delete_interview(con, gone.id) is True

    assert _rows_of_interview(con, gone.id, gone_questions) == dict.fromkeys(before, 0)
    assert _rows_of_interview(con, keep.id, [q.id for q in keep.questions]) == before
    assert con.execute("SELECT count(*) FROM interviews WHERE id = ?", [gone.id]).fetchone()[0] == 0


def test_a_question_removed_by_an_edit_takes_its_practice_rows_with_it(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    practice.sync(con)
    weak = next(q for q in saved.questions if q.rating == 2)
    seen = "SELECT count(*) FROM practice_seen WHERE question_id = ?"
    assert con.execute(seen, [weak.id]).fetchone()[0] == 1
    iv.save_interview(con, dataclasses.replace(saved, questions=[q for q in saved.questions if q.id != weak.id]))
    assert con.execute(seen, [weak.id]).fetchone()[0] == 0


def test_every_table_pointing_at_an_interview_or_question_is_owned_or_declared_not_owning(db_path):
    con = store.connect(db_path).cursor()
    pointing = set(
        con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main' "
            "AND column_name IN ('interview_id', 'question_id')"
        ).fetchall()
    )
    owned = {(o.table, o.column) for o in schema.INTERVIEW_OWNED}
    assert pointing, "the query should find the tables that point at interviews"
    assert pointing - owned - schema.NOT_OWNING == set(), (
        "a table points at interviews or questions but is neither in schema.INTERVIEW_OWNED nor schema.NOT_OWNING"
    )
    assert owned <= pointing, "schema.INTERVIEW_OWNED names a column the database does not have"
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    assert tables == set(schema.ALL_TABLES)


def test_changes_lists_each_field_another_window_changed_literally(con, sample_interview):
    loaded = iv.save_interview(con, sample_interview)
    other = iv.load_interview(con, loaded.id)
    other.company = "Northwind *Ltd*"
    other.culture_notes = None
    other.interviewers = other.interviewers[:1]
    other.questions[1].rating = 4
    other.questions = [*other.questions[:2], iv.Question("Why [us](http://x)?")]
    stored = iv.save_interview(con, other)
    found = {c.field: (c.loaded, c.stored) for c in iv.changes(loaded, stored)}
    assert found["Company"] == ("Northwind", "Northwind *Ltd*")
    assert found["Culture notes"] == ("Remote-first, async", "(empty)")
    assert found["Interviewers"] == ("Ana Ruiz (Engineering Manager); Ben Ode", "Ana Ruiz (Engineering Manager)")
    assert found["Question 2 (rating)"] == ("2", "4")
    assert found["Question 3 (added)"] == ("(none)", "Why [us](http://x)?")
    assert found["Question (removed)"] == (loaded.questions[2].question, "(none)")
    assert len(found) == 6
    assert iv.changes(stored, iv.load_interview(con, loaded.id)) == []
