"""``python -m analysis export``: write all data as the canonical CSV (and the story bank), or a full backup zip."""

from __future__ import annotations

import argparse

from analysis import backup, export, store
from analysis.text import count


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis export``."""
    parser.add_argument("out", metavar="OUT", help="file to write: the canonical CSV, or with --backup a zip")
    parser.add_argument(
        "--backup",
        action="store_true",
        help="write a full backup instead: a zip of one Parquet file per table plus a manifest",
    )
    parser.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 byte-order mark (for Excel)")
    parser.add_argument(
        "--stories",
        metavar="PATH",
        help="where to write the story bank's CSV (default: OUT's name with -stories, when there are stories)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the export or the backup and say what was written.

    The canonical CSV is followed by the story bank's CSV (``--stories``, else
    beside OUT as ``OUT-stories.csv``) when there are stories or ``--stories`` asks.

    A file that cannot be written (a full disk, a read-only folder) raises the
    ``store.StoreError`` saying so, which the router prints with exit code 1.
    """
    con = store.connect(args.db).cursor()
    try:
        if args.backup:
            counts = backup.write_backup(con, args.out)
            print(f"Backed up to {args.out}: {backup.describe(counts)}.")
        else:
            rows = export.write_export(con, args.out, bom=args.bom)
            print(f"Exported {count(rows, 'row')} to {args.out}.")
            if args.stories or export.has_stories(con):
                path = args.stories or export.stories_path(args.out)
                stories = export.write_story_bank(con, path, bom=args.bom)
                print(f"Exported {count(stories, 'story')} to {path}.")
    finally:
        con.close()
    return 0
