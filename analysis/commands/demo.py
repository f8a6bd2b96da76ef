"""``python -m analysis demo``: fill a database with a realistic, deterministic demo history."""

from __future__ import annotations

import argparse
import time

from analysis import demo, store, text


def _whole_number(minimum: int):
    """An argparse type: a whole number no smaller than ``minimum``, else a usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis demo``."""
    parser.add_argument(
        "--interviews", type=_whole_number(1), default=400, metavar="N", help="how many interviews (default: 400)"
    )
    parser.add_argument(
        "--seed", type=_whole_number(0), default=7, help="random seed; the same seed gives the same data (default: 7)"
    )
    parser.add_argument(
        "--replace", action="store_true", help="replace the rows of a database that already holds demo data"
    )


def run(args: argparse.Namespace) -> int:
    """Write the demo history and say what was written."""
    path = store.database_path(args.db)
    con = store.connect(args.db).cursor()
    try:
        started = time.perf_counter()
        summary = demo.generate(con, interviews=args.interviews, seed=args.seed, replace=args.replace)
        elapsed = time.perf_counter() - started
    finally:
        con.close()
    ahead = f", and {text.count(summary.upcoming, 'interview')} still to come," if summary.upcoming else ""
    print(
        f"Wrote {summary.interviews:,} demo interviews with {summary.questions:,} questions{ahead} to {path} "
        f"in {elapsed:.1f} s"
    )
    return 0
