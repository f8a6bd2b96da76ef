"""Column mapping: which of the file's columns holds which of Debrief's fields, and on what rating scale.

``guess_mapping`` proposes a mapping from the headers, ``with_overrides``
applies the user's choices over it (the command line's ``--map``), and
``resolve_mapping`` checks a mapping against the staged file and turns it into
staged column positions for the later stages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis.importing.errors import MappingError, UnusableFile
from analysis.importing.vocabulary import HEADER_SYNONYMS
from analysis.schema import FIELD_LABELS, FIELD_NAMES, REQUIRED

# --- the rating scale ----------------------------------------------------------------------------


def parse_scale(scale: str | tuple | None) -> tuple[float, float]:
    """ "1-10" -> (1.0, 10.0). Raises ValueError for anything that is not LO-HI with LO < HI."""
    if scale is None or scale == "":
        return (1.0, 5.0)
    if isinstance(scale, tuple):
        low, high = (float(x) for x in scale)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.)\s*(\d+(?:\.\d+)?)\s*", str(scale))
        if not match:
            raise ValueError(f"scale {scale!r} is not LOW-HIGH, e.g. 1-10 or 0-100")
        low, high = float(match[1]), float(match[2])
    if not low < high:
        raise ValueError(f"scale {scale!r}: the low end must be below the high end")
    return low, high


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
        low, high = int(match[1]), int(match[2])
    else:
        high = int(match[3] or match[4])
        low = 0 if high >= 100 else 1
    return f"{low}-{high}" if low < high else None


@dataclass(frozen=True)
class ImportOptions:
    """How to read values. ``dayfirst`` None guesses from the file; ``scale`` is the ratings' scale, "LO-HI"."""

    dayfirst: bool | None = None
    scale: str = "1-5"
    strict: bool = False

    def scale_bounds(self) -> tuple[float, float]:
        """The scale as (low, high); raises ValueError for a scale that is not LO-HI."""
        return parse_scale(self.scale)


# --- guessing ------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """A header as compared with field names and synonyms: lower case, no remarks in brackets, no punctuation."""
    text = str(text).replace("\ufeff", "").lower()
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _names_of(field: str) -> tuple[str, ...]:
    """The field's own name and its synonyms, normalised."""
    return (normalise_header(field), *(normalise_header(s) for s in HEADER_SYNONYMS.get(field, ())))


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Map Debrief's fields to the file's headers: exact field names first, then synonyms, then close matches.

    Case, punctuation and bracketed remarks ("Date (dd/mm)") are ignored. Each
    header maps to at most one field and each field to at most one header.
    """
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}

    def first_free(field: str, names: Iterable[str]) -> None:
        wanted = set(names)
        for index, norm in enumerate(normalised):
            if index not in mapping.values() and norm in wanted:
                mapping[field] = index
                return

    for field in FIELD_NAMES:  # canonical names, e.g. "decided_on" or "Decided on"
        first_free(field, [normalise_header(field)])
    for field in FIELD_NAMES:
        if field not in mapping:
            first_free(field, _names_of(field)[1:])
    for index, norm in enumerate(normalised):
        if index not in mapping.values() and norm:
            field = _closest_field(norm.split(), [f for f in FIELD_NAMES if f not in mapping])
            if field is not None:
                mapping[field] = index
    return {f: headers[mapping[f]] for f in FIELD_NAMES if f in mapping}


def _closest_field(words: list[str], fields: list[str]) -> str | None:
    """The field whose name or synonym appears as whole words in ``words``: longest match, earliest first."""
    best = None
    for field in fields:
        for synonym in _names_of(field):
            synonym_words = synonym.split()
            if not synonym_words or len(synonym_words[0]) < 3 and len(synonym_words) == 1:
                continue
            for start in range(len(words) - len(synonym_words) + 1):
                if words[start : start + len(synonym_words)] == synonym_words:
                    score = (len(synonym_words), -start)
                    if best is None or score > best[0]:
                        best = (score, field)
                    break
    return None if best is None else best[1]


def with_overrides(guess: Mapping[str, str], chosen: Mapping[str, str]) -> dict[str, str]:
    """``guess`` with the user's ``chosen`` field -> header pairs applied; an empty header unmaps the field.

    A chosen header wins over a guess that used the same column for another field.
    """
    taken = {h.lower() for h in chosen.values() if h}
    mapping = {f: h for f, h in guess.items() if f not in chosen and h.lower() not in taken}
    mapping.update({f: h for f, h in chosen.items() if h})
    return mapping


# --- resolving -----------------------------------------------------------------------------------


def resolve_mapping(headers: list[str], mapping: Mapping[str, str]) -> dict[str, int]:
    """Check a field -> header mapping against the file's ``headers``; return field -> staged column position.

    Raises ``MappingError`` for an unknown field, a header the file does not
    have or a column mapped twice, and ``UnusableFile`` when a required field is left out.
    """
    by_name = {h: i for i, h in enumerate(headers)}
    by_lower: dict[str, int] = {}
    for index, header in enumerate(headers):
        by_lower.setdefault(header.strip().lower(), index)
    columns: dict[str, int] = {}
    taken: dict[int, str] = {}
    for field, header in mapping.items():
        if field not in FIELD_NAMES:
            raise MappingError(
                f"There is no field called {field!r}. Fields: {', '.join(FIELD_NAMES)}.", headers=headers
            )
        if header is None or str(header).strip() == "":
            continue
        index = by_name.get(header, by_lower.get(str(header).strip().lower()))
        if index is None:
            raise MappingError(
                f"The file has no column {header!r} (for {field}). Headers found: {', '.join(headers)}.",
                headers=headers,
            )
        if index in taken:
            raise MappingError(
                f"Column {headers[index]!r} is mapped to both {taken[index]} and {field}; pick one.", headers=headers
            )
        taken[index] = field
        columns[field] = index
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = " and ".join(FIELD_LABELS[f] for f in missing)
        raise UnusableFile(
            f"Required column missing: no column for {names}. Headers found: {', '.join(headers)}. "
            f"Rename a column or map it (e.g. --map {missing[0]}=HEADER).",
            headers=headers,
        )
    return columns
