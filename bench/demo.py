"""How long the demo generator takes: 1,000 and 100,000 interviews into fresh files.

Run with ``make bench`` or ``.venv/bin/python bench/demo.py``. Prints a table;
the goal is 100,000 interviews (about 800,000 questions) in under 30 s.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import demo, store  # noqa: E402

SIZES = (1_000, 100_000)
GOAL_SECONDS = 30.0
TODAY = dt.date(2026, 6, 1)


def measure(interviews: int, folder: Path) -> tuple[float, int, int]:
    """Seconds to generate ``interviews`` into a new file (checkpoint included), questions, file bytes."""
    path = folder / f"demo-{interviews}.duckdb"
    con = store.connect(path).cursor()
    try:
        started = time.perf_counter()
        summary = demo.generate(con, interviews=interviews, today=TODAY)
        elapsed = time.perf_counter() - started
    finally:
        con.close()
        store.close(path)
    return elapsed, summary.questions, path.stat().st_size


def main() -> int:
    print(f"{'interviews':>12} {'questions':>12} {'seconds':>9} {'file MB':>9}")
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as folder:
        for interviews in SIZES:
            elapsed, questions, size = measure(interviews, Path(folder))
            note = f"   goal: 100,000 interviews under {GOAL_SECONDS:.0f} s" if interviews == 100_000 else ""
            print(f"{interviews:>12,} {questions:>12,} {elapsed:>9.2f} {size / 1e6:>9.1f}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
