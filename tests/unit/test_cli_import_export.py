"""``python -m analysis import`` and ``export``: exit codes, --json, --strict, --dry-run."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from analysis import commands, interviews, store, stories
from analysis.interviews import Interview, Question
from analysis.stories import Story

GOOD_AND_BAD = (
    "Interview date;Employer;Round;Question asked;Score\n"
    "05.03.2026;Acme;phone;Tell me about yourself;8\n"
    "05.03.2026;Acme;phone;Why Acme?;6\n"
    "31.02.2026;Acme;phone;Bad date;5\n"
    "17.03.2026;Müller GmbH;onsite;;\n"
)


def counts(db_path) -> tuple[int, int]:
    con = store.connect(db_path).cursor()
    try:
        return con.execute("SELECT (SELECT count(*) FROM interviews), (SELECT count(*) FROM questions)").fetchone()
    finally:
        con.close()
        store.close(db_path)


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = commands.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(GOOD_AND_BAD, encoding="cp1252")
    return path


def test_import_json_reports_one_object_and_exits_0(capsys, db_path, notes):
    code, out, _ = run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10", "--json")
    assert code == 0
    report = json.loads(out)
    assert {
        "rows_read",
        "rows_imported",
        "rows_rejected",
        "rows_duplicate",
        "interviews_added",
        "questions_added",
        "errors",
    } <= set(report)
    assert (report["rows_read"], report["rows_imported"], report["rows_rejected"], report["rows_duplicate"]) == (
        4,
        3,
        1,
        0,
    )
    assert (report["interviews_added"], report["questions_added"]) == (2, 2)
    assert report["errors"] == [
        {
            "line": 4,
            "column": "Interview date",
            "message": '"31.02.2026" is not a date Debrief can read: use 2024-03-05, Mar 5, 2024, 05/03/2024 or 05.03.2024.',
        }
    ]
    assert counts(db_path) == (2, 2)


def test_reimport_reports_rows_already_there(capsys, db_path, notes):
    run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10")
    code, out, _ = run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10", "--json")
    report = json.loads(out)
    assert code == 0 and (report["rows_imported"], report["rows_duplicate"]) == (0, 3)
    assert counts(db_path) == (2, 2)


def test_human_summary_lists_the_first_errors(capsys, db_path, notes):
    code, out, _ = run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10")
    assert code == 0
    assert "4 rows read (cp1252, semicolon-separated)" in out
    assert "line 4 [Interview date]" in out
    assert "2 new interviews, 2 questions" in out


def test_strict_writes_nothing_and_exits_1(capsys, db_path, notes):
    code, out, _ = run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10", "--strict", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["rows_rejected"] == 1 and report["rows_imported"] == 0 and report["written"] is False
    assert counts(db_path) == (0, 0)


def test_dry_run_writes_nothing_and_says_what_it_would_do(capsys, db_path, notes):
    code, out, _ = run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10", "--dry-run", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True and report["written"] is False and report["rows_imported"] == 3
    assert counts(db_path) == (0, 0)


def test_map_and_dayfirst_options(capsys, db_path, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("When,Shop,Asked\n05/03/2026,Acme,Q1\n", encoding="utf-8")
    code, out, _ = run_cli(
        capsys,
        "import",
        str(path),
        "--db",
        str(db_path),
        "--map",
        "company=Shop",
        "--map",
        "question=Asked",
        "--dayfirst",
        "--json",
    )
    assert code == 0 and json.loads(out)["questions_added"] == 1
    con = store.connect(db_path).cursor()
    assert con.execute("SELECT interview_date::VARCHAR, company FROM interviews").fetchall() == [("2026-03-05", "Acme")]
    con.close()
    store.close(db_path)


def test_map_overrides_a_guess_that_used_the_same_column(capsys, db_path, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Date,Company,Title,Role\n2026-03-05,Acme,Ana,Dev\n", encoding="utf-8")
    # "Title" would be guessed as the role; mapping it to recruiter instead must not clash.
    code, out, _ = run_cli(capsys, "import", str(path), "--db", str(db_path), "--map", "recruiter=Title", "--json")
    assert code == 0 and json.loads(out)["mapping"]["recruiter"] == "Title"
    con = store.connect(db_path).cursor()
    assert con.execute("SELECT role, recruiter FROM interviews").fetchall() == [("Dev", "Ana")]
    con.close()
    store.close(db_path)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "not a text file"),
        (b"Question,Rating\nQ,4\n", "company"),
        (b"Date,Company\n", "no rows"),
    ],
    ids=["empty", "binary", "required-missing", "header-only"],
)
def test_unusable_files_exit_1_and_write_nothing(capsys, db_path, tmp_path, content, needle):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, out, err = run_cli(capsys, "import", str(path), "--db", str(db_path), "--json")
    assert code == 1
    report = json.loads(out)
    assert needle in report["error"] and needle in err
    assert counts(db_path) == (0, 0)


def test_missing_required_column_lists_the_headers_found(capsys, db_path, tmp_path):
    path = tmp_path / "nocompany.csv"
    path.write_text("Date,Question,Rating\n2026-03-05,Q,4\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(path), "--db", str(db_path))
    assert code == 1
    assert "company" in err and "Headers found: Date, Question, Rating" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["import"],
        ["import", "x.csv", "--scale", "ten"],
        ["import", "x.csv", "--map", "nonsense"],
        ["import", "x.csv", "--map", "colour=Date"],
        ["import", "x.csv", "--dayfirst", "--monthfirst"],
        ["export"],
    ],
    ids=["no-file", "bad-scale", "map-without-equals", "unknown-field", "both-orders", "export-no-out"],
)
def test_usage_errors_exit_2(capsys, db_path, argv):
    code, _, err = run_cli(capsys, *argv, "--db", str(db_path))
    assert code == 2 and "usage:" in err


def test_map_to_a_header_the_file_lacks_exits_2(capsys, db_path, notes):
    code, _, err = run_cli(capsys, "import", str(notes), "--db", str(db_path), "--map", "company=Nope")
    assert code == 2 and "Nope" in err and "Employer" in err
    assert counts(db_path) == (0, 0)


def test_export_writes_the_canonical_csv_and_a_backup(capsys, db_path, notes, tmp_path):
    run_cli(capsys, "import", str(notes), "--db", str(db_path), "--scale", "1-10")
    out_csv = tmp_path / "out.csv"
    code, out, _ = run_cli(capsys, "export", str(out_csv), "--db", str(db_path))
    assert code == 0 and "Exported 3 rows" in out
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("interview,date,time,company,role,stage") and len(lines) == 4
    code, out, _ = run_cli(capsys, "export", "--backup", str(tmp_path / "b.zip"), "--db", str(db_path))
    assert code == 0 and (tmp_path / "b.zip").exists()


def test_export_to_an_unwritable_place_exits_1(capsys, db_path, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "export", str(blocker / "out.csv"), "--db", str(db_path))
    assert code == 1 and "could not write" in err


def test_python_dash_m_analysis_import_runs_end_to_end(tmp_path, repo_root):
    path = tmp_path / "notes.csv"
    path.write_text("date,company,question\n2026-03-05,Acme,Q1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(path), "--db", str(tmp_path / "x.duckdb"), "--json"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["questions_added"] == 1


def test_import_json_lists_warnings_unmapped_columns_and_rows_filled_down(capsys, db_path, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text(
        "Date,Company,Stage,Question,Match Score\n2026-03-05,Acme,Hiring manager,Q1,87\n,,,Q2,90\n", encoding="utf-8"
    )
    code, out, _ = run_cli(capsys, "import", str(path), "--db", str(db_path), "--json")
    report = json.loads(out)
    assert code == 0 and report["rows_rejected"] == 0 and report["rows_imported"] == 2
    assert report["warnings"] == [
        {
            "line": 2,
            "column": "Stage",
            "message": '"Hiring manager" is not a stage Debrief knows (recruiter screen, phone screen, technical, '
            "take-home, onsite/panel, final, other): kept as other.",
        }
    ]
    assert report["unmapped_columns"] == ["Match Score"] and report["rows_filled_down"] == 1
    assert counts(db_path) == (1, 2)


def test_human_summary_lists_warnings_and_the_columns_not_imported(capsys, db_path, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text("Date,Company,Rating,Question,URL\n2026-03-05,Acme,meh,Q1,https://x\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", str(path), "--db", str(db_path))
    assert code == 0
    assert "Columns not imported: URL." in out
    assert "1 warning (imported without the value):" in out and 'line 2 [Rating]: "meh" is not a rating' in out


def _story_and_link(db_path) -> None:
    """A database with one answer linked to the story "Kafka migration"."""
    con = store.connect(db_path).cursor()
    try:
        saved = interviews.save_interview(
            con, Interview(company="Acme", interview_date=dt.date(2026, 3, 5), questions=[Question("Q1")])
        )
        story = stories.save_story(con, Story("Kafka migration", situation="S", competencies=["tech"]))
        stories.link_answer(con, saved.questions[0].id, story.id)
    finally:
        con.close()
        store.close(db_path)


def test_export_writes_the_story_bank_beside_the_csv_when_there_are_stories(capsys, db_path, tmp_path):
    code, out, _ = run_cli(capsys, "export", str(tmp_path / "empty.csv"), "--db", str(db_path))
    assert code == 0 and not (tmp_path / "empty-stories.csv").exists() and "stories.csv" not in out
    _story_and_link(db_path)
    code, out, _ = run_cli(capsys, "export", str(tmp_path / "out.csv"), "--db", str(db_path))
    assert code == 0 and "Exported 1 story to" in out
    bank = (tmp_path / "out-stories.csv").read_text(encoding="utf-8").splitlines()
    assert bank == ["title,situation,task,action,result,competencies", "Kafka migration,S,,,,tech"]
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1].endswith(",Kafka migration")
    code, _, _ = run_cli(
        capsys, "export", str(tmp_path / "b.csv"), "--stories", str(tmp_path / "s.csv"), "--db", str(db_path)
    )
    assert code == 0 and (tmp_path / "s.csv").exists() and not (tmp_path / "b-stories.csv").exists()


def test_import_of_the_story_bank_file_reports_its_stories(capsys, db_path, tmp_path):
    _story_and_link(db_path)
    run_cli(capsys, "export", str(tmp_path / "out.csv"), "--db", str(db_path))
    other = tmp_path / "other.duckdb"
    try:
        code, out, _ = run_cli(capsys, "import", str(tmp_path / "out-stories.csv"), "--db", str(other), "--json")
        report = json.loads(out)
        assert code == 0 and report["kind"] == "story bank" and report["stories_added"] == ["Kafka migration"]
        assert (report["rows_read"], report["rows_imported"], report["rows_rejected"]) == (1, 1, 0)
        code, out, _ = run_cli(capsys, "import", str(tmp_path / "out.csv"), "--db", str(other))
        assert code == 0 and "Imported 1 row:" in out and "story bank" not in out
        code, out, _ = run_cli(capsys, "import", str(tmp_path / "out-stories.csv"), "--db", str(other))
        assert code == 0 and "1 row named a story already in your story bank" in out
        con = store.connect(other).cursor()
        assert con.execute("SELECT count(*) FROM question_stories").fetchone() == (1,)
        con.close()
    finally:
        store.close(other)


def test_a_header_nobody_recognises_is_named_with_the_map_options_that_import_it(tmp_path, capsys):
    notes = tmp_path / "carnet.csv"
    notes.write_text("Quand;Boîte;Sujet\n2026-03-05;Acme;Why us?\n", encoding="utf-8")
    db = str(tmp_path / "d.duckdb")
    code, _, err = run_cli(capsys, "import", str(notes), "--db", db)
    assert code == 1 and "Traceback" not in err
    assert "The first row has: Quand, Boîte, Sujet. Say which column is which, e.g. --map date='Quand'" in err
    code, out, _ = run_cli(capsys, "import", str(notes), "--db", db, "--map", "date=Quand", "--map", "company=Boîte")
    assert code == 0 and "Imported 1 row: 1 new interview" in out
