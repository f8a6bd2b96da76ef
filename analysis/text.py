"""How Debrief writes things for people: counts with their nouns, people, spreadsheet-safe cells.

One home for each, so the pages, the command line, the brief, the export and
the importer say it the same way.
"""

from __future__ import annotations

import re
import string

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


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut: for a value quoted in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(items: list[str], limit: int = 20) -> str:
    """The first ``limit`` items, each clipped, joined by commas; "…" when there are more."""
    shown = ", ".join(clip(item) for item in items[:limit])
    return shown + (", …" if len(items) > limit else "")


# --- people ---------------------------------------------------------------------------------------


def person(name: str, title: str | None = None) -> str:
    """ "Ana Ruiz (Engineering Manager)", or the name alone when there is no title."""
    name = (name or "").strip()
    title = (title or "").strip()
    return f"{name} ({title})" if title else name


# --- the interviewers cell of the canonical CSV ----------------------------------------------------

# "Ana Ruiz (VP \(Eng\)); Ben\; Jr": people separated by ";" (or "|" or a line break), each
# "Name (Title)". Inside a name or title these characters are written after a backslash, so any name
# or title comes back unchanged; a hand-written cell without backslashes reads as it looks.
PEOPLE_ESCAPED = "\\;|()\n"
PEOPLE_SEPARATORS = ";|\n"
_CELL_WHITESPACE = " \t\n\v\f\r"


def parse_people(cell: str) -> list[tuple[str, str | None]]:
    """The (name, title) pairs of an interviewers cell: "Ana Ruiz (EM); Ben" -> [("Ana Ruiz", "EM"), ("Ben", None)].

    A backslash before one of ``PEOPLE_ESCAPED`` makes that character part of
    the name or title (the export writes them so); a title is the bracketed
    text at the end of a part, when it has no brackets of its own.
    """
    people = []
    for part in _parts(cell):
        found = _person_of(part)
        if found is not None:
            people.append(found)
    return people


def parse_list(cell: str | None) -> list[str]:
    """The items of a list cell written like the interviewers cell: "Kafka \\(2023\\); Hiring" -> ["Kafka (2023)", "Hiring"].

    Items are separated by ";" (or "|" or a line break) and a backslash before
    one of ``PEOPLE_ESCAPED`` makes that character part of the item; brackets
    are plain text here. Runs of whitespace become one space; empty items are dropped.
    """
    items = []
    for part in _parts(cell or ""):
        item = " ".join("".join(char for char, _ in part).split())
        if item:
            items.append(item)
    return items


def _parts(cell: str) -> list[list[tuple[str, bool]]]:
    """The cell's characters as (character, written after a backslash), split at unescaped separators."""
    tokens: list[tuple[str, bool]] = []
    index = 0
    while index < len(cell):
        if cell[index] == "\\" and index + 1 < len(cell) and cell[index + 1] in PEOPLE_ESCAPED:
            tokens.append((cell[index + 1], True))
            index += 2
        else:
            tokens.append((cell[index], False))
            index += 1
    parts, part = [], []
    for char, escaped in [*tokens, (";", False)]:
        if escaped or char not in PEOPLE_SEPARATORS:
            part.append((char, escaped))
        else:
            parts.append(part)
            part = []
    return parts


# SQL: a regular-expression replacement putting a backslash before each of ``PEOPLE_ESCAPED``;
# ``parse_people`` and ``parse_list`` read the cell back.
ESCAPE_LIST_ITEM_SQL = "regexp_replace({item}, '([\\\\;|()\n])', '\\\\\\1', 'g')"


def escape_list_item_sql(expr: str) -> SQL:
    """SQL: ``expr`` (a trusted SQL expression) with a backslash before each of ``PEOPLE_ESCAPED``."""
    return SQL(ESCAPE_LIST_ITEM_SQL.format(item=expr))


def _person_of(tokens: list[tuple[str, bool]]) -> tuple[str, str | None] | None:
    """(name, title) of one person's tokens, None when there is no name."""
    tokens = _strip_tokens(tokens)
    if not tokens:
        return None
    if tokens[-1] == (")", False):
        opening = max((i for i, t in enumerate(tokens) if t == ("(", False)), default=None)
        inner = tokens[opening + 1 : -1] if opening is not None else []
        name = _strip_tokens(tokens[:opening]) if opening is not None else []
        if name and (")", False) not in inner:
            title = "".join(c for c, _ in _strip_tokens(inner))
            return "".join(c for c, _ in name), title or None
    return "".join(c for c, _ in tokens), None


def _strip_tokens(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    start, end = 0, len(tokens)
    while start < end and not tokens[start][1] and tokens[start][0] in _CELL_WHITESPACE:
        start += 1
    while end > start and not tokens[end - 1][1] and tokens[end - 1][0] in _CELL_WHITESPACE:
        end -= 1
    return tokens[start:end]


# --- spreadsheet formulas -------------------------------------------------------------------------

# A cell a spreadsheet could run as a formula: it starts with one of these,
# possibly after quotes Debrief added earlier (so that a stored "'=x" survives
# the round trip too). The export puts one ``'`` in front of such a cell and
# the importer takes exactly that one away.
#
# Also guarded, because a spreadsheet may run them (and a quote costs nothing):
# - spaces before the sign (" =1+1"): Excel and LibreOffice offer to trim cells on
#   import, and a trimmed cell is a formula again; no-break and ideographic spaces too;
# - the full-width signs (＝ ＋ － ＠): a Japanese or Chinese input method types them,
#   and Excel in those locales takes "＝1+1" as a formula.
# The character classes are spelled out, not \s, so Python's re and DuckDB's RE2
# (the export runs this pattern in SQL) agree on every character.
_SIGNS = "=+\\-@\uff1d\uff0b\uff0d\uff20"
FORMULA_PATTERN = f"^'*[ \u00a0\u3000]*[{_SIGNS}\\t\\r]"
_FORMULA = re.compile(FORMULA_PATTERN)
# What the importer removes: the one quote the export added.
QUOTED_FORMULA_PATTERN = f"^'+[ \u00a0\u3000]*[{_SIGNS}\\t\\r]"


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


# --- showing user text literally ------------------------------------------------------------------

# CommonMark lets a backslash escape any ASCII punctuation, and an escaped
# character is always shown as itself: escaping all of it leaves no Markdown,
# HTML (<), entity (&), LaTeX ($), Streamlit directive (:red[...], :material/x:)
# or auto-link (http:, www., a@b.c) to form. The few marks that start nothing
# on their own are left as they are, so paths and sentences stay readable.
_NEVER_MARKUP = "\"',;?/%"
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation if c not in _NEVER_MARKUP})


# GFM's auto-links (http://, https://, www., a@b.c) are found in the text after
# escapes are read, so escaping cannot stop them: an invisible word joiner
# before the "://", the "." after "www" and the "@" does.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=\w)(?=://)|(?<=www)(?=\.)|(?<=[\w.+-])(?=@)", re.IGNORECASE)


def markdown_literal(value: object) -> str:
    """``value`` as Markdown that shows exactly its text: nothing in it becomes a link, image, tag or heading.

    For every place user text or a file's text meets a Markdown renderer: the
    app's pages (through ``ui.literal``) and the brief download. None is "".
    """
    if value is None:
        return ""
    text = _AUTOLINK.sub(WORD_JOINER, str(value))
    # Line breaks stay line breaks (a hard break), not a new paragraph or a setext heading underline.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").translate(_MARKDOWN_ESCAPES).split("\n")
    # Leading spaces would make an indented line a code block: keep them as non-breaking spaces.
    return "  \n".join(_keep_indent(line) for line in lines)


def _keep_indent(line: str) -> str:
    stripped = line.lstrip(" \t")
    return "\u00a0" * (len(line) - len(stripped)) + stripped
