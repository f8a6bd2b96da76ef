"""Debrief: the entry point. Page config, navigation and the shared sidebar."""

import streamlit as st

import ui
from analysis import store

# The app's connections may touch only the database's folder and a scratch
# folder for uploads: no SQL, whatever text reaches it, can read other files.
store.restrict_file_access(True)
# Hold the database file only while a run needs it, so `python -m analysis due` works beside the app.
ui.let_go_when_idle()

st.set_page_config(page_title="Debrief", page_icon="💬", layout="wide")

# Each page's URL is its file name: on a fresh server Streamlit first routes by
# file name (see ui.running_page), so a bookmark to any page must match both.
PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/log.py", title="Log interview", icon=":material/edit_note:", url_path="log"),
    st.Page("pages/interviews.py", title="Interviews", icon=":material/list:", url_path="interviews"),
    st.Page("pages/import.py", title="Import", icon=":material/upload_file:", url_path="import"),
    st.Page("pages/followups.py", title="Follow-ups", icon=":material/task_alt:", url_path="followups"),
    st.Page("pages/dashboard.py", title="Dashboard", icon=":material/insights:", url_path="dashboard"),
    st.Page("pages/prepare.py", title="Prepare", icon=":material/school:", url_path="prepare"),
    st.Page("pages/stories.py", title="Stories", icon=":material/auto_stories:", url_path="stories"),
    st.Page("pages/practice.py", title="Practice", icon=":material/style:", url_path="practice"),
    st.Page("pages/export.py", title="Export", icon=":material/download:", url_path="export"),
]

page = st.navigation(PAGES)

ui.keep_demo_in_url()
with st.sidebar:
    if ui.in_demo():
        st.warning("**Demo data.** Nothing here is yours, and nothing you do here touches your own records.")
        if st.button("Back to my data", icon=":material/arrow_back:", width="stretch"):
            ui.use_demo(False)
            st.rerun()
    overdue = ui.overdue_steps()
    if overdue:
        st.page_link(
            "pages/home.py",
            label=f"{ui.count(overdue, 'follow-up step')} overdue",
            icon=":material/alarm:",
        )
    explore_demo = not ui.in_demo() and st.button(
        "Explore demo data", icon=":material/science:", width="stretch", help="A made-up history in its own file"
    )
    st.caption(f"Database: {ui.literal(ui.database_path())}")

ui.show_flash()
with ui.running_page():
    if explore_demo:  # opened here: the demo's database is written inside a page's run
        ui.open_demo()
    page.run()
