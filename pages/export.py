"""Export: everything as the canonical CSV the importer reads back, or a full backup; and restoring one."""

import streamlit as st

import ui
from analysis import backup, export, store

con = ui.cursor()  # opens the database, or says why it cannot
st.title("Export")
st.write(
    "Your whole history as one CSV, one row per question with the interview's details repeated on each, in the "
    "format the importer reads back. Cells that a spreadsheet could run as a formula are neutralised with a "
    "leading apostrophe, which the importer removes again."
)
left, right = st.columns(2)
with left:
    st.download_button(
        "Download all data (CSV)",
        # Made when clicked, on a cursor of its own: the click is served outside this run.
        data=ui.made_on_click(export.export_csv),
        file_name=export.export_filename(),
        mime="text/csv",
        icon=":material/table:",
        type="primary",
        on_click="ignore",
    )
    st.caption("Opens in Excel, Google Sheets and Numbers.")
    if export.has_stories(con):
        st.download_button(
            "Download the story bank (CSV)",
            data=ui.made_on_click(export.story_bank_csv),
            file_name=export.export_filename("debrief-stories"),
            mime="text/csv",
            icon=":material/auto_stories:",
            on_click="ignore",
        )
        st.caption(
            "Your stories with their STAR parts and competencies. The CSV above names the stories each answer told; "
            "import both files (in either order) to get everything back."
        )
with right:
    st.download_button(
        "Download a full backup (zip)",
        data=ui.made_on_click(backup.backup_zip),
        file_name=export.export_filename(suffix=".zip"),
        mime="application/zip",
        icon=":material/archive:",
        on_click="ignore",
    )
    st.caption("Every table as Parquet, with a manifest: the complete record, follow-ups and practice included.")

st.divider()
st.subheader("Restore from a backup")
st.write(
    "Load a full backup zip (from **Download a full backup**, or `python -m analysis export --backup`). Its "
    "manifest is checked first, and the whole restore is one step: it lands complete or not at all."
)
upload = st.file_uploader("Backup zip", type=["zip"], key="restore_upload")
if upload is not None:
    held = backup.data_rows(con)
    confirmed = True
    if held:
        st.warning(
            f"This database already holds {ui.literal(backup.describe(held))}. Restoring replaces all of it; "
            "a full backup of what it holds now is written beside it first.",
            icon=":material/warning:",
        )
        confirmed = st.checkbox("Replace everything in this database with the backup", key="restore_confirm")
    if st.button("Restore", type="primary", icon=":material/restore:", disabled=not confirmed):
        try:
            with st.spinner("Restoring"):
                restored = backup.restore(con, upload, replace=bool(held))
        except store.StoreError as exc:
            st.error(ui.literal(exc), icon=":material/error:")
        else:
            note = f"Restored {backup.describe(restored.counts)}."
            if restored.replaced_backup is not None:
                note += f" What was here before is saved in {restored.replaced_backup}."
            st.success(ui.literal(note), icon=":material/check_circle:")
