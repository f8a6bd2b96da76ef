"""How long the Dashboard page takes at about 1,000 and about 1,000,000 answers.

Run with ``make bench`` or ``.venv/bin/python bench/dashboard.py``. Each size is
a demo history written by ``python -m analysis demo``; the page runs under
AppTest, unfiltered and filtered, in each of its views (the page draws only the
open one). "Cold" is the first run on fresh data (the result cache empty, as
after every save); "warm" repeats it with the cache in place. Goals: at
1,000,000 answers, every view's cold run at most 3x the 1,000-answer run and
under 1.5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Answers per interview average about 7.9 in the demo history.
SIZES = {"~1,000 answers": 127, "~1,000,000 answers": 127_000}
REPEATS = 3
VIEWS = ("Answers", "Outcomes", "Calibration", "Whole history")  # pages/dashboard.py's tabs
GOAL_RATIO = 3.0
GOAL_SECONDS = 1.5


def fill(path: Path, interviews: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "analysis", "demo", "--db", str(path), "--interviews", str(interviews)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def timed_runs(path: Path, filtered: bool, view: str) -> tuple[float, float, int]:
    """Median cold and warm page run times of one view in seconds, and the answers counted."""
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from analysis import store

    original_init = PagesManager.__init__

    def init_as_server(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init_as_server
    os.environ["DEBRIEF_DB"] = str(path)
    cold, warm, rated = [], [], 0
    try:
        for _ in range(REPEATS):
            st.cache_data.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.run()
            at.switch_page("pages/dashboard.py")
            at.session_state["view"] = view
            at.query_params["view"] = view
            if filtered:
                at.run()
                at.multiselect(key="dash_stages").set_value(["technical", "onsite/panel"])
                at.multiselect(key="dash_categories").set_value(["behavioral", "technical"])
                st.cache_data.clear()
            started = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
            assert not at.exception, at.exception
            # Named here to time each one: fail, rather than time the default view again, when they change.
            assert [tab.label for tab in at.tabs] == list(VIEWS), f"the page's views are now {at.tabs}"
            assert at.session_state["view"] == view
            rated = int(next(m.value for m in at.metric if m.label == "Questions rated").replace(",", ""))
    finally:
        PagesManager.__init__ = original_init
        store.close_all()
    return statistics.median(cold), statistics.median(warm), rated


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as folder:
        for label, interviews in SIZES.items():
            path = Path(folder) / f"dash-{interviews}.duckdb"
            fill(path, interviews)
            for filtered in (False, True):
                for view in VIEWS:
                    results[(label, filtered, view)] = timed_runs(path, filtered, view)
    print(f"Dashboard page run time (AppTest, median of {REPEATS}):")
    print(f"{'history':>20} {'filters':>9} {'view':>14} {'answers':>10} {'cold s':>8} {'warm s':>8}")
    for (label, filtered, view), (cold, warm, rated) in results.items():
        print(f"{label:>20} {'yes' if filtered else 'no':>9} {view:>14} {rated:>10,} {cold:>8.3f} {warm:>8.3f}")
    small, large = SIZES
    for filtered in (False, True):
        for view in VIEWS:
            ratio = results[(large, filtered, view)][0] / results[(small, filtered, view)][0]
            seconds = results[(large, filtered, view)][0]
            ok = ratio <= GOAL_RATIO and seconds < GOAL_SECONDS
            print(
                f"{'filtered' if filtered else 'unfiltered':>10} {view:>14}: large/small cold = {ratio:.2f}x "
                f"(goal <= {GOAL_RATIO:.0f}x), large cold = {seconds:.3f} s (goal < {GOAL_SECONDS} s): "
                f"{'within goal' if ok else 'OVER GOAL'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
