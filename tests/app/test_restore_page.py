"""Restoring a full backup on the Export page, under AppTest, with the app's file access restricted."""

import pytest

from analysis import backup, interviews, store


@pytest.fixture
def backup_of_northwind(tmp_path, sample_interview, monkeypatch):
    """A backup zip's bytes holding the sample interview, made on another database as the app makes them."""
    monkeypatch.setattr(store, "_restricted", True)
    source = tmp_path / "elsewhere" / "debrief.duckdb"
    con = store.connect(source).cursor()
    try:
        interviews.save_interview(con, sample_interview)
        return backup.backup_zip(con)
    finally:
        con.close()
        store.close(source)


def _upload(app, data: bytes):
    app.switch_page("pages/export.py").run()
    assert not app.exception, app.exception
    app.file_uploader(key="restore_upload").set_value(("debrief-backup.zip", data, "application/zip"))
    app.run()
    assert not app.exception, app.exception


def _restore_button(app):
    return next(b for b in app.button if b.label == "Restore")


def test_a_backup_uploaded_into_an_empty_database_is_restored_and_shown(app, db_path, backup_of_northwind):
    _upload(app, backup_of_northwind)
    assert not app.checkbox  # nothing to replace: no confirmation asked
    _restore_button(app).click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith("Restored 1 interview, 3 questions")
    con = store.connect(db_path).cursor()
    assert [row.company for row in interviews.list_interviews(con).itertuples()] == ["Northwind"]
    app.switch_page("pages/interviews.py").run()
    assert not app.exception
    assert "Northwind" in app.dataframe[0].value["company"].tolist()


def test_restoring_over_data_asks_first_and_keeps_a_backup(app, db_path, backup_of_northwind, sample_interview):
    con = store.connect(db_path).cursor()
    interviews.save_interview(
        con, interviews.Interview(company="Contoso", interview_date=sample_interview.interview_date)
    )
    _upload(app, backup_of_northwind)
    assert "already holds 1 interview" in app.warning[0].value
    assert _restore_button(app).disabled
    app.checkbox(key="restore_confirm").check().run()
    _restore_button(app).click().run()
    assert not app.exception, app.exception
    assert "What was here before is saved in" in app.success[0].value
    assert con.execute("SELECT company FROM interviews").fetchall() == [("Northwind",)]
    assert list(db_path.parent.glob("debrief.backup-before-restore-*.zip"))


def test_a_bad_backup_is_refused_on_the_page_with_its_reason(app, db_path):
    _upload(app, b"PK not really a zip")
    _restore_button(app).click().run()
    assert not app.exception
    assert "not a zip" in app.error[0].value
