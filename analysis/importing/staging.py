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
import shutil
import tempfile
import uuid
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from analysis import sql, store
from analysis.importing import decoding
from analysis.importing.decoding import DecodedText
from analysis.importing.errors import UnusableFile
from analysis.importing.lines import LineMap, line_map
from analysis.importing.mapping import guess_mapping
from analysis.importing.running import Progress, report, run
from analysis.schema import REQUIRED
from analysis.sql import SQL

if TYPE_CHECKING:
    import pandas as pd

# pandas and numpy are imported only where a DataFrame or line numbers are asked for: the command line
# and a clean import never need them, and pandas alone costs ~110 MB of memory to import.

NULL_TEXT = "\x01\x02debrief-null\x02\x01"  # never in a real file: empty fields stay '' and padding stays NULL
MAX_LINE = 2 * 1024 * 1024  # DuckDB's default max_line_size; its read buffer is 16x this, so keep the default
_SAMPLE_ROWS = 60
_HEADER_SEARCH = 12


@dataclass(frozen=True)
class Dialect:
    """How the file separates and quotes its values."""

    delimiter: str
    quote: str
    escape: str
    newline: str  # as DuckDB spells it: "\\n", "\\r\\n" or "\\r"


@dataclass(frozen=True)
class ReaderReject:
    """A record DuckDB's reader could not read: its record number in the file, DuckDB's error kind, the column."""

    record: int
    kind: str
    column: int


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
) -> Staged:
    """Read a notes file (bytes of an upload, or a path) into a staging TEMP table on ``con``.

    Detects the encoding, the dialect (DuckDB's sniffer), and the header row,
    skipping blank or title lines above it. Raises ``UnusableFile`` naming what
    is wrong (empty, not text, no header that maps, header without rows).
    Call ``discard`` (or ``staged.close()``) when done with it.
    """
    token = uuid.uuid4().hex[:16]
    folders: list[Path] = []

    def workdir() -> Path:
        if not folders:
            # Inside the scratch folder: the app's sandboxed connections may read only there.
            folders.append(Path(tempfile.mkdtemp(prefix="debrief-import-", dir=store.scratch_dir())))
        return folders[0]

    try:
        report(progress, 0.0, "Reading the file")
        raw, name = _raw_file(data, filename, workdir)
        try:
            text = decoding.decode(raw, workdir)
        except OSError as exc:
            raise UnusableFile(f"Cannot read {raw}: {exc.strerror or exc}.") from None
        try:
            staged = _stage_any(con, text, name, token, workdir, progress)
        except UnusableFile:
            if text.verified or decoding.check_utf8(raw)[0]:
                raise
            staged = None
        if staged is None or (not text.verified and any(r.kind == "INVALID ENCODING" for r in staged.reader_rejects)):
            # A big file that starts as UTF-8 but is not: read it again as cp1252/latin-1.
            if staged is not None:
                discard(con, staged)  # drops its tables; the folder is not its own yet
            text = decoding.decode(raw, workdir, not_utf8=True)
            staged = _stage_any(con, text, name, token, workdir, progress)
        if folders:
            staged.own(folders[0])
        report(progress, 1.0, "File read")
        return staged
    except BaseException:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _raw_file(data, filename: str | None, workdir) -> tuple[Path, str]:
    """The file to read (an upload is written into ``workdir()`` first) and the name to show for it."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = workdir() / "upload.bin"
        raw.write_bytes(bytes(data))
        return raw, filename or "upload.csv"
    raw = Path(data)
    if not raw.is_file():
        raise UnusableFile(f"Cannot read {raw}: {'it is a folder' if raw.is_dir() else 'no such file'}.")
    return raw, filename or raw.name


def _stage_any(con, text: DecodedText, name: str, token: str, workdir, progress: Progress | None) -> Staged:
    """``_stage_text``, and once more with line ends made uniform when mixed ones defeat DuckDB's reader.

    DuckDB 2.0 cannot read a file that mixes CRLF and LF line ends ("state machine reached an invalid
    state"). The fallback writes LF everywhere, which also turns a CRLF inside a quoted value into LF.
    """
    try:
        return _stage_text(con, text, name, token, progress)
    except UnusableFile:
        if sum(1 for n in decoding.newline_counts(text.path) if n) < 2:
            raise
        fixed = workdir() / "newlines.csv"
        decoding.normalise_newlines(text.path, fixed)
        return _stage_text(con, replace(text, path=fixed), name, token, progress)


def _stage_text(con, text: DecodedText, name: str, token: str, progress: Progress | None) -> Staged:
    """Sniff, find the header and stage the UTF-8 text of a file."""
    report(progress, 0.3, "Detecting the layout")
    dialect, rows, header_index, cells = _pick_dialect(con, text.path)
    headers, duplicates = unique_headers(cells)
    odd_quotes = None if text.double_quotes is None else dialect.quote == '"' and text.double_quotes % 2 == 1
    staged = Staged(
        filename=name,
        encoding=text.encoding,
        dialect=dialect,
        headers=headers,
        header_line=header_index + 1,
        rows=0,
        sample_rows=[list(r[: len(cells)]) for r in rows[header_index + 1 : header_index + 21]],
        duplicate_headers=duplicates,
        guess=guess_mapping(headers),
        token=token,
        path=text.path,
        size=text.size,
        header_index=header_index,
        width=len(cells),
        column_count=len(cells) + 1,
        odd_quotes=odd_quotes,
    )
    report(progress, 0.4, "Loading rows")
    try:
        stage_table(con, staged)
    except UnusableFile:
        if dialect.quote == '"':
            raise
        # The sniffer's unusual quote did not hold up over the whole file: fall back to standard CSV quoting.
        staged.dialect = replace(dialect, quote='"', escape='"')
        stage_table(con, staged)
    (count,) = run(con, sql.render("SELECT count(*) FROM {stage}", stage=staged.table)).fetchone()
    staged.rows = max(0, count - header_index - 1)
    if staged.rows == 0 and not staged.reader_rejects:
        raise UnusableFile(
            f"The file has a header row ({', '.join(headers[:20])}) but no rows below it.", headers=headers
        )
    if staged.header_line > 1 or staged.odd_quotes:
        row_lines = line_map(con, staged).row_lines
        if len(row_lines) > header_index:
            staged.header_line = int(row_lines[header_index])
    return staged


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


def _sniff(con, path: Path, **options) -> tuple[Dialect, int] | None:
    """DuckDB's sniffer's dialect and column count for the file, with ``options`` as hints; None if it gives up."""
    hints = SQL("".join(f", {sql.ident(name)} = ${name}" for name in options))
    try:
        row = run(
            con,
            sql.render(
                "SELECT Delimiter, Quote, Escape, NewLineDelimiter, len(Columns) FROM sniff_csv($path{hints})",
                hints=hints,
            ),
            {"path": str(path), **options},
        ).fetchone()
    except duckdb.Error:
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


def _columns_struct(width: int) -> SQL:
    return SQL("{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}")


def _read_sample(con, path: Path, dialect: Dialect, width: int) -> list[tuple]:
    try:
        return run(
            con,
            sql.render(
                "SELECT * FROM read_csv($path, header = false, auto_detect = false, delim = $delim, quote = $quote, "
                "escape = $escape, new_line = $new_line, nullstr = $nullstr, columns = {columns}, "
                "null_padding = true, parallel = false, strict_mode = false, ignore_errors = true) LIMIT $n",
                columns=_columns_struct(width),
            ),
            {"path": str(path), **read_options(dialect), "n": _SAMPLE_ROWS},
        ).fetchall()
    except duckdb.Error:
        return []


def _cells(row: tuple) -> list[str]:
    cells = ["" if c is None else str(c).replace("\ufeff", "").strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def unique_headers(cells: list[str]) -> tuple[list[str], list[str]]:
    """Header cells made unique ("Notes", "Notes (2)"; an empty one is "(column 5)"), and those that repeated."""
    seen: dict[str, int] = {}
    out, duplicates = [], []
    for index, cell in enumerate(cells, start=1):
        name = cell or f"(column {index})"
        key = name.lower()
        if key in seen:
            seen[key] += 1
            duplicates.append(name)
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(name)
    return out, duplicates


def _header_score(cells: list[str]) -> tuple[int, int]:
    if not any(cells):
        return (0, 0)
    mapping = guess_mapping(unique_headers(cells)[0])
    return (sum(1 for f in REQUIRED if f in mapping), len(mapping))


def _find_header(rows: list[tuple]) -> tuple[int, list[str], tuple[int, int]]:
    best, best_score = -1, (0, 0)
    for index, row in enumerate(rows[:_HEADER_SEARCH]):
        score = _header_score(_cells(row))
        if score > best_score:
            best, best_score = index, score
    return best, (_cells(rows[best]) if best >= 0 else []), best_score


def _pick_dialect(con, path: Path) -> tuple[Dialect, list[tuple], int, list[str]]:
    """Sniff the dialect and find the header; try the sniffer with hints when its first answer maps nothing.

    Returns the dialect, the first rows as read, the header's index among them and its cells.
    """
    attempts = [{}, {"null_padding": True}, {"strict_mode": False}] + [{"delim": d} for d in (",", ";", "\t", "|")]
    best = None
    for options in attempts:
        sniffed = _sniff(con, path, **options)
        if sniffed is None:
            continue
        dialect, columns = sniffed
        if not dialect.quote:
            dialect = replace(dialect, quote='"', escape='"')
        elif not dialect.escape:
            dialect = replace(dialect, escape=dialect.quote)
        rows = _read_sample(con, path, dialect, max(columns, 1) + 8)
        index, cells, score = _find_header(rows)
        if best is None or score > best[0]:
            best = (score, dialect, rows, index, cells)
        if score[0] == len(REQUIRED) and score[1] >= 3:
            break
    if best is None:
        raise UnusableFile("DuckDB could not read this file as CSV/TSV. Check that it is a text export of a table.")
    _, dialect, rows, index, cells = best
    if index < 0:
        first = next((_cells(r) for r in rows if _cells(r)), [])
        raise UnusableFile(
            "No header row could be mapped to Debrief's fields (date, company, role, stage, question, rating, ...). "
            f"The first row has: {', '.join(first[:20]) or '(nothing)'}.",
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
    "store_rejects = true, rejects_table = $rejects, rejects_scan = $scans)"
)


def stage_table(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """(Re)create ``staged``'s staging table on ``con`` from its UTF-8 file, noting the records DuckDB rejects."""
    tables = staged.tables
    # read_csv takes the rejects tables' names as values, unquoted.
    rejects, scans = tables.name("rejects")[1:-1], tables.name("scans")[1:-1]
    params = {"path": str(staged.path), **read_options(staged.dialect), "rejects": rejects, "scans": scans}
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
    if staged.odd_quotes is None:
        staged.odd_quotes = False
