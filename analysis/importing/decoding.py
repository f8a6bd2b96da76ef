"""Decoding: the bytes of a notes file made into UTF-8 text DuckDB can read.

UTF-8 (with or without a byte-order mark) is read in place; UTF-16 or UTF-32
with a byte-order mark, UTF-16 without one, cp1252 and latin-1 are transcoded
into a UTF-8 copy. Files that are not text at all are refused here.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.importing.errors import UnusableFile

CHUNK = 1 << 22  # bytes read at a time from the file
VERIFY_LIMIT = 16 * 1024 * 1024  # files up to this size are checked for UTF-8 here, bigger ones by DuckDB
_HEAD = 65536

_NOT_TEXT = "This is not a text file (it is full of control characters). Export your notes as CSV."

# Byte-order marks, the codec that reads what follows, and the name told to the user.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    """A UTF-8 file standing for the user's file.

    ``double_quotes`` counts the ``"`` characters in it (None: not counted, for
    a big file; the staging stage counts them if it needs to). ``verified`` is
    False when only the start of a big file was checked to be UTF-8 and DuckDB
    checks the rest while reading.
    """

    path: Path
    encoding: str
    size: int
    double_quotes: int | None
    verified: bool = True


def decode(raw: Path, workdir: Callable[[], Path], *, not_utf8: bool = False) -> DecodedText:
    """A UTF-8 file DuckDB can read for ``raw``, transcoded into ``workdir()`` when needed.

    Files up to ``VERIFY_LIMIT`` are checked for UTF-8 here; bigger ones whose
    start is UTF-8 are left to DuckDB's own check (``not_utf8`` then forces the
    fallback to cp1252 and latin-1). Raises ``UnusableFile`` for an empty or binary file.
    """
    size = raw.stat().st_size
    with open(raw, "rb") as f:
        head = f.read(_HEAD)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnusableFile("The file is empty: there is no header and no rows.")
    if not head.startswith(codecs.BOM_UTF8):
        wide = _decode_wide(raw, head, size, workdir)
        if wide is not None:
            return wide
    if not not_utf8 and _starts_as_utf8(head):
        if size <= VERIFY_LIMIT:
            valid, quotes = check_utf8(raw)
        else:
            # A big file that starts as UTF-8: DuckDB checks the rest while reading.
            valid, quotes = True, None
        if valid:
            if _looks_binary(head.decode("utf-8", errors="ignore")):
                raise UnusableFile(_NOT_TEXT)
            encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
            return DecodedText(raw, encoding, size, quotes, verified=size <= VERIFY_LIMIT)
    for codec in ("cp1252", "latin-1"):
        if _looks_binary(head.decode(codec, errors="replace")):
            continue
        out = workdir() / "utf8.csv"
        try:
            quotes = _transcode(raw, out, codec)
        except UnicodeDecodeError:
            continue
        return DecodedText(out, codec, size, quotes)
    raise UnusableFile(_NOT_TEXT)


def _decode_wide(raw: Path, head: bytes, size: int, workdir: Callable[[], Path]) -> DecodedText | None:
    """The file transcoded from UTF-16/32 when a byte-order mark (or the NUL pattern of UTF-16) says so."""
    for bom, codec, label in _BYTE_ORDER_MARKS:
        if head.startswith(bom):
            out = workdir() / "utf8.csv"
            try:
                quotes = _transcode(raw, out, codec, skip=len(bom))
            except UnicodeDecodeError as exc:
                raise UnusableFile(
                    f"The file starts with a {label.upper()} byte-order mark but is not valid {label.upper()} "
                    f"(bad bytes at position {exc.start}). Save it again as UTF-8 CSV."
                ) from None
            return DecodedText(out, f"{label} (BOM)", size, quotes)
    codec = _utf16_without_bom(head)
    if codec:
        out = workdir() / "utf8.csv"
        try:
            return DecodedText(out, "utf-16", size, _transcode(raw, out, codec))
        except UnicodeDecodeError:
            pass
    return None


def _starts_as_utf8(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


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


def _transcode(src: Path, dst: Path, encoding: str, skip: int = 0) -> int:
    """Decode ``src`` strictly as ``encoding`` and write it as UTF-8; return the ``"`` characters written."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    quotes = 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fin.seek(skip)
        while True:
            chunk = fin.read(CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if "\x00" in text:
                raise UnusableFile("This is not a text file: it contains NUL characters. Export your notes as CSV.")
            data = text.encode("utf-8")
            quotes += data.count(b'"')
            fout.write(data)
            if not chunk:
                break
    return quotes


def check_utf8(path: Path) -> tuple[bool, int]:
    """Whether ``path`` is valid UTF-8 throughout, and how many ``"`` it holds. Raises for NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    quotes = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    return False, quotes
                return True, quotes
            if b"\x00" in chunk:
                raise UnusableFile("This is not a text file: it contains NUL bytes. Export your notes as CSV.")
            quotes += chunk.count(b'"')
            if chunk.isascii() and not decoder.getstate()[0]:
                continue
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False, quotes


def count_quotes(path: Path, quote: str) -> int:
    """How many ``quote`` characters the (UTF-8) file holds."""
    needle = quote.encode()
    total = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            total += chunk.count(needle)
    return total


def newline_counts(path: Path) -> tuple[int, int, int]:
    """How many CRLF, bare LF and bare CR line ends the file has."""
    crlf = lf = cr = 0
    with open(path, "rb") as f:
        carry = b""
        while chunk := f.read(CHUNK):
            chunk = carry + chunk
            carry = chunk[-1:] if chunk.endswith(b"\r") else b""
            body = chunk[:-1] if carry else chunk
            pairs = body.count(b"\r\n")
            crlf += pairs
            lf += body.count(b"\n") - pairs
            cr += body.count(b"\r") - pairs
        cr += len(carry)
    return crlf, lf, cr


def normalise_newlines(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` with every CRLF and bare CR written as LF."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        carry = b""
        while chunk := fin.read(CHUNK):
            chunk = carry + chunk
            carry = chunk[-1:] if chunk.endswith(b"\r") else b""
            body = chunk[:-1] if carry else chunk
            fout.write(body.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
        fout.write(carry.replace(b"\r", b"\n"))
