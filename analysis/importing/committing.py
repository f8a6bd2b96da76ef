"""Committing: the plan's new rows written in one transaction, then a checkpoint.

``commit_import`` reads as its steps: new interviews (each from its first row
in the file, gaps filled from its later rows), their interviewers, new
categories, the questions and the stories they told, and the stored interviews that got questions
marked changed. Every column list comes from ``analysis.schema``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from analysis import sql, store, text
from analysis.importing import parsing, story_links
from analysis.importing.checking import check
from analysis.importing.errors import ImportRejected
from analysis.importing.mapping import resolve_mapping
from analysis.importing.planning import ImportPlan, RowReports, classify
from analysis.importing.running import Progress, report, run
from analysis.importing.staging import Staged, ensure_staged
from analysis.importing.vocabulary import DEFAULTS, choice_lists
from analysis.schema import FIELD, INTERVIEW, INTERVIEW_FIELD_NAMES, QUESTION_STORED_FIELD_NAMES
from analysis.sql import SQL
from analysis.text import count

# Fields that key an interview (with the role, compared loosely): every row of an interview has the same.
_KEY_FIELDS = ("date", "company", "stage")


@dataclass(frozen=True)
class ImportResult(RowReports):
    """What an import wrote."""

    rows_read: int
    rows_imported: int
    rows_rejected: int
    rows_duplicate: int
    interviews_added: int
    questions_added: int
    categories_added: list[str]
    interview_ids: list[int]
    error_records: list[dict]
    warning_records: list[dict] = field(default_factory=list)
    rows_filled_down: int = 0
    stories_added: list[str] = field(default_factory=list)  # titles answers named that the story bank lacked

    def to_dict(self) -> dict:
        """The result as JSON-ready data."""
        return {
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "interviews_added": self.interviews_added,
            "questions_added": self.questions_added,
            "categories_added": list(self.categories_added),
            "rows_filled_down": self.rows_filled_down,
            "stories_added": list(self.stories_added),
            "errors": [dict(e) for e in self.error_records],
            "warnings": [dict(e) for e in self.warning_records],
        }


def commit_import(
    con: duckdb.DuckDBPyConnection, plan: ImportPlan, *, progress: Progress | None = None
) -> ImportResult:
    """Write the plan's valid rows in one transaction (all or nothing), then checkpoint.

    Rows already stored are skipped again at this moment (the check is redone
    unless nothing was written since the plan), so importing twice or committing
    a stale plan never doubles anything. With ``options.strict`` and rejected
    rows, raises ``ImportRejected`` and writes nothing.
    """
    if plan.options.strict and plan.rows_rejected:
        raise ImportRejected(
            f"{count(plan.rows_rejected, 'row')} rejected and strict mode is on: nothing was imported."
        )
    staged = plan.staged
    ensure_staged(con, staged)
    columns = resolve_mapping(staged.headers, plan.mapping)
    tables = plan.tables
    # The plan's classification still holds when nothing was written since; else it is redone in the transaction.
    reuse = tables.exists("classified", con) and store.data_version(con) == plan.db_version
    checked = None if reuse else check(con, staged, columns, plan.options, tables)
    report(progress, 0.05, "Starting the import")
    try:
        with sql.write_transaction(con):
            if checked is not None:
                classify(con, staged, columns, checked.table, tables)
            report(progress, 0.2, "Adding interviews")
            _new_interviews(con, staged, columns, tables)
            _fill_gaps(con, staged, columns, tables)
            _insert_interviews(con, tables)
            if "interviewers" in columns:
                _insert_interviewers(con, tables)
            report(progress, 0.5, "Adding questions")
            categories = _add_categories(con, tables)
            _insert_questions(con, staged, columns, tables)
            stories_added = story_links.link_stories(con, staged, columns, tables.name("numbered_questions"))
            _mark_appended_interviews(con, tables)
            valid, duplicate, questions_added, interview_ids = _tally(con, tables)
            report(progress, 0.85, "Saving")
    except duckdb.Error as exc:
        raise store.explain(exc, con) from exc  # a full disk is said as such, and nothing was written
    finally:
        tables.drop(con)  # consumed: a second commit rebuilds the plan and adds nothing
    store.checkpoint(con)
    report(progress, 1.0, "Imported")
    return ImportResult(
        rows_read=plan.rows_read,
        rows_imported=valid - duplicate,
        rows_rejected=plan.rows_rejected,
        rows_duplicate=duplicate,
        interviews_added=len(interview_ids),
        questions_added=questions_added,
        categories_added=sorted(categories),
        interview_ids=interview_ids,
        error_records=[dict(e) for e in plan.error_records],
        warning_records=[dict(e) for e in plan.warning_records],
        rows_filled_down=plan.rows_filled_down,
        stories_added=stories_added,
    )


def _fillable(columns: dict[str, int]) -> list[str]:
    """The interview's fields the file has that its rows may disagree on (not the fields that key it)."""
    return [f for f in INTERVIEW_FIELD_NAMES if f in columns and f not in _KEY_FIELDS]


def _interview_texts(columns: dict[str, int], staged: Staged, rows: SQL) -> SQL:
    """``texts_select`` of the interview's text fields, for the staged rows whose ``rowid`` is in ``rows``."""
    fields = [f for f in INTERVIEW_FIELD_NAMES if FIELD[f].kind in parsing.TEXT_KINDS]
    return parsing.texts_select(columns, fields, staged.table, where=SQL(f"WHERE s.rowid IN ({rows})"))


def _new_interviews(con, staged: Staged, columns: dict[str, int], tables: sql.TempTables) -> None:
    """Create the ``new`` table: one row per new interview, with its id and fields taken from its first row."""
    run(
        con,
        sql.render(
            # Ids are drawn here, over the interviews already in file order: a sequence called in a
            # join's projection follows the join's output, which is in no particular order.
            "CREATE OR REPLACE TEMP TABLE {firsts} AS SELECT nextval('interview_id_seq') AS id, * FROM "
            "(SELECT interview_key, min(ord) AS first_ord, count(*) AS n "
            "FROM {classified} WHERE existing_id IS NULL GROUP BY interview_key ORDER BY first_ord)",
            firsts=tables.name("firsts"),
            classified=tables.name("classified"),
        ),
    )
    texts = _interview_texts(
        columns, staged, sql.render("SELECT first_ord FROM {firsts}", firsts=tables.name("firsts"))
    )
    values = SQL(
        ", ".join(
            f"{parsing.stored_value(f, 'c', 't', defaults=False)} AS {sql.ident(f)}" for f in INTERVIEW_FIELD_NAMES
        )
    )
    statement = sql.render(
        """
CREATE OR REPLACE TEMP TABLE {new} AS
SELECT g.id, g.interview_key, g.first_ord, g.n, {values}
FROM {firsts} g JOIN {classified} c ON c.ord = g.first_ord JOIN {texts} t ON t.ord = g.first_ord
ORDER BY g.first_ord
""",
        new=tables.name("new"),
        values=values,
        firsts=tables.name("firsts"),
        classified=tables.name("classified"),
        texts=texts,
    )
    run(con, statement, choice_lists())


def _lacking(con, staged: Staged, columns: dict[str, int], new: SQL) -> list[str]:
    """The fields some new interview lacks, in a column with a cell that could fill them.

    Two narrow scans that spare the common file (every row repeats its interview's
    fields, or a column is empty throughout) the join of every row in ``_fill_gaps``.
    """
    fillable = _somewhere(con, _fillable(columns), lambda f: f"{sql.ident(f)} IS NULL", new)
    return _somewhere(
        con,
        fillable,
        lambda f: f"NOT {parsing.is_blank(parsing.cell(columns[f]))}",
        sql.render("{stage} s WHERE s.rowid > $header", stage=staged.table),
        {"header": staged.header_index},
    )


def _somewhere(con, fields: list[str], test, rows: SQL, params: dict | None = None) -> list[str]:
    """Those of ``fields`` whose SQL ``test(field)`` holds on at least one of ``rows``."""
    if not fields:
        return []
    tests = SQL(", ".join(f"bool_or({test(f)})" for f in fields))
    found = run(con, sql.render("SELECT {tests} FROM {rows}", tests=tests, rows=rows), params).fetchone()
    return [f for f, holds in zip(fields, found, strict=True) if holds]


def _fill_gaps(con, staged: Staged, columns: dict[str, int], tables: sql.TempTables) -> None:
    """Fill any field a new interview's first row leaves empty from the first later row that has it.

    Rare: the rows that could fill a gap are found with cheap tests on the raw
    cells first, so the common file with repeated interview fields skips the rest.
    """
    new, gap = tables.name("new"), tables.name("gap")
    fillable = _lacking(con, staged, columns, new)
    if not fillable:
        return
    candidates = " OR ".join(
        f"(n.{sql.ident(f)} IS NULL AND NOT {parsing.is_blank(parsing.cell(columns[f]))})" for f in fillable
    )
    run(
        con,
        sql.render(
            "CREATE OR REPLACE TEMP TABLE {gap} AS SELECT c.ord, c.interview_key FROM {classified} c "
            "JOIN {new} n ON n.interview_key = c.interview_key JOIN {stage} s ON s.rowid = c.ord "
            "WHERE n.n > 1 AND c.ord <> n.first_ord AND ({candidates})",
            gap=gap,
            classified=tables.name("classified"),
            new=new,
            stage=staged.table,
            candidates=SQL(candidates),
        ),
    )
    (gaps,) = run(con, sql.render("SELECT count(*) FROM {gap}", gap=gap)).fetchone()
    if not gaps:
        return
    firsts_found = []
    for f in fillable:
        value = parsing.stored_value(f, "c", "t", defaults=False)
        firsts_found.append(f"arg_min({value}, c.ord) FILTER (WHERE {value} IS NOT NULL) AS {sql.ident(f)}")
    texts = _interview_texts(columns, staged, sql.render("SELECT ord FROM {gap}", gap=gap))
    run(
        con,
        sql.render(
            "CREATE OR REPLACE TEMP TABLE {fill} AS SELECT c.interview_key, {firsts_found} "
            "FROM {gap} g JOIN {classified} c ON c.ord = g.ord JOIN {texts} t ON t.ord = g.ord GROUP BY c.interview_key",
            fill=tables.name("fill"),
            firsts_found=SQL(", ".join(firsts_found)),
            gap=gap,
            classified=tables.name("classified"),
            texts=texts,
        ),
        choice_lists(),
    )
    sets = ", ".join(f"{sql.ident(f)} = coalesce({new}.{sql.ident(f)}, x.{sql.ident(f)})" for f in fillable)
    run(
        con,
        sql.render(
            "UPDATE {new} SET {sets} FROM {fill} x WHERE {new}.interview_key = x.interview_key",
            new=new,
            sets=SQL(sets),
            fill=tables.name("fill"),
        ),
    )


def _with_default(field: str) -> SQL:
    """SQL: the ``new`` table's column for ``field``, or its default where the file left it empty."""
    kind = FIELD[field].kind
    if kind in DEFAULTS:
        return SQL(f"coalesce({sql.ident(field)}, {sql.literal(DEFAULTS[kind])})")
    return sql.ident(field)


def _insert_interviews(con, tables: sql.TempTables) -> None:
    """Insert the new interviews, every column of ``interviews`` the user edits."""
    fields = [f for f in INTERVIEW_FIELD_NAMES if FIELD[f].table == INTERVIEW]
    run(
        con,
        sql.render(
            "INSERT INTO interviews (id, {columns}) SELECT id, {values} FROM {new}",
            columns=sql.idents(FIELD[f].column for f in fields),
            values=sql.join(_with_default(f) for f in fields),
            new=tables.name("new"),
        ),
    )


def _insert_interviewers(con, tables: sql.TempTables) -> None:
    """Parse each distinct interviewers cell once (``text.parse_people``), then insert for every new interview."""
    people, new = tables.name("people"), tables.name("new")
    cells = run(
        con, sql.render("SELECT DISTINCT interviewers FROM {new} WHERE interviewers IS NOT NULL", new=new)
    ).fetchall()
    parsed = {"raw": [], "position": [], "name": [], "title": []}
    for (cell,) in cells:
        for position, (name, title) in enumerate(text.parse_people(cell), start=1):
            for column, value in zip(parsed, (cell, position, name, title), strict=True):
                parsed[column].append(value)
    # Lists bound as parameters and unnested: one statement, however many people.
    run(
        con,
        sql.render(
            "CREATE OR REPLACE TEMP TABLE {people} AS SELECT unnest($raw::VARCHAR[]) AS raw, "
            "unnest($position::INTEGER[]) AS position, unnest($name::VARCHAR[]) AS name, "
            "unnest($title::VARCHAR[]) AS title",
            people=people,
        ),
        parsed,
    )
    run(
        con,
        sql.render(
            "INSERT INTO interviewers (interview_id, position, name, title) "
            "SELECT n.id, p.position, p.name, p.title FROM {new} n JOIN {people} p ON p.raw = n.interviewers",
            new=new,
            people=people,
        ),
    )


def _add_categories(con, tables: sql.TempTables) -> list[str]:
    """Add the question categories the new questions bring; return their names."""
    rows = run(
        con,
        sql.render(
            "INSERT INTO categories (name) SELECT DISTINCT category_value FROM {classified} "
            "WHERE has_question AND NOT duplicate AND category_value IS NOT NULL "
            "AND category_value NOT IN (SELECT name FROM categories) RETURNING name",
            classified=tables.name("classified"),
        ),
    ).fetchall()
    return [r[0] for r in rows]


def _insert_questions(con, staged: Staged, columns: dict[str, int], tables: sql.TempTables) -> None:
    """Insert the new questions after the stored ones of their interview, in file order."""
    parsed = [f for f in QUESTION_STORED_FIELD_NAMES if FIELD[f].kind not in parsing.TEXT_KINDS]
    texts = [f for f in QUESTION_STORED_FIELD_NAMES if FIELD[f].kind in parsing.TEXT_KINDS]
    numbered, classified = tables.name("numbered_questions"), tables.name("classified")
    # Ids are taken from the sequence first, in a narrow table: an INSERT that calls nextval()
    # itself runs on one thread, one with the ids given runs in parallel.
    statement = sql.render(
        """
CREATE OR REPLACE TEMP TABLE {numbered} AS
SELECT c.ord, nextval('question_id_seq') AS id, coalesce(c.existing_id, n.id) AS interview_id,
       (coalesce(last.position, 0) + c.position)::INTEGER AS position, {values}
FROM {classified} c
LEFT JOIN {new} n ON n.interview_key = c.interview_key
LEFT JOIN (SELECT interview_id, max(position) AS position FROM questions
           WHERE interview_id IN (SELECT existing_id FROM {classified}) GROUP BY interview_id) last
       ON last.interview_id = c.existing_id
WHERE c.has_question AND NOT c.duplicate
""",
        numbered=numbered,
        values=SQL(", ".join(f"{parsing.stored_value(f, 'c', '')} AS {sql.ident(f)}" for f in parsed)),
        classified=classified,
        new=tables.name("new"),
    )
    run(con, statement, choice_lists())
    values = [SQL(f"t.text_{f}") if f in texts else SQL(f"q.{sql.ident(f)}") for f in QUESTION_STORED_FIELD_NAMES]
    run(
        con,
        sql.render(
            "INSERT INTO questions (id, interview_id, position, {columns}) "
            "SELECT q.id, q.interview_id, q.position, {values} FROM {numbered} q JOIN {texts} t ON t.ord = q.ord",
            columns=sql.idents(FIELD[f].column for f in QUESTION_STORED_FIELD_NAMES),
            values=sql.join(values),
            numbered=numbered,
            texts=parsing.texts_select(columns, texts, staged.table),
        ),
    )


def _mark_appended_interviews(con, tables: sql.TempTables) -> None:
    """Mark stored interviews that got questions as changed, so an editor open on one reloads it."""
    run(
        con,
        sql.render(
            "UPDATE interviews SET revision = revision + 1, updated_at = current_localtimestamp() WHERE id IN "
            "(SELECT DISTINCT existing_id FROM {classified} "
            "WHERE existing_id IS NOT NULL AND has_question AND NOT duplicate)",
            classified=tables.name("classified"),
        ),
    )


def _tally(con, tables: sql.TempTables) -> tuple[int, int, int, list[int]]:
    """Valid rows, rows already stored, questions added, and the new interviews' ids."""
    row = run(
        con,
        sql.render(
            "SELECT count(*), count(*) FILTER (WHERE duplicate), "
            "count(*) FILTER (WHERE has_question AND NOT duplicate) FROM {classified}",
            classified=tables.name("classified"),
        ),
    ).fetchone()
    ids = [r[0] for r in run(con, sql.render("SELECT id FROM {new} ORDER BY id", new=tables.name("new"))).fetchall()]
    valid, duplicate, questions_added = (int(v or 0) for v in row)
    return valid, duplicate, questions_added, ids
