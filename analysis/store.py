"""Opening Debrief's DuckDB database: one connection per file for the process.

DuckDB lets one process hold a database file for writing. Streamlit runs each
browser session's script on its own thread, and a DuckDB connection must not be
used from two threads at once, so the process keeps one connection per path
(``connect``) and every script run or command takes its own ``.cursor()``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from analysis import migrations

DEFAULT_DB = Path("data") / "debrief.duckdb"


class StoreError(Exception):
    """A problem with the database that the user can act on; ``str()`` says how."""


class DatabaseLocked(StoreError):
    """Another process holds the database file."""

    def __init__(self, path: Path, holder: str | None, pid: int | None):
        self.path = path
        self.holder = holder
        self.pid = pid
        who = f"{holder} (process {pid})" if pid else "another program"
        super().__init__(
            f"The database {path} is open in another program: {who}. "
            "Only one program can use it at a time. Close that program (another "
            "Debrief started with `make run`, a DuckDB shell or a notebook) and try "
            "again, or point DEBRIEF_DB at another file. To read your data while "
            "Debrief is running, copy the file and open the copy."
        )


class DatabaseUnreadable(StoreError):
    """The file is not a DuckDB database this version can open."""


class WriteConflict(StoreError):
    """Another window wrote the same rows at the same moment."""


_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
_restricted = False  # set by the app: see restrict_file_access
_versions: dict[Path, int] = {}
_lock = threading.Lock()

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.+?) \(PID (?P<pid>\d+)\)")


def database_path(path: str | os.PathLike | None = None) -> Path:
    """Resolve the database to use: ``path``, else ``$DEBRIEF_DB``, else ``data/debrief.duckdb``."""
    chosen = path or os.environ.get("DEBRIEF_DB") or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def demo_path(path: str | os.PathLike) -> Path:
    """The demo database that sits beside ``path`` and never mixes with it."""
    path = Path(path)
    return path.with_name(f"{path.stem}-demo{path.suffix or '.duckdb'}")


def _describe_process(pid: int, exe: str) -> str:
    """Name the process holding the lock, with its command line when we can read it."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        args = [a.decode(errors="replace") for a in raw.split(b"\0") if a]
        if args:
            args[0] = Path(args[0]).name
            return " ".join(args)[:160]
    except OSError:
        pass
    return Path(exe).name


def open_database(path: str | os.PathLike, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if need be) and migrate the database at ``path``.

    Returns a new connection the caller owns. Raises ``DatabaseLocked`` naming
    the process that holds the file, or ``DatabaseUnreadable``.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        match = _LOCK_HOLDER.search(str(exc))
        if match or "Could not set lock" in str(exc):
            pid = int(match["pid"]) if match else None
            holder = _describe_process(pid, match["exe"]) if match else None
            raise DatabaseLocked(path, holder, pid) from None
        raise DatabaseUnreadable(
            f"{path} is not a Debrief database DuckDB {duckdb.__version__} can read ({exc}). "
            "Point DEBRIEF_DB at another file, or move this one aside."
        ) from None
    except duckdb.Error as exc:
        raise DatabaseUnreadable(
            f"{path} is not a Debrief database DuckDB {duckdb.__version__} can read ({exc}). "
            "Point DEBRIEF_DB at another file, or move this one aside."
        ) from None
    if not read_only:
        try:
            if migrations.pending(con) and migrations.applied(con):
                backup_before_migrating(con, path)
            migrations.migrate(con)
            if _restricted:
                _restrict(con, path)
        except BaseException:
            con.close()
            raise
    return con


def backup_before_migrating(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Copy the database file aside before its schema changes; return the copy's path.

    The copy is taken right after a checkpoint, while this process holds the
    file's lock, so it is consistent. To restore it, stop Debrief and copy it
    back over the database file.
    """
    version = migrations.applied(con)[-1]
    con.execute("CHECKPOINT")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-v{version}-{stamp}{path.suffix or '.duckdb'}")
    shutil.copy2(path, target)
    return target


def scratch_dir() -> Path:
    """The only folder, besides the database's own, that a restricted connection may read or write.

    Uploaded files are staged here before DuckDB reads them.
    """
    folder = Path(tempfile.gettempdir()) / f"debrief-scratch-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def restrict_file_access(on: bool = True) -> None:
    """Make connections opened from now on unable to touch files outside
    ``scratch_dir()`` and the database's folder (the app turns this on)."""
    global _restricted
    _restricted = on


def _restrict(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    # DuckDB hands a process the database instance it already has open (as when
    # Streamlit reloads this module after an edit): already locked down, keep it.
    if con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        return
    # Order matters: DuckDB accepts allowed_directories only while external
    # access is on, and lock_configuration stops any later SQL from undoing it.
    folders = [str(scratch_dir()) + os.sep, str(path.parent) + os.sep]
    con.execute("SET allowed_directories = ?", [folders])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def is_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB's optimistic-concurrency "Transaction conflict"."""
    return isinstance(exc, duckdb.TransactionException) or "conflict" in str(exc).lower()


def retry_on_conflict(action, attempts: int = 5):
    """Run ``action()`` again when DuckDB reports a write-write conflict.

    Only for actions that are safe to repeat as a whole (each one transaction).
    After the last attempt the conflict is raised as ``WriteConflict``.
    """
    for attempt in range(attempts):
        try:
            return action()
        except duckdb.Error as exc:
            if not is_conflict(exc):
                raise
            if attempt == attempts - 1:
                raise WriteConflict(
                    "Another window saved at the same moment and this change could not be applied. "
                    "Nothing was lost: try again."
                ) from None
            time.sleep(0.01 * (attempt + 1))


def connect(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Return the process's shared connection to ``path`` (see ``database_path``).

    Callers must not run queries on it directly from several threads: take a
    ``.cursor()`` per script run or command, which DuckDB makes safe to use
    alongside the others.
    """
    resolved = database_path(path)
    with _lock:
        con = _connections.get(resolved)
        if con is None:
            con = open_database(resolved)
            _connections[resolved] = con
        return con


def close(path: str | os.PathLike | None = None) -> None:
    """Close the shared connection to ``path`` so another process may open the file."""
    resolved = database_path(path)
    with _lock:
        con = _connections.pop(resolved, None)
    if con is not None:
        con.close()


def close_all() -> None:
    """Close every shared connection (tests, and the end of a command)."""
    with _lock:
        cons = list(_connections.values())
        _connections.clear()
    for con in cons:
        con.close()


def data_version(con_or_path) -> int:
    """A number that changes whenever this process writes to the database.

    Only one process can hold the file for writing, so a counter kept in that
    process is a complete record of changes; caches key on it.
    """
    return _versions.get(_key(con_or_path), 0)


def bump_version(con_or_path) -> None:
    """Record that the database behind ``con_or_path`` changed."""
    key = _key(con_or_path)
    with _lock:
        _versions[key] = _versions.get(key, 0) + 1


def _key(con_or_path) -> Path:
    if isinstance(con_or_path, duckdb.DuckDBPyConnection):
        name = con_or_path.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]
        return Path(name).resolve() if name else Path(":memory:")
    return database_path(con_or_path)


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the file after a bulk write."""
    con.execute("CHECKPOINT")


def get_setting(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    """Return the stored setting ``key``, or ``default``."""
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return default if row is None else row[0]


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    """Store setting ``key`` (None removes it)."""
    if value is None:
        con.execute("DELETE FROM settings WHERE key = ?", [key])
    else:
        con.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
    bump_version(con)


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this database holds generated demo data rather than the user's own."""
    return get_setting(con, "demo") == "true"
