"""``python -m analysis brief``: print the prep brief for an interview at a company, as Markdown."""

from __future__ import annotations

import argparse
import sys

from analysis import brief, store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis brief``."""
    parser.add_argument("--company", required=True, help="the company you are interviewing with")
    parser.add_argument("--role", help="the role")
    parser.add_argument("--stage", help="the stage of the coming interview")


def run(args: argparse.Namespace) -> int:
    """Print the brief as Markdown; 2 (a usage error) if the company is blank."""
    if not args.company.strip():
        print("debrief: --company needs a name", file=sys.stderr)
        return 2
    con = store.connect(args.db).cursor()
    try:
        sys.stdout.write(brief.to_markdown(brief.build(con, args.company, args.role, args.stage)))
    finally:
        con.close()
    return 0
