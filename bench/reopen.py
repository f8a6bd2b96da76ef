"""What letting go of the database between clicks costs: reopening it at about 1,000 and 1,000,000 answers.

Run with ``make bench`` or ``.venv/bin/python bench/reopen.py``. The app closes
the file a while after its last script run (``ui.IDLE_RELEASE_S``), or when a
command asks for it, and the next run opens it again: that reopening is what a
click after a long pause, or after a command, pays.
Printed beside DuckDB's own ``connect`` of the same file, and the first open of
the process (which also checks for pending migrations). Goal: a reopen under
50 ms at 1,000,000 answers, so no click feels it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from analysis import store  # noqa: E402

# Answers per interview average about 7.9 in the demo history.
SIZES = {"~1,000 answers": 127, "~1,000,000 answers": 127_000}
REPEATS = 15
GOAL_MS = 50.0


def fill(path: Path, interviews: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "analysis", "demo", "--db", str(path), "--interviews", str(interviews)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(path: Path) -> tuple[float, float, float, int]:
    """Milliseconds: first open, median reopen (as after an idle release), median raw DuckDB connect; answers."""
    first = timed(lambda: store.connect(path))
    (answers,) = store.connect(path).execute("SELECT count(*) FROM questions").fetchone()
    store.close(path)
    reopen, raw = [], []
    for _ in range(REPEATS):
        # Each reopen is followed by the first query a page makes, as in a real run.
        reopen.append(timed(lambda: store.connect(path).cursor().execute("SELECT count(*) FROM interviews")))
        store.close(path)
        raw.append(timed(lambda: duckdb.connect(str(path)).execute("SELECT count(*) FROM interviews").close()))
    return first, statistics.median(reopen), statistics.median(raw), answers


def main() -> int:
    print(f"{'history':>20} {'answers':>10} {'first open':>11} {'reopen':>8} {'duckdb':>8}   (ms, median of {REPEATS})")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as folder:
        for label, interviews in SIZES.items():
            path = Path(folder) / f"reopen-{interviews}.duckdb"
            fill(path, interviews)
            first, reopen, raw, answers = measure(path)
            worst = max(worst, reopen)
            print(f"{label:>20} {answers:>10,} {first:>11.1f} {reopen:>8.1f} {raw:>8.1f}")
    verdict = "within" if worst <= GOAL_MS else "OVER"
    print(f"goal: a reopen under {GOAL_MS:.0f} ms at every size: {verdict} ({worst:.1f} ms at worst)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
