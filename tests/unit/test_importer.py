"""The importer: encodings, dialects, values, shape, the report, no doubles, and files it must refuse."""

from __future__ import annotations

import datetime as dt
import gc
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import importing, interviews, store
from analysis.importing import ImportOptions, UnusableFile, committing, decoding

HEADER = "Date,Company,Role,Stage,Question,Rating"


def plan_for(con, data: bytes | str, options: ImportOptions | None = None, mapping=None, filename="notes.csv"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    staged = importing.read_notes(con, data, filename)
    return importing.plan_import(con, staged, mapping, options)


def run_import(con, data: bytes | str, options: ImportOptions | None = None, mapping=None):
    plan = plan_for(con, data, options, mapping)
    result = importing.commit_import(con, plan)
    importing.discard(con, plan.staged)
    return plan, result


def table_counts(con) -> tuple:
    return con.execute(
        "SELECT (SELECT count(*) FROM interviews), (SELECT count(*) FROM questions), "
        "(SELECT count(*) FROM interviewers), (SELECT count(*) FROM categories)"
    ).fetchone()


def stored_rows(con) -> list[tuple]:
    return con.execute(
        "SELECT i.interview_date, i.company, i.role, i.stage, i.outcome, q.position, q.question, q.category, "
        "q.rating FROM interviews i LEFT JOIN questions q ON q.interview_id = i.id "
        "ORDER BY i.interview_date, i.company, q.position"
    ).fetchall()


# --- encodings and dialects -------------------------------------------------------------------

TEXT = "Date;Company;Question;Rating\n2024-03-05;Café Crème;Why “us”?;4\n2024-03-06;Zoë & Co;Naïve question;5\n"


@pytest.mark.parametrize(
    ("encode", "expected_encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16 (BOM)"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16 (BOM)"),
        (lambda t: t.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_each_encoding_reads_the_same_text(con, encode, expected_encoding):
    plan = plan_for(con, encode(TEXT))
    assert plan.staged.encoding == expected_encoding
    assert plan.preview["company"].tolist() == ["Café Crème", "Zoë & Co"]
    assert plan.preview["question"].tolist() == ["Why “us”?", "Naïve question"]
    assert plan.rows_valid == 2 and plan.rows_rejected == 0


def test_latin1_bytes_that_are_not_cp1252_fall_back_to_latin1(con):
    # 0x81 is undefined in cp1252, so only latin-1 reads this file.
    data = "Date,Company\n2024-03-05,Caf\xe9\x81\n".encode("latin-1")
    plan = plan_for(con, data)
    assert plan.staged.encoding == "latin-1"
    assert plan.preview["company"].tolist() == ["Caf\xe9\x81"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"])
def test_each_delimiter_is_detected(con, delimiter):
    rows = [
        ["Date", "Company", "Question", "Rating"],
        ["2024-03-05", "Acme", "Tell me about yourself", "4"],
        ["2024-03-06", "Beta", "Why Beta?", "3"],
    ]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    plan = plan_for(con, text, filename="notes.tsv" if delimiter == "\t" else "notes.txt")
    assert plan.staged.dialect.delimiter == delimiter
    assert plan.preview["question"].tolist() == ["Tell me about yourself", "Why Beta?"]
    assert plan.preview["rating"].tolist() == [4, 3]


def test_quoted_fields_keep_delimiters_quotes_and_newlines(con):
    text = 'Date,Company,Question,Notes\n2024-03-05,"Acme, Inc.","Say ""hi""\nthen more",\'=x\n'
    plan = plan_for(con, text)
    assert plan.preview["company"].tolist() == ["Acme, Inc."]
    assert plan.preview["question"].tolist() == ['Say "hi"\nthen more']


def test_crlf_file_with_lf_inside_quoted_value_keeps_every_row(con):
    text = 'Date,Company,Question\r\n2024-03-05,Acme,"two\nlines"\r\n2024-03-06,Beta,one\r\n'
    plan = plan_for(con, text)
    assert plan.rows_valid == 2
    assert plan.preview["question"].tolist() == ["two\nlines", "one"]


def test_mixed_line_endings_are_read(con):
    # DuckDB 2.0 alone refuses a file mixing CRLF and LF; the importer evens them out and reads it.
    text = "Date,Company,Question\r\n2024-03-05,Acme,Q1\n2024-03-06,Beta,Q2\r\nbad,Gamma,Q3\n"
    plan = plan_for(con, text)
    assert plan.rows_valid == 2
    assert plan.errors[["line", "column"]].values.tolist() == [[4, "Date"]]


def test_title_and_blank_lines_above_the_header_are_skipped(con):
    text = "My interview notes\n\nexported 2024\nDate,Company,Question\n2024-03-05,Acme,Why?\n"
    plan = plan_for(con, text)
    assert plan.staged.header_line == 4
    assert plan.rows_read == 1 and plan.rows_valid == 1
    assert plan.mapping["date"] == "Date"


@pytest.mark.parametrize("rows", [5_000, 30_000], ids=["sniffer-sees-it", "reader-sees-it"])
def test_a_big_file_that_turns_out_not_to_be_utf8_is_read_again_as_cp1252(con, monkeypatch, rows):
    # Big files are only checked for UTF-8 at the start; DuckDB's own check catches the rest
    # (in the sniffer's sample, or past it while reading).
    monkeypatch.setattr(decoding, "VERIFY_LIMIT", 10)
    data = ("Date,Company\n" + "2024-03-05,Acme\n" * rows + "2024-03-06,Café\n").encode("cp1252")
    assert len(data) > 65536  # past the part read up front
    plan = plan_for(con, data)
    assert plan.staged.encoding == "cp1252"
    assert plan.rows_valid == rows + 1 and plan.rows_rejected == 0


def test_an_unclosed_quote_is_reported_not_silently_dropped(con):
    text = 'Date,Company,Question\r\n2024-03-05,Acme,"two\nlines"\r\n2024-03-06,Beta,"never closed\r\n2024-03-07,Gamma,Q3\r\n'
    plan = plan_for(con, text)
    assert plan.rows_valid == 1
    assert plan.rows_read == plan.rows_valid + plan.rows_rejected
    assert plan.errors["line"].tolist() == [4, 5]  # the open quote's line and the row it swallowed


# --- header mapping ---------------------------------------------------------------------------


def test_guess_mapping_understands_synonyms_case_and_remarks():
    headers = [
        "Interview date (dd/mm)",
        "EMPLOYER",
        "Job title",
        "Round",
        "Question asked",
        "Topic",
        "Self-rating",
        "Interviewer reaction",
        "What to improve",
        "Result",
        "Something else",
    ]
    mapping = importing.guess_mapping(headers)
    assert mapping == {
        "date": "Interview date (dd/mm)",
        "company": "EMPLOYER",
        "role": "Job title",
        "stage": "Round",
        "outcome": "Result",
        "question": "Question asked",
        "category": "Topic",
        "rating": "Self-rating",
        "reaction": "Interviewer reaction",
        "notes": "What to improve",
    }


def test_guess_mapping_reads_every_canonical_export_header():
    from analysis.schema import FIELD_NAMES

    assert importing.guess_mapping(list(FIELD_NAMES)) == {f: f for f in FIELD_NAMES}


def test_canonical_name_wins_over_a_synonym_listed_earlier():
    assert importing.guess_mapping(["Title", "Role", "Date", "Company"])["role"] == "Role"


def test_mapping_override_picks_another_column(con):
    text = "When,Who,Shop\n2024-03-05,Ana,Acme\n"
    staged = importing.read_notes(con, text.encode(), "x.csv")
    assert "company" not in staged.guess
    plan = importing.plan_import(con, staged, {"date": "When", "company": "Shop"})
    assert plan.preview["company"].tolist() == ["Acme"]


def test_mapping_to_a_missing_header_names_it_and_lists_headers(con):
    staged = importing.read_notes(con, b"Date,Company\n2024-03-05,Acme\n", "x.csv")
    with pytest.raises(importing.MappingError) as info:
        importing.plan_import(con, staged, {"date": "Date", "company": "Employer"})
    assert "Employer" in str(info.value) and "Date, Company" in str(info.value)


def test_duplicated_headers_are_told_apart_and_mappable(con):
    text = "Date,Company,Notes,Notes\n2024-03-05,Acme,first,second\n"
    staged = importing.read_notes(con, text.encode(), "x.csv")
    assert staged.headers == ["Date", "Company", "Notes", "Notes (2)"]
    assert staged.duplicate_headers == ["Notes"]
    plan = importing.plan_import(con, staged, {"date": "Date", "company": "Company", "notes": "Notes (2)"})
    assert plan.mapping["notes"] == "Notes (2)"


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("2024-03-05T14:30:00", dt.date(2024, 3, 5)),
        ("Mar 5, 2024", dt.date(2024, 3, 5)),
        ("March 5th, 2024", dt.date(2024, 3, 5)),
        ("5 March 2024", dt.date(2024, 3, 5)),
        ("05.03.2024", dt.date(2024, 3, 5)),
        ("2024/03/05", dt.date(2024, 3, 5)),
    ],
)
def test_date_forms(con, text, expected):
    plan = plan_for(con, f'Date,Company\n"{text}",Acme\n')
    assert plan.errors.empty, plan.errors
    assert plan.preview["date"].tolist() == [expected]


def test_slash_dates_follow_the_dayfirst_option(con):
    text = "Date,Company\n05/03/2024,Acme\n"
    assert plan_for(con, text, ImportOptions(dayfirst=True)).preview["date"].tolist() == [dt.date(2024, 3, 5)]
    assert plan_for(con, text, ImportOptions(dayfirst=False)).preview["date"].tolist() == [dt.date(2024, 5, 3)]


def test_a_day_above_twelve_settles_day_first_for_the_whole_file(con):
    plan = plan_for(con, "Date,Company\n05/03/2024,Acme\n25/03/2024,Beta\n")
    assert plan.dates.dayfirst is True and plan.dates.source == "file" and not plan.dates.ambiguous
    assert plan.preview["date"].tolist() == [dt.date(2024, 3, 5), dt.date(2024, 3, 25)]


def test_a_second_number_above_twelve_settles_month_first(con):
    plan = plan_for(con, "Date,Company\n05/03/2024,Acme\n03/25/2024,Beta\n")
    assert plan.dates.dayfirst is False and plan.dates.source == "file"
    assert plan.preview["date"].tolist() == [dt.date(2024, 5, 3), dt.date(2024, 3, 25)]


def test_ambiguous_dates_are_reported_with_examples(con):
    plan = plan_for(con, "Date,Company\n05/03/2024,Acme\n04/02/2024,Beta\n")
    assert plan.dates.ambiguous and plan.dates.source == "default"
    assert set(plan.dates.examples) == {"05/03/2024", "04/02/2024"}
    assert "either way" in plan.dates.message


def test_mixed_day_and_month_first_dates_report_the_odd_ones(con):
    plan = plan_for(con, "Date,Company\n25/03/2024,Acme\n26/03/2024,Beta\n03/27/2024,Gamma\n")
    assert plan.dates.conflicting and plan.dates.dayfirst
    assert plan.errors["line"].tolist() == [4]
    assert "month-first" in plan.errors["message"][0]


@pytest.mark.parametrize(
    ("rating", "scale", "expected"),
    [
        ("4", "1-5", 4),
        ("4/5", "1-5", 4),
        ("8/10", "1-5", 4),
        ("8", "1-10", 4),
        ("10", "1-10", 5),
        ("1", "1-10", 1),
        ("75", "0-100", 4),
        ("0", "0-100", 1),
        ("4 – good", "1-5", 4),
        ("nailed it", "1-5", 5),
    ],
)
def test_ratings_are_mapped_onto_one_to_five(con, rating, scale, expected):
    plan = plan_for(con, f"Date,Company,Question,Rating\n2024-03-05,Acme,Q,{rating}\n", ImportOptions(scale=scale))
    assert plan.errors.empty, plan.errors
    assert plan.preview["rating"].tolist() == [expected]


def test_out_of_scale_rating_is_a_warning_that_suggests_the_scale(con):
    plan = plan_for(con, "Date,Company,Question,Score\n2024-03-05,Acme,Q,8\n")
    assert plan.errors.empty and plan.rows_new == 1
    assert plan.preview["rating"].tolist() == [None]
    assert plan.warnings.to_dict("records") == [
        {
            "line": 2,
            "column": "Score",
            "message": 'Rating "8" is outside the 1-5 scale (if the file rates 1-10, choose that scale): '
            "imported without a rating.",
        }
    ]


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("passed", "advanced"),
        ("Next round", "advanced"),
        ("declined", "rejected"),
        ("ghosted", "no response"),
        ("No Response", "no response"),
        ("offer", "offer"),
        ("", "pending"),
    ],
)
def test_outcome_synonyms(con, outcome, expected):
    plan = plan_for(con, f"Date,Company,Result\n2024-03-05,Acme,{outcome}\n")
    assert plan.preview["outcome"].tolist() == [expected]


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("onsite", "onsite/panel"),
        ("On-site", "onsite/panel"),
        ("phone", "phone screen"),
        ("HR", "recruiter screen"),
        ("Take home", "take-home"),
        ("technical", "technical"),
        ("", "other"),
    ],
)
def test_stage_synonyms(con, stage, expected):
    plan = plan_for(con, f"Date,Company,Round\n2024-03-05,Acme,{stage}\n")
    assert plan.preview["stage"].tolist() == [expected]


def test_unknown_stage_is_kept_as_other_with_a_warning_in_plain_words(con):
    plan = plan_for(con, "Date,Company,Stage\n2024-03-05,Acme,lunch\n")
    assert plan.rows_rejected == 0 and plan.rows_new == 1
    assert plan.preview["stage"].tolist() == ["other"]
    assert plan.warnings["message"][0].startswith('"lunch" is not a stage Debrief knows')
    assert plan.warnings["message"][0].endswith("kept as other.")


def test_unknown_categories_become_new_lowercase_user_categories(con):
    text = "Date,Company,Question,Type\n2024-03-05,Acme,Q1,System  Design Deep-Dive\n2024-03-05,Acme,Q2,Behavioural\n"
    plan, result = run_import(con, text)
    assert plan.categories_added == ["system design deep-dive"]
    assert result.categories_added == ["system design deep-dive"]
    assert "system design deep-dive" in interviews.categories(con)
    assert [r[7] for r in stored_rows(con)] == ["system design deep-dive", "behavioral"]


def test_time_and_decision_date_are_parsed(con):
    text = "Date,Time,Company,Decided on,Outcome\n2024-03-05,2:30 PM,Acme,2024-03-09,offer\n"
    plan, _ = run_import(con, text)
    row = con.execute("SELECT interview_time, decided_on, outcome FROM interviews").fetchone()
    assert row == (dt.time(14, 30), dt.date(2024, 3, 9), "offer")


# --- shape ------------------------------------------------------------------------------------


def test_rows_sharing_date_company_role_stage_become_one_interview(con):
    text = (
        "Date,Company,Role,Stage,Question,Rating\n"
        "2024-03-05,Acme,Dev,technical,First,4\n"
        "2024-03-05, acme ,Dev,technical,Second,3\n"
        "2024-03-05,Acme,Dev,final,Other stage,5\n"
        "2024-03-06,Acme,Dev,technical,Other day,2\n"
    )
    plan, result = run_import(con, text)
    assert (plan.interviews_added, plan.questions_added) == (3, 4)
    assert (result.interviews_added, result.questions_added) == (3, 4)
    positions = con.execute(
        "SELECT q.question, q.position FROM questions q JOIN interviews i ON i.id = q.interview_id "
        "WHERE i.stage = 'technical' AND i.interview_date = DATE '2024-03-05' ORDER BY q.position"
    ).fetchall()
    assert positions == [("First", 1), ("Second", 2)]


def test_a_row_without_a_question_adds_the_interview_alone(con):
    plan, result = run_import(con, "Date,Company,Stage,Outcome\n2024-03-05,Acme,final,offer\n")
    assert (result.interviews_added, result.questions_added) == (1, 0)
    assert table_counts(con)[:2] == (1, 0)
    assert con.execute("SELECT outcome FROM interviews").fetchone() == ("offer",)


def test_interviewers_are_parsed_into_their_table(con):
    text = 'Date,Company,Interviewers\n2024-03-05,Acme,"Ana Ruiz (Engineering Manager); Ben Ode"\n'
    run_import(con, text)
    assert con.execute("SELECT position, name, title FROM interviewers ORDER BY position").fetchall() == [
        (1, "Ana Ruiz", "Engineering Manager"),
        (2, "Ben Ode", None),
    ]


# --- the report -------------------------------------------------------------------------------


def test_bad_rows_are_reported_by_file_line_and_column_after_embedded_newlines(con):
    text = (
        "Date,Company,Question,Rating\n"  # line 1
        '2024-03-05,Acme,"A question\nover three\nlines",4\n'  # lines 2-4
        "\n"  # line 5: blank
        "not a date,Acme,Q,4\n"  # line 6
        '2024-03-05,,"Another\nlong one",4\n'  # lines 7-8
        "2024-03-05,Acme,Q3,9\n"  # line 9
        "2024-03-06,Beta,Fine,2\n"  # line 10
    )
    plan = plan_for(con, text)
    assert plan.lines_exact
    assert plan.errors[["line", "column"]].values.tolist() == [[6, "Date"], [7, "Company"]]
    assert plan.warnings[["line", "column"]].values.tolist() == [[9, "Rating"]]
    assert plan.errors["message"][0] == (
        '"not a date" is not a date Debrief can read: use 2024-03-05, Mar 5, 2024, 05/03/2024 or 05.03.2024.'
    )
    assert (plan.rows_read, plan.rows_valid, plan.rows_rejected) == (5, 3, 2)
    assert plan.preview["line"].tolist() == [2, 9, 10]


def test_ragged_rows_are_rejected_with_their_lines(con):
    text = "Date,Company,Question\n2024-03-05,Acme,Q1\n2024-03-05,Acme\n2024-03-05,Acme,Q3,extra,more\n2024-03-05,Acme,Q4,\n"
    plan = plan_for(con, text)
    assert plan.errors["line"].tolist() == [3, 4]
    assert plan.errors["column"].isna().all()
    assert "2 fields but the header has 3" in plan.errors["message"][0]
    assert plan.rows_valid == 2  # a trailing empty field is fine


def test_errors_csv_is_downloadable(con):
    plan = plan_for(con, "Date,Company\nnope,=Acme\n")
    data = importing.errors_csv(plan).decode()
    assert data.splitlines()[0] == "line,column,message"
    assert data.splitlines()[1].startswith('2,Date,"""nope"" is not a date')


def test_plan_writes_nothing_and_reports_progress(con):
    before = table_counts(con)
    seen = []
    staged = importing.read_notes(con, b"Date,Company,Question\n2024-03-05,Acme,Q\n", "x.csv")
    plan = importing.plan_import(con, staged, progress=lambda f, m: seen.append((f, m)))
    assert table_counts(con) == before
    assert seen[-1][0] == 1.0 and all(0 <= f <= 1 for f, _ in seen)
    steps = []
    importing.commit_import(con, plan, progress=lambda f, m: steps.append(f))
    assert steps[-1] == 1.0 and table_counts(con)[:2] == (1, 1)


def test_strict_plan_refuses_to_commit_and_writes_nothing(con):
    plan = plan_for(con, "Date,Company\n2024-03-05,Acme\nbad,Beta\n", ImportOptions(strict=True))
    assert not plan.can_import
    with pytest.raises(importing.ImportRejected):
        importing.commit_import(con, plan)
    assert table_counts(con)[:2] == (0, 0)


def test_commit_is_all_or_nothing(con, monkeypatch):
    plan = plan_for(con, "Date,Company,Question\n2024-03-05,Acme,Q1\n2024-03-06,Beta,Q2\n")
    original_run = committing.run
    calls = []

    def failing_run(con_, sql, params=None):
        if sql.lstrip().startswith("INSERT INTO questions"):
            calls.append(sql)
            raise RuntimeError("disk full")
        return original_run(con_, sql, params)

    monkeypatch.setattr(committing, "run", failing_run)
    with pytest.raises(RuntimeError, match="disk full"):
        importing.commit_import(con, plan)
    monkeypatch.undo()
    assert len(calls) == 1  # the interviews were already inserted when it failed ...
    assert table_counts(con)[:2] == (0, 0)  # ... and rolled back with everything else
    result = importing.commit_import(con, plan)
    assert (result.interviews_added, result.questions_added) == (2, 2)


def test_committing_the_same_plan_twice_adds_nothing_the_second_time(con):
    plan = plan_for(con, "Date,Company,Question\n2024-03-05,Acme,Q1\n")
    first = importing.commit_import(con, plan)
    second = importing.commit_import(con, plan)
    assert (first.questions_added, second.questions_added, second.rows_duplicate) == (1, 0, 1)
    assert table_counts(con)[:2] == (1, 1)


def test_a_stale_plan_is_checked_again_when_committed(con):
    text = "Date,Company,Question\n2024-03-05,Acme,Q1\n2024-03-05,Acme,Q2\n"
    stale = plan_for(con, text)
    assert stale.rows_new == 2
    run_import(con, text)  # the same rows land in the meantime
    result = importing.commit_import(con, stale)
    assert (result.rows_imported, result.rows_duplicate) == (0, 2)
    assert table_counts(con)[:2] == (1, 2)


def test_replanning_with_other_options_changes_the_report(con):
    staged = importing.read_notes(con, b"Date,Company,Question,Score\n05/03/2024,Acme,Q,8\n", "x.csv")
    five = importing.plan_import(con, staged)
    assert len(five.warning_records) == 1 and five.preview["rating"].tolist() == [None]
    ten = importing.plan_import(con, staged, options=ImportOptions(scale="1-10", dayfirst=True))
    assert ten.warning_records == [] and ten.preview["rating"].tolist() == [4]
    assert ten.preview["date"].tolist() == [dt.date(2024, 3, 5)]
    importing.commit_import(con, ten)
    assert con.execute("SELECT interview_date FROM interviews").fetchall() == [(dt.date(2024, 3, 5),)]


def test_the_temporary_copy_goes_with_the_staged_file(con):
    staged = importing.read_notes(con, b"Date,Company\n2024-03-05,Acme\n", "x.csv")
    folder = staged.folder
    assert folder is not None and folder.exists()
    del staged
    gc.collect()
    assert not folder.exists()


def test_commit_on_another_cursor_restages_the_file(db_path):
    first = store.connect(db_path).cursor()
    second = store.connect(db_path).cursor()
    staged = importing.read_notes(first, b"Date,Company,Question\n2024-03-05,Acme,Q\n", "x.csv")
    plan = importing.plan_import(first, staged)
    first.close()
    result = importing.commit_import(second, plan)
    assert (result.interviews_added, result.questions_added) == (1, 1)
    importing.discard(second, staged)
    assert not staged.path.exists() or staged.folder is None
    second.close()


# --- no doubles -------------------------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(con):
    text = "Date,Company,Stage,Question\n2024-03-05,Acme,technical,Q1\n2024-03-05,Acme,technical,Q2\n2024-03-07,Beta,final,\n"
    _, first = run_import(con, text)
    assert (first.rows_imported, first.rows_duplicate) == (3, 0)
    snapshot = stored_rows(con)
    plan, second = run_import(con, text)
    assert plan.rows_duplicate == 3 and plan.rows_new == 0
    assert (second.rows_imported, second.rows_duplicate, second.interviews_added, second.questions_added) == (
        0,
        3,
        0,
        0,
    )
    assert stored_rows(con) == snapshot


def test_an_overlapping_file_adds_only_what_is_new_and_appends_to_stored_interviews(con):
    run_import(con, "Date,Company,Question\n2024-03-05,Acme,Q1\n2024-03-05,Acme,Q2\n")
    revision = con.execute("SELECT revision FROM interviews").fetchone()[0]
    text = "Date,Company,Question\n2024-03-05, ACME ,q1\n2024-03-05,Acme,Q3\n2024-03-06,Beta,Q4\n"
    plan, result = run_import(con, text)
    assert (plan.rows_duplicate, plan.appended_to_existing) == (1, 1)
    assert (result.rows_imported, result.rows_duplicate, result.interviews_added) == (2, 1, 1)
    acme = con.execute(
        "SELECT q.question, q.position FROM questions q JOIN interviews i ON i.id = q.interview_id "
        "WHERE i.company = 'Acme' ORDER BY q.position"
    ).fetchall()
    assert acme == [("Q1", 1), ("Q2", 2), ("Q3", 3)]
    # An interview that got questions appended is marked changed, so an editor open on it reloads.
    assert con.execute("SELECT revision FROM interviews WHERE company = 'Acme'").fetchone()[0] == revision + 1


def test_a_question_differing_only_in_punctuation_and_case_is_already_there(con):
    run_import(con, "Date,Company,Question\n2024-03-05,Acme,Tell me about yourself.\n")
    plan, result = run_import(con, 'Date,Company,Question\n2024-03-05,Acme,"TELL me, about  yourself!"\n')
    assert (plan.rows_duplicate, plan.rows_new) == (1, 0)
    assert (result.rows_duplicate, result.questions_added) == (1, 0)
    assert con.execute("SELECT question FROM questions").fetchall() == [("Tell me about yourself.",)]


def test_a_question_with_other_words_is_not_already_there(con):
    run_import(con, "Date,Company,Question\n2024-03-05,Acme,Tell me about yourself.\n")
    _, result = run_import(con, "Date,Company,Question\n2024-03-05,Acme,Tell me about your team.\n")
    assert (result.rows_duplicate, result.questions_added) == (0, 1)


def test_a_question_asked_twice_in_one_interview_is_kept_twice_once(con):
    text = "Date,Company,Question\n2024-03-05,Acme,Again?\n2024-03-05,Acme,Again?\n"
    _, first = run_import(con, text)
    assert first.questions_added == 2
    _, second = run_import(con, text)
    assert second.questions_added == 0 and second.rows_duplicate == 2


# --- files it must refuse ---------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"], ids=["empty", "blank-lines", "bom-only"])
def test_an_empty_file_is_unusable(con, data):
    with pytest.raises(UnusableFile, match="empty"):
        importing.read_notes(con, data, "x.csv")


def test_a_header_alone_is_unusable_and_says_so(con):
    with pytest.raises(UnusableFile, match="no rows below it"):
        importing.read_notes(con, b"Date,Company,Question\n", "x.csv")


def test_a_binary_file_is_unusable(con):
    data = bytes(random.Random(3).randrange(256) for _ in range(5000))
    with pytest.raises(UnusableFile, match="not a text file"):
        importing.read_notes(con, b"\x89PNG\r\n\x1a\n\x00\x00" + data, "x.csv")


def test_a_missing_required_column_is_named_with_the_headers_found(con):
    staged = importing.read_notes(con, b"Date,Question,Rating\n2024-03-05,Q,4\n", "x.csv")
    with pytest.raises(UnusableFile) as info:
        importing.plan_import(con, staged)
    message = str(info.value)
    assert "company" in message and "Headers found: Date, Question, Rating" in message
    assert info.value.headers == ["Date", "Question", "Rating"]


def test_running_out_of_memory_is_said_as_such_not_as_a_file_without_a_header(con):
    columns = 2_000  # DuckDB's sniffer needs far more than 32 MB for this many columns
    data = ",".join(["Date", "Company", *(f"Field {i}" for i in range(columns - 2))]) + "\n"
    data += ",".join(["2026-03-05", "Acme", *("v" for _ in range(columns - 2))]) + "\n"
    con.execute("SET memory_limit = '32MB'")
    try:
        with pytest.raises(store.StoreError) as info:
            importing.read_notes(con, data.encode(), "wide.csv")
    finally:
        con.execute("RESET memory_limit")
    assert isinstance(info.value, store.OutOfMemory), info.value  # not "no header": the sniffer never looked
    assert str(info.value).startswith("There was not enough memory to finish, so nothing was changed")
    assert "only the columns you keep notes in" in str(info.value)
    assert "Out of Memory" in str(info.value)  # DuckDB's own words, for whoever reports it


def test_a_file_without_a_mappable_header_is_unusable(con):
    with pytest.raises(UnusableFile, match="No header row"):
        importing.read_notes(con, b"alpha,beta\n1,2\n", "x.csv")


def test_a_missing_path_is_unusable(con, tmp_path):
    with pytest.raises(UnusableFile, match="no such file"):
        importing.read_notes(con, tmp_path / "nope.csv")


@settings(
    max_examples=int(__import__("os").environ.get("DEBRIEF_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.lists(
            st.lists(
                st.sampled_from(["Date", "Company", "2024-03-05", "Acme", "", '"', "x,y", "\n", ";", "9"]), max_size=5
            ),
            max_size=6,
        ).map(lambda rows: "\n".join(",".join(r) for r in rows).encode()),
    )
)
def test_arbitrary_bytes_give_a_report_or_a_clear_error_and_leave_the_database_alone(con, data):
    before = stored_rows(con), table_counts(con)
    try:
        staged = importing.read_notes(con, data, "fuzz.csv")
    except UnusableFile as exc:
        assert str(exc)
        assert (stored_rows(con), table_counts(con)) == before
        return
    try:
        plan = importing.plan_import(con, staged, options=ImportOptions(strict=True))
    except UnusableFile as exc:
        assert str(exc)
        assert (stored_rows(con), table_counts(con)) == before
        return
    finally:
        pass
    assert plan.rows_read == plan.rows_valid + plan.rows_rejected
    assert plan.rows_valid == plan.rows_new + plan.rows_duplicate
    assert len(plan.errors) >= plan.rows_rejected
    if plan.rows_rejected:
        with pytest.raises(importing.ImportRejected):
            importing.commit_import(con, plan)
        assert (stored_rows(con), table_counts(con)) == before
    importing.discard(con, staged)


# --- the sample files ------------------------------------------------------------------------


def test_the_template_sample_imports_cleanly(con, repo_root):
    staged = importing.read_notes(con, repo_root / "data" / "samples" / "template.csv")
    plan = importing.plan_import(con, staged)
    assert (plan.rows_read, plan.rows_rejected, plan.interviews_added, plan.questions_added) == (2, 0, 1, 2)
    assert len(plan.mapping) == 22


def test_the_messy_sample_is_cp1252_semicolons_day_first_with_two_bad_rows_and_two_bad_ratings(con, repo_root):
    staged = importing.read_notes(con, repo_root / "data" / "samples" / "messy-notes.csv")
    assert (staged.encoding, staged.dialect.delimiter, staged.header_line) == ("cp1252", ";", 3)
    plan = importing.plan_import(con, staged, options=ImportOptions(scale="1-10"))
    assert plan.dates.dayfirst and plan.dates.source == "file"
    assert (plan.rows_read, plan.rows_valid, plan.rows_rejected) == (10, 8, 2)
    assert plan.errors["line"].tolist() == [11, 12]
    assert plan.warnings["line"].tolist() == [13, 14]  # "eleven" and 12: imported without a rating
    assert plan.preview["rating"].tolist()[:2] == [4, 3]  # 8 and 6 on 1-10


# --- size ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_50_mb_file_imports_set_based(con, tmp_path):
    path = tmp_path / "big.csv"
    con.execute(
        """
        COPY (
          SELECT strftime(DATE '2020-01-01' + CAST(i // 4 % 1500 AS INTEGER), '%Y-%m-%d') AS date,
                 'Company ' || (i // 4) AS company, 'Engineer' AS role, 'technical' AS stage,
                 'Question ' || i || ': describe a time you improved a slow data pipeline end to end' AS question,
                 'technical' AS category, (1 + i % 5)::VARCHAR AS rating,
                 'Remember to quantify the improvement and name the trade-offs you made along the way' AS notes
          FROM range(300000) t(i)
        ) TO $path (FORMAT csv, HEADER true)
        """,
        {"path": str(path)},
    )
    assert path.stat().st_size > 50_000_000
    staged = importing.read_notes(con, path)
    plan = importing.plan_import(con, staged)
    assert (plan.rows_read, plan.rows_rejected) == (300_000, 0)
    result = importing.commit_import(con, plan)
    assert (result.interviews_added, result.questions_added) == (75_000, 300_000)
    assert table_counts(con)[:2] == (75_000, 300_000)


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("Score (1-10)", "1-10"),
        ("Self rating (0 to 100)", "0-100"),
        ("Rating /10", "1-10"),
        ("Score out of 100", "0-100"),
        ("Self-rating", None),
        (None, None),
    ],
)
def test_a_header_that_names_its_scale_sets_it(header, scale):
    assert importing.scale_from_header(header) == scale


def test_the_command_line_reads_the_scale_from_the_header(db_path, repo_root):
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(repo_root / "data" / "samples" / "messy-notes.csv"),
         "--db", str(db_path), "--dry-run", "--json"],
        cwd=repo_root, capture_output=True, text=True,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert not any("outside the 1-5 scale" in e["message"] for e in report["errors"])
