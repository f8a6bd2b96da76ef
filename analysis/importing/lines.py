"""Physical line numbers: where in the file each staged row starts, for messages a user can find.

DuckDB numbers records, not lines; a value with line breaks inside quotes
spans several lines. ``line_map`` works the lines out from the file's bytes
(numpy, vectorised) once per staged file, and only when there is something
to report or the file is small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis import sql
from analysis.importing.decoding import CHUNK
from analysis.importing.running import run
from analysis.sql import SQL

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from analysis.importing.staging import Dialect, Staged


@dataclass(frozen=True)
class LineMap:
    """Where rows start in the file.

    ``row_lines[rowid]`` is the line of each staged row; ``reject_lines`` maps
    DuckDB's record number of a rejected record to its line; ``exact`` is False
    when the file bends CSV rules so that lines are estimated; ``lost_tail`` is
    the line of a last record that a quote left open swallowed (None if none).
    """

    row_lines: np.ndarray | list[int]
    reject_lines: dict[int, int]
    exact: bool
    lost_tail: int | None


def record_lines(path: Path, dialect: Dialect) -> tuple[np.ndarray, np.ndarray, bool]:
    """Physical start line of every record in the file, whether each is blank, and whether a quote is left open."""
    lines, blank, _, open_quote = record_bounds(path, dialect)
    return lines, blank, open_quote


def longest_record(path: Path, dialect: Dialect) -> int:
    """The length in bytes of the file's longest record (a quoted value may span lines)."""
    _, _, lengths, _ = record_bounds(path, dialect)
    return int(lengths.max()) if len(lengths) else 0


def record_bounds(path: Path, dialect: Dialect) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Start line, blankness and byte length of every record, and whether a quote is left open at the end.

    Vectorised over 4 MB chunks: a newline ends a record when an even number of
    (unescaped) quote characters precede it.
    """
    import numpy as np

    newline = b"\r" if dialect.newline == "\\r" else b"\n"
    nl_byte = newline[0]
    quote = ord(dialect.quote) if dialect.quote else None
    escape = ord(dialect.escape) if dialect.escape and dialect.escape != dialect.quote else None
    ends, ordinal_of_end, cr_before = [], [], []
    parity = 0
    newlines_before = 0
    offset = 0
    last_byte = -1
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            a = np.frombuffer(chunk, dtype=np.uint8)
            nl = np.flatnonzero(a == nl_byte)
            if quote is not None:
                qs = np.flatnonzero(a == quote)
                if escape is not None and len(qs):
                    prev = np.where(qs > 0, a[np.maximum(qs - 1, 0)], last_byte)
                    qs = qs[prev != escape]
                inside = (parity + np.searchsorted(qs, nl)) & 1
                parity = (parity + len(qs)) & 1
            else:
                inside = np.zeros(len(nl), dtype=np.int64)
            term = nl[inside == 0]
            ordinals = newlines_before + np.flatnonzero(inside == 0)
            if len(term):
                before = np.where(term > 0, a[np.maximum(term - 1, 0)], last_byte)
                cr_before.append(before == 13)
            ends.append(term + offset)
            ordinal_of_end.append(ordinals)
            newlines_before += len(nl)
            offset += len(a)
            last_byte = int(a[-1])
            size = offset
    ends_a = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    ord_a = np.concatenate(ordinal_of_end) if ordinal_of_end else np.zeros(0, dtype=np.int64)
    cr_a = np.concatenate(cr_before) if cr_before else np.zeros(0, dtype=bool)
    starts = np.concatenate(([0], ends_a + 1))
    lines = np.concatenate(([1], ord_a + 2))
    stops = np.concatenate((ends_a, [size]))
    length = stops - starts
    crlf = newline == b"\n"
    cr_last = np.concatenate((cr_a, [last_byte == 13])) if crlf else np.zeros(len(starts), dtype=bool)
    blank = (length <= 0) | ((length == 1) & cr_last)
    # A final "record" after the last newline that is empty is not a record at all.
    if len(starts) and starts[-1] >= size:
        starts, lines, blank, length = starts[:-1], lines[:-1], blank[:-1], length[:-1]
    return lines.astype(np.int64), blank, length, bool(parity)


def filled_lines(path: Path, newline: str, first: int) -> list[int]:
    """The numbers of the non-blank physical lines from line ``first`` to the end, quotes ignored.

    For the rows a quote left open swallowed: each is a row the user wrote.
    """
    import numpy as np

    byte = 13 if newline == "\\r" else 10
    ends, cr_before, size, last_byte = [], [], 0, -1
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            a = np.frombuffer(chunk, dtype=np.uint8)
            found = np.flatnonzero(a == byte)
            cr_before.append(np.where(found > 0, a[np.maximum(found - 1, 0)], last_byte) == 13)
            ends.append(found + size)
            size += len(a)
            last_byte = int(a[-1])
    stops = np.concatenate([*ends, [size]])
    cr = np.concatenate([*cr_before, [last_byte == 13]])
    starts = np.concatenate(([0], stops[:-1] + 1))
    if last_byte == byte:  # nothing after the last newline: no line there
        starts, stops, cr = starts[:-1], stops[:-1], cr[:-1]
    length = stops - starts
    # A CRLF line holding nothing else is one byte long: its CR.
    blank = (length == 0) | ((length == 1) & cr & (byte == 10))
    numbers = np.flatnonzero(~blank) + 1
    return [int(n) for n in numbers[numbers >= first]]


def line_map(con, staged: Staged) -> LineMap:
    """The file's line numbers for ``staged``'s rows, worked out once and kept on ``staged.lines``.

    A workbook sheet's rows carry their sheet row numbers (``staged.row_numbers``).
    Rejects the staging stage placed on a line itself (``ReaderReject.line``) keep it.
    """
    if staged.lines is not None:
        return staged.lines
    (count,) = run(con, sql.render("SELECT count(*) FROM {stage}", stage=staged.table)).fetchone()
    if staged.row_numbers is not None and not staged.reader_rejects and len(staged.row_numbers) == count:
        # A sheet as write_sheet wrote it, every record read: its rows are the sheet rows (no numpy to load).
        staged.lines = LineMap(staged.row_numbers, {}, True, None)
        return staged.lines
    import numpy as np

    if staged.row_numbers is not None:
        lines = np.asarray(staged.row_numbers, dtype=np.int64)
        blank, open_quote = np.zeros(len(lines), dtype=bool), False
    else:
        lines, blank, open_quote = record_lines(staged.path, staged.dialect)
    rejected = {r.record for r in staged.reader_rejects}
    placed = {r.record: r.line for r in staged.reader_rejects if r.line is not None}
    index = np.arange(len(lines))
    keep = ~blank & ~np.isin(index + 1, np.fromiter(rejected, dtype=np.int64, count=len(rejected)))
    candidates = lines[keep]
    lost_tail = None
    if open_quote and len(candidates) == count + 1:
        if staged.unclosed_quote_line is None:
            lost_tail = int(candidates[-1])
        # else: the staging stage has already rejected every line the open quote swallowed.
        candidates = candidates[:-1]
    if len(candidates) == count:
        reject_lines = {k: int(lines[k - 1]) if 0 < k <= len(lines) else k for k in rejected}
        staged.lines = LineMap(candidates, reject_lines | placed, True, lost_tail)
    else:
        # The file breaks CSV rules in a way DuckDB tolerates and a quote count does not;
        # fall back to row order plus the newlines inside values.
        staged.lines = LineMap(_approximate_lines(con, staged), {k: k for k in rejected} | placed, False, lost_tail)
    return staged.lines


def _approximate_lines(con, staged: Staged) -> np.ndarray:
    import numpy as np

    newlines = " + ".join(
        f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)" for i in range(staged.column_count)
    )
    rows = run(
        con,
        sql.render(
            "SELECT 1 + rowid + coalesce(sum({newlines}) OVER "
            "(ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) FROM {stage} ORDER BY rowid",
            newlines=SQL(newlines),
            stage=staged.table,
        ),
    ).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def longest_line_in_head(path: Path, lines: int = 20_480) -> int:
    """The length in bytes of the longest of the file's first ``lines`` lines (LF or CR ends), quotes ignored.

    DuckDB's sniffer reads about that many rows: a longer line among them than
    it allows makes it fail slowly, so the staging stage checks first. Plain
    bytes methods, not numpy: a clean import of a big file never loads numpy.
    """
    longest, seen, carry = 0, 0, 0
    with open(path, "rb") as f:
        while seen < lines and (chunk := f.read(CHUNK)):
            parts = chunk.replace(b"\r", b"\n").split(b"\n")
            if len(parts) == 1:
                carry += len(chunk)
                continue
            longest = max(longest, carry + len(parts[0]), max(map(len, parts[1:-1]), default=0))
            carry = len(parts[-1])
            seen += len(parts) - 1
    return max(longest, carry)
