"""Column mapping: which of the file's columns holds which of Debrief's fields, and on what rating scale.

``guess_mapping`` proposes a mapping from the headers, ``with_overrides``
applies the user's choices over it (the command line's ``--map``), and
``resolve_mapping`` checks a mapping against the staged file and turns it into
staged column positions for the later stages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from analysis.importing.errors import MappingError, UnusableFile
from analysis.importing.vocabulary import HEADER_SYNONYMS, PERCENT_HEADER_SYNONYMS
from analysis.schema import FIELD_LABELS, FIELD_NAMES, INTERVIEW_IDENTITY, REQUIRED

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

# The export's interview identity column (not a field of an interview): rows that share it are one interview.
IDENTITY = INTERVIEW_IDENTITY
# A header that only contains a rating word ("Match Score", "DSA Final Score") is someone else's score
# unless one of these words says it is the candidate's own ("My final score").
_SELF_WORDS = frozenset({"self", "my", "own", "i", "me"})


def normalise_header(text: str) -> str:
    """A header as compared with field names and synonyms: words in lower case, no remarks in brackets.

    camelCase and snake_case are split into words ("companyName" -> "company name").
    """
    text = str(text).replace("\ufeff", "")
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text).lower()
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@cache
def _synonyms() -> tuple[dict[str, list[tuple[int, str]]], dict[tuple[str, ...], list[tuple[int, str]]]]:
    """Normalised names, worked out once: name -> [(rank, field)] and name words -> [(field order, field)].

    Rank 0 is the field's own name, then its synonyms in the order listed (most specific first).
    """
    exact: dict[str, list[tuple[int, str]]] = {}
    words: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for order, field in enumerate(FIELD_NAMES):
        names = (field, *HEADER_SYNONYMS.get(field, ()))
        for rank, name in enumerate(names):
            norm = normalise_header(name)
            exact.setdefault(norm, []).append((rank, field))
            key = tuple(norm.split())
            # Two-letter single words ("q", "org") are too loose to look for inside a longer header.
            if key and not (len(key) == 1 and len(key[0]) < 3):
                words.setdefault(key, []).append((order, field))
    return exact, words


def _percent_synonym(header: str, norm: str) -> list[tuple[int, str]]:
    """(rank, field) for a header that names a percentage field only because it says "%" ("Confidence (%)")."""
    if "%" not in str(header):
        return []
    # Ranked after every ordinary synonym: a header that names the field outright wins.
    return [
        (100 + rank, field)
        for field, names in PERCENT_HEADER_SYNONYMS.items()
        for rank, name in enumerate(names)
        if normalise_header(name) == norm
    ]


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Map Debrief's fields to the file's headers: exact field names first, then synonyms, then close matches.

    Case, punctuation, camelCase and bracketed remarks ("Date (dd/mm)") are
    ignored. A more specific synonym wins over a generic one ("Interview Date"
    over "Date Applied", "Result" over "Status"). A score with its own scale
    ("Match Score", "Score (1-10)" beside a plain "Rating") is not taken for
    the rating. A generic "Confidence" is the prediction only as "Confidence (%)".
    Each header maps to at most one field and each field to at most
    one header. The export's ``interview`` column is mapped to ``IDENTITY``.
    Linear in the number of headers: the synonyms are normalised once.
    """
    exact, _ = _synonyms()
    normalised = [normalise_header(h) for h in headers]
    candidates: dict[str, list[tuple]] = {}
    for index, norm in enumerate(normalised):
        for rank, field in (*exact.get(norm, ()), *_percent_synonym(headers[index], norm)):
            scaled = field == "rating" and scale_from_header(headers[index]) is not None
            candidates.setdefault(field, []).append((rank > 0, scaled, rank, index))
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    # Every field's own name first, then synonyms, each field taking its best free candidate.
    for synonyms_pass in (False, True):
        for field in FIELD_NAMES:
            if field in mapping:
                continue
            for is_synonym, _scaled, _rank, index in sorted(candidates.get(field, ())):
                if is_synonym == synonyms_pass and index not in taken:
                    mapping[field] = index
                    taken.add(index)
                    break
    for index, norm in enumerate(normalised):
        if index not in taken and norm:
            field = _closest_field(norm.split(), mapping)
            if field is not None:
                mapping[field] = index
                taken.add(index)
    guess = {f: headers[mapping[f]] for f in FIELD_NAMES if f in mapping}
    identity = next((h for i, h in enumerate(headers) if normalised[i] == IDENTITY and i not in taken), None)
    if identity is not None:
        guess[IDENTITY] = identity
    return guess


def _closest_field(words: list[str], mapped: Mapping[str, int]) -> str | None:
    """The unmapped field whose name or synonym appears as whole words in ``words``: longest match, earliest first.

    A rating-like header ("Match Score") is a rating only when it also says it is the candidate's own.
    """
    _, synonym_words = _synonyms()
    best = None
    for length in range(min(len(words), 5), 0, -1):
        for start in range(len(words) - length + 1):
            for order, field in synonym_words.get(tuple(words[start : start + length]), ()):
                if field in mapped or (field == "rating" and not _SELF_WORDS.intersection(words)):
                    continue
                score = (length, -start, -order)
                if best is None or score > best[0]:
                    best = (score, field)
        if best is not None:
            return best[1]
    return None


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
        if field not in FIELD_NAMES and field != IDENTITY:
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
