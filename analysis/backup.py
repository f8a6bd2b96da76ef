"""The full backup, and the way back in: ``write_backup``/``backup_zip`` and ``restore``.

A backup is a zip of one Parquet file per table (every table of the database,
``schema.ALL_TABLES`` first) plus ``manifest.json``: the format and its version,
the schema version, the rows of each table, the file of each table and the
sequences' last values. The tables are read in one transaction, so they agree
with each other even while the app keeps writing.

``restore`` checks the manifest (format, format version, a schema no newer
than this Debrief's, every listed file present), refuses to replace existing
data unless asked (and then writes a backup of it first), loads every table in
one transaction and checks each table's row count against the manifest before
committing. The command ``python -m analysis restore`` and the Export page
call it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb

from analysis import migrations, schema, scratch, sql, store, text

FORMAT = "debrief-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# A table name that can be used as it is for its file in the zip; others get a numbered file.
_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
# A file the manifest may name: a bare name in the zip's top folder, never a path.
_SAFE_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.parquet$")
# Bookkeeping a restore keeps from the database it restores into, not from the backup.
_KEPT = "schema_migrations"


class BadBackup(store.StoreError):
    """The file is not a Debrief backup this Debrief can restore; ``str()`` says why."""


class RestoreRefused(store.StoreError):
    """The database already holds data and replacing it was not confirmed."""


@dataclass
class _Snapshot:
    """What a backup read from the database: a Parquet file and a row count per table, and the counters."""

    files: dict[str, Path]
    counts: dict[str, int]
    sequences: dict[str, int]
    schema_version: int


@dataclass(frozen=True)
class Restored:
    """What ``restore`` loaded: rows per table, and the backup it wrote of the data it replaced (if any)."""

    counts: dict[str, int]
    replaced_backup: Path | None


def _tables_in_backup_order(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of the database: ``schema.ALL_TABLES`` first in their order, then any other by name."""
    present = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
            "AND database_name = current_database() AND schema_name = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    return [t for t in schema.ALL_TABLES if t in present] + [t for t in present if t not in schema.ALL_TABLES]


def _snapshot(con: duckdb.DuckDBPyConnection, folder: Path) -> _Snapshot:
    """Copy every table to a Parquet file in ``folder``, all read in one transaction so they agree."""
    files: dict[str, Path] = {}
    counts: dict[str, int] = {}
    with sql.transaction(con):
        for n, table in enumerate(_tables_in_backup_order(con)):
            # Names come from the database's own catalog and are quoted; never from user input.
            target = folder / (f"{table}.parquet" if _PLAIN_NAME.match(table) else f"table-{n}.parquet")
            con.execute(sql.render("COPY {table} TO $path (FORMAT parquet)", table=table), {"path": str(target)})
            (counts[table],) = con.execute(sql.render("SELECT count(*) FROM {table}", table=table)).fetchone()
            files[table] = target
        sequences = dict(
            con.execute("SELECT sequence_name, last_value FROM duckdb_sequences() WHERE NOT temporary").fetchall()
        )
        (version,) = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return _Snapshot(files, counts, sequences, version)


def write_backup(con: duckdb.DuckDBPyConnection, path: str | os.PathLike) -> dict[str, int]:
    """Write a zip of one Parquet file per table plus ``manifest.json`` to ``path``; return rows per table.

    Every table of the database is included (those of ``schema.ALL_TABLES``
    first, then any other), read inside one transaction, so the backup is a
    consistent snapshot even while the app keeps writing. The zip only gets
    its name once complete; a full disk or a read-only folder raises the
    ``store.StoreError`` that says so.
    """
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="debrief-backup-", dir=scratch.scratch_dir()) as tmp:
            snapshot = _snapshot(con, Path(tmp))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now().isoformat(timespec="seconds"),
                "duckdb_version": duckdb.__version__,
                "schema_version": snapshot.schema_version,
                "tables": snapshot.counts,
                "files": {t: f.name for t, f in snapshot.files.items()},
                "sequences": snapshot.sequences,
            }
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(MANIFEST, json.dumps(manifest, indent=2))
                for f in snapshot.files.values():
                    zf.write(f, arcname=f.name)
            part.replace(path)
    except (OSError, duckdb.Error) as exc:
        part.unlink(missing_ok=True)
        raise store.explain(exc, path) from exc
    return snapshot.counts


def backup_zip(con: duckdb.DuckDBPyConnection) -> bytes:
    """The backup zip (see ``write_backup``) as bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-backup-out-", dir=scratch.scratch_dir()) as tmp:
        path = Path(tmp) / "debrief-backup.zip"
        write_backup(con, path)
        return path.read_bytes()


def describe(counts: dict[str, int]) -> str:
    """The rows of a backup or a restore in words: "2 interviews, 5 questions and 9 other rows"."""
    interviews = text.count(counts.get(schema.INTERVIEW, 0), "interview")
    questions = text.count(counts.get(schema.QUESTION, 0), "question")
    others = sum(n for t, n in counts.items() if t not in (schema.INTERVIEW, schema.QUESTION, _KEPT))
    return f"{interviews}, {questions} and {text.count(others, 'other row')}"


def data_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The tables of ``con``'s database that hold the user's data (not settings or categories), with their rows."""
    held = {}
    for table in _tables_in_backup_order(con):
        if table in schema.META_TABLES:
            continue
        (rows,) = con.execute(sql.render("SELECT count(*) FROM {table}", table=table)).fetchone()
        if rows:
            held[table] = rows
    return held


def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The checked manifest of ``archive``; raises ``BadBackup`` saying what is wrong with it."""
    if MANIFEST not in archive.namelist():
        raise BadBackup(f"This zip has no {MANIFEST}, so it is not a Debrief backup.")
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadBackup(f"The backup's {MANIFEST} cannot be read ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadBackup(f"This zip's {MANIFEST} does not describe a Debrief backup.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BadBackup(
            f"This backup uses backup format {version!r}; this Debrief reads format {FORMAT_VERSION}. "
            "Update Debrief to restore it."
        )
    schema_version = manifest.get("schema_version")
    if not isinstance(schema_version, int) or schema_version > migrations.latest_version():
        raise BadBackup(
            f"This backup was made by a newer Debrief (schema version {schema_version}; this one knows up to "
            f"{migrations.latest_version()}). Update Debrief to restore it; nothing was changed."
        )
    tables, files = manifest.get("tables"), manifest.get("files")
    if not isinstance(tables, dict) or not isinstance(files, dict) or set(tables) != set(files):
        raise BadBackup(f"The backup's {MANIFEST} does not list a file and a row count for every table.")
    missing = [f for f in files.values() if not (isinstance(f, str) and _SAFE_FILE.match(f))]
    missing += [f for f in files.values() if f not in missing and f not in archive.namelist()]
    if missing:
        raise BadBackup(f"The backup is incomplete: {', '.join(map(str, missing))} listed in its manifest is missing.")
    if not all(isinstance(n, int) and n >= 0 for n in tables.values()):
        raise BadBackup(f"The backup's {MANIFEST} has a row count that is not a number.")
    return manifest


def restore(con: duckdb.DuckDBPyConnection, source: str | os.PathLike | BinaryIO, *, replace: bool = False) -> Restored:
    """Restore the backup zip ``source`` (a path or an open binary file) into ``con``'s database.

    The database must hold no interviews, questions, follow-ups or practice
    (a new file is fine) unless ``replace``: then a backup of what is there is
    written beside the database first, and everything is replaced. The whole
    restore is one transaction, checked table by table against the manifest's
    row counts (and the questions for repeated ids) before it commits. Raises
    ``BadBackup`` or ``RestoreRefused`` (``store.StoreError``s) saying why
    nothing was restored.
    """
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError as exc:
        raise BadBackup(f"There is no file {source}.") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadBackup(f"This file is not a zip, so it is not a Debrief backup ({exc}).") from exc
    with archive, tempfile.TemporaryDirectory(prefix="debrief-restore-", dir=scratch.scratch_dir()) as tmp:
        manifest = read_manifest(archive)
        held = data_rows(con)
        if held and not replace:
            raise RestoreRefused(
                f"{store.database_file(con)} already holds {describe(held)}: restoring replaces all of it. "
                "Restore into a new file instead (--db NEW.duckdb), or confirm with --replace (a backup of what "
                "is replaced is written first)."
            )
        files = {}
        for table, name in manifest["files"].items():
            files[table] = Path(archive.extract(name, tmp))
        replaced = _backup_before_restoring(con) if held else None
        try:
            counts = _load(con, manifest, files)
        except duckdb.Error as exc:
            raise _explain_load(exc) from exc
    store.checkpoint(con)
    return Restored(counts, replaced)


def _backup_before_restoring(con: duckdb.DuckDBPyConnection) -> Path:
    """Write a backup zip of the data about to be replaced, beside the database; return its path."""
    database = store.database_file(con)
    folder = scratch.scratch_dir() if str(database) == ":memory:" else database.parent
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{database.stem}.backup-before-restore-{stamp}.zip"
    write_backup(con, target)
    return target


def _load(con: duckdb.DuckDBPyConnection, manifest: dict, files: dict[str, Path]) -> dict[str, int]:
    """Replace every table's rows by the backup's, in one transaction; return rows per table."""
    counts: dict[str, int] = {}
    # The change is recorded after the backup's own data_changes rows are in, and the
    # sequence only moves forward, so the version still grows past every earlier one.
    with sql.write_transaction(con):
        present = set(_tables_in_backup_order(con))
        # Tables the backup lacks (it predates them) are emptied too: the result is the backup's state.
        for table in present - {_KEPT}:
            con.execute(sql.render("DELETE FROM {table}", table=table))
        for table, path in files.items():
            if table == _KEPT:
                continue  # the database keeps its own record of its (newer or equal) schema
            if table in present:
                statement = "INSERT INTO {table} BY NAME SELECT * FROM read_parquet($path)"
            else:
                statement = "CREATE TABLE {table} AS SELECT * FROM read_parquet($path)"
            con.execute(sql.render(statement, table=table), {"path": str(path)})
            (counts[table],) = con.execute(sql.render("SELECT count(*) FROM {table}", table=table)).fetchone()
            if counts[table] != manifest["tables"][table]:
                raise BadBackup(
                    f"The backup's {table} has {counts[table]:,} rows where its manifest says "
                    f"{manifest['tables'][table]:,}: it is damaged. Nothing was restored."
                )
        _advance_sequences(con, manifest.get("sequences") or {})
        _advance_sequences(con, _question_ids(con))  # sequences only move forward: the further of the two wins
        # A backup made before categories were stored has none: give back what migrating gave then.
        migrations.fill_categories(con)
    return counts


def _question_ids(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The restored questions' highest id, as the sequence position new questions must start after.

    No index keeps question ids apart (migration 9): only the sequence does. So a backup whose
    questions repeat an id is refused, and the sequence moves past every restored id even when
    the manifest's record of it is missing or behind.
    """
    repeated, highest = con.execute(
        sql.render("SELECT count(*) - count(DISTINCT id), max(id) FROM {questions}", questions=schema.QUESTION)
    ).fetchone()
    if repeated:
        raise BadBackup(
            f"The backup's questions repeat {text.count(repeated, 'id')} that must be unique: it is damaged. "
            "Nothing was restored."
        )
    return {} if highest is None else {"question_id_seq": int(highest)}


def _advance_sequences(con: duckdb.DuckDBPyConnection, sequences: dict) -> None:
    """Move each sequence at least to where the backup's was, so new ids never repeat restored ones."""
    current = dict(
        con.execute("SELECT sequence_name, last_value FROM duckdb_sequences() WHERE NOT temporary").fetchall()
    )
    for name, last in sequences.items():
        if name not in current or not isinstance(last, int):
            continue
        behind = last - (current[name] or 0)
        if behind > 0:
            con.execute("SELECT max(nextval(?)) FROM range(?)", [name, behind])


def _explain_load(exc: duckdb.Error) -> store.StoreError:
    """A failure while loading: the disk (explained by the store) or a file that does not fit the tables."""
    explained = store.explain(exc)
    if type(explained) is not store.StoreError:
        return explained
    return BadBackup(f"The backup does not fit this database ({exc}). Nothing was restored.")
