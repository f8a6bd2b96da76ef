"""Backups that never lie: a copy is complete or absent, and a full backup zip restores exactly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from analysis import backup, demo, interviews, migrations, practice, schema, store
from analysis.vocab import BUILTIN_CATEGORIES


def tables_of(con) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, so two databases can be compared whole.

    ``schema_migrations`` is left out: it records when each database itself was
    migrated, which a restore keeps (the versions are compared separately). So is
    ``data_changes``: the restore is itself a change, recorded there.
    """
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary "
            "AND table_name NOT IN ('schema_migrations', 'data_changes')"
        ).fetchall()
    ]
    return {name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall() for name in sorted(names)}


def sequences_of(con) -> dict[str, int | None]:
    """The id sequences' last values (not the data version's, which the restore itself moves)."""
    rows = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE sequence_name <> ?", ["data_version_seq"]
    )
    return dict(rows.fetchall())


def run_cli(repo_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=repo_root, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def full_history(con):
    """A demo history with follow-ups and ticks, plus practice cards and reviews."""
    demo.generate(con, interviews=25, seed=3)
    practice.sync(con)
    for table in ("followups", "followup_ticks", "practice_cards", "practice_reviews"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    return con


def rewritten(data: bytes, change) -> io.BytesIO:
    """The backup ``data`` with its manifest passed through ``change`` (which may also drop files)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(source.read(backup.MANIFEST))
    dropped = change(manifest) or set()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr(backup.MANIFEST, json.dumps(manifest))
        for name in source.namelist():
            if name != backup.MANIFEST and name not in dropped:
                target.writestr(name, source.read(name))
    out.seek(0)
    return out


# --- the copy taken before a migration -------------------------------------------------------------

KILLED_COPY = """
import os, shutil, signal, sys
sys.path.insert(0, {root!r})
from analysis import store

def copy_half_then_die(source, target, length=0):
    target.write(source.read(1 << 16))
    target.flush()
    os.kill(os.getpid(), signal.SIGKILL)

shutil.copyfileobj = copy_half_then_die
store.open_database({path!r})
"""


def make_version_4(path: Path) -> None:
    with duckdb.connect(str(path)) as old:
        migrations.migrate(old, upto=4)
        old.execute("INSERT INTO interviews (company, interview_date) VALUES ('Acme', DATE '2026-01-05')")
        old.execute("INSERT INTO followup_ticks VALUES (1, 'thank_you', TIMESTAMP '2026-01-05 18:00')")


def test_a_copy_killed_midway_never_has_the_backup_name_and_is_removed_at_the_next_start(tmp_path, repo_root):
    path = tmp_path / "debrief.duckdb"
    make_version_4(path)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_COPY.format(root=str(repo_root), path=str(path))], capture_output=True
    )
    assert killed.returncode != 0  # it really died mid-copy
    assert list(tmp_path.glob("debrief.backup-v4-*.duckdb")) == []
    assert len(list(tmp_path.glob(f"debrief.backup-v4-*.duckdb{store.PARTIAL_SUFFIX}"))) == 1

    con = store.open_database(path)
    con.close()
    assert list(tmp_path.glob(f"*{store.PARTIAL_SUFFIX}")) == []
    (complete,) = tmp_path.glob("debrief.backup-v4-*.duckdb")
    with duckdb.connect(str(complete), read_only=True) as copy:
        assert copy.execute("SELECT max(version) FROM schema_migrations").fetchone() == (4,)
        assert copy.execute("SELECT company FROM interviews").fetchall() == [("Acme",)]


def test_a_failed_copy_leaves_nothing_behind(tmp_path, monkeypatch):
    source = tmp_path / "source.bin"
    source.write_bytes(b"x" * 100_000)

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("shutil.copyfileobj", disk_full)
    with pytest.raises(store.DiskFull):
        store.copy_file_safely(source, tmp_path / "copy.bin")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.bin"]


# --- full backup and restore -----------------------------------------------------------------------


def test_backup_then_restore_into_a_new_file_gives_identical_tables(full_history, tmp_path):
    zip_path = tmp_path / "backup.zip"
    backup.write_backup(full_history, zip_path)
    target = tmp_path / "restored.duckdb"
    restored_con = store.connect(target).cursor()
    try:
        restored = backup.restore(restored_con, zip_path)
        assert restored.replaced_backup is None
        (held,) = full_history.execute("SELECT count(*) FROM interviews").fetchone()  # 25, and the rounds to come
        assert restored.counts[schema.INTERVIEW] == held > 25
        assert tables_of(restored_con) == tables_of(full_history)
        assert sequences_of(restored_con) == sequences_of(full_history)
        assert migrations.applied(restored_con) == migrations.applied(full_history)
        # New rows get new ids after the restored ones.
        added = interviews.save_interview(
            restored_con,
            interviews.Interview(
                company="After",
                interview_date=full_history.execute("SELECT max(interview_date) FROM interviews").fetchone()[0],
            ),
        )
        assert added.id > max(r[0] for r in full_history.execute("SELECT id FROM interviews").fetchall())
    finally:
        restored_con.close()
        store.close(target)


def test_a_backup_of_an_older_schema_restores_into_the_current_one(tmp_path):
    old = tmp_path / "old.duckdb"
    make_version_4(old)
    with duckdb.connect(str(old)) as con:
        backup.write_backup(con, tmp_path / "old.zip")
    target = tmp_path / "new.duckdb"
    con = store.connect(target).cursor()
    try:
        backup.restore(con, tmp_path / "old.zip")
        assert con.execute("SELECT company, clarified_on FROM interviews JOIN questions ON false").fetchall() == []
        assert con.execute("SELECT company FROM interviews").fetchall() == [("Acme",)]
        assert con.execute("SELECT count(*) FROM followup_ticks").fetchone() == (1,)
        assert max(migrations.applied(con)) == migrations.latest_version()
    finally:
        con.close()
        store.close(target)


def test_a_backup_made_before_categories_were_stored_restores_them(tmp_path):
    old = tmp_path / "v1.duckdb"
    with duckdb.connect(str(old)) as con:
        migrations.migrate(con, upto=1)
        con.execute("INSERT INTO interviews (company, interview_date) VALUES ('Acme', DATE '2025-03-05')")
        con.execute(
            "INSERT INTO questions (interview_id, position, question, category) VALUES (1, 1, 'Shard a queue', 'system design')"
        )
        backup.write_backup(con, tmp_path / "v1.zip")
    target = tmp_path / "new.duckdb"
    con = store.connect(target).cursor()
    try:
        backup.restore(con, tmp_path / "v1.zip")
        offered = set(interviews.categories(con))
        assert offered == set(BUILTIN_CATEGORIES) | {"system design"}  # as migrating that file would have given
        builtin = dict(con.execute("SELECT name, builtin FROM categories").fetchall())
        assert builtin["system design"] is False and all(builtin[name] for name in BUILTIN_CATEGORIES)
    finally:
        con.close()
        store.close(target)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda m: m.update(format="something-else"), "does not describe a Debrief backup"),
        (lambda m: m.update(format_version=99), "backup format 99"),
        (lambda m: m.update(schema_version=999), "newer Debrief"),
        (lambda m: {m["files"]["questions"]}, "questions.parquet listed in its manifest is missing"),
        (lambda m: m["files"].update(questions="../../etc/passwd.parquet"), "missing"),
        (lambda m: m["tables"].update(questions=m["tables"]["questions"] + 1), "damaged"),
    ],
    ids=["format", "format version", "newer schema", "missing file", "unsafe name", "row count"],
)
def test_restore_refuses_a_bad_backup_and_changes_nothing(con, sample_interview, tmp_path, change, words):
    interviews.save_interview(con, sample_interview)
    data = backup.backup_zip(con)
    target = tmp_path / "empty.duckdb"
    empty = store.connect(target).cursor()
    try:
        before = tables_of(empty)
        with pytest.raises(backup.BadBackup, match=words):
            backup.restore(empty, rewritten(data, change))
        assert tables_of(empty) == before
    finally:
        empty.close()
        store.close(target)


def test_restore_refuses_questions_that_repeat_an_id(con, sample_interview, tmp_path):
    """Question ids are kept apart by their sequence, not an index: a backup that repeats one is damaged."""
    interviews.save_interview(con, sample_interview)
    con.execute("UPDATE questions SET id = (SELECT min(id) FROM questions) WHERE position <= 2")
    data = backup.backup_zip(con)
    target = tmp_path / "empty.duckdb"
    empty = store.connect(target).cursor()
    try:
        before = tables_of(empty)
        with pytest.raises(backup.BadBackup, match="repeat 1 id that must be unique"):
            backup.restore(empty, io.BytesIO(data))
        assert tables_of(empty) == before
    finally:
        empty.close()
        store.close(target)


def forget_question_ids(manifest: dict) -> None:
    """A manifest change: the record of the question sequence's position is lost."""
    del manifest["sequences"]["question_id_seq"]


def test_questions_added_after_a_restore_never_take_a_restored_id(con, sample_interview, tmp_path):
    """Even from a backup whose manifest lost the sequence's position, new ids start after the restored ones."""
    interviews.save_interview(con, sample_interview)
    data = backup.backup_zip(con)
    target = tmp_path / "empty.duckdb"
    empty = store.connect(target).cursor()
    try:
        backup.restore(empty, rewritten(data, forget_question_ids))
        restored = {r[0] for r in empty.execute("SELECT id FROM questions").fetchall()}
        assert len(restored) == len(sample_interview.questions)
        interviews.save_interview(empty, sample_interview)
        ids = [r[0] for r in empty.execute("SELECT id FROM questions").fetchall()]
        assert len(ids) == len(set(ids)) == 2 * len(sample_interview.questions)
    finally:
        empty.close()
        store.close(target)


def test_restore_refuses_a_file_that_is_not_a_zip(con, tmp_path):
    notes = tmp_path / "notes.zip"
    notes.write_text("not a zip")
    with pytest.raises(backup.BadBackup, match="not a zip"):
        backup.restore(con, notes)
    with pytest.raises(backup.BadBackup, match="no file"):
        backup.restore(con, tmp_path / "absent.zip")


def test_restoring_over_data_needs_replace_and_backs_up_what_it_replaces(con, db_path, sample_interview, tmp_path):
    interviews.save_interview(con, sample_interview)
    other = tmp_path / "other.duckdb"
    other_con = store.connect(other).cursor()
    interviews.save_interview(
        other_con, interviews.Interview(company="Contoso", interview_date=sample_interview.interview_date)
    )
    backup.write_backup(other_con, tmp_path / "contoso.zip")
    other_con.close()
    store.close(other)

    with pytest.raises(backup.RestoreRefused, match="--replace"):
        backup.restore(con, tmp_path / "contoso.zip")
    assert con.execute("SELECT company FROM interviews").fetchall() == [("Northwind",)]

    restored = backup.restore(con, tmp_path / "contoso.zip", replace=True)
    assert con.execute("SELECT company FROM interviews").fetchall() == [("Contoso",)]
    assert restored.replaced_backup.parent == db_path.parent
    saved = zipfile.ZipFile(restored.replaced_backup)
    assert json.loads(saved.read(backup.MANIFEST))["tables"]["interviews"] == 1
    assert b"Northwind" in saved.read("interviews.parquet")


def test_restore_on_the_command_line_exits_0_1_or_2(con, sample_interview, tmp_path, repo_root):
    interviews.save_interview(con, sample_interview)
    backup.write_backup(con, tmp_path / "b.zip")
    target = str(tmp_path / "fresh.duckdb")
    done = run_cli(repo_root, "restore", str(tmp_path / "b.zip"), "--db", target)
    assert done.returncode == 0, done.stderr
    assert "Restored 1 interview, 3 questions" in done.stdout
    again = run_cli(repo_root, "restore", str(tmp_path / "b.zip"), "--db", target)
    assert again.returncode == 1 and "--replace" in again.stderr and "Traceback" not in again.stderr
    replaced = run_cli(repo_root, "restore", str(tmp_path / "b.zip"), "--db", target, "--replace")
    assert replaced.returncode == 0 and "saved in" in replaced.stdout
    (tmp_path / "junk.zip").write_text("junk")
    junk = run_cli(repo_root, "restore", str(tmp_path / "junk.zip"), "--db", target)
    assert junk.returncode == 1 and "not a zip" in junk.stderr
    assert run_cli(repo_root, "restore", "--db", target).returncode == 2
