"""Import: past interview notes from a spreadsheet's CSV, checked row by row before anything is written."""

from pathlib import Path

import streamlit as st

import ui
from analysis import importing, store
from analysis.schema import FIELD_NAMES

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "samples" / "template.csv"

con = ui.cursor()


def with_progress(label: str, work, problem: str = ""):
    """Run ``work(progress)`` under a progress bar; on a problem show it (after ``problem``) and stop."""
    bar = st.progress(0.0, text=label)
    try:
        return work(lambda fraction, message: bar.progress(min(fraction, 1.0), text=message))
    except (store.StoreError, ValueError) as exc:
        st.error(f"{problem}{exc}", icon=":material/error:")
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
    "Export your spreadsheet (Excel, Google Sheets, Numbers or another tracker) as CSV, TSV or text and upload it. "
    "Debrief works out the encoding, the separator and the header row, guesses which column is which, and shows "
    "every row it cannot use before anything is written. Importing the same file twice adds nothing twice."
)
limit_mb = st.get_option("server.maxUploadSize")
upload = st.file_uploader(
    "Notes file",
    type=["csv", "tsv", "txt"],
    key="import_upload",
    help=f"Up to {limit_mb} MB here. For a larger file use the command line: "
    "`python -m analysis import FILE` (see the README).",
)
st.caption(
    f"Files up to {limit_mb} MB. A bigger file is refused here: import it with "
    "`python -m analysis import FILE` instead, which has no limit."
)
with st.expander("What can the file look like?"):
    st.markdown(
        "One row per question, with at least a **date** and a **company** column. Rows that share date, company, "
        "role and stage become one interview; a row without a question adds an interview with its outcome alone. "
        "Headers like *Interview date*, *Employer*, *Job title*, *Round*, *Question asked*, *Topic*, *Score*, "
        "*Interviewer reaction*, *Comments* or *Status* are recognised. Dates may be ISO, `Mar 5, 2024`, "
        "`05/03/2024` or `05.03.2024`; ratings 1–5, `4/5`, or another scale you name below."
    )
    st.download_button(
        "Download a template", TEMPLATE.read_bytes(), "debrief-template.csv", "text/csv", icon=":material/download:"
    )

if upload is None:
    st.session_state.pop("import_staged", None)
    st.stop()

# Read the upload once per file, not on every rerun.
staged_key = (upload.file_id, str(ui.database_path()))
held = st.session_state.get("import_staged")
if held is None or held[0] != staged_key:
    staged = with_progress(
        "Reading the file",
        lambda progress: importing.read_notes(con, upload.getvalue(), upload.name, progress=progress),
    )
    st.session_state["import_staged"] = (staged_key, staged)
    held = st.session_state["import_staged"]
staged = held[1]

st.success(
    f"Read **{ui.plain(staged.filename)}**: {staged.rows:,} rows, {staged.encoding}, separated by "
    f"{staged.delimiter_name}, header on line {staged.header_line}.",
    icon=":material/description:",
)
if staged.duplicate_headers:
    st.warning(
        "Some headers appear more than once and were numbered: " + ", ".join(map(ui.plain, staged.duplicate_headers)),
        icon=":material/warning:",
    )

st.subheader("1. Which column is which")
NOT_IN_FILE = "(not in the file)"
choices = [NOT_IN_FILE, *staged.headers]
mapping = {}
cols = st.columns(4)
for index, field in enumerate(FIELD_NAMES):
    guessed = staged.guess.get(field)
    picked = cols[index % 4].selectbox(
        importing.FIELD_LABELS[field] + (" *" if field in importing.REQUIRED else ""),
        choices,
        index=choices.index(guessed) if guessed in choices else 0,
        key=f"import_map_{upload.file_id}_{field}",
    )
    if picked != NOT_IN_FILE:
        mapping[field] = picked
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
    + (f" The header “{mapping['rating']}” names this scale." if named else ""),
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
    st.caption("New question categories: " + ", ".join(map(ui.plain, plan.categories_added)))
if plan.unmapped_headers:
    st.caption("Columns not imported: " + ", ".join(map(ui.plain, plan.unmapped_headers)))

if plan.rows_rejected:
    st.markdown(f"**Rows that cannot be imported** ({plan.rows_rejected:,})")
    st.dataframe(
        plan.errors,
        hide_index=True,
        column_config={
            "line": "Line in file",
            "column": "Column",
            "message": st.column_config.TextColumn("Problem", width="large"),
        },
    )
    st.download_button(
        "Download the problems (CSV)",
        importing.errors_csv(plan),
        file_name=f"{staged.filename}-problems.csv",
        mime="text/csv",
        icon=":material/download:",
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
