"""Values as people write them: dates and times, ratings, tracker statuses, warnings, mapping, tracker shapes.

Table-driven: each case is a cell (or a small file) and what is stored, or the warning or error it gives.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis import importing, text
from analysis.importing import ImportOptions

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def plan_for(con, text: str, options: ImportOptions | None = None, mapping=None):
    staged = importing.read_notes(con, text.encode("utf-8"), "notes.csv")
    return importing.plan_import(con, staged, mapping, options)


def run_import(con, source, filename="notes.csv"):
    data = source.encode("utf-8") if isinstance(source, str) else source
    plan, result = importing.import_file(con, data, filename)
    return plan, result


# --- dates and times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "clock"),
    [
        ("5-Mar-26", dt.date(2026, 3, 5), None),
        ("12-Jan-25", dt.date(2025, 1, 12), None),
        ("5 Mar 26", dt.date(2026, 3, 5), None),
        ("Mar 5, 26", dt.date(2026, 3, 5), None),
        ("5 Mar 75", dt.date(1975, 3, 5), None),  # 70-99 are 1970-1999
        ("5/3/69", dt.date(2069, 5, 3), None),  # 00-69 are 2000-2069 (month-first without other evidence)
        ("7/14/2023 15:32:10", dt.date(2023, 7, 14), dt.time(15, 32, 10)),
        ("March 5, 2026 2:30 PM", dt.date(2026, 3, 5), dt.time(14, 30)),
        ("2026-03-05T14:30:00", dt.date(2026, 3, 5), dt.time(14, 30)),
        ("2026-03-05T14:30:00Z", dt.date(2026, 3, 5), dt.time(14, 30)),
        ("2026-03-05 14:30", dt.date(2026, 3, 5), dt.time(14, 30)),
        ("5th March 2026", dt.date(2026, 3, 5), None),
        ("Thu, 5 Mar 2026", dt.date(2026, 3, 5), None),
        ("Thursday 5 March 2026", dt.date(2026, 3, 5), None),
        ("Mar. 5, 2026", dt.date(2026, 3, 5), None),
        ("Sept 5, 2026", dt.date(2026, 9, 5), None),
        ("March 20, 2026 → March 21, 2026", dt.date(2026, 3, 20), None),
        ("2026-03-20 - 2026-03-21", dt.date(2026, 3, 20), None),
        ("2026-03-05", dt.date(2026, 3, 5), None),
    ],
)
def test_dates_and_date_times_as_people_write_them(con, text, date, clock):
    plan = plan_for(con, f'Date,Company\n"{text}",Acme\n')
    assert plan.errors.empty and plan.warnings.empty, (plan.errors, plan.warnings)
    assert plan.preview["date"].tolist() == [date]
    assert plan.preview["time"].tolist() == [clock]


def test_a_date_times_time_does_not_override_a_time_column(con):
    plan = plan_for(con, 'Date,Time,Company\n"2026-03-05 14:30",9:00,Acme\n')
    assert plan.preview["time"].tolist() == [dt.time(9, 0)]


@pytest.mark.parametrize("text", ["0026-03-05", "2101-01-01", "1899-12-31", "5/3/0026"])
def test_a_year_outside_1900_to_2100_is_an_error_never_stored(con, text):
    plan = plan_for(con, f"Date,Company\n{text},Acme\n")
    assert plan.rows_rejected == 1 and plan.rows_new == 0
    assert "outside 1900-2100" in plan.errors["message"][0]


def test_spreadsheet_serial_numbers_are_dates_in_a_column_of_them(con):
    plan = plan_for(con, "Date,Company\n46086,Acme\n46087,Beta\n")
    assert plan.errors.empty
    assert plan.preview["date"].tolist() == [dt.date(2026, 3, 5), dt.date(2026, 3, 6)]


def test_a_lone_number_among_written_dates_is_not_taken_for_a_serial(con):
    plan = plan_for(con, "Date,Company\n2026-03-05,Acme\n2026-03-06,Beta\n2026-03-07,Gamma\n46086,Delta\n")
    assert plan.errors["line"].tolist() == [5]


# --- ratings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "rating"),
    [
        ("N/A", None),
        ("-", None),
        ("", None),
        ("★★★☆☆", 3),
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️", 2),  # with the emoji variation selector
        ("***", 3),
        ("Poor", 1),
        ("Weak", 2),
        ("Bad", 2),
        ("OK", 3),
        ("Okay", 3),
        ("Average", 3),
        ("Fair", 3),
        ("Good", 4),
        ("Great", 5),
        ("Excellent", 5),
        ("Nailed it!", 5),
    ],
)
def test_ratings_people_write_are_read_without_warnings(con, cell, rating):
    plan = plan_for(con, f'Date,Company,Question,Rating\n2026-03-05,Acme,Q,"{cell}"\n')
    assert plan.errors.empty and plan.warnings.empty, plan.warnings
    assert plan.preview["rating"].tolist() == [rating]


@pytest.mark.parametrize("cell", ["meh", "7", "11/10"])
def test_an_unreadable_rating_is_a_warning_and_the_row_is_imported_without_it(con, cell):
    plan = plan_for(con, f"Date,Company,Question,Rating\n2026-03-05,Acme,Q,{cell}\n")
    assert plan.rows_rejected == 0 and plan.rows_new == 1
    assert plan.preview["rating"].tolist() == [None]
    assert plan.warnings[["line", "column"]].values.tolist() == [[2, "Rating"]]
    assert plan.warnings["message"][0].endswith("imported without a rating.")


# --- vocabularies and warnings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("Applied", "pending"),
        ("Interviewing", "pending"),
        ("Interview", "pending"),
        ("Offer", "offer"),
        ("🟢 Offer", "offer"),
        ("Rejected", "rejected"),
        ("❌ Rejected", "rejected"),
        ("Ghosted", "no response"),
        ("👻 ghosted", "no response"),
    ],
)
def test_application_tracker_statuses_map_onto_outcomes(con, status, outcome):
    plan = plan_for(con, f"Date,Company,Status\n2026-03-05,Acme,{status}\n")
    assert plan.warnings.empty
    assert plan.preview["outcome"].tolist() == [outcome]


@pytest.mark.parametrize("status", ["Applied", "Interviewing", "🟢 Offer", "Rejected"])
def test_a_tracker_status_in_a_stage_column_is_stage_other(con, status):
    plan = plan_for(con, f"Date,Company,Stage\n2026-03-05,Acme,{status}\n")
    assert plan.warnings.empty and plan.preview["stage"].tolist() == ["other"]


@pytest.mark.parametrize(
    ("header", "cell", "stored_as", "ending"),
    [
        ("Stage", "Hiring manager", "other", "kept as other."),
        ("Format", "Hangouts", None, "left empty."),
        ("Outcome", "Maybe later", "pending", "kept as pending."),
        ("Reaction", "wow", None, "left empty."),
        ("Time", "after lunch", None, "the time is left empty."),
        ("Decided on", "soon", None, "the decision date is left empty."),
        ("Decided on", "2026-03-01", None, "it is left empty; check both."),
    ],
)
def test_an_odd_optional_value_is_a_warning_not_a_rejection(con, header, cell, stored_as, ending):
    field = importing.guess_mapping([header])
    (name,) = field
    plan = plan_for(con, f"Date,Company,Question,{header}\n2026-03-05,Acme,Q,{cell}\n")
    assert plan.rows_rejected == 0 and plan.rows_new == 1
    assert plan.preview[name].tolist() == [stored_as]
    assert plan.warnings[["line", "column"]].values.tolist() == [[2, header]]
    assert plan.warnings["message"][0].endswith(ending)


def test_warnings_reach_the_result_and_are_downloadable(con):
    plan, result = run_import(con, "Date,Company,Stage\n2026-03-05,Acme,lunch\n")
    assert result.rows_imported == 1 and result.to_dict()["warnings"] == plan.warning_records
    assert importing.errors_csv(plan.warning_records).decode().splitlines()[1].startswith('2,Stage,"""lunch""')


def test_a_rating_of_no_value_without_a_question_loses_nothing_and_is_not_warned_of(con):
    plan = plan_for(
        con, "Date,Company,Question,Rating\n2026-03-05,Acme,,N/A\n2026-03-06,Beta,, - \n2026-03-07,Gamma,,4\n"
    )
    assert plan.rows_rejected == 0 and plan.rows_new == 3
    # Only the 4 is a detail the interview is imported without: "N/A" and "-" are no rating.
    assert plan.warnings[["line", "column"]].values.tolist() == [[4, "Question"]]


def test_an_empty_category_is_no_category_never_a_category_named_empty(con):
    plan, _ = run_import(con, "Date,Company,Question,Category\n2026-03-05,Acme,Q1,\n2026-03-05,Acme,Q2,  \n")
    assert plan.categories_added == []
    assert con.execute("SELECT count(*) FROM categories WHERE trim(name) = ''").fetchone() == (0,)
    assert con.execute("SELECT DISTINCT category FROM questions").fetchall() == [("other",)]


# --- mapping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["companyName", "createdAt", "jobTitle"], {"company": "companyName", "date": "createdAt", "role": "jobTitle"}),
        (["interview_date", "company_name"], {"date": "interview_date", "company": "company_name"}),
        (["Date Applied", "Interview Date", "Company"], {"date": "Interview Date", "company": "Company"}),
        (["Status", "Result", "Company", "Date"], {"outcome": "Result", "company": "Company", "date": "Date"}),
        (["Date", "Company", "Match Score", "DSA Final Score"], {"date": "Date", "company": "Company"}),
        (
            ["Date", "Company", "Score (1-10)", "Self rating"],
            {"date": "Date", "company": "Company", "rating": "Self rating"},
        ),
        (["Date", "Company", "Score (1-10)"], {"date": "Date", "company": "Company", "rating": "Score (1-10)"}),
        (["Date", "Company", "My final score"], {"date": "Date", "company": "Company", "rating": "My final score"}),
    ],
)
def test_header_mapping_splits_words_prefers_the_specific_and_skips_other_scores(headers, expected):
    assert importing.guess_mapping(headers) == expected


def test_a_score_column_with_its_own_scale_is_taken_only_when_mapped(con):
    text = "Date,Company,Question,Match Score\n2026-03-05,Acme,Q,87\n"
    plan = plan_for(con, text)
    assert "rating" not in plan.mapping and plan.unmapped_columns == ["Match Score"]
    mapped = plan_for(
        con,
        text,
        ImportOptions(scale="0-100"),
        {"date": "Date", "company": "Company", "question": "Question", "rating": "Match Score"},
    )
    assert mapped.preview["rating"].tolist() == [4]


def test_guess_mapping_finds_the_fields_among_ten_thousand_headers():
    # Its speed on such a header is bench/import.py's "wide" figure, not a test's.
    headers = [f"Some column {i} of the sheet" for i in range(10_000)] + ["Interview date", "Employer"]
    mapping = importing.guess_mapping(headers)
    assert mapping["date"] == "Interview date" and mapping["company"] == "Employer"


def test_unmapped_columns_are_listed(con):
    plan = plan_for(con, "Date,Company,URL,Salary band\n2026-03-05,Acme,https://x,B\n")
    assert plan.unmapped_columns == ["URL", "Salary band"]


# --- tracker shapes -----------------------------------------------------------------------------


def test_a_row_without_a_question_keeps_its_notes_as_the_interviews_notes(con):
    plan, _ = run_import(con, "Date,Company,Notes\n2026-03-05,Acme,Referral from Ana\n")
    assert plan.warnings.empty and plan.errors.empty
    assert con.execute("SELECT role_notes FROM interviews").fetchall() == [("Referral from Ana",)]
    assert con.execute("SELECT count(*) FROM questions").fetchone() == (0,)


def test_role_notes_and_question_less_notes_are_both_kept(con):
    run_import(con, "Date,Company,Role notes,Notes\n2026-03-05,Acme,Remote ok,Call back Friday\n")
    assert con.execute("SELECT role_notes FROM interviews").fetchone() == ("Remote ok\n\nCall back Friday",)


def test_question_details_without_a_question_are_a_warning_and_the_interview_is_imported(con):
    plan, result = run_import(con, "Date,Company,Question,Rating\n2026-03-05,Acme,,4\n")
    assert result.interviews_added == 1 and plan.rows_rejected == 0
    assert plan.warnings[["line", "column"]].values.tolist() == [[2, "Question"]]


def test_merged_cells_are_filled_down_in_file_order(con):
    text = "Date,Company,Stage,Question\n2026-03-05,Acme,technical,Q1\n,,,Q2\n2026-03-06,Beta,final,Q3\n,,,Q4\n"
    plan, result = run_import(con, text)
    assert plan.rows_filled_down == 2 and result.rows_filled_down == 2
    rows = con.execute(
        "SELECT i.company, q.question FROM questions q JOIN interviews i ON i.id = q.interview_id ORDER BY q.question"
    ).fetchall()
    assert rows == [("Acme", "Q1"), ("Acme", "Q2"), ("Beta", "Q3"), ("Beta", "Q4")]


def test_a_field_the_first_row_leaves_empty_is_taken_from_the_first_later_row_that_has_it(con):
    text = (
        "Date,Company,Stage,Recruiter,Outcome,Format,Question\n"
        "2026-03-05,Acme,technical,,,,Q1\n"
        "2026-03-05,Acme,technical,Hays,,,Q2\n"
        "2026-03-05,Acme,technical,Randstad,offer,,Q3\n"
        "2026-03-06,Beta,final,,rejected,,Q4\n"
    )
    plan, result = run_import(con, text)
    assert result.interviews_added == 2 and plan.rows_rejected == 0
    rows = con.execute("SELECT company, recruiter, outcome, format FROM interviews ORDER BY company").fetchall()
    # Recruiter and outcome from the first row that has them; the empty Format column fills nothing.
    assert rows == [("Acme", "Hays", "offer", None), ("Beta", None, "rejected", None)]


def test_new_interviews_are_numbered_in_file_order(con):
    # Same-day rounds without a time are listed by id (the brief, a company's stages): the file's order.
    companies = [f"Company {letter}" for letter in "QWERTYUIOPAS"]
    text = "Date,Company,Question\n" + "".join(f"2026-03-05,{company},Why us?\n" for company in companies)
    _, result = run_import(con, text)
    assert result.interviews_added == len(companies)
    assert [c for (c,) in con.execute("SELECT company FROM interviews ORDER BY id").fetchall()] == companies


def test_a_continuation_row_at_the_top_has_nothing_to_fill_from_and_is_rejected(con):
    plan = plan_for(con, "Date,Company,Question\n,,Q0\n2026-03-05,Acme,Q1\n")
    assert plan.rows_filled_down == 0 and plan.errors["line"].tolist() == [2, 2]


@pytest.mark.parametrize(
    ("name", "counts", "warnings", "unmapped"),
    [
        # (rows read, rejected, filled down, interviews, questions)
        ("tracker-huntr.csv", (4, 1, 0, 3, 0), 0, ["Date Applied", "Match Score", "URL"]),
        ("tracker-notion.csv", (4, 0, 0, 3, 4), 2, []),
        ("tracker-google-forms.csv", (3, 0, 0, 2, 3), 0, []),
        ("tracker-merged-cells.csv", (5, 0, 3, 2, 5), 0, []),
    ],
)
def test_tracker_shapes_import_with_their_expected_counts(con, name, counts, warnings, unmapped):
    plan, result = run_import(con, (DATA / name).read_bytes(), name)
    assert (plan.rows_read, plan.rows_rejected, plan.rows_filled_down) == counts[:3]
    assert (result.interviews_added, result.questions_added) == counts[3:]
    assert len(plan.warning_records) == warnings and plan.unmapped_columns == unmapped


def test_the_huntr_shape_stores_status_as_outcome_and_notes_with_the_interview(con):
    run_import(con, (DATA / "tracker-huntr.csv").read_bytes(), "huntr.csv")
    rows = con.execute(
        "SELECT company, interview_date, outcome, role_notes FROM interviews ORDER BY company"
    ).fetchall()
    assert rows == [
        ("Acme", dt.date(2026, 1, 20), "pending", "Referral from Ana, salary 120k"),
        ("Globex", dt.date(2026, 2, 2), "offer", None),
        ("Initech", dt.date(2026, 1, 29), "rejected", "Too junior for them"),
    ]


def test_the_google_forms_shape_takes_the_time_from_the_timestamp(con):
    run_import(con, (DATA / "tracker-google-forms.csv").read_bytes(), "forms.csv")
    rows = con.execute("SELECT company, interview_date, interview_time FROM interviews ORDER BY company").fetchall()
    assert rows == [
        ("Acme", dt.date(2023, 7, 14), dt.time(15, 32, 10)),
        ("Globex", dt.date(2023, 7, 20), dt.time(9, 5, 44)),
    ]


def test_a_row_filled_down_from_a_rejected_interview_is_rejected_with_it(con):
    plan = plan_for(con, "Date,Company,Stage,Question\nnot a date,Acme,lunch,Q1\n,,,Q2\n")
    assert plan.errors["line"].tolist() == [2, 3] and plan.rows_new == 0
    assert (
        plan.errors["message"][1]
        == "This row continues the interview above it (merged cells), which cannot be imported."
    )
    assert plan.warnings["line"].tolist() == [2]  # the unknown stage, said once, on its own row


@pytest.mark.parametrize(
    ("cell", "people"),
    [
        ("Ana Ruiz (EM); Ben", [("Ana Ruiz", "EM"), ("Ben", None)]),
        (
            "Ana Ruiz (Engineering Manager) | Ben Ode\nCy",
            [("Ana Ruiz", "Engineering Manager"), ("Ben Ode", None), ("Cy", None)],
        ),
        ("Zoë (Zo) Quinn ()", [("Zoë (Zo) Quinn", None)]),  # how older exports wrote a name ending in ")"
        ("VP (Eng (Platform))", [("VP (Eng (Platform))", None)]),
        ("Ana\\; Ruiz (VP \\(Eng\\))", [("Ana; Ruiz", "VP (Eng)")]),
        ("C:\\temp", [("C:\\temp", None)]),  # a backslash before anything else is kept
        (" ; ;", []),
    ],
)
def test_interviewers_cells_hand_written_or_exported_are_read(con, cell, people):
    assert text.parse_people(cell) == people
    plan, _ = run_import(con, "Date,Company,Interviewers\n" + f'2026-03-05,Acme,"{cell}"\n')
    stored = con.execute("SELECT name, title FROM interviewers ORDER BY position").fetchall()
    assert stored == people


def test_a_file_as_wide_as_the_importer_reads_is_planned_and_still_skips_blank_rows(con):
    width = importing.staging.MAX_COLUMNS
    headers = ["Date", "Company", *(f"Field {i}" for i in range(width - 2))]
    filler = ",v" * (width - 2)
    rows = ["2026-03-05,Acme" + filler, "," * (width - 1), " ,\t" + "," * (width - 2), "2026-03-06,Beta" + filler]
    staged = importing.read_notes(con, ("\n".join([",".join(headers), *rows]) + "\n").encode(), "wide.csv")
    assert staged.width == width
    plan = importing.plan_import(con, staged)
    assert (plan.rows_read, plan.rows_new, plan.rows_rejected) == (2, 2, 0)
