"""Export: the canonical CSV the importer reads back, and a full backup.

``export_csv``/``write_export`` write one row per question (an interview with
no questions gets one row with empty question fields), the interview's fields
repeated on each, under the headers of ``schema.FIELDS`` after a first
``interview`` column: the interview's id, so that rows of two interviews on
the same day at the same company, role and stage never merge on import. Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) get one leading ``'``; the importer removes exactly
that, so exporting and importing into an empty database gives the same data.

Each answer's ``stories`` cell names the stories it told, by title;
``write_story_bank``/``story_bank_csv`` write the story bank itself as a CSV
of its own (``schema.STORY_BANK_HEADERS``), which the importer also reads.

The full backup zip and its restore live in ``analysis.backup``;
``backup_zip``/``write_backup`` are also importable from here for callers that
knew them here.

The command ``python -m analysis export`` (analysis/commands/exporting.py)
calls these.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import duckdb

from analysis import schema, scratch, sql, store, text
from analysis.backup import backup_zip, write_backup
from analysis.sql import SQL

__all__ = [
    "backup_zip",
    "export_csv",
    "export_filename",
    "has_stories",
    "stories_path",
    "story_bank_csv",
    "write_backup",
    "write_export",
    "write_story_bank",
]

# How each canonical column is written, where it is not the stored text as it is.
# Every other field is text from ``interviews`` (alias i) or ``questions`` (alias q).
_FORMATTED = {
    "date": SQL("strftime(i.interview_date, '%Y-%m-%d')"),
    # "14:30" rather than "14:30:00"; seconds only when there are some.
    "time": SQL(
        "CASE WHEN i.interview_time IS NULL THEN NULL "
        "WHEN second(i.interview_time) = 0 AND microsecond(i.interview_time) = 0 "
        "THEN left(CAST(i.interview_time AS VARCHAR), 5) ELSE CAST(i.interview_time AS VARCHAR) END"
    ),
    "decided_on": SQL("strftime(i.decided_on, '%Y-%m-%d')"),
    "predicted_advance": SQL("CAST(i.predicted_advance AS VARCHAR)"),
    "rating": SQL("CAST(q.rating AS VARCHAR)"),
}
_TABLE_ALIAS = {schema.INTERVIEW: "i", schema.QUESTION: "q", schema.INTERVIEWER: "p", schema.QUESTION_STORIES: "st"}
# Fields that are lists of other rows, aggregated under the field's name by the query's CTEs.
_LISTS = ("people", "stories")

# ``text.parse_people`` reads the interviewers back: "Name (Title)" joined by "; ", with a backslash before
# any of ``text.PEOPLE_ESCAPED`` inside a name or title ("VP \\(Eng\\)"). ``text.parse_list`` reads the
# stories an answer told back the same way: their titles joined by "; ".
_EXPORT_QUERY = """
WITH p AS (
    SELECT interview_id,
           string_agg(CASE WHEN title IS NOT NULL AND trim(title) <> ''
                           THEN {name} || ' (' || {title} || ')' ELSE {name} END,
                      '; ' ORDER BY position) AS {people}
    FROM interviewers GROUP BY interview_id
),
st AS (
    SELECT l.question_id, string_agg({story_title}, '; ' ORDER BY lower(s.title), s.id) AS {stories}
    FROM question_stories l JOIN stories s ON s.id = l.story_id GROUP BY l.question_id
)
SELECT i.id AS {identity}, {columns}
FROM interviews i
LEFT JOIN p ON p.interview_id = i.id
LEFT JOIN questions q ON q.interview_id = i.id
LEFT JOIN st ON st.question_id = q.id
ORDER BY i.interview_date, i.interview_time NULLS FIRST, i.id, q.position, q.id
"""

# The story bank's CSV (``schema.STORY_BANK_HEADERS``): one row per story, its competencies as a list.
_STORY_BANK_QUERY = """
SELECT {title} AS title, {situation} AS situation, {task} AS task, {action} AS action, {result} AS result,
       {competencies} AS competencies
FROM stories s
LEFT JOIN (SELECT story_id, string_agg({competency}, '; ' ORDER BY competency) AS competencies
           FROM story_competencies GROUP BY story_id) c ON c.story_id = s.id
ORDER BY lower(s.title), s.id
"""


def _column(field: schema.Field) -> SQL:
    """The export's expression for ``field``, named by its canonical header."""
    if field.name in _FORMATTED:
        expr = _FORMATTED[field.name]
    else:
        # Interviewers and stories are aggregated under the field's name; other text is a stored column.
        column = field.name if field.kind in _LISTS else field.column
        reference = sql.render("{alias}.{column}", alias=SQL(_TABLE_ALIAS[field.table]), column=column)
        expr = text.neutralise_sql(reference)
    return sql.render("{expr} AS {name}", expr=expr, name=field.name)


def _export_query() -> SQL:
    """The SELECT behind the canonical CSV: one column per ``schema.FIELDS`` entry, in order."""
    return sql.render(
        _EXPORT_QUERY,
        people=schema.FIELD["interviewers"].name,
        stories=schema.FIELD["stories"].name,
        identity=schema.INTERVIEW_IDENTITY,
        name=text.escape_list_item_sql("name"),
        title=text.escape_list_item_sql("title"),
        story_title=text.escape_list_item_sql("s.title"),
        columns=sql.join((_column(f) for f in schema.FIELDS), ",\n       "),
    )


def _story_bank_query() -> SQL:
    """The SELECT behind the story bank's CSV, formula-looking cells neutralised."""
    return sql.render(
        _STORY_BANK_QUERY,
        **{
            name: text.neutralise_sql(sql.render("s.{column}", column=name))
            for name in schema.STORY_BANK_HEADERS
            if name != "competencies"
        },
        competencies=text.neutralise_sql("c.competencies"),
        competency=text.escape_list_item_sql("competency"),
    )


def write_export(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, *, bom: bool = False) -> int:
    """Write every interview and question to ``path`` as the canonical UTF-8 CSV; return the row count.

    With ``bom`` the file starts with a UTF-8 byte-order mark, which makes
    Excel on Windows read accents correctly; the importer accepts both.
    """
    _write_csv(con, _export_query(), path, bom)
    (rows,) = con.execute("SELECT count(*) FROM interviews i LEFT JOIN questions q ON q.interview_id = i.id").fetchone()
    return rows


def write_story_bank(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, *, bom: bool = False) -> int:
    """Write every story to ``path`` as the story bank's UTF-8 CSV; return the number of stories.

    The columns are ``schema.STORY_BANK_HEADERS``: the title, the four STAR
    parts and the competencies ("leadership; technical", escaped like the
    interviewers cell). The importer knows the file by its headers.
    """
    _write_csv(con, _story_bank_query(), path, bom)
    (stories,) = con.execute("SELECT count(*) FROM stories").fetchone()
    return stories


def story_bank_csv(con: duckdb.DuckDBPyConnection, *, bom: bool = False) -> bytes:
    """The story bank's CSV, as bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-export-", dir=scratch.scratch_dir()) as tmp:
        path = Path(tmp) / "stories.csv"
        write_story_bank(con, path, bom=bom)
        return path.read_bytes()


def has_stories(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the story bank holds any story (the export then writes its file too)."""
    return con.execute("SELECT count(*) FROM stories").fetchone()[0] > 0


def stories_path(path: str | os.PathLike) -> Path:
    """Where the story bank goes beside the canonical CSV ``path``: ``debrief.csv`` -> ``debrief-stories.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-stories{path.suffix or '.csv'}")


def _write_csv(con: duckdb.DuckDBPyConnection, query: SQL, path: str | os.PathLike, bom: bool) -> None:
    """COPY ``query`` to ``path`` as a UTF-8 CSV with a header (and a byte-order mark with ``bom``)."""
    path = Path(path)
    target = path if not bom else path.with_name(path.name + ".part")
    copy = sql.render("COPY ({query}) TO $path (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"')", query=query)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con.execute(copy, {"path": str(target)})
        if bom:
            with open(path, "wb") as out, open(target, "rb") as src:
                out.write(b"\xef\xbb\xbf")
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            target.unlink()
    except (OSError, duckdb.Error) as exc:
        # A full disk or a read-only folder is said as such, not as a DuckDB message.
        raise store.explain(exc, path) from exc


def export_csv(con: duckdb.DuckDBPyConnection, *, bom: bool = False) -> bytes:
    """The canonical CSV of all data, as bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-export-", dir=scratch.scratch_dir()) as tmp:
        path = Path(tmp) / "debrief.csv"
        write_export(con, path, bom=bom)
        return path.read_bytes()


def export_filename(prefix: str = "debrief", suffix: str = ".csv") -> str:
    """A dated file name for downloads: ``debrief-2026-11-20.csv``."""
    return f"{prefix}-{dt.date.today().isoformat()}{suffix}"
