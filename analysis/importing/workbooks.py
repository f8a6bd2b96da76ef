"""Workbooks and other file kinds: what a file is, before it is read as text.

A spreadsheet workbook (``.xlsx``, ``.xls``, ``.ods``) is read with
python-calamine and one sheet written as a CSV file into the import's private
folder, so the rest of the import (header search, mapping, checks, report)
is the same as for a CSV; each CSV record remembers the sheet row it came
from, so messages name sheet rows. A gzip file is decompressed into the same
folder. Files that are neither text nor a workbook (a PDF, an image, a Word
document, a zip archive) are refused with their name.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.importing.errors import UnusableFile

WORKBOOK_KINDS = ("xlsx", "xls", "ods")
_EXPORT_HINT = "export your notes as CSV or a workbook (.xlsx, .xls, .ods)"

# Leading bytes of files people upload by mistake, and what to call them.
_SIGNATURES = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a rich-text (RTF) document"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office container: .xls, .doc, .ppt
_ZIP = b"PK\x03\x04"
_GZIP = b"\x1f\x8b"


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook written as CSV: the file, the workbook's sheets, and each record's sheet row."""

    path: Path
    kind: str
    name: str
    names: list[str]
    row_numbers: list[int]
    width: int = 0  # the fields of every record


def source_file(data, filename: str | None, workdir: Callable[[], Path]) -> tuple[Path, str]:
    """The file to read (an upload is written into ``workdir()`` first) and the name to show for it."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = workdir() / "upload.bin"
        raw.write_bytes(bytes(data))
        return raw, filename or "upload.csv"
    raw = Path(data)
    try:
        mode = raw.stat().st_mode
    except FileNotFoundError:
        raise UnusableFile(f"Cannot read {raw}: no such file.") from None
    except OSError as exc:
        raise UnusableFile(f"Cannot read {raw}: {exc.strerror or exc}.") from None
    if stat.S_ISDIR(mode):
        raise UnusableFile(f"Cannot read {raw}: it is a folder.")
    if stat.S_ISCHR(mode) and raw.resolve() == Path(os.devnull).resolve():
        raise UnusableFile("The file is empty: there is no header and no rows.")
    if not stat.S_ISREG(mode):
        what = "a pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise UnusableFile(f"Cannot read {raw}: it is {what}, not a regular file. Save the notes to a file first.")
    return raw, filename or raw.name


def unpacked(raw: Path, name: str, sheet: str | None, workdir: Callable[[], Path]) -> tuple[Path, Sheet | None]:
    """The text file to read for ``raw``: itself, its decompressed copy, or a workbook's sheet as CSV."""
    if raw.stat().st_size == 0:
        return raw, None  # the decoding stage says it is empty
    kind = kind_of(raw, name)
    if kind == "gzip":
        return gunzip(raw, workdir), None
    if kind in WORKBOOK_KINDS:
        book = write_sheet(raw, kind, sheet, workdir)
        return book.path, book
    if sheet is not None:
        raise UnusableFile(f"{name} is not a workbook, so it has no sheet {sheet!r}.")
    return raw, None


def kind_of(raw: Path, name: str) -> str | None:
    """``"xlsx"``, ``"xls"``, ``"ods"`` or ``"gzip"`` for a file read specially, None for text.

    Raises ``UnusableFile`` naming a file that is neither (a PDF, an image, a Word document, an archive).
    """
    with open(raw, "rb") as f:
        head = f.read(64)
    suffix = Path(name).suffix.lower()
    if head.startswith(_GZIP):
        return "gzip"
    if head.startswith(_ZIP):
        return _zip_kind(raw)
    if head.startswith(_OLE):
        if suffix in (".doc", ".ppt", ".msg"):
            raise UnusableFile(f"This is a {suffix[1:].upper()} file, not a table: {_EXPORT_HINT}.")
        return "xls"
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        raise UnusableFile(f"This is a WebP image, not a table: {_EXPORT_HINT}.")
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise UnusableFile(f"This is {what}, not a text file of notes: {_EXPORT_HINT}.")
    return None


def _zip_kind(raw: Path) -> str:
    try:
        with zipfile.ZipFile(raw) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError):
        raise UnusableFile(f"This is a damaged zip archive, not a table: {_EXPORT_HINT}.") from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if "word/document.xml" in names or mimetype.startswith("application/vnd.oasis.opendocument.text"):
        raise UnusableFile(f"This is a Word document, not a table: {_EXPORT_HINT}.")
    if "ppt/presentation.xml" in names:
        raise UnusableFile(f"This is a PowerPoint presentation, not a table: {_EXPORT_HINT}.")
    raise UnusableFile(f"This is a zip archive, not a workbook: unzip it, or {_EXPORT_HINT}.")


def gunzip(raw: Path, workdir: Callable[[], Path]) -> Path:
    """The decompressed copy of a gzip file, in ``workdir()``."""
    out = workdir() / "gunzipped.csv"
    try:
        with gzip.open(raw, "rb") as fin, open(out, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 22)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UnusableFile(f"This gzip file is damaged ({exc}): compress the CSV again or upload it as is.") from None
    return out


def workbook_sheets(data: bytes, name: str) -> list[str]:
    """The sheet names of a workbook upload, in order; [] for anything that is not a readable workbook."""
    import io

    from python_calamine import CalamineError, CalamineWorkbook

    head = bytes(data[:8])
    if not (head.startswith(_ZIP) or head.startswith(_OLE)) or Path(name).suffix.lower() in (".doc", ".ppt"):
        return []
    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except (CalamineError, ValueError, OSError):
        return []


def write_sheet(raw: Path, kind: str, sheet: str | None, workdir: Callable[[], Path]) -> Sheet:
    """Sheet ``sheet`` (default: the first) of the workbook ``raw`` written as UTF-8 CSV into ``workdir()``.

    Blank rows are left out; every record is as wide as the widest filled row,
    so trailing empty cells do not make rows look long. Raises ``UnusableFile``
    for a damaged workbook, a sheet it does not have, or an empty sheet.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(raw))
        names = list(book.sheet_names)
        if not names:
            raise UnusableFile("The workbook has no sheets.")
        name = names[0] if sheet is None else sheet
        if name not in names:
            raise UnusableFile(f"The workbook has no sheet called {name!r}. Its sheets: {', '.join(names)}.")
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise UnusableFile(
            f"This {kind} workbook could not be read ({exc}): save it again, or export as CSV."
        ) from None
    texts, widths = _texts_and_widths(rows)
    width = max(widths, default=0)
    if width == 0:
        raise UnusableFile(f"The sheet {name!r} is empty: there is no header and no rows.")
    out = workdir() / "sheet.csv"
    row_numbers = [number for number, filled in enumerate(widths, start=1) if filled]
    _write_csv(out, (row for row, filled in zip(texts, widths, strict=True) if filled), width)
    return Sheet(out, kind, name, names, row_numbers, width)


def _texts_and_widths(rows: list[list]) -> tuple[list[list[str]], list[int]]:
    """Each row as text cells, and how many of its cells count (trailing blank ones do not)."""
    texts, widths = [], []
    for row in rows:
        try:
            "".join(row)  # every cell text already (the common row): a check at C speed, 3x faster than a loop
        except TypeError:
            row = [v if type(v) is str else _cell_text(v) for v in row]
        texts.append(row)
        # Most rows end in a filled cell: only the others are walked back.
        widths.append(len(row) if row and row[-1].strip() else _filled_width(row))
    return texts, widths


def _write_csv(out: Path, rows, width: int) -> None:
    """``rows`` (text cells) as CSV records of ``width`` fields: the trailing cells cut off are blank.

    A record that needs no quoting (no comma, quote or line end in any cell) is
    written joined as it is, which is what ``csv.writer`` writes for it; the
    others go through ``csv.writer``. A 100,000-row sheet is written in about a
    quarter of csv.writer's time.
    """
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        plain: list[str] = []
        for row in rows:
            cells = row if len(row) == width else row[:width] if len(row) > width else row + [""] * (width - len(row))
            joined = ",".join(cells)
            if joined.count(",") == width - 1 and '"' not in joined and "\n" not in joined and "\r" not in joined:
                plain.append(joined)
                if len(plain) >= 10_000:
                    f.write("\n".join(plain) + "\n")
                    plain.clear()
            else:
                if plain:
                    f.write("\n".join(plain) + "\n")
                    plain.clear()
                writer.writerow(cells)
        if plain:
            f.write("\n".join(plain) + "\n")


def _filled_width(row: list[str]) -> int:
    index = len(row)
    while index and not row[index - 1].strip():
        index -= 1
    return index


def _cell_text(value) -> str:
    """A cell as the text a CSV export of it would hold: 4 not 4.0, ISO dates, no time on a plain date."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)
