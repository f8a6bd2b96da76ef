"""Shared fixtures: real DuckDB files under tmp_path, never mocks."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis import interviews, store  # noqa: E402


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """A fresh database file path, also set as DEBRIEF_DB; closed after the test."""
    path = tmp_path / "debrief.duckdb"
    monkeypatch.setenv("DEBRIEF_DB", str(path))
    yield path
    store.close(path)
    store.close(store.demo_path(path))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An empty database file, created and migrated once for the session, for ``con`` to copy."""
    path = tmp_path_factory.mktemp("template") / "debrief.duckdb"
    store.open_database(path).close()
    assert not path.with_name(path.name + ".wal").exists()  # all of it in the one file a copy takes
    return path


@pytest.fixture
def con(db_path, migrated_template):
    """A cursor on a fresh, migrated database file.

    A copy of the session's template: the same file a new database migrates to, without
    running every migration again for each of the many tests that use this fixture. If
    another fixture (``app``) has opened the database already, that one is used.
    """
    if not db_path.exists():
        shutil.copyfile(migrated_template, db_path)
    cursor = store.connect(db_path).cursor()
    yield cursor
    cursor.close()


@pytest.fixture
def sample_interview() -> interviews.Interview:
    """An interview with two interviewers and three rated questions."""
    return interviews.Interview(
        company="Northwind",
        role="Data Engineer",
        interview_date=dt.date(2026, 11, 20),
        interview_time=dt.time(14, 30),
        stage="technical",
        format="video",
        recruiter="Hays: Sam Lee",
        outcome="pending",
        role_notes="Owns the ingestion pipeline",
        culture_notes="Remote-first, async",
        questions_to_ask="How is on-call shared?",
        interviewers=[interviews.Interviewer("Ana Ruiz", "Engineering Manager"), interviews.Interviewer("Ben Ode")],
        questions=[
            interviews.Question("Tell me about yourself", "behavioral", 4, "positive"),
            interviews.Question(
                "Design a rate limiter",
                "technical",
                2,
                "negative",
                clarify="Send the token-bucket sketch",
                better_answer="Start from the requirements, then token bucket",
            ),
            interviews.Question("Why Northwind?", "culture/motivation", 3, "neutral"),
        ],
    )


@pytest.fixture
def held_by_another_process():
    """Call with a path: another Python process opens that database (``read_only``: with a shared lock)
    and holds it until the test ends.

    Returns the holding process (its ``pid`` is what the messages must name).
    """
    holders = []

    def hold(path: Path, read_only: bool = False) -> subprocess.Popen:
        code = (
            f"import duckdb, sys\ncon = duckdb.connect({str(path)!r}, read_only={read_only})\n"
            "print('ready', flush=True)\nsys.stdin.read()\n"
        )
        holder = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        holders.append(holder)
        assert holder.stdout.readline().strip() == "ready"
        return holder

    yield hold
    for holder in holders:
        holder.stdin.close()
        holder.wait(timeout=10)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; skip them only outside CI."""
    if Path("/usr/bin/chromium").exists():
        return
    if os.environ.get("CI") or os.environ.get("DEBRIEF_REQUIRE_BROWSER"):
        return  # let them fail loudly: CI must run them
    skip = pytest.mark.skip(reason="no /usr/bin/chromium (apt-get install chromium); CI runs these")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@functools.cache
def _shared_script_cache():
    """The one ScriptCache of this test process (see the ``app`` fixture)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    return ScriptCache()


@pytest.fixture
def app(db_path, migrated_template, monkeypatch):
    """The whole app under AppTest, on a fresh database, as a running server serves it.

    AppTest starts every run in Streamlit's legacy pages/ mode, which a real
    server leaves for good at the first st.navigation() call; start it where
    the server is, so a click is not spent on that first rerun. The database is
    a copy of the session's migrated template (the browser tests start on new files).
    """
    if not db_path.exists():
        shutil.copyfile(migrated_template, db_path)
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original_init = PagesManager.__init__

    def init_as_server(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_as_server)
    # AppTest compiles app.py and the page again for every run (a new ScriptCache each time, with
    # Streamlit's "magic" rewriting of the syntax tree: about 50 ms a run). A server compiles each
    # once; so do the tests: the scripts do not change while they run.
    from streamlit.testing.v1 import app_test, local_script_runner

    for module in (app_test, local_script_runner):
        monkeypatch.setattr(module, "ScriptCache", _shared_script_cache)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    yield at
    # app.py restricts file access for the whole process: the tests after this one open files
    # anywhere. Not through monkeypatch, which a test may undo (monkeypatch.undo()) mid-way.
    store.restrict_file_access(False)


@pytest.fixture
def history(con):
    """Five interviews whose metrics are worked out by hand in tests/test_metrics.py."""
    Q, Iv = interviews.Question, interviews.Interview  # noqa: N806
    rows = [
        Iv(
            company="Acme", role="Data Engineer", interview_date=dt.date(2026, 1, 10), stage="technical",
            outcome="advanced", decided_on=dt.date(2026, 1, 15),
            questions=[
                Q("Tell me about yourself", "behavioral", 4, "positive"),
                Q("Design a cache", "technical", 2, "positive", better_answer="LRU with TTL"),
                Q("Why Acme?", "culture/motivation", 3, "neutral"),
            ],
        ),
        Iv(
            company="Globex", role="Data Engineer", interview_date=dt.date(2026, 2, 10), stage="technical",
            outcome="rejected", decided_on=dt.date(2026, 2, 20),
            questions=[
                Q("Tell me about yourself.", "behavioral", 3, "neutral"),
                Q("Design a cache please", "technical", 1, "negative", better_answer="Start from requirements"),
                Q("Salary expectations?", "salary/logistics", 2, "neutral"),
            ],
        ),
        Iv(
            company="Acme", role="Data Engineer", interview_date=dt.date(2026, 3, 10), stage="final",
            outcome="offer", decided_on=dt.date(2026, 3, 12),
            questions=[
                Q("Design a cache", "technical", 3, "neutral"),
                Q("Tell me about a conflict", "behavioral", 5, "negative"),
            ],
        ),
        Iv(
            company="Initech", role="Analyst", interview_date=dt.date(2026, 3, 20), stage="phone screen",
            questions=[Q("Tell me about yourself", "behavioral", 5), Q("SQL window functions", "technical")],
        ),
        Iv(
            company="Initech", role="Analyst", interview_date=dt.date(2026, 3, 25), stage="recruiter screen",
            outcome="withdrew",
        ),
    ]  # fmt: skip
    for row in rows:
        interviews.save_interview(con, row)
    return con
