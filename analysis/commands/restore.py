"""``python -m analysis restore``: restore a full backup zip into an empty or new database file."""

from __future__ import annotations

import argparse

from analysis import backup, store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis restore``."""
    parser.add_argument("backup", metavar="BACKUP.zip", help="a backup made by `export --backup` or the Export page")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace the data the database already holds (a backup of it is written first)",
    )


def run(args: argparse.Namespace) -> int:
    """Restore the backup and say what was restored; a refused or bad backup exits 1 with the reason."""
    con = store.connect(args.db).cursor()
    try:
        restored = backup.restore(con, args.backup, replace=args.replace)
    finally:
        con.close()
    if restored.replaced_backup is not None:
        print(f"The data that was there is saved in {restored.replaced_backup}.")
    print(f"Restored {backup.describe(restored.counts)} into {store.database_path(args.db)}.")
    return 0
