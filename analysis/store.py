"""Opening Debrief's DuckDB database: one connection per file for the process, held only while working.

DuckDB lets one process hold a database file for writing. Streamlit runs each
browser session's script on its own thread, and a DuckDB connection must not be
used from two threads at once, so the process keeps one connection per path
(``connect``) and every script run or command takes its own ``.cursor()``.

So that the command line can use the file while the app serves, the app marks
the work in flight (``hold``) and lets go of the file once nothing has held it
for a while (``release_when_idle``), or at once when a program waiting for the
file asks (``connections.asking_to_let_go``); the next run opens it again. A
program that finds the file held asks, and waits a few seconds for it
(``LOCK_WAIT_S``).
Caches key on ``data_version``, kept in the file itself, so a change made by
any program shows in every other (drafts, which no cache reads, leave it: ``writing``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from analysis import connections, migrations, sql, text

DEFAULT_DB = Path("data") / "debrief.duckdb"

# Every connection Debrief opens, from its very first statement: DuckDB must
# never download or load an extension on its own (opening a SQLite file, say,
# would otherwise fetch sqlite_scanner from the internet). And DuckDB keeps what
# it reads in memory up to its limit, 80% of the machine by default: a
# million-row import held about 1 GB that way. With a budget it spills to its
# temp folder instead: about 800 MB, for a few percent more time (bench/import.py).
# A long history needs a fraction of it. The importer's column cap keeps wide
# files inside it (importing.staging.MAX_COLUMNS).
MEMORY_LIMIT = "768MB"
CONNECT_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": MEMORY_LIMIT,
}


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
            f"The database {path} is open in another program: {who}, which did not let go of it within "
            "a few seconds. Close that program (a DuckDB shell, a notebook, a long import) and try again, "
            "or point DEBRIEF_DB at another file. To read your data while that program keeps it open, "
            "copy the file and open the copy."
        )


class DatabaseUnreadable(StoreError):
    """The file is not a DuckDB database this version can open."""


class DatabaseDamaged(DatabaseUnreadable):
    """The file is a DuckDB database with parts missing or unreadable (truncated, corrupt)."""


class DiskFull(StoreError):
    """The disk holding the database (or a file being written) has no space left."""


class NotWritable(StoreError):
    """The database file, or the folder it belongs in, cannot be written."""


class ForeignDatabase(StoreError):
    """A DuckDB database that holds data but not Debrief's marker: someone else's file."""


class NewerDatabase(StoreError):
    """A Debrief database whose schema comes from a newer Debrief than this one."""


class WriteConflict(StoreError):
    """Another window wrote the same rows at the same moment."""


class OutOfMemory(StoreError):
    """DuckDB ran out of memory: the statement was undone, and nothing half-done was kept."""


# Files this process has opened and migrated to the current schema: reopening them is cheap.
_current: set[Path] = set()
_restricted = False  # set by the app: see restrict_file_access

# How long a program waits for a file another program holds: an idle app lets go as soon as it
# is asked, a busy one after its run, and a command like ``due`` holds it a fraction of a second.
LOCK_WAIT_S = 5.0

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.+?) \(PID (?P<pid>\d+)\)")

# DuckDB reports what the operating system said as text (an IOException, or a
# TransactionException when COMMIT cannot write its log), so causes are read
# from the message; an OSError carries its errno.
_DISK_FULL = re.compile(r"No space left on device|Disk quota exceeded|not enough space on (the )?disk", re.I)
_NOT_WRITABLE = re.compile(r"Read-only file system|Permission denied|Operation not permitted|read-only mode", re.I)
_DAMAGED = re.compile(
    r"Could not read enough bytes|corrupt|checksum|Failed to read|invalid block|Cannot read block", re.I
)
_NOT_DUCKDB = re.compile(r"not a valid DuckDB database file", re.I)
# What DuckDB says when a file needs an extension Debrief never loads (a SQLite file needs "sqlite").
_NEEDS_EXTENSION = re.compile(r'Extension "(?P<name>[^"]+)" is an existing extension', re.I)
# DuckDB's optimistic concurrency: two transactions changed the same rows (or
# inserted the same key, seen only at COMMIT).
_CONFLICT = re.compile(
    r"Conflict on (update|tuple deletion|append)|write-write conflict|Transaction conflict"
    r"|another transaction has altered|Failed to commit: .*constraint violation",
    re.I,
)
_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NOT_WRITABLE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}

# An interrupted copy keeps this suffix: only a complete, fsynced copy gets the official name.
PARTIAL_SUFFIX = ".partial"


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


def explain(exc: BaseException, path: str | os.PathLike | duckdb.DuckDBPyConnection | None = None) -> StoreError:
    """The ``StoreError`` that says what ``exc`` (a DuckDB or OS error) means for the user and what to do.

    ``path`` is the database (or file) being used, or a connection to it; an
    ``OSError`` that names its own file is explained with that file. The one
    place where DuckDB's and the operating system's failures are translated:
    opening, writing, backing up.
    """
    if isinstance(exc, StoreError):
        return exc
    if path is not None and not isinstance(path, str | os.PathLike):  # a connection (or a stand-in for one)
        try:
            path = database_file(path)
        except duckdb.Error:
            path = None  # the connection itself is gone: say "the database"
    if isinstance(exc, OSError) and exc.filename:
        path = exc.filename
    where = Path(path) if path else None
    detail = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).removeprefix("IO Error: ")
    number = exc.errno if isinstance(exc, OSError) else None
    if number in _DISK_FULL_ERRNOS or _DISK_FULL.search(detail):
        return DiskFull(
            f"The disk holding {where or 'the database'} is full, so the change could not be written. "
            "Nothing half-written was kept: what was saved before is intact. Free some space on that disk "
            "(or point DEBRIEF_DB at a file on another disk), then try again."
        )
    if isinstance(exc, duckdb.OutOfMemoryException) or "Out of Memory Error" in detail:
        return OutOfMemory(
            "There was not enough memory to finish, so nothing was changed: what was saved before is intact. "
            "Close other programs and try again. A file to import needs less as a copy with fewer rows, or with "
            f"only the columns you keep notes in. (DuckDB said: {detail.splitlines()[0]})"
        )
    # Another program holding the file comes first: when its lock is a read lock (a read-only
    # connection), DuckDB's message suggests "read-only mode", which is no sign that the file
    # cannot be written, and the caller would stop waiting for it.
    match = _LOCK_HOLDER.search(detail)
    if match:
        pid = int(match["pid"])
        return DatabaseLocked(where, _describe_process(pid, match["exe"]), pid)
    if number in _NOT_WRITABLE_ERRNOS or _NOT_WRITABLE.search(detail):
        return _not_writable(where, detail)
    if "Could not set lock" in detail:
        return DatabaseLocked(where, None, None)
    if is_conflict(exc):
        return WriteConflict(
            "Another window saved at the same moment and this change could not be applied. Nothing was lost: try again."
        )
    if _DAMAGED.search(detail):
        return _damaged(where, detail)
    if needs := _NEEDS_EXTENSION.search(detail):
        return DatabaseUnreadable(
            f"{where} is not a DuckDB database: DuckDB could read it only with its {needs['name']} extension, "
            "which Debrief never downloads or loads. Point DEBRIEF_DB (or --db) at a DuckDB file (a new name "
            "starts an empty database); to bring data from elsewhere, export it as CSV and import that."
        )
    if _NOT_DUCKDB.search(detail):
        return DatabaseUnreadable(
            f"{where} is not a DuckDB database, so it cannot be a Debrief one (DuckDB {duckdb.__version__} says: "
            f"{detail}). Point DEBRIEF_DB (or --db) at another file, or move this one aside."
        )
    if isinstance(exc, OSError):
        return StoreError(f"Debrief could not write {where or 'the file'}: {detail}.")
    return StoreError(f"DuckDB could not use {where or 'the database'}: {detail}")


def _not_writable(where: Path | None, detail: str) -> NotWritable:
    if where is not None and where.exists() and not where.is_dir():
        return NotWritable(
            f"{where} is read-only ({detail}), so Debrief cannot save to it. Make the file and its folder writable "
            f"(for example `chmod u+w`), or copy the file to a folder you can write and point DEBRIEF_DB at the copy."
        )
    folder = where.parent if where is not None and not where.is_dir() else where
    return NotWritable(
        f"Debrief cannot write in the folder {folder or 'of the database'} ({detail}). Point DEBRIEF_DB (or --db) "
        "at a file in a folder you can write, or make that folder writable."
    )


def _damaged(where: Path | None, detail: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"{where or 'The database'} is damaged: DuckDB could not read all of it ({detail}). It may have been cut "
        "short by an interrupted copy or a full disk. Debrief has not changed it. Keep it aside and restore your "
        "latest backup into a new file (`python -m analysis restore BACKUP.zip --db NEW.duckdb`, or the Export "
        "page), or use a copy Debrief took before a migration (the files named *.backup-v*)."
    )


def open_database(
    path: str | os.PathLike, *, read_only: bool = False, adopt: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (creating if need be) and migrate the database at ``path``.

    Returns a new connection the caller owns. When another program holds the
    file, tries again for up to ``wait`` seconds before giving up. Raises a
    ``StoreError`` saying what is wrong: ``DatabaseLocked`` naming the process
    that holds the file, ``NotWritable``, ``DiskFull``, ``DatabaseDamaged``,
    ``DatabaseUnreadable``, ``NewerDatabase``, or ``ForeignDatabase`` for a
    DuckDB database with data but without Debrief's marker, unless ``adopt``
    (then a copy is taken first).
    """
    path = Path(path)
    con = _connect_waiting(path, read_only=read_only, wait=LOCK_WAIT_S if wait is None else wait)
    try:
        _check_complete(con, path)
        if not read_only:
            _prepare(con, path, adopt=adopt)
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):
            con.close()
        if isinstance(exc, duckdb.Error | OSError):
            raise explain(exc, path) from exc
        raise
    return con


def _connect_waiting(path: Path, *, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect``, tried again for up to ``wait`` seconds while another program holds the file."""

    def attempt() -> duckdb.DuckDBPyConnection:
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(str(path), read_only=read_only, config=CONNECT_CONFIG)
        except (duckdb.Error, OSError) as exc:
            raise explain(exc, path) from exc

    return connections.waiting(path, attempt, DatabaseLocked, wait)


def _check_complete(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file shorter than the blocks it uses: it was cut short, and reading it would fail later.

    Free blocks do not count: a checkpoint cuts free blocks off the end of the
    file, while DuckDB still counts them among its blocks.
    """
    block_size, blocks, free = con.execute(
        "SELECT block_size, total_blocks, free_blocks FROM pragma_database_size() "
        "WHERE database_name = current_database()"
    ).fetchone()
    size = path.stat().st_size if path.exists() else 0
    if size < block_size * (blocks - free):
        raise _damaged(path, f"the file has {size:,} bytes of at least {block_size * (blocks - free):,}")


def _prepare(con: duckdb.DuckDBPyConnection, path: Path, *, adopt: bool) -> None:
    """Check that the file is Debrief's (or adopted), back it up when its schema will change, migrate it."""
    newest = _schema_version(con)
    if newest is not None:
        if newest > migrations.latest_version():
            raise NewerDatabase(
                f"{path} was written by a newer Debrief (its schema is version {newest}; this Debrief knows up to "
                f"{migrations.latest_version()}). Debrief has not changed it. Update Debrief (git pull, then make "
                "run) to open it, or point DEBRIEF_DB (or --db) at another file."
            )
        if newest == migrations.latest_version() and path in _current:
            # Reopened after an idle release (see release_when_idle): migrated already,
            # so only the safety checks above and the sandbox below are needed.
            _trim_changes(con)
            if _restricted:
                _restrict(con, path)
            return
        discard_incomplete_backups(path)
        if migrations.pending(con) and migrations.applied(con):
            backup_before_migrating(con, path)
    else:
        others = _objects_in(con)
        if others and not adopt:
            raise ForeignDatabase(
                f"{path} is a DuckDB database that Debrief did not create: it holds {text.count(len(others), 'table')} "
                f"({', '.join(others[:5])}{', …' if len(others) > 5 else ''}) and no schema_migrations table. "
                "Debrief has not changed it. Point DEBRIEF_DB (or --db) at another file; or, to let Debrief add "
                "its tables to this one, confirm with --adopt on the command line or the button in the app "
                "(a copy of the file is taken first)."
            )
        if others:
            con.execute("CHECKPOINT")
            copy_file_safely(path, backup_name(path, "before-debrief"))
        discard_incomplete_backups(path)
    migrations.migrate(con)
    _trim_changes(con)
    _current.add(path)
    if _restricted:
        _restrict(con, path)


def _schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest migration recorded in the file, or None without Debrief's marker (``schema_migrations``)."""
    # Asked directly rather than through the catalog (migrations.has_marker): every
    # reopen after an idle release asks, and this is the cheaper question.
    try:
        (newest,) = con.execute("SELECT coalesce(max(version), 0) FROM main.schema_migrations").fetchone()
    except duckdb.CatalogException:
        return None
    return newest


def _trim_changes(con: duckdb.DuckDBPyConnection) -> None:
    # Only the newest change counts; opening is the one moment no other cursor of
    # this process can be writing, so older rows go without any conflict.
    con.execute(
        sql.render("DELETE FROM {table} WHERE version < (SELECT max(version) FROM {table})", table=sql.DATA_CHANGES)
    )


def _objects_in(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of the open database (any schema), by name."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary "
        "UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND NOT temporary AND NOT internal ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


def backup_name(path: Path, label: str) -> Path:
    """A new file name beside ``path`` for a copy of it: ``debrief.backup-<label>-<time>.duckdb``."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{label}-{stamp}{path.suffix or '.duckdb'}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.stem}.backup-{label}-{stamp}-{number}{path.suffix or '.duckdb'}")
    return target


def copy_file_safely(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` so that ``target`` is either complete or absent; return ``target``.

    The bytes go to a temporary name (``target`` + ``.partial``), are flushed to
    the disk, and only then renamed: a crash or a full disk mid-copy leaves at
    most a ``.partial`` file, which ``discard_incomplete_backups`` removes.
    """
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        with open(source, "rb") as src, open(partial, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(source, partial)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise explain(exc, target) from exc
        raise
    return target


def _sync_folder(folder: Path) -> None:
    # The rename is only durable once the folder's entry is on disk too (POSIX);
    # Windows cannot open a folder this way and does not need it.
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def discard_incomplete_backups(path: Path) -> list[Path]:
    """Remove copies of ``path`` that an interrupted backup left under a temporary name; return them."""
    leftovers = sorted(path.parent.glob(f"{glob.escape(path.stem)}.backup-*{PARTIAL_SUFFIX}"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return leftovers


def backup_before_migrating(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Copy the database file aside before its schema changes; return the copy's path.

    The copy is taken right after a checkpoint, while this process holds the
    file's lock, so it is consistent, and it only gets its name once complete
    (see ``copy_file_safely``). To restore it, stop Debrief and copy it back
    over the database file.
    """
    version = migrations.applied(con)[-1]
    con.execute("CHECKPOINT")
    return copy_file_safely(path, backup_name(path, f"v{version}"))


# --- the sandbox ----------------------------------------------------------------------------------


def restrict_file_access(on: bool = True) -> None:
    """Make connections opened from now on unable to touch any file but the database's own
    (the file and its write-ahead log) and ``scratch_dir()``. The app turns this on."""
    global _restricted
    _restricted = on


def _restrict(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    # DuckDB hands a process the database instance it already has open (as when
    # Streamlit reloads this module after an edit): already locked down, keep it.
    if con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        return
    # Order matters: DuckDB accepts allowed_paths/allowed_directories only while
    # external access is on, and lock_configuration stops any later SQL from
    # undoing it. Backups beside the database are copied by Python, not DuckDB, so
    # the database's folder itself stays out of reach (with DEBRIEF_DB=~/x.duckdb it
    # is the home folder). DuckDB's own spill files go to the scratch folder too.
    from analysis.scratch import scratch_dir  # here: the scratch module raises this module's errors

    scratch = scratch_dir()
    con.execute("SET allowed_paths = ?", [[str(path), f"{path}.wal"]])
    con.execute("SET allowed_directories = ?", [[str(scratch) + os.sep]])
    con.execute("SET temp_directory = ?", [str(scratch / "duckdb-spill")])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def is_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB's optimistic-concurrency conflict: two writers changed the same rows.

    Only that: a COMMIT that fails because the disk is full is a
    TransactionException too, and must not be called a conflict.
    """
    return isinstance(exc, duckdb.TransactionException) and bool(_CONFLICT.search(str(exc)))


@contextlib.contextmanager
def writing(con: duckdb.DuckDBPyConnection, *, work_in_progress: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """One user action's write (``sql.write_transaction``); a full disk, a read-only or damaged file
    raise the ``StoreError`` that says so (``explain``), nothing written. A write-write conflict is
    left as DuckDB raised it, for the caller to repeat the action (``retry_on_conflict``) or to say
    that what the user typed is still on screen. A write of ``work_in_progress`` (the Log page's
    drafts, ``schema.WORKING_TABLES``, written on every change) leaves the data version alone: no
    computed view reads them, and every cache would otherwise be worked out again after each tap."""
    try:
        with sql.transaction(con) if work_in_progress else sql.write_transaction(con):
            yield con
    except (duckdb.Error, OSError) as exc:
        if is_conflict(exc):
            raise
        raise explain(exc, con) from exc


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
                raise explain(exc) from None
            time.sleep(0.01 * (attempt + 1))


def connect(path: str | os.PathLike | None = None, *, adopt: bool = False) -> duckdb.DuckDBPyConnection:
    """Return the process's shared connection to ``path`` (see ``database_path``), opening it if need be.

    Callers must not run queries on it directly from several threads: take a
    ``.cursor()`` per script run or command, which DuckDB makes safe to use
    alongside the others. ``adopt`` lets Debrief take over a DuckDB database
    made by something else (see ``open_database``). Where the process lets go
    of idle files (``release_when_idle``), use it only inside a ``hold`` of the
    file: outside one it may be closed under you.
    """
    resolved = database_path(path)
    return connections.shared(resolved, lambda: open_database(resolved, adopt=adopt))


def close(path: str | os.PathLike | None = None) -> None:
    """Close the shared connection to ``path`` so another process may open the file."""
    connections.close(database_path(path))


def close_all() -> None:
    """Close every shared connection (tests, and the end of a command)."""
    connections.close_all()


def hold(path: str | os.PathLike | None = None) -> connections.Hold:
    """Mark work in flight on ``path``: not let go while held. Release with ``.release()``, or use ``with``."""
    return connections.hold(database_path(path))


def is_open(path: str | os.PathLike | None = None) -> bool:
    """Whether this process has the database at ``path`` open."""
    return connections.is_open(database_path(path))


# The app turns these on: see analysis/connections.py.
release_when_idle = connections.release_when_idle
on_use = connections.on_use


def data_version(con_or_path) -> int:
    """A number that changes whenever any program commits a write to the database.

    Kept in the file (``data_changes``, see ``sql.write_transaction``), so a
    change made by the command line moves it for the app too; caches key on it.
    Takes a cursor, or a path (then opened with ``connect``).
    """
    con = con_or_path if isinstance(con_or_path, duckdb.DuckDBPyConnection) else connect(con_or_path).cursor()
    try:
        (version,) = con.execute(sql.render("SELECT max(version) FROM {table}", table=sql.DATA_CHANGES)).fetchone()
    except duckdb.CatalogException:
        return 0  # a database not yet migrated (opened read-only)
    return version or 0


def bump_version(con: duckdb.DuckDBPyConnection) -> None:
    """Record a change to the data in the transaction under way (or on its own, after the change).

    ``sql.write_transaction`` does this for every write; use this only for a
    write that cannot be one (a statement that must run outside a transaction).
    """
    con.execute(sql.render("INSERT INTO {table} DEFAULT VALUES", table=sql.DATA_CHANGES))


def database_file(con: duckdb.DuckDBPyConnection) -> Path:
    """The file ``con`` has open (resolved), or ``Path(":memory:")`` for an in-memory database."""
    (name,) = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(name).resolve() if name else Path(":memory:")


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the file after a bulk write, when no other window is writing.

    The write itself is already committed and safe in the log; while another
    cursor holds a write transaction DuckDB refuses to checkpoint, and will do
    it itself later, so that refusal is not a failure.
    """
    try:
        con.execute("CHECKPOINT")
    except duckdb.TransactionException as exc:
        if "other write transactions" not in str(exc):
            raise


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
