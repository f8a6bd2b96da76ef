"""Export: the canonical CSV the importer reads back, and a full backup.

``export_csv``/``write_export`` write one row per question (an interview with
no questions gets one row with empty question fields), the interview's fields
repeated on each, under the snake_case headers in ``FIELDS``. Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) get one leading ``'``; the importer removes exactly
that, so exporting and importing into an empty database gives the same data.

``backup_zip``/``write_backup`` make a zip of one Parquet file per table (plus
``schema_migrations`` and a ``manifest.json``), read in one transaction so the
tables agree with each other.

Run as ``python -m analysis export OUT.csv [--db PATH]`` or
``python -m analysis export --backup OUT.zip``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

import duckdb

from analysis import store

# The canonical export columns, in order. The importer maps each of these back.
INTERVIEW_FIELDS = (
    "date",
    "time",
    "company",
    "role",
    "stage",
    "format",
    "interviewers",
    "recruiter",
    "outcome",
    "decided_on",
    "role_notes",
    "company_notes",
    "people_notes",
    "culture_notes",
    "questions_to_ask",
)
QUESTION_FIELDS = ("question", "category", "rating", "reaction", "clarify", "better_answer", "notes")
FIELDS = INTERVIEW_FIELDS + QUESTION_FIELDS

# Tables a backup always holds, first and in restore order; it also takes every other table.
BACKUP_TABLES = ("schema_migrations", "settings", "categories", "interviews", "interviewers", "questions")

# A cell a spreadsheet could run: it starts with one of these, possibly after
# quotes we added earlier (so that a stored "'=x" survives the round trip too).
FORMULA_PATTERN = "^'*[=+\\-@\\t\\r]"

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _neutral(expr: str) -> str:
    """SQL: ``expr`` with one ``'`` put in front when a spreadsheet would run it as a formula."""
    pattern = FORMULA_PATTERN.replace("'", "''")
    return f"CASE WHEN regexp_matches({expr}, '{pattern}') THEN '''' || {expr} ELSE {expr} END"


def _export_query() -> str:
    """The SELECT behind the canonical CSV; column expressions come from fixed lists only."""
    text = {
        "company": "i.company",
        "role": "i.role",
        "stage": "i.stage",
        "format": "i.format",
        "interviewers": "p.interviewers",
        "recruiter": "i.recruiter",
        "outcome": "i.outcome",
        "role_notes": "i.role_notes",
        "company_notes": "i.company_notes",
        "people_notes": "i.people_notes",
        "culture_notes": "i.culture_notes",
        "questions_to_ask": "i.questions_to_ask",
        "question": "q.question",
        "category": "q.category",
        "reaction": "q.reaction",
        "clarify": "q.clarify",
        "better_answer": "q.better_answer",
        "notes": "q.notes",
    }
    other = {
        "date": "strftime(i.interview_date, '%Y-%m-%d')",
        "time": (
            "CASE WHEN i.interview_time IS NULL THEN NULL "
            "WHEN second(i.interview_time) = 0 AND microsecond(i.interview_time) = 0 "
            "THEN left(CAST(i.interview_time AS VARCHAR), 5) ELSE CAST(i.interview_time AS VARCHAR) END"
        ),
        "decided_on": "strftime(i.decided_on, '%Y-%m-%d')",
        "rating": "CAST(q.rating AS VARCHAR)",
    }
    columns = []
    for name in FIELDS:
        assert _IDENTIFIER.match(name)
        expr = _neutral(text[name]) if name in text else other[name]
        columns.append(f"{expr} AS {name}")
    select = ",\n       ".join(columns)
    return (
        "WITH p AS (\n"  # noqa: S608 - the column expressions below come from the fixed FIELDS list
        # "Name (Title)"; a name that itself ends in ")" gets an empty "()" so it reads back whole.
        "    SELECT interview_id, string_agg(CASE WHEN title IS NOT NULL AND trim(title) <> '' "
        "THEN name || ' (' || title || ')' WHEN ends_with(trim(name), ')') THEN name || ' ()' ELSE name END, "
        "'; ' ORDER BY position) AS interviewers\n"
        "    FROM interviewers GROUP BY interview_id\n"
        ")\n"
        f"SELECT {select}\n"
        "FROM interviews i\n"
        "LEFT JOIN p ON p.interview_id = i.id\n"
        "LEFT JOIN questions q ON q.interview_id = i.id\n"
        "ORDER BY i.interview_date, i.interview_time NULLS FIRST, i.id, q.position, q.id"
    )


def write_export(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, *, bom: bool = False) -> int:
    """Write every interview and question to ``path`` as the canonical UTF-8 CSV; return the row count.

    With ``bom`` the file starts with a UTF-8 byte-order mark, which makes
    Excel on Windows read accents correctly; the importer accepts both.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    query = _export_query()
    target = path if not bom else path.with_name(path.name + ".part")
    copy = "COPY (" + query + ") TO $path (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"')"  # fixed SQL text
    con.execute(copy, {"path": str(target)})
    if bom:
        with open(path, "wb") as out, open(target, "rb") as src:
            out.write(b"\xef\xbb\xbf")
            while chunk := src.read(1 << 20):
                out.write(chunk)
        target.unlink()
    (rows,) = con.execute("SELECT count(*) FROM interviews i LEFT JOIN questions q ON q.interview_id = i.id").fetchone()
    return rows


def export_csv(con: duckdb.DuckDBPyConnection, *, bom: bool = False) -> bytes:
    """The canonical CSV of all data, as bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-export-", dir=store.scratch_dir()) as tmp:
        path = Path(tmp) / "debrief.csv"
        write_export(con, path, bom=bom)
        return path.read_bytes()


def quote_identifier(name: str) -> str:
    """``name`` as a DuckDB identifier: in double quotes, inner double quotes doubled."""
    return '"' + str(name).replace('"', '""') + '"'


def write_backup(con: duckdb.DuckDBPyConnection, path: str | os.PathLike) -> dict[str, int]:
    """Write a zip of one Parquet file per table plus ``manifest.json`` to ``path``; return rows per table.

    Every table of the database is included (the ones above first, then any a
    later migration added), read inside one transaction, so the backup is a
    consistent snapshot even while the app keeps writing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="debrief-backup-", dir=store.scratch_dir()) as tmp:
        files = []
        con.execute("BEGIN TRANSACTION")
        try:
            present = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                    "AND database_name = current_database() AND schema_name = 'main' ORDER BY table_name"
                ).fetchall()
            ]
            ordered = [t for t in BACKUP_TABLES if t in present] + [t for t in present if t not in BACKUP_TABLES]
            for n, table in enumerate(ordered):
                # Names come from the database's own catalog, quoted; never from user input.
                target = Path(tmp) / (f"{table}.parquet" if _IDENTIFIER.match(table) else f"table-{n}.parquet")
                name = quote_identifier(table)
                con.execute("COPY " + name + " TO $path (FORMAT parquet)", {"path": str(target)})
                (counts[table],) = con.execute("SELECT count(*) FROM " + name).fetchone()  # noqa: S608
                files.append(target)
            sequences = dict(
                con.execute("SELECT sequence_name, last_value FROM duckdb_sequences() WHERE NOT temporary").fetchall()
            )
            version = con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        finally:
            con.execute("COMMIT")
        manifest = {
            "format": "debrief-backup",
            "format_version": 1,
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
            "duckdb_version": duckdb.__version__,
            "schema_version": version,
            "tables": counts,
            "files": {t: f.name for t, f in zip(ordered, files, strict=True)},
            "sequences": sequences,
        }
        part = path.with_name(path.name + ".part")
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, indent=2))
            for f in files:
                zf.write(f, arcname=f.name)
        part.replace(path)
    return counts


def backup_zip(con: duckdb.DuckDBPyConnection) -> bytes:
    """The backup zip (see ``write_backup``) as bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-backup-out-", dir=store.scratch_dir()) as tmp:
        path = Path(tmp) / "debrief-backup.zip"
        write_backup(con, path)
        return path.read_bytes()


def export_filename(prefix: str = "debrief", suffix: str = ".csv") -> str:
    """A dated file name for downloads: ``debrief-2026-11-20.csv``."""
    return f"{prefix}-{dt.date.today().isoformat()}{suffix}"


# --- command line ---------------------------------------------------------------------------


def add_arguments(parser) -> None:
    parser.add_argument("out", metavar="OUT", help="file to write: the canonical CSV, or with --backup a zip")
    parser.add_argument(
        "--backup",
        action="store_true",
        help="write a full backup instead: a zip of one Parquet file per table plus a manifest",
    )
    parser.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 byte-order mark (for Excel)")


def run(args) -> int:
    con = store.connect(args.db).cursor()
    try:
        if args.backup:
            counts = write_backup(con, args.out)
            summary = ", ".join(f"{n} {t}" for t, n in counts.items() if t != "schema_migrations")
            print(f"Backed up to {args.out}: {summary}.")
        else:
            rows = write_export(con, args.out, bom=args.bom)
            print(f"Exported {rows} row{'s' if rows != 1 else ''} to {args.out}.")
    except (OSError, duckdb.Error) as exc:
        print(f"debrief: could not write {args.out}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    return 0
