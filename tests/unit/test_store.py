"""Opening the database: paths, the shared connection, and a file held by another process."""

import dataclasses
from pathlib import Path

import duckdb
import pytest

from analysis import interviews, store

ROOT = Path(__file__).resolve().parents[2]


def test_database_path_follows_debrief_db(db_path):
    assert store.database_path() == db_path.resolve()
    assert store.database_path("other.duckdb").name == "other.duckdb"


def test_database_path_defaults_to_data_folder(monkeypatch):
    monkeypatch.delenv("DEBRIEF_DB", raising=False)
    assert store.database_path().parts[-2:] == ("data", "debrief.duckdb")


def test_demo_database_sits_beside_the_real_one(db_path):
    assert store.demo_path(db_path) == db_path.with_name("debrief-demo.duckdb")


def test_database_file_names_the_open_file_or_memory(con, db_path):
    assert store.database_file(con) == db_path.resolve()
    with duckdb.connect(":memory:") as memory:
        assert str(store.database_file(memory)) == ":memory:"


def test_connect_returns_one_connection_per_path(db_path, tmp_path):
    assert store.connect(db_path) is store.connect(str(db_path))
    other = tmp_path / "other.duckdb"
    try:
        assert store.connect(other) is not store.connect(db_path)
    finally:
        store.close(other)


def test_data_version_changes_on_every_write(con, sample_interview):
    before = store.data_version(con)
    saved = interviews.save_interview(con, sample_interview)
    after_save = store.data_version(con)
    interviews.delete_interview(con, saved.id)
    assert before < after_save < store.data_version(con)


def test_file_held_by_another_process_gives_a_clear_message(tmp_path, held_by_another_process, monkeypatch):
    monkeypatch.setattr(store, "LOCK_WAIT_S", 0.2)  # the holder never lets go: what is said is the point here
    path = tmp_path / "held.duckdb"
    holder = held_by_another_process(path)
    with pytest.raises(store.DatabaseLocked) as caught:
        store.open_database(path)
    message = str(caught.value)
    assert f"process {holder.pid}" in message
    assert "python" in message
    assert "Close that program" in message
    assert caught.value.pid == holder.pid


def test_settings_round_trip(con):
    assert store.get_setting(con, "demo") is None
    assert not store.is_demo(con)
    store.set_setting(con, "demo", "true")
    assert store.is_demo(con)
    store.set_setting(con, "demo", None)
    assert store.get_setting(con, "demo", "absent") == "absent"


def test_not_a_database_gives_a_clear_message(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("this is a text file, not a database\n" * 100)
    with pytest.raises(store.DatabaseUnreadable, match="is not a DuckDB database"):
        store.open_database(path)


def test_every_write_path_moves_the_stored_version(con, db_path, sample_interview, tmp_path):
    """Each public function that writes history records the change in the file, whoever calls it
    (the Log page's drafts, work in progress, leave it alone: see the test after this one)."""
    import datetime as dt

    from analysis import backup, brief, demo, followup_settings, followups, importing, practice, stories

    saved = interviews.save_interview(con, sample_interview)
    weak = next(q for q in saved.questions if q.rating and q.rating <= 2)
    story = stories.save_story(con, stories.Story("Migration", situation="Old system"))
    zip_path = tmp_path / "backup.zip"
    backup.write_backup(con, zip_path)
    csv = b"company,interview_date,question,rating\nAcme,2026-11-02,Why us?,3\n"
    writes = {
        "save_interview": lambda: interviews.save_interview(con, saved),
        "add_category": lambda: interviews.add_category(con, "take-home"),
        "save_followup": lambda: followups.update_followup(con, saved.id, contact="Ana"),
        "tick": lambda: followups.tick(con, saved.id, "review"),
        "untick": lambda: followups.untick(con, saved.id, "review"),
        "mark_sent": lambda: followups.mark_sent(con, saved.id, "thank_you"),
        "mark_unsent": lambda: followups.mark_unsent(con, saved.id, "thank_you"),
        "save_settings": lambda: followup_settings.save_settings(con, followup_settings.Settings()),
        "set_setting": lambda: store.set_setting(con, "theme", "light"),
        "mark_clarified": lambda: brief.mark_clarified(con, weak.id, dt.date(2026, 11, 21)),
        "practice sync": lambda: practice.sync(con),
        "practice grade": lambda: practice.grade(con, practice.all_cards(con)[0].id, "good"),
        "set_threshold": lambda: practice.set_threshold(con, 3),
        "save_story": lambda: stories.save_story(con, stories.Story("Outage", situation="Paged at 3am")),
        "link_answer": lambda: stories.link_answer(con, weak.id, story.id),
        "unlink_answer": lambda: stories.unlink_answer(con, weak.id, story.id),
        "delete_story": lambda: stories.delete_story(con, story.id),
        "import": lambda: importing.import_file(con, csv, "notes.csv"),
        "restore": lambda: backup.restore(con, zip_path, replace=True),
        "delete_interview": lambda: interviews.delete_interview(con, saved.id),
    }
    for name, write in writes.items():
        before = store.data_version(con)
        write()
        assert store.data_version(con) > before, f"{name} wrote without moving the data version"
    demo_con = store.connect(tmp_path / "demo.duckdb").cursor()
    before = store.data_version(demo_con)
    demo.generate(demo_con, interviews=3, today=dt.date(2026, 6, 1))
    assert store.data_version(demo_con) > before, "demo.generate wrote without moving the data version"
    store.close(tmp_path / "demo.duckdb")


def test_drafts_are_written_without_moving_the_data_version(con, db_path, sample_interview):
    """The Log page writes its draft on every change: the caches of Home, the Dashboard and the
    sidebar's count (keyed by the data version) must not all be worked out again each time."""
    from analysis import drafts

    key = drafts.new_key()
    before = store.data_version(con)
    drafts.save_draft(con, key, sample_interview)
    drafts.save_draft(con, key, dataclasses.replace(sample_interview, company="Initech"))
    assert store.data_version(con) == before
    assert drafts.load_draft(store.connect(db_path).cursor(), key).interview.company == "Initech"  # committed
    assert drafts.discard_draft(con, key)
    assert store.data_version(con) == before and drafts.load_draft(con, key) is None


def test_no_module_but_drafts_reads_or_writes_the_working_tables():
    """Why drafts may leave the data version alone: nothing computed from the data (and cached by
    its version) reads them. Backup and restore go through ``schema.ALL_TABLES``, by no table's name."""
    import re

    from analysis import schema

    named = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+({'|'.join(schema.WORKING_TABLES)})\b", re.IGNORECASE)
    users = {
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "analysis").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "ui.py"]
        if named.search(path.read_text())
    }
    assert users == {"analysis/drafts.py", "analysis/migrations.py"}


def test_a_read_leaves_the_version_alone(con, sample_interview):
    interviews.save_interview(con, sample_interview)
    before = store.data_version(con)
    interviews.counts(con)
    interviews.list_interviews(con)
    assert store.data_version(con) == before
