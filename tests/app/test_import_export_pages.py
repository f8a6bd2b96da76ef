"""The Import and Export pages under AppTest, with the app's file access restricted as in production."""

import io
import zipfile
from pathlib import Path

from analysis import interviews as iv
from analysis import store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

MESSY = (
    "Interview date;Employer;Job title;Round;Question asked;Topic;Score (1-10);Interviewer reaction;Status\n"
    "05/03/2024;Acme;Data Engineer;Technical;Design a cache;technical;4;negative;Next round\n"
    "05/03/2024;Acme;Data Engineer;Technical;Why Acme?;culture;9;positive;Next round\n"
    "13/03/2024;Globex;Analyst;Phone;Tell me about yourself;behavioral;7;neutral;Ghosted\n"
    "not a date;Initech;Analyst;Final;Salary?;salary;5;neutral;Declined\n"
).encode("cp1252")


def _upload(app, name, content):
    app.switch_page("pages/import.py").run()
    assert not app.exception, app.exception
    app.file_uploader(key="import_upload").set_value((name, content, "text/csv"))
    app.run()
    assert not app.exception, app.exception
    return app


def test_upload_maps_reports_and_imports_the_valid_rows(app, db_path):
    _upload(app, "notes.csv", MESSY)
    assert "semicolon" in app.success[0].value
    assert app.selectbox(key=next(k for k in _keys(app) if k.endswith("_company"))).value == "Employer"
    # "Score (1-10)" names the scale: the page picks it without being told.
    assert next(w for w in app.selectbox if w.label.startswith("Ratings")).value == "1-10"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Rows read"] == "4" and metrics["To import"] == "3" and metrics["Rejected"] == "1"
    problems = app.dataframe[0].value
    assert list(problems["line"]) == [5]
    assert "date" in problems.iloc[0]["column"].lower() or "date" in problems.iloc[0]["message"].lower()
    next(b for b in app.button if b.label.startswith("Import 3 rows")).click().run()
    assert not app.exception, app.exception
    con = store.connect(db_path).cursor()
    assert iv.counts(con)["interviews"] == 2 and iv.counts(con)["questions"] == 3
    assert app.success[0].value.startswith("Imported 3 rows")


def test_importing_the_same_file_again_adds_nothing(app, db_path):
    template = (SAMPLES / "template.csv").read_bytes()
    _upload(app, "template.csv", template)
    next(b for b in app.button if b.label.startswith("Import ")).click().run()
    before = iv.counts(store.connect(db_path).cursor())
    _upload(app, "template.csv", template)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["To import"] == "0" and metrics["Already there"] == str(before["questions"])
    assert next(b for b in app.button if b.label.startswith("Import ")).disabled
    assert iv.counts(store.connect(db_path).cursor()) == before


def test_an_unusable_file_gets_a_clear_message_and_no_traceback(app):
    _upload(app, "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert not app.exception
    assert app.error and "text" in app.error[0].value.lower()


def test_a_file_too_wide_to_read_is_refused_on_the_page_saying_how_wide(app):
    # On the app's own connection: sandboxed, and within Debrief's memory budget.
    header = ",".join(["Date", "Company", *(f"Field {i}" for i in range(9_998))])
    _upload(app, "wide.csv", (header + "\n2026-03-05,Acme" + ",v" * 9_998 + "\n").encode())
    assert app.error and app.error[0].value.startswith("This file has 10,000 columns; Debrief reads files of up to")


def test_export_page_offers_the_csv_and_the_backup(app, db_path, sample_interview):
    iv.save_interview(store.connect(db_path).cursor(), sample_interview)
    app.switch_page("pages/export.py").run()
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download all data (CSV)", "Download a full backup (zip)"]


def test_backup_zip_is_written_under_restricted_file_access(db_path, sample_interview, monkeypatch):
    from analysis import export

    monkeypatch.setattr(store, "_restricted", True)
    con = store.open_database(db_path)
    try:
        iv.save_interview(con, sample_interview)
        archive = zipfile.ZipFile(io.BytesIO(export.backup_zip(con)))
        names = set(archive.namelist())
        assert {"manifest.json", "interviews.parquet", "questions.parquet", "followups.parquet"} <= names
        assert b"Northwind" in export.export_csv(con)
    finally:
        con.close()


def _keys(app):
    return [w.key for w in app.selectbox if w.key]


def test_a_hundred_thousand_rows_import_through_the_page(app, db_path, tmp_path):
    import duckdb

    source = tmp_path / "big.csv"
    generator = duckdb.connect()
    generator.execute(
        f"""
        COPY (
          SELECT strftime(DATE '2020-01-01' + CAST(i // 4 % 1500 AS INTEGER), '%Y-%m-%d') AS "Interview date",
                 'Company ' || (i // 4) AS "Employer",
                 'Question ' || (i % 4) || ' on topic ' || (i % 997) AS "Question asked",
                 (1 + i % 5)::VARCHAR AS "Score"
          FROM range(100000) t(i)
        ) TO '{source}' (FORMAT csv, HEADER true)
        """
    )
    generator.close()
    _upload(app, "big.csv", source.read_bytes())
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Rows read"] == "100,000" and metrics["To import"] == "100,000"
    next(b for b in app.button if b.label.startswith("Import 100,000 rows")).click().run()
    assert not app.exception, app.exception
    counts = iv.counts(store.connect(db_path).cursor())
    assert counts["interviews"] == 25_000 and counts["questions"] == 100_000


def test_warnings_and_unmapped_columns_are_shown_and_downloadable(app):
    tracker = b"Date,Company,Stage,Question,URL\n2026-03-05,Acme,Hiring manager,Q1,https://x\n"
    _upload(app, "tracker.csv", tracker)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["To import"] == "1" and metrics["Rejected"] == "0"
    assert any(c.value == "Columns not imported: URL" for c in app.caption)
    warnings = app.dataframe[0].value
    assert warnings[["line", "column"]].values.tolist() == [[2, "Stage"]]
    assert warnings.iloc[0]["message"].endswith("kept as other.")
    downloads = app.get("download_button")
    assert any(b.proto.label == "Download the warnings (CSV)" for b in downloads)
    # A download must not rerun the page: a rerun mid-review redraws the import button under the user's thumb.
    assert all(b.proto.ignore_rerun for b in downloads)


def test_export_page_offers_the_story_bank_when_there_are_stories(app, db_path):
    from analysis import stories

    stories.save_story(store.connect(db_path).cursor(), stories.Story("Kafka migration", situation="S"))
    app.switch_page("pages/export.py").run()
    assert not app.exception, app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download all data (CSV)", "Download the story bank (CSV)", "Download a full backup (zip)"]


def test_a_story_bank_upload_is_reported_and_imported_as_stories(app, db_path):
    bank = b"title,situation,task,action,result,competencies\nKafka migration,S,T,A,R,tech\n,no title,,,,\n"
    _upload(app, "debrief-stories.csv", bank)
    assert app.subheader[0].value == "A story bank"
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["Rows read"], metrics["To import"], metrics["Rejected"]) == ("2", "1", "1")
    assert list(app.dataframe[0].value["line"]) == [3]
    next(b for b in app.button if b.label == "Import 1 story").click().run()
    assert not app.exception, app.exception
    con = store.connect(db_path).cursor()
    assert con.execute("SELECT title, result FROM stories").fetchall() == [("Kafka migration", "R")]


def test_a_header_nobody_recognises_is_mapped_by_hand_and_the_file_imports(app, db_path):
    notes = "Quand;Boîte;Sujet;Note\n2026-03-05;Acme;Why us?;4\n2026-03-05;Acme;Design a queue;2\n".encode()
    _upload(app, "carnet.csv", notes)
    assert app.error and "No header row could be mapped" in app.error[0].value
    boxes = {b.label: b for b in app.selectbox}
    assert boxes["date *"].options == ["(not in the file)", "Quand", "Boîte", "Sujet", "Note"]
    boxes["date *"].select("Quand").run()
    assert not app.exception, app.exception
    app.selectbox(key=next(k for k in _keys(app) if k.endswith("_company"))).select("Boîte").run()
    app.selectbox(key=next(k for k in _keys(app) if k.endswith("_question"))).select("Sujet").run()
    assert not app.exception, app.exception
    assert not app.error
    assert "header on line 1" in app.success[0].value
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["To import"] == "2" and metrics["Rejected"] == "0"
