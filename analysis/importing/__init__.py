"""Import past interview notes from a CSV/TSV/TXT file (or .csv.gz), or a workbook's sheet.

The engine behind the Import page and ``python -m analysis import``, one
module per stage, each handing the next a small typed value:

0. ``workbooks``: what the file is; a workbook's sheet (python-calamine) or a
   gzip file's content is written as a CSV file first (``.xlsx``, ``.xls``, ``.ods``, ``.gz``).
1. ``decoding``: the file's bytes as UTF-8 text (UTF-8 with or without a
   byte-order mark, UTF-16/32, else cp1252, else latin-1) -> ``DecodedText``.
2. ``staging``: DuckDB's CSV sniffer finds the dialect, the header row is
   found (title lines above it skipped) and every row is read, as text, into
   a staging TEMP table -> ``Staged`` (``read_notes``). ``lines`` works out
   the physical line numbers for messages.
3. ``mapping``: the file's headers mapped onto Debrief's fields
   (``guess_mapping``; the caller may override any of it) -> field -> column.
4. ``parsing`` and ``checking``: every value parsed in SQL by kind, every row
   given a bit mask of its problems and the problems put in words -> ``Checked``.
5. ``planning``: the rows classified against the stored ones, counted and
   previewed without writing anything -> ``ImportPlan`` (``plan_import``).
6. ``committing``: the valid new rows written in one transaction, then a
   checkpoint -> ``ImportResult`` (``commit_import``); ``story_links`` links
   the new answers to the stories their ``stories`` cell names. ``discard``
   drops the staging tables and files.

A story bank (the export's ``-stories.csv``) is staged the same way and read
by ``story_bank`` (``is_story_bank``, ``import_story_bank``).

The work is set-based in DuckDB: values that repeat are parsed once per
distinct value, every row is checked in one statement, and duplicates are
found with joins on hashed keys (date, company, role, stage; the question's
``schema.question_key``). Values always travel as bound parameters; header
text from the file never reaches SQL.
"""

from __future__ import annotations

import duckdb

from analysis.importing.checking import DateGuess
from analysis.importing.committing import ImportResult, commit_import
from analysis.importing.errors import ImportRejected, MappingError, NoHeaderFound, UnusableFile
from analysis.importing.mapping import (
    ImportOptions,
    guess_mapping,
    parse_scale,
    scale_from_header,
    with_overrides,
)
from analysis.importing.planning import ImportPlan, errors_as_records, errors_csv, plan_import
from analysis.importing.running import Progress
from analysis.importing.staging import Dialect, Staged, discard, ensure_staged, read_notes
from analysis.importing.story_bank import (
    StoryImportResult,
    import_story_bank,
    import_story_bank_file,
    is_story_bank,
)
from analysis.importing.vocabulary import HEADER_SYNONYMS
from analysis.importing.workbooks import WORKBOOK_KINDS, workbook_sheets
from analysis.schema import FIELD_LABELS, FIELD_NAMES, REQUIRED

__all__ = [
    "FIELD_LABELS",
    "FIELD_NAMES",
    "HEADER_SYNONYMS",
    "REQUIRED",
    "DateGuess",
    "Dialect",
    "ImportOptions",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "MappingError",
    "NoHeaderFound",
    "Progress",
    "Staged",
    "StoryImportResult",
    "UnusableFile",
    "WORKBOOK_KINDS",
    "commit_import",
    "discard",
    "ensure_staged",
    "errors_as_records",
    "errors_csv",
    "guess_mapping",
    "import_file",
    "import_story_bank",
    "import_story_bank_file",
    "is_story_bank",
    "parse_scale",
    "plan_import",
    "read_notes",
    "scale_from_header",
    "with_overrides",
    "workbook_sheets",
]


def import_file(
    con: duckdb.DuckDBPyConnection,
    data,
    filename: str | None = None,
    mapping: dict[str, str] | None = None,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
) -> tuple[ImportPlan, ImportResult | None]:
    """Read, plan and (unless ``dry_run`` or strict with rejected rows) commit in one call."""
    staged = read_notes(con, data, filename)
    try:
        plan = plan_import(con, staged, mapping, options)
        if dry_run or (plan.options.strict and plan.rows_rejected):
            return plan, None
        return plan, commit_import(con, plan)
    finally:
        discard(con, staged)
