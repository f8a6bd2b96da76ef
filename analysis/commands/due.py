"""``python -m analysis due``: rounds to prepare for, overdue and due-soon follow-up steps, decisions past their date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pandas as pd

from analysis import followups, store
from analysis.text import count


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis due``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def run(args: argparse.Namespace) -> int:
    """List rounds to prepare for (today and tomorrow), overdue and due-soon follow-up steps, and late decisions."""
    con = store.connect(args.db).cursor()
    try:
        settings = followups.load_settings(con)
        now = dt.datetime.now(dt.UTC)
        due = followups.due_now(con, now, settings)
        late = followups.awaiting_word(con, now.astimezone(settings.zone).date())
        prepare = followups.upcoming_preps(con, now, settings)
    finally:
        con.close()
    if args.json:
        json.dump(as_json(now, due, late, prepare), sys.stdout, indent=2)
        print()
    else:
        print_text(due, late, settings.zone, prepare)
    return 0


def as_json(now: dt.datetime, due: pd.DataFrame, late: pd.DataFrame, prepare: pd.DataFrame | None = None) -> dict:
    """The ``--json`` report: the time it was made, the rounds to prepare for, the steps due and the decisions awaited."""
    prepare = prepare if prepare is not None else pd.DataFrame(columns=["interview_id"])
    return {
        "now": now.isoformat(),
        "prepare": [
            {
                "interview_id": int(r.interview_id),
                "company": r.company,
                "stage": r.stage,
                "interview_date": str(r.interview_date)[:10],
                "when": r.when,
                "brief_command": r.brief_command,
            }
            for r in prepare.itertuples()
        ],
        "due": [
            {
                "interview_id": int(r.interview_id),
                "company": r.company,
                "role": r.role,
                "stage": r.stage,
                "interview_date": r.interview_date.isoformat()[:10],
                "item": r.item,
                "title": r.title,
                "state": r.state,
                "due": r.due.isoformat(),
            }
            for r in due.itertuples()
        ],
        "awaiting_decision": [
            {
                "interview_id": int(r.interview_id),
                "company": r.company,
                "decision_expected_on": str(r.decision_expected_on)[:10],
                "days_late": int(r.days_late),
            }
            for r in late.itertuples()
        ],
    }


def print_text(due: pd.DataFrame, late: pd.DataFrame, zone: dt.tzinfo, prepare: pd.DataFrame | None = None) -> None:
    """One line per round to prepare for, then per step due (times in the user's ``zone``), then per decision awaited."""
    prepare = prepare if prepare is not None else pd.DataFrame()
    if due.empty and late.empty and prepare.empty:
        print("Nothing due: every live follow-up is done or not yet due, and no interview is coming up.")
        return
    for r in prepare.itertuples():
        at = "" if pd.isna(r.interview_time) else f" at {str(r.interview_time)[:5]}"
        print(f"prepare   for {r.company} {r.when}{at} ({r.stage}): {r.brief_command}")
    for r in due.itertuples():
        when = r.due.astimezone(zone)
        flag = "OVERDUE " if r.state == "overdue" else "due soon"
        print(f"{flag}  {when:%a %d %b %H:%M}  {r.title}: {r.company} ({r.stage}, {r.interview_date:%Y-%m-%d})")
    for r in late.itertuples():
        print(
            f"no word   {count(int(r.days_late), 'day')} late  decision from {r.company} "
            f"was expected {str(r.decision_expected_on)[:10]}: nudge?"
        )
