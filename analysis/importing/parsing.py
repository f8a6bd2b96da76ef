"""Value parsing in SQL, per kind of field: text, date, time, rating and the fixed vocabularies.

Set-based: values that repeat (dates, ratings, stages, outcomes, categories,
times) are parsed once per distinct cell in small lookup tables joined back on
the raw cell; ``parsed_select`` is one row per non-blank data row with every
value parsed and both readings of a D/M/Y date kept, so that the checking
stage can choose between them. Staged columns are ``c0``, ``c1``, ... and the
only other identifiers are this package's temporary tables.
"""

from __future__ import annotations

import duckdb

from analysis import sql
from analysis.importing.mapping import IDENTITY
from analysis.importing.running import run
from analysis.importing.staging import Staged
from analysis.importing.vocabulary import (
    CHOICES,
    DEFAULTS,
    NAMED_DATE_FORMATS,
    NO_RATING,
    RATING_WORDS,
    TIME_FORMATS,
    normalise_word_sql,
    vocabulary_params,
)
from analysis.schema import (
    FIELD,
    FIELDS,
    INTERVIEW_FIELD_NAMES,
    KEEP_WHITESPACE,
    QUESTION_FIELD_NAMES,
    question_key_sql,
)
from analysis.sql import SQL
from analysis.text import QUOTED_FORMULA_PATTERN

NOTHING = SQL("")
# The interview field that holds the notes of a row without a question.
NOTES_OF_INTERVIEW = "role_notes"
# Field kinds stored as the file's text (cleaned), not parsed into another type.
TEXT_KINDS = ("text", "people", "stories")
WHITESPACE = SQL("(' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))")


def cell(index: int, alias: str = "s") -> SQL:
    """SQL: staged column ``index`` of the staging table aliased ``alias``."""
    return SQL(f"{alias}.c{index}")


# --- text ----------------------------------------------------------------------------------------


def _edge_whitespace(x: str) -> SQL:
    """SQL: ``x`` may start or end with whitespace (first/last character at most a space).

    Cheap tests that let most values skip ``trim``, which is slow on long text;
    ``IN (...)`` lists are avoided because DuckDB turns them into joins.
    """
    return SQL(f"(ascii({x}) <= 32 OR ascii(substr({x}, length({x}), 1)) <= 32)")


def says_no_value(x: str) -> str:
    """SQL: the cell ``x`` is what a spreadsheet writes for "no value" (``NO_RATING``: "n/a", "-", ...)."""
    return f"list_contains([{', '.join(sql.literal(w) for w in NO_RATING)}], lower({x}))"


def is_blank(x: str) -> SQL:
    """SQL: the cell ``x`` is missing, empty or only whitespace."""
    # CASE, not OR/AND: DuckDB evaluates every operand of a conjunction, and trim() is slow on long text.
    return SQL(
        f"(CASE WHEN {x} IS NULL OR {x} = '' THEN true WHEN ascii({x}) <= 32 THEN trim({x}, {WHITESPACE}) = '' "
        "ELSE false END)"
    )


def text_value(x: str, keep_whitespace: bool) -> SQL:
    """SQL: a staged cell as stored.

    The export's anti-formula quote is removed (one ' before =, +, -, @, tab or
    CR); the text is stripped unless ``keep_whitespace`` (free-text notes); blank is NULL.
    """
    unquoted = f"substr({x}, 2)"
    quoted = f"starts_with({x}, '''') AND regexp_matches({x}, {sql.literal(QUOTED_FORMULA_PATTERN)})"
    if keep_whitespace:
        return SQL(
            f"(CASE WHEN {x} IS NULL OR {x} = '' THEN NULL WHEN {quoted} THEN {unquoted} "
            f"WHEN ascii({x}) <= 32 THEN (CASE WHEN trim({x}, {WHITESPACE}) = '' THEN NULL ELSE {x} END) "
            f"ELSE {x} END)"
        )
    return SQL(
        f"(CASE WHEN {x} IS NULL OR {x} = '' THEN NULL "
        f"WHEN {quoted} THEN nullif(trim({unquoted}, {WHITESPACE}), '') "
        f"WHEN {_edge_whitespace(x)} THEN nullif(trim({x}, {WHITESPACE}), '') ELSE {x} END)"
    )


def texts_select(columns: dict[str, int], fields, stage: SQL, where: SQL = NOTHING) -> SQL:
    """A derived table over the staging table: ``ord`` and ``text_<field>`` (see ``text_value``) for ``fields``.

    A row without a question is an interview alone (a tracker's row): its
    ``notes`` are the interview's notes, kept after any role notes of the row
    as ``text_role_notes`` (shown under "The role").
    """
    items = ["s.rowid AS ord"]
    for name in fields:
        if name not in columns:
            value = "NULL::VARCHAR"
        else:
            value = text_value(cell(columns[name]), name in KEEP_WHITESPACE)
        if name == NOTES_OF_INTERVIEW and "notes" in columns:
            notes = text_value(cell(columns["notes"]), True)
            no_question = is_blank(cell(columns["question"])) if "question" in columns else "true"
            value = (
                f"CASE WHEN {no_question} AND {notes} IS NOT NULL "
                f"THEN concat_ws(chr(10) || chr(10), {value}, {notes}) ELSE {value} END"
            )
        items.append(f"{value} AS text_{name}")
    return sql.render("(SELECT {items} FROM {stage} s {where})", items=SQL(", ".join(items)), stage=stage, where=where)


def _spacing_key(text: str, stripped: bool = False) -> SQL:
    """SQL: lower case, trimmed, runs of whitespace as one space; the same for file and database values.

    The regular expression runs only on values that need it (cheap byte tests first).
    """
    x = f"coalesce({text}, '')"
    tests = [f"contains({x}, '  ')", *(f"contains({x}, chr({c}))" for c in (9, 10, 11, 12, 13))]
    if not stripped:
        tests.insert(0, _edge_whitespace(x))
    return SQL(
        f"lower(CASE WHEN {' OR '.join(tests)} THEN trim(regexp_replace({x}, '\\s+', ' ', 'g'), {WHITESPACE}) "
        f"ELSE {x} END)"
    )


def company_role_hash(company: str, role: str, stripped: bool = False) -> SQL:
    """SQL: a hash of company and role that ignores case and spacing (with date and stage it keys an interview)."""
    return SQL(f"hash({_spacing_key(company, stripped)}, {_spacing_key(role, stripped)})")


def question_hash(text: str) -> SQL:
    """SQL: a hash of ``schema.question_key`` of the question in ``text``: the one "same question" rule."""
    return SQL(f"hash({question_key_sql(text)})")


# --- dates, times and ratings --------------------------------------------------------------------

_DAY_MONTH = "^(\\d{1,2})[./-](\\d{1,2})[./-](\\d{4}|\\d{2})$"
_ISO = "^(\\d{4}-\\d{1,2}-\\d{1,2})$"
# A range ("March 20, 2026 → March 21, 2026", "2026-03-20 - 2026-03-21") is read as its start.
_RANGE = "\\s*(→|⟶|->|\\s[-–—~]\\s|\\sto\\s|\\suntil\\s).*$"
# A date-time's time of day: "7/14/2023 15:32:10", "March 5, 2026 2:30 PM", "2026-03-05T14:30:00Z".
_TIME_TAIL = (
    "^(.*?[0-9A-Za-z])[T\\s,@]+(?:at\\s+)?"
    "(\\d{1,2}(?::\\d{2}){1,2}(?:[.,]\\d+)?(?:\\s*[AaPp]\\.?[Mm]\\.?)?|\\d{1,2}\\s*[AaPp]\\.?[Mm]\\.?)"
    "\\s*(?:Z|[+-]\\d{2}:?\\d{2}|UTC|GMT)?$"
)
# Spreadsheet serial numbers between 1960 and 2100 (day 0 is 1899-12-30 in Excel's 1900 system).
_SERIAL = "^\\d{5}([.,]\\d+)?$"
PIVOT = 70  # two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _two_digit_year(year: str) -> str:
    """SQL: a year's digits as a number, two-digit years by the ``PIVOT``."""
    return (
        f"(CASE WHEN length({year}) = 2 THEN TRY_CAST({year} AS INTEGER) "
        f"+ CASE WHEN TRY_CAST({year} AS INTEGER) < {PIVOT} THEN 2000 ELSE 1900 END "
        f"ELSE TRY_CAST({year} AS INTEGER) END)"
    )


def _date_passes(prefix: str) -> list[list[str]]:
    """The passes that read a date's text ``x``, each over the columns of the passes before it.

    Each step's result is a column the next pass names, never its expression pasted again:
    DuckDB binds (and compiles the regular expressions of) every copy of an expression, and
    the copies cost an import tens of milliseconds before it reads a row. In order: the date
    part (a range cut to its start, a time of day split off, weekday, ordinal and dotted
    abbreviations tidied, a trailing two-digit year expanded); then the unambiguous forms, a
    serial number and the numbers of a D/M/Y form; then both readings of that form.
    """
    p = prefix
    iso_quick = "length(x) = 10 AND substr(x, 5, 1) = '-' AND substr(x, 8, 1) = '-'"
    tidied = (
        f"regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace({p}_day, "
        f"'^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+', '', 'i'), "
        f"'(\\d)(st|nd|rd|th)\\b', '\\1', 'gi'), '\\bsept\\b', 'Sep', 'gi'), '\\b([A-Za-z]{{3,4}})\\.', '\\1', 'g'), "
        f"'\\s+', ' ', 'g')"
    )
    return [
        [
            f"x IS NOT NULL AS {p}_present",
            f"coalesce({iso_quick}, false) AS {p}_iso",
        ],
        # 2024-03-05 is by far the commonest form: it skips every regular expression.
        [f"CASE WHEN x IS NULL OR {p}_iso THEN NULL ELSE regexp_replace(x, '{_RANGE}', '') END AS {p}_start"],
        [f"regexp_matches({p}_start, '{_TIME_TAIL}') AS {p}_timed"],
        [
            f"CASE WHEN {p}_timed THEN regexp_extract({p}_start, '{_TIME_TAIL}', 1) ELSE {p}_start END AS {p}_day",
            f"CASE WHEN {p}_timed THEN regexp_extract({p}_start, '{_TIME_TAIL}', 2) END AS {p}_clock_text",
        ],
        [f"{tidied} AS {p}_tidied"],
        # "5-Mar-26", "Mar 5, 26": a named month and a two-digit year at the end.
        [
            f"regexp_matches({p}_tidied, '[A-Za-z]') AND regexp_matches({p}_tidied, '\\d\\D+\\d{{2}}$') AS {p}_short",
            f"regexp_extract({p}_tidied, '(\\d{{2}})$', 1) AS {p}_short_year",
        ],
        [
            f"CASE WHEN x IS NULL THEN NULL WHEN {p}_iso THEN x WHEN {p}_short "
            f"THEN left({p}_tidied, length({p}_tidied) - 2) || {_two_digit_year(p + '_short_year')}::VARCHAR "
            f"ELSE {p}_tidied END AS {p}_text"
        ],
        _date_reading(p),
        [
            f"{_two_digit_year(p + '_parts.year')} AS {p}_year",
            f"TRY_CAST({p}_parts.first AS INTEGER) AS {p}_first",
            f"TRY_CAST({p}_parts.second AS INTEGER) AS {p}_second",
        ],
        [
            f"try(make_date({p}_year, {p}_second, {p}_first)) AS {p}_dmy_any",
            f"try(make_date({p}_year, {p}_first, {p}_second)) AS {p}_mdy_any",
        ],
    ]


def _date_reading(prefix: str) -> list[str]:
    """The date part read: the unambiguous forms, a serial number, and the numbers of a D/M/Y form."""
    x = f"{prefix}_text"
    named = "[" + ", ".join(sql.literal(f) for f in NAMED_DATE_FORMATS) + "]"
    day_month = f"{x} IS NOT NULL AND NOT {prefix}_iso AND regexp_matches({x}, '{_DAY_MONTH}')"
    return [
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {prefix}_iso THEN TRY_CAST({x} AS DATE) "
        f"WHEN regexp_matches({x}, '{_ISO}') THEN try_strptime({x}, '%Y-%m-%d')::DATE "
        f"WHEN regexp_matches({x}, '^\\d{{4}}[/.]\\d{{1,2}}[/.]\\d{{1,2}}$') "
        f"THEN try_strptime(regexp_replace({x}, '[/.]', '-', 'g'), '%Y-%m-%d')::DATE "
        f"WHEN regexp_matches({x}, '[A-Za-z]') THEN try_strptime({x}, {named})::DATE "
        f"END AS {prefix}_any",
        f"CASE WHEN regexp_matches({x}, '{_SERIAL}') THEN DATE '1899-12-30' "
        f"+ TRY_CAST(regexp_extract({x}, '^\\d+') AS INTEGER) END AS {prefix}_serial_any",
        f"CASE WHEN {day_month} THEN regexp_extract({x}, '{_DAY_MONTH}', ['first', 'second', 'year']) "
        f"END AS {prefix}_parts",
        f"CASE WHEN {day_month} THEN contains({x}, '.') END AS {prefix}_dot",
        f"CASE WHEN {prefix}_clock_text IS NOT NULL THEN {_time_value(prefix + '_clock_text')} END AS {prefix}_clock",
    ]


def _in_range(date: str) -> str:
    """SQL: ``date`` when its year is within FIRST_YEAR..LAST_YEAR, else NULL (never stored)."""
    return f"CASE WHEN year({date}) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} THEN {date} END"


def _date_columns(prefix: str) -> list[str]:
    """The date lookup's columns (``_DATE_COLUMNS``) from its passes: every reading in range, or flagged."""
    p = prefix
    readings = [f"{p}_any", f"{p}_dmy_any", f"{p}_mdy_any"]
    return [
        f"{p}_present",
        f"{p}_dot",
        f"{p}_clock",
        f"{_in_range(p + '_any')} AS {p}_fixed",
        f"{_in_range(p + '_serial_any')} AS {p}_serial",
        f"{p}_first",
        f"{p}_second",
        f"{_in_range(p + '_dmy_any')} AS {p}_dmy",
        f"{_in_range(p + '_mdy_any')} AS {p}_mdy",
        "(" + " OR ".join(f"year({r}) NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}" for r in readings) + ")"
        f" IS TRUE AS {p}_outside",
    ]


def _time_value(x: str) -> str:
    formats = "[" + ", ".join(sql.literal(f) for f in TIME_FORMATS) + "]"
    return (
        f"coalesce(TRY_CAST({x} AS TIME), "
        f"try_strptime(upper(regexp_replace(replace({x}, '.', ''), '\\s+', ' ', 'g')), {formats})::TIME, "
        f"try_strptime({x}, {formats})::TIME)"
    )


def _rating_reading(x: str) -> list[str]:
    """A rating's kind (n number, f fraction, l labelled number, w word, s stars), number and denominator.

    "N/A", "-" and the like (``NO_RATING``) are no rating at all, as a blank is.
    """
    words = "MAP([" + ", ".join(sql.literal(w) for w in RATING_WORDS) + "], ["
    words += ", ".join(str(n) for n in RATING_WORDS.values()) + "])"
    word = f"map_extract_value({words}, lower(trim(regexp_replace({x}, '[.!]+$', ''))))"
    number = "^[+]?\\d+([.,]\\d+)?$"
    fraction = "^(\\d+(?:[.,]\\d+)?)\\s*/\\s*(\\d+(?:[.,]\\d+)?)$"
    label = "^([1-5])\\s*(–|-|—|:|=)\\s*\\D"
    # ★★★☆☆ counts its filled stars; ⭐ may carry an emoji variation selector.
    stars = "^[★☆✩✰⭐*\\x{FE0F}\\s]+$"
    filled = f"length(regexp_replace({x}, '[^★⭐*]', '', 'g'))"
    # Plain numbers first with a cast (starting with a digit keeps out "nan" and "inf").
    quick = f"ascii({x}) BETWEEN 48 AND 57 AND TRY_CAST({x} AS DOUBLE) IS NOT NULL"
    kind = (
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {quick} THEN 'n' WHEN regexp_matches({x}, '{number}') THEN 'n' "
        f"WHEN regexp_matches({x}, '{fraction}') THEN 'f' WHEN regexp_matches({x}, '{label}') THEN 'l' "
        f"WHEN {word} IS NOT NULL THEN 'w' WHEN regexp_matches({x}, '{stars}') AND {filled} > 0 THEN 's' END"
    )
    return [
        f"{x} IS NOT NULL AND NOT {says_no_value(x)} AS rating_present",
        f"{kind} AS rating_kind",
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {quick} THEN TRY_CAST({x} AS DOUBLE) "
        f"WHEN regexp_matches({x}, '{number}') THEN TRY_CAST(replace({x}, ',', '.') AS DOUBLE) "
        f"WHEN regexp_matches({x}, '{fraction}') "
        f"THEN TRY_CAST(replace(regexp_extract({x}, '{fraction}', 1), ',', '.') AS DOUBLE) "
        f"WHEN regexp_matches({x}, '{label}') THEN TRY_CAST(left({x}, 1) AS DOUBLE) "
        f"WHEN {word} IS NOT NULL THEN {word}::DOUBLE "
        f"WHEN regexp_matches({x}, '{stars}') THEN {filled}::DOUBLE END AS rating_number",
        f"CASE WHEN {x} IS NULL OR ({quick}) THEN NULL WHEN regexp_matches({x}, '{fraction}') "
        f"THEN TRY_CAST(replace(regexp_extract({x}, '{fraction}', 2), ',', '.') AS DOUBLE) END AS rating_denominator",
    ]


# A percentage as a whole number, "70", "70 %" or "70.0" (a spreadsheet's whole number), from 0 to 100.
_PERCENT = "^(\\d{1,3})(?:[.,]0+)?\\s*%?$"


def _percent_reading(field: str, x: str) -> list[str]:
    """A percentage field's presence and value (None when it is not a whole number from 0 to 100).

    What a spreadsheet writes for "no value" (``NO_RATING``: "n/a", "-", ...) is no value, as a blank is.
    """
    number = f"TRY_CAST(regexp_extract({x}, '{_PERCENT}', 1) AS INTEGER)"
    return [
        f"{x} IS NOT NULL AND NOT {says_no_value(x)} AS {field}_present",
        f"CASE WHEN regexp_matches({x}, '{_PERCENT}') AND {number} <= 100 THEN {number}::SMALLINT END "
        f"AS {field}_percent",
    ]


# --- lookups of distinct values ------------------------------------------------------------------

_DATE_COLUMNS = ("present", "fixed", "serial", "first", "second", "dot", "dmy", "mdy", "outside", "clock")
_DATE_PREFIX = {"date": "date", "decided_on": "decided"}

# Fields parsed once per distinct cell value through a lookup table, and the columns each lookup provides.
LOOKUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": tuple(f"date_{c}" for c in _DATE_COLUMNS),
    "decided_on": tuple(f"decided_{c}" for c in _DATE_COLUMNS),
    "time": ("time_present", "time_value"),
    "rating": ("rating_present", "rating_kind", "rating_number", "rating_denominator"),
    **{kind: (f"{kind}_present", f"{kind}_code") for kind in CHOICES},
    "category": ("category_present", "category_value", "category_exact"),
    **{f.name: (f"{f.name}_present", f"{f.name}_percent") for f in FIELDS if f.kind == "percent"},
}
_LOOKUP_TYPES = {
    "present": "BOOLEAN",
    "fixed": "DATE",
    "serial": "DATE",
    "outside": "BOOLEAN",
    "clock": "TIME",
    "first": "INTEGER",
    "second": "INTEGER",
    "dot": "BOOLEAN",
    "dmy": "DATE",
    "mdy": "DATE",
    "time_value": "TIME",
    "rating_kind": "VARCHAR",
    "rating_number": "DOUBLE",
    "rating_denominator": "DOUBLE",
    "code": "TINYINT",
    "category_value": "VARCHAR",
    "category_exact": "VARCHAR",
    "percent": "SMALLINT",
}


def _lookup_type(column: str) -> str:
    for suffix, kind in _LOOKUP_TYPES.items():
        if column == suffix or column.endswith("_" + suffix):
            return kind
    raise KeyError(column)


def _lookup_exprs(field: str) -> list[str]:
    """SQL over ``x`` (the cleaned text of one distinct cell) for a field's lookup columns."""
    if field == "time":
        return ["x IS NOT NULL AS time_present", f"{_time_value('x')} AS time_value"]
    if field == "rating":
        return _rating_reading("x")
    if FIELD[field].kind == "percent":
        return _percent_reading(field, "x")
    if field == "category":
        category = _spacing_key("x", stripped=True)
        # A blank category is no category (the default), never a category named "".
        return [
            "x IS NOT NULL AS category_present",
            f"CASE WHEN x IS NOT NULL THEN coalesce(map_extract_value(MAP($category_k, $category_v), {category}), "
            f"{category}) END AS category_value",
            f"CASE WHEN x IS NOT NULL THEN {category} END AS category_exact",
        ]
    words = f"MAP(${field}_k, ${field}_v)"
    # The exact spelling first; the regular-expression tidy-up only for values that miss.
    return [
        f"x IS NOT NULL AS {field}_present",
        f"coalesce(map_extract_value({words}, lower(x)), map_extract_value({words}, {normalise_word_sql('x')}))"
        f"::TINYINT AS {field}_code",
    ]


def lookup_table(staged: Staged, field: str, index: int) -> SQL:
    """The name of the lookup of distinct values of staged column ``index`` read as ``field``."""
    return staged.tables.name(f"lookup_{field}_c{index}")


def ensure_lookups(con: duckdb.DuckDBPyConnection, staged: Staged, columns: dict[str, int]) -> None:
    """Create (once per staging table and column) the lookup of every distinct value of the parsed fields."""
    params = {"header": staged.header_index, **vocabulary_params()}
    made = set(staged.tables.existing(con))  # one look at the catalogue, not one per field
    for field in LOOKUP_COLUMNS:
        if field not in columns or staged.tables.unquoted(f"lookup_{field}_c{columns[field]}") in made:
            continue
        inner = sql.render(
            "SELECT raw, n, {x} AS x FROM (SELECT {cell} AS raw, count(*) AS n FROM {stage} s "
            "WHERE s.rowid > $header AND {cell} IS NOT NULL GROUP BY {cell})",
            x=text_value("raw", field in KEEP_WHITESPACE),
            cell=cell(columns[field]),
            stage=staged.table,
        )
        if field in _DATE_PREFIX:
            prefix = _DATE_PREFIX[field]
            select = inner
            for step in _date_passes(prefix):
                select = sql.render("SELECT *, {step} FROM ({select})", step=SQL(", ".join(step)), select=select)
            select = sql.render(
                "SELECT raw, n, {columns} FROM ({select})",
                columns=SQL(", ".join(_date_columns(prefix))),
                select=select,
            )
        else:
            exprs = SQL(", ".join(_lookup_exprs(field)))
            select = sql.render("SELECT raw, n, {exprs} FROM ({inner})", exprs=exprs, inner=inner)
        statement = sql.render(
            "CREATE OR REPLACE TEMP TABLE {lookup} AS {select}",
            lookup=lookup_table(staged, field, columns[field]),
            select=select,
        )
        run(con, statement, params)


# --- every row parsed ----------------------------------------------------------------------------


_CASE_CHAIN_LIMIT = 256  # staged columns up to which a blank row is found with a CASE chain


def _row_shape(staged: Staged, columns: dict[str, int]) -> list[str]:
    """SQL items over ``s``: whether the row is blank, too short, too long, or has question details."""
    staged_columns = range(staged.column_count)
    if staged.column_count <= _CASE_CHAIN_LIMIT:
        # CASE chains stop at the first filled cell; AND/OR would evaluate every operand for every row.
        blank = (
            "CASE " + " ".join(f"WHEN NOT {is_blank(cell(i))} THEN false" for i in staged_columns) + " ELSE true END"
        )
    else:
        # A chain of thousands of branches takes DuckDB seconds to plan; one concat of every cell does not.
        everything = "concat(" + ", ".join(cell(i) for i in staged_columns) + ")"
        blank = f"trim({everything}, {WHITESPACE}) = ''"
    short = " OR ".join(f"{cell(i)} IS NULL" for i in sorted(set(columns.values()))) or "false"
    long = " OR ".join(f"coalesce({cell(i)}, '') <> ''" for i in range(staged.width, staged.column_count)) or "false"
    # A row without a question keeps its notes as the interview's notes; its other question details are lost.
    details = [f for f in QUESTION_FIELD_NAMES if f not in ("question", "notes") and f in columns]
    # A rating of "N/A" or "-" is no rating (as it is read), so no detail to lose either.
    has_details = (
        "CASE "
        + " ".join(
            f"WHEN NOT {is_blank(cell(columns[f]))}"
            + (f" AND NOT {says_no_value(text_value(cell(columns[f]), False))}" if f == "rating" else "")
            + " THEN true"
            for f in details
        )
        + " ELSE false END"
        if details
        else "false"
    )
    return [
        f"({blank}) AS blank_row",
        f"({short}) AS short_row",
        f"({long}) AS long_row",
        f"({has_details}) AS question_details",
    ]


def parsed_select(columns: dict[str, int], staged: Staged, only: SQL = NOTHING, *, continuation: bool = False) -> SQL:
    """A derived table: one row per non-blank data row with every value parsed, both readings of D/M/Y dates.

    Needs ``ensure_lookups`` first, and the parameter $header. ``only`` narrows
    the staged rows (a condition on ``s.rowid``). With ``continuation`` each row
    also says whether its interview columns are all empty (``interview_blank``)
    and whether it continues the interview above (``continuation``: a question too).
    """
    items = ["s.rowid AS ord", *_row_shape(staged, columns)]
    for name in ("company", "role", "question", IDENTITY):
        value = text_value(cell(columns[name]), False) if name in columns else "NULL"
        items.append(f"{value} AS text_{name}")
    if continuation:
        interview = [columns[f] for f in (*INTERVIEW_FIELD_NAMES, IDENTITY) if f in columns]
        items.append("(" + " AND ".join(str(is_blank(cell(i))) for i in interview) + ") AS interview_blank")
    items += [f"{cell(columns[f])} AS raw_{f}" for f in LOOKUP_COLUMNS if f in columns]
    outer = [
        "b.ord",
        "b.short_row",
        "b.long_row",
        "b.question_details",
        "b.text_company IS NOT NULL AS company_present",
        f"{company_role_hash('b.text_company', 'b.text_role', stripped=True)} AS company_role",
        "b.text_question IS NOT NULL AS question_present",
        f"b.text_{IDENTITY}",
    ]
    if continuation:
        outer += ["b.interview_blank", "b.interview_blank AND b.text_question IS NOT NULL AS continuation"]
    joins = []
    for n, (field, names) in enumerate(LOOKUP_COLUMNS.items()):
        if field in columns:
            alias = f"lookup{n}"
            joins.append(
                f"LEFT JOIN {lookup_table(staged, field, columns[field])} {alias} ON {alias}.raw = b.raw_{field}"
            )
            outer += [
                f"coalesce({alias}.{name}, false) AS {name}" if name.endswith("_present") else f"{alias}.{name}"
                for name in names
            ]
        else:
            outer += [
                f"false AS {name}" if name.endswith("_present") else f"NULL::{_lookup_type(name)} AS {name}"
                for name in names
            ]
    return sql.render(
        "(SELECT {outer} FROM (SELECT {items} FROM {stage} s WHERE s.rowid > $header {only}) b {joins} "
        "WHERE NOT b.blank_row)",
        outer=SQL(", ".join(outer)),
        items=SQL(", ".join(items)),
        stage=staged.table,
        only=SQL(f"AND {only}") if only else NOTHING,
        joins=SQL(" ".join(joins)),
    )


def filled_down(parsed: SQL, columns: dict[str, int]) -> SQL:
    """``parsed`` (made with ``continuation``) with merged cells filled down.

    A continuation row takes every interview value of the last row above it
    that has interview columns, in file order; ``filled`` says which rows did
    and ``anchor`` is the row they took them from.
    """
    interview = [f for f in LOOKUP_COLUMNS if f in INTERVIEW_FIELD_NAMES]
    copied = ["company_present", "company_role", f"text_{IDENTITY}"]
    copied += [name for f in interview for name in LOOKUP_COLUMNS[f]]
    replaced = ", ".join(f"CASE WHEN p.anchor IS NOT NULL THEN a.{c} ELSE p.{c} END AS {c}" for c in copied)
    return sql.render(
        "(WITH parsed AS (SELECT * FROM {parsed}), anchored AS (SELECT *, CASE WHEN continuation THEN "
        "max(CASE WHEN NOT interview_blank THEN ord END) OVER (ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING "
        "AND 1 PRECEDING) END AS anchor FROM parsed) "
        "SELECT p.* REPLACE ({replaced}), p.anchor IS NOT NULL AS filled "
        "FROM anchored p LEFT JOIN parsed a ON a.ord = p.anchor)",
        parsed=parsed,
        replaced=SQL(replaced),
    )


# --- values as stored ----------------------------------------------------------------------------

# Columns of the checked table that hold a parsed field's value, by field.
PARSED_VALUE = {
    "date": "date_value",
    "decided_on": "decided_value",
    "time": "time_value",
    "rating": "rating_value",
    "category": "category_value",
    **{f.name: f"{f.name}_value" for f in FIELDS if f.kind == "percent"},
}


def stored_value(field: str, parsed: str, texts: str, *, defaults: bool = True) -> SQL:
    """SQL: the value of ``field`` as it will be stored, over the checked table ``parsed`` and ``texts_select``.

    With ``defaults`` a stage, outcome or question category the file leaves
    empty takes its default; without, it stays NULL (so another row can fill it in).
    """
    kind = FIELD[field].kind
    if kind in TEXT_KINDS:
        return SQL(f"{texts}.text_{field}")
    if kind in CHOICES:
        value = f"${kind}_list[{parsed}.{kind}_code]"
    else:
        value = f"{parsed}.{PARSED_VALUE[field]}"
    if field == "category":
        # A category belongs to a question: a row without one has none.
        default = sql.literal(DEFAULTS["category"])
        return SQL(f"CASE WHEN {parsed}.has_question THEN coalesce({value}, {default}) END")
    if defaults and kind in DEFAULTS:
        return SQL(f"coalesce({value}, {sql.literal(DEFAULTS[kind])})")
    return SQL(value)
