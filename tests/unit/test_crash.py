"""A million-row import killed with SIGKILL at random moments: all of it or none of it, nothing else touched."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from analysis import interviews as iv
from analysis import store

ROWS = 1_000_000
KILLS = 10

# A notes file in the canonical format: 200,000 interviews of five questions each.
GENERATE = """
COPY (
  SELECT strftime(DATE '2019-01-01' + CAST(i // 5 % 2500 AS INTEGER), '%Y-%m-%d') AS date,
         'Company ' || (i // 5) AS company,
         ['Data Engineer', 'Analyst', 'SRE'][1 + i // 5 % 3] AS role,
         ['phone screen', 'technical', 'final'][1 + i // 5 % 3] AS stage,
         'Question ' || (i % 5 + 1) || ' about situation ' || (i % 9973) AS question,
         ['behavioral', 'technical', 'situational'][1 + i % 3] AS category,
         (1 + i % 5)::VARCHAR AS rating
  FROM range(?) t(i)
) TO '{path}' (FORMAT csv, HEADER true)
"""


@pytest.fixture(scope="module")
def notes_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "notes-1m.csv"
    con = duckdb.connect()
    con.execute(GENERATE.replace("{path}", str(path)), [ROWS])
    con.close()
    return path


def _snapshot(con):
    """Everything that was there before: rows of every user table, in a fixed order."""
    return {
        table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608 - fixed names
        for table in ("interviews", "interviewers", "questions", "categories", "settings")
    }


def _import(db, notes, repo_root):
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "import", str(notes), "--db", str(db), "--json"],
        cwd=repo_root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_killed_import_leaves_all_or_nothing_and_the_rest_intact(tmp_path, notes_file, sample_interview, repo_root):
    base = tmp_path / "base.duckdb"
    con = store.open_database(base)
    iv.save_interview(con, sample_interview)
    before = _snapshot(con)
    con.close()

    # One import to completion gives "all of it" and how long it takes.
    complete = tmp_path / "complete.duckdb"
    shutil.copy(base, complete)
    started = time.monotonic()
    finished = _import(complete, notes_file, repo_root)
    assert finished.wait(timeout=300) == 0, finished.stderr.read()
    duration = time.monotonic() - started
    con = store.open_database(complete)
    full = iv.counts(con)
    con.close()
    assert full["questions"] == before_questions(before) + ROWS

    rng = random.Random(20261126)
    outcomes = []
    for trial in range(KILLS):
        db = tmp_path / f"killed-{trial}.duckdb"
        shutil.copy(base, db)
        child = _import(db, notes_file, repo_root)
        # The fault's moment, spread over the import and weighted to its end, where
        # the commit and the checkpoint happen. (A sleep here sets when the fault
        # strikes; it is not a wait for a state.)
        time.sleep(duration * rng.uniform(0.3, 1.05))
        killed = child.poll() is None
        if killed:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        con = store.open_database(db)  # opens: replays or drops the write-ahead log
        try:
            counts = iv.counts(con)
            assert counts in (full, {"interviews": 1, "pending": 1, "questions": before_questions(before)})
            outcomes.append(("all" if counts == full else "none") + ("" if killed else " (had finished)"))
            if counts != full:
                assert _snapshot(con) == before
            else:
                assert (
                    con.execute(
                        "SELECT count(*) FROM interviews WHERE company = ?", [sample_interview.company]
                    ).fetchone()[0]
                    == 1
                )
        finally:
            con.close()
    # The kills landed both before and after the commit point, or the test proved little.
    print("kill outcomes:", outcomes, f"import took {duration:.1f} s")
    assert "none" in outcomes


def before_questions(snapshot):
    return len(snapshot["questions"])
