"""Checking: every parsed row given its final values and a bit mask of its problems, and the problems in words.

``check`` builds the checked table (one row per non-blank data row: values
with the options applied, the interview and question keys, ``problems`` that
reject the row and ``warnings`` about an optional value left out, merged
cells filled down from the row above); ``problem_rows`` turns both into
(row, column, message, is a warning). Dates like 05/03/2024 are read
day-first or month-first as the option says, else as the file settles it
(``guess_dates``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from analysis import sql
from analysis.importing import parsing
from analysis.importing.mapping import IDENTITY, ImportOptions
from analysis.importing.running import Progress, report, run
from analysis.importing.staging import MAX_LINE, Staged
from analysis.importing.vocabulary import choice_lists
from analysis.schema import INTERVIEW_FIELD_NAMES
from analysis.sql import SQL
from analysis.vocab import FORMATS, OUTCOMES, REACTIONS, STAGES

# Each problem a row can have, and the field it is reported against (None: the whole row).
# Its position is its bit in the row's problem mask.
PROBLEMS = (
    ("short_row", None),
    ("long_row", None),
    ("date_missing", "date"),
    ("date_bad", "date"),
    ("date_outside", "date"),
    ("company_missing", "company"),
    ("time_bad", "time"),
    ("stage_bad", "stage"),
    ("format_bad", "format"),
    ("outcome_bad", "outcome"),
    ("decided_bad", "decided_on"),
    ("decided_early", "decided_on"),
    ("advance_bad", "predicted_advance"),
    ("rating_bad", "rating"),
    ("rating_range", "rating"),
    ("reaction_bad", "reaction"),
    ("category_long", "category"),
    ("details_without_question", "question"),
    ("interview_above_rejected", None),
)
BIT = {name: 1 << i for i, (name, _) in enumerate(PROBLEMS)}
# Problems with an optional field: the row is imported without that value and the problem is a warning.
WARNINGS = frozenset(
    {
        "time_bad",
        "stage_bad",
        "format_bad",
        "outcome_bad",
        "decided_bad",
        "decided_early",
        "advance_bad",
        "rating_bad",
        "rating_range",
        "reaction_bad",
        "category_long",
        "details_without_question",
    }
)
WARNING_MASK = sum(BIT[name] for name in WARNINGS)
# Problems with the interview's own fields: a row filled down from the row above shares them.
INTERVIEW_PROBLEMS = frozenset(name for name, field in PROBLEMS if field in INTERVIEW_FIELD_NAMES)
ERROR_MASK = sum(BIT.values()) - WARNING_MASK
MAX_CATEGORY = 40


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
    serials: bool = False  # the date column holds spreadsheet serial numbers (46086 = 2026-03-05)

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
    fill = _has_continuation_rows(con, staged, columns)
    parsed = parsing.parsed_select(columns, staged, continuation=fill)
    identity = IDENTITY in columns
    statement = sql.render(
        _CHECKED,
        checked=table,
        parsed=parsing.filled_down(parsed, columns) if fill else parsed,
        filled=SQL("filled" if fill else "false"),
        interview_ord=SQL("coalesce(anchor, ord)" if fill else "ord"),
        interview_key=SQL(f"hash(match_key, text_{IDENTITY})" if identity else "match_key"),
        identity=SQL(f"TRY_CAST(text_{IDENTITY} AS BIGINT)" if identity else "NULL::BIGINT"),
        errors=SQL(str(ERROR_MASK)),
        interview_errors=SQL(str(_mask(INTERVIEW_PROBLEMS - WARNINGS))),
        interview_warnings=SQL(str(_mask(INTERVIEW_PROBLEMS & WARNINGS))),
        warnings=SQL(str(WARNING_MASK)),
        max_category=SQL(str(MAX_CATEGORY)),
        **{name: SQL(str(bit)) for name, bit in BIT.items()},
    )
    params = {
        "header": staged.header_index,
        "dayfirst": dates.dayfirst,
        "serials": dates.serials,
        "clock_is_time": "time" not in columns,
        "canonical": IDENTITY in columns,
        "low": low,
        "high": high,
        **choice_lists(),
    }
    run(con, statement, params)
    return Checked(table, dates, low, high)


def _mask(names) -> int:
    return sum(BIT[name] for name in names)


def _has_continuation_rows(con, staged: Staged, columns: dict[str, int]) -> bool:
    """Whether any row continues the interview above it: a question, and every interview column empty."""
    if "question" not in columns:
        return False
    interview = [columns[f] for f in (*INTERVIEW_FIELD_NAMES, IDENTITY) if f in columns]
    statement = sql.render(
        "SELECT 1 FROM {stage} s WHERE s.rowid > $header AND {blank} AND NOT {question} LIMIT 1",
        stage=staged.table,
        blank=SQL(" AND ".join(str(parsing.is_blank(parsing.cell(i))) for i in interview)),
        question=parsing.is_blank(parsing.cell(columns["question"])),
    )
    return run(con, statement, {"header": staged.header_index}).fetchone() is not None


_CHECKED = """
CREATE OR REPLACE TEMP TABLE {checked} AS
WITH v AS (
  SELECT *,
    coalesce(date_fixed, CASE WHEN $serials THEN date_serial END,
             CASE WHEN $dayfirst THEN date_dmy ELSE date_mdy END) AS date_read,
    -- A Debrief export names its own categories: no synonyms ("tech" stays "tech").
    CASE WHEN $canonical THEN category_exact ELSE category_value END AS category_read,
    coalesce(decided_fixed, CASE WHEN $serials THEN decided_serial END,
             CASE WHEN $dayfirst THEN decided_dmy ELSE decided_mdy END) AS decided_read,
    -- A date-time's time of day is the interview's time when the file has no time column.
    CASE WHEN $clock_is_time THEN date_clock ELSE time_value END AS time_read,
    CASE rating_kind
      WHEN 'n' THEN CASE WHEN rating_number BETWEEN $low AND $high
                         THEN 1 + (rating_number - $low) * 4 / ($high - $low) END
      WHEN 'f' THEN CASE WHEN rating_denominator > 1 AND rating_number BETWEEN 0 AND rating_denominator THEN
                      CASE WHEN rating_denominator > 10 THEN 1 + rating_number * 4 / rating_denominator
                           ELSE 1 + (rating_number - 1) * 4 / (rating_denominator - 1) END END
      ELSE rating_number END AS rating_scaled,
    hash(date_read, company_role, coalesce($stage_list[stage_code], 'other')) AS match_key
  FROM {parsed}
),
flagged AS (
  SELECT *,
    CASE WHEN short_row THEN {short_row} WHEN long_row THEN {long_row} ELSE
      (CASE WHEN NOT date_present THEN {date_missing} WHEN date_read IS NOT NULL THEN 0
            WHEN date_outside THEN {date_outside} ELSE {date_bad} END)
    | (CASE WHEN NOT company_present THEN {company_missing} ELSE 0 END)
    | (CASE WHEN time_present AND time_value IS NULL THEN {time_bad} ELSE 0 END)
    | (CASE WHEN stage_present AND stage_code IS NULL THEN {stage_bad} ELSE 0 END)
    | (CASE WHEN format_present AND format_code IS NULL THEN {format_bad} ELSE 0 END)
    | (CASE WHEN outcome_present AND outcome_code IS NULL THEN {outcome_bad} ELSE 0 END)
    | (CASE WHEN decided_present AND decided_read IS NULL THEN {decided_bad}
            WHEN decided_read < date_read THEN {decided_early} ELSE 0 END)
    | (CASE WHEN predicted_advance_present AND predicted_advance_percent IS NULL THEN {advance_bad} ELSE 0 END)
    | (CASE WHEN rating_present AND rating_kind IS NULL THEN {rating_bad}
            WHEN rating_kind IS NOT NULL AND rating_scaled IS NULL THEN {rating_range} ELSE 0 END)
    | (CASE WHEN reaction_present AND reaction_code IS NULL THEN {reaction_bad} ELSE 0 END)
    | (CASE WHEN length(category_read) > {max_category} THEN {category_long} ELSE 0 END)
    | (CASE WHEN NOT question_present AND question_details THEN {details_without_question} ELSE 0 END) END
      AS flags
  FROM v
)
SELECT ord, date_read AS date_value,
  CASE WHEN decided_read >= date_read THEN decided_read END AS decided_value,
  time_read AS time_value, predicted_advance_percent AS predicted_advance_value, stage_code, format_code, outcome_code, reaction_code,
  CASE WHEN length(category_read) <= {max_category} THEN category_read END AS category_value,
  question_present AS has_question,
  CASE WHEN rating_scaled IS NOT NULL THEN least(5, greatest(1, floor(rating_scaled + 0.5)))::TINYINT END
    AS rating_value,
  match_key, {interview_key} AS interview_key, {identity} AS identity, {filled} AS filled,
  {interview_ord} AS interview_ord,
  -- A filled-down row shares the problems of the interview above it, which reports them: the row is
  -- rejected with it (its own message), and the interview's warnings are not repeated on it.
  CASE WHEN {filled} AND flags & {interview_errors} <> 0 THEN {interview_above_rejected}
       WHEN {filled} THEN flags & {errors} & ~{interview_errors} ELSE flags & {errors} END AS problems,
  flags & {warnings} & ~(CASE WHEN {filled} THEN {interview_warnings} ELSE 0 END) AS warnings
FROM flagged
"""


def guess_dates(con, staged: Staged, columns: dict[str, int], options: ImportOptions) -> DateGuess:
    """Decide day-first vs month-first for D/M/Y dates: the option, else the file (a number above 12 settles it).

    Reads the date lookups (one row per distinct value, with its row count); needs ``parsing.ensure_lookups``.
    Spreadsheet serial numbers are read as dates when they are at least half of the interview dates.
    """
    guess = _day_or_month_first(con, staged, columns, options)
    if "date" not in columns:
        return guess
    (serial, filled) = run(
        con,
        sql.render(
            "SELECT coalesce(sum(n) FILTER (WHERE date_serial IS NOT NULL), 0), coalesce(sum(n), 0) "
            "FROM {lookup} WHERE date_present",
            lookup=parsing.lookup_table(staged, "date", columns["date"]),
        ),
    ).fetchone()
    return replace(guess, serials=bool(serial) and serial * 2 >= filled)


def _day_or_month_first(con, staged: Staged, columns: dict[str, int], options: ImportOptions) -> DateGuess:
    """The day-first part of ``guess_dates``."""
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
        "date_outside": (
            f'format(\'"{{}}" has a year outside {parsing.FIRST_YEAR}-{parsing.LAST_YEAR}: '
            f"write the year in full (2026, not 0026).', {raw('date')})"
        ),
        "company_missing": "'The company is empty: every row needs the company.'",
        "time_bad": f"format('\"{{}}\" is not a time (use 14:30 or 2:30 PM): the time is left empty.', {raw('time')})",
        "stage_bad": f"format('\"{{}}\" is not a stage Debrief knows ({', '.join(STAGES)}): kept as other.', {raw('stage')})",
        "format_bad": f"format('\"{{}}\" is not a format Debrief knows ({', '.join(FORMATS)}): left empty.', {raw('format')})",
        "outcome_bad": f"format('\"{{}}\" is not an outcome Debrief knows ({', '.join(OUTCOMES)}): kept as pending.', {raw('outcome')})",
        "decided_bad": f"format('\"{{}}\" is not a date Debrief can read: the decision date is left empty.', {raw('decided_on')})",
        "decided_early": "'The decision date is before the interview date: it is left empty; check both.'",
        "advance_bad": (
            f"format('\"{{}}\" is not a chance from 0 to 100 % (write 70 or 70%): the prediction is left empty.', "
            f"{raw('predicted_advance')})"
        ),
        "rating_bad": f"format('\"{{}}\" is not a rating (use a number on the {scale} scale, text like 4/5, stars or a word like good): imported without a rating.', {raw('rating')})",
        "rating_range": (
            f"format('Rating \"{{}}\" is outside the {scale} scale{{}}: imported without a rating.', {raw('rating')}, "
            f"CASE WHEN b.rating_number > $high AND b.rating_number <= 10 THEN ' (if the file rates 1-10, choose that scale)' "
            f"WHEN b.rating_number > $high AND b.rating_number <= 100 THEN ' (if the file rates 0-100, choose that scale)' ELSE '' END)"
        ),
        "reaction_bad": f"format('\"{{}}\" is not a reaction Debrief knows ({', '.join(REACTIONS)}): left empty.', {raw('reaction')})",
        "category_long": f"'The category is longer than {MAX_CATEGORY} characters: imported as other.'",
        "interview_above_rejected": "'This row continues the interview above it (merged cells), which cannot be imported.'",
        "details_without_question": (
            "'This row has question details (rating, category, reaction, ...) but no question: the interview is "
            "imported without them (its notes are kept with the interview).'"
        ),
    }


def problem_rows(
    con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int], checked: Checked, tables: sql.TempTables
) -> list[tuple[int, str | None, str, bool]]:
    """Every problem as (staged row, the file's header or None for the whole row, message, is a warning), by row."""
    (count,) = run(
        con,
        sql.render("SELECT count(*) FROM {checked} WHERE problems <> 0 OR warnings <> 0", checked=checked.table),
    ).fetchone()
    if not count:
        return []
    bad = tables.name("bad")
    only = sql.render(
        "s.rowid IN (SELECT ord FROM {checked} WHERE problems <> 0 OR warnings <> 0)", checked=checked.table
    )
    statement = sql.render(
        "CREATE OR REPLACE TEMP TABLE {bad} AS SELECT c.ord, c.problems | c.warnings AS problems, "
        "p.date_dmy IS NOT NULL AS dmy_ok, p.date_mdy IS NOT NULL AS mdy_ok, p.rating_number "
        "FROM {checked} c JOIN {parsed} p ON p.ord = c.ord WHERE c.problems <> 0 OR c.warnings <> 0",
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
                "SELECT b.ord, {bit} AS bit, $header{n}::VARCHAR AS header, {message} AS message, "
                "{warning} AS warning "
                "FROM {bad} b JOIN {stage} s ON s.rowid = b.ord WHERE b.problems & {bit} <> 0",
                bit=SQL(str(BIT[name])),
                warning=SQL("true" if name in WARNINGS else "false"),
                n=SQL(str(n)),
                message=SQL(messages[name]),
                bad=bad,
                stage=staged.table,
            )
        )
    union = SQL("\nUNION ALL\n".join(parts))
    rows = run(
        con, sql.render("SELECT ord, header, message, warning FROM ({union}) ORDER BY ord, bit", union=union), params
    ).fetchall()
    tables.drop(con, kinds=("bad",))
    return rows


def reader_messages(staged: Staged) -> list[tuple[int, str]]:
    """The records DuckDB's reader rejected, as (record number, message)."""
    out = []
    for reject in staged.reader_rejects:
        if reject.message:  # worded by the staging stage (an unclosed quote, a raised size limit)
            message = reject.message
        elif reject.kind == "TOO MANY COLUMNS":
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
