"""The app's DuckDB sandbox is the size of the data: the database file, its log and a private scratch folder.

And no connection Debrief opens, the app's or the command line's, ever
downloads or loads a DuckDB extension by itself.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analysis import backup, export, interviews, scratch, store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def locked_down(tmp_path, monkeypatch):
    """A restricted connection (as the app opens) to a database in a folder that also holds private files."""
    monkeypatch.setattr(store, "_restricted", True)
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "id_rsa").write_text("a,b\nsecret,key\n")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    con = store.open_database(tmp_path / "jobhunt.duckdb")
    yield con
    con.close()


@pytest.mark.parametrize("name", ["notes.csv", ".ssh/id_rsa", "jobhunt.duckdb.tmp/x.csv", "../x.csv"])
def test_files_beside_the_database_are_out_of_reach(locked_down, tmp_path, name):
    with pytest.raises(duckdb.PermissionException):
        locked_down.execute("SELECT * FROM read_csv(?)", [str(tmp_path / name)]).fetchall()


def test_a_path_that_climbs_out_of_the_scratch_folder_is_refused(locked_down, tmp_path):
    sneaky = f"{scratch.scratch_dir()}/../../{tmp_path.relative_to('/')}/notes.csv"
    with pytest.raises(duckdb.PermissionException):
        locked_down.execute("SELECT * FROM read_csv(?)", ["/" + sneaky.lstrip("/")]).fetchall()


def test_the_database_its_log_and_checkpoints_still_work(locked_down, sample_interview):
    saved = interviews.save_interview(locked_down, sample_interview)
    locked_down.execute("CHECKPOINT")
    assert interviews.load_interview(locked_down, saved.id).company == sample_interview.company


def test_backups_and_exports_work_under_the_sandbox(locked_down, tmp_path, sample_interview):
    interviews.save_interview(locked_down, sample_interview)
    counts = backup.write_backup(locked_down, tmp_path / "debrief.backup.zip")
    assert counts["interviews"] == 1
    assert b"Northwind" in export.export_csv(locked_down)
    copy = store.copy_file_safely(tmp_path / "jobhunt.duckdb", tmp_path / "jobhunt.backup-test.duckdb")
    assert copy.stat().st_size > 0


def test_the_scratch_folder_is_reachable(locked_down):
    staged = scratch.scratch_dir() / "upload-sandbox-test.csv"
    staged.write_text("a,b\n1,2\n")
    try:
        assert locked_down.execute("SELECT * FROM read_csv(?)", [str(staged)]).fetchall() == [(1, 2)]
    finally:
        staged.unlink()


def test_the_sandbox_cannot_be_undone_by_sql(locked_down):
    for statement in ("SET enable_external_access = true", "SET allowed_directories = ['/']"):
        with pytest.raises(duckdb.Error):
            locked_down.execute(statement)


def test_every_connection_has_extension_autoloading_off(tmp_path):
    con = store.open_database(tmp_path / "plain.duckdb")
    try:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() "
                "WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions')"
            ).fetchall()
        )
    finally:
        con.close()
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


@pytest.mark.parametrize("restricted", [False, True], ids=["command line", "app"])
def test_every_connection_keeps_duckdb_to_debriefs_memory_budget(tmp_path, monkeypatch, restricted):
    monkeypatch.setattr(store, "_restricted", restricted)
    con = store.open_database(tmp_path / "plain.duckdb")
    try:
        (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone()
    finally:
        con.close()
    # store.MEMORY_LIMIT (768MB) as DuckDB shows it, not its default of 80% of the machine.
    assert (store.MEMORY_LIMIT, limit) == ("768MB", "732.4 MiB")


def _sqlite_file(path: Path) -> Path:
    with sqlite3.connect(path) as sqlite:
        sqlite.execute("CREATE TABLE notes (a TEXT)")
    return path


def test_a_sqlite_file_is_refused_clearly_without_a_download(tmp_path):
    path = _sqlite_file(tmp_path / "jobhunt.duckdb")
    with pytest.raises(store.DatabaseUnreadable) as refused:
        store.open_database(path)
    message = str(refused.value)
    assert "not a DuckDB database" in message and "sqlite extension" in message
    # With autoinstall on, DuckDB would have said it failed to download it (or installed it).
    cause = str(refused.value.__cause__)
    assert "Install it first" in cause and "download" not in cause.lower()


def test_the_command_line_refuses_a_sqlite_file_without_a_download(tmp_path):
    path = _sqlite_file(tmp_path / "jobhunt.duckdb")
    home = tmp_path / "home"  # DuckDB would install extensions under ~/.duckdb
    home.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "due", "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode != 0
    assert "not a DuckDB database" in result.stderr + result.stdout
    assert not (home / ".duckdb").exists()
