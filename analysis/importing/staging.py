"""Staging: a notes file read, as text, into a staging table, with its dialect and header row found.

DuckDB's CSV sniffer proposes the dialect; the header is the row among the
first few that maps best onto Debrief's fields (title lines above it are
skipped); every row is then read into a TEMP table whose columns are named
``c0``, ``c1``, ... by this module, so header text from the file never reaches SQL.
TEMP tables belong to one connection (one Streamlit cursor): ``ensure_staged``
stages the file again on another one.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from analysis import scratch, sql, store
from analysis.importing import decoding, workbooks
from analysis.importing.decoding import DecodedText
from analysis.importing.errors import NoHeaderFound, UnusableFile
from analysis.importing.headers import cells_of, find_header, header_score, quick_guess, unique_headers
from analysis.importing.lines import (
    LineMap,
    filled_lines,
    line_map,
    longest_line_in_head,
    longest_record,
    record_lines,
)
from analysis.importing.running import Progress, report, run
from analysis.schema import REQUIRED
from analysis.sql import SQL
from analysis.text import count as count_of
from analysis.text import listing

if TYPE_CHECKING:
    import pandas as pd

# pandas and numpy are imported only where a DataFrame or line numbers are asked for: the command line
# and a clean import never need them, and pandas alone costs ~110 MB of memory to import.

NULL_TEXT = "\x01\x02debrief-null\x02\x01"  # never in a real file: empty fields stay '' and padding stays NULL
MAX_LINE = 2 * 1024 * 1024  # DuckDB's default max_line_size; its read buffer is 16x this, so keep the default
LINE_CAP = 64 * 1024 * 1024  # a record longer than this is rejected by number rather than read
_MB = 1024 * 1024
_SAMPLE_ROWS = 60
# DuckDB sets aside memory for every column of a chunk it reads, used or not: 10,000 columns need
# more than store.MEMORY_LIMIT before a single row is read. Real trackers have tens of columns.
MAX_COLUMNS = 4_000


@dataclass(frozen=True)
class Dialect:
    """How the file separates and quotes its values."""

    delimiter: str
    quote: str
    escape: str
    newline: str  # as DuckDB spells it: "\\n", "\\r\\n" or "\\r"


SHEET_DIALECT = Dialect(",", '"', '"', "\\n")  # how workbooks.write_sheet writes a sheet


@dataclass(frozen=True)
class ReaderReject:
    """A record DuckDB's reader could not read: its record number in the file, DuckDB's error kind, the column."""

    record: int
    kind: str
    column: int
    line: int | None = None  # the physical line, when the staging stage knows it (DuckDB gives records)
    message: str | None = None  # the words for the report, when the staging stage has them


@dataclass
class Staged:
    """A file read into a staging table, ready to be mapped and planned.

    ``headers`` are the header cells made unique ("Notes", "Notes (2)"; an empty
    cell becomes "(column 5)"); mappings refer to these. ``sample_rows`` are the
    first rows as read, under those headers, for a mapping screen.
    ``header_index`` is the header's row in the staging table (rows after it are
    data); ``width`` is the number of header cells and ``column_count`` the
    staged columns, one more so that a row with too many values shows.
    ``reader_rejects`` are the records DuckDB could not read, ``odd_quotes``
    whether a quote is left open (None: not counted yet), and ``lines`` the
    physical line numbers once worked out (see ``lines.line_map``).
    ``max_line`` is the longest record DuckDB is allowed to read (raised for a
    file with a long note); ``unclosed_quote_line`` the line of a quote never
    closed (every line after it is among ``reader_rejects``). A workbook's
    sheet is named in ``sheet`` (of ``sheets``) and ``row_numbers`` holds each
    staged record's sheet row.
    """

    filename: str
    encoding: str
    dialect: Dialect
    headers: list[str]
    header_line: int
    rows: int
    sample_rows: list[list]
    duplicate_headers: list[str]
    guess: dict[str, str]
    token: str
    path: Path
    size: int
    header_index: int = 0
    width: int = 0
    column_count: int = 0
    reader_rejects: list[ReaderReject] = field(default_factory=list)
    odd_quotes: bool | None = False
    lines: LineMap | None = None
    folder: Path | None = None
    max_line: int = MAX_LINE
    unclosed_quote_line: int | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    row_numbers: list[int] | None = None

    def __post_init__(self) -> None:
        self._finalizer = None

    def own(self, folder: Path) -> None:
        """Take charge of the temporary folder: it goes when this object does, even without discard()."""
        self.folder = folder
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(folder), True)

    @property
    def tables(self) -> sql.TempTables:
        """The temporary tables of this staged file (and of every plan made from it)."""
        return sql.TempTables(token=self.token)

    @property
    def table(self) -> SQL:
        """The staging table's quoted name."""
        return self.tables.name("stage")

    @property
    def sample(self) -> pd.DataFrame:
        """The first rows as read (text, None for a missing field), under ``headers``."""
        import pandas as pd

        return pd.DataFrame(self.sample_rows, columns=self.headers, dtype="object")

    @property
    def delimiter_name(self) -> str:
        """The delimiter in words: "comma", "semicolon", "tab", "pipe"."""
        return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(
            self.dialect.delimiter, repr(self.dialect.delimiter)
        )

    def close(self) -> None:
        """Remove the temporary copy of the file, if one was made."""
        if self._finalizer is not None:
            self._finalizer()
        self.folder = None


# --- reading -------------------------------------------------------------------------------------


def read_notes(
    con: duckdb.DuckDBPyConnection,
    data: bytes | bytearray | memoryview | str | os.PathLike,
    filename: str | None = None,
    *,
    progress: Progress | None = None,
    overrides: dict[str, str] | None = None,
    sheet: str | None = None,
) -> Staged:
    """Read a notes file (bytes of an upload, or a path) into a staging TEMP table on ``con``.

    Detects the encoding, the dialect (DuckDB's sniffer), and the header row,
    skipping blank or title lines above it. ``overrides`` (field -> header, as
    the user mapped them) let a row holding those headers be the header even
    when no synonym matches. A workbook (``.xlsx``, ``.xls``, ``.ods``) is read
    from its first sheet or from ``sheet``; a ``.gz`` file is decompressed.
    Raises ``UnusableFile`` naming what is wrong (empty, not text, a PDF, no
    header that maps, header without rows). Call ``discard`` (or
    ``staged.close()``) when done with it.
    """
    token = uuid.uuid4().hex[:16]
    folders: list[Path] = []

    def workdir() -> Path:
        if not folders:
            # Inside the scratch folder: the app's sandboxed connections may read only there.
            folders.append(Path(tempfile.mkdtemp(prefix="debrief-import-", dir=scratch.scratch_dir())))
        return folders[0]

    try:
        report(progress, 0.0, "Reading the file")
        raw, name = workbooks.source_file(data, filename, workdir)
        raw, book = workbooks.unpacked(raw, name, sheet, workdir)
        source = _Source(name, token, workdir, progress, overrides, book)
        try:
            # A sheet is UTF-8 with balanced quotes: written so by workbooks.write_sheet.
            text = DecodedText(raw, "utf-8", raw.stat().st_size, 0) if book else decoding.decode(raw, workdir)
        except OSError as exc:
            raise UnusableFile(f"Cannot read {raw}: {exc.strerror or exc}.") from None
        try:
            staged = _stage_any(con, text, source)
        except UnusableFile:
            if text.verified or decoding.check_utf8(raw)[0]:
                raise
            staged = None
        if staged is None or (not text.verified and any(r.kind == "INVALID ENCODING" for r in staged.reader_rejects)):
            # A big file that starts as UTF-8 but is not: read it again as cp1252/latin-1.
            if staged is not None:
                discard(con, staged)  # drops its tables; the folder is not its own yet
            text = decoding.decode(raw, workdir, not_utf8=True)
            staged = _stage_any(con, text, source)
        if folders:
            staged.own(folders[0])
        report(progress, 1.0, "File read")
        return staged
    except BaseException:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        raise


@dataclass(frozen=True)
class _Source:
    """What every staging attempt of one file shares: its name, token, scratch folder and the user's choices."""

    name: str
    token: str
    workdir: Callable[[], Path]
    progress: Progress | None
    overrides: dict[str, str] | None
    book: workbooks.Sheet | None


def _stage_any(con, text: DecodedText, source: _Source) -> Staged:
    """``_stage_text``, and once more with line ends made uniform when mixed ones defeat DuckDB's reader.

    DuckDB 2.0 cannot read a file that mixes CRLF and LF line ends ("state machine reached an invalid
    state"). The fallback writes LF everywhere, which also turns a CRLF inside a quoted value into LF.
    """
    try:
        return _stage_text(con, text, source)
    except UnusableFile:
        if sum(1 for n in decoding.newline_counts(text.path) if n) < 2:
            raise
        fixed = source.workdir() / "newlines.csv"
        decoding.normalise_newlines(text.path, fixed)
        return _stage_text(con, replace(text, path=fixed), source)


def _stage_text(con, text: DecodedText, source: _Source) -> Staged:
    """Sniff, find the header and stage the UTF-8 text of a file."""
    report(source.progress, 0.3, "Detecting the layout")
    dialect, rows, header_index, cells, max_line = _layout(
        con, text, source.overrides, source.workdir, source.book and (SHEET_DIALECT, source.book.width)
    )
    headers, duplicates = unique_headers(cells)
    odd_quotes = None if text.double_quotes is None else dialect.quote == '"' and text.double_quotes % 2 == 1
    book = source.book
    staged = Staged(
        filename=source.name,
        encoding=f"{book.kind} workbook" if book else text.encoding,
        dialect=dialect,
        headers=headers,
        header_line=header_index + 1,
        rows=0,
        sample_rows=[list(r[: len(cells)]) for r in rows[header_index + 1 : header_index + 21]],
        duplicate_headers=duplicates,
        guess=quick_guess(headers),
        token=source.token,
        path=text.path,
        size=text.size,
        header_index=header_index,
        width=len(cells),
        column_count=max(len(cells), _widest(rows)) + 1,
        odd_quotes=odd_quotes,
        max_line=max_line,
        sheet=book.name if book else None,
        sheets=book.names if book else [],
        row_numbers=book.row_numbers if book else None,
    )
    report(source.progress, 0.4, "Loading rows")
    try:
        stage_table(con, staged)
    except UnusableFile:
        if dialect.quote == '"':
            raise
        # The sniffer's unusual quote did not hold up over the whole file: fall back to standard CSV quoting.
        staged.dialect = replace(dialect, quote='"', escape='"')
        staged.odd_quotes = None if text.double_quotes is None else text.double_quotes % 2 == 1
        stage_table(con, staged)
    (count,) = run(con, sql.render("SELECT count(*) FROM {stage}", stage=staged.table)).fetchone()
    staged.rows = max(0, count - header_index - 1)
    if staged.rows == 0 and not staged.reader_rejects or _only_blank_rows(con, staged):
        raise UnusableFile(f"The file has a header row ({listing(headers)}) but no rows below it.", headers=headers)
    if staged.header_line > 1 or staged.odd_quotes or book:
        row_lines = line_map(con, staged).row_lines
        if len(row_lines) > header_index:
            staged.header_line = int(row_lines[header_index])
    return staged


def _only_blank_rows(con, staged: Staged) -> bool:
    """Whether the few rows below the header are all empty (Excel's ",,,," lines): the file then has no rows."""
    if staged.reader_rejects or not 0 < staged.rows <= 1000 or staged.column_count > 256:
        return False
    filled = SQL(" OR ".join(f"trim(coalesce(c{i}, '')) <> ''" for i in range(staged.column_count)))
    (rows,) = run(
        con,
        sql.render(
            "SELECT count(*) FROM {stage} WHERE rowid > $header AND ({filled})", stage=staged.table, filled=filled
        ),
        {"header": staged.header_index},
    ).fetchone()
    return rows == 0


def _layout(con, text: DecodedText, overrides, workdir, known=None) -> tuple[Dialect, list[tuple], int, list[str], int]:
    """The dialect, first rows, header index and cells (see ``_pick_dialect``), and the record size to allow.

    A file whose lines are all within DuckDB's default record size is read
    with it; otherwise the limit is raised to what the longest record needs,
    up to ``LINE_CAP`` (DuckDB's read buffer grows with it).
    """
    try:
        if text.size > MAX_LINE and (head := longest_line_in_head(text.path)) + 1024 > MAX_LINE:
            raise LongLine(head)
        first = _pick_dialect(con, text.path, overrides, MAX_LINE, known)
    except LongLine as exc:
        longest = exc.size  # the sniffer met a line too long for DuckDB's default and said how long
    else:
        if text.size <= MAX_LINE or header_score(first[3], overrides)[0] == len(REQUIRED):
            return (*first, MAX_LINE)
        # A poor header in a big file: a long line may have misled the sniffer's hinted attempts.
        plain = Dialect(",", "", "", "\\r" if decoding.newline_counts(text.path)[2] else "\\n")
        longest = longest_record(text.path, plain)
        if longest + 1024 <= MAX_LINE:
            return (*first, MAX_LINE)
    for _ in range(4):  # each longer line the sniffer meets raises the limit again
        max_line = _line_limit(longest)
        # Lines past the cap are cut out of a copy for the sniffer; read_csv rejects them by number later.
        sample = text.path if longest + 1024 <= max_line else _without_long_lines(text.path, max_line, workdir)
        try:
            return (*_pick_dialect(con, sample, overrides, max_line, known), max_line)
        except LongLine as exc:
            longest = max(exc.size, longest + 1)
    raise UnusableFile("DuckDB could not read this file as CSV/TSV: its lines are too long.")


def _without_long_lines(path: Path, limit: int, workdir) -> Path:
    """A copy of the first lines of ``path`` (a sample for the sniffer), leaving out lines of ``limit`` bytes or more."""
    sample = workdir() / "sniff.csv"
    kept = 0
    with open(path, "rb") as fin, open(sample, "wb") as fout:
        while kept < 20_000 and (line := fin.readline(limit)):
            if len(line) >= limit and not line.endswith(b"\n"):
                while (rest := fin.readline(limit)) and not rest.endswith(b"\n"):
                    pass
                continue
            fout.write(line)
            kept += 1
    return sample


def _line_limit(longest: int) -> int:
    """The record size to allow for a record of ``longest`` bytes: a power of two, within MAX_LINE..LINE_CAP."""
    limit = MAX_LINE
    while limit < longest + 1024 and limit < LINE_CAP:
        limit *= 2
    return limit


def _widest(rows: list[tuple]) -> int:
    """The most fields any of ``rows`` has (padding left out): trailing empty fields count, so they fit."""
    return max((next((i + 1 for i in range(len(r) - 1, -1, -1) if r[i] is not None), 0) for r in rows), default=0)


def discard(con: duckdb.DuckDBPyConnection | None, staged: Staged) -> None:
    """Drop ``staged``'s tables (and those of its plans) on ``con`` and remove its temporary files."""
    if con is not None:
        staged.tables.drop(con)
    staged.close()


def ensure_staged(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """Make sure ``staged``'s staging table exists on ``con`` (TEMP tables belong to one connection/cursor)."""
    if not staged.tables.exists("stage", con):
        if not staged.path.exists():
            raise UnusableFile("The uploaded file is no longer available: upload it again.")
        stage_table(con, staged)


# --- dialect and header --------------------------------------------------------------------------


_TOO_LONG = re.compile(r"Maximum line size of \d+ bytes exceeded\. Actual Size:\s*(\d+)")


class LongLine(Exception):
    """The sniffer met a line longer than the record size allowed; ``size`` is its length in bytes."""

    def __init__(self, size: int):
        super().__init__(f"a line of {size} bytes")
        self.size = size


def _sniff(con, path: Path, max_line: int = MAX_LINE, **options) -> tuple[Dialect, int] | None:
    """DuckDB's sniffer's dialect and column count for the file, with ``options`` as hints; None if it gives up."""
    sizes, size_params = _size_options(max_line)
    hints = SQL("".join(f", {sql.ident(name)} = ${name}" for name in options) + sizes)
    options = {**options, **size_params}
    try:
        row = run(
            con,
            sql.render(
                "SELECT Delimiter, Quote, Escape, NewLineDelimiter, len(Columns) FROM sniff_csv($path{hints})",
                hints=hints,
            ),
            {"path": str(path), **options},
        ).fetchone()
    except duckdb.OutOfMemoryException as exc:
        # Not "no header": the sniffer never looked. Most likely, far too many columns to read.
        fields = _first_line_fields(path)
        raise (_too_wide(fields, about=True) if fields > MAX_COLUMNS else store.explain(exc)) from None
    except duckdb.Error as exc:
        too_long = _TOO_LONG.search(str(exc))
        if too_long:
            raise LongLine(int(too_long[1])) from None
        return None
    delimiter, quote, escape, newline, columns = row
    empty = "(empty)"
    return (
        Dialect(delimiter, "" if quote == empty else quote, "" if escape == empty else escape, newline),
        int(columns or 1),
    )


def read_options(dialect: Dialect) -> dict:
    """Parameters for ``read_csv``'s dialect options ($delim, $quote, $escape, $new_line, $nullstr)."""
    return {
        "delim": dialect.delimiter,
        "quote": dialect.quote,
        "escape": dialect.escape,
        "new_line": dialect.newline,
        "nullstr": NULL_TEXT,
    }


def _too_wide(columns: int, about: bool = False) -> UnusableFile:
    return UnusableFile(
        f"This file has {'about ' if about else ''}{columns:,} columns; Debrief reads files of up to "
        f"{MAX_COLUMNS:,}. Save a copy with only the columns you keep notes in (in a spreadsheet, delete "
        "the empty columns after the last one you use) and import that."
    )


def _first_line_fields(path: Path) -> int:
    """Fields on the file's first line split by its most frequent separator, quotes ignored: an upper bound."""
    with path.open("rb") as file:
        line = file.readline(MAX_LINE)
    return 1 + max(line.count(separator) for separator in (b",", b";", b"\t", b"|"))


def _size_options(max_line: int) -> tuple[SQL, dict]:
    """``read_csv`` options allowing ``max_line``-byte records, with a 2x (not DuckDB's 16x) read buffer."""
    if max_line <= MAX_LINE:
        return SQL(""), {}
    return (
        SQL(", max_line_size = $max_line, buffer_size = $buffer_size"),
        {"max_line": max_line, "buffer_size": max(16 * MAX_LINE, 2 * max_line)},
    )


def _columns_struct(width: int) -> SQL:
    return SQL("{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}")


def _read_sample(con, path: Path, dialect: Dialect, width: int, max_line: int) -> list[tuple]:
    sizes, size_params = _size_options(max_line)
    try:
        return run(
            con,
            sql.render(
                "SELECT * FROM read_csv($path, header = false, auto_detect = false, delim = $delim, quote = $quote, "
                "escape = $escape, new_line = $new_line, nullstr = $nullstr, columns = {columns}, "
                "null_padding = true, parallel = false, strict_mode = false, ignore_errors = true{sizes}) LIMIT $n",
                columns=_columns_struct(width),
                sizes=sizes,
            ),
            {"path": str(path), **read_options(dialect), "n": _SAMPLE_ROWS, **size_params},
        ).fetchall()
    except duckdb.OutOfMemoryException as exc:
        raise store.explain(exc) from None
    except duckdb.Error:
        return []


def _pick_dialect(
    con, path: Path, overrides: dict[str, str] | None, max_line: int, known: tuple[Dialect, int] | None = None
) -> tuple[Dialect, list[tuple], int, list[str]]:
    """Sniff the dialect (unless ``known``: a sheet we wrote) and find the header; retry the sniffer with hints.

    Returns the dialect, the first rows as read, the header's index among them and its cells.
    """
    attempts = [{}, {"null_padding": True}, {"strict_mode": False}] + [{"delim": d} for d in (",", ";", "\t", "|")]
    best, tried, too_wide = None, set(), 0
    for options in [{}] if known else attempts:
        if options.get("delim") in {d.delimiter for d, _ in tried}:
            continue  # the sniffer has already answered with this delimiter
        sniffed = known or _sniff(con, path, max_line, **options)
        if sniffed is None or sniffed in tried:
            continue
        tried.add(sniffed)
        dialect, columns = sniffed
        if columns > MAX_COLUMNS:
            too_wide = columns
            continue  # another delimiter may split the lines into fewer columns
        if dialect.quote != '"':
            # Spreadsheets quote with '"'. A sniffed "'" pairs up apostrophes at the start of cells
            # ('Why us?' or an exported formula guard) across lines and silently merges rows.
            dialect = replace(dialect, quote='"', escape='"')
        elif not dialect.escape:
            dialect = replace(dialect, escape=dialect.quote)
        rows = _read_sample(con, path, dialect, max(columns, 1) + 8, max_line)
        index, cells, score = find_header(rows, overrides)
        if best is None or score > best[0]:
            best = (score, dialect, rows, index, cells)
        # Every required field and three columns (mapped, or in a wide file) leave nothing for a hint to fix.
        if score[0] == len(REQUIRED) and (score[1] >= 3 or len(cells) >= 3):
            break
    if too_wide and (best is None or best[3] < 0):
        raise _too_wide(too_wide)  # no narrower reading found a header either
    if best is None:
        raise UnusableFile("DuckDB could not read this file as CSV/TSV. Check that it is a text export of a table.")
    _, dialect, rows, index, cells = best
    if index < 0:
        first = next((cells_of(r) for r in rows if cells_of(r)), [])
        raise NoHeaderFound(
            "No header row could be mapped to Debrief's fields (date, company, role, stage, question, rating, ...). "
            f"The first row has: {listing(first) or '(nothing)'}.",
            headers=first,
        )
    return dialect, rows, index, cells


# --- the staging table ---------------------------------------------------------------------------

# Not strict_mode=true: in DuckDB 2.0 it silently returns no rows for a CRLF file whose quoted
# values hold a bare LF. The default still reports rows with too many fields and stray quotes.
_READ = (
    "CREATE OR REPLACE TEMP TABLE {stage} AS SELECT * FROM read_csv($path, header = false, "
    "auto_detect = false, delim = $delim, quote = $quote, escape = $escape, new_line = $new_line, "
    "nullstr = $nullstr, columns = {columns}, null_padding = true, parallel = {parallel}, "
    "store_rejects = true, rejects_table = $rejects, rejects_scan = $scans{sizes})"
)


def stage_table(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """(Re)create ``staged``'s staging table on ``con`` from its UTF-8 file, noting the records DuckDB rejects."""
    tables = staged.tables
    # read_csv takes the rejects tables' names as values, unquoted.
    rejects, scans = tables.name("rejects")[1:-1], tables.name("scans")[1:-1]
    sizes, size_params = _size_options(staged.max_line)
    params = {"path": str(staged.path), **read_options(staged.dialect), "rejects": rejects, "scans": scans}
    params.update(size_params)
    try:
        # The parallel reader is faster but refuses padded rows together with quoted newlines.
        for parallel in ("true", "false"):
            tables.drop(con, kinds=("rejects", "scans"))
            try:
                statement = sql.render(
                    _READ,
                    stage=staged.table,
                    columns=_columns_struct(staged.column_count),
                    parallel=SQL(parallel),
                    sizes=sizes,
                )
                run(con, statement, params)
                break
            except duckdb.Error as exc:
                if parallel == "false" or "parallel" not in str(exc).lower():
                    raise
                # Quoted newlines: the sequential reader can drop the rest of a file after a quote that is
                # never closed, so count quotes to notice (the parallel reader reports it as a bad row).
                if staged.odd_quotes is None and staged.dialect.quote:
                    staged.odd_quotes = decoding.count_quotes(staged.path, staged.dialect.quote) % 2 == 1
        found = run(
            con,
            sql.render(
                "SELECT line, min(error_type), max(column_idx) FROM {rejects} GROUP BY line ORDER BY line",
                rejects=tables.name("rejects"),
            ),
        ).fetchall()
    except duckdb.OutOfMemoryException as exc:
        raise store.explain(exc) from None
    except duckdb.Error as exc:
        raise UnusableFile(
            "This file could not be read as CSV: a quote may be left open, or the line endings are mixed. "
            f"Open it in a spreadsheet and save it again as CSV. (DuckDB said: {str(exc).splitlines()[0]})"
        ) from None
    finally:
        try:
            tables.drop(con, kinds=("rejects", "scans"))
        except duckdb.Error:
            pass
    staged.reader_rejects = [ReaderReject(int(line), str(kind), int(column or 0)) for line, kind, column in found]
    if _read_again_with_longer_lines(con, staged):
        return
    too_long = f"This row is longer than {staged.max_line // _MB} MB and could not be read."
    staged.reader_rejects = [
        replace(r, message=too_long) if r.kind == "LINE SIZE OVER MAXIMUM" else r for r in staged.reader_rejects
    ]
    if staged.odd_quotes is None and staged.dialect.quote:
        staged.odd_quotes = decoding.count_quotes(staged.path, staged.dialect.quote) % 2 == 1
    if staged.odd_quotes:
        _account_for_open_quote(con, staged)


def _read_again_with_longer_lines(con, staged: Staged) -> bool:
    """Stage the file again with a larger record size when DuckDB found records too long; whether it did."""
    if staged.max_line >= LINE_CAP or not any(r.kind == "LINE SIZE OVER MAXIMUM" for r in staged.reader_rejects):
        return False
    needed = _line_limit(longest_record(staged.path, staged.dialect))
    if needed <= staged.max_line:
        return False
    staged.max_line = needed
    stage_table(con, staged)
    return True


def _account_for_open_quote(con, staged: Staged) -> None:
    """Reject, line by line, the rows a quote that is never closed swallowed, so every row is counted.

    DuckDB rejects the rest as one record, reads it as one row, or drops it; each line
    becomes a reader reject (``record`` is minus the line, clear of DuckDB's numbers).
    """
    lines, blank, open_quote = record_lines(staged.path, staged.dialect)
    if not open_quote or not len(lines) or blank[-1]:
        return
    tail = len(lines)  # the record the open quote starts runs to the end of the file
    rejected = {r.record for r in staged.reader_rejects}
    others = int((~blank[:-1]).sum()) - len(rejected - {tail})
    (count,) = run(con, sql.render("SELECT count(*) FROM {stage}", stage=staged.table)).fetchone()
    if others <= staged.header_index:
        return  # the header itself is lost: the file is refused elsewhere
    if tail in rejected and count == others:
        staged.reader_rejects = [r for r in staged.reader_rejects if r.record != tail]
    elif tail not in rejected and count == others + 1:
        run(con, sql.render("DELETE FROM {stage} WHERE rowid = $last", stage=staged.table), {"last": count - 1})
    elif tail in rejected or count != others:
        return  # DuckDB split the file differently from a quote count: leave its reading as it is
    opened = int(lines[-1])
    lost = filled_lines(staged.path, staged.dialect.newline, opened)
    first = (
        f"A quote opened on this line is never closed, so this row and the {count_of(len(lost) - 1, 'line')} "
        "after it "
        f"(to line {lost[-1]}) could not be read: close the quote and import again."
        if len(lost) > 1
        else "A quote opened on this line is never closed, so this row could not be read: close the quote."
    )
    after = f"Not read: a quote opened on line {opened} is never closed."
    staged.reader_rejects += [
        ReaderReject(-line, "UNCLOSED QUOTE", 0, line, first if line == opened else after) for line in lost
    ]
    staged.unclosed_quote_line = opened
