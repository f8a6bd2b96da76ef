"""The Import page in real Chromium: upload the messy sample through the file input,
read the report, import, find the interviews; the same file again adds nothing; a
binary file is refused with a message; the upload limit is told and enforced.

The numbers the page should show come from ``analysis.importing`` itself, run in the
test process on a scratch database with the options the page uses.

Most tests reach /import through the sidebar, as a user does; one loads /import as a
fresh server's first request (a bookmark), which once showed "Page not found". The two
tests that write nothing share one server on an empty database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Locator, Page, expect

from analysis import importing, store

from .conftest import ROOT, StreamlitServer, database_copy, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

SAMPLE = ROOT / "data" / "samples" / "messy-notes.csv"
SAMPLE_COMPANIES = ("Müller & Söhne GmbH", "Café Crème SARL", "Nordlicht AG", "Zephyr Ltd")
LIMIT_MB = 100  # .streamlit/config.toml: server.maxUploadSize
CLI_HINT = "python -m analysis import"


@dataclass(frozen=True)
class Expected:
    """What analysis.importing says about the sample file with one rating scale (the page's other defaults)."""

    encoding: str
    delimiter_name: str
    header_line: int
    rows_read: int
    rows_new: int
    rows_rejected: int
    interviews_added: int
    questions_added: int
    rejected_lines: list[int]
    rejected_columns: list[str]
    warned: int
    guess: dict[str, str]
    problems_csv: bytes


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, Expected]:
    """read_notes + plan_import on the sample with the 1-10 scale its "Score (1-10)" header names, and with 1-5."""
    path = tmp_path_factory.mktemp("expected") / "scratch.duckdb"
    con = store.connect(path).cursor()
    try:
        staged = importing.read_notes(con, SAMPLE.read_bytes(), SAMPLE.name)
        try:
            out = {}
            for scale in ("1-5", "1-10"):
                # The page's options: dates "Guess from the file" (dayfirst None), the chosen scale, not strict.
                plan = importing.plan_import(con, staged, dict(staged.guess), importing.ImportOptions(scale=scale))
                out[scale] = Expected(
                    encoding=staged.encoding,
                    delimiter_name=staged.delimiter_name,
                    header_line=staged.header_line,
                    rows_read=plan.rows_read,
                    rows_new=plan.rows_new,
                    rows_rejected=plan.rows_rejected,
                    interviews_added=plan.interviews_added,
                    questions_added=plan.questions_added,
                    rejected_lines=[r["line"] for r in plan.error_records],
                    rejected_columns=[r["column"] or "" for r in plan.error_records],
                    warned=len(plan.warning_records),
                    guess=dict(staged.guess),
                    problems_csv=importing.errors_csv(plan),
                )
        finally:
            importing.discard(con, staged)
    finally:
        store.close(path)
    # A meaningful fixture: some rows are rejected on either scale, and on 1-5 the scores above 5 are
    # imported without their rating (a warning), not rejected.
    assert out["1-10"].rows_new == out["1-5"].rows_new > 0
    assert out["1-10"].rows_rejected == out["1-5"].rows_rejected > 0
    assert out["1-5"].warned > out["1-10"].warned
    return out


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    """One app on an empty database for the module's tests that write nothing (each checks so)."""
    with running_server(tmp_path_factory.mktemp("empty-server")) as running:
        yield running


# --- the page ---------------------------------------------------------------------------------


def go_to_import(page: Page, server) -> None:
    open_app(page, server)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Import", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Import past notes")).to_be_visible()


def uploader(page: Page) -> Locator:
    return page.get_by_test_id("stFileUploader").filter(has_text="Notes file")


def upload(page: Page, path: Path) -> None:
    """Choose ``path`` in the Notes file uploader's real <input type=file>, then wait for the run it starts."""
    uploader(page).locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(page)


def read_message(page: Page) -> Locator:
    """The "Read FILE: N rows, ENCODING, separated by ..., header on line N." note."""
    return page.get_by_test_id("stAlert").filter(has_text=re.compile(r"Read .+: [\d,]+ rows?, "))


def metric_value(page: Page, label: str) -> Locator:
    return (
        page.get_by_test_id("stMetric")
        .filter(has=page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(f"^{re.escape(label)}$")))
        .get_by_test_id("stMetricValue")
    )


def selectbox(page: Page, label: str) -> Locator:
    """The combobox input of the selectbox labelled ``label`` (its value is the chosen option)."""
    return page.get_by_role("combobox", name=label, exact=True)


def choose_scale(page: Page, scale: str) -> None:
    """Pick ``scale`` in the ratings selectbox by typing it, as the log test picks a rating.

    Typing, not clicking the arrow: with the focus elsewhere (e.g. on the sidebar link just
    clicked), a quick click on the arrow opens the list and closes it again at once.
    """
    box = selectbox(page, "Ratings in the file are on a scale of")
    box.click()
    box.fill(scale)
    option = page.get_by_role("option", name=scale, exact=True)
    expect(page.get_by_role("option")).to_have_text([scale])
    option.click()
    expect(box).to_have_value(scale)
    wait_idle(page)


def expect_report(page: Page, numbers: Expected) -> None:
    expect(metric_value(page, "Rows read")).to_have_text(f"{numbers.rows_read:,}")
    expect(metric_value(page, "To import")).to_have_text(f"{numbers.rows_new:,}")
    expect(metric_value(page, "Rejected")).to_have_text(f"{numbers.rows_rejected:,}")
    expect(metric_value(page, "New interviews")).to_have_text(f"{numbers.interviews_added:,}")


def rejected_table(page: Page) -> Locator:
    """The "Rows that cannot be imported" table (Glide grid; no row markers: column 0 is the line)."""
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Problem$")))
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    return table


def warnings_table(page: Page) -> Locator:
    """The "Imported without a value" table (its last column is the warning)."""
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Warning$")))
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    return table


def import_button(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Import [\d,]+ rows?$"))


def interviews_table(page: Page) -> Locator:
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Company$")))
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    return table


def upload_and_import(page: Page, numbers: Expected) -> None:
    """Upload the sample (its ratings read on 1-10, as its header says), import, and land on Interviews."""
    upload(page, SAMPLE)
    expect(read_message(page)).to_be_visible()
    expect(selectbox(page, "Ratings in the file are on a scale of")).to_have_value("1-10")
    expect_report(page, numbers)
    button = import_button(page)
    expect(button).to_have_text(re.compile(f"Import {numbers.rows_new} rows$"))
    expect(button).to_be_enabled()
    button.click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/interviews$"))
    expect(page.get_by_role("heading", name="Interviews", exact=True)).to_be_visible()


def count_rows(db_path: Path) -> tuple[int, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        (interviews,) = con.execute("SELECT count(*) FROM interviews").fetchone()
        (questions,) = con.execute("SELECT count(*) FROM questions").fetchone()
    return interviews, questions


# --- tests ------------------------------------------------------------------------------------


def test_upload_messy_notes_report_and_import(page: Page, server, expected) -> None:
    """The page tells what it read, guesses the columns, reports the rows as analysis.importing does, and imports."""
    ten, five = expected["1-10"], expected["1-5"]
    go_to_import(page, server)
    upload(page, SAMPLE)

    read = read_message(page)
    expect(read).to_have_text(
        re.compile(
            rf"Read {re.escape(SAMPLE.name)}: {ten.rows_read} rows, {re.escape(ten.encoding)}, "
            rf"separated by {ten.delimiter_name}, header on line {ten.header_line}\.$"
        )
    )
    assert (ten.encoding, ten.delimiter_name, ten.header_line) == ("cp1252", "semicolon", 3)  # what the sample is

    # The mapping selectboxes show the guessed headers; fields the file lacks show "(not in the file)".
    expect(selectbox(page, "company *")).to_have_value("Employer")
    expect(selectbox(page, "date *")).to_have_value("Interview date")
    for field in ("role", "stage", "question", "rating", "outcome"):
        expect(selectbox(page, importing.FIELD_LABELS[field])).to_have_value(ten.guess[field])
    expect(selectbox(page, "time")).to_have_value("(not in the file)")

    # "Score (1-10)" names its scale: the page reads the ratings on it from the start.
    scale = selectbox(page, "Ratings in the file are on a scale of")
    expect(scale).to_have_value("1-10")
    expect_report(page, ten)

    # On 1-5 the scores above 5 are imported without their rating, with a hint to choose the file's scale.
    choose_scale(page, "1-5")
    expect_report(page, five)
    expect(page.get_by_text(f"Imported without a value ({five.warned})")).to_be_visible()
    hint = warnings_table(page).locator("td", has_text="if the file rates 1-10, choose that scale")
    expect(hint.first).to_be_attached()  # the grid's accessible mirror of its cells is never "visible"

    # Back on 1-10: the rejected rows left are listed with their lines in the file.
    choose_scale(page, "1-10")
    expect_report(page, ten)
    expect(metric_value(page, "Already there")).to_have_text("0")
    expect(page.get_by_text(f"Rows that cannot be imported ({ten.rows_rejected})")).to_be_visible()
    table = rejected_table(page)
    expect(table.locator("td[data-testid^='glide-cell-0-']")).to_have_text([str(n) for n in ten.rejected_lines])
    expect(table.locator("td[data-testid^='glide-cell-1-']")).to_have_text(ten.rejected_columns)

    # The problems download is the analysis layer's CSV for this plan.
    download_button = page.get_by_role("button", name="Download the problems (CSV)")
    expect(download_button).to_be_visible()
    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename == f"{SAMPLE.name}-problems.csv"
    assert Path(download.path()).read_bytes() == ten.problems_csv
    wait_idle(page)

    button = import_button(page)
    expect(button).to_have_text(re.compile(f"Import {ten.rows_new} rows$"))
    expect(button).to_be_enabled()
    button.click()
    wait_idle(page)

    expect(page).to_have_url(re.compile(r"/interviews$"))
    expect(page.get_by_role("heading", name="Interviews", exact=True)).to_be_visible()
    flash = page.get_by_test_id("stAlert").filter(has_text="Imported")
    expect(flash).to_have_text(
        re.compile(
            rf"Imported {ten.rows_new} rows: {ten.interviews_added} interviews and {ten.questions_added} questions"
            rf"; {ten.rows_rejected} rejected\.$"
        )
    )
    expect(page.get_by_text(f"{ten.interviews_added} interviews. Select a row to open it.")).to_be_visible()
    listing = interviews_table(page)
    expect(listing.locator("td", has_text="Müller & Söhne GmbH")).to_have_count(2)  # phone screen and onsite
    expect(listing.locator("td", has_text="Café Crème SARL")).to_have_count(1)
    expect(listing.locator("td", has_text="Nordlicht AG")).to_have_count(
        2
    )  # take-home and final (its "eleven" is a warning)

    server.stop()
    assert count_rows(server.db_path) == (ten.interviews_added, ten.questions_added)
    with duckdb.connect(str(server.db_path), read_only=True) as con:
        companies = {c for (c,) in con.execute("SELECT DISTINCT company FROM interviews").fetchall()}
    assert companies == set(SAMPLE_COMPANIES)


def test_same_file_again_imports_nothing(page: Page, server, expected) -> None:
    """Uploading the imported file again: To import 0, Already there = the rows imported, the button disabled."""
    ten = expected["1-10"]
    go_to_import(page, server)
    upload_and_import(page, ten)

    page.get_by_test_id("stSidebar").get_by_role("link", name="Import", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Import past notes")).to_be_visible()
    # The import cleared the uploader: the page waits for a file again.
    expect(read_message(page)).to_have_count(0)
    upload(page, SAMPLE)
    expect(read_message(page)).to_be_visible()
    expect(selectbox(page, "Ratings in the file are on a scale of")).to_have_value("1-10")

    expect(metric_value(page, "Rows read")).to_have_text(f"{ten.rows_read:,}")
    expect(metric_value(page, "To import")).to_have_text("0")
    expect(metric_value(page, "Already there")).to_have_text(f"{ten.rows_new:,}")
    expect(metric_value(page, "Rejected")).to_have_text(f"{ten.rows_rejected:,}")
    expect(metric_value(page, "New interviews")).to_have_text("0")
    button = import_button(page)
    expect(button).to_have_text(re.compile("Import 0 rows$"))
    expect(button).to_be_disabled()
    expect(page.get_by_text("Nothing new to import: every valid row is already stored.")).to_be_visible()

    server.stop()
    assert count_rows(server.db_path) == (ten.interviews_added, ten.questions_added)


def test_binary_file_named_csv_is_refused_with_a_message(page: Page, empty_server, tmp_path) -> None:
    """PNG bytes saved as photo.csv: a plain error on the page, no exception box, no report, nothing written."""
    go_to_import(page, empty_server)
    photo = tmp_path / "photo.csv"
    photo.write_bytes(page.screenshot())  # a real PNG
    assert photo.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    upload(page, photo)
    error = page.get_by_test_id("stAlert").filter(has_text="not a text file")
    expect(error).to_have_text(
        re.compile(r"This is a PNG image, not a text file of notes: export your notes as CSV or a workbook .*\.$")
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(read_message(page)).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(import_button(page)).to_have_count(0)

    wait_idle(page)
    assert count_rows(database_copy(empty_server, tmp_path)) == (0, 0)


def test_upload_limit_is_told_and_a_bigger_file_is_refused_in_the_browser(page: Page, empty_server, tmp_path) -> None:
    """The help names the limit and the command line; an over-limit file never leaves the browser."""
    uploads = []
    page.on("request", lambda request: uploads.append(request.url) if "/_stcore/upload_file" in request.url else None)
    go_to_import(page, empty_server)
    box = uploader(page)

    # The dropzone states the limit and the types; the help tooltip adds the command line.
    expect(box.get_by_test_id("stFileUploaderDropzoneInstructions")).to_have_text(
        f"{LIMIT_MB}MB per file • CSV, TSV, TXT, GZ, XLSX, XLS, ODS"
    )
    box.get_by_role("button", name="Help for Notes file").hover()
    tooltip = page.get_by_test_id("stTooltipContent")
    expect(tooltip).to_have_text(
        f"Up to {LIMIT_MB} MB here. For a larger file use the command line: {CLI_HINT} FILE (see the README)."
    )
    expect(tooltip.locator("code")).to_have_text(f"{CLI_HINT} FILE")
    page.mouse.move(0, 0)
    expect(tooltip).to_have_count(0)

    # A sparse file of 101 MiB that starts like a notes file: cheap to make, and Playwright hands the
    # local browser its path (no copy through this process).
    big = tmp_path / "big-notes.csv"
    with big.open("wb") as f:
        f.write((ROOT / "data" / "samples" / "template.csv").read_bytes())
        f.truncate(101 * 1024 * 1024)
    upload(page, big)

    chip = box.get_by_test_id("stFileChip").filter(has_text=big.name)
    expect(chip).to_have_attribute("aria-invalid", "true")
    # Streamlit shows sizes in decimal megabytes: 101 MiB is "105.9MB", the limit "100.0MB".
    expect(chip).to_contain_text("105.9MB")
    refusal = re.compile(rf"File must be {LIMIT_MB}(\.0)?MB or smaller\.")
    expect(chip.get_by_role("alert")).to_have_text(refusal)  # read out by screen readers
    chip.hover()
    expect(page.get_by_test_id("stTooltipErrorContent")).to_have_text(refusal)  # what a sighted user sees

    # The page never got the file: nothing read, no report, no request, nothing written.
    expect(read_message(page)).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert uploads == []
    wait_idle(page)
    assert count_rows(database_copy(empty_server, tmp_path)) == (0, 0)


def test_bookmark_to_import_on_a_fresh_server_shows_no_page_not_found(page: Page, server) -> None:
    """A bookmark to /import as a fresh server's first request opens the Import page, no "Page not found".

    Until app.py has run once, Streamlit routes by the file names in pages/: the page's file must be import.py.
    """
    open_app(page, server, "/import")
    # The Import page itself comes up (after ui.cursor's rerun through app.py); by then the dialog, if any, is open.
    expect(page.get_by_role("heading", name="Import past notes")).to_be_visible()
    wait_idle(page)
    # Checked once, not waited on: the dialog comes with the first run, before the page's heading.
    assert page.get_by_role("dialog").all_inner_texts() == []
    assert page.url == f"{server.url}/import"
