"""The command line: ``python -m analysis COMMAND ...``.

Each command lives in the module named for what it works on; that module
provides ``add_arguments(parser)`` and ``run(args) -> int``. This file only
routes, so every command shares the same engine as the pages.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis import store

# command name -> (module, one-line help)
COMMANDS = {
    "demo": ("analysis.demo", "fill a database with a realistic, deterministic demo history"),
    "import": ("analysis.importer", "import past interview notes from a CSV/TSV/TXT file"),
    "export": ("analysis.export", "write all data as the canonical CSV, or a full backup zip"),
    "due": ("analysis.followups", "list overdue and due-soon follow-up steps"),
    "brief": ("analysis.brief", "print the prep brief for an interview at a company, as Markdown"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Debrief from the command line. The database is --db, else $DEBRIEF_DB, else data/debrief.duckdb.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--db", metavar="PATH", help="database file (default: $DEBRIEF_DB or data/debrief.duckdb)")
        module = importlib.import_module(module_name)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (0 done, 1 failed, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on a usage error
    try:
        return args._run(args)
    except store.StoreError as exc:
        print(f"debrief: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("debrief: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    finally:
        store.close_all()
