"""How Debrief writes things for people: counts with their nouns, people, spreadsheet-safe cells.

One home for each, so the pages, the command line, the brief, the export and
the importer say it the same way.
"""

from __future__ import annotations

import re

from analysis.sql import SQL

# --- counting -------------------------------------------------------------------------------------

_IRREGULAR = {"person": "people", "was": "were", "is": "are", "this": "these"}


def plural(n: int, noun: str) -> str:
    """``noun`` as it goes with the number ``n``: "question" for 1, "questions" otherwise."""
    if n == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("", "a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def count(n: int, noun: str) -> str:
    """ "1 question", "2,048 questions": a number with its noun."""
    return f"{n:,} {plural(n, noun)}"


# --- people ---------------------------------------------------------------------------------------


def person(name: str, title: str | None = None) -> str:
    """ "Ana Ruiz (Engineering Manager)", or the name alone when there is no title."""
    name = (name or "").strip()
    title = (title or "").strip()
    return f"{name} ({title})" if title else name


# --- spreadsheet formulas -------------------------------------------------------------------------

# A cell a spreadsheet could run as a formula: it starts with one of these,
# possibly after quotes Debrief added earlier (so that a stored "'=x" survives
# the round trip too). The export puts one ``'`` in front of such a cell and
# the importer takes exactly that one away.
FORMULA_PATTERN = "^'*[=+\\-@\\t\\r]"
_FORMULA = re.compile(FORMULA_PATTERN)
# What the importer removes: the one quote the export added.
QUOTED_FORMULA_PATTERN = "^'+[=+\\-@\\t\\r]"


def looks_like_formula(text: str | None) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula."""
    return bool(text) and bool(_FORMULA.match(text))


def neutralise(text: str | None) -> str:
    """``text`` made safe for a spreadsheet cell: a formula-looking cell gets a leading ``'``."""
    if text is None:
        return ""
    text = str(text)
    return "'" + text if looks_like_formula(text) else text


def neutralise_sql(expr: str) -> SQL:
    """SQL: ``expr`` (a trusted SQL expression) with one ``'`` put in front when it looks like a formula."""
    pattern = FORMULA_PATTERN.replace("'", "''")
    return SQL(f"CASE WHEN regexp_matches({expr}, '{pattern}') THEN '''' || {expr} ELSE {expr} END")
