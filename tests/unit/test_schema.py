"""The schema's rules: one "same question" key in Python and SQL alike, one weak-answer rule, fields derived once."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import schema


@pytest.fixture(scope="module")
def memory():
    con = duckdb.connect(":memory:")
    yield con
    con.close()


def _sql_key(con, text: str | None) -> str:
    return con.execute("SELECT " + schema.question_key_sql("?"), [text]).fetchone()[0]


# Characters this Python's Unicode database knows: a letter from a later Unicode
# version is a letter to DuckDB's regular expressions but not yet to Python.
_KNOWN_CHARACTERS = st.characters(exclude_categories=("Cs", "Cn"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(_KNOWN_CHARACTERS))
@example(text="Tell me about yourself.")
@example(text="  Why_this   company?!  ")
@example(text="Ünïcödé — naïve café, 2nd round")
@example(text="İstanbul ΣΊΣΥΦΟΣ straße")
@example(text="x²  ⅻ ١٢٣")
@example(text="e\u0301 combining")
@example(text="tab\there\nnewline\r\n")
@example(text="")
def test_question_key_in_python_and_sql_agree(memory, text):
    assert schema.question_key(text) == _sql_key(memory, text)


def test_question_key_of_nothing_is_empty_in_python_and_sql(memory):
    assert schema.question_key(None) == _sql_key(memory, None) == ""


@pytest.mark.parametrize(
    "variant",
    [
        "Tell me about yourself.",
        "tell me about yourself",
        "TELL ME ABOUT YOURSELF?",
        "  Tell me   about\tyourself!  ",
        "Tell me about... yourself",
        "Tell_me_about_yourself",
        "Tell me, about yourself -",
    ],
)
def test_case_punctuation_and_spacing_variants_share_a_key(memory, variant):
    assert schema.question_key(variant) == "tell me about yourself"
    assert _sql_key(memory, variant) == "tell me about yourself"


def test_different_questions_keep_different_keys():
    assert schema.question_key("Why us?") != schema.question_key("Why not us?")
    assert schema.question_key("Design a cache") != schema.question_key("Design a queue")


@pytest.mark.parametrize("rating", [None, 1, 2, 3, 4, 5, 2.0, 2.5, float("nan")])
def test_is_weak_and_weak_sql_agree(memory, rating):
    in_sql = memory.execute("SELECT coalesce(" + schema.weak_sql("?::DOUBLE") + ", false)", [rating]).fetchone()[0]
    assert schema.is_weak(rating) == in_sql


def test_weak_is_two_or_lower():
    assert [r for r in range(1, 6) if schema.is_weak(r)] == [1, 2]
    assert not schema.is_weak(None)


def test_field_lists_are_derived_from_the_fields():
    assert schema.FIELD_NAMES == schema.INTERVIEW_FIELD_NAMES + schema.QUESTION_FIELD_NAMES
    assert set(schema.REQUIRED) == {"date", "company"}
    assert "interviewers" in schema.INTERVIEW_FIELD_NAMES and "interviewers" not in schema.INTERVIEW_COLUMNS
    assert schema.INTERVIEW_COLUMNS[0] == "interview_date"
    assert schema.QUESTION_COLUMNS == (
        "question",
        "category",
        "rating",
        "reaction",
        "clarify",
        "better_answer",
        "notes",
    )
    assert {"notes", "better_answer", "role_notes"} <= schema.KEEP_WHITESPACE
    assert "company" not in schema.KEEP_WHITESPACE


def test_all_tables_put_parents_before_the_rows_that_point_at_them():
    order = {table: i for i, table in enumerate(schema.ALL_TABLES)}
    assert len(order) == len(schema.ALL_TABLES), "a table is listed twice"
    for owned in schema.INTERVIEW_OWNED:
        parent = "questions" if owned.via_question else "interviews"
        if owned.table != parent:
            assert order[parent] < order[owned.table]
    assert order["practice_cards"] < order["practice_reviews"]


def test_delete_owned_sql_deletes_only_the_listed_interviews_rows(memory):
    memory.execute("CREATE TABLE questions (id INTEGER, interview_id INTEGER)")
    memory.execute("CREATE TABLE followups (interview_id INTEGER)")
    memory.execute("CREATE TABLE practice_seen (question_id INTEGER)")
    memory.execute("INSERT INTO questions VALUES (10, 1), (20, 2)")
    memory.execute("INSERT INTO followups VALUES (1), (2)")
    memory.execute("INSERT INTO practice_seen VALUES (10), (20)")
    by_table = {o.table: o for o in schema.INTERVIEW_OWNED}
    for table in ("practice_seen", "followups"):
        memory.execute(schema.delete_owned_sql(by_table[table]), {"ids": [1]})
    assert memory.execute("SELECT * FROM followups").fetchall() == [(2,)]
    assert memory.execute("SELECT * FROM practice_seen").fetchall() == [(20,)]
