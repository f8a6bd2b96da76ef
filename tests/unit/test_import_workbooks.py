"""Workbooks imported directly: .xlsx (written with openpyxl) and .ods (written by hand as zipped XML)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from analysis import importing
from analysis.importing import UnusableFile


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet: the mimetype first and stored, then the content."""
    cells = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Notes">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


NOTES = [
    ["Interview date", "Company", "Question", "Rating", None],
    [dt.datetime(2026, 3, 5), "Acme", "Why us?\nTell me more", 4, None],
    [None, None, None, None, None],
    [dt.date(2026, 3, 6), "Beta", "Design a cache", 3.0, None],
]


def test_xlsx_first_sheet_is_staged_with_sheet_row_numbers(con, tmp_path):
    path = write_xlsx(tmp_path / "notes.xlsx", {"Notes": NOTES, "Other": [["x"]]})
    staged = importing.read_notes(con, path)
    assert (staged.encoding, staged.sheet, staged.sheets) == ("xlsx workbook", "Notes", ["Notes", "Other"])
    assert staged.headers == ["Interview date", "Company", "Question", "Rating"]
    rows = con.execute(f"SELECT c0, c1, c2, c3 FROM {staged.table} ORDER BY rowid").fetchall()
    assert rows[1:] == [
        ("2026-03-05", "Acme", "Why us?\nTell me more", "4"),
        ("2026-03-06", "Beta", "Design a cache", "3"),
    ]
    from analysis.importing.lines import line_map

    assert list(line_map(con, staged).row_lines) == [1, 2, 4]  # the blank sheet row 3 is skipped, not renumbered
    importing.discard(con, staged)


def test_xlsx_named_sheet_is_read_and_a_missing_one_is_named(con, tmp_path):
    path = write_xlsx(tmp_path / "notes.xlsx", {"Cover": [["Read me"]], "Log": NOTES})
    staged = importing.read_notes(con, path, sheet="Log")
    assert staged.sheet == "Log" and staged.rows == 2
    importing.discard(con, staged)
    with pytest.raises(UnusableFile, match="no sheet called 'Nope'.*Cover, Log"):
        importing.read_notes(con, path, sheet="Nope")


def test_xlsx_imports_through_the_same_plan_and_report(con, tmp_path):
    path = write_xlsx(tmp_path / "notes.xlsx", {"Notes": NOTES})
    staged = importing.read_notes(con, path)
    plan = importing.plan_import(con, staged)
    assert (plan.rows_read, plan.rows_valid, plan.rows_rejected) == (2, 2, 0)
    importing.commit_import(con, plan)
    importing.discard(con, staged)
    assert con.execute("SELECT count(*) FROM questions").fetchone() == (2,)


def test_ods_written_by_hand_is_staged(con, tmp_path):
    path = write_ods(tmp_path / "notes.ods", [["Date", "Company", "Question"], ["2026-03-05", "Acme", "Why us?"]])
    staged = importing.read_notes(con, path)
    assert staged.encoding == "ods workbook"
    assert con.execute(f"SELECT c1 FROM {staged.table} WHERE rowid = 1").fetchone() == ("Acme",)
    importing.discard(con, staged)


def test_workbook_sheets_lists_sheets_for_the_page_and_nothing_for_csv(tmp_path):
    path = write_xlsx(tmp_path / "notes.xlsx", {"A": NOTES, "B": NOTES})
    assert importing.workbook_sheets(path.read_bytes(), "notes.xlsx") == ["A", "B"]
    assert importing.workbook_sheets(b"Date,Company\n", "notes.csv") == []


def test_cli_reads_the_named_sheet(db_path, tmp_path):
    import subprocess
    import sys

    path = write_xlsx(tmp_path / "notes.xlsx", {"Cover": [["Read me"]], "Log": NOTES})
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(path), "--sheet", "Log", "--dry-run", "--db", str(db_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 rows read" in done.stdout


def test_import_page_offers_the_sheets_of_a_workbook_and_reads_the_chosen_one(app, tmp_path):
    path = write_xlsx(tmp_path / "notes.xlsx", {"Cover": [["Read me"]], "Log": NOTES})
    app.switch_page("pages/import.py").run()
    content = path.read_bytes()
    app.file_uploader(key="import_upload").set_value(("notes.xlsx", content, "application/vnd.ms-excel"))
    app.run()
    sheet = next(w for w in app.selectbox if w.label == "Sheet")
    assert sheet.options == ["Cover", "Log"]
    assert app.error  # the cover sheet has no header that maps
    sheet.set_value("Log").run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert {m.label: m.value for m in app.metric}["Rows read"] == "2"


def test_a_sheet_is_written_as_csv_writer_would_write_it(tmp_path):
    """The fast path joins plain rows itself: any cell that needs quoting must still be quoted."""
    import csv

    from analysis.importing.workbooks import _write_csv

    rows = [
        ["date", "company", "question"],
        ["2026-03-05", "Acme, Inc", 'He said "hi"'],
        ["x\ny", "a\rb", "3"],
        ["only", 'a "quote"', "here"],
        ["only", "a\nline end", "here"],
        ["only", "a\rreturn", "here"],
        ["plain", "", " spaced "],
        ["short"],
        ["long", "row", "cut", "", " "],
        *[[f"2026-01-{d:02d}", f"Firm {d}", "Why us?"] for d in range(1, 29)],
        ["after", "many plain rows", "then one, with a comma"],
    ]
    _write_csv(tmp_path / "fast.csv", rows, 3)
    with open(tmp_path / "slow.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows((row + [""] * 3)[:3] for row in rows)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "slow.csv").read_bytes()
