"""The story bank's own CSV, read back: one story per row, every row accounted for.

The export writes the bank beside the canonical CSV (``export.write_story_bank``,
headers ``schema.STORY_BANK_HEADERS``). A file is a story bank when its header
has a title and at least two of situation, task, action and result
(``is_story_bank``); it is read by the same staging stage as a notes file
(encoding, dialect, header row, long lines), then:

- a row without a title, with a title over ``stories.TITLE_LIMIT``
  characters, or with more or fewer fields than the header is rejected with
  its line number and why;
- a title already in the bank (whatever its case), or earlier in the file, is
  already there and skipped, except that a story stored with its title alone
  (added when a notes file named it before its bank was imported) is filled
  in from the row;
- every other row is a new story with its competencies.

All of it is written in one transaction, or nothing with ``strict`` and a rejected row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from analysis import sql, store, text
from analysis.importing import parsing
from analysis.importing.errors import UnusableFile
from analysis.importing.headers import STORY_PARTS, bank_columns, is_story_bank
from analysis.importing.planning import problem_records
from analysis.importing.running import run
from analysis.importing.staging import Staged, discard, ensure_staged, read_notes
from analysis.schema import STORY_BANK_HEADERS
from analysis.sql import SQL

if TYPE_CHECKING:
    from analysis import stories

# ``analysis.stories`` (the app's story rules) is imported where a story bank is read, not with the
# package: it brings pandas, which a plain notes import never needs (see staging).


@dataclass(frozen=True)
class StoryImportResult:
    """What a story-bank import wrote (or, with ``written`` false, would write)."""

    filename: str
    rows_read: int
    rows_imported: int  # new stories and stories filled in
    rows_rejected: int
    rows_duplicate: int  # titles already in the bank, or earlier in the file
    stories_added: list[str]
    stories_filled: list[str]
    error_records: list[dict]
    warning_records: list[dict] = field(default_factory=list)
    written: bool = False

    def to_dict(self) -> dict:
        """The result as JSON-ready data."""
        return {
            "file": self.filename,
            "kind": "story bank",
            "written": self.written,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "stories_added": list(self.stories_added),
            "stories_filled": list(self.stories_filled),
            "errors": [dict(e) for e in self.error_records],
            "warnings": [dict(e) for e in self.warning_records],
        }


def import_story_bank(
    con: duckdb.DuckDBPyConnection, staged: Staged, *, dry_run: bool = False, strict: bool = False
) -> StoryImportResult:
    """Import the stories of a staged story-bank file in one transaction; with ``dry_run`` only report.

    With ``strict`` and a rejected row nothing is written. The staged file is
    left for the caller to ``discard``.
    """
    ensure_staged(con, staged)  # a rerun of the page may come on another cursor
    columns = bank_columns(staged.headers)
    rows = _rows(con, staged, columns)
    # Titles compare in DuckDB's lower case, as the notes file's links do (story_links); of two stored
    # stories with one title the older is meant (newest first, so the older one is kept).
    keys = con.execute("SELECT list_transform(?::VARCHAR[], lambda t: lower(t))", [[s.title for _, s, _ in rows if s]])
    file_keys = iter(keys.fetchone()[0])
    stored = {
        key: (story_id, bool(bare))
        for story_id, key, bare in con.execute(
            "SELECT s.id, lower(s.title), coalesce(s.situation, s.task, s.action, s.result) IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM story_competencies c WHERE c.story_id = s.id) FROM stories s ORDER BY s.id DESC"
        ).fetchall()
    }
    problems, new, fills, duplicates = [], [], [], 0
    first_row: dict[str, int] = {}
    for row, story, problem in rows:
        if problem is not None:
            problems.append(
                (row, None if problem[0] is None else staged.headers[columns[problem[0]]], problem[1], False)
            )
            continue
        key = next(file_keys)
        if key in first_row:
            duplicates += 1
            problems.append((row, staged.headers[columns["title"]], _REPEATED, True))
        elif key in stored and stored[key][1] and _has_content(story):
            fills.append((stored[key][0], story))
        elif key in stored:
            duplicates += 1
        else:
            new.append(story)
        first_row.setdefault(key, row)
    errors, reader_rejected, _ = problem_records(con, staged, [p for p in problems if not p[3]])
    warnings = problem_records(con, staged, [p for p in problems if p[3]], reader=False)[0]
    rejected = sum(1 for p in problems if not p[3]) + reader_rejected
    written = not dry_run and not (strict and rejected) and bool(new or fills)
    if written:
        _write(con, new, fills)
    imported = len(new) + len(fills) if not (strict and rejected) else 0
    return StoryImportResult(
        filename=staged.filename,
        rows_read=len(rows) + reader_rejected,
        rows_imported=imported,
        rows_rejected=rejected,
        rows_duplicate=duplicates,
        stories_added=[s.title for s in new] if imported else [],
        stories_filled=[s.title for _, s in fills] if imported else [],
        error_records=errors,
        warning_records=warnings,
        written=written,
    )


def import_story_bank_file(
    con: duckdb.DuckDBPyConnection, data, filename: str | None = None, *, dry_run: bool = False
) -> StoryImportResult:
    """Read a story-bank file (bytes or a path) and import it in one call.

    Raises ``UnusableFile`` when the file cannot be read or is not a story bank.
    """
    staged = read_notes(con, data, filename)
    try:
        if not is_story_bank(staged.headers):
            raise UnusableFile(
                "This is not a story bank: its header needs a title and at least two of situation, task, "
                f"action and result. Headers found: {', '.join(staged.headers)}.",
                headers=staged.headers,
            )
        return import_story_bank(con, staged, dry_run=dry_run)
    finally:
        discard(con, staged)


_REPEATED = "This title is also on an earlier row of the file: this row is skipped."


def _has_content(story: stories.Story) -> bool:
    return any(getattr(story, part) for part in STORY_PARTS) or bool(story.competencies)


_Problem = tuple[str | None, str]  # (the bank column it is about, or None for the whole row; message)


def _rows(
    con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int]
) -> list[tuple[int, stories.Story | None, _Problem | None]]:
    """Each non-blank data row: its staged row, the story it holds (cleaned as the app saves one) or its problem."""
    from analysis import stories  # here, not at the top: see above

    names = [n for n in STORY_BANK_HEADERS if n in columns]
    values = [parsing.text_value(parsing.cell(columns[n]), False) for n in names]
    everything = range(staged.column_count)
    blank = " AND ".join(str(parsing.is_blank(parsing.cell(i))) for i in everything)
    short = " OR ".join(f"{parsing.cell(columns[n])} IS NULL" for n in names)
    long = " OR ".join(f"coalesce({parsing.cell(i)}, '') <> ''" for i in range(staged.width, staged.column_count))
    found = run(
        con,
        sql.render(
            "SELECT s.rowid, {short}, {long}, {values} FROM {stage} s WHERE s.rowid > $header AND NOT ({blank}) "
            "ORDER BY s.rowid",
            short=SQL(short),
            long=SQL(long or "false"),
            values=sql.join(values),
            stage=staged.table,
            blank=SQL(blank),
        ),
        {"header": staged.header_index},
    ).fetchall()
    out = []
    for row, is_short, is_long, *cells in found:
        cell = dict(zip(names, cells, strict=True))
        if is_short or is_long:
            out.append(
                (
                    row,
                    None,
                    (
                        None,
                        f"This row has {'fewer' if is_short else 'more'} fields than the header: "
                        "a delimiter or quote may be missing or out of place.",
                    ),
                )
            )
            continue
        story = stories.cleaned(
            stories.Story(
                title=cell.get("title") or "",
                competencies=text.parse_list(cell.get("competencies")),
                **{part: cell.get(part) for part in STORY_PARTS},
            )
        )
        problem = next((p.message for p in stories.validate(story)), None)
        if not story.title:
            problem = "The title is empty: every story needs a title."
        out.append((row, story if problem is None else None, None if problem is None else ("title", problem)))
    return out


def _write(con: duckdb.DuckDBPyConnection, new: list[stories.Story], fills: list[tuple[int, stories.Story]]) -> None:
    """Insert the new stories and fill in the bare ones, with their competencies, in one transaction."""
    try:
        with sql.write_transaction(con):
            for story in new:
                (story_id,) = con.execute(
                    "INSERT INTO stories (title, situation, task, action, result) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    [story.title, *(getattr(story, p) for p in STORY_PARTS)],
                ).fetchone()
                _add_competencies(con, story_id, story.competencies)
            for story_id, story in fills:
                con.execute(
                    "UPDATE stories SET situation = ?, task = ?, action = ?, result = ?, revision = revision + 1, "
                    "updated_at = current_localtimestamp() WHERE id = ?",
                    [*(getattr(story, p) for p in STORY_PARTS), story_id],
                )
                _add_competencies(con, story_id, story.competencies)
    except duckdb.Error as exc:
        raise store.explain(exc, con) from exc  # a full disk is said as such, and nothing was written
    store.checkpoint(con)


def _add_competencies(con: duckdb.DuckDBPyConnection, story_id: int, competencies: list[str]) -> None:
    if competencies:
        con.execute(
            "INSERT INTO story_competencies (story_id, competency) SELECT ?, unnest(?::VARCHAR[])",
            [story_id, competencies],
        )
