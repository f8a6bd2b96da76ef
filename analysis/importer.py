"""Import past interview notes from a CSV/TSV/TXT file.

The engine behind the Import page and ``python -m analysis import``:

1. ``read_notes(con, data, filename)`` works out the encoding (UTF-8, UTF-8 or
   UTF-16 with a byte-order mark, else cp1252, else latin-1), lets DuckDB's CSV
   sniffer find the dialect, finds the header row (title lines above it are
   skipped) and reads every row, as text, into a staging TEMP table.
2. ``guess_mapping(headers)`` maps the file's headers onto Debrief's fields;
   the caller may override any of it.
3. ``plan_import(con, staged, mapping, options)`` parses and checks every row
   in SQL and reports what an import would do (rows read, valid, rejected with
   the file line, column and problem, already present, interviews and
   questions that would be added, a preview) without writing anything.
4. ``commit_import(con, plan)`` writes the valid rows in one transaction, then
   checkpoints. ``discard(con, staged)`` drops the staging tables and files.

The work is set-based in DuckDB: values that repeat (dates, ratings, stages,
outcomes, categories, times) are parsed once per distinct value in small lookup
tables, every row is checked in one statement, and duplicates are found with
joins on hashed keys (date, company, role, stage; question text normalised).
Physical line numbers come from the file's bytes (numpy, vectorised) and are
worked out only when there is something to report or the file is small.

TEMP tables belong to one connection (one Streamlit cursor); ``plan_import``
and ``commit_import`` re-stage the file when given another cursor.

Values always travel as bound parameters. Header text from the file never
reaches SQL: staged columns are named ``c0``, ``c1``, ... by this module, and
the only identifiers put into statements are those and table names this module
generates (``_render`` refuses anything else).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from analysis import store
from analysis.export import FIELDS, QUESTION_FIELDS
from analysis.vocab import FORMATS, OUTCOMES, RATING_LABELS, REACTIONS, STAGES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# pandas and numpy are imported only where a DataFrame or line numbers are asked for: the command line
# and a clean import never need them, and pandas alone costs ~110 MB of memory to import.

Progress = Callable[[float, str], None]

REQUIRED = ("date", "company")
FIELD_LABELS = {f: f.replace("_", " ") for f in FIELDS}

# --- vocabulary -------------------------------------------------------------------------------

# Header synonyms, compared after ``_norm_header`` (lower case, punctuation to spaces).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("interview date", "date of interview", "interview day", "day", "when", "date interviewed"),
    "time": ("interview time", "start time", "start", "time of interview"),
    "company": ("company name", "employer", "organization", "organisation", "org", "firm", "business"),
    "role": ("position", "job title", "title", "job", "role title", "position title", "job role", "vacancy"),
    "stage": ("round", "interview stage", "interview round", "step", "interview type", "round type"),
    "format": ("interview format", "medium", "mode", "channel", "setting", "location type"),
    "interviewers": ("interviewer", "interviewer names", "interviewed by", "panel", "panelists", "interviewer s"),
    "recruiter": ("recruiter name", "agency", "recruitment agency", "recruiter agency", "hiring contact"),
    "outcome": ("result", "status", "decision", "verdict", "interview result", "interview outcome"),
    "decided_on": ("decision date", "outcome date", "result date", "decided", "date decided", "heard back"),
    "role_notes": ("about the role", "role details", "job notes", "position notes"),
    "company_notes": ("about the company", "company details", "employer notes"),
    "people_notes": ("about the people", "interviewer notes", "notes on people"),
    "culture_notes": ("culture", "vibe", "team culture", "culture and values"),
    "questions_to_ask": ("my questions", "questions for them", "to ask", "questions i asked", "questions i will ask"),
    "question": ("question asked", "questions", "interview question", "q", "prompt", "question text"),
    "category": ("type", "topic", "question type", "question category", "kind", "area"),
    "rating": ("score", "self rating", "my rating", "grade", "how i did", "self score", "rating 1 5"),
    "reaction": ("interviewer reaction", "their reaction", "reception", "how it landed"),
    "clarify": ("to clarify", "follow up", "clarification", "clarify later", "look up"),
    "better_answer": ("ideal answer", "improved answer", "what i should have said", "model answer", "answer"),
    "notes": ("comments", "comment", "what to improve", "improve", "remarks", "question notes", "my notes"),
}

STAGE_SYNONYMS = {
    "recruiter screen": (
        "recruiter",
        "recruiter call",
        "recruiter chat",
        "recruiter screening",
        "hr",
        "hr screen",
        "hr call",
        "hr interview",
        "screening",
        "screen",
        "intro call",
        "talent call",
    ),
    "phone screen": ("phone", "phone interview", "phone call", "phone screening", "call", "telephone"),
    "technical": (
        "tech",
        "technical interview",
        "tech interview",
        "technical screen",
        "coding",
        "live coding",
        "coding interview",
        "system design",
        "pairing",
        "pair programming",
    ),
    "take-home": ("take home", "take home test", "take home assignment", "assignment", "homework", "case study"),
    "onsite/panel": ("onsite", "on site", "panel", "panel interview", "onsite interview", "loop", "on site panel"),
    "final": ("final round", "final interview", "last round", "final stage", "executive", "ceo"),
    "other": ("misc", "unknown"),
}
FORMAT_SYNONYMS = {
    "video": ("video call", "zoom", "teams", "ms teams", "google meet", "meet", "remote", "webex", "skype", "virtual"),
    "phone": ("phone call", "call", "telephone", "by phone"),
    "in person": ("in-person", "inperson", "onsite", "on site", "office", "f2f", "face to face", "in office"),
}
OUTCOME_SYNONYMS = {
    "pending": ("waiting", "tbd", "in progress", "awaiting", "open", "waiting to hear", "unknown", "scheduled"),
    "advanced": (
        "passed",
        "pass",
        "next round",
        "moved forward",
        "moved on",
        "progressed",
        "through",
        "went through",
        "advance",
        "yes",
    ),
    "rejected": (
        "declined",
        "rejection",
        "reject",
        "no",
        "failed",
        "fail",
        "turned down",
        "not selected",
        "unsuccessful",
    ),
    "offer": ("offered", "got offer", "offer received", "job offer", "hired", "accepted"),
    "withdrew": ("withdrawn", "withdraw", "pulled out", "i withdrew", "dropped out", "cancelled"),
    "no response": ("ghosted", "no reply", "no answer", "silence", "never heard back", "none", "noresponse"),
}
REACTION_SYNONYMS = {
    "positive": ("pos", "good", "great", "happy", "liked it", "+"),
    "neutral": ("neu", "ok", "okay", "meh", "fine", "mixed", "flat"),
    "negative": ("neg", "bad", "poor", "unhappy", "-"),
    "unsure": ("unknown", "not sure", "unclear", "?", "dont know"),
}
CATEGORY_SYNONYMS = {
    "behavioral": ("behavioural", "behavior", "behaviour", "star", "soft skills"),
    "technical": ("tech", "coding", "system design", "algorithms"),
    "situational": ("hypothetical", "scenario"),
    "culture/motivation": ("culture", "motivation", "culture fit", "values", "why us", "fit"),
    "salary/logistics": ("salary", "logistics", "compensation", "pay", "notice period", "admin"),
    "other": ("misc", "general"),
}
RATING_WORDS = {label: n for n, label in RATING_LABELS.items()}

NAMED_DATE_FORMATS = [
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d %b, %Y",
    "%d %B, %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%d-%b-%y",
    "%b %d, %y",
    "%b. %d, %Y",
]
TIME_FORMATS = ["%I:%M %p", "%I:%M%p", "%I:%M:%S %p", "%I %p", "%I%p", "%H.%M", "%Hh%M", "%Hh"]

# Bits of the per-row problem mask; each is reported as one error for its column.
_PROBLEMS = (
    # name, field (None: the whole row), bit
    ("short_row", None),
    ("long_row", None),
    ("date_missing", "date"),
    ("date_bad", "date"),
    ("company_missing", "company"),
    ("time_bad", "time"),
    ("stage_bad", "stage"),
    ("format_bad", "format"),
    ("outcome_bad", "outcome"),
    ("decided_bad", "decided_on"),
    ("decided_early", "decided_on"),
    ("rating_bad", "rating"),
    ("rating_range", "rating"),
    ("reaction_bad", "reaction"),
    ("category_long", "category"),
    ("question_missing", "question"),
)
_BIT = {name: 1 << i for i, (name, _) in enumerate(_PROBLEMS)}

_WS = "(' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))"
_NULLSTR = "\x01\x02debrief-null\x02\x01"  # never in a real file: empty fields stay '' and padding stays NULL
_MAX_LINE = 2 * 1024 * 1024  # DuckDB's default max_line_size; its read buffer is 16x this, so keep the default
_CHUNK = 1 << 22
_SAMPLE_ROWS = 60
_HEADER_SEARCH = 12


# --- errors and results -----------------------------------------------------------------------


class UnusableFile(store.StoreError):
    """The file cannot be imported at all; ``str()`` says why, ``headers`` lists what was found."""

    def __init__(self, message: str, headers: list[str] | None = None):
        self.headers = list(headers or [])
        super().__init__(message)


class MappingError(UnusableFile):
    """A mapping names an unknown field or a header the file does not have."""


class ImportRejected(store.StoreError):
    """A strict import found rejected rows, so nothing was written."""


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    quote: str
    escape: str
    newline: str  # as DuckDB spells it: "\\n", "\\r\\n" or "\\r"


@dataclass
class Staged:
    """A file read into a staging table, ready to be mapped and planned.

    ``headers`` are the header cells made unique ("Notes", "Notes (2)"; an empty
    cell becomes "(column 5)"); mappings refer to these. ``sample`` is the first
    rows as read, under those headers, for a mapping screen.
    """

    filename: str
    encoding: str
    dialect: Dialect
    headers: list[str]
    raw_headers: list[str]
    header_line: int
    rows: int
    sample_rows: list[list]
    duplicate_headers: list[str]
    guess: dict[str, str]
    token: str
    path: Path
    size: int
    _tmpdir: Path | None = None
    _header_ord: int = 0
    _width: int = 0
    _columns: int = 0
    _reader_rejects: list[tuple[int, str, int]] = field(default_factory=list)
    _lines: tuple | None = None
    _odd_quotes: bool | None = False  # None: not counted yet

    def __post_init__(self) -> None:
        self._finalizer = None

    def _own(self, folder: Path) -> None:
        """Take charge of the temporary folder: it goes when this object does, even without discard()."""
        self._tmpdir = folder
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(folder), True)

    @property
    def table(self) -> str:
        return f"debrief_stage_{self.token}"

    @property
    def sample(self) -> pd.DataFrame:
        """The first rows as read (text, None for a missing field), under ``headers``."""
        import pandas as pd

        return pd.DataFrame(self.sample_rows, columns=self.headers, dtype="object")

    @property
    def delimiter_name(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(
            self.dialect.delimiter, repr(self.dialect.delimiter)
        )

    def close(self) -> None:
        """Remove the temporary copy of the file, if one was made."""
        if self._finalizer is not None:
            self._finalizer()
        self._tmpdir = None


@dataclass(frozen=True)
class ImportOptions:
    """How to read values. ``dayfirst`` None guesses from the file; ``scale`` is the ratings' scale, "LO-HI"."""

    dayfirst: bool | None = None
    scale: str = "1-5"
    strict: bool = False

    def scale_bounds(self) -> tuple[float, float]:
        return parse_scale(self.scale)


@dataclass(frozen=True)
class DateGuess:
    """What the file says about day-first dates like 05/03/2024."""

    dayfirst: bool
    source: str  # "option", "file" (a day above 12 settled it) or "default"
    ambiguous: bool  # numeric dates exist and nothing in the file settles the order
    conflicting: bool  # some dates only work day-first, others only month-first
    dayfirst_evidence: int  # dates whose first number is above 12
    monthfirst_evidence: int  # dates whose second number is above 12
    numeric_dates: int
    examples: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        order = "day-first (05/03/2024 = 5 March)" if self.dayfirst else "month-first (05/03/2024 = May 3)"
        if self.numeric_dates == 0:
            return ""
        if self.conflicting:
            return (
                f"The file mixes day-first and month-first dates ({self.dayfirst_evidence} only work day-first, "
                f"{self.monthfirst_evidence} only month-first); reading them {order}, the others are reported."
            )
        if self.ambiguous and self.source != "option":
            return (
                f"Dates like {', '.join(self.examples[:2]) or '05/03/2024'} could be either way; reading them {order}."
            )
        return f"Reading dates {order}."


@dataclass
class ImportPlan:
    """What an import would do; nothing has been written."""

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
    error_records: list[dict]  # {line, column, message}, by line
    preview_columns: list[str]
    preview_rows: list[tuple]
    dates: DateGuess
    lines_exact: bool
    unmapped_headers: list[str]
    token: str
    db_version: int = -1

    @property
    def can_import(self) -> bool:
        return self.rows_new > 0 and not (self.options.strict and self.rows_rejected)

    @property
    def errors(self) -> pd.DataFrame:
        """One row per problem: line (in the file), column (the file's header; None for the whole row), message."""
        return _errors_dataframe(self.error_records)

    @property
    def preview(self) -> pd.DataFrame:
        """The first valid rows as they will be stored, with the file line and a status."""
        import pandas as pd

        return pd.DataFrame(self.preview_rows, columns=self.preview_columns, dtype="object")

    def summary(self) -> dict:
        return {
            "file": self.staged.filename,
            "encoding": self.staged.encoding,
            "delimiter": self.staged.dialect.delimiter,
            "mapping": dict(self.mapping),
            "dayfirst": self.dates.dayfirst,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "interviews_added": self.interviews_added,
            "questions_added": self.questions_added,
            "errors": [dict(e) for e in self.error_records],
        }


@dataclass
class ImportResult:
    rows_read: int
    rows_imported: int
    rows_rejected: int
    rows_duplicate: int
    interviews_added: int
    questions_added: int
    categories_added: list[str]
    interview_ids: list[int]
    error_records: list[dict]

    @property
    def errors(self) -> pd.DataFrame:
        return _errors_dataframe(self.error_records)

    def to_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "interviews_added": self.interviews_added,
            "questions_added": self.questions_added,
            "categories_added": list(self.categories_added),
            "errors": [dict(e) for e in self.error_records],
        }


def _errors_dataframe(records: list[dict]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(records, columns=["line", "column", "message"])
    return frame.astype({"line": "int64", "column": "object", "message": "object"})


# --- small helpers ----------------------------------------------------------------------------


class _Sql(str):
    """SQL text this module generated from fixed lists; the only non-identifier ``_render`` accepts."""


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _render(template: str, **parts: str) -> str:
    """Fill ``{name}`` slots in ``template`` with identifiers or module-built ``_Sql`` fragments only."""
    for name, value in parts.items():
        if not isinstance(value, _Sql) and not _IDENT.match(value):
            raise ValueError(f"refusing to put {name}={value!r} into SQL")
    return template.format_map(parts)


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _run(con, sql: str, params: dict | None = None):
    """Execute ``sql`` binding only the named parameters it uses (DuckDB refuses extra ones)."""
    if not params:
        return con.execute(sql)
    used = set(_PARAM.findall(sql))
    return con.execute(sql, {k: v for k, v in params.items() if k in used})


def _report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)


def parse_scale(scale: str | tuple | None) -> tuple[float, float]:
    """ "1-10" -> (1.0, 10.0). Raises ValueError for anything that is not LO-HI with LO < HI."""
    if scale is None or scale == "":
        return (1.0, 5.0)
    if isinstance(scale, tuple):
        lo, hi = (float(x) for x in scale)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.)\s*(\d+(?:\.\d+)?)\s*", str(scale))
        if not match:
            raise ValueError(f"scale {scale!r} is not LOW-HIGH, e.g. 1-10 or 0-100")
        lo, hi = float(match[1]), float(match[2])
    if not lo < hi:
        raise ValueError(f"scale {scale!r}: the low end must be below the high end")
    return lo, hi


_SCALE_IN_HEADER = re.compile(
    r"(?:\(\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*\))|(?:/\s*(\d+)\b)|(?:out\s+of\s+(\d+))", re.IGNORECASE
)


def scale_from_header(header: str | None) -> str | None:
    """The rating scale a header names, as "LO-HI": "Score (1-10)" -> "1-10", "Rating /100" -> "0-100".

    None when the header says nothing about it (the values are then read as 1-5).
    """
    match = _SCALE_IN_HEADER.search(header or "")
    if not match:
        return None
    if match[1]:
        lo, hi = int(match[1]), int(match[2])
    else:
        hi = int(match[3] or match[4])
        lo = 0 if hi >= 100 else 1
    return f"{lo}-{hi}" if lo < hi else None


def _norm_header(text: str) -> str:
    text = str(text).replace("\ufeff", "").lower()
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _norm_word(text: str) -> str:
    """Python twin of ``_norm_word_sql``: lower case, runs of other characters to one space."""
    return " ".join(re.sub(r"[^a-z0-9/+?]+", " ", str(text).lower()).split())


def _norm_word_sql(expr: str) -> _Sql:
    return _Sql(f"trim(regexp_replace(lower({expr}), '[^a-z0-9/+?]+', ' ', 'g'))")


def _vocab_pairs(canon: tuple[str, ...], synonyms: dict[str, tuple[str, ...]]) -> tuple[list[str], list[int]]:
    """Keys and 1-based codes for a MAP from normalised words to positions in ``canon``."""
    table: dict[str, int] = {}
    for code, value in enumerate(canon, start=1):
        table[value.lower()] = code
        table[_norm_word(value)] = code
    for value, words in synonyms.items():
        for word in words:
            table.setdefault(word.lower(), canon.index(value) + 1)
            table.setdefault(_norm_word(word), canon.index(value) + 1)
    return list(table), list(table.values())


def _category_pairs() -> tuple[list[str], list[str]]:
    table: dict[str, str] = {}
    for value, words in CATEGORY_SYNONYMS.items():
        for word in words:
            table[" ".join(word.lower().split())] = value
    return list(table), list(table.values())


# --- reading the bytes ------------------------------------------------------------------------


@dataclass
class _Text:
    path: Path
    encoding: str
    size: int
    quotes: dict[bytes, int] | None
    verified: bool = True  # False: UTF-8 assumed from the start of a big file; DuckDB checks the rest


def _looks_binary(sample: str) -> bool:
    if not sample:
        return False
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) <= 0x9F)
    return bad > max(2, len(sample) // 100)


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _transcode(src: Path, dst: Path, encoding: str, skip: int = 0) -> dict[bytes, int]:
    """Decode ``src`` strictly as ``encoding`` and write it as UTF-8; count quote characters written."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    quotes = {b'"': 0}
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fin.seek(skip)
        while True:
            chunk = fin.read(_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if "\x00" in text:
                raise UnusableFile("This is not a text file: it contains NUL characters. Export your notes as CSV.")
            data = text.encode("utf-8")
            quotes[b'"'] += data.count(b'"')
            fout.write(data)
            if not chunk:
                break
    return quotes


def _odd(count: int, dialect: Dialect) -> bool:
    return bool(dialect.quote) and count % 2 == 1


def _count_quotes(path: Path, quote: str) -> int:
    needle = quote.encode()
    total = 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            total += chunk.count(needle)
    return total


def _check_utf8(path: Path, decode: bool = True) -> tuple[bool, dict[bytes, int]]:
    """Whether ``path`` is valid UTF-8 throughout, and its quote counts. Raises for NUL bytes.

    With ``decode`` False only the bytes are counted (DuckDB validates UTF-8 while reading).
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    quotes = {b'"': 0}
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    return False, quotes
                return True, quotes
            if b"\x00" in chunk:
                raise UnusableFile("This is not a text file: it contains NUL bytes. Export your notes as CSV.")
            quotes[b'"'] += chunk.count(b'"')
            if not decode or (chunk.isascii() and not decoder.getstate()[0]):
                continue
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False, quotes


_VERIFY_LIMIT = 16 * 1024 * 1024
_EXACT_LINES_LIMIT = 16 * 1024 * 1024  # files up to this size always get file line numbers in the preview


def _prepare_text(raw: Path, workdir: Callable[[], Path], *, not_utf8: bool = False) -> _Text:
    """Return a UTF-8 file DuckDB can read for ``raw``, transcoding into ``workdir()`` when needed.

    Files up to 16 MB are checked for UTF-8 here; bigger ones whose start is
    UTF-8 are left to DuckDB's own check (``not_utf8`` then forces the fallback).
    """
    size = raw.stat().st_size
    with open(raw, "rb") as f:
        head = f.read(65536)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnusableFile("The file is empty: there is no header and no rows.")
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig", None),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    )
    for bom, codec, label in boms:
        if head.startswith(bom):
            if codec == "utf-8-sig":
                break
            out = workdir() / "utf8.csv"
            try:
                quotes = _transcode(raw, out, codec, skip=len(bom))
            except UnicodeDecodeError as exc:
                raise UnusableFile(
                    f"The file starts with a {label.upper()} byte-order mark but is not valid {label.upper()} "
                    f"(bad bytes at position {exc.start}). Save it again as UTF-8 CSV."
                ) from None
            return _Text(out, f"{label} (BOM)", size, quotes)
    codec16 = None if head.startswith(codecs.BOM_UTF8) else _utf16_without_bom(head)
    if codec16:
        out = workdir() / "utf8.csv"
        try:
            quotes = _transcode(raw, out, codec16)
            return _Text(out, "utf-16", size, quotes)
        except UnicodeDecodeError:
            pass
    head_ok = True
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        head_ok = False
    if not_utf8 or not head_ok:
        valid, quotes = False, {}
    elif size <= _VERIFY_LIMIT:
        valid, quotes = _check_utf8(raw)
    else:
        # Big file that starts as UTF-8: DuckDB checks the rest while reading, and quotes are
        # counted only if the reader needs it (see _stage_table).
        valid, quotes = True, None
    if valid:
        if _looks_binary(head.decode("utf-8", errors="ignore")):
            raise UnusableFile("This is not a text file (it is full of control characters). Export your notes as CSV.")
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        return _Text(raw, encoding, size, quotes, verified=size <= _VERIFY_LIMIT)
    for codec in ("cp1252", "latin-1"):
        if _looks_binary(head.decode(codec, errors="replace")):
            continue
        out = workdir() / "utf8.csv"
        try:
            quotes = _transcode(raw, out, codec)
        except UnicodeDecodeError:
            continue
        return _Text(out, codec, size, quotes)
    raise UnusableFile("This is not a text file (it is full of control characters). Export your notes as CSV.")


# --- dialect, header and staging --------------------------------------------------------------


def _sniff(con, path: Path, **options) -> Dialect | None:
    args = "".join(f", {name} = ${name}" for name in options)
    try:
        row = _run(
            con,
            _render(
                "SELECT Delimiter, Quote, Escape, NewLineDelimiter, len(Columns) FROM sniff_csv($path{args})",
                args=_Sql(args),
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


def _read_options(dialect: Dialect) -> dict:
    return {
        "delim": dialect.delimiter,
        "quote": dialect.quote,
        "escape": dialect.escape,
        "new_line": dialect.newline,
        "nullstr": _NULLSTR,
    }


def _columns_struct(width: int) -> _Sql:
    return _Sql("{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}")


def _read_sample(con, path: Path, dialect: Dialect, width: int) -> list[tuple]:
    try:
        return _run(
            con,
            _render(
                "SELECT * FROM read_csv($path, header = false, auto_detect = false, delim = $delim, quote = $quote, "
                "escape = $escape, new_line = $new_line, nullstr = $nullstr, columns = {cols}, null_padding = true, "
                "parallel = false, strict_mode = false, ignore_errors = true) LIMIT $n",
                cols=_columns_struct(width),
            ),
            {"path": str(path), **_read_options(dialect), "n": _SAMPLE_ROWS},
        ).fetchall()
    except duckdb.Error:
        return []


def _cells(row: tuple) -> list[str]:
    cells = ["" if c is None else str(c).replace("\ufeff", "").strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _unique_headers(cells: list[str]) -> tuple[list[str], list[str]]:
    seen: dict[str, int] = {}
    out, dupes = [], []
    for index, cell in enumerate(cells, start=1):
        name = cell or f"(column {index})"
        key = name.lower()
        if key in seen:
            seen[key] += 1
            dupes.append(name)
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(name)
    return out, dupes


def _header_score(cells: list[str]) -> tuple[int, int]:
    if len([c for c in cells if c]) < 1:
        return (0, 0)
    mapping = guess_mapping(_unique_headers(cells)[0])
    required = sum(1 for f in REQUIRED if f in mapping)
    return (required, len(mapping))


def _find_header(rows: list[tuple]) -> tuple[int, list[str], tuple[int, int]]:
    best, best_score = -1, (0, 0)
    for index, row in enumerate(rows[:_HEADER_SEARCH]):
        score = _header_score(_cells(row))
        if score > best_score:
            best, best_score = index, score
    return best, (_cells(rows[best]) if best >= 0 else []), best_score


def _pick_dialect(con, path: Path) -> tuple[Dialect, int, list[tuple], int, list[str]]:
    """Sniff the dialect and find the header; try the sniffer with hints when its first answer maps nothing."""
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
        candidate = (score, dialect, columns, rows, index, cells)
        if best is None or score > best[0]:
            best = candidate
        if score[0] == len(REQUIRED) and score[1] >= 3:
            break
    if best is None:
        raise UnusableFile("DuckDB could not read this file as CSV/TSV. Check that it is a text export of a table.")
    score, dialect, columns, rows, index, cells = best
    if index < 0:
        first = next((_cells(r) for r in rows if _cells(r)), [])
        raise UnusableFile(
            "No header row could be mapped to Debrief's fields (date, company, role, stage, question, rating, ...). "
            f"The first row has: {', '.join(first[:20]) or '(nothing)'}.",
            headers=first,
        )
    return dialect, columns, rows, index, cells


def _stage_table(con, staged: Staged) -> None:
    """(Re)create ``staged``'s staging table on this connection from its UTF-8 file."""
    rejects, scans = f"debrief_rej_{staged.token}", f"debrief_scan_{staged.token}"
    # Not strict_mode=true: in DuckDB 2.0 it silently returns no rows for a CRLF file whose quoted
    # values hold a bare LF. The default still reports rows with too many fields and stray quotes.
    read = (
        "CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_csv($path, header = false, "
        "auto_detect = false, delim = $delim, quote = $quote, escape = $escape, new_line = $new_line, "
        "nullstr = $nullstr, columns = {cols}, null_padding = true, parallel = {parallel}, "
        "store_rejects = true, rejects_table = $rejects, rejects_scan = $scans)"
    )
    params = {"path": str(staged.path), **_read_options(staged.dialect), "rejects": rejects, "scans": scans}
    try:
        # The parallel reader is faster but refuses padded rows together with quoted newlines.
        for parallel in ("true", "false"):
            _run(con, _render("DROP TABLE IF EXISTS {t}", t=rejects))
            _run(con, _render("DROP TABLE IF EXISTS {t}", t=scans))
            try:
                sql = _render(read, table=staged.table, cols=_columns_struct(staged._columns), parallel=_Sql(parallel))
                _run(con, sql, params)
                break
            except duckdb.Error as exc:
                if parallel == "false" or "parallel" not in str(exc).lower():
                    raise
                # Quoted newlines: the sequential reader can drop the rest of a file after a quote that is
                # never closed, so count quotes to notice (the parallel reader reports it as a bad row).
                if staged._odd_quotes is None and staged.dialect.quote:
                    staged._odd_quotes = _odd(_count_quotes(staged.path, staged.dialect.quote), staged.dialect)
        found = _run(
            con,
            _render(
                "SELECT line, min(error_type), max(column_idx) FROM {t} GROUP BY line ORDER BY line",
                t=rejects,
            ),
        ).fetchall()
    except duckdb.Error as exc:
        raise UnusableFile(
            "This file could not be read as CSV: a quote may be left open, or the line endings are mixed. "
            f"Open it in a spreadsheet and save it again as CSV. (DuckDB said: {str(exc).splitlines()[0]})"
        ) from None
    finally:
        try:
            _run(con, _render("DROP TABLE IF EXISTS {t}", t=rejects))
            _run(con, _render("DROP TABLE IF EXISTS {t}", t=scans))
        except duckdb.Error:
            pass
    staged._reader_rejects = [(int(line), str(kind), int(col or 0)) for line, kind, col in found]
    if staged._odd_quotes is None:
        staged._odd_quotes = False


def _table_exists(con, name: str) -> bool:
    row = _run(
        con, "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = $name", {"name": name}
    ).fetchone()
    return bool(row and row[0])


def ensure_staged(con, staged: Staged) -> None:
    """Make sure ``staged``'s staging table exists on ``con`` (TEMP tables belong to one connection/cursor)."""
    if not _table_exists(con, staged.table):
        if not staged.path.exists():
            raise UnusableFile("The uploaded file is no longer available: upload it again.")
        _stage_table(con, staged)


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
    tmpdir: list[Path] = []

    def workdir() -> Path:
        if not tmpdir:
            # Inside the scratch folder: the app's sandboxed connections may read only there.
            tmpdir.append(Path(tempfile.mkdtemp(prefix="debrief-import-", dir=store.scratch_dir())))
        return tmpdir[0]

    try:
        _report(progress, 0.0, "Reading the file")
        if isinstance(data, bytes | bytearray | memoryview):
            raw = workdir() / "upload.bin"
            raw.write_bytes(bytes(data))
            name = filename or "upload.csv"
        else:
            raw = Path(data)
            name = filename or raw.name
            if not raw.is_file():
                raise UnusableFile(f"Cannot read {raw}: {'it is a folder' if raw.is_dir() else 'no such file'}.")
        try:
            text = _prepare_text(raw, workdir)
        except OSError as exc:
            raise UnusableFile(f"Cannot read {raw}: {exc.strerror or exc}.") from None
        try:
            staged = _stage_any(con, text, name, token, tmpdir, workdir, progress)
        except UnusableFile:
            if text.verified or _check_utf8(raw)[0]:
                raise
            staged = None
        if staged is None or (
            not text.verified and any(kind == "INVALID ENCODING" for _, kind, _ in staged._reader_rejects)
        ):
            # A big file that starts as UTF-8 but is not: read it again as cp1252/latin-1.
            if staged is not None:
                discard(con, staged)  # drops its tables; the folder is not its own yet
            text = _prepare_text(raw, workdir, not_utf8=True)
            staged = _stage_any(con, text, name, token, tmpdir, workdir, progress)
        if tmpdir:
            staged._own(tmpdir[0])
        _report(progress, 1.0, "File read")
        return staged
    except BaseException:
        for d in tmpdir:
            shutil.rmtree(d, ignore_errors=True)
        raise


def _newline_counts(path: Path) -> tuple[int, int, int]:
    """How many CRLF, bare LF and bare CR line ends the file has."""
    crlf = lf = cr = 0
    with open(path, "rb") as f:
        carry = b""
        while chunk := f.read(_CHUNK):
            chunk = carry + chunk
            carry = chunk[-1:] if chunk.endswith(b"\r") else b""
            body = chunk[:-1] if carry else chunk
            pairs = body.count(b"\r\n")
            crlf += pairs
            lf += body.count(b"\n") - pairs
            cr += body.count(b"\r") - pairs
        cr += len(carry)
    return crlf, lf, cr


def _normalise_newlines(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` with every CRLF and bare CR written as LF."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        carry = b""
        while chunk := fin.read(_CHUNK):
            chunk = carry + chunk
            carry = chunk[-1:] if chunk.endswith(b"\r") else b""
            body = chunk[:-1] if carry else chunk
            fout.write(body.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
        fout.write(carry.replace(b"\r", b"\n"))


def _stage_any(con, text: _Text, name, token, tmpdir, workdir, progress) -> Staged:
    """``_stage_text``, and once more with line ends made uniform when mixed ones defeat DuckDB's reader.

    DuckDB 2.0 cannot read a file that mixes CRLF and LF line ends ("state machine reached an invalid
    state"). The fallback writes LF everywhere, which also turns a CRLF inside a quoted value into LF.
    """
    try:
        return _stage_text(con, text, name, token, tmpdir, progress)
    except UnusableFile:
        crlf, lf, cr = _newline_counts(text.path)
        if sum(1 for n in (crlf, lf, cr) if n) < 2:
            raise
        fixed = workdir() / "newlines.csv"
        _normalise_newlines(text.path, fixed)
        return _stage_text(con, replace(text, path=fixed), name, token, tmpdir, progress)


def _stage_text(con, text: _Text, name: str, token: str, tmpdir: list[Path], progress: Progress | None) -> Staged:
    """Sniff, find the header and stage the UTF-8 text of a file."""
    _report(progress, 0.3, "Detecting the layout")
    dialect, columns, rows, header_index, cells = _pick_dialect(con, text.path)
    width = len(cells)
    headers, dupes = _unique_headers(cells)
    staged = Staged(
        filename=name,
        encoding=text.encoding,
        dialect=dialect,
        headers=headers,
        raw_headers=cells,
        header_line=header_index + 1,
        rows=0,
        sample_rows=[],
        duplicate_headers=dupes,
        guess=guess_mapping(headers),
        token=token,
        path=text.path,
        size=text.size,
        _header_ord=header_index,
        _width=width,
        _columns=width + 1,
        _odd_quotes=None if text.quotes is None else _odd(text.quotes.get(dialect.quote.encode(), 0), dialect),
    )
    _report(progress, 0.4, "Loading rows")
    try:
        _stage_table(con, staged)
    except UnusableFile:
        if dialect.quote == '"':
            raise
        # The sniffer's unusual quote did not hold up over the whole file: fall back to standard CSV quoting.
        staged.dialect = replace(dialect, quote='"', escape='"')
        _stage_table(con, staged)
    (count,) = _run(con, _render("SELECT count(*) FROM {t}", t=staged.table)).fetchone()
    staged.rows = max(0, count - header_index - 1)
    if staged.rows == 0 and not staged._reader_rejects:
        raise UnusableFile(
            f"The file has a header row ({', '.join(headers[:20])}) but no rows below it.", headers=headers
        )
    sample_rows = [list(r[:width]) for r in rows[header_index + 1 : header_index + 21]]
    staged.sample_rows = sample_rows
    if staged.header_line > 1 or staged._odd_quotes:
        lines = _line_map(con, staged)
        if lines is not None:
            staged.header_line = int(lines[0][header_index]) if len(lines[0]) > header_index else staged.header_line
    return staged


def discard(con: duckdb.DuckDBPyConnection | None, staged: Staged) -> None:
    """Drop ``staged``'s tables on ``con`` and remove its temporary files."""
    if con is not None:
        for name in _table_names(con, staged.token):
            _run(con, _render("DROP TABLE IF EXISTS {t}", t=name))
    staged.close()


def _drop_plan_tables(con, token: str, plan_token: str | None = None) -> None:
    """Drop the per-plan tables (final, classification) of a staged file, or of one plan."""
    for name in _table_names(con, plan_token or token):
        if name.startswith(("debrief_final_", "debrief_cls_")):
            _run(con, _render("DROP TABLE IF EXISTS {t}", t=name))


def _table_names(con, token: str) -> list[str]:
    rows = _run(
        con, "SELECT table_name FROM duckdb_tables() WHERE temporary AND contains(table_name, $token)", {"token": token}
    ).fetchall()
    return [r[0] for r in rows if _IDENT.match(r[0])]


# --- physical line numbers --------------------------------------------------------------------


def _record_lines(path: Path, dialect: Dialect) -> tuple[np.ndarray, np.ndarray, bool]:
    """Physical start line of every record in the file, whether each is blank, and whether a quote is left open.

    Vectorised over 4 MB chunks: a newline ends a record when an even number of
    (unescaped) quote characters precede it.
    """
    import numpy as np

    newline = b"\r" if dialect.newline == "\\r" else b"\n"
    nl_byte = newline[0]
    q = ord(dialect.quote) if dialect.quote else None
    esc = ord(dialect.escape) if dialect.escape and dialect.escape != dialect.quote else None
    ends, ordinal_of_end, cr_before = [], [], []
    parity = 0
    newlines_before = 0
    offset = 0
    last_byte = -1
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            a = np.frombuffer(chunk, dtype=np.uint8)
            nl = np.flatnonzero(a == nl_byte)
            if q is not None:
                qs = np.flatnonzero(a == q)
                if esc is not None and len(qs):
                    prev = np.where(qs > 0, a[np.maximum(qs - 1, 0)], last_byte)
                    qs = qs[prev != esc]
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
        starts, lines, blank = starts[:-1], lines[:-1], blank[:-1]
    return lines.astype(np.int64), blank, bool(parity)


def _line_map(con, staged: Staged):
    """(lines of staged rows by rowid, lines of reader rejects by DuckDB record number, exact?, lost tail line)."""
    if staged._lines is not None:
        return staged._lines
    import numpy as np

    (count,) = _run(con, _render("SELECT count(*) FROM {t}", t=staged.table)).fetchone()
    lines, blank, open_quote = _record_lines(staged.path, staged.dialect)
    rejected = {k for k, _, _ in staged._reader_rejects}
    index = np.arange(len(lines))
    keep = ~blank & ~np.isin(index + 1, np.fromiter(rejected, dtype=np.int64, count=len(rejected)))
    candidates = lines[keep]
    lost_tail = None
    if open_quote and len(candidates) == count + 1:
        lost_tail = int(candidates[-1])
        candidates = candidates[:-1]
    if len(candidates) == count:
        reject_lines = {k: int(lines[k - 1]) if 0 < k <= len(lines) else k for k in rejected}
        staged._lines = (candidates, reject_lines, True, lost_tail)
    else:
        # The file breaks CSV rules in a way DuckDB tolerates and a quote count does not;
        # fall back to row order plus the newlines inside values.
        staged._lines = (_approximate_lines(con, staged), {k: k for k in rejected}, False, lost_tail)
    return staged._lines


def _approximate_lines(con, staged: Staged) -> np.ndarray:
    import numpy as np

    width = staged._columns
    newlines = " + ".join(f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)" for i in range(width))
    rows = _run(
        con,
        _render(
            "SELECT 1 + rowid + coalesce(sum({nl}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
            "FROM {t} ORDER BY rowid",
            nl=_Sql(newlines),
            t=staged.table,
        ),
    ).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


# --- mapping ----------------------------------------------------------------------------------


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Map Debrief's fields to the file's headers: exact field names first, then synonyms, then close matches.

    Case, punctuation and bracketed remarks ("Date (dd/mm)") are ignored. Each
    header maps to at most one field and each field to at most one header.
    """
    normalised = [_norm_header(h) for h in headers]
    mapping: dict[str, str] = {}
    used: set[int] = set()

    def claim(fld: str, index: int) -> None:
        mapping[fld] = headers[index]
        used.add(index)

    for fld in FIELDS:  # canonical names, e.g. "decided_on" or "Decided on"
        target = _norm_header(fld)
        for i, norm in enumerate(normalised):
            if i not in used and norm == target:
                claim(fld, i)
                break
    for fld in FIELDS:
        if fld in mapping:
            continue
        names = {_norm_header(s) for s in HEADER_SYNONYMS.get(fld, ())}
        for i, norm in enumerate(normalised):
            if i not in used and norm in names:
                claim(fld, i)
                break
    # Close matches: a field name or synonym as whole words inside a longer header, earliest words first.
    for i, norm in enumerate(normalised):
        if i in used or not norm:
            continue
        words = norm.split()
        best = None
        for fld in FIELDS:
            if fld in mapping:
                continue
            for synonym in (_norm_header(fld), *(_norm_header(s) for s in HEADER_SYNONYMS.get(fld, ()))):
                sw = synonym.split()
                if not sw or len(sw[0]) < 3 and len(sw) == 1:
                    continue
                for start in range(len(words) - len(sw) + 1):
                    if words[start : start + len(sw)] == sw:
                        score = (len(sw), -start)
                        if best is None or score > best[0]:
                            best = (score, fld)
                        break
        if best is not None:
            claim(best[1], i)
    return {f: mapping[f] for f in FIELDS if f in mapping}


def _resolve_mapping(staged: Staged, mapping: dict[str, str] | None) -> dict[str, int]:
    """Check a field -> header mapping against the file; return field -> staged column index."""
    chosen = dict(staged.guess if mapping is None else mapping)
    by_name = {h: i for i, h in enumerate(staged.headers)}
    by_lower = {}
    for i, h in enumerate(staged.headers):
        by_lower.setdefault(h.strip().lower(), i)
    columns: dict[str, int] = {}
    taken: dict[int, str] = {}
    for fld, header in chosen.items():
        if fld not in FIELDS:
            raise MappingError(
                f"There is no field called {fld!r}. Fields: {', '.join(FIELDS)}.", headers=staged.headers
            )
        if header is None or str(header).strip() == "":
            continue
        index = by_name.get(header, by_lower.get(str(header).strip().lower()))
        if index is None:
            raise MappingError(
                f"The file has no column {header!r} (for {fld}). Headers found: {', '.join(staged.headers)}.",
                headers=staged.headers,
            )
        if index in taken:
            raise MappingError(
                f"Column {staged.headers[index]!r} is mapped to both {taken[index]} and {fld}; pick one.",
                headers=staged.headers,
            )
        taken[index] = fld
        columns[fld] = index
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = " and ".join(FIELD_LABELS[f] for f in missing)
        raise UnusableFile(
            f"Required column missing: no column for {names}. Headers found: {', '.join(staged.headers)}. "
            f"Rename a column or map it (e.g. --map {missing[0]}=HEADER).",
            headers=staged.headers,
        )
    return columns


# --- SQL for parsing --------------------------------------------------------------------------


_KEEP_FIELDS = frozenset(
    {
        "role_notes",
        "company_notes",
        "people_notes",
        "culture_notes",
        "questions_to_ask",
        "clarify",
        "better_answer",
        "notes",
    }
)


def _edge_ws(x: str) -> str:
    """SQL: ``x`` may start or end with whitespace (first/last character at most a space).

    Cheap tests that let most values skip ``trim``, which is slow on long text;
    ``IN (...)`` lists are avoided because DuckDB turns them into joins.
    """
    return f"(ascii({x}) <= 32 OR ascii(substr({x}, length({x}), 1)) <= 32)"


def _is_blank(x: str) -> str:
    # CASE, not OR/AND: DuckDB evaluates every operand of a conjunction, and trim() is slow on long text.
    return (
        f"(CASE WHEN {x} IS NULL OR {x} = '' THEN true WHEN ascii({x}) <= 32 THEN trim({x}, {_WS}) = '' ELSE false END)"
    )


_FORMULA_QUOTED = "^''+[=+\\-@\\t\\r]"


def _text_expr(col: str, keep: bool) -> str:
    """SQL: a staged cell as stored.

    The export's anti-formula quote is removed (one ' before =, +, -, @, tab or
    CR); the text is stripped unless ``keep`` (free-text notes); blank is NULL.
    """
    unquoted = f"substr({col}, 2)"
    quoted = f"starts_with({col}, '''') AND regexp_matches({col}, '{_FORMULA_QUOTED}')"
    if keep:
        return (
            f"(CASE WHEN {col} IS NULL OR {col} = '' THEN NULL WHEN {quoted} THEN {unquoted} "
            f"WHEN ascii({col}) <= 32 THEN (CASE WHEN trim({col}, {_WS}) = '' THEN NULL ELSE {col} END) "
            f"ELSE {col} END)"
        )
    return (
        f"(CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
        f"WHEN {quoted} THEN nullif(trim({unquoted}, {_WS}), '') "
        f"WHEN {_edge_ws(col)} THEN nullif(trim({col}, {_WS}), '') ELSE {col} END)"
    )


def _text_layers(columns: dict[str, int], fields, stage: str, extra: str = "", where: str = "") -> str:
    """A derived table over the staging table: ``ord`` and ``t_<field>`` (see ``_text_expr``) for ``fields``."""
    items = ["s.rowid AS ord"]
    for fld in fields:
        if fld not in columns:
            items.append(f"NULL::VARCHAR AS t_{fld}")
        else:
            items.append(f"{_text_expr(f's.c{columns[fld]}', fld in _KEEP_FIELDS)} AS t_{fld}")
    if extra:
        items.append(extra)
    return _render(
        "(SELECT {items} FROM {stage} s {where})", items=_Sql(", ".join(items)), stage=stage, where=_Sql(where)
    )


def _key_sql(text: str, stripped: bool = False) -> str:
    """SQL: lower case, trimmed, runs of whitespace as one space; the same for file and database values.

    The regular expression runs only on values that need it (cheap byte tests first).
    """
    x = f"coalesce({text}, '')"
    tests = [f"contains({x}, '  ')", *(f"contains({x}, chr({c}))" for c in (9, 10, 11, 12, 13))]
    if not stripped:
        tests.insert(0, _edge_ws(x))
    return f"lower(CASE WHEN {' OR '.join(tests)} THEN trim(regexp_replace({x}, '\\s+', ' ', 'g'), {_WS}) ELSE {x} END)"


def _qhash_sql(text: str, stripped: bool = False) -> str:
    return f"hash({_key_sql(text, stripped)})"


def _company_role_hash(company: str, role: str, stripped: bool = False) -> str:
    return f"hash({_key_sql(company, stripped)}, {_key_sql(role, stripped)})"


_DM_PATTERN = "^(\\d{1,2})[./-](\\d{1,2})[./-](\\d{4}|\\d{2})$"
_ISO_PATTERN = "^(\\d{4}-\\d{1,2}-\\d{1,2})([T ].*)?$"


def _date_layer2(x: str, p: str) -> list[str]:
    """First pass over a date's text: the unambiguous forms, and the numbers of a D/M/Y form."""
    named = "[" + ", ".join(f"'{f}'" for f in NAMED_DATE_FORMATS) + "]"
    cleaned = (
        f"regexp_replace(regexp_replace(regexp_replace(regexp_replace({x}, "
        f"'^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+', '', 'i'), "
        f"'(\\d)(st|nd|rd|th)\\b', '\\1', 'gi'), '\\bsept\\b', 'Sep', 'gi'), '\\s+', ' ', 'g')"
    )
    # 2024-03-05 is by far the commonest form: a plain cast, no regular expression.
    iso_quick = f"length({x}) = 10 AND substr({x}, 5, 1) = '-' AND substr({x}, 8, 1) = '-'"
    return [
        f"{x} IS NOT NULL AS {p}_present",
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {iso_quick} THEN TRY_CAST({x} AS DATE) "
        f"WHEN regexp_matches({x}, '{_ISO_PATTERN}') "
        f"THEN try_strptime(regexp_extract({x}, '{_ISO_PATTERN}', 1), '%Y-%m-%d')::DATE "
        f"WHEN regexp_matches({x}, '^\\d{{4}}[/.]\\d{{1,2}}[/.]\\d{{1,2}}$') "
        f"THEN try_strptime(regexp_replace({x}, '[/.]', '-', 'g'), '%Y-%m-%d')::DATE "
        f"WHEN regexp_matches({x}, '[A-Za-z]') THEN try_strptime({cleaned}, {named})::DATE "
        f"END AS {p}_fixed",
        f"CASE WHEN {x} IS NULL OR ({iso_quick}) THEN NULL WHEN regexp_matches({x}, '{_DM_PATTERN}') "
        f"THEN regexp_extract({x}, '{_DM_PATTERN}', ['a', 'b', 'y']) END AS {p}_parts",
        f"CASE WHEN {x} IS NULL OR ({iso_quick}) THEN NULL WHEN regexp_matches({x}, '{_DM_PATTERN}') "
        f"THEN contains({x}, '.') END AS {p}_dot",
    ]


def _date_layer3(p: str) -> list[str]:
    """Second pass: both readings of a D/M/Y date, chosen later by the day-first option."""
    year = (
        f"(CASE WHEN length({p}_parts.y) = 2 THEN 2000 + TRY_CAST({p}_parts.y AS INTEGER) "
        f"ELSE TRY_CAST({p}_parts.y AS INTEGER) END)"
    )
    a, b = f"TRY_CAST({p}_parts.a AS INTEGER)", f"TRY_CAST({p}_parts.b AS INTEGER)"
    return [
        f"{a} AS {p}_a",
        f"{b} AS {p}_b",
        f"try(make_date({year}, {b}, {a})) AS {p}_dmy",
        f"try(make_date({year}, {a}, {b})) AS {p}_mdy",
    ]


def _time_sql(x: str) -> str:
    formats = "[" + ", ".join(f"'{f}'" for f in TIME_FORMATS) + "]"
    return (
        f"coalesce(TRY_CAST({x} AS TIME), "
        f"try_strptime(upper(regexp_replace(replace({x}, '.', ''), '\\s+', ' ', 'g')), {formats})::TIME, "
        f"try_strptime({x}, {formats})::TIME)"
    )


def _rating_layer2(x: str) -> list[str]:
    words = "[" + ", ".join(f"'{w}'" for w in RATING_WORDS) + "]"
    num = "^[+]?\\d+([.,]\\d+)?$"
    frac = "^(\\d+(?:[.,]\\d+)?)\\s*/\\s*(\\d+(?:[.,]\\d+)?)$"
    label = "^([1-5])\\s*(–|-|—|:|=)\\s*\\D"
    stars = "^[★*]{1,5}$"
    # Plain numbers first with a cast (starting with a digit keeps out "nan" and "inf").
    quick = f"ascii({x}) BETWEEN 48 AND 57 AND TRY_CAST({x} AS DOUBLE) IS NOT NULL"
    kind = (
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {quick} THEN 'n' WHEN regexp_matches({x}, '{num}') THEN 'n' "
        f"WHEN regexp_matches({x}, '{frac}') THEN 'f' WHEN regexp_matches({x}, '{label}') THEN 'l' "
        f"WHEN list_contains({words}, lower({x})) THEN 'w' WHEN regexp_matches({x}, '{stars}') THEN 's' END"
    )
    return [
        f"{x} IS NOT NULL AS rating_present",
        f"{kind} AS rating_kind",
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {quick} THEN TRY_CAST({x} AS DOUBLE) "
        f"WHEN regexp_matches({x}, '{num}') THEN TRY_CAST(replace({x}, ',', '.') AS DOUBLE) "
        f"WHEN regexp_matches({x}, '{frac}') THEN TRY_CAST(replace(regexp_extract({x}, '{frac}', 1), ',', '.') AS DOUBLE) "
        f"WHEN regexp_matches({x}, '{label}') THEN TRY_CAST(left({x}, 1) AS DOUBLE) "
        f"WHEN list_contains({words}, lower({x})) THEN list_position({words}, lower({x}))::DOUBLE "
        f"WHEN regexp_matches({x}, '{stars}') THEN length({x})::DOUBLE END AS rating_num",
        f"CASE WHEN {x} IS NULL OR ({quick}) THEN NULL WHEN regexp_matches({x}, '{frac}') "
        f"THEN TRY_CAST(replace(regexp_extract({x}, '{frac}', 2), ',', '.') AS DOUBLE) END AS rating_den",
    ]


INTERVIEW_TEXT_FIELDS = (
    "company",
    "role",
    "interviewers",
    "recruiter",
    "role_notes",
    "company_notes",
    "people_notes",
    "culture_notes",
    "questions_to_ask",
)


# Fields parsed once per distinct cell value (dates, ratings and words repeat a lot) through small lookup
# tables joined back on the raw cell, and the columns each lookup provides.
_LOOKUP_COLUMNS = {
    "date": ("d_present", "d_fixed", "d_a", "d_b", "d_dot", "d_dmy", "d_mdy"),
    "decided_on": ("o_present", "o_fixed", "o_a", "o_b", "o_dot", "o_dmy", "o_mdy"),
    "time": ("time_present", "time_v"),
    "rating": ("rating_present", "rating_kind", "rating_num", "rating_den"),
    "stage": ("stage_present", "stage_code"),
    "format": ("format_present", "format_code"),
    "outcome": ("outcome_present", "outcome_code"),
    "reaction": ("reaction_present", "reaction_code"),
    "category": ("category_present", "category_v"),
}
_LOOKUP_TYPES = {
    "present": "BOOLEAN",
    "fixed": "DATE",
    "a": "INTEGER",
    "b": "INTEGER",
    "dot": "BOOLEAN",
    "dmy": "DATE",
    "mdy": "DATE",
    "time_v": "TIME",
    "rating_kind": "VARCHAR",
    "rating_num": "DOUBLE",
    "rating_den": "DOUBLE",
    "code": "TINYINT",
    "category_v": "VARCHAR",
}


def _lookup_type(column: str) -> str:
    for suffix, kind in _LOOKUP_TYPES.items():
        if column == suffix or column.endswith("_" + suffix):
            return kind
    raise KeyError(column)


def _lookup_exprs(fld: str) -> list[str]:
    """SQL over ``x`` (the cleaned text of one distinct cell) for a field's lookup columns."""
    if fld in ("date", "decided_on"):
        p = "d" if fld == "date" else "o"
        return _date_layer2("x", p)
    if fld == "time":
        return ["x IS NOT NULL AS time_present", f"{_time_sql('x')} AS time_v"]
    if fld == "rating":
        return _rating_layer2("x")
    if fld == "category":
        category = _key_sql("x", stripped=True)
        return [
            "x IS NOT NULL AS category_present",
            f"coalesce(map_extract_value(MAP($cat_k, $cat_v), {category}), {category}) AS category_v",
        ]
    lookup = f"map_extract_value(MAP(${fld}_k, ${fld}_v), {{}})"
    # The exact spelling first; the regular-expression tidy-up only for values that miss.
    return [
        f"x IS NOT NULL AS {fld}_present",
        f"coalesce({lookup.format('lower(x)')}, {lookup.format(_norm_word_sql('x'))})::TINYINT AS {fld}_code",
    ]


def _lookup_name(staged: Staged, fld: str, index: int) -> str:
    return f"debrief_lk_{staged.token}_{fld}_c{index}"


def _ensure_lookups(con, staged: Staged, columns: dict[str, int]) -> None:
    """Create (once per staging table and column) the lookup of every distinct value of the parsed fields."""
    params = {"header": staged._header_ord, **_vocab_params()}
    for fld in _LOOKUP_COLUMNS:
        if fld not in columns or _table_exists(con, _lookup_name(staged, fld, columns[fld])):
            continue
        exprs = _lookup_exprs(fld)
        inner = _render(
            "SELECT raw, n, {x} AS x FROM (SELECT s.c{i} AS raw, count(*) AS n FROM {stage} s "
            "WHERE s.rowid > $header AND s.c{i} IS NOT NULL GROUP BY s.c{i})",
            x=_Sql(_text_expr("raw", fld in _KEEP_FIELDS)),
            i=_Sql(str(columns[fld])),
            stage=staged.table,
        )
        if fld in ("date", "decided_on"):
            p = "d" if fld == "date" else "o"
            select = _render(
                "SELECT * EXCLUDE ({p}_parts), {layer3} FROM (SELECT raw, n, {exprs} FROM ({inner}))",
                p=p,
                layer3=_Sql(", ".join(_date_layer3(p))),
                exprs=_Sql(", ".join(exprs)),
                inner=_Sql(inner),
            )
        else:
            select = _render("SELECT raw, n, {exprs} FROM ({inner})", exprs=_Sql(", ".join(exprs)), inner=_Sql(inner))
        _run(
            con,
            _render(
                "CREATE OR REPLACE TEMP TABLE {name} AS {select}",
                name=_lookup_name(staged, fld, columns[fld]),
                select=_Sql(select),
            ),
            params,
        )


def _parsed_select(columns: dict[str, int], staged: Staged, only: str = "") -> _Sql:
    """A derived table: one row per non-blank data row with every value parsed, both readings of D/M/Y dates.

    Needs ``_ensure_lookups`` first, and the parameter $header. ``only`` narrows
    the staged rows (a condition on ``s.rowid``).
    """
    w = staged._columns
    # CASE chains stop at the first filled cell; AND/OR would evaluate every operand for every row.
    blank = "CASE " + " ".join(f"WHEN NOT {_is_blank(f's.c{i}')} THEN false" for i in range(w)) + " ELSE true END"
    short = " OR ".join(f"s.c{i} IS NULL" for i in sorted(set(columns.values()))) or "false"
    long_ = " OR ".join(f"coalesce(s.c{i}, '') <> ''" for i in range(staged._width, w)) or "false"
    detail_cols = [columns[x] for x in QUESTION_FIELDS if x != "question" and x in columns]
    details = (
        "CASE " + " ".join(f"WHEN NOT {_is_blank(f's.c{i}')} THEN true" for i in detail_cols) + " ELSE false END"
        if detail_cols
        else ""
    )
    items = [
        "s.rowid AS ord",
        f"({blank}) AS blank_row",
        f"({short}) AS short_row",
        f"({long_}) AS long_row",
        f"({details or 'false'}) AS question_details",
    ]
    for fld in ("company", "role", "question"):
        items.append(f"{_text_expr(f's.c{columns[fld]}', False)} AS t_{fld}" if fld in columns else f"NULL AS t_{fld}")
    for fld in _LOOKUP_COLUMNS:
        if fld in columns:
            items.append(f"s.c{columns[fld]} AS r_{fld}")
    where = "WHERE s.rowid > $header" + (f" AND {only}" if only else "")
    joins, outer = (
        [],
        [
            "b.ord",
            "b.short_row",
            "b.long_row",
            "b.question_details",
            "b.t_company IS NOT NULL AS company_present",
            f"{_company_role_hash('b.t_company', 'b.t_role', stripped=True)} AS ck",
            "b.t_question IS NOT NULL AS question_present",
            f"CASE WHEN b.t_question IS NOT NULL THEN {_qhash_sql('b.t_question', stripped=True)} END AS qh",
        ],
    )
    for n, (fld, names) in enumerate(_LOOKUP_COLUMNS.items()):
        if fld in columns:
            alias = f"l{n}"
            joins.append(f"LEFT JOIN {_lookup_name(staged, fld, columns[fld])} {alias} ON {alias}.raw = b.r_{fld}")
            for name in names:
                value = f"coalesce({alias}.{name}, false)" if name.endswith("_present") else f"{alias}.{name}"
                outer.append(f"{value} AS {name}")
        else:
            for name in names:
                outer.append(
                    f"false AS {name}" if name.endswith("_present") else f"NULL::{_lookup_type(name)} AS {name}"
                )
    return _Sql(
        _render(
            "(SELECT {outer} FROM (SELECT {items} FROM {stage} s {where}) b {joins} WHERE NOT b.blank_row)",
            outer=_Sql(", ".join(outer)),
            items=_Sql(", ".join(items)),
            stage=staged.table,
            where=_Sql(where),
            joins=_Sql(" ".join(joins)),
        )
    )


def _vocab_params() -> dict:
    params = {}
    for name, canon, synonyms in (
        ("stage", STAGES, STAGE_SYNONYMS),
        ("format", FORMATS, FORMAT_SYNONYMS),
        ("outcome", OUTCOMES, OUTCOME_SYNONYMS),
        ("reaction", REACTIONS, REACTION_SYNONYMS),
    ):
        keys, codes = _vocab_pairs(canon, synonyms)
        params[f"{name}_k"], params[f"{name}_v"] = keys, codes
    params["cat_k"], params["cat_v"] = _category_pairs()
    return params


def _final_sql(parsed: _Sql, final: str) -> str:
    """CREATE the final table: options applied ($dayfirst, $lo, $hi), problems as a bit mask, keys."""
    b = _BIT
    return _render(
        """
CREATE OR REPLACE TEMP TABLE {final} AS
WITH v AS (
  SELECT *,
    coalesce(d_fixed, CASE WHEN $dayfirst THEN d_dmy ELSE d_mdy END) AS date_v,
    coalesce(o_fixed, CASE WHEN $dayfirst THEN o_dmy ELSE o_mdy END) AS decided_v,
    CASE rating_kind
      WHEN 'n' THEN CASE WHEN rating_num BETWEEN $lo AND $hi THEN 1 + (rating_num - $lo) * 4 / ($hi - $lo) END
      WHEN 'f' THEN CASE WHEN rating_den > 1 AND rating_num BETWEEN 0 AND rating_den THEN
                      CASE WHEN rating_den > 10 THEN 1 + rating_num * 4 / rating_den
                           ELSE 1 + (rating_num - 1) * 4 / (rating_den - 1) END END
      ELSE rating_num END AS rating_x
  FROM {parsed}
)
SELECT ord, date_v, decided_v, time_v, stage_code, format_code, outcome_code, reaction_code, category_v, qh,
  CASE WHEN rating_x IS NOT NULL THEN least(5, greatest(1, floor(rating_x + 0.5)))::TINYINT END AS rating_v,
  hash(date_v, ck, coalesce($stages[stage_code], 'other')) AS ikey,
  CASE WHEN short_row THEN {short_row} WHEN long_row THEN {long_row} ELSE
    (CASE WHEN NOT d_present THEN {date_missing} WHEN date_v IS NULL THEN {date_bad} ELSE 0 END)
  | (CASE WHEN NOT company_present THEN {company_missing} ELSE 0 END)
  | (CASE WHEN time_present AND time_v IS NULL THEN {time_bad} ELSE 0 END)
  | (CASE WHEN stage_present AND stage_code IS NULL THEN {stage_bad} ELSE 0 END)
  | (CASE WHEN format_present AND format_code IS NULL THEN {format_bad} ELSE 0 END)
  | (CASE WHEN outcome_present AND outcome_code IS NULL THEN {outcome_bad} ELSE 0 END)
  | (CASE WHEN o_present AND decided_v IS NULL THEN {decided_bad}
          WHEN decided_v < date_v THEN {decided_early} ELSE 0 END)
  | (CASE WHEN rating_present AND rating_kind IS NULL THEN {rating_bad}
          WHEN rating_kind IS NOT NULL AND rating_x IS NULL THEN {rating_range} ELSE 0 END)
  | (CASE WHEN reaction_present AND reaction_code IS NULL THEN {reaction_bad} ELSE 0 END)
  | (CASE WHEN length(category_v) > 40 THEN {category_long} ELSE 0 END)
  | (CASE WHEN NOT question_present AND question_details THEN {question_missing} ELSE 0 END) END AS problems
FROM v
""",
        final=final,
        parsed=parsed,
        **{k: _Sql(str(v)) for k, v in b.items()},
    )


# --- planning ---------------------------------------------------------------------------------


def _date_guess(con, staged: Staged, columns: dict[str, int], options: ImportOptions) -> DateGuess:
    """Decide day-first vs month-first for D/M/Y dates: the option, else the file (a number above 12 settles it).

    Reads the date lookups (one row per distinct value, with its row count); needs ``_ensure_lookups``.
    """
    if options.dayfirst is not None:
        return DateGuess(options.dayfirst, "option", False, False, 0, 0, 0)
    parts = []
    for fld, p, which in (("date", "d", 0), ("decided_on", "o", 1)):
        if fld in columns:
            parts.append(
                _render(
                    "SELECT raw, n, {p}_a AS a, {p}_b AS b, {p}_dmy AS dmy, {p}_mdy AS mdy, {p}_dot AS dot, "
                    "{which} AS which FROM {lookup} WHERE {p}_a IS NOT NULL",
                    p=p,
                    which=_Sql(str(which)),
                    lookup=_lookup_name(staged, fld, columns[fld]),
                )
            )
    if not parts:
        return DateGuess(False, "default", False, False, 0, 0, 0)
    row = _run(
        con,
        _render(
            """
SELECT sum(n) FILTER (WHERE a > 12 AND dmy IS NOT NULL),
       sum(n) FILTER (WHERE b > 12 AND mdy IS NOT NULL),
       sum(n),
       sum(n) FILTER (WHERE a <= 12 AND b <= 12 AND a <> b),
       sum(n) FILTER (WHERE dot),
       list(trim(raw) ORDER BY raw) FILTER (WHERE a <= 12 AND b <= 12 AND a <> b AND which = 0)[1:3]
FROM ({parts})
""",
            parts=_Sql(" UNION ALL ".join(parts)),
        ),
    ).fetchone()
    day, month, numeric, ambiguous_count, dotted = (int(x or 0) for x in row[:5])
    examples = tuple(row[5] or ())
    conflicting = day > 0 and month > 0
    if day or month:
        dayfirst, source = day >= month, "file"
    else:
        # Nothing settles it: dotted dates (05.03.2024) are day-first by convention, slashes month-first.
        dayfirst, source = dotted * 2 > numeric, "default"
    ambiguous = numeric > 0 and day == 0 and month == 0 and ambiguous_count > 0
    return DateGuess(dayfirst, source, ambiguous, conflicting, day, month, numeric, examples)


def _problem_messages(columns: dict[str, int], headers: list[str], staged: Staged, lo: float, hi: float) -> list:
    """(bit, header or None, message SQL over s.* and f.*) for each problem."""

    def raw(fld: str) -> str:
        if fld not in columns:
            return "''"
        return f"left({_text_expr(f's.c{columns[fld]}', False)}, 60)"

    def header(fld: str | None) -> str | None:
        return headers[columns[fld]] if fld in columns else None

    scale = f"{lo:g}-{hi:g}"
    width = staged._width
    nfields = " + ".join(f"(s.c{i} IS NOT NULL)::INTEGER" for i in range(staged._columns))
    nonempty = " + ".join(f"(coalesce(s.c{i}, '') <> '')::INTEGER" for i in range(staged._columns))
    stage_list = ", ".join(STAGES)
    messages = {
        "short_row": f"format('This row has {{}} fields but the header has {width}: a delimiter or quote may be missing.', {nfields})",
        "long_row": f"format('This row has {{}} filled fields but the header has {width}: a value may contain the delimiter; put it in quotes.', {nonempty})",
        "date_missing": "'The date is empty: every row needs the interview date.'",
        "date_bad": (
            f"CASE WHEN f_dmy_ok THEN format('\"{{}}\" is not a month-first date; the file also has day-first dates (choose day-first to read it).', {raw('date')}) "
            f"WHEN f_mdy_ok THEN format('\"{{}}\" is not a day-first date; the file also has month-first dates (choose month-first to read it).', {raw('date')}) "
            f"ELSE format('\"{{}}\" is not a date Debrief can read: use 2024-03-05, Mar 5, 2024, 05/03/2024 or 05.03.2024.', {raw('date')}) END"
        ),
        "company_missing": "'The company is empty: every row needs the company.'",
        "time_bad": f"format('\"{{}}\" is not a time: use 14:30 or 2:30 PM.', {raw('time')})",
        "stage_bad": f"format('\"{{}}\" is not a stage Debrief knows ({stage_list}).', {raw('stage')})",
        "format_bad": f"format('\"{{}}\" is not a format Debrief knows ({', '.join(FORMATS)}).', {raw('format')})",
        "outcome_bad": f"format('\"{{}}\" is not an outcome Debrief knows ({', '.join(OUTCOMES)}).', {raw('outcome')})",
        "decided_bad": f"format('\"{{}}\" is not a date Debrief can read.', {raw('decided_on')})",
        "decided_early": "'The decision date is before the interview date: check both.'",
        "rating_bad": f"format('\"{{}}\" is not a rating: use a number on the {scale} scale or text like 4/5.', {raw('rating')})",
        "rating_range": (
            f"format('Rating \"{{}}\" is outside the {scale} scale{{}}.', {raw('rating')}, "
            f"CASE WHEN f_rating_num > $hi AND f_rating_num <= 10 THEN ' (if the file rates 1-10, choose that scale)' "
            f"WHEN f_rating_num > $hi AND f_rating_num <= 100 THEN ' (if the file rates 0-100, choose that scale)' ELSE '' END)"
        ),
        "reaction_bad": f"format('\"{{}}\" is not a reaction Debrief knows ({', '.join(REACTIONS)}).', {raw('reaction')})",
        "category_long": "'The category is longer than 40 characters: shorten it.'",
        "question_missing": "'This row has question details (rating, notes, ...) but no question: add the question or clear them.'",
    }
    out = []
    for name, fld in _PROBLEMS:
        out.append((_BIT[name], header(fld), _Sql(messages[name])))
    return out


def _errors_frame(con, staged: Staged, columns: dict[str, int], final: str, lo: float, hi: float):
    """Every problem as (ord, column, message), set-based over the rows that have any."""
    bad = f"debrief_bad_{staged.token}"
    (count,) = _run(con, _render("SELECT count(*) FROM {final} WHERE problems <> 0", final=final)).fetchone()
    if not count:
        return []
    only = _render("s.rowid IN (SELECT ord FROM {final} WHERE problems <> 0)", final=final)
    _run(
        con,
        _render(
            "CREATE OR REPLACE TEMP TABLE {bad} AS SELECT f.ord, f.problems, "
            "p.d_dmy IS NOT NULL AS f_dmy_ok, p.d_mdy IS NOT NULL AS f_mdy_ok, p.rating_num AS f_rating_num "
            "FROM {final} f JOIN {parsed} p ON p.ord = f.ord WHERE f.problems <> 0",
            bad=bad,
            final=final,
            parsed=_parsed_select(columns, staged, only=only),
        ),
        {"header": staged._header_ord},
    )
    parts = []
    params = {"hi": hi}
    for n, (bit, header, message) in enumerate(_problem_messages(columns, staged.headers, staged, lo, hi)):
        params[f"h{n}"] = header
        parts.append(
            _render(
                "SELECT b.ord, {bit} AS bit, ${h}::VARCHAR AS col, {message} AS message "
                "FROM {bad} b JOIN {stage} s ON s.rowid = b.ord WHERE b.problems & {bit} <> 0",
                bit=_Sql(str(bit)),
                h=f"h{n}",
                message=message,
                bad=bad,
                stage=staged.table,
            )
        )
    union = _Sql("\nUNION ALL\n".join(parts))
    rows = _run(
        con, _render("SELECT ord, col, message FROM ({union}) ORDER BY ord, bit", union=union), params
    ).fetchall()
    _run(con, _render("DROP TABLE IF EXISTS {bad}", bad=bad))
    return rows


def _classify_sql(final: str) -> str:
    """Valid rows with their interview key, whether already stored, the interview to append to, and position.

    A question row is already stored when the database holds the same question
    (normalised) for the same interview key as often as the file has had it so
    far; an interview-only row when the interview exists. Only rows of stored
    interviews need the occurrence numbering.
    """
    ikey_db = f"hash(i.interview_date, {_company_role_hash('i.company', 'i.role')}, i.stage)"
    return _render(
        """
WITH v AS (
  SELECT ord, ikey, qh, category_v, rating_v, reaction_code,
         date_v, stage_code, time_v, format_code, outcome_code, decided_v
  FROM {final} WHERE problems = 0
),
ex AS (SELECT {ikey_db} AS ikey, i.id FROM interviews i),
exk AS (SELECT ikey, min(id) AS id FROM ex WHERE ikey IN (SELECT ikey FROM v) GROUP BY ikey),
vx AS (SELECT v.*, exk.id AS existing_id FROM v LEFT JOIN exk ON exk.ikey = v.ikey),
vq AS (
  SELECT ord, ikey, qh, row_number() OVER (PARTITION BY ikey, qh ORDER BY ord) AS occ
  FROM vx WHERE existing_id IS NOT NULL AND qh IS NOT NULL
),
exq AS (
  SELECT ex.ikey, {qh_db} AS qh,
         row_number() OVER (PARTITION BY ex.ikey, {qh_db} ORDER BY q.interview_id, q.position, q.id) AS occ
  FROM questions q JOIN ex ON ex.id = q.interview_id
  WHERE ex.ikey IN (SELECT ikey FROM exk)
),
dupq AS (SELECT vq.ord FROM vq JOIN exq ON exq.ikey = vq.ikey AND exq.qh = vq.qh AND exq.occ = vq.occ),
c AS (
  SELECT vx.*, CASE WHEN vx.existing_id IS NULL THEN false WHEN vx.qh IS NULL THEN true
                    ELSE vx.ord IN (SELECT ord FROM dupq) END AS dup
  FROM vx
)
SELECT *, CASE WHEN qh IS NOT NULL AND NOT dup
               THEN row_number() OVER (PARTITION BY ikey, qh IS NOT NULL AND NOT dup ORDER BY ord) END AS pos
FROM c
""",
        final=final,
        ikey_db=_Sql(ikey_db),
        qh_db=_Sql(_qhash_sql("q.question")),
    )


def _classify(con, final: str, cls: str) -> None:
    _run(con, _render("CREATE OR REPLACE TEMP TABLE {cls} AS {q}", cls=cls, q=_Sql(_classify_sql(final))))


def _counts(con, cls: str) -> dict:
    row = _run(
        con,
        _render(
            """
SELECT count(*) AS valid,
       count(*) FILTER (WHERE dup) AS dup,
       count(DISTINCT ikey) FILTER (WHERE existing_id IS NULL) AS new_interviews,
       count(*) FILTER (WHERE qh IS NOT NULL AND NOT dup) AS new_questions,
       count(DISTINCT existing_id) FILTER (WHERE qh IS NOT NULL AND NOT dup) AS appended
FROM {cls}
""",
            cls=cls,
        ),
    ).fetchone()
    return dict(
        zip(("valid", "dup", "new_interviews", "new_questions", "appended"), (int(x or 0) for x in row), strict=True)
    )


def _new_categories(con, final: str) -> list[str]:
    rows = _run(
        con,
        _render(
            "SELECT DISTINCT category_v FROM {final} WHERE problems = 0 AND qh IS NOT NULL AND category_v IS NOT NULL "
            "AND category_v NOT IN (SELECT name FROM categories) ORDER BY 1",
            final=final,
        ),
    ).fetchall()
    return [r[0] for r in rows]


def _stored_values_select() -> _Sql:
    """SELECT list of the values as they will be stored, over f (final table) and t (``_text_layers``)."""
    return _Sql(
        ",\n  ".join(
            [
                "f.date_v AS date",
                "f.time_v AS time",
                "t.t_company AS company",
                "t.t_role AS role",
                "coalesce($stages[f.stage_code], 'other') AS stage",
                "$formats[f.format_code] AS format",
                "t.t_interviewers AS interviewers",
                "t.t_recruiter AS recruiter",
                "coalesce($outcomes[f.outcome_code], 'pending') AS outcome",
                "f.decided_v AS decided_on",
                "t.t_role_notes AS role_notes",
                "t.t_company_notes AS company_notes",
                "t.t_people_notes AS people_notes",
                "t.t_culture_notes AS culture_notes",
                "t.t_questions_to_ask AS questions_to_ask",
                "t.t_question AS question",
                "CASE WHEN f.qh IS NOT NULL THEN coalesce(f.category_v, 'other') END AS category",
                "f.rating_v AS rating",
                "$reactions[f.reaction_code] AS reaction",
                "t.t_clarify AS clarify",
                "t.t_better_answer AS better_answer",
                "t.t_notes AS notes",
            ]
        )
    )


def _list_params() -> dict:
    return {"stages": list(STAGES), "formats": list(FORMATS), "outcomes": list(OUTCOMES), "reactions": list(REACTIONS)}


def _build(con, staged: Staged, columns: dict[str, int], options: ImportOptions, token: str, progress=None):
    """Create the final table (every row parsed and checked) for ``staged`` on ``con``; return it and the date guess."""
    lo, hi = options.scale_bounds()
    final = f"debrief_final_{token}"
    _ensure_lookups(con, staged, columns)
    parsed = _parsed_select(columns, staged)
    params = {"header": staged._header_ord}
    _report(progress, 0.05, "Looking at the dates")
    dates = _date_guess(con, staged, columns, options)
    _report(progress, 0.15, "Reading and checking values")
    _run(
        con,
        _final_sql(parsed, final),
        {**params, "dayfirst": dates.dayfirst, "lo": lo, "hi": hi, "stages": list(STAGES)},
    )
    return final, dates, lo, hi


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
    columns = _resolve_mapping(staged, mapping)
    _drop_plan_tables(con, staged.token)  # an earlier plan of this file: its tables are rebuilt on demand
    token = uuid.uuid4().hex[:16]
    final, dates, lo, hi = _build(con, staged, columns, options, f"{staged.token}_{token}", progress)
    final_token = f"{staged.token}_{token}"
    _report(progress, 0.6, "Collecting problems")
    errors = _errors_frame(con, staged, columns, final, lo, hi)
    reader = _reader_errors(staged)
    (rows_parsed,) = _run(con, _render("SELECT count(*) FROM {final}", final=final)).fetchone()
    rows_bad = len({ord_ for ord_, _, _ in errors})
    lines_exact = True
    records: list[dict] = []
    if errors or reader or staged._odd_quotes or staged.size <= _EXACT_LINES_LIMIT:
        row_lines, reject_lines, lines_exact, lost_tail = _line_map(con, staged)
        records = [{"line": int(row_lines[o]), "column": col, "message": msg} for o, col, msg in errors]
        records += [{"line": reject_lines.get(k, k), "column": None, "message": msg} for k, msg in reader]
        if lost_tail is not None:
            message = (
                "A quote opened on this line is never closed, so this row and everything after it "
                "could not be read: close the quote and import again."
            )
            records.append({"line": lost_tail, "column": None, "message": message})
        records.sort(key=lambda r: r["line"])
    reader_rejected = len(reader) + (1 if staged._lines is not None and staged._lines[3] is not None else 0)
    _report(progress, 0.8, "Looking for rows already stored")
    cls = f"debrief_cls_{final_token}"
    db_version = store.data_version(con)
    _classify(con, final, cls)
    counts = _counts(con, cls)
    categories = _new_categories(con, final)
    preview_columns, preview = _preview(con, staged, columns, final, cls, preview_rows)
    # The classification carries all a commit needs; the full parsed table is rebuilt only if a commit must redo it.
    _run(con, _render("DROP TABLE IF EXISTS {final}", final=final))
    _report(progress, 1.0, "Report ready")
    mapped = {f: staged.headers[i] for f, i in columns.items()}
    return ImportPlan(
        staged=staged,
        mapping={f: mapped[f] for f in FIELDS if f in mapped},
        options=options,
        rows_read=int(rows_parsed) + reader_rejected,
        rows_valid=counts["valid"],
        rows_rejected=rows_bad + reader_rejected,
        rows_duplicate=counts["dup"],
        rows_new=counts["valid"] - counts["dup"],
        interviews_added=counts["new_interviews"],
        questions_added=counts["new_questions"],
        appended_to_existing=counts["appended"],
        categories_added=categories,
        error_records=records,
        preview_columns=preview_columns,
        preview_rows=preview,
        dates=dates,
        lines_exact=lines_exact,
        unmapped_headers=[h for i, h in enumerate(staged.headers) if i not in set(columns.values())],
        token=final_token,
        db_version=db_version,
    )


def _reader_errors(staged: Staged) -> list[tuple[int, str]]:
    out = []
    for k, kind, _col in staged._reader_rejects:
        if kind == "TOO MANY COLUMNS":
            message = (
                f"This row has more than {staged._columns} fields but the header has {staged._width}: "
                f"a value may contain the delimiter ({staged.delimiter_name}); put it in quotes."
            )
        elif kind == "UNQUOTED VALUE":
            message = (
                "A quote in this row is out of place: put the whole value in quotes and double any quote inside it."
            )
        elif kind == "LINE SIZE OVER MAXIMUM":
            message = f"This row is longer than {_MAX_LINE // (1024 * 1024)} MB and could not be read."
        else:
            message = f"This row could not be read ({kind.lower()})."
        out.append((k, message))
    return out


def _preview(con, staged: Staged, columns: dict[str, int], final: str, cls: str, limit: int):
    """(column names, rows) of the first ``limit`` valid rows as they will be stored."""
    head = f"debrief_head_{staged.token}"
    _run(
        con,
        _render(
            "CREATE OR REPLACE TEMP TABLE {head} AS SELECT * FROM {cls} ORDER BY ord LIMIT $limit", head=head, cls=cls
        ),
        {"limit": limit},
    )
    texts = _text_layers(
        columns, FIELDS, staged.table, where=_render("WHERE s.rowid IN (SELECT ord FROM {head})", head=head)
    )
    result = _run(
        con,
        _render(
            """
SELECT c.ord AS _ord,
  CASE WHEN c.dup THEN 'already stored' WHEN c.existing_id IS NOT NULL THEN 'adds to a stored interview'
       ELSE 'new' END AS status,
  {values}
FROM {head} c JOIN {final} f ON f.ord = c.ord JOIN {texts} t ON t.ord = c.ord
ORDER BY c.ord
""",
            head=head,
            values=_stored_values_select(),
            final=final,
            texts=_Sql(texts),
        ),
        _list_params(),
    )
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    _run(con, _render("DROP TABLE IF EXISTS {head}", head=head))
    if staged._lines is not None:
        lines = staged._lines[0]
        return ["line", *names[1:]], [(int(lines[r[0]]), *r[1:]) for r in rows]
    return names[1:], [r[1:] for r in rows]


def errors_as_records(errors) -> list[dict]:
    """The errors (a plan, a result, a DataFrame or records) as [{line, column, message}] (JSON-ready)."""
    if isinstance(errors, ImportPlan | ImportResult):
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


def _neutralise(text) -> str:
    text = "" if text is None else str(text)
    return "'" + text if re.match(r"^'*[=+\-@\t\r]", text) else text


def errors_csv(plan_or_errors) -> bytes:
    """The problems (of a plan, a result, a DataFrame or records) as a UTF-8 CSV: line, column, message."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["line", "column", "message"])
    for record in errors_as_records(plan_or_errors):
        writer.writerow([record["line"], _neutralise(record["column"] or ""), _neutralise(record["message"])])
    return buffer.getvalue().encode("utf-8")


# --- committing -------------------------------------------------------------------------------


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
            f"{plan.rows_rejected} row{'s' if plan.rows_rejected != 1 else ''} rejected and strict mode is on: "
            "nothing was imported."
        )
    staged = plan.staged
    ensure_staged(con, staged)
    columns = _resolve_mapping(staged, plan.mapping)
    final = f"debrief_final_{plan.token}"
    names = {k: f"debrief_{k}_{plan.token}" for k in ("cls", "firsts", "new", "gap", "fill", "people", "qrows")}
    # The plan's classification still holds when nothing was written since; else it is redone in the transaction.
    reuse = _table_exists(con, names["cls"]) and store.data_version(con) == plan.db_version
    if not reuse and not _table_exists(con, final):
        _build(con, staged, columns, plan.options, plan.token)
    params = _list_params()
    fillable = [
        (name, expr, fld)
        for name, expr, fld in (
            ("role", "t.t_role", "role"),
            ("interview_time", "c.time_v", "time"),
            ("format", "$formats[c.format_code]", "format"),
            ("interviewers", "t.t_interviewers", "interviewers"),
            ("recruiter", "t.t_recruiter", "recruiter"),
            ("outcome", "$outcomes[c.outcome_code]", "outcome"),
            ("decided_on", "c.decided_v", "decided_on"),
            ("role_notes", "t.t_role_notes", "role_notes"),
            ("company_notes", "t.t_company_notes", "company_notes"),
            ("people_notes", "t.t_people_notes", "people_notes"),
            ("culture_notes", "t.t_culture_notes", "culture_notes"),
            ("questions_to_ask", "t.t_questions_to_ask", "questions_to_ask"),
        )
        if fld in columns
    ]
    _report(progress, 0.05, "Starting the import")
    _run(con, "BEGIN TRANSACTION")
    try:
        if not reuse:
            _classify(con, final, names["cls"])
        _report(progress, 0.2, "Adding interviews")
        # Each new interview takes its fields from its first row in the file ...
        _run(
            con,
            _render(
                "CREATE OR REPLACE TEMP TABLE {firsts} AS SELECT ikey, min(ord) AS first_ord, count(*) AS n "
                "FROM {cls} WHERE existing_id IS NULL GROUP BY ikey",
                firsts=names["firsts"],
                cls=names["cls"],
            ),
        )
        texts = _text_layers(
            columns,
            INTERVIEW_TEXT_FIELDS,
            staged.table,
            where=_render("WHERE s.rowid IN (SELECT first_ord FROM {firsts})", firsts=names["firsts"]),
        )
        values = ", ".join(["t.t_company AS company", *(f"{expr} AS {name}" for name, expr, _ in fillable)])
        _run(
            con,
            _render(
                """
CREATE OR REPLACE TEMP TABLE {new} AS
SELECT nextval('interview_id_seq') AS id, g.ikey, g.first_ord, g.n, c.date_v AS interview_date,
       coalesce($stages[c.stage_code], 'other') AS stage, {values}
FROM {firsts} g JOIN {cls} c ON c.ord = g.first_ord JOIN {texts} t ON t.ord = g.first_ord
ORDER BY g.first_ord
""",
                new=names["new"],
                values=_Sql(values),
                firsts=names["firsts"],
                cls=names["cls"],
                texts=_Sql(texts),
            ),
            params,
        )
        # ... and any field that row leaves empty from the first later row that has it (rare: found with
        # cheap tests on the raw cells first, so the common file with repeated interview fields skips this).
        if fillable:
            candidates = " OR ".join(
                f"(n.{name} IS NULL AND NOT {_is_blank(f's.c{columns[fld]}')})" for name, _, fld in fillable
            )
            _run(
                con,
                _render(
                    "CREATE OR REPLACE TEMP TABLE {gap} AS SELECT c.ord, c.ikey FROM {cls} c "
                    "JOIN {new} n ON n.ikey = c.ikey JOIN {stage} s ON s.rowid = c.ord "
                    "WHERE n.n > 1 AND c.ord <> n.first_ord AND ({candidates})",
                    gap=names["gap"],
                    cls=names["cls"],
                    new=names["new"],
                    stage=staged.table,
                    candidates=_Sql(candidates),
                ),
            )
            (gappy,) = _run(con, _render("SELECT count(*) FROM {gap}", gap=names["gap"])).fetchone()
            if gappy:
                aggregates = ", ".join(
                    f"arg_min({expr}, c.ord) FILTER (WHERE {expr} IS NOT NULL) AS {name}" for name, expr, _ in fillable
                )
                texts_gap = _text_layers(
                    columns,
                    INTERVIEW_TEXT_FIELDS,
                    staged.table,
                    where=_render("WHERE s.rowid IN (SELECT ord FROM {gap})", gap=names["gap"]),
                )
                _run(
                    con,
                    _render(
                        "CREATE OR REPLACE TEMP TABLE {fill} AS SELECT c.ikey, {aggregates} "
                        "FROM {gap} g JOIN {cls} c ON c.ord = g.ord JOIN {texts} t ON t.ord = g.ord "
                        "GROUP BY c.ikey",
                        fill=names["fill"],
                        aggregates=_Sql(aggregates),
                        gap=names["gap"],
                        cls=names["cls"],
                        texts=_Sql(texts_gap),
                    ),
                    params,
                )
                _run(
                    con,
                    _render(
                        "UPDATE {new} SET {sets} FROM {fill} x WHERE {new}.ikey = x.ikey",
                        new=names["new"],
                        fill=names["fill"],
                        sets=_Sql(", ".join(f"{n} = coalesce({names['new']}.{n}, x.{n})" for n, _, _ in fillable)),
                    ),
                )
        select = {name: name for name, _, _ in fillable}
        _run(
            con,
            _render(
                """
INSERT INTO interviews (id, company, interview_date, stage, role, interview_time, format, recruiter, outcome,
                        decided_on, role_notes, company_notes, people_notes, culture_notes, questions_to_ask)
SELECT id, company, interview_date, stage, {values} FROM {new}
""",
                new=names["new"],
                values=_Sql(_interview_values(select)),
            ),
        )
        if "interviewers" in select:
            _insert_interviewers(con, names["new"], names["people"])
        _report(progress, 0.5, "Adding questions")
        added_categories = [
            r[0]
            for r in _run(
                con,
                _render(
                    "INSERT INTO categories (name) SELECT DISTINCT category_v FROM {cls} "
                    "WHERE qh IS NOT NULL AND NOT dup AND category_v IS NOT NULL "
                    "AND category_v NOT IN (SELECT name FROM categories) RETURNING name",
                    cls=names["cls"],
                ),
            ).fetchall()
        ]
        # Ids are taken from the sequence first, in a narrow table: an INSERT that calls nextval()
        # itself runs on one thread, one with the ids given runs in parallel.
        _run(
            con,
            _render(
                """
CREATE OR REPLACE TEMP TABLE {qrows} AS
SELECT c.ord, nextval('question_id_seq') AS id, coalesce(c.existing_id, n.id) AS interview_id,
       (coalesce(mp.maxpos, 0) + c.pos)::INTEGER AS position, coalesce(c.category_v, 'other') AS category,
       c.rating_v AS rating, $reactions[c.reaction_code] AS reaction
FROM {cls} c
LEFT JOIN {new} n ON n.ikey = c.ikey
LEFT JOIN (SELECT interview_id, max(position) AS maxpos FROM questions
           WHERE interview_id IN (SELECT existing_id FROM {cls}) GROUP BY interview_id) mp
       ON mp.interview_id = c.existing_id
WHERE c.qh IS NOT NULL AND NOT c.dup
""",
                qrows=names["qrows"],
                cls=names["cls"],
                new=names["new"],
            ),
            params,
        )
        question_texts = _text_layers(columns, ("question", "clarify", "better_answer", "notes"), staged.table)
        _run(
            con,
            _render(
                """
INSERT INTO questions (id, interview_id, position, question, category, rating, reaction, clarify, better_answer,
                       notes)
SELECT q.id, q.interview_id, q.position, t.t_question, q.category, q.rating, q.reaction,
       t.t_clarify, t.t_better_answer, t.t_notes
FROM {qrows} q JOIN {texts} t ON t.ord = q.ord
""",
                qrows=names["qrows"],
                texts=_Sql(question_texts),
            ),
        )
        _run(
            con,
            _render(
                "UPDATE interviews SET revision = revision + 1, updated_at = current_localtimestamp() WHERE id IN "
                "(SELECT DISTINCT existing_id FROM {cls} WHERE existing_id IS NOT NULL AND qh IS NOT NULL AND NOT dup)",
                cls=names["cls"],
            ),
        )
        row = _run(
            con,
            _render(
                "SELECT count(*), count(*) FILTER (WHERE dup), count(*) FILTER (WHERE qh IS NOT NULL AND NOT dup), "
                "(SELECT count(*) FROM {new}) FROM {cls}",
                cls=names["cls"],
                new=names["new"],
            ),
        ).fetchone()
        ids = [r[0] for r in _run(con, _render("SELECT id FROM {new} ORDER BY id", new=names["new"])).fetchall()]
        _report(progress, 0.85, "Saving")
        _run(con, "COMMIT")
    except BaseException:
        _run(con, "ROLLBACK")
        raise
    finally:
        for name in names.values():
            try:
                _run(con, _render("DROP TABLE IF EXISTS {t}", t=name))
            except duckdb.Error:
                pass
    _drop_plan_tables(con, staged.token, plan.token)  # consumed: a second commit rebuilds it and adds nothing
    store.checkpoint(con)
    store.bump_version(con)
    _report(progress, 1.0, "Imported")
    valid, dup, questions_added, interviews_added = (int(v or 0) for v in row)
    return ImportResult(
        rows_read=plan.rows_read,
        rows_imported=valid - dup,
        rows_rejected=plan.rows_rejected,
        rows_duplicate=dup,
        interviews_added=interviews_added,
        questions_added=questions_added,
        categories_added=sorted(added_categories),
        interview_ids=ids,
        error_records=[dict(e) for e in plan.error_records],
    )


def _interview_values(present: dict[str, str]) -> str:
    """The interview columns after id, company, date and stage, NULL where the file has no column."""
    out = []
    for name in (
        "role",
        "interview_time",
        "format",
        "recruiter",
        "outcome",
        "decided_on",
        "role_notes",
        "company_notes",
        "people_notes",
        "culture_notes",
        "questions_to_ask",
    ):
        if name == "outcome":
            out.append("coalesce(outcome, 'pending')" if name in present else "'pending'")
        else:
            out.append(name if name in present else "NULL")
    return ", ".join(out)


def _insert_interviewers(con, new: str, people: str) -> None:
    """Parse each distinct "Ana Ruiz (Engineering Manager); Ben Ode" once, then insert for every new interview."""
    person = "^(.*\\S)\\s*\\(([^()]*)\\)$"
    _run(
        con,
        _render(
            """
CREATE OR REPLACE TEMP TABLE {people} AS
WITH raw AS (SELECT DISTINCT interviewers AS raw FROM {new} WHERE interviewers IS NOT NULL),
parts AS (
  SELECT raw, unnest(regexp_split_to_array(raw, '[;|\\n]')) AS part,
         unnest(range(1, len(regexp_split_to_array(raw, '[;|\\n]')) + 1)) AS idx
  FROM raw
),
cleaned AS (SELECT raw, idx, trim(part, {ws}) AS p FROM parts WHERE trim(part, {ws}) <> '')
SELECT raw, row_number() OVER (PARTITION BY raw ORDER BY idx)::INTEGER AS position,
       CASE WHEN regexp_matches(p, '{person}') THEN trim(regexp_extract(p, '{person}', 1), {ws}) ELSE p END AS name,
       CASE WHEN regexp_matches(p, '{person}') THEN nullif(trim(regexp_extract(p, '{person}', 2), {ws}), '') END AS title
FROM cleaned
""",
            people=people,
            new=new,
            ws=_Sql(_WS),
            person=_Sql(person),
        ),
    )
    _run(
        con,
        _render(
            "INSERT INTO interviewers (interview_id, position, name, title) "
            "SELECT n.id, p.position, p.name, p.title FROM {new} n JOIN {people} p ON p.raw = n.interviewers",
            new=new,
            people=people,
        ),
    )


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


# --- command line -----------------------------------------------------------------------------


def _mapping_arg(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not FIELD=HEADER")
    fld, header = text.split("=", 1)
    fld = fld.strip().lower().replace("-", "_").replace(" ", "_")
    if fld not in FIELDS:
        raise argparse.ArgumentTypeError(f"unknown field {fld!r}; fields: {', '.join(FIELDS)}")
    return fld, header


def _scale_arg(text: str) -> str:
    try:
        parse_scale(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Exit status: 0 the file was read (valid rows imported, rejected rows reported); 1 the file is unusable, "
        "or --strict and a row was rejected (nothing is written then); 2 usage error. --dry-run reports the "
        "rows it would import as rows_imported."
    )
    parser.add_argument("file", metavar="FILE", help="CSV, TSV or TXT file of past interview notes")
    parser.add_argument(
        "--map",
        dest="mapping",
        metavar="FIELD=HEADER",
        action="append",
        type=_mapping_arg,
        default=[],
        help="use the file's column HEADER for FIELD (repeatable); FIELD= leaves a field unmapped",
    )
    parser.add_argument(
        "--scale",
        type=_scale_arg,
        default=None,
        help="the file's rating scale, e.g. 1-10 or 0-100 (default: what a header like 'Score (1-10)' says, else 1-5)",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, help="read 05/03/2024 as 5 March"
    )
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_const", const=False, help="read 05/03/2024 as May 3"
    )
    parser.add_argument("--strict", action="store_true", help="import nothing if any row is rejected (exit 1)")
    parser.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")


def _print_json(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=str))


def run(args) -> int:
    con = store.connect(args.db).cursor()
    staged = None
    try:
        try:
            staged = read_notes(con, args.file)
            mapping = dict(staged.guess)
            chosen = {fld: header.strip() for fld, header in args.mapping}
            # An explicit --map wins over a guess that used the same column for another field.
            taken = {h.lower() for h in chosen.values() if h}
            mapping = {f: h for f, h in mapping.items() if f not in chosen and h.lower() not in taken}
            mapping.update({f: h for f, h in chosen.items() if h})
            # Without --scale, a header like "Score (1-10)" says what the scale is.
            scale = args.scale or scale_from_header(mapping.get("rating")) or "1-5"
            options = ImportOptions(dayfirst=args.dayfirst, scale=scale, strict=args.strict)
            try:
                plan = plan_import(con, staged, mapping, options)
            except MappingError as exc:
                if args.json:
                    _print_json({"error": str(exc), "headers": exc.headers})
                print(f"debrief: {exc}", file=sys.stderr)
                return 2
        except UnusableFile as exc:
            if args.json:
                _print_json({"error": str(exc), "headers": exc.headers})
            print(f"debrief: {exc}", file=sys.stderr)
            return 1
        result = None
        refused = args.strict and plan.rows_rejected > 0
        if not args.dry_run and not refused:
            result = commit_import(con, plan)
        payload = {
            "file": str(args.file),
            "encoding": staged.encoding,
            "delimiter": staged.dialect.delimiter,
            "dayfirst": plan.dates.dayfirst,
            "dates": plan.dates.message,
            "mapping": plan.mapping,
            "dry_run": bool(args.dry_run),
            "written": result is not None,
            "rows_read": plan.rows_read,
            "rows_imported": (result.rows_imported if result else (0 if refused else plan.rows_new)),
            "rows_rejected": plan.rows_rejected,
            "rows_duplicate": result.rows_duplicate if result else plan.rows_duplicate,
            "interviews_added": (result.interviews_added if result else (0 if refused else plan.interviews_added)),
            "questions_added": (result.questions_added if result else (0 if refused else plan.questions_added)),
            "errors": errors_as_records(plan),
        }
        if args.json:
            _print_json(payload)
        else:
            _print_summary(plan, payload, refused)
        return 1 if refused else 0
    finally:
        if staged is not None:
            discard(con, staged)
        con.close()


def _print_summary(plan: ImportPlan, payload: dict, refused: bool) -> None:
    staged = plan.staged
    print(
        f"{staged.filename}: {plan.rows_read} row{'s' if plan.rows_read != 1 else ''} read "
        f"({staged.encoding}, {staged.delimiter_name}-separated)."
    )
    mapped = ", ".join(f"{f} <- {h!r}" for f, h in plan.mapping.items())
    print(f"Columns: {mapped}.")
    if plan.unmapped_headers:
        print(f"Not imported: {', '.join(plan.unmapped_headers)}.")
    if plan.dates.message:
        print(plan.dates.message)
    if refused:
        print(f"Strict mode: {plan.rows_rejected} row(s) rejected, so nothing was imported.")
    else:
        verb = "Would import" if payload["dry_run"] else "Imported"
        print(
            f"{verb} {payload['rows_imported']} row(s): {payload['interviews_added']} new interview(s), "
            f"{payload['questions_added']} question(s)."
            + (" Dry run: nothing was written." if payload["dry_run"] else "")
        )
    if payload["rows_duplicate"]:
        print(f"{payload['rows_duplicate']} row(s) were already stored and skipped.")
    if plan.rows_rejected:
        print(f"{plan.rows_rejected} row(s) rejected:")
        for record in payload["errors"][:10]:
            column = f" [{record['column']}]" if record["column"] else ""
            print(f"  line {record['line']}{column}: {record['message']}")
        if len(payload["errors"]) > 10:
            print(f"  ... and {len(payload['errors']) - 10} more (use --json for all).")
