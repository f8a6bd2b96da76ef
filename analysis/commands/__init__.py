"""The command line: ``python -m analysis COMMAND ...``.

Each command has a module in this package with ``add_arguments(parser)`` and
``run(args) -> int``: it parses the options, calls the library, prints and
picks the exit code. The library modules hold only the work, so the pages and
the commands share one engine. This file only routes.

Every command takes ``--db PATH`` (else $DEBRIEF_DB, else data/debrief.duckdb)
and ``--adopt``, the consent to let Debrief add its tables to a DuckDB database
it did not create (a copy of the file is taken first). A failure of the
database or the disk is printed as one ``debrief: ...`` line, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType
from typing import NamedTuple

import duckdb

from analysis import store


class Command(NamedTuple):
    """Where a command lives and the one line ``--help`` says about it."""

    module: str
    help: str


# The help lives here, not in the modules, so ``--help`` lists every command
# without importing any of them (and so one broken module cannot hide the rest).
COMMANDS: dict[str, Command] = {
    "demo": Command("analysis.commands.demo", "fill a database with a realistic, deterministic demo history"),
    "import": Command("analysis.commands.importing", "import past interview notes from a CSV file or a workbook"),
    "export": Command("analysis.commands.exporting", "write all data as the canonical CSV, or a full backup zip"),
    "due": Command("analysis.commands.due", "list overdue and due-soon follow-up steps"),
    "brief": Command("analysis.commands.brief", "print the prep brief for an interview at a company, as Markdown"),
    "restore": Command("analysis.commands.restore", "restore a full backup zip into an empty or new database file"),
}


def load(name: str) -> ModuleType:
    """Import the module of command ``name``; raises ImportError if it cannot be loaded."""
    return importlib.import_module(COMMANDS[name].module)


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``python -m analysis``, listing every command.

    Only the module of the ``chosen`` command is imported, to add its own
    options: a command pays for its own imports and no other's.
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Debrief from the command line. The database is --db, else $DEBRIEF_DB, else data/debrief.duckdb.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        subparser = subparsers.add_parser(name, help=command.help, description=command.help)
        subparser.add_argument(
            "--db", metavar="PATH", help="database file (default: $DEBRIEF_DB or data/debrief.duckdb)"
        )
        subparser.add_argument(
            "--adopt",
            action="store_true",
            help="let Debrief add its tables to a DuckDB database it did not create (a copy is taken first)",
        )
        if name == chosen:
            module = load(name)
            module.add_arguments(subparser)
            subparser.set_defaults(run_command=module.run)
    return parser


def chosen_command(argv: list[str]) -> str | None:
    """The command named in ``argv``, if any: the first word that is not an option."""
    # The top-level parser has no options of its own besides --help, so the
    # first non-option word is the command.
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (0 done, 1 failed, 2 usage error, 130 interrupted)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    name = chosen_command(argv)
    try:
        parser = build_parser(name)
    except ImportError as exc:
        print(f"debrief: the {name} command could not be loaded: {exc}", file=sys.stderr)
        return 1
    args = parser.parse_args(argv)  # exits with 2 on a usage error
    try:
        if args.adopt:
            # Opened once here with consent; the command then gets this same shared connection.
            store.connect(args.db, adopt=True)
        return args.run_command(args)
    except store.StoreError as exc:
        print(f"debrief: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of the output went away (`debrief due | head`): nothing is wrong with the database.
        sys.stdout = open(os.devnull, "w")  # Python flushes stdout at exit: let it flush nowhere
        return 141
    except (duckdb.Error, OSError) as exc:
        # A failure while working (a full disk, a damaged block read late) is told like one at opening.
        print(f"debrief: {store.explain(exc, store.database_path(args.db))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("debrief: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    finally:
        store.close_all()
