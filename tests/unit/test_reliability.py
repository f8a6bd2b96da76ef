"""Promises about the user's data, each proven by causing the fault."""

import dataclasses
import datetime as dt
import shutil
import subprocess
import sys
import threading

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import interviews as iv
from analysis import migrations, store

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"


def test_eight_sessions_saving_at_once_lose_and_double_nothing(db_path):
    store.connect(db_path)
    errors, per_thread = [], 500

    def session(n):
        con = store.connect(db_path).cursor()  # a cursor per session, as each script run takes
        try:
            for i in range(per_thread):
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

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    con = store.connect(db_path).cursor()
    assert iv.counts(con)["interviews"] == 4000
    assert con.execute("SELECT count(DISTINCT (company, role)) FROM interviews").fetchone()[0] == 4000
    assert con.execute("SELECT count(*), count(DISTINCT question) FROM questions").fetchone() == (12000, 12000)


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


def test_killed_migration_leaves_the_old_schema_or_the_new_one(tmp_path):
    # A child process migrates a copy of the old database and is killed at
    # moments spread across the migration; every survivor must open cleanly.
    import os
    import signal
    import time

    for delay in [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0, 1.5]:
        path = tmp_path / f"kill-{delay}.duckdb"
        shutil.copy(FIXTURES / "schema-v1.duckdb", path)
        child = subprocess.Popen(
            [sys.executable, "-c", f"from analysis import store; store.open_database({str(path)!r}).close()"],
            cwd=FIXTURES.parent.parent,
        )
        time.sleep(delay)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        con = store.open_database(path)
        try:
            assert migrations.applied(con) == [m.version for m in migrations.MIGRATIONS]
            assert con.execute("SELECT count(*) FROM interviews").fetchone()[0] == 3
            assert con.execute("SELECT count(*) FROM questions").fetchone()[0] == 5
        finally:
            con.close()


def test_page_shows_who_holds_a_locked_database(app, db_path, held_by_another_process):
    store.close(db_path)  # the app's first run opened it; let another program take it
    holder = held_by_another_process(db_path)
    for page in ("pages/home.py", "pages/log.py", "pages/dashboard.py"):
        app.switch_page(page).run()
        assert not app.exception
        message = app.error[0].value
        assert f"process {holder.pid}" in message and "Close that program" in message
        assert "copy the file" in message  # how read-only tools can look anyway


def test_the_app_connection_cannot_read_files_outside_its_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_restricted", True)
    path = tmp_path / "locked-down.duckdb"
    con = store.open_database(path)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
        allowed = store.scratch_dir() / "upload-test.csv"
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
