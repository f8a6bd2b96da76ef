"""Answers linked to the stories they told: the canonical CSV's ``stories`` cell, read on import.

The cell names stories by title ("Kafka migration; Hiring \\(2023\\)", escaped
like the interviewers cell, read by ``text.parse_list``). A title matches a
stored story whatever its case. A title the story bank does not hold yet is
added as a story with just that title, and the plan says so as a warning: the
link is kept, and importing the story-bank file (before or after) fills the
story in. Only the answers an import adds are linked; an answer already
stored keeps the links it has.
"""

from __future__ import annotations

import duckdb

from analysis import sql, text
from analysis.importing import parsing
from analysis.importing.running import run
from analysis.importing.staging import Staged
from analysis.sql import SQL

FIELD = "stories"

# The titles named by each new answer, in file order, bound as lists: (row id, title).
_WANTED = "SELECT unnest($rows::BIGINT[]) AS row_id, unnest($titles::VARCHAR[]) AS title"


def _named(con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int], rows: SQL) -> dict[str, list]:
    """(row id, title) lists for every title named in the stories cell of the new answers ``rows`` selects.

    ``rows`` is a SELECT of (row id, staged row) pairs; each distinct cell is parsed once.
    """
    value = parsing.text_value(parsing.cell(columns[FIELD]), False)
    found = run(
        con,
        sql.render(
            "SELECT r.row_id, {value} FROM ({rows}) r JOIN {stage} s ON s.rowid = r.ord WHERE {value} IS NOT NULL "
            "ORDER BY r.ord",
            value=value,
            rows=rows,
            stage=staged.table,
        ),
    ).fetchall()
    parsed: dict[str, list[str]] = {}
    named: dict[str, list] = {"rows": [], "titles": []}
    for row_id, cell in found:
        if cell not in parsed:
            parsed[cell] = list(dict.fromkeys(text.parse_list(cell)))
        for title in parsed[cell]:
            named["rows"].append(row_id)
            named["titles"].append(title)
    return named


def missing_story_warnings(
    con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int], classified: SQL
) -> list[tuple[int, str | None, str, bool]]:
    """A warning on the first new answer naming each title the story bank does not hold (row, header, message, True)."""
    if FIELD not in columns:
        return []
    rows = sql.render(
        "SELECT ord AS row_id, ord FROM {classified} WHERE has_question AND NOT duplicate", classified=classified
    )
    named = _named(con, staged, columns, rows)
    if not named["titles"]:
        return []
    missing = run(
        con,
        sql.render(
            "SELECT min(row_id), arg_min(title, row_id) FROM ({wanted}) "
            "WHERE lower(title) NOT IN (SELECT lower(title) FROM stories) GROUP BY lower(title) ORDER BY 1",
            wanted=SQL(_WANTED),
        ),
        named,
    ).fetchall()
    header = staged.headers[columns[FIELD]]
    return [
        (
            row,
            header,
            f"“{title}” is not in your story bank: it is added with just its title "
            "(import the story-bank file to fill it in).",
            True,
        )
        for row, title in missing
    ]


def link_stories(con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int], numbered: SQL) -> list[str]:
    """Link each new answer (``numbered``: its question id and staged row) to the stories its cell names.

    Runs inside the import's transaction. Returns the titles of the stories it
    had to add because the bank did not hold them.
    """
    if FIELD not in columns:
        return []
    named = _named(con, staged, columns, sql.render("SELECT id AS row_id, ord FROM {numbered}", numbered=numbered))
    if not named["titles"]:
        return []
    wanted = SQL(_WANTED)
    added = run(
        con,
        sql.render(
            "INSERT INTO stories (title) SELECT arg_min(title, row_id) FROM ({wanted}) "
            "WHERE lower(title) NOT IN (SELECT lower(title) FROM stories) GROUP BY lower(title) "
            "ORDER BY min(row_id) RETURNING title",
            wanted=wanted,
        ),
        named,
    ).fetchall()
    # Two stored stories with one title (titles are not unique in the bank): the older one is meant.
    run(
        con,
        sql.render(
            "INSERT INTO question_stories (question_id, story_id) SELECT DISTINCT w.row_id, s.id FROM ({wanted}) w "
            "JOIN (SELECT lower(title) AS title_key, min(id) AS id FROM stories GROUP BY lower(title)) s "
            "ON s.title_key = lower(w.title)",
            wanted=wanted,
        ),
        named,
    )
    return [title for (title,) in added]
