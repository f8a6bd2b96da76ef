"""Checking: every parsed row given its final values and a bit mask of its problems, and the problems in words.

``check`` builds the checked table (one row per non-blank data row: values
with the options applied, the interview and question keys, ``problems``);
``problem_rows`` turns the rows with problems into (row, column, message).
Dates like 05/03/2024 are read day-first or month-first as the option says,
else as the file settles it (``guess_dates``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analysis import sql
from analysis.importing import parsing
from analysis.importing.mapping import ImportOptions
from analysis.importing.running import Progress, report, run
from analysis.importing.staging import MAX_LINE, Staged
from analysis.importing.vocabulary import choice_lists
from analysis.sql import SQL
from analysis.vocab import FORMATS, OUTCOMES, REACTIONS, STAGES

# Each problem a row can have, and the field it is reported against (None: the whole row).
# Its position is its bit in the row's problem mask.
PROBLEMS = (
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
BIT = {name: 1 << i for i, (name, _) in enumerate(PROBLEMS)}


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
        """How dates are read, in a sentence; empty when the file has no numeric dates."""
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


@dataclass(frozen=True)
class Checked:
    """The checked table of one plan (``table``), how dates were read, and the rating scale applied."""

    table: SQL
    dates: DateGuess
    low: float
    high: float


def check(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    columns: dict[str, int],
    options: ImportOptions,
    tables: sql.TempTables,
    progress: Progress | None = None,
) -> Checked:
    """Create ``tables``' checked table: every staged row parsed, the options applied, its problems as a bit mask."""
    low, high = options.scale_bounds()
    parsing.ensure_lookups(con, staged, columns)
    report(progress, 0.05, "Looking at the dates")
    dates = guess_dates(con, staged, columns, options)
    report(progress, 0.15, "Reading and checking values")
    table = tables.name("checked")
    statement = sql.render(
        _CHECKED,
        checked=table,
        parsed=parsing.parsed_select(columns, staged),
        **{name: SQL(str(bit)) for name, bit in BIT.items()},
    )
    params = {"header": staged.header_index, "dayfirst": dates.dayfirst, "low": low, "high": high, **choice_lists()}
    run(con, statement, params)
    return Checked(table, dates, low, high)


_CHECKED = """
CREATE OR REPLACE TEMP TABLE {checked} AS
WITH v AS (
  SELECT *,
    coalesce(date_fixed, CASE WHEN $dayfirst THEN date_dmy ELSE date_mdy END) AS date_value,
    coalesce(decided_fixed, CASE WHEN $dayfirst THEN decided_dmy ELSE decided_mdy END) AS decided_value,
    CASE rating_kind
      WHEN 'n' THEN CASE WHEN rating_number BETWEEN $low AND $high
                         THEN 1 + (rating_number - $low) * 4 / ($high - $low) END
      WHEN 'f' THEN CASE WHEN rating_denominator > 1 AND rating_number BETWEEN 0 AND rating_denominator THEN
                      CASE WHEN rating_denominator > 10 THEN 1 + rating_number * 4 / rating_denominator
                           ELSE 1 + (rating_number - 1) * 4 / (rating_denominator - 1) END END
      ELSE rating_number END AS rating_scaled
  FROM {parsed}
)
SELECT ord, date_value, decided_value, time_value, stage_code, format_code, outcome_code, reaction_code,
  category_value, question_present AS has_question,
  CASE WHEN rating_scaled IS NOT NULL THEN least(5, greatest(1, floor(rating_scaled + 0.5)))::TINYINT END
    AS rating_value,
  hash(date_value, company_role, coalesce($stage_list[stage_code], 'other')) AS interview_key,
  CASE WHEN short_row THEN {short_row} WHEN long_row THEN {long_row} ELSE
    (CASE WHEN NOT date_present THEN {date_missing} WHEN date_value IS NULL THEN {date_bad} ELSE 0 END)
  | (CASE WHEN NOT company_present THEN {company_missing} ELSE 0 END)
  | (CASE WHEN time_present AND time_value IS NULL THEN {time_bad} ELSE 0 END)
  | (CASE WHEN stage_present AND stage_code IS NULL THEN {stage_bad} ELSE 0 END)
  | (CASE WHEN format_present AND format_code IS NULL THEN {format_bad} ELSE 0 END)
  | (CASE WHEN outcome_present AND outcome_code IS NULL THEN {outcome_bad} ELSE 0 END)
  | (CASE WHEN decided_present AND decided_value IS NULL THEN {decided_bad}
          WHEN decided_value < date_value THEN {decided_early} ELSE 0 END)
  | (CASE WHEN rating_present AND rating_kind IS NULL THEN {rating_bad}
          WHEN rating_kind IS NOT NULL AND rating_scaled IS NULL THEN {rating_range} ELSE 0 END)
  | (CASE WHEN reaction_present AND reaction_code IS NULL THEN {reaction_bad} ELSE 0 END)
  | (CASE WHEN length(category_value) > 40 THEN {category_long} ELSE 0 END)
  | (CASE WHEN NOT question_present AND question_details THEN {question_missing} ELSE 0 END) END AS problems
FROM v
"""


def guess_dates(con, staged: Staged, columns: dict[str, int], options: ImportOptions) -> DateGuess:
    """Decide day-first vs month-first for D/M/Y dates: the option, else the file (a number above 12 settles it).

    Reads the date lookups (one row per distinct value, with its row count); needs ``parsing.ensure_lookups``.
    """
    if options.dayfirst is not None:
        return DateGuess(options.dayfirst, "option", False, False, 0, 0, 0)
    parts = [
        sql.render(
            "SELECT raw, n, {first} AS first, {second} AS second, {dmy} AS dmy, {mdy} AS mdy, {dot} AS dot, "
            "{which} AS which FROM {lookup} WHERE {first} IS NOT NULL",
            **{part: f"{prefix}_{part}" for part in ("first", "second", "dmy", "mdy", "dot")},
            which=SQL(str(which)),
            lookup=parsing.lookup_table(staged, field, columns[field]),
        )
        for field, prefix, which in (("date", "date", 0), ("decided_on", "decided", 1))
        if field in columns
    ]
    if not parts:
        return DateGuess(False, "default", False, False, 0, 0, 0)
    row = run(
        con,
        sql.render(
            """
SELECT sum(n) FILTER (WHERE first > 12 AND dmy IS NOT NULL),
       sum(n) FILTER (WHERE second > 12 AND mdy IS NOT NULL),
       sum(n),
       sum(n) FILTER (WHERE first <= 12 AND second <= 12 AND first <> second),
       sum(n) FILTER (WHERE dot),
       list(trim(raw) ORDER BY raw) FILTER (WHERE first <= 12 AND second <= 12 AND first <> second AND which = 0)[1:3]
FROM ({parts})
""",
            parts=SQL(" UNION ALL ".join(parts)),
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


# --- problems in words ---------------------------------------------------------------------------


def _messages(columns: dict[str, int], staged: Staged, scale: str) -> dict[str, str]:
    """SQL for each problem's message, over the staged row ``s`` and the problem row ``b``."""

    def raw(field: str) -> str:
        if field not in columns:
            return "''"
        return f"left({parsing.text_value(parsing.cell(columns[field]), False)}, 60)"

    width = staged.width
    fields = " + ".join(f"({parsing.cell(i)} IS NOT NULL)::INTEGER" for i in range(staged.column_count))
    filled = " + ".join(f"(coalesce({parsing.cell(i)}, '') <> '')::INTEGER" for i in range(staged.column_count))
    return {
        "short_row": f"format('This row has {{}} fields but the header has {width}: a delimiter or quote may be missing.', {fields})",
        "long_row": f"format('This row has {{}} filled fields but the header has {width}: a value may contain the delimiter; put it in quotes.', {filled})",
        "date_missing": "'The date is empty: every row needs the interview date.'",
        "date_bad": (
            f"CASE WHEN b.dmy_ok THEN format('\"{{}}\" is not a month-first date; the file also has day-first dates (choose day-first to read it).', {raw('date')}) "
            f"WHEN b.mdy_ok THEN format('\"{{}}\" is not a day-first date; the file also has month-first dates (choose month-first to read it).', {raw('date')}) "
            f"ELSE format('\"{{}}\" is not a date Debrief can read: use 2024-03-05, Mar 5, 2024, 05/03/2024 or 05.03.2024.', {raw('date')}) END"
        ),
        "company_missing": "'The company is empty: every row needs the company.'",
        "time_bad": f"format('\"{{}}\" is not a time: use 14:30 or 2:30 PM.', {raw('time')})",
        "stage_bad": f"format('\"{{}}\" is not a stage Debrief knows ({', '.join(STAGES)}).', {raw('stage')})",
        "format_bad": f"format('\"{{}}\" is not a format Debrief knows ({', '.join(FORMATS)}).', {raw('format')})",
        "outcome_bad": f"format('\"{{}}\" is not an outcome Debrief knows ({', '.join(OUTCOMES)}).', {raw('outcome')})",
        "decided_bad": f"format('\"{{}}\" is not a date Debrief can read.', {raw('decided_on')})",
        "decided_early": "'The decision date is before the interview date: check both.'",
        "rating_bad": f"format('\"{{}}\" is not a rating: use a number on the {scale} scale or text like 4/5.', {raw('rating')})",
        "rating_range": (
            f"format('Rating \"{{}}\" is outside the {scale} scale{{}}.', {raw('rating')}, "
            f"CASE WHEN b.rating_number > $high AND b.rating_number <= 10 THEN ' (if the file rates 1-10, choose that scale)' "
            f"WHEN b.rating_number > $high AND b.rating_number <= 100 THEN ' (if the file rates 0-100, choose that scale)' ELSE '' END)"
        ),
        "reaction_bad": f"format('\"{{}}\" is not a reaction Debrief knows ({', '.join(REACTIONS)}).', {raw('reaction')})",
        "category_long": "'The category is longer than 40 characters: shorten it.'",
        "question_missing": "'This row has question details (rating, notes, ...) but no question: add the question or clear them.'",
    }


def problem_rows(
    con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int], checked: Checked, tables: sql.TempTables
) -> list[tuple[int, str | None, str]]:
    """Every problem as (staged row, the file's header or None for the whole row, message), by row."""
    (count,) = run(
        con, sql.render("SELECT count(*) FROM {checked} WHERE problems <> 0", checked=checked.table)
    ).fetchone()
    if not count:
        return []
    bad = tables.name("bad")
    only = sql.render("s.rowid IN (SELECT ord FROM {checked} WHERE problems <> 0)", checked=checked.table)
    statement = sql.render(
        "CREATE OR REPLACE TEMP TABLE {bad} AS SELECT c.ord, c.problems, p.date_dmy IS NOT NULL AS dmy_ok, "
        "p.date_mdy IS NOT NULL AS mdy_ok, p.rating_number FROM {checked} c JOIN {parsed} p ON p.ord = c.ord "
        "WHERE c.problems <> 0",
        bad=bad,
        checked=checked.table,
        parsed=parsing.parsed_select(columns, staged, only=only),
    )
    run(con, statement, {"header": staged.header_index})
    messages = _messages(columns, staged, f"{checked.low:g}-{checked.high:g}")
    params = {"high": checked.high}
    parts = []
    for n, (name, field) in enumerate(PROBLEMS):
        params[f"header{n}"] = staged.headers[columns[field]] if field in columns else None
        parts.append(
            sql.render(
                "SELECT b.ord, {bit} AS bit, $header{n}::VARCHAR AS header, {message} AS message "
                "FROM {bad} b JOIN {stage} s ON s.rowid = b.ord WHERE b.problems & {bit} <> 0",
                bit=SQL(str(BIT[name])),
                n=SQL(str(n)),
                message=SQL(messages[name]),
                bad=bad,
                stage=staged.table,
            )
        )
    union = SQL("\nUNION ALL\n".join(parts))
    rows = run(
        con, sql.render("SELECT ord, header, message FROM ({union}) ORDER BY ord, bit", union=union), params
    ).fetchall()
    tables.drop(con, kinds=("bad",))
    return rows


def reader_messages(staged: Staged) -> list[tuple[int, str]]:
    """The records DuckDB's reader rejected, as (record number, message)."""
    out = []
    for reject in staged.reader_rejects:
        if reject.kind == "TOO MANY COLUMNS":
            message = (
                f"This row has more than {staged.column_count} fields but the header has {staged.width}: "
                f"a value may contain the delimiter ({staged.delimiter_name}); put it in quotes."
            )
        elif reject.kind == "UNQUOTED VALUE":
            message = (
                "A quote in this row is out of place: put the whole value in quotes and double any quote inside it."
            )
        elif reject.kind == "LINE SIZE OVER MAXIMUM":
            message = f"This row is longer than {MAX_LINE // (1024 * 1024)} MB and could not be read."
        else:
            message = f"This row could not be read ({reject.kind.lower()})."
        out.append((reject.record, message))
    return out
