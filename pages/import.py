"""Import: past interview notes from a spreadsheet's CSV, checked row by row before anything is written."""

from pathlib import Path

import streamlit as st

import ui
from analysis import importing, store
from analysis.schema import FIELD_NAMES, INTERVIEW_IDENTITY

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "samples" / "template.csv"

con = ui.cursor()


def with_progress(label: str, work, problem: str = "", passes: tuple[type[Exception], ...] = ()):
    """Run ``work(progress)`` under a progress bar; on a problem show it (after ``problem``) and stop.

    Problems of the kinds in ``passes`` are raised for the caller to offer a way on.
    """
    bar = st.progress(0.0, text=ui.literal(label))
    try:
        return work(lambda fraction, message: bar.progress(min(fraction, 1.0), text=ui.literal(message)))
    except passes:
        raise
    except (store.StoreError, ValueError) as exc:
        st.error(f"{ui.literal(problem)}{ui.literal(exc)}", icon=":material/error:")
        st.stop()
    finally:
        bar.empty()


def forget(staged) -> None:
    """Drop the staged file and the page's memory of it (after importing, or on cancel)."""
    importing.discard(con, staged)
    for key in ("import_staged", "import_plan", "import_upload"):
        st.session_state.pop(key, None)


st.title("Import past notes")
st.caption(
    "Export your spreadsheet (Excel, Google Sheets, Numbers or another tracker) as CSV, TSV or text and upload it, "
    "or upload the workbook itself (.xlsx, .xls, .ods). "
    "Debrief works out the encoding, the separator and the header row, guesses which column is which, and shows "
    "every row it cannot use before anything is written. Importing the same file twice adds nothing twice."
)
limit_mb = st.get_option("server.maxUploadSize")
upload = st.file_uploader(
    "Notes file",
    type=["csv", "tsv", "txt", "gz", "xlsx", "xls", "ods"],
    key="import_upload",
    help=f"Up to {limit_mb:,} MB here. For a larger file use the command line: "
    "`python -m analysis import FILE` (see the README).",
)
st.caption(
    f"Files up to {limit_mb:,} MB. A bigger file is refused here: import it with "
    "`python -m analysis import FILE` instead, which has no limit."
)
with st.expander("What can the file look like?"):
    st.markdown(
        "One row per question, with at least a **date** and a **company** column. Rows that share date, company, "
        "role and stage become one interview; a row without a question adds an interview alone (a tracker's row), "
        "its notes kept as the interview's notes. A row with a question but empty interview columns (merged "
        "cells) joins the interview above it. Headers like *Interview date*, *Employer*, *companyName*, "
        "*Job title*, *Round*, *Question asked*, *Topic*, *Self-rating*, *Interviewer reaction*, *Comments* or "
        "*Result* are recognised. Dates may be ISO, `Mar 5, 2024`, `5-Mar-26`, `Thu, 5th March 2026`, "
        "`05/03/2024`, `7/14/2023 15:32:10` (the time fills the time when there is no time column) or a range "
        "(its start); ratings 1–5, `4/5`, stars, words like *good*, or another scale you name below. An unknown "
        "stage, format, outcome or reaction, or an unreadable rating, does not stop the row: it is imported "
        "without that value and listed as a warning."
    )
    st.download_button(
        "Download a template",
        TEMPLATE.read_bytes(),
        "debrief-template.csv",
        "text/csv",
        icon=":material/download:",
        on_click="ignore",
    )

if upload is None:
    st.session_state.pop("import_staged", None)
    st.stop()

# A workbook with several sheets: the user picks one (the first by default).
if st.session_state.get("import_sheets", (None,))[0] != upload.file_id:  # opened once per upload
    st.session_state["import_sheets"] = (upload.file_id, importing.workbook_sheets(upload.getvalue(), upload.name))
sheets = st.session_state["import_sheets"][1]
sheet = st.selectbox("Sheet", sheets, key=f"import_sheet_{upload.file_id}") if len(sheets) > 1 else None
NOT_IN_FILE = "(not in the file)"


def rescue_key(field: str) -> str:
    """The key of the first row's column picked for ``field`` when no header was recognised (per sheet)."""
    return f"import_rescue_{upload.file_id}_{sheet}_{field}"


def chosen(key_of) -> dict[str, str]:
    """The columns the user picked, by field, in the selectboxes keyed ``key_of(field)``."""
    picked = {f: st.session_state.get(key_of(f)) for f in FIELD_NAMES}
    return {f: h for f, h in picked.items() if h and h != NOT_IN_FILE}


# Columns the user mapped earlier count when the header row is looked for.
rescued = chosen(rescue_key)
overrides = rescued | chosen(lambda f: f"import_map_{upload.file_id}_{f}") or None
# Read the upload once per file, not on every rerun.
staged_key = (upload.file_id, str(ui.database_path()), sheet)
held = st.session_state.get("import_staged")


def map_first_row(headers: list[str]) -> None:
    """No row's names were recognised: let the user say which of the first row's columns is which."""
    st.subheader("Which column is which")
    st.caption(
        "Pick the columns that hold the date and the company (and any others): the file is then read again "
        "with its first row as the header. If the first row holds notes rather than names, add a row of "
        "names above it first, so that no row is taken for the header."
    )
    choices = [NOT_IN_FILE, *dict.fromkeys(h for h in headers if h)]
    cols = st.columns(4)
    for index, field in enumerate(FIELD_NAMES):
        cols[index % 4].selectbox(
            importing.FIELD_LABELS[field] + (" *" if field in importing.REQUIRED else ""),
            choices,
            key=rescue_key(field),
        )


if held is None or held[0] != staged_key:
    try:
        staged = with_progress(
            "Reading the file",
            lambda progress: importing.read_notes(
                con, upload.getvalue(), upload.name, progress=progress, overrides=overrides, sheet=sheet
            ),
            passes=(importing.NoHeaderFound,),
        )
    except importing.NoHeaderFound as exc:
        st.error(ui.literal(exc), icon=":material/error:")
        map_first_row(exc.headers)
        st.stop()
    st.session_state["import_staged"] = (staged_key, staged)
    held = st.session_state["import_staged"]
staged = held[1]

st.success(
    f"Read **{ui.literal(staged.filename)}**: {staged.rows:,} rows, {ui.literal(staged.encoding)}, separated by "
    f"{ui.literal(staged.delimiter_name)}, header on line {staged.header_line:,}.",
    icon=":material/description:",
)
if staged.duplicate_headers:
    st.warning(
        "Some headers appear more than once and were numbered: " + ", ".join(map(ui.literal, staged.duplicate_headers)),
        icon=":material/warning:",
    )

if importing.is_story_bank(staged.headers):
    # The export's story bank (-stories.csv): stories, not interviews; nothing to map.
    preview = importing.import_story_bank(con, staged, dry_run=True)
    st.subheader("A story bank")
    st.caption("One story per row: its title, situation, task, action, result and competencies.")
    cols = st.columns(4)
    cols[0].metric("Rows read", f"{preview.rows_read:,}")
    cols[1].metric("To import", f"{preview.rows_imported:,}")
    cols[2].metric("Already there", f"{preview.rows_duplicate:,}")
    cols[3].metric("Rejected", f"{preview.rows_rejected:,}")
    problems = preview.error_records + preview.warning_records
    if problems:
        st.dataframe(sorted(problems, key=lambda p: p["line"]), hide_index=True)
    if st.button(
        f"Import {ui.count(preview.rows_imported, 'story')}",
        type="primary",
        disabled=not preview.rows_imported,
        icon=":material/upload:",
        key="import_stories_go",
    ):
        result = with_progress(
            "Importing", lambda progress: importing.import_story_bank(con, staged), problem="Nothing was imported: "
        )
        forget(staged)
        ui.flash(
            f"Imported {ui.count(result.rows_imported, 'story')}"
            + (f"; {result.rows_duplicate:,} already there" if result.rows_duplicate else "")
            + (f"; {result.rows_rejected:,} rejected" if result.rows_rejected else "")
            + "."
        )
        st.switch_page("pages/stories.py")
    st.stop()

st.subheader("1. Which column is which")
choices = [NOT_IN_FILE, *staged.headers]
mapping = {}
cols = st.columns(4)
for index, field in enumerate(FIELD_NAMES):
    guessed = rescued.get(field) or staged.guess.get(field)
    picked = cols[index % 4].selectbox(
        importing.FIELD_LABELS[field] + (" *" if field in importing.REQUIRED else ""),
        choices,
        index=choices.index(guessed) if guessed in choices else 0,
        key=f"import_map_{upload.file_id}_{field}",
    )
    if picked != NOT_IN_FILE:
        mapping[field] = picked
identity = staged.guess.get(INTERVIEW_IDENTITY)
if identity and identity not in mapping.values():
    # A Debrief export: its interview column keeps same-day interviews apart.
    mapping[INTERVIEW_IDENTITY] = identity
st.caption("Fields marked * are required. Columns left unmapped are not imported.")

st.subheader("2. How to read the values")
left, right = st.columns(2)
order = left.radio(
    "Dates like 05/03/2024",
    ["Guess from the file", "Day first (5 March)", "Month first (May 3)"],
    key="import_dayfirst",
    horizontal=True,
)
SCALES = ["1-5", "1-10", "0-10", "0-100"]
named = importing.scale_from_header(mapping.get("rating"))  # "Score (1-10)" says it
if named and named not in SCALES:
    SCALES.append(named)
scale = right.selectbox(
    "Ratings in the file are on a scale of",
    SCALES,
    index=SCALES.index(named) if named else 0,
    key=f"import_scale_{upload.file_id}_{mapping.get('rating')}",
    help="Other scales are mapped linearly onto 1–5. Text like “4/5” is read as it says."
    + (f" The header “{ui.literal(mapping['rating'])}” names this scale." if named else ""),
)
options = importing.ImportOptions(
    dayfirst={"Guess from the file": None, "Day first (5 March)": True, "Month first (May 3)": False}[order],
    scale=scale,
)

plan_key = (staged_key, tuple(sorted(mapping.items())), options, store.data_version(con))
held_plan = st.session_state.get("import_plan")
if held_plan is None or held_plan[0] != plan_key:
    plan = with_progress(
        "Checking every row",
        lambda progress: importing.plan_import(con, staged, mapping, options, progress=progress),
    )
    st.session_state["import_plan"] = (plan_key, plan)
    held_plan = st.session_state["import_plan"]
plan = held_plan[1]

st.subheader("3. What would be imported")
if plan.dates.message:
    (st.warning if plan.dates.ambiguous or plan.dates.conflicting else st.caption)(plan.dates.message)
cols = st.columns(5)
cols[0].metric("Rows read", f"{plan.rows_read:,}")
cols[1].metric("To import", f"{plan.rows_new:,}")
cols[2].metric("Already there", f"{plan.rows_duplicate:,}")
cols[3].metric("Rejected", f"{plan.rows_rejected:,}")
cols[4].metric("New interviews", f"{plan.interviews_added:,}")
if plan.categories_added:
    st.caption("New question categories: " + ", ".join(map(ui.literal, plan.categories_added)))
if plan.unmapped_columns:
    st.caption("Columns not imported: " + ", ".join(map(ui.literal, plan.unmapped_columns)))
if plan.rows_filled_down:
    st.caption(
        f"{ui.count(plan.rows_filled_down, 'row')} without interview columns (merged cells) "
        "joined the interview above them."
    )


def row_report(rows, kind: str, csv: bytes, label: str, what: str, key: str | None = None) -> None:
    """The rows (line in the file, column, message) and their CSV download: rejections or warnings."""
    st.dataframe(
        rows,
        hide_index=True,
        column_config={
            "line": "Line in file",
            "column": "Column",
            "message": st.column_config.TextColumn(kind, width="large"),
        },
    )
    st.download_button(
        label,
        csv,
        file_name=f"{staged.filename}-{what}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


if plan.rows_rejected:
    st.markdown(f"**Rows that cannot be imported** ({plan.rows_rejected:,})")
    row_report(plan.errors, "Problem", importing.errors_csv(plan), "Download the problems (CSV)", "problems")
if plan.warning_records:
    st.markdown(
        f"**Imported without a value** ({len(plan.warning_records):,}): the row is imported, the value is left out"
    )
    row_report(
        plan.warnings,
        "Warning",
        importing.errors_csv(plan.warning_records),
        "Download the warnings (CSV)",
        "warnings",
        key="import_warnings_download",
    )
st.markdown("**Preview, as the rows will be stored**")
st.dataframe(plan.preview, hide_index=True)

left, right = st.columns([1, 4])
if left.button(
    f"Import {ui.count(plan.rows_new, 'row')}",
    type="primary",
    disabled=not plan.can_import,
    icon=":material/upload:",
    key="import_go",
):
    result = with_progress(
        "Importing",
        lambda progress: importing.commit_import(con, plan, progress=progress),
        problem="Nothing was imported: ",
    )
    forget(staged)
    ui.flash(
        f"Imported {ui.count(result.rows_imported, 'row')}: {ui.count(result.interviews_added, 'interview')} and "
        f"{ui.count(result.questions_added, 'question')}"
        + (
            f"; {ui.count(result.rows_duplicate, 'row')} {'was' if result.rows_duplicate == 1 else 'were'} already there"
            if result.rows_duplicate
            else ""
        )
        + (f"; {result.rows_rejected:,} rejected" if result.rows_rejected else "")
        + "."
    )
    st.switch_page("pages/interviews.py")
if right.button("Cancel", key="import_cancel"):
    forget(staged)
    st.rerun()
if not plan.can_import:
    st.caption("Nothing new to import: every valid row is already stored." if plan.rows_valid else "")
