"""Importing the prediction ("chance to advance") and the story bank: its own file, and answers naming stories."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import export, importing, interviews, stories
from analysis.interviews import Interview, Question
from analysis.stories import Story

BANK_HEADER = "title,situation,task,action,result,competencies\n"


def _notes(rows: str, header: str = "date,company,question,chance to advance") -> bytes:
    return (header + "\n" + rows).encode()


def _bank(con) -> dict[str, tuple]:
    """Every stored story by title: its STAR parts and competencies."""
    found = {}
    for (story_id,) in con.execute("SELECT id FROM stories").fetchall():
        story = stories.load_story(con, story_id)
        found[story.title] = (*(getattr(story, p) for p in stories.STORY_PARTS), tuple(story.competencies))
    return found


def _links(con) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT q.question, s.title FROM question_stories l JOIN questions q ON q.id = l.question_id "
        "JOIN stories s ON s.id = l.story_id ORDER BY 1, 2"
    ).fetchall()


# --- the prediction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("70", 70), ("70%", 70), (" 5 % ", 5), ("70.0", 70), ("0", 0), ("100", 100), ("n/a", None), ("", None)],
)
def test_a_chance_to_advance_is_a_whole_number_from_0_to_100_with_or_without_percent(con, cell, stored):
    plan, result = importing.import_file(con, _notes(f"2026-03-05,Acme,Q,{cell}\n"), "notes.csv")
    assert plan.warning_records == [] and result.interviews_added == 1
    assert con.execute("SELECT predicted_advance FROM interviews").fetchone() == (stored,)


@pytest.mark.parametrize("cell", ["101", "0.7", "-5", "seventy", "70.5%"])
def test_anything_else_leaves_the_prediction_empty_with_a_warning(con, cell):
    plan, result = importing.import_file(con, _notes(f"2026-03-05,Acme,Q,{cell}\n"), "notes.csv")
    assert result.rows_imported == 1 and plan.rows_rejected == 0
    (warning,) = plan.warning_records
    assert warning["line"] == 2 and warning["column"] == "chance to advance" and cell in warning["message"]
    assert con.execute("SELECT predicted_advance FROM interviews").fetchone() == (None,)


@pytest.mark.parametrize(
    ("header", "mapped"),
    [
        ("predicted_advance", True),
        ("Chance to advance", True),
        ("Likelihood", True),
        ("Prediction", True),
        ("Confidence (%)", True),
        ("Confidence %", True),
        ("Confidence", False),
        ("Confidence level", False),
    ],
)
def test_a_generic_confidence_header_is_the_prediction_only_with_a_percent_sign(header, mapped):
    guess = importing.guess_mapping(["Date", "Company", "Question", header])
    assert (guess.get("predicted_advance") == header) is mapped


def test_the_prediction_is_exported_as_a_whole_number(con):
    interviews.save_interview(con, Interview(company="Acme", interview_date=dt.date(2026, 3, 5), predicted_advance=7))
    header, row = export.export_csv(con).decode().splitlines()
    assert dict(zip(header.split(","), row.split(","), strict=True))["predicted_advance"] == "7"


# --- the story bank's file -----------------------------------------------------------------------


def test_a_story_bank_file_is_known_by_its_headers():
    assert importing.is_story_bank(["Title", "Situation", "Action", "Result"])
    assert importing.is_story_bank(["story", "task", "action"])
    assert not importing.is_story_bank(["Title", "Situation"])
    assert not importing.is_story_bank(["date", "company", "title", "result"])
    # An interview log that notes each answer's STAR parts is still notes.
    assert not importing.is_story_bank(["Date", "Company", "Title", "Situation", "Task", "Action", "Result"])


def test_the_story_bank_file_imports_its_stories_with_their_competencies(con):
    data = BANK_HEADER + 'Kafka migration,"Old queue\nfailing",Move it,Planned,Done,Technical; lead\\; ership\n'
    result = importing.import_story_bank_file(con, data.encode(), "stories.csv")
    assert (result.rows_read, result.rows_imported, result.rows_rejected, result.written) == (1, 1, 0, True)
    assert _bank(con) == {
        "Kafka migration": ("Old queue\nfailing", "Move it", "Planned", "Done", ("lead; ership", "technical"))
    }


def test_a_title_already_in_the_bank_is_already_there_whatever_its_case(con):
    stories.save_story(con, Story("Kafka migration", situation="mine"))
    data = BANK_HEADER + "KAFKA MIGRATION,theirs,,,,\nHiring,S,,,,\nhiring,again,,,,\n"
    result = importing.import_story_bank_file(con, data.encode(), "stories.csv")
    assert (result.rows_read, result.rows_imported, result.rows_duplicate) == (3, 1, 2)
    assert [w["line"] for w in result.warning_records] == [4]  # the repeat within the file is named
    assert _bank(con)["Kafka migration"][0] == "mine" and _bank(con)["Hiring"][0] == "S"


def test_every_row_is_accounted_for_with_its_line(con):
    data = BANK_HEADER + ",no title,,,,\nShort,row\n" + "T" * 81 + ",too long,,,,\nGood,S,,,,\n"
    result = importing.import_story_bank_file(con, data.encode(), "stories.csv")
    assert result.rows_read == result.rows_imported + result.rows_rejected + result.rows_duplicate == 4
    assert [e["line"] for e in result.error_records] == [2, 3, 4]
    assert "title is empty" in result.error_records[0]["message"]
    assert list(_bank(con)) == ["Good"]


def test_a_dry_run_or_a_strict_import_with_a_rejected_row_writes_nothing(con):
    data = (BANK_HEADER + "Good,S,,,,\n,no title,,,,\n").encode()
    staged = importing.read_notes(con, data, "stories.csv")
    try:
        assert importing.import_story_bank(con, staged, dry_run=True).rows_imported == 1
        strict = importing.import_story_bank(con, staged, strict=True)
        assert (strict.rows_imported, strict.rows_rejected, strict.written) == (0, 1, False)
    finally:
        importing.discard(con, staged)
    assert _bank(con) == {}


def test_a_file_that_is_not_a_story_bank_is_refused(con):
    with pytest.raises(importing.UnusableFile, match="not a story bank"):
        importing.import_story_bank_file(con, b"date,company,question\n2026-03-05,Acme,Q\n", "notes.csv")


# --- answers naming their stories ----------------------------------------------------------------


def test_answers_are_linked_to_the_stories_they_name_whatever_the_case(con):
    stories.save_story(con, Story("Kafka (2023)", situation="S"))
    data = _notes("2026-03-05,Acme,Q1,kafka \\(2023\\)\n2026-03-05,Acme,Q2,\n", "date,company,question,stories")
    plan, result = importing.import_file(con, data, "notes.csv")
    assert plan.warning_records == [] and result.stories_added == []
    assert _links(con) == [("Q1", "Kafka (2023)")]


def test_a_story_not_in_the_bank_is_added_with_its_title_and_filled_in_by_the_bank_later(con):
    data = _notes("2026-03-05,Acme,Q1,New story\n2026-03-05,Acme,Q2,New story; Other\n", "date,company,question,story")
    plan, result = importing.import_file(con, data, "notes.csv")
    # One warning per missing title, on the first answer that names it.
    assert [(w["line"], "New story" in w["message"]) for w in plan.warning_records] == [(2, True), (3, False)]
    assert sorted(result.stories_added) == ["New story", "Other"]
    assert _links(con) == [("Q1", "New story"), ("Q2", "New story"), ("Q2", "Other")]
    filled = importing.import_story_bank_file(con, (BANK_HEADER + "new story,S,T,A,R,tech\n").encode(), "s.csv")
    assert filled.stories_filled == ["new story"] and _bank(con)["New story"] == ("S", "T", "A", "R", ("tech",))


def test_answers_already_stored_keep_their_links(con):
    saved = interviews.save_interview(
        con, Interview(company="Acme", interview_date=dt.date(2026, 3, 5), questions=[Question("Q1")])
    )
    data = _notes("2026-03-05,Acme,Q1,Someone else's story\n", "date,company,question,stories")
    plan, result = importing.import_file(con, data, "notes.csv")
    assert result.rows_duplicate == 1 and plan.warning_records == [] and _links(con) == []
    assert interviews.load_interview(con, saved.id).questions[0].question == "Q1"
