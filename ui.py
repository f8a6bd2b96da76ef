"""Streamlit glue shared by the pages: which database this session uses, and how
problems are shown. Everything else a page needs comes from ``analysis``."""

from __future__ import annotations

import functools
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analysis import store, text
from analysis.interviews import Problem

DEMO_KEY = "use_demo_database"
DEMO_PARAM = "demo"  # ?demo=1: the demo lives in the URL, so it survives reloads and new tabs

# Set while app.py runs a page. Streamlit runs scripts as a legacy multipage
# app (every file in pages/ a page of its own) until the first public
# st.navigation() call, so after a restart a bookmark to /log would run
# pages/log.py alone, without app.py. A page that finds itself run alone turns
# that mode off, as st.navigation() itself does, and reruns through app.py.
_entry = threading.local()


# How long the app keeps the database file after the last script run. Debrief's
# own commands need not wait for it: they ask, and the app lets go as soon as no
# run holds the file (connections.asking_to_let_go). Other programs (a DuckDB
# shell) get it this long after the last click. Kept, the file saves every click
# after a pause its reopening: in bench/latency.py (clicks a second apart) the
# median navigation took 371 ms when each click reopened it, 275-329 ms kept.
IDLE_RELEASE_S = 10.0

# The holds this script thread has on database files (see analysis/connections.py).
_run = threading.local()


@contextmanager
def running_page():
    """Wrap app.py's ``page.run()``: pages know they run inside the app, and the run's hold on the
    database ends with it (however it ends: normally, ``st.stop``, ``st.rerun`` or an exception)."""
    _entry.active = True
    try:
        yield
    except (store.StoreError, duckdb.Error) as exc:
        # A write the page did not expect to fail (a full disk, a file gone read-only, another window
        # writing the same rows at that moment): said, never a traceback.
        show_failure(said(exc))
    finally:
        _entry.active = False
        _end_run_holds()
        _warm_up_once()


# What the Dashboard and Prepare pages import, and Altair's first chart (it loads
# its schema then): about half a second the first visit to those pages would
# otherwise pay. Imported once per server, after the first page is shown; then
# the server's long-lived objects are frozen (see _warm_up).
_HEAVY_MODULES = (
    "altair",
    "analysis.brief",
    "analysis.calibration",
    "analysis.charts",
    "analysis.companies",
    "analysis.funnel",
    "analysis.insight_charts",
    "analysis.metrics",
    "analysis.practice",
)
_warmed = threading.Event()


def _warm_up_once() -> None:
    if not _warmed.is_set():
        _warmed.set()
        freeze = _under_a_server()
        threading.Thread(target=_warm_up, args=(freeze,), name="debrief-warm-up", daemon=True).start()


def _warm_up(freeze: bool) -> None:
    """Import what the heavier pages need; with ``freeze``, put what is loaded by then out of the collector's way.

    Streamlit collects garbage in full after every script run (its
    ``runner.postScriptGC``), holding the GIL, so each click's last message waits
    for it. With Altair's schema, pandas and DuckDB loaded, that collection took
    65-90 ms here, most of a click's time; once the server's long-lived objects
    are frozen (``gc.freeze``: never collected, still freed when unreferenced)
    it takes about 1 ms. Only under a real server: a test process keeps its own.
    """
    import atexit
    import gc
    import importlib

    for name in _HEAVY_MODULES:
        importlib.import_module(name)
    import altair as alt
    import pandas as pd

    alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x").to_dict()
    if freeze:
        gc.collect()  # what is garbage already goes now, not into the frozen set
        gc.freeze()
        # Unfrozen at exit, so the interpreter's last collection still tears them down in order
        # (DuckDB's bindings otherwise report their objects as leaked when the server stops).
        atexit.register(gc.unfreeze)


def _under_a_server() -> bool:
    """Whether this runs under ``streamlit run``, not AppTest's stand-in Runtime inside a test's process."""
    from streamlit.runtime import Runtime

    return Runtime.exists() and type(Runtime.instance()) is Runtime


def let_go_when_idle() -> None:
    """Have the app let go of the database file when no script run needs it (app.py calls this).

    Only under a real server. AppTest runs the app inside the test's own process
    (with a stand-in Runtime), where the test's cursors must outlive a run.
    """
    if _under_a_server():
        store.release_when_idle(IDLE_RELEASE_S, watch=True)
        store.on_use(_hold_for_this_run)


def _hold_for_this_run(path: Path) -> None:
    """Hold ``path`` for the script run taking a connection to it, if this is a script run.

    A full run's hold ends with ``running_page``. A fragment rerun runs without
    app.py, so its hold ends when its script thread does: Streamlit runs a
    session's queued reruns on one thread and ends it when none is left, so
    that is the end of the run, or of a short burst of runs.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return  # not a script run (a download made on click): see store.hold
    holds = getattr(_run, "holds", None)
    if holds is None:
        holds = _run.holds = {}
        script_thread = threading.current_thread()
        threading.Thread(target=_end_holds_after, args=(script_thread, holds), daemon=True).start()
    if path not in holds:
        holds[path] = store.hold(path)


def made_on_click(work):
    """``data`` for a download made when clicked: ``work(cursor)`` on the session's database, held meanwhile.

    Streamlit calls it outside any script run, so no run holds the file for it:
    this does, so the app does not let go of the file in the middle of it.
    """
    path = database_path()

    def make():
        with store.hold(path):
            return work(store.connect(path).cursor())

    return make


def _end_holds_after(script_thread: threading.Thread, holds: dict) -> None:
    script_thread.join()
    for hold in list(holds.values()):
        hold.release()


def _end_run_holds() -> None:
    holds = getattr(_run, "holds", None) or {}
    for hold in list(holds.values()):
        hold.release()
    holds.clear()


def _in_fragment_rerun() -> bool:
    """Whether this run reruns fragments only (Streamlit runs them without app.py)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx and ctx.fragment_ids_this_run)


def database_path() -> Path:
    """The database this browser session works on: the user's own, or the demo one."""
    own = store.database_path()
    return store.demo_path(own) if in_demo() else own


def cursor():
    """A fresh cursor for this script run on the session's database.

    The connection is shared by every session of the process (DuckDB allows one
    writer process per file); each run takes its own cursor because a DuckDB
    connection must not be used from two threads at once. The file is held for
    the run and let go a moment after it, so a cursor lasts one run: a fragment
    takes its own with this, never one kept from the page's full run. When the
    file cannot be opened the page shows why, and stops.
    """
    if not (getattr(_entry, "active", False) or _in_fragment_rerun()):
        PagesManager.uses_pages_directory = False
        st.rerun()
    try:
        # The button below, clicked on the previous run, is the user's consent to adopt a foreign file.
        return store.connect(database_path(), adopt=bool(st.session_state.get("adopt_database"))).cursor()
    except store.StoreError as exc:
        st.error(literal(exc), icon=":material/lock:")
        if isinstance(exc, store.ForeignDatabase):
            st.button("Use this file for Debrief (a backup is taken first)", key="adopt_database")
        st.stop()


def in_partial_rerun() -> bool:
    """Whether this run reruns a fragment alone (what the full run computed for it may be stale)."""
    return _in_fragment_rerun()


def rerun_part() -> None:
    """Rerun the fragment this runs in (the whole page when it runs as part of a full run)."""
    # scope="fragment" is refused during a full run, which is how a fragment first runs.
    st.rerun(scope="fragment" if _in_fragment_rerun() else "app")


def without_none(frame):
    """``frame`` with empty text cells shown empty: Streamlit's tables print a missing value as "None".

    Only text columns: a column of times or dates (object dtype too) with "" among them
    could not be sent as Arrow, and Streamlit would log a traceback on every run.
    """
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if str(values.dtype).startswith(("string", "str")) or (
            values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
        ):
            frame[column] = values.fillna("")
    return frame


def callback_cursor():
    """A cursor for a widget's callback (``on_change``, ``on_click``).

    A callback runs at the start of the rerun its widget asked for, before app.py
    or the fragment, so before ``cursor``'s check that a page runs inside the app;
    a cursor kept from the previous run may belong to a file let go since.
    """
    return store.connect(database_path()).cursor()


def use_demo(on: bool) -> None:
    """Switch this session to the demo database or back to the user's own; the URL says which (``?demo=1``)."""
    st.session_state[DEMO_KEY] = on
    if on:
        st.query_params[DEMO_PARAM] = "1"
    elif DEMO_PARAM in st.query_params:
        del st.query_params[DEMO_PARAM]


def in_demo() -> bool:
    """Whether this session shows the demo: a reload or a new tab on a ``?demo=1`` link stays in it."""
    if DEMO_KEY not in st.session_state:
        st.session_state[DEMO_KEY] = st.query_params.get(DEMO_PARAM) == "1"
    return bool(st.session_state[DEMO_KEY])


def keep_demo_in_url() -> None:
    """Put ``?demo=1`` back in the URL when a page change dropped it, so a reload stays in the demo."""
    if in_demo() and st.query_params.get(DEMO_PARAM) != "1":
        st.query_params[DEMO_PARAM] = "1"


def open_demo() -> None:
    """Switch to the demo database, writing its made-up history on first use; say why if it cannot."""
    from analysis import demo
    from analysis.interviews import counts

    use_demo(True)
    demo_con = cursor()
    try:
        if counts(demo_con)["interviews"] == 0:
            with st.spinner("Writing demo interviews…"):
                demo.generate(demo_con, interviews=300)
    except store.StoreError as exc:
        use_demo(False)
        st.error(literal(exc))
    else:
        st.rerun()


def show_problems(problems: list[Problem], field: str, where=None) -> None:
    """Show the problems about ``field`` as errors (in ``where`` if given)."""
    target = where or st
    for problem in problems:
        if problem.field == field:
            target.error(literal(problem.text), icon=":material/error:")


def literal(value) -> str:
    """User or file text, ready for any Streamlit text that renders Markdown: shown exactly as typed.

    Titles, headings, captions, messages, metric and widget labels, help
    tooltips, expander and tab labels, radio and pill options all render
    Markdown, so a note would otherwise become a link, a remote image (a
    request leaving the machine), bold text or LaTeX. Every page passes text
    that came from the user or a file through this (``tests/unit/test_literal_text.py``
    checks it). Widgets that show plain text (selectbox options, table cells,
    chart labels, text inputs) need no escaping and must not get it.
    """
    return text.markdown_literal(value)


def flash(message: str) -> None:
    """Show ``message`` as a success note at the top of the next page run."""
    st.session_state["flash_message"] = message


def show_flash() -> None:
    """Show what the last action left to say: its success note, or why it failed."""
    message = st.session_state.pop("flash_message", None)
    if message:
        st.success(message, icon=":material/check_circle:")
    failure = st.session_state.pop("flash_failure", None)
    if failure:
        show_failure(failure)


def show_failure(exc: store.StoreError | str) -> None:
    """Say why an action failed and what to do (a ``StoreError``'s words), as an error."""
    st.error(literal(exc), icon=":material/error:")


def said(exc: store.StoreError | duckdb.Error) -> store.StoreError:
    """``exc`` as the ``StoreError`` that says what happened; re-raised when it is none of the failures
    Debrief knows (a bug, which must not be dressed up as the user's problem).

    A write that met another window's write of the same rows reaches a page as DuckDB's own
    error where the action has no retry of its own (``store.retry_on_conflict``); so does running
    out of memory, which is the machine's state and not a bug.
    """
    if isinstance(exc, store.StoreError):
        return exc
    explained = store.explain(exc)
    if store.is_conflict(exc) or isinstance(explained, store.OutOfMemory):
        return explained
    raise exc


def failure_of(action, *args, **kwargs) -> str | None:
    """Run ``action``; what its failed write says (``said``), or None when it worked."""
    try:
        action(*args, **kwargs)
    except (store.StoreError, duckdb.Error) as exc:
        return str(said(exc))
    return None


def guarded(callback):
    """A widget callback whose failed write (``said``) is said at the top of the next run, never a traceback.

    Callbacks run before the script, outside the page's own handling of failures.
    """

    @functools.wraps(callback)
    def run(*args, **kwargs):
        failure = failure_of(callback, *args, **kwargs)
        if failure:
            st.session_state["flash_failure"] = failure

    return run


def fragment(func):
    """``st.fragment``, with a ``StoreError`` raised inside said where the fragment is, never a traceback.

    A fragment's own reruns do not pass through app.py's handling of failures, nor its flash:
    a failure a callback of the fragment's widgets left (``guarded``) is said here. A fragment
    that draws into containers of the page says them in the one given as ``said_in=``.
    """

    @functools.wraps(func)
    def part(*args, said_in=None, **kwargs):
        place = nullcontext() if said_in is None else said_in
        failure = st.session_state.pop("flash_failure", None)
        if failure:
            with place:
                show_failure(failure)
        try:
            return func(*args, **kwargs)
        except (store.StoreError, duckdb.Error) as exc:
            with place:
                show_failure(said(exc))

    return st.fragment(part)


def this_minute() -> int:
    """The minute now, as a cache key: what falls due with the clock is worked out again each minute."""
    return int(time.time() // 60)


def overdue_steps() -> int:
    """How many follow-up steps are overdue in this session's database (0 if it cannot be opened)."""
    path = database_path()
    try:
        con = store.connect(path).cursor()
    except store.StoreError:
        return 0  # the page itself says why
    # Every page shows this count: recount when the data changes or a minute passes.
    return _overdue_steps(str(path), store.data_version(con), this_minute())


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
    st.caption(f"Ignored the link's {literal(name)}={literal(raw)}: not an interview number.")
    return None
