"""The process's shared connections, one per database file, and when to let go of them.

DuckDB lets one process hold a file for writing, and a connection must not be
used from two threads at once: the process keeps one connection per file and
every script run or command takes its own ``.cursor()`` of it (``store.connect``).

The app must not keep the file for as long as it runs, or the command line
could never use it. Work in flight on a file is marked with a ``hold``; once
the last hold ends, a countdown starts (``release_when_idle``), and when it
runs out with no new hold the connection is closed, which lets go of the file.
The next run opens it again. A command line that exits at once never turns the
countdown on, and neither do tests that keep cursors between runs.

Reopening slows every click after a pause (a fresh connection, its caches
cold), so the app keeps an idle file for a while and lets go of it at once
when another Debrief program asks: a program that finds the file held writes a
request beside it (``asking_to_let_go``), and the app, watching for requests
(``let_go_if_asked``), closes the file as soon as no work holds it. Other
programs (a DuckDB shell) get the file when the countdown runs out.

Paths given here are already resolved (``store.database_path``); opening and
migrating a file is ``store.open_database``'s, passed in as ``opener``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import duckdb

_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
_holds: dict[Path, int] = {}  # work in flight per file
_countdowns: dict[Path, object] = {}  # the pending release of each idle file, by a token of its own
_idle_release_s: float | None = None  # None: keep files open
_timer: Callable = threading.Timer
_on_use: Callable[[Path], None] | None = None
_lock = threading.Lock()
_watching: threading.Event | None = None  # set to stop the thread watching for requests

# How often the app looks for a request to let go, and how long a request counts: a program
# asks only while it waits for the file (a few seconds), so an older one was left by a crash.
REQUEST_POLL_S = 0.05
REQUEST_FRESH_S = 30.0
FIRST_PAUSE_S = 0.05  # between a waiting program's tries, doubled each time up to a second
T = TypeVar("T")


def shared(path: Path, opener: Callable[[], duckdb.DuckDBPyConnection]) -> duckdb.DuckDBPyConnection:
    """The shared connection to ``path``, made with ``opener()`` if there is none open.

    The ``on_use`` callback, if any, is told first: the app takes its hold there.
    """
    if _on_use is not None:
        _on_use(path)
    with _lock:
        con = _connections.get(path)
        if con is None:
            con = opener()
            _connections[path] = con
        return con


def close(path: Path) -> None:
    """Close the shared connection to ``path`` now, held or not."""
    with _lock:
        _countdowns.pop(path, None)
        con = _connections.pop(path, None)
    if con is not None:
        con.close()


def close_all() -> None:
    """Close every shared connection now."""
    with _lock:
        cons = list(_connections.values())
        _connections.clear()
        _countdowns.clear()
    for con in cons:
        con.close()


# Closed at exit, while the interpreter is whole: a connection left to the interpreter's teardown
# made DuckDB's bindings print "nanobind: leaked ..." when the app was stopped (Ctrl-C), and the
# file was left with its write-ahead log instead of checkpointed into it.
@atexit.register
def _close_at_exit() -> None:
    with contextlib.suppress(duckdb.Error):  # nothing left to tell at exit
        close_all()


def is_open(path: Path) -> bool:
    """Whether this process has the file at ``path`` open."""
    return path in _connections


def release_when_idle(seconds: float | None, *, timer: Callable = threading.Timer, watch: bool = False) -> None:
    """Let go of a file once no hold has been on it for ``seconds`` (None, the default: never).

    ``timer(seconds, function, args=...)`` makes the delayed call, like
    ``threading.Timer`` (tests pass one they fire themselves). With ``watch``, a
    thread also lets go of an idle file as soon as another program asks for it
    (``let_go_if_asked``, every ``REQUEST_POLL_S``).
    """
    global _idle_release_s, _timer, _watching
    with _lock:
        _idle_release_s, _timer = seconds, timer
        if _watching is not None and not watch:
            _watching.set()
            _watching = None
        if watch and _watching is None:
            _watching = threading.Event()
            threading.Thread(target=_watch_requests, args=(_watching,), name="debrief-let-go", daemon=True).start()


def request_path(path: Path) -> Path:
    """The file beside the database by which another program asks for it (see ``asking_to_let_go``)."""
    return path.with_name(path.name + ".let-go")


@contextlib.contextmanager
def asking_to_let_go(path: Path) -> Iterator[None]:
    """Ask any Debrief app holding ``path`` to let go of it once idle, for as long as the block runs.

    The request is a small file beside the database, removed afterwards (unless
    another program has asked since). A folder that cannot be written to makes
    no request: the program then waits for the app's idle countdown.
    """
    request = request_path(path)
    token = f"{os.getpid()} {time.time_ns()}"
    try:
        request.write_text(token)
    except OSError:
        token = None
    try:
        yield
    finally:
        if token is not None:
            with contextlib.suppress(OSError):
                if request.read_text() == token:
                    request.unlink()


def waiting(path: Path, attempt: Callable[[], T], held: type[Exception], wait: float) -> T:
    """``attempt()``, tried again with growing pauses while it raises ``held``, for up to ``wait`` seconds.

    ``held`` says another program has the file at ``path``: from the first time,
    a Debrief app holding it is asked to let go (``asking_to_let_go``).
    """
    deadline = time.monotonic() + wait
    pause = FIRST_PAUSE_S
    with contextlib.ExitStack() as request:
        asked = False
        while True:
            try:
                return attempt()
            except held:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
            if not asked:
                request.enter_context(asking_to_let_go(path))
                asked = True
            time.sleep(min(pause, left))
            pause = min(pause * 2, 1.0)


def let_go_if_asked() -> list[Path]:
    """Close every shared connection whose file another program asks for and no work holds; return their paths."""
    with _lock:
        idle = [path for path in _connections if not _holds.get(path)]
    asked = [path for path in idle if _asked(path)]
    released = []
    for path in asked:
        with _lock:
            if _holds.get(path) or path not in _connections:
                continue  # a run took the file meanwhile: it is let go after that run
            _countdowns.pop(path, None)
            con = _connections.pop(path)
            with contextlib.suppress(duckdb.Error):
                con.close()
        released.append(path)
    return released


def _asked(path: Path) -> bool:
    try:
        asked_at = request_path(path).stat().st_mtime
    except OSError:
        return False
    return time.time() - asked_at < REQUEST_FRESH_S


def _watch_requests(stop: threading.Event) -> None:
    while not stop.wait(REQUEST_POLL_S):
        if _connections:
            let_go_if_asked()


def on_use(callback: Callable[[Path], None] | None) -> None:
    """Call ``callback(path)`` each time a shared connection is taken, before it is opened (None: stop).

    The app uses it to hold the file for the script run that takes it, however
    the run takes it: through its own helper, or in a cached function.
    """
    global _on_use
    _on_use = callback


class Hold:
    """Work in flight on one database file: the file stays open until every hold on it is released."""

    def __init__(self, path: Path):
        self.path = path
        self._released = False

    def release(self) -> None:
        """End this hold (again is harmless); when the last one ends, the idle countdown starts."""
        with _lock:
            if self._released:
                return
            self._released = True
            left = _holds[self.path] - 1
            if left:
                _holds[self.path] = left
                return
            del _holds[self.path]
            _start_countdown(self.path)

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def hold(path: Path) -> Hold:
    """Mark work in flight on ``path``, which is then not let go until the hold is released.

    A hold does not open the file: the first ``shared`` call inside it does.
    """
    with _lock:
        _holds[path] = _holds.get(path, 0) + 1
        _countdowns.pop(path, None)  # a countdown already running no longer counts
    return Hold(path)


def holds(path: Path) -> int:
    """How many holds are on ``path`` now."""
    return _holds.get(path, 0)


def _start_countdown(path: Path) -> None:
    # Called with _lock held. The token lets a countdown overtaken by a later
    # hold (which may have ended since, starting a countdown of its own) know
    # that it no longer counts.
    if _idle_release_s is None or path not in _connections:
        return
    token = object()
    _countdowns[path] = token
    countdown = _timer(_idle_release_s, _release_if_idle, args=(path, token))
    countdown.daemon = True
    countdown.start()


def _release_if_idle(path: Path, token: object) -> None:
    with _lock:
        if _holds.get(path) or _countdowns.get(path) is not token:
            return
        del _countdowns[path]
        con = _connections.pop(path, None)
        # Closed with the lock held: a run starting now waits for the close to
        # finish rather than racing it to open the same file again.
        if con is not None:
            with contextlib.suppress(duckdb.Error):
                con.close()
