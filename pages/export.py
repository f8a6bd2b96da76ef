"""Export: everything as the canonical CSV the importer reads back, or a full backup."""

import streamlit as st

import ui
from analysis import export, store

ui.cursor()  # opens the database, or says why it cannot
path = ui.database_path()
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
        data=lambda: export.export_csv(store.connect(path).cursor()),
        file_name=export.export_filename(),
        mime="text/csv",
        icon=":material/table:",
        type="primary",
        on_click="ignore",
    )
    st.caption("Opens in Excel, Google Sheets and Numbers.")
with right:
    st.download_button(
        "Download a full backup (zip)",
        data=lambda: export.backup_zip(store.connect(path).cursor()),
        file_name=export.export_filename(suffix=".zip"),
        mime="application/zip",
        icon=":material/archive:",
        on_click="ignore",
    )
    st.caption("Every table as Parquet, with a manifest: the complete record, follow-ups and practice included.")
