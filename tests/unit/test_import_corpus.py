"""The reading side of the importer over a corpus of real file shapes: every physical row accounted for."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import importing
from analysis.importing import UnusableFile

CORPUS = Path(__file__).resolve().parent.parent / "data" / "import"

# file -> (encoding, rows read, rows valid, rows rejected, lines of the problems or None)
EXPECTED = {
    "utf8-bom.csv": ("utf-8-sig", 10, 10, 0, []),
    "windows-1252.csv": ("cp1252", 10, 10, 0, []),
    "utf16-tab.txt": ("utf-16 (BOM)", 10, 10, 0, []),
    "semicolon-decimal-comma.csv": ("utf-8", 10, 10, 0, []),
    "cr-only.csv": ("utf-8", 10, 10, 0, []),
    "title-rows-and-footer.csv": ("utf-8", 11, 10, 1, [15]),
    "trailing-empty-columns.csv": ("utf-8", 11, 11, 0, []),
    "unclosed-quote-100-rows.csv": ("utf-8", 100, 49, 51, list(range(51, 102))),
    "long-note-3mb.csv": ("utf-8", 2, 2, 0, []),
    "compressed.csv.gz": ("utf-8", 10, 10, 0, []),
}

REFUSED = {
    "header-only.csv": "no rows",
    "header-only-trailing-separators.csv": "no rows",
}


def plan_of(con, path: Path, **kwargs) -> importing.ImportPlan:
    staged = importing.read_notes(con, path, **kwargs)
    options = importing.ImportOptions(scale=importing.scale_from_header(staged.guess.get("rating")) or "1-5")
    return importing.plan_import(con, staged, None, options)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_counts_add_up_to_its_rows(con, name):
    encoding, read, valid, rejected, lines = EXPECTED[name]
    plan = plan_of(con, CORPUS / name)
    assert plan.staged.encoding == encoding
    assert (plan.rows_read, plan.rows_valid, plan.rows_rejected) == (read, valid, rejected)
    assert sorted({r["line"] for r in plan.error_records}) == lines


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_corpus_file_without_rows_is_refused_as_no_rows(con, name):
    with pytest.raises(UnusableFile, match=REFUSED[name]):
        importing.read_notes(con, CORPUS / name)


def test_unclosed_quote_names_the_line_it_opened_on(con):
    plan = plan_of(con, CORPUS / "unclosed-quote-100-rows.csv")
    first = plan.error_records[0]
    assert first["line"] == 51
    assert "never closed" in first["message"] and "to line 101" in first["message"]
    assert all("line 51" in r["message"] for r in plan.error_records[1:])


def test_a_note_of_several_megabytes_is_staged_whole(con):
    staged = importing.read_notes(con, CORPUS / "long-note-3mb.csv")
    (longest,) = con.execute(f"SELECT max(length(c3)) FROM {staged.table}").fetchone()
    assert longest == 3_000_000
    importing.discard(con, staged)


def test_a_five_megabyte_note_reimports_exactly(con, tmp_path):
    note = 'line one\nline two, with a comma and a "quote"\n' + "x" * 5_000_000
    path = tmp_path / "export.csv"
    path.write_text('Date,Company,Question,Notes\n2026-03-05,Acme,Q1,"' + note.replace('"', '""') + '"\n')
    plan = plan_of(con, path)
    importing.commit_import(con, plan)
    importing.discard(con, plan.staged)
    (stored,) = con.execute("SELECT notes FROM questions").fetchone()
    assert stored == note


def test_a_record_past_the_cap_is_rejected_by_line_while_the_rest_imports(con, tmp_path, monkeypatch):
    from analysis.importing import staging

    monkeypatch.setattr(staging, "LINE_CAP", 4 * 1024 * 1024)
    path = tmp_path / "huge.csv"
    path.write_text(
        "Date,Company,Question\n2026-03-05,Acme,Q1\n2026-03-06,Beta," + "y" * 5_000_000 + "\n2026-03-07,Gamma,Q3\n"
    )
    plan = plan_of(con, path)
    assert (plan.rows_read, plan.rows_valid, plan.rows_rejected) == (3, 2, 1)
    assert [r["line"] for r in plan.error_records] == [3]
    assert "longer than 4 MB" in plan.error_records[0]["message"]


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"\x89PNG\r\n\x1a\n0000", "PNG image"),
        (b"\xff\xd8\xff\xe0JFIF", "JPEG image"),
    ],
)
def test_a_file_that_is_not_a_table_is_named_for_what_it_is(con, content, what):
    with pytest.raises(UnusableFile, match=what):
        importing.read_notes(con, content, "notes.bin")


def test_a_zip_or_word_file_is_named_for_what_it_is(con, tmp_path):
    import zipfile

    for inner, what in (("word/document.xml", "Word document"), ("notes.csv", "zip archive")):
        path = tmp_path / "upload.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(inner, "x")
        with pytest.raises(UnusableFile, match=what):
            importing.read_notes(con, path)


def test_dev_null_is_empty_and_a_fifo_is_not_a_regular_file(con, tmp_path):
    with pytest.raises(UnusableFile, match="empty"):
        importing.read_notes(con, os.devnull)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnusableFile, match="not a regular file"):
        importing.read_notes(con, fifo)


def test_a_damaged_gzip_file_is_refused_with_a_message(con):
    data = gzip.compress(b"Date,Company\n2026-01-01,Acme\n")[:-12]
    with pytest.raises(UnusableFile, match="gzip"):
        importing.read_notes(con, data, "notes.csv.gz")


@pytest.mark.parametrize(
    ("text", "overrides"),
    [
        ("Datum;Firma;Frage;Bewertung\n2026-03-05;Acme;Warum?;4\n", {"date": "Datum", "company": "Firma"}),
        ("a,b\n2026-03-05,Acme\n", {"date": "a", "company": "b"}),
    ],
)
def test_mapped_headers_are_found_even_when_no_synonym_matches(con, text, overrides):
    with pytest.raises(UnusableFile, match="No header row"):
        importing.read_notes(con, text.encode())
    staged = importing.read_notes(con, text.encode(), "notes.csv", overrides=overrides)
    plan = importing.plan_import(con, staged, importing.with_overrides(staged.guess, overrides))
    assert (plan.rows_read, plan.rows_valid) == (1, 1)


@pytest.mark.parametrize(
    ("columns", "said"),
    [
        (10_000, "This file has 10,000 columns"),
        # Excel's widest sheet: too wide for even DuckDB's sniffer within Debrief's memory budget.
        (16_384, "This file has about 16,384 columns"),
    ],
)
def test_a_file_wider_than_the_importer_reads_is_refused_saying_how_wide(con, columns, said):
    headers = ["Date", "Company", *(f"Field {i}" for i in range(columns - 2))]
    row = ["2026-03-05", "Acme", *("v" for _ in range(columns - 2))]
    data = (",".join(headers) + "\n" + ",".join(row) + "\n").encode()
    with pytest.raises(UnusableFile) as refused:
        importing.read_notes(con, data, "wide.csv")
    assert str(refused.value).startswith(said)
    assert "up to 4,000. Save a copy with only the columns you keep notes in" in str(refused.value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_counted_or_refused_never_a_traceback(con, data):
    try:
        staged = importing.read_notes(con, b"Date,Company,Question\n" + data, "fuzz.csv")
        plan = importing.plan_import(con, staged)
    except UnusableFile as exc:
        assert str(exc)
        return
    assert plan.rows_read == plan.rows_valid + plan.rows_rejected
    importing.discard(con, staged)


LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='\r\n"\x00'), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(LINE, min_size=1, max_size=12), st.integers(0, 12))
@example(lines=["", "'", "'"], quote_at=0)  # the sniffer took "'" for the quote and merged two rows
def test_every_line_is_a_row_read_even_after_an_open_quote(con, lines, quote_at):
    """Lines without quotes are one row each; one stray opening quote must not lose the lines after it."""
    body = [f"2026-01-01,Acme,{line}" for line in lines]
    if quote_at < len(body):
        body[quote_at] = '2026-01-01,Acme,"opened'
    data = ("Date,Company,Question\n" + "\n".join(body) + "\n").encode()
    try:
        staged = importing.read_notes(con, data, "lines.csv")
    except UnusableFile as exc:
        assert str(exc)
        return
    plan = importing.plan_import(con, staged)
    assert plan.rows_read == len(body)
    assert plan.rows_read == plan.rows_valid + plan.rows_rejected
    importing.discard(con, staged)


def test_an_export_with_a_five_megabyte_note_reimports_exactly(con, tmp_path, sample_interview):
    import dataclasses

    from analysis import export, interviews, store

    note = "Long retrospective, line 1\n" + 'ünïcode, "quoted"; ' * 260_000
    assert len(note.encode()) > 5_000_000
    interviews.save_interview(con, dataclasses.replace(sample_interview, culture_notes=note))
    first = tmp_path / "first.csv"
    export.write_export(con, first)
    fresh_path = tmp_path / "fresh.duckdb"
    store.open_database(fresh_path).close()
    fresh = store.connect(fresh_path).cursor()
    try:
        plan = plan_of(fresh, first)
        assert plan.rows_rejected == 0
        importing.commit_import(fresh, plan)
        importing.discard(fresh, plan.staged)
        second = tmp_path / "second.csv"
        export.write_export(fresh, second)
        assert second.read_bytes() == first.read_bytes()
    finally:
        fresh.close()
        store.close(fresh_path)


def test_a_first_row_of_long_cells_is_quoted_short_in_the_message(con):
    data = ("x" * 50_000 + "," + "y" * 50_000 + "\n1,2\n").encode()
    with pytest.raises(UnusableFile, match="No header row") as refused:
        importing.read_notes(con, data, "long.csv")
    assert len(str(refused.value)) < 400
    assert "x" * 59 + "…, " + "y" * 59 + "…." in str(refused.value)
