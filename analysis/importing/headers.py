"""The header row: which of the first rows it is, its cells made unique, and how well it maps.

A row is scored by the fields ``mapping.guess_mapping`` finds in it (the
required ones first), plus the fields the user mapped by hand. Only cells that
share a word with some field name or synonym are passed to the guess, so a
file of 10,000 columns is scored in milliseconds with the same answer.
"""

from __future__ import annotations

import functools
import re

from analysis.importing.mapping import guess_mapping, normalise_header, with_overrides
from analysis.importing.vocabulary import HEADER_SYNONYMS, PERCENT_HEADER_SYNONYMS
from analysis.schema import FIELD_NAMES, REQUIRED, STORY_BANK_HEADERS

SEARCH_ROWS = 12  # the header is looked for among this many first rows
LONGEST_HEADER = 200  # characters: a longer cell is never taken for a field's header


def cells_of(row: tuple) -> list[str]:
    """A row's cells as header text: stripped, no byte-order mark, trailing empty cells dropped."""
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


@functools.cache
def _vocabulary() -> frozenset[str]:
    """Every word of every field name and header synonym, normalised: a header with none of them maps to nothing."""
    words: set[str] = set()
    for name in FIELD_NAMES:
        for text in (name, *HEADER_SYNONYMS.get(name, ()), *PERCENT_HEADER_SYNONYMS.get(name, ())):
            words.update(normalise_header(_split_camel_case(text)).split())
            words.update(normalise_header(text).split())
    return frozenset(words)


def _split_camel_case(text: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)


def quick_guess(headers: list[str]) -> dict[str, str]:
    """``guess_mapping`` over headers sharing a word with a field name or synonym: same answer, 10,000 columns fast."""
    # A cell of a paragraph is a note, not a header: skip it before any regular expression sees it.
    plausible = [header for header in headers if len(header) <= LONGEST_HEADER and _could_map(header)]
    return guess_mapping(plausible) if plausible else {}


@functools.lru_cache(maxsize=1 << 16)
def _could_map(header: str) -> bool:
    """Whether ``header`` shares a word with a field name or synonym (cached: each sniff attempt sees the same cells)."""
    vocabulary = _vocabulary()
    return not vocabulary.isdisjoint(normalise_header(_split_camel_case(header)).split()) or not (
        vocabulary.isdisjoint(normalise_header(header).split())
    )


# --- a story bank's header ------------------------------------------------------------------------

STORY_PARTS = tuple(name for name in STORY_BANK_HEADERS if name not in ("title", "competencies"))
# Headers a story bank may use for its columns, besides ``STORY_BANK_HEADERS`` themselves.
_BANK_SYNONYMS = {"story": "title", "story title": "title", "competency": "competencies", "tags": "competencies"}


def bank_columns(headers: list[str]) -> dict[str, int]:
    """The story bank's columns among ``headers``: name -> position (the first header of each name)."""
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _bank_name(str(header))
        if name is not None:
            columns.setdefault(name, index)
    return columns


@functools.lru_cache(maxsize=1 << 16)
def _bank_name(header: str) -> str | None:
    """The story bank's column ``header`` names, or None (cached: each sniff attempt sees the same cells)."""
    if len(header) > LONGEST_HEADER:
        return None
    name = normalise_header(header)
    name = _BANK_SYNONYMS.get(name, name)
    return name if name in STORY_BANK_HEADERS else None


def is_story_bank(headers: list[str]) -> bool:
    """Whether a file with these headers is a story bank (the export's ``-stories.csv``): a title and two STAR parts."""
    columns = bank_columns(headers)
    if "title" not in columns or sum(part in columns for part in STORY_PARTS) < 2:
        return False
    # An interview log with STAR columns beside its date and company is notes, not a story bank.
    guess = quick_guess(unique_headers([str(h) for h in headers])[0])
    return not all(field in guess for field in REQUIRED)


def header_score(cells: list[str], overrides: dict[str, str] | None = None) -> tuple[int, int]:
    """How well a row serves as the header: required fields mapped, then fields mapped (the user's own first).

    A story bank's header scores as a complete one: the file is then read as a story bank.
    """
    if not any(cells):
        return (0, 0)
    if not overrides and is_story_bank(cells):
        return (len(REQUIRED), len(bank_columns(cells)))
    headers = unique_headers(cells)[0]
    mapping = quick_guess(headers)
    if overrides:
        present = {h.strip().lower() for h in headers}
        chosen = {f: h for f, h in overrides.items() if not h or h.strip().lower() in present}
        mapping = with_overrides(mapping, chosen)
    return (sum(1 for f in REQUIRED if f in mapping), len(mapping))


def find_header(rows: list[tuple], overrides: dict[str, str] | None = None) -> tuple[int, list[str], tuple[int, int]]:
    """The index of the best header among ``rows`` (-1: none maps), its cells and its score."""
    best, best_score = -1, (0, 0)
    for index, row in enumerate(rows[:SEARCH_ROWS]):
        score = header_score(cells_of(row), overrides)
        if score > best_score:
            best, best_score = index, score
    return best, (cells_of(rows[best]) if best >= 0 else []), best_score
