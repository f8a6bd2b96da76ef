"""Benchmark: importing a 1,000,000-row notes file against DuckDB's own CSV load.

Generates ``bench/out/notes-1m.csv`` (once; reused while its size matches),
then runs, each in a fresh subprocess on a fresh database file:

* raw:    ``CREATE TABLE t AS SELECT * FROM read_csv(FILE)`` plus a CHECKPOINT;
* import: Debrief's ``read_notes`` + ``plan_import`` + ``commit_import``
          (one transaction, CHECKPOINT after).

It prints a table with wall time of the work and the peak RSS of each
subprocess (from ``os.wait4``), their ratios and the goals (time <= 3x,
memory <= 2x). Then two figures at the edges:

* workbook: a 100,000-row ``.xlsx`` (written once with openpyxl) imported by
  Debrief beside python-calamine's own read of the same sheet (goal <= 2x);
* wide: a file as wide as the importer reads (4,000 columns) read, then planned,
  and one of 10,000 columns refused (goal: each answered in < 5 s).

Run: ``.venv/bin/python bench/import.py [--rows N] [--repeat K] [--xlsx-rows N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from analysis.importing.staging import MAX_COLUMNS  # noqa: E402  (the bench runs as a script)

OUT = ROOT / "bench" / "out"

RAW_CHILD = """
import json, sys, time, duckdb
path, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)
start = time.perf_counter()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [path])
con.execute("CHECKPOINT")
elapsed = time.perf_counter() - start
rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
con.close()
print(json.dumps({"seconds": elapsed, "rows": rows}))
"""

IMPORT_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
from analysis import importing, store
path, db = sys.argv[1], sys.argv[2]
con = store.open_database(db)
start = time.perf_counter()
staged = importing.read_notes(con, path)
plan = importing.plan_import(con, staged)
result = importing.commit_import(con, plan)
elapsed = time.perf_counter() - start
importing.discard(con, staged)
con.close()
print(json.dumps({"seconds": elapsed, "rows": result.rows_imported, "rejected": result.rows_rejected,
                  "interviews": result.interviews_added, "questions": result.questions_added}))
"""

GENERATE = """
COPY (
  SELECT
    strftime(DATE '2019-01-01' + CAST(i // 5 % 2500 AS INTEGER), '%Y-%m-%d') AS date,
    CASE WHEN i // 5 % 3 = 0 THEN '' ELSE printf('%02d:%02d', 9 + i // 5 % 9, (i // 5 % 4) * 15) END AS time,
    'Company ' || (i // 5 % 200000) AS company,
    ['Data Engineer', 'Backend Developer', 'Analyst', 'Product Manager', 'SRE'][1 + i // 5 % 5] AS role,
    ['recruiter screen', 'phone screen', 'technical', 'onsite/panel', 'final'][1 + i // 5 % 5] AS stage,
    ['video', 'phone', 'in person'][1 + i // 5 % 3] AS format,
    'Ana Ruiz (Engineering Manager); Ben Ode' AS interviewers,
    ['advanced', 'rejected', 'pending', 'offer', 'no response'][1 + i // 5 % 5] AS outcome,
    'Question ' || (i % 5 + 1) || ': tell me about a time you handled situation number ' || (i % 9973) AS question,
    ['behavioral', 'technical', 'situational', 'culture/motivation', 'salary/logistics'][1 + i % 5] AS category,
    (1 + i % 5)::VARCHAR AS rating,
    ['positive', 'neutral', 'negative', 'unsure'][1 + i % 4] AS reaction,
    CASE WHEN i % 4 = 0 THEN 'Next time: lead with the result, then the context, and keep it under two minutes'
         ELSE '' END AS notes
  FROM range(?) t(i)
) TO '{path}' (FORMAT csv, HEADER true)
"""


def generate(path: Path, rows: int) -> None:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    marker = path.with_suffix(".rows")
    if path.exists() and marker.exists() and marker.read_text() == str(rows):
        return
    con = duckdb.connect()
    # The path is ours (bench/out); COPY needs it in the statement text.
    con.execute(GENERATE.replace("{path}", str(path).replace("'", "''")), [rows])
    con.close()
    marker.write_text(str(rows))


def measure(code: str, args: list[str]) -> tuple[dict, float, int, float]:
    """Run ``code`` in a fresh Python; return its JSON line, wall seconds, peak RSS in bytes and CPU seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}):\n{err.decode()}")
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return json.loads(out.decode().strip().splitlines()[-1]), wall, peak, cpu


CALAMINE_CHILD = """
import json, sys, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows) - 1}))
"""

WIDE_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
from analysis import importing, store
con = store.open_database(sys.argv[2])
start = time.perf_counter()
try:
    staged = importing.read_notes(con, sys.argv[1])
except importing.UnusableFile as exc:
    print(json.dumps({"seconds": time.perf_counter() - start, "refused": str(exc)}))
    raise SystemExit(0)
read = time.perf_counter() - start
plan = importing.plan_import(con, staged)
print(json.dumps({"seconds": time.perf_counter() - start, "read": read, "rows": plan.rows_read}))
"""


def generate_workbook(csv_path: Path, path: Path, rows: int) -> None:
    """The first ``rows`` rows of the CSV benchmark file as an .xlsx sheet (written once, then reused)."""
    import csv

    import openpyxl

    marker = path.with_suffix(".rows")
    if path.exists() and marker.exists() and marker.read_text() == str(rows):
        return
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Notes")
    with open(csv_path, newline="", encoding="utf-8") as f:
        for index, row in enumerate(csv.reader(f)):
            if index > rows:
                break
            sheet.append(row)
    book.save(path)
    marker.write_text(str(rows))


def generate_wide(path: Path, columns: int = 10_000) -> None:
    """A two-row file with ``columns`` columns, two of which map (date, company)."""
    headers = ["Date", "Company", *(f"Field {i}" for i in range(columns - 2))]
    values = ["2026-03-05", "Acme", *("v" for _ in range(columns - 2))]
    path.write_text(",".join(headers) + "\n" + ",".join(values) + "\n")


def edges(csv_path: Path, xlsx_rows: int, tmp: str, repeat: int = 1) -> None:
    """Print the workbook import beside calamine's read (best of ``repeat`` each), and the 10,000-column answer time."""
    book = OUT / f"notes-{xlsx_rows}.xlsx"
    t0 = time.perf_counter()
    generate_workbook(csv_path, book, xlsx_rows)
    print(f"\nworkbook: {book.relative_to(ROOT)}  {xlsx_rows:,} rows  (ready in {time.perf_counter() - t0:.1f}s)")
    reads, imports = [], []
    for n in range(repeat):
        info, _, rss, _ = measure(CALAMINE_CHILD, [str(book)])
        reads.append((info["seconds"], rss))
        db = Path(tmp) / f"xlsx-{n}.duckdb"
        info, _, rss, _ = measure(IMPORT_CHILD, [str(book), str(db), str(ROOT)])
        imports.append((info["seconds"], rss))
    calamine_s, calamine_rss = min(r[0] for r in reads), min(r[1] for r in reads)
    imported_s, imported_rss = min(r[0] for r in imports), min(r[1] for r in imports)
    ratio = imported_s / calamine_s
    print(f"{'':<10}{'calamine':>12}{'import':>12}{'ratio':>9}{'goal':>8}  ok")
    print(
        f"{'time (s)':<10}{calamine_s:>12.2f}{imported_s:>12.2f}{ratio:>9.2f}{'<= 2':>8}  "
        f"{'yes' if ratio <= 2 else 'NO'}"
    )
    print(f"{'peak RSS':<10}{calamine_rss / 2**20:>10.0f}MB{imported_rss / 2**20:>10.0f}MB")
    load = os.getloadavg()[0]
    for columns in (MAX_COLUMNS, 10_000):
        wide = OUT / f"wide-{columns}.csv"
        generate_wide(wide, columns)
        answer, _, _, _ = measure(WIDE_CHILD, [str(wide), str(Path(tmp) / f"wide-{columns}.duckdb"), str(ROOT)])
        done = "refused" if "refused" in answer else f"read in {answer['read']:.2f}s, read and planned"
        print(
            f"wide: {columns:,} columns {done} in {answer['seconds']:.2f}s "
            f"(goal < 5 s: {'yes' if answer['seconds'] < 5 else 'NO'}; load average {load:.1f})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best time and lowest peak count")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="rows of the workbook benchmark (0: skip)")
    args = parser.parse_args()

    path = OUT / f"notes-{args.rows}.csv"
    t0 = time.perf_counter()
    generate(path, args.rows)
    size = path.stat().st_size
    print(
        f"file: {path.relative_to(ROOT)}  {args.rows:,} rows  {size / 1e6:.1f} MB  (ready in {time.perf_counter() - t0:.1f}s)"
    )

    results: dict[str, list] = {"raw": [], "import": []}
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        for n in range(args.repeat):
            for name, code, extra in (("raw", RAW_CHILD, []), ("import", IMPORT_CHILD, [str(ROOT)])):
                db = Path(tmp) / f"{name}-{n}.duckdb"
                info, wall, peak, cpu = measure(code, [str(path), str(db), *extra])
                results[name].append((info["seconds"], wall, peak, info, cpu))
                db.unlink(missing_ok=True)
                Path(str(db) + ".wal").unlink(missing_ok=True)

    raw_s = min(r[0] for r in results["raw"])
    raw_rss = min(r[2] for r in results["raw"])
    imp_s = min(r[0] for r in results["import"])
    imp_rss = min(r[2] for r in results["import"])
    info = results["import"][0][3]
    print(
        f"import: {info['rows']:,} rows imported, {info['rejected']} rejected, "
        f"{info['interviews']:,} interviews, {info['questions']:,} questions"
    )
    print()
    print(f"{'':<10}{'raw CTAS':>12}{'import':>12}{'ratio':>9}{'goal':>8}  ok")
    time_ratio, mem_ratio = imp_s / raw_s, imp_rss / raw_rss
    print(
        f"{'time (s)':<10}{raw_s:>12.2f}{imp_s:>12.2f}{time_ratio:>9.2f}{'<= 3':>8}  {'yes' if time_ratio <= 3 else 'NO'}"
    )
    print(
        f"{'peak RSS':<10}{raw_rss / 2**20:>10.0f}MB{imp_rss / 2**20:>10.0f}MB{mem_ratio:>9.2f}{'<= 2':>8}  "
        f"{'yes' if mem_ratio <= 2 else 'NO'}"
    )
    raw_cpu = min(r[4] for r in results["raw"])
    imp_cpu = min(r[4] for r in results["import"])
    print(
        f"{'CPU (s)':<10}{raw_cpu:>12.2f}{imp_cpu:>12.2f}{imp_cpu / raw_cpu:>9.2f}{'':>8}  (whole subprocess, for reference)"
    )
    print(
        f"(time is the work inside each subprocess; wall incl. start-up: raw "
        f"{min(r[1] for r in results['raw']):.2f}s, import {min(r[1] for r in results['import']):.2f}s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    if args.xlsx_rows:
        with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
            edges(path, args.xlsx_rows, tmp, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
