"""Promises about the user's data, each proven by causing the fault."""

import dataclasses
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import interviews as iv
from analysis import migrations, scratch, store

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"


SESSIONS, SAVES_PER_SESSION = 8, 100


def test_eight_sessions_saving_at_once_lose_and_double_nothing(db_path):
    store.connect(db_path)
    errors = []
    start = threading.Barrier(SESSIONS)  # every session saves at once, not one after another

    def session(n):
        con = store.connect(db_path).cursor()  # a cursor per session, as each script run takes
        start.wait()
        try:
            for i in range(SAVES_PER_SESSION):
                iv.save_interview(
                    con,
                    iv.Interview(
                        company=f"Session {n}",
                        role=f"Interview {i}",
                        interview_date=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
                        questions=[iv.Question(f"Q{n}-{i}-{k}", rating=1 + k % 5) for k in range(3)],
                    ),
                )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    con = store.connect(db_path).cursor()
    total = SESSIONS * SAVES_PER_SESSION
    assert iv.counts(con)["interviews"] == total
    assert con.execute("SELECT count(DISTINCT (company, role)) FROM interviews").fetchone()[0] == total
    assert con.execute("SELECT count(*), count(DISTINCT question) FROM questions").fetchone() == (3 * total, 3 * total)
    # The saves really overlapped: every session's first save came before every session's last.
    firsts, lasts = zip(
        *con.execute("SELECT min(id), max(id) FROM interviews GROUP BY company").fetchall(), strict=True
    )
    assert max(firsts) < min(lasts)


def test_two_windows_editing_one_interview_never_see_a_raw_conflict(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    barrier = threading.Barrier(2)
    outcomes = []

    def window(role):
        cursor = store.connect(store.database_path()).cursor()
        barrier.wait()
        try:
            iv.save_interview(cursor, dataclasses.replace(saved, role=role))
            outcomes.append("saved")
        except iv.RecordChanged as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # anything else is a failure of the promise
            outcomes.append(f"RAW {type(exc).__name__}: {exc}")

    for _ in range(20):
        saved = iv.load_interview(con, saved.id)
        outcomes.clear()
        threads = [threading.Thread(target=window, args=(r,)) for r in ("Left", "Right")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not [o for o in outcomes if o.startswith("RAW")], outcomes
        assert outcomes.count("saved") == 1, outcomes  # exactly one wins; the other is told plainly
        assert "another window" in [o for o in outcomes if o != "saved"][0]


def test_an_old_database_migrates_with_every_row_intact_and_a_backup_first(tmp_path):
    path = tmp_path / "debrief.duckdb"
    shutil.copy(FIXTURES / "schema-v1.duckdb", path)
    con = store.open_database(path)
    try:
        assert migrations.applied(con) == [m.version for m in migrations.MIGRATIONS]
        rows = con.execute("SELECT company, role, interview_date, outcome FROM interviews ORDER BY id").fetchall()
        assert rows == [
            ("Northwind", "Data Engineer", dt.date(2024, 3, 5), "advanced"),
            ("Contoso", "Analyst", dt.date(2024, 4, 1), "offer"),
            ("Fabrikam ☕ <b>&", None, dt.date(2024, 5, 20), "pending"),
        ]
        first = iv.load_interview(con, 1)
        assert [p.name for p in first.interviewers] == ["Ana Ruiz", "Ben Ode"]
        assert [(q.question, q.rating, q.clarify) for q in first.questions][1] == (
            "Design a rate limiter",
            2,
            "Send the sketch",
        )
        assert iv.load_interview(con, 3).role_notes == "Line one\nline two"
        assert con.execute("SELECT question FROM questions WHERE id = 5").fetchone()[0] == "=SUM(A1:A3) and 'quotes'"
        assert "estimation" in iv.categories(con)
    finally:
        con.close()
    backups = list(tmp_path.glob("debrief.backup-v1-*.duckdb"))
    assert len(backups) == 1
    old = duckdb.connect(str(backups[0]), read_only=True)
    assert old.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM questions").fetchone()[0] == 5
    old.close()


def test_no_backup_for_a_new_database(tmp_path):
    store.open_database(tmp_path / "new.duckdb").close()
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []


# Migrates the database at argv[1] in a child process, printing "<n> <statement>" before each
# statement it runs and waiting there, until killed, before statement number argv[2].
MIGRATE = """
import sys
import duckdb

hold_before = int(sys.argv[2])
connect, executed = duckdb.connect, 0


class Traced:
    def __init__(self, real):
        self._real = real

    def execute(self, statement, *args, **kwargs):
        global executed
        executed += 1
        print(executed, " ".join(str(statement).split()), flush=True)
        if executed == hold_before:
            sys.stdin.readline()  # never answered: the parent kills the child here
        return self._real.execute(statement, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


duckdb.connect = lambda *args, **kwargs: Traced(connect(*args, **kwargs))
from analysis import store

store.open_database(sys.argv[1]).close()
"""


def _migrate_in_child(path, hold_before: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", MIGRATE, str(path), str(hold_before)],
        cwd=FIXTURES.parent.parent,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_killed_migration_leaves_the_old_schema_or_the_new_one(tmp_path):
    # A child process migrates a copy of the old database and is killed at points found by
    # the statements it prints rather than by timing: held before each migration's COMMIT
    # (an exact point: all of that migration run, none of it committed, the ones before it
    # committed), and as the first and the last COMMIT run (mid-write). Every survivor must
    # open, finish migrating and keep every row.
    traced = tmp_path / "traced.duckdb"
    shutil.copy(FIXTURES / "schema-v1.duckdb", traced)
    output, _ = _migrate_in_child(traced, 0).communicate(timeout=60)
    statements = [line.split(" ", 1)[1] for line in output.splitlines()]
    commits = [number for number, statement in enumerate(statements, 1) if statement == "COMMIT"]
    versions = [m.version for m in migrations.MIGRATIONS]
    assert len(commits) == len(versions) - 1, statements  # a transaction per migration after v1
    for index, hold in [(i, True) for i in range(len(commits))] + [(0, False), (len(commits) - 1, False)]:
        number = commits[index]
        path = tmp_path / f"kill-{number}-{'held' if hold else 'running'}.duckdb"
        shutil.copy(FIXTURES / "schema-v1.duckdb", path)
        child = _migrate_in_child(path, number if hold else 0)
        while not (line := child.stdout.readline()).startswith(f"{number} "):
            assert line, f"the migration ended before statement {number}"
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
        with duckdb.connect(str(path), read_only=True) as killed:  # as the kill left it
            (version,) = killed.execute("SELECT max(version) FROM schema_migrations").fetchone()
        # Held before the COMMIT of versions[index + 1]: the file is at the version before it;
        # killed during that COMMIT: at either.
        assert version in (versions[index : index + 1] if hold else versions[index : index + 2])
        con = store.open_database(path)
        try:
            assert migrations.applied(con) == versions
            assert con.execute("SELECT count(*) FROM interviews").fetchone()[0] == 3
            assert con.execute("SELECT count(*) FROM questions").fetchone()[0] == 5
        finally:
            con.close()


def test_the_app_connection_cannot_read_files_outside_its_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_restricted", True)
    path = tmp_path / "locked-down.duckdb"
    con = store.open_database(path)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
        allowed = scratch.scratch_dir() / "upload-test.csv"
        allowed.write_text("a,b\n1,2\n")
        assert con.execute("SELECT * FROM read_csv(?)", [str(allowed)]).fetchall() == [(1, 2)]
        allowed.unlink()
    finally:
        con.close()


odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    company=odd_text.filter(lambda s: s.strip()),
    notes=odd_text,
    question=odd_text.filter(lambda s: s.strip()),
    clarify=odd_text,
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)),
    rating=st.none() | st.integers(1, 5),
)
def test_whatever_is_typed_is_stored_and_given_back_exactly(con, company, notes, question, clarify, day, rating):
    interview = iv.Interview(
        company=company,
        interview_date=day,
        culture_notes=notes or None,
        questions=[iv.Question(question, rating=rating, clarify=clarify or None)],
    )
    saved = iv.save_interview(con, interview)
    loaded = iv.load_interview(con, saved.id)
    assert loaded.company == company.strip()
    assert loaded.culture_notes == (notes or None)
    assert loaded.questions[0].question == question.strip()
    assert loaded.questions[0].clarify == (clarify or None)
    assert loaded.interview_date == day


def test_a_megabyte_of_notes_is_kept_whole(con, sample_interview):
    big = ("Lorem ipsum 😀 \u202eRTL\u202c <script>x</script> \x00 " * 20_000)[:1_000_000]
    saved = iv.save_interview(con, dataclasses.replace(sample_interview, people_notes=big))
    assert iv.load_interview(con, saved.id).people_notes == big
