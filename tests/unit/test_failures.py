"""Failures named for what they are: each its own message, in the library and on the command line, never a traceback.

Real conditions where this machine allows them (a small tmpfs for a full disk,
a read-only mount or folder), and the same DuckDB/OS messages simulated so the
translation is tested everywhere.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analysis import interviews, migrations, sql, store
from analysis.interviews import Interview

ENOSPC_COMMIT = (
    'TransactionContext Error: Failed to commit: Could not write file "/data/debrief.duckdb.wal": '
    "No space left on device"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(repo_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=repo_root, capture_output=True, text=True, timeout=120
    )


def mount_tmpfs(folder: Path, size: str, *options: str) -> bool:
    """Mount a tmpfs of ``size`` at ``folder``; False where this machine refuses (not root, no mount)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(folder)],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs folder, or a skip where mounting is refused (the simulated tests still run)."""
    folder = tmp_path / "small"
    if not mount_tmpfs(folder, "2m"):
        pytest.skip("cannot mount a tmpfs here; the simulated full-disk tests cover the message")
    yield folder
    store.close_all()
    unmount(folder)


@pytest.fixture
def read_only_folder(tmp_path):
    """Call with a function that fills the folder while it is writable; returns the folder, now read-only.

    As root, permissions do not stop writes, so a tmpfs remounted read-only is
    used; otherwise the folder is chmod 0555.
    """
    mounted = []

    def make(fill=lambda folder: None) -> Path:
        folder = tmp_path / "locked"
        if os.geteuid() == 0:
            if not mount_tmpfs(folder, "16m"):
                pytest.skip("root cannot be stopped by permissions and no read-only mount is possible here")
            mounted.append(folder)
            fill(folder)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        else:
            folder.mkdir()
            fill(folder)
            for child in folder.iterdir():
                child.chmod(0o444)
            folder.chmod(0o555)
        return folder

    yield make
    store.close_all()
    for folder in mounted:
        unmount(folder)
    locked = tmp_path / "locked"
    if locked.exists() and not mounted:
        locked.chmod(0o755)


def make_debrief_database(path: Path, interview: Interview | None = None) -> None:
    con = store.open_database(path)
    if interview is not None:
        interviews.save_interview(con, interview)
    con.execute("CHECKPOINT")
    con.close()


# --- out of memory --------------------------------------------------------------------------------


def _real_out_of_memory() -> duckdb.OutOfMemoryException:
    """DuckDB's own out-of-memory error: a table that cannot fit in 16 MB, with nowhere to spill it."""
    con = duckdb.connect()
    con.execute("SET memory_limit = '16MB'")
    con.execute("SET temp_directory = ''")
    try:
        con.execute("CREATE TABLE t AS SELECT i, repeat('x', 100) AS s FROM range(1000000) t(i)")
    except duckdb.OutOfMemoryException as exc:
        return exc
    finally:
        con.close()
    raise AssertionError("DuckDB fitted the table in 16 MB: make it bigger")


def test_running_out_of_memory_is_said_as_such(tmp_path):
    explained = store.explain(_real_out_of_memory(), tmp_path / "debrief.duckdb")
    assert isinstance(explained, store.OutOfMemory)
    message = str(explained)
    assert message.startswith("There was not enough memory to finish, so nothing was changed")
    assert "Close other programs" in message
    assert "Out of Memory Error" in message  # DuckDB's own words, for whoever reports it
    assert "DuckDB could not use" not in message


# --- full disk ------------------------------------------------------------------------------------


def test_a_full_disk_at_commit_is_called_a_full_disk_not_a_conflict():
    failure = duckdb.TransactionException(ENOSPC_COMMIT)
    assert not store.is_conflict(failure)
    explained = store.explain(failure, "/data/debrief.duckdb")
    assert isinstance(explained, store.DiskFull)
    assert "is full" in str(explained) and "Free some space" in str(explained)
    assert "Another window" not in str(explained)


def test_saving_on_a_simulated_full_disk_says_the_disk_is_full(con, sample_interview, monkeypatch):
    def full_disk(*args):
        raise duckdb.TransactionException(ENOSPC_COMMIT)

    monkeypatch.setattr(interviews, "_save", full_disk)
    with pytest.raises(store.DiskFull, match="is full") as raised:
        interviews.save_interview(con, sample_interview)
    assert "another window" not in str(raised.value).lower()


def test_saving_on_a_real_full_disk_says_so_and_keeps_what_was_saved(small_disk, sample_interview):
    path = small_disk / "debrief.duckdb"
    con = store.connect(path).cursor()
    first = interviews.save_interview(con, sample_interview)
    with pytest.raises(store.DiskFull, match="is full"):
        for n in range(40):
            big = Interview(company=f"Big {n}", interview_date=dt.date(2026, 1, 1), role_notes="x" * 400_000)
            interviews.save_interview(con, big)
    assert interviews.load_interview(con, first.id).company == "Northwind"


def test_importing_on_a_real_full_disk_prints_one_line_and_no_traceback(small_disk, tmp_path, repo_root):
    notes = tmp_path / "notes.csv"
    rows = [f"2026-03-{1 + n % 28:02d},Company {n},Question {n},{'long note ' * 2000}" for n in range(300)]
    notes.write_text("Date,Company,Question,Notes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli(repo_root, "import", str(notes), "--db", str(small_disk / "debrief.duckdb"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is full" in result.stderr and result.stderr.startswith("debrief: ")


# --- read-only file or folder ----------------------------------------------------------------------


def test_a_read_only_folder_is_named_as_such():
    explained = store.explain(PermissionError(errno.EACCES, "Permission denied", "/srv/locked/data"))
    assert isinstance(explained, store.NotWritable)
    assert "cannot write in the folder /srv/locked" in str(explained)


def test_a_new_database_in_a_real_read_only_folder_is_refused_plainly(read_only_folder):
    folder = read_only_folder()
    with pytest.raises(store.NotWritable, match="cannot write in the folder") as raised:
        store.open_database(folder / "data" / "debrief.duckdb")
    assert "OSError" not in str(raised.value)


def test_a_read_only_database_file_is_not_called_unreadable(read_only_folder, sample_interview):
    folder = read_only_folder(lambda f: make_debrief_database(f / "debrief.duckdb", sample_interview))
    with pytest.raises(store.NotWritable, match="is read-only") as raised:
        store.open_database(folder / "debrief.duckdb")
    assert "not a" not in str(raised.value)
    simulated = store.explain(duckdb.IOException('IO Error: Cannot open file "x": Read-only file system'))
    assert isinstance(simulated, store.NotWritable)


# --- truncated or not a database -------------------------------------------------------------------


def test_a_truncated_database_is_called_damaged_and_left_as_it_was(tmp_path, sample_interview):
    path = tmp_path / "debrief.duckdb"
    con = store.open_database(path)
    for n in range(300):
        interviews.save_interview(
            con, Interview(company=f"C{n}", interview_date=dt.date(2026, 1, 1), role_notes="n" * 3000)
        )
    con.execute("CHECKPOINT")
    con.close()
    os.truncate(path, path.stat().st_size * 6 // 10)
    before = digest(path)
    with pytest.raises(store.DatabaseDamaged, match="is damaged") as raised:
        store.open_database(path)
    assert "restore" in str(raised.value)
    assert digest(path) == before


def test_a_file_that_is_not_duckdb_says_so(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("just text\n" * 500)
    with pytest.raises(store.DatabaseUnreadable, match="is not a DuckDB database"):
        store.open_database(path)


# --- someone else's database, a newer Debrief ------------------------------------------------------


def make_foreign(path: Path) -> None:
    with duckdb.connect(str(path)) as other:
        other.execute("CREATE TABLE sales (region VARCHAR, amount INTEGER)")
        other.execute("INSERT INTO sales VALUES ('north', 10), ('south', 20)")


def test_a_foreign_duckdb_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "theirs.duckdb"
    make_foreign(path)
    before, files = digest(path), sorted(tmp_path.iterdir())
    with pytest.raises(store.ForeignDatabase) as raised:
        store.open_database(path)
    message = str(raised.value)
    assert "did not create" in message and "sales" in message and "--adopt" in message
    assert digest(path) == before and sorted(tmp_path.iterdir()) == files


def test_an_empty_duckdb_file_becomes_a_debrief_database_without_asking(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    con = store.open_database(path)
    assert migrations.has_marker(con)
    con.close()


def test_adopting_a_foreign_database_backs_it_up_first_and_keeps_its_tables(tmp_path):
    path = tmp_path / "theirs.duckdb"
    make_foreign(path)
    before = digest(path)
    con = store.open_database(path, adopt=True)
    assert con.execute("SELECT sum(amount) FROM sales").fetchone() == (30,)
    assert migrations.has_marker(con)
    con.close()
    (copy,) = tmp_path.glob("theirs.backup-before-debrief-*.duckdb")
    assert digest(copy) == before


def test_adopt_on_the_command_line(tmp_path, repo_root):
    path = tmp_path / "theirs.duckdb"
    make_foreign(path)
    refused = run_cli(repo_root, "due", "--db", str(path))
    assert refused.returncode == 1 and "--adopt" in refused.stderr
    adopted = run_cli(repo_root, "due", "--db", str(path), "--adopt")
    assert adopted.returncode == 0, adopted.stderr
    assert list(tmp_path.glob("theirs.backup-before-debrief-*.duckdb"))


def make_newer(path: Path) -> None:
    make_debrief_database(path)
    with duckdb.connect(str(path)) as newer:
        newer.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")


def test_a_database_from_a_newer_debrief_is_refused_unchanged(tmp_path):
    path = tmp_path / "newer.duckdb"
    make_newer(path)
    before = digest(path)
    with pytest.raises(store.NewerDatabase, match="newer Debrief") as raised:
        store.open_database(path)
    assert "version 999" in str(raised.value)
    assert digest(path) == before


# --- a real write conflict -------------------------------------------------------------------------


def test_a_real_write_conflict_is_still_called_a_conflict(con):
    store.set_setting(con, "colour", "blue")
    other = store.connect(store.database_file(con)).cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE settings SET value = 'red' WHERE key = 'colour'")

    def save_green():
        with sql.transaction(con):
            con.execute("UPDATE settings SET value = 'green' WHERE key = 'colour'")

    try:
        with pytest.raises(store.WriteConflict, match="Another window saved at the same moment"):
            store.retry_on_conflict(save_green, attempts=2)
    finally:
        other.execute("ROLLBACK")
        other.close()
    real = duckdb.TransactionException("TransactionContext Error: Conflict on update!")
    assert store.is_conflict(real) and isinstance(store.explain(real), store.WriteConflict)


# --- the command line never shows a traceback ------------------------------------------------------


@pytest.mark.parametrize(
    "kind, words",
    [
        ("truncated", "is damaged"),
        ("not duckdb", "is not a DuckDB database"),
        ("foreign", "did not create"),
        ("newer", "newer Debrief"),
        ("read-only folder", "cannot write in the folder"),
    ],
)
def test_the_cli_says_what_is_wrong_without_a_traceback(kind, words, tmp_path, repo_root, read_only_folder):
    path = tmp_path / "debrief.duckdb"
    if kind == "truncated":
        make_debrief_database(path)
        with duckdb.connect(str(path)) as filler:
            filler.execute("CREATE TABLE filler AS SELECT range AS n, repeat('x', 200) AS s FROM range(20000)")
        os.truncate(path, path.stat().st_size // 2)
    elif kind == "not duckdb":
        path.write_text("hello\n" * 1000)
    elif kind == "foreign":
        make_foreign(path)
    elif kind == "newer":
        make_newer(path)
    else:
        path = read_only_folder() / "sub" / "debrief.duckdb"
    result = run_cli(repo_root, "due", "--db", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("debrief: ") and words in result.stderr


def test_the_cli_names_the_program_holding_the_file(tmp_path, repo_root, held_by_another_process):
    path = tmp_path / "held.duckdb"
    holder = held_by_another_process(path)
    result = run_cli(repo_root, "due", "--db", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"process {holder.pid}" in result.stderr


class _FullAtCommit:
    """A cursor whose COMMIT fails as on a full disk; everything else reaches the real one."""

    def __init__(self, con):
        self.con = con

    def execute(self, statement, *args):
        if statement == "COMMIT":
            raise duckdb.TransactionException(ENOSPC_COMMIT)
        return self.con.execute(statement, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def _writes_of_a_followup_day(interview_id: int, story_id: int, question_id: int) -> dict:
    from analysis import brief, drafts, followup_settings, followups, practice, stories

    return {
        "tick": lambda con: followups.tick(con, interview_id, "feedback"),
        "untick": lambda con: followups.untick(con, interview_id, "thank_you"),
        "mark as sent": lambda con: followups.mark_sent(con, interview_id, "linkedin"),
        "not sent after all": lambda con: followups.mark_unsent(con, interview_id, "thank_you"),
        "save the plan": lambda con: followups.update_followup(con, interview_id, contact="Sam Lee"),
        "close the checklist": lambda con: followups.set_checklist_state(con, interview_id, "closed"),
        "settings": lambda con: followup_settings.save_settings(con, followup_settings.Settings(my_name="Jo")),
        "save a story": lambda con: stories.save_story(con, stories.Story("Kafka migration", situation="S")),
        "delete a story": lambda con: stories.delete_story(con, story_id),
        "keep a draft": lambda con: drafts.save_draft(
            con, drafts.new_key(), Interview(company="Acme", interview_date=None)
        ),
        "better answer": lambda con: practice.set_better_answer(con, practice.all_cards(con)[0].id, "Better."),
        "clarified": lambda con: brief.mark_clarified(con, question_id, dt.date(2026, 12, 1)),
    }


WRITES = list(_writes_of_a_followup_day(0, 0, 0))


@pytest.mark.parametrize("action", WRITES)
def test_every_write_of_the_days_after_says_the_disk_is_full_and_writes_nothing(con, sample_interview, action):
    from analysis import followups, practice, stories

    saved = interviews.save_interview(con, sample_interview)
    followups.mark_sent(con, saved.id, "thank_you")
    story = stories.save_story(con, stories.Story("Told before", situation="S"))
    practice.sync(con)
    write = _writes_of_a_followup_day(saved.id, story.id, saved.questions[0].id)[action]
    before = store.data_version(con)
    with pytest.raises(store.DiskFull, match="is full") as raised:
        write(_FullAtCommit(con))
    assert "another window" not in str(raised.value).lower()
    assert store.data_version(con) == before  # rolled back: nothing half-written
