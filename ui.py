"""Streamlit glue shared by the pages: which database this session uses, and how
problems are shown. Everything else a page needs comes from ``analysis``."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analysis import store, text
from analysis.interviews import Problem

DEMO_KEY = "use_demo_database"

# Set while app.py runs a page. Streamlit runs scripts as a legacy multipage
# app (every file in pages/ a page of its own) until the first public
# st.navigation() call, so after a restart a bookmark to /log would run
# pages/log.py alone, without app.py. A page that finds itself run alone turns
# that mode off, as st.navigation() itself does, and reruns through app.py.
_entry = threading.local()


@contextmanager
def running_page():
    """Wrap app.py's ``page.run()`` so pages know they run inside the app."""
    _entry.active = True
    try:
        yield
    finally:
        _entry.active = False


def database_path() -> Path:
    """The database this browser session works on: the user's own, or the demo one."""
    own = store.database_path()
    return store.demo_path(own) if st.session_state.get(DEMO_KEY) else own


def cursor():
    """A fresh cursor for this script run on the session's database.

    The connection is shared by every session of the process (DuckDB allows one
    writer process per file); each run takes its own cursor because a DuckDB
    connection must not be used from two threads at once. When the file cannot
    be opened the page shows why, and stops.
    """
    if not getattr(_entry, "active", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
    try:
        # The button below, clicked on the previous run, is the user's consent to adopt a foreign file.
        return store.connect(database_path(), adopt=bool(st.session_state.get("adopt_database"))).cursor()
    except store.StoreError as exc:
        st.error(str(exc), icon=":material/lock:")
        if isinstance(exc, store.ForeignDatabase):
            st.button("Use this file for Debrief (a backup is taken first)", key="adopt_database")
        st.stop()


def use_demo(on: bool) -> None:
    """Switch this session to the demo database or back to the user's own."""
    st.session_state[DEMO_KEY] = on


def in_demo() -> bool:
    return bool(st.session_state.get(DEMO_KEY))


def show_problems(problems: list[Problem], field: str, where=None) -> None:
    """Show the problems about ``field`` as errors (in ``where`` if given)."""
    target = where or st
    for problem in problems:
        if problem.field == field:
            target.error(problem.text, icon=":material/error:")


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def plain(text) -> str:
    """Escape user text for Streamlit's Markdown so it shows literally.

    Streamlit never renders raw HTML here, but Markdown would still turn a note
    into a link or a remote image; escaping keeps user text as text.
    """
    return "" if text is None else str(text).translate(_MARKDOWN_SPECIALS)


def flash(message: str) -> None:
    """Show ``message`` as a success note at the top of the next page run."""
    st.session_state["flash_message"] = message


def show_flash() -> None:
    message = st.session_state.pop("flash_message", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def overdue_steps() -> int:
    """How many follow-up steps are overdue in this session's database (0 if it cannot be opened)."""
    path = database_path()
    try:
        con = store.connect(path).cursor()
    except store.StoreError:
        return 0  # the page itself says why
    # Every page shows this count: recount when the data changes or a minute passes.
    minute = int(time.time() // 60)
    return _overdue_steps(str(path), store.data_version(con), minute)


@st.cache_data(max_entries=16, show_spinner=False)
def _overdue_steps(path: str, version: int, minute: int) -> int:
    from analysis import followups

    return followups.overdue_count(store.connect(path).cursor())


# "1 question", "2,048 questions": the pages count in the same words as the rest of Debrief.
count = text.count


def query_int(name: str) -> int | None:
    """The link's ``?name=`` as a whole number, or None; anything else is ignored with a note.

    A link typed or pasted by hand (``?id=abc``, ``?id=²``) must not crash a page.
    """
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return None
    # isdigit() accepts "²" and other digits int() refuses; only ASCII 0-9 is a number here.
    if raw.isascii() and raw.isdigit():
        return int(raw)
    st.caption(plain(f"Ignored the link's {name}={raw}: not an interview number."))
    return None
