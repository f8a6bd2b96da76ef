"""The server's warm-up: the heavy modules loaded once, and the long-lived objects kept out of the collector's way."""

import gc
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_under_a_server_leaves_a_full_collection_almost_nothing_to_walk():
    # Streamlit collects in full after every script run; what the warm-up loaded must not be walked each time.
    code = (
        "import gc, ui\n"
        "before = len(gc.get_objects())\n"
        "ui._warm_up(True)\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    before, frozen, left = map(int, done.stdout.split())
    assert frozen > before  # Altair, pandas and the pages' modules among them
    assert left < 1_000
    assert "leaked" not in done.stderr  # unfrozen at exit, so DuckDB's objects are torn down in order


def test_the_app_under_apptest_freezes_nothing_in_the_tests_process(app):
    app.switch_page("pages/home.py").run()
    assert not app.exception, app.exception
    for thread in threading.enumerate():
        if thread.name == "debrief-warm-up":
            thread.join(timeout=60)
    assert gc.get_freeze_count() == 0
