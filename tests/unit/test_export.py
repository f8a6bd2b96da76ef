"""Export: the canonical CSV the importer reads back exactly, and the Parquet backup."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import duckdb
import pytest

from analysis import backup, export, importing, interviews, schema, store
from analysis.interviews import Interview, Interviewer, Question


def rows_of(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def dump(con) -> list[Interview]:
    out = []
    for (interview_id,) in con.execute("SELECT id FROM interviews ORDER BY interview_date, company, id").fetchall():
        loaded = interviews.load_interview(con, interview_id)
        loaded.id = loaded.revision = None
        for q in loaded.questions:
            q.id = None
        out.append(loaded)
    return out


TRICKY = Interview(
    company="Über & Co, Ltd",
    role="Staff Engineer",
    interview_date=dt.date(2026, 1, 2),
    interview_time=dt.time(9, 5, 30),
    stage="onsite/panel",
    format="in person",
    recruiter="@recruiter",
    outcome="rejected",
    decided_on=dt.date(2026, 1, 9),
    role_notes='Said "no remote"; big team',
    company_notes="Zoë's startup 🚀",
    people_notes="+ friendly\n- late",
    culture_notes="\tindented first line\r\nsecond line",
    questions_to_ask="'=already quoted",
    interviewers=[Interviewer("Zoë (Zo) Quinn"), Interviewer("Ana Ruiz", "VP, Engineering")],
    questions=[
        Question("=SUM(1)", "technical", 1, "negative", clarify="+1", better_answer="-x", notes="@me"),
        Question("Why 🚀?\nReally, why?", "culture/motivation", 5, "positive", notes="\tTab-leading"),
        Question("=SUM(1)", "my own category", None, None),
    ],
)


def test_export_has_the_canonical_headers_and_one_row_per_question(con, sample_interview):
    interviews.save_interview(con, sample_interview)
    interviews.save_interview(con, Interview(company="Beta", interview_date=dt.date(2026, 11, 21), stage="final"))
    data = export.export_csv(con)
    assert data.decode().splitlines()[0] == ",".join((schema.INTERVIEW_IDENTITY, *schema.FIELD_NAMES))
    rows = rows_of(data)
    assert [r["question"] for r in rows] == [
        "Tell me about yourself",
        "Design a rate limiter",
        "Why Northwind?",
        "",
    ]
    assert rows[0]["interviewers"] == "Ana Ruiz (Engineering Manager); Ben Ode"
    assert rows[0]["time"] == "14:30" and rows[0]["date"] == "2026-11-20"
    assert {r["company"] for r in rows[:3]} == {"Northwind"}
    assert rows[3]["company"] == "Beta" and rows[3]["rating"] == "" and rows[3]["category"] == ""


def test_formula_looking_text_is_neutralised(con):
    interviews.add_category(con, "my own category")
    interviews.save_interview(con, TRICKY)
    rows = rows_of(export.export_csv(con))
    first = rows[0]
    assert first["question"] == "'=SUM(1)"
    assert (first["clarify"], first["better_answer"], first["notes"]) == ("'+1", "'-x", "'@me")
    assert first["recruiter"] == "'@recruiter"
    assert first["people_notes"] == "'+ friendly\n- late"
    assert first["culture_notes"].startswith("'\t")
    assert first["questions_to_ask"] == "''=already quoted"
    assert first["company"] == "Über & Co, Ltd"
    assert first["rating"] == "1"  # numbers are not text: no quote


def test_export_then_import_into_an_empty_database_gives_back_the_same_data(con, sample_interview, tmp_path):
    interviews.add_category(con, "my own category")
    interviews.save_interview(con, sample_interview)
    interviews.save_interview(con, TRICKY)
    interviews.save_interview(con, Interview(company="Gamma", interview_date=dt.date(2026, 2, 3), outcome="offer"))
    path = tmp_path / "out" / "export.csv"
    rows = export.write_export(con, path)
    assert rows == 3 + 3 + 1

    other = store.connect(tmp_path / "other.duckdb").cursor()
    try:
        plan, result = importing.import_file(other, path)
        assert plan.rows_rejected == 0, plan.errors
        assert (result.interviews_added, result.questions_added) == (3, 6)
        assert dump(other) == dump(con)
        assert "my own category" in interviews.categories(other)
        # And a second import of the same export adds nothing.
        _, again = importing.import_file(other, path)
        assert (again.rows_imported, again.rows_duplicate) == (0, 7)
    finally:
        other.close()
        store.close(tmp_path / "other.duckdb")


def test_export_with_bom_is_read_back(con, sample_interview, tmp_path):
    interviews.save_interview(con, sample_interview)
    data = export.export_csv(con, bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    other = store.connect(tmp_path / "other.duckdb").cursor()
    try:
        plan, _ = importing.import_file(other, data, "export.csv")
        assert plan.staged.encoding == "utf-8-sig" and plan.mapping["date"] == "date"
        assert dump(other) == dump(con)
    finally:
        other.close()
        store.close(tmp_path / "other.duckdb")


def test_an_empty_database_exports_just_the_header(con):
    assert export.export_csv(con).decode().splitlines() == [",".join((schema.INTERVIEW_IDENTITY, *schema.FIELD_NAMES))]


def test_backup_is_a_zip_of_parquet_tables_with_a_manifest(con, sample_interview, tmp_path):
    interviews.save_interview(con, sample_interview)
    data = backup.backup_zip(con)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {f"{t}.parquet" for t in schema.ALL_TABLES} <= names and "manifest.json" in names
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"]["questions"] == 3 and manifest["tables"]["interviewers"] == 2
    assert manifest["schema_version"] >= 3
    archive.extractall(tmp_path / "restore")
    check = duckdb.connect()
    questions = check.execute(
        "SELECT question, rating FROM read_parquet($p) ORDER BY position",
        {"p": str(tmp_path / "restore" / "questions.parquet")},
    ).fetchall()
    check.close()
    assert questions == [("Tell me about yourself", 4), ("Design a rate limiter", 2), ("Why Northwind?", 3)]


def test_backup_written_to_a_path_reports_rows_per_table(con, sample_interview, tmp_path):
    interviews.save_interview(con, sample_interview)
    counts = backup.write_backup(con, tmp_path / "b" / "backup.zip")
    assert counts["interviews"] == 1 and counts["questions"] == 3
    assert (tmp_path / "b" / "backup.zip").exists() and not (tmp_path / "b" / "backup.zip.part").exists()


def test_upload_import_export_and_backup_work_on_the_apps_sandboxed_connection(tmp_path, monkeypatch):
    # The app opens databases that may touch only the scratch folder and the database's own folder.
    monkeypatch.setattr(store, "_restricted", True)
    path = tmp_path / "sandboxed.duckdb"
    con = store.connect(path).cursor()
    try:
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_csv('/etc/hostname')").fetchall()
        text = "Date,Company,Question,Notes\n2026-03-05,Acme,=SUM(1),a\nnot a date,Beta,Q,b\n"
        staged = importing.read_notes(con, text.encode(), "upload.csv")
        plan = importing.plan_import(con, staged)
        assert plan.errors["line"].tolist() == [3]
        result = importing.commit_import(con, plan)
        importing.discard(con, staged)
        assert result.questions_added == 1
        assert rows_of(export.export_csv(con))[0]["question"] == "'=SUM(1)"
        assert "questions.parquet" in zipfile.ZipFile(io.BytesIO(backup.backup_zip(con))).namelist()
    finally:
        con.close()
        store.close(path)


def test_backup_includes_tables_added_by_later_migrations(con):
    con.execute('CREATE TABLE "odd name" (x INTEGER)')
    con.execute('INSERT INTO "odd name" VALUES (1), (2)')
    archive = zipfile.ZipFile(io.BytesIO(backup.backup_zip(con)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"]["odd name"] == 2
    assert manifest["files"]["odd name"] in archive.namelist()
