"""Opening the database: paths, the shared connection, and a file held by another process."""

import duckdb
import pytest

from analysis import interviews, store


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


def test_file_held_by_another_process_gives_a_clear_message(tmp_path, held_by_another_process):
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
