"""Planning: what an import would do, worked out without writing anything.

The checked rows are classified against the stored interviews (new, adds to
a stored interview, already there) and counted; the problems get the file's
line numbers; the first valid rows are previewed as they will be stored.
The classification is kept for ``commit_import``, which reuses it when
nothing was written in between.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from analysis import sql, store
from analysis.importing import parsing, story_links
from analysis.importing.checking import DateGuess, check, problem_rows, reader_messages
from analysis.importing.lines import line_map
from analysis.importing.mapping import IDENTITY, ImportOptions, resolve_mapping
from analysis.importing.running import Progress, report, run
from analysis.importing.staging import Staged, ensure_staged
from analysis.importing.vocabulary import CHOICES, choice_lists
from analysis.schema import FIELD, FIELD_NAMES
from analysis.sql import SQL
from analysis.text import neutralise

if TYPE_CHECKING:
    import pandas as pd

EXACT_LINES_LIMIT = 16 * 1024 * 1024  # files up to this size always get file line numbers in the preview

_LOST_TAIL = (
    "A quote opened on this line is never closed, so this row and everything after it "
    "could not be read: close the quote and import again."
)


class RowReports:
    """The rejected rows and the warnings of a plan or a result, as tables for the page and the CLI."""

    error_records: list[dict]
    warning_records: list[dict]

    @property
    def errors(self) -> pd.DataFrame:
        """One row per problem: line (in the file), column (the file's header; None for the whole row), message."""
        return errors_dataframe(self.error_records)

    @property
    def warnings(self) -> pd.DataFrame:
        """One row per warning (the row is imported without the value): line, column, message."""
        return errors_dataframe(self.warning_records)


@dataclass(frozen=True)
class ImportPlan(RowReports):
    """What an import would do; nothing has been written.

    ``token`` names the plan's temporary tables (see ``tables``); ``db_version``
    is the data version the classification was made against.
    """

    staged: Staged
    mapping: dict[str, str]
    options: ImportOptions
    rows_read: int
    rows_valid: int
    rows_rejected: int
    rows_duplicate: int
    rows_new: int
    interviews_added: int
    questions_added: int
    appended_to_existing: int
    categories_added: list[str]
    error_records: list[dict]  # {line, column, message}, by line: rows that cannot be imported
    preview_columns: list[str]
    preview_rows: list[tuple]
    dates: DateGuess
    lines_exact: bool
    unmapped_columns: list[str]  # the file's headers that no field is mapped to
    token: str
    db_version: int = -1
    warning_records: list[dict] = field(default_factory=list)  # {line, column, message}: imported, a value left out
    rows_filled_down: int = 0  # rows whose interview columns were empty (merged cells), given the interview above

    @property
    def tables(self) -> sql.TempTables:
        """The temporary tables of this plan."""
        return sql.TempTables(token=self.token)

    @property
    def can_import(self) -> bool:
        """Whether committing would write anything."""
        return self.rows_new > 0 and not (self.options.strict and self.rows_rejected)

    @property
    def preview(self) -> pd.DataFrame:
        """The first valid rows as they will be stored, with the file line and a status."""
        import pandas as pd

        return pd.DataFrame(self.preview_rows, columns=self.preview_columns, dtype="object")


def plans_of(staged: Staged) -> sql.TempTables:
    """The temporary tables of every plan made from ``staged`` (plan tokens start with the staged token)."""
    return sql.TempTables(token=f"{staged.token}_plan")


def plan_import(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    mapping: dict[str, str] | None = None,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    preview_rows: int = 200,
) -> ImportPlan:
    """Parse and check every staged row and report what importing would do; writes nothing.

    ``mapping`` is field -> header (default: ``staged.guess``); unmapped fields
    are left empty. Raises ``UnusableFile`` when a required column is missing
    and ``MappingError`` for a mapping that names unknown fields or headers.
    """
    options = options or ImportOptions()
    options.scale_bounds()  # raises ValueError for a bad scale
    ensure_staged(con, staged)
    columns = resolve_mapping(staged.headers, staged.guess if mapping is None else mapping)
    plans_of(staged).drop(con)  # an earlier plan of this file: its tables are rebuilt on demand
    tables = sql.TempTables(token=f"{plans_of(staged).token}_{uuid.uuid4().hex[:12]}")
    checked = check(con, staged, columns, options, tables, progress)
    report(progress, 0.6, "Collecting problems")
    problems = problem_rows(con, staged, columns, checked, tables)
    records, reader_rejected, lines_exact = problem_records(con, staged, [p for p in problems if not p[3]])
    warning_records = problem_records(con, staged, [p for p in problems if p[3]], reader=False)[0]
    (rows_checked,) = run(con, sql.render("SELECT count(*) FROM {checked}", checked=checked.table)).fetchone()
    report(progress, 0.8, "Looking for rows already stored")
    db_version = store.data_version(con)
    classify(con, staged, columns, checked.table, tables)
    story_warnings = story_links.missing_story_warnings(con, staged, columns, tables.name("classified"))
    if story_warnings:
        warning_records += problem_records(con, staged, story_warnings, reader=False)[0]
        warning_records.sort(key=lambda r: r["line"])
    counts = _counts(con, tables.name("classified"))
    categories = _new_categories(con, checked.table)
    preview_columns, preview = _preview(con, staged, columns, checked.table, tables, preview_rows)
    # The classification carries all a commit needs; the checked table is rebuilt only if a commit must redo it.
    tables.drop(con, kinds=("checked",))
    report(progress, 1.0, "Report ready")
    mapped = {f: staged.headers[i] for f, i in columns.items()}
    return ImportPlan(
        staged=staged,
        mapping={f: mapped[f] for f in (*FIELD_NAMES, IDENTITY) if f in mapped},
        options=options,
        rows_read=int(rows_checked) + reader_rejected,
        rows_valid=counts["valid"],
        rows_rejected=len({row for row, _, _, warning in problems if not warning}) + reader_rejected,
        rows_duplicate=counts["duplicate"],
        rows_new=counts["valid"] - counts["duplicate"],
        interviews_added=counts["new_interviews"],
        questions_added=counts["new_questions"],
        appended_to_existing=counts["appended"],
        categories_added=categories,
        error_records=records,
        preview_columns=preview_columns,
        preview_rows=preview,
        dates=checked.dates,
        lines_exact=lines_exact,
        unmapped_columns=[h for i, h in enumerate(staged.headers) if i not in set(columns.values())],
        token=tables.token,
        db_version=db_version,
        warning_records=warning_records,
        rows_filled_down=counts["filled"],
    )


def problem_records(con, staged: Staged, problems: list[tuple], *, reader: bool = True) -> tuple[list[dict], int, bool]:
    """The problems as {line, column, message} by file line, the records the reader lost, and whether lines are exact.

    Without ``reader`` only ``problems`` are turned into records (the warnings).
    """
    lost = reader_messages(staged) if reader else []
    if not problems and not reader:
        return [], 0, True
    if not (problems or lost or staged.odd_quotes or staged.size <= EXACT_LINES_LIMIT):
        return [], len(lost), True
    numbers = line_map(con, staged)
    records = [
        {"line": int(numbers.row_lines[row]), "column": header, "message": msg} for row, header, msg, _ in problems
    ]
    records += [{"line": numbers.reject_lines.get(k, k), "column": None, "message": msg} for k, msg in lost]
    if reader and numbers.lost_tail is not None:
        records.append({"line": numbers.lost_tail, "column": None, "message": _LOST_TAIL})
    records.sort(key=lambda r: r["line"])
    return records, len(lost) + (reader and numbers.lost_tail is not None), numbers.exact


# --- classification against the stored rows ------------------------------------------------------


def classify(
    con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int], checked: SQL, tables: sql.TempTables
) -> None:
    """Create ``tables``' classified table: the valid rows, the stored interview each adds to, and whether stored.

    A file's interview (its rows sharing date, company, role and stage, and the
    export's identity column when there is one) matches a stored interview with
    the same date, company, role and stage, preferring the one whose id the
    identity names. A question row is already stored when that interview holds
    the same question (``schema.question_key``) as often as the file has had it
    so far; an interview-only row when the interview exists. Only
    rows of stored interviews need the question key and the occurrence
    numbering, so a first import computes neither. ``position`` numbers the new
    questions of each interview in file order.
    """
    stored_key = f"hash(i.interview_date, {parsing.company_role_hash('i.company', 'i.role')}, i.stage)"
    question = parsing.text_value(parsing.cell(columns["question"]), False) if "question" in columns else "NULL"
    statement = sql.render(
        _CLASSIFIED,
        classified=tables.name("classified"),
        checked=checked,
        values=_PARSED_VALUES,
        stage=staged.table,
        stored_key=SQL(stored_key),
        file_question=parsing.question_hash(question),
        stored_question=parsing.question_hash("q.question"),
    )
    run(con, statement)


# The checked table's parsed values that a commit stores: each parsed field's value, each vocabulary's code.
_PARSED_VALUES = sql.join(SQL(c) for c in (*parsing.PARSED_VALUE.values(), *(f"{kind}_code" for kind in CHOICES)))

_CLASSIFIED = """
CREATE OR REPLACE TEMP TABLE {classified} AS
WITH valid AS (
  SELECT ord, interview_key, match_key, identity, has_question, filled, interview_ord, {values}
  FROM {checked} WHERE problems = 0
),
stored AS (SELECT {stored_key} AS match_key, i.id FROM interviews i),
groups AS (
  SELECT DISTINCT interview_key, match_key, identity FROM valid WHERE match_key IN (SELECT match_key FROM stored)
),
-- A file's interview is the stored one with its identity (the export's id, when it is this database's
-- interview with the same date, company, role and stage), else the first stored one with those.
matched AS (
  SELECT g.interview_key, coalesce(min(s.id) FILTER (WHERE s.id = g.identity), min(s.id)) AS id
  FROM groups g JOIN stored s ON s.match_key = g.match_key GROUP BY g.interview_key
),
with_existing AS (
  SELECT valid.*, matched.id AS existing_id FROM valid LEFT JOIN matched ON matched.interview_key = valid.interview_key
),
file_keys AS (
  SELECT w.ord, w.existing_id, {file_question} AS question_key
  FROM with_existing w JOIN {stage} s ON s.rowid = w.ord
  WHERE w.existing_id IS NOT NULL AND w.has_question
),
file_questions AS (
  SELECT ord, existing_id, question_key,
         row_number() OVER (PARTITION BY existing_id, question_key ORDER BY ord) AS occurrence
  FROM file_keys
),
stored_questions AS (
  SELECT q.interview_id, {stored_question} AS question_key,
         row_number() OVER (PARTITION BY q.interview_id, {stored_question} ORDER BY q.position, q.id) AS occurrence
  FROM questions q WHERE q.interview_id IN (SELECT id FROM matched)
),
already AS (
  SELECT f.ord FROM file_questions f JOIN stored_questions s
    ON s.interview_id = f.existing_id AND s.question_key = f.question_key AND s.occurrence = f.occurrence
),
marked AS (
  SELECT with_existing.*,
         CASE WHEN existing_id IS NULL THEN false WHEN NOT has_question THEN true
              ELSE ord IN (SELECT ord FROM already) END AS duplicate
  FROM with_existing
)
SELECT *, CASE WHEN has_question AND NOT duplicate
               THEN row_number() OVER (PARTITION BY existing_id, CASE WHEN existing_id IS NULL THEN interview_key END,
                                       has_question AND NOT duplicate ORDER BY ord) END AS position
FROM marked
"""


def _counts(con, classified: SQL) -> dict:
    row = run(
        con,
        sql.render(
            """
SELECT count(*) AS valid,
       count(*) FILTER (WHERE duplicate) AS duplicate,
       count(DISTINCT interview_key) FILTER (WHERE existing_id IS NULL) AS new_interviews,
       count(*) FILTER (WHERE has_question AND NOT duplicate) AS new_questions,
       count(DISTINCT existing_id) FILTER (WHERE has_question AND NOT duplicate) AS appended,
       count(*) FILTER (WHERE filled) AS filled
FROM {classified}
""",
            classified=classified,
        ),
    ).fetchone()
    names = ("valid", "duplicate", "new_interviews", "new_questions", "appended", "filled")
    return dict(zip(names, (int(x or 0) for x in row), strict=True))


def _new_categories(con, checked: SQL) -> list[str]:
    rows = run(
        con,
        sql.render(
            "SELECT DISTINCT category_value FROM {checked} WHERE problems = 0 AND has_question "
            "AND category_value IS NOT NULL AND category_value NOT IN (SELECT name FROM categories) ORDER BY 1",
            checked=checked,
        ),
    ).fetchall()
    return [r[0] for r in rows]


# --- preview -------------------------------------------------------------------------------------

TEXT_FIELDS = tuple(f for f in FIELD_NAMES if FIELD[f].kind in parsing.TEXT_KINDS)


def _preview_value(field: str) -> SQL:
    """SQL: ``field`` as it will be stored, for the preview.

    An interview's text comes from the row it is taken from (the row above, for
    merged cells); a question's fields show only on rows with a question.
    """
    if FIELD[field].is_interview:
        return parsing.stored_value(field, "f", "interview")
    value = parsing.stored_value(field, "f", "t")
    return value if field == "question" else SQL(f"CASE WHEN f.has_question THEN {value} END")


def _preview(con, staged: Staged, columns: dict[str, int], checked: SQL, tables: sql.TempTables, limit: int):
    """(column names, rows) of the first ``limit`` valid rows as they will be stored."""
    head = tables.name("head")
    run(
        con,
        sql.render(
            "CREATE OR REPLACE TEMP TABLE {head} AS SELECT * FROM {classified} ORDER BY ord LIMIT $limit",
            head=head,
            classified=tables.name("classified"),
        ),
        {"limit": limit},
    )
    texts = parsing.texts_select(
        columns,
        TEXT_FIELDS,
        staged.table,
        where=sql.render("WHERE s.rowid IN (SELECT ord FROM {head} UNION SELECT interview_ord FROM {head})", head=head),
    )
    values = SQL(",\n  ".join(f"{_preview_value(f)} AS {sql.ident(f)}" for f in FIELD_NAMES))
    result = run(
        con,
        sql.render(
            """
WITH texts AS MATERIALIZED {texts}
SELECT c.ord AS _ord,
  CASE WHEN c.duplicate THEN 'already stored' WHEN c.existing_id IS NOT NULL THEN 'adds to a stored interview'
       ELSE 'new' END AS status,
  {values}
FROM {head} c JOIN {checked} f ON f.ord = c.ord JOIN texts t ON t.ord = c.ord
  JOIN texts interview ON interview.ord = c.interview_ord
ORDER BY c.ord
""",
            head=head,
            values=values,
            checked=checked,
            texts=texts,
        ),
        choice_lists(),
    )
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    tables.drop(con, kinds=("head",))
    if staged.lines is not None:
        row_lines = staged.lines.row_lines
        return ["line", *names[1:]], [(int(row_lines[r[0]]), *r[1:]) for r in rows]
    return names[1:], [r[1:] for r in rows]


# --- the problems as data ------------------------------------------------------------------------


def errors_dataframe(records: list[dict]) -> pd.DataFrame:
    """The problem records as a DataFrame: line (int), column, message."""
    import pandas as pd

    frame = pd.DataFrame(records, columns=["line", "column", "message"])
    return frame.astype({"line": "int64", "column": "object", "message": "object"})


def errors_as_records(errors) -> list[dict]:
    """The errors (a plan, a result, a DataFrame or records) as [{line, column, message}] (JSON-ready)."""
    if hasattr(errors, "error_records"):
        return [dict(e) for e in errors.error_records]
    if isinstance(errors, list):
        return [dict(e) for e in errors]
    return [
        {
            "line": int(line),
            "column": None if column is None or column != column else str(column),
            "message": str(message),
        }
        for line, column, message in errors[["line", "column", "message"]].itertuples(index=False)
    ]


def errors_csv(plan_or_errors) -> bytes:
    """The problems (of a plan, a result, a DataFrame or records) as a UTF-8 CSV: line, column, message."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["line", "column", "message"])
    for record in errors_as_records(plan_or_errors):
        writer.writerow([record["line"], neutralise(record["column"] or ""), neutralise(record["message"])])
    return buffer.getvalue().encode("utf-8")
