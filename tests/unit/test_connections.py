"""Holding the database file only while working: holds, the idle countdown, reopening, waiting for the lock."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from analysis import connections, migrations, store


class ManualTimer:
    """Stands in for ``threading.Timer``: records each countdown; the test decides when it runs out."""

    started: list[ManualTimer] = []

    def __init__(self, seconds, function, args=()):
        self.seconds, self.function, self.args = seconds, function, args
        self.daemon = False

    def start(self):
        ManualTimer.started.append(self)

    def run_out(self):
        self.function(*self.args)


@pytest.fixture
def idle_release():
    """The app's behaviour, with countdowns the test runs out by hand; off again after the test."""
    ManualTimer.started = []
    store.release_when_idle(0.5, timer=ManualTimer)
    yield ManualTimer.started
    store.release_when_idle(None)


def another_process_can_open(path) -> bool:
    code = "import duckdb, sys\ntry:\n    duckdb.connect(sys.argv[1]).close()\nexcept duckdb.Error:\n    sys.exit(3)\n"
    return subprocess.run([sys.executable, "-c", code, str(path)], timeout=60).returncode == 0


def test_the_file_is_let_go_when_the_last_hold_ends_and_the_countdown_runs_out(db_path, idle_release):
    with store.hold(db_path):
        store.connect(db_path).cursor().execute("SELECT 1")
        assert not idle_release  # no countdown while held
    assert store.is_open(db_path) and [t.seconds for t in idle_release] == [0.5]
    idle_release[0].run_out()
    assert not store.is_open(db_path)
    assert another_process_can_open(db_path)


def test_a_hold_taken_during_the_countdown_keeps_the_file(db_path, idle_release):
    with store.hold(db_path):
        store.connect(db_path)
    countdown = idle_release[0]
    with store.hold(db_path):
        countdown.run_out()  # too late: the file is held again
        assert store.is_open(db_path)
    countdown.run_out()  # and it stays overtaken after the hold, which started its own
    assert store.is_open(db_path)
    idle_release[-1].run_out()
    assert not store.is_open(db_path)


def test_holds_are_counted_so_the_file_stays_while_any_is_left(db_path, idle_release):
    first, second = store.hold(db_path), store.hold(db_path)
    store.connect(db_path)
    first.release()
    first.release()  # releasing twice counts once
    assert connections.holds(db_path) == 1 and not idle_release
    second.release()
    assert connections.holds(db_path) == 0 and len(idle_release) == 1


def test_without_idle_release_the_file_stays_open(db_path):
    with store.hold(db_path):
        store.connect(db_path)
    assert store.is_open(db_path)


def test_the_next_run_reopens_the_file_and_sees_what_was_written(db_path, idle_release, sample_interview):
    from analysis import interviews

    with store.hold(db_path):
        interviews.save_interview(store.connect(db_path).cursor(), sample_interview)
    idle_release[-1].run_out()
    with store.hold(db_path):
        assert interviews.counts(store.connect(db_path).cursor())["interviews"] == 1


def test_reopening_keeps_the_safety_checks(db_path, idle_release):
    with store.hold(db_path):
        store.connect(db_path)
    idle_release[-1].run_out()
    # Another program makes the file newer than this Debrief meanwhile.
    with duckdb.connect(str(db_path)) as other:
        other.execute("INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')", [999])
    with store.hold(db_path), pytest.raises(store.NewerDatabase):
        store.connect(db_path)


def test_reopening_under_the_sandbox_restricts_the_new_connection(db_path, idle_release, monkeypatch, tmp_path):
    monkeypatch.setattr(store, "_restricted", True)
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    for _ in range(2):  # the first open and the reopen after an idle release
        with store.hold(db_path):
            con = store.connect(db_path).cursor()
            with pytest.raises(duckdb.PermissionException):
                con.execute("SELECT * FROM read_csv(?)", [str(outside)])
        idle_release[-1].run_out()


def test_the_countdown_is_a_real_timer_by_default(db_path):
    """With the real timer and no delay, the file is let go on its own (waited on, never slept for)."""
    store.release_when_idle(0)
    try:
        with store.hold(db_path):
            store.connect(db_path)
        deadline = time.monotonic() + 10
        while store.is_open(db_path) and time.monotonic() < deadline:
            threading.Event().wait(0.01)
        assert not store.is_open(db_path)
    finally:
        store.release_when_idle(None)


def test_a_program_waits_for_the_file_to_be_let_go(tmp_path, migrated_template):
    path = tmp_path / "busy.duckdb"
    path.write_bytes(migrated_template.read_bytes())
    code = (
        "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('ready', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\ncon.close()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(path), "1.0"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        con = store.open_database(path)  # held for about a second more: waited for, not refused
        assert migrations.has_marker(con)
        con.close()
    finally:
        holder.wait(timeout=30)


def test_a_program_gives_up_after_the_wait_with_the_clear_message(tmp_path, held_by_another_process):
    path = tmp_path / "held.duckdb"
    holder = held_by_another_process(path)
    started = time.monotonic()
    with pytest.raises(store.DatabaseLocked) as caught:
        store.open_database(path, wait=0.3)
    assert time.monotonic() - started >= 0.3
    assert caught.value.pid == holder.pid


def test_a_program_holding_the_file_read_only_is_waited_for_not_called_read_only(tmp_path, held_by_another_process):
    # DuckDB's message then suggests "read-only mode": a program holds the file, the file is writable.
    path = tmp_path / "held.duckdb"
    store.open_database(path).close()
    holder = held_by_another_process(path, read_only=True)
    started = time.monotonic()
    with pytest.raises(store.DatabaseLocked) as caught:
        store.open_database(path, wait=0.3)
    assert time.monotonic() - started >= 0.3
    assert caught.value.pid == holder.pid


def test_data_version_moves_for_a_change_made_by_another_program(db_path, con, sample_interview):
    from analysis import interviews

    before = store.data_version(con)
    con.close()
    store.close(db_path)
    code = (
        "import sys\nsys.path.insert(0, sys.argv[2])\nfrom analysis import store, interviews\n"
        "con = store.connect(sys.argv[1]).cursor()\n"
        "interviews.add_category(con, 'take-home')\nstore.close_all()\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    subprocess.run([sys.executable, "-c", code, str(db_path), root], check=True, timeout=60)
    after = store.data_version(store.connect(db_path).cursor())
    assert after > before
    assert "take-home" in interviews.categories(store.connect(db_path).cursor())


def test_a_file_that_shrank_at_a_checkpoint_is_not_called_damaged(db_path):
    """Closing checkpoints, and a checkpoint cuts free blocks off the file's end: reopening must still work."""
    from analysis import demo, practice

    con = store.connect(db_path).cursor()
    demo.generate(con, interviews=30, today=dt.date(2026, 6, 1))
    shrank = False
    for day in range(1, 8):  # each round writes and frees some blocks, as a session of clicks does
        con = store.connect(db_path).cursor()  # the reopen must not call the file damaged
        practice.sync(con, now=dt.datetime(2026, 6, day, tzinfo=dt.UTC))
        for card in practice.due_cards(con, now=dt.datetime(2026, 6, day, tzinfo=dt.UTC))[:3]:
            practice.grade(con, card.id, "good", now=dt.datetime(2026, 6, day, tzinfo=dt.UTC))
        store.close(db_path)
        with duckdb.connect(str(db_path), read_only=True) as reader:
            block_size, blocks = reader.execute(
                "SELECT block_size, total_blocks FROM pragma_database_size()"
            ).fetchone()
        shrank |= db_path.stat().st_size < block_size * blocks
    assert shrank  # the case the check once refused did happen
    assert store.connect(db_path).cursor().execute("SELECT count(*) FROM practice_reviews").fetchone()[0] > 0


def test_a_script_run_holds_the_file_until_its_thread_ends(db_path, idle_release, monkeypatch):
    """The app's hold (ui): taken by any connection a script run takes, a fragment rerun's included,
    and ended when Streamlit's script thread ends, since a fragment rerun never passes through app.py."""
    import streamlit.runtime.scriptrunner as scriptrunner

    import ui

    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda suppress_warning=False: object())
    store.on_use(ui._hold_for_this_run)
    try:
        took_it, finish = threading.Event(), threading.Event()

        def fragment_rerun():
            store.connect(db_path).cursor().execute("SELECT 1")  # as a cached function inside a fragment does
            store.connect(db_path)  # a second connection in the same run: still one hold
            took_it.set()
            finish.wait(30)

        script_thread = threading.Thread(target=fragment_rerun)
        script_thread.start()
        assert took_it.wait(30)
        assert connections.holds(db_path) == 1 and not idle_release
        finish.set()
        script_thread.join()
        deadline = time.monotonic() + 30
        while connections.holds(db_path) and time.monotonic() < deadline:
            threading.Event().wait(0.01)  # the watcher thread ends the hold just after
        assert connections.holds(db_path) == 0 and len(idle_release) == 1
    finally:
        store.on_use(None)


def test_outside_a_script_run_a_connection_takes_no_hold(db_path, idle_release, monkeypatch):
    import streamlit.runtime.scriptrunner as scriptrunner

    import ui

    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda suppress_warning=False: None)
    store.on_use(ui._hold_for_this_run)
    try:
        store.connect(db_path)
        assert connections.holds(db_path) == 0
    finally:
        store.on_use(None)


def test_a_download_made_on_click_holds_the_file_while_it_is_made(db_path, idle_release, monkeypatch):
    import ui

    monkeypatch.setattr(ui, "database_path", lambda: db_path)
    seen = []

    def work(cursor):
        seen.append((connections.holds(db_path), cursor.execute("SELECT 42").fetchone()[0]))
        return b"made"

    assert ui.made_on_click(work)() == b"made"
    assert seen == [(1, 42)]
    assert connections.holds(db_path) == 0 and len(idle_release) == 1  # let go of a moment after


def test_an_idle_file_is_let_go_at_once_when_another_program_asks(db_path, idle_release):
    with store.hold(db_path):
        store.connect(db_path)
    assert store.is_open(db_path) and len(idle_release) == 1  # the countdown has not run out
    with connections.asking_to_let_go(db_path):
        assert connections.let_go_if_asked() == [db_path]
        assert not store.is_open(db_path)
        assert another_process_can_open(db_path)
    assert not connections.request_path(db_path).exists()  # the request goes with the asking
    idle_release[0].run_out()  # the countdown that was overtaken finds nothing to close
    with store.hold(db_path):
        assert store.connect(db_path).cursor().execute("SELECT 1").fetchone() == (1,)


def test_a_file_asked_for_during_a_run_is_let_go_when_the_run_ends(db_path, idle_release):
    with connections.asking_to_let_go(db_path):
        with store.hold(db_path):
            store.connect(db_path)
            assert connections.let_go_if_asked() == []  # the run still needs it
            assert store.is_open(db_path)
        assert connections.let_go_if_asked() == [db_path]
    assert not store.is_open(db_path)


def test_a_request_left_behind_by_a_program_that_crashed_is_ignored(db_path, idle_release):
    import os

    with store.hold(db_path):
        store.connect(db_path)
    request = connections.request_path(db_path)
    request.write_text("12345 0")
    stale = time.time() - connections.REQUEST_FRESH_S - 1
    os.utime(request, (stale, stale))
    assert connections.let_go_if_asked() == []
    assert store.is_open(db_path)


def test_a_command_gets_the_file_from_a_watching_app_long_before_its_countdown(db_path):
    """The app keeps an idle file ten minutes here; the command, waiting its few seconds, still gets it."""
    store.release_when_idle(600, watch=True)
    try:
        with store.hold(db_path):
            store.connect(db_path).cursor().execute("SELECT 1")
        assert store.is_open(db_path)
        code = (
            "import sys\nsys.path.insert(0, sys.argv[2])\nfrom analysis import migrations, store\n"
            "con = store.open_database(sys.argv[1])\nprint(migrations.has_marker(con))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(db_path), str(Path(__file__).resolve().parents[2])],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "True"
        assert not store.is_open(db_path)
        assert not connections.request_path(db_path).exists()
    finally:
        store.release_when_idle(None)
