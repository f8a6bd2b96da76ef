"""``python -m analysis import FILE``: import past interview notes from a CSV/TSV/TXT file or a workbook, or a story bank.

A file whose header is a story bank's (the export's ``-stories.csv``: a title
and at least two of situation, task, action and result) is imported as
stories, with the same kind of report.
"""

from __future__ import annotations

import argparse
import json
import sys

from analysis import importing, store
from analysis.schema import FIELD_NAMES, INTERVIEW_IDENTITY
from analysis.text import count


def _mapping_arg(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not FIELD=HEADER")
    field, header = text.split("=", 1)
    field = field.strip().lower().replace("-", "_").replace(" ", "_")
    if field not in FIELD_NAMES and field != INTERVIEW_IDENTITY:
        raise argparse.ArgumentTypeError(f"unknown field {field!r}; fields: {', '.join(FIELD_NAMES)}")
    return field, header


def _scale_arg(text: str) -> str:
    try:
        importing.parse_scale(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis import``."""
    parser.epilog = (
        "Exit status: 0 the file was read (valid rows imported, rejected rows reported); 1 the file is unusable, "
        "or --strict and a row was rejected (nothing is written then); 2 usage error. --dry-run reports the "
        "rows it would import as rows_imported."
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="past interview notes: a CSV, TSV or TXT file (or .csv.gz), or a workbook (.xlsx, .xls, .ods); "
        "or a story bank (-stories.csv)",
    )
    parser.add_argument(
        "--map",
        dest="mapping",
        metavar="FIELD=HEADER",
        action="append",
        type=_mapping_arg,
        default=[],
        help="use the file's column HEADER for FIELD (repeatable); FIELD= leaves a field unmapped",
    )
    parser.add_argument(
        "--scale",
        type=_scale_arg,
        default=None,
        help="the file's rating scale, e.g. 1-10 or 0-100 (default: what a header like 'Score (1-10)' says, else 1-5)",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, help="read 05/03/2024 as 5 March"
    )
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_const", const=False, help="read 05/03/2024 as May 3"
    )
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read from a workbook (default: the first)")
    parser.add_argument("--strict", action="store_true", help="import nothing if any row is rejected (exit 1)")
    parser.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")


def _print_json(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=str))


def _refuse(args: argparse.Namespace, exc: importing.UnusableFile, code: int) -> int:
    """Say why the file cannot be imported (also as JSON with --json); return the exit code."""
    if args.json:
        _print_json({"error": str(exc), "headers": exc.headers})
    print(f"debrief: {exc}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    """Import (or with --dry-run, plan) the file; print a summary or JSON; return the exit code."""
    con = store.connect(args.db).cursor()
    staged = None
    try:
        try:
            chosen = {f: h.strip() for f, h in args.mapping}
            try:
                staged = importing.read_notes(con, args.file, overrides=chosen or None, sheet=args.sheet)
            except importing.NoHeaderFound as exc:
                example = (exc.headers + ["HEADER", "HEADER"])[:2]
                raise importing.NoHeaderFound(
                    f"{exc} Say which column is which, e.g. --map date={example[0]!r} --map company={example[1]!r}.",
                    headers=exc.headers,
                ) from None
            if not chosen and importing.is_story_bank(staged.headers):
                return _import_stories(args, con, staged)
            mapping = importing.with_overrides(staged.guess, chosen)
            # Without --scale, a header like "Score (1-10)" says what the scale is.
            scale = args.scale or importing.scale_from_header(mapping.get("rating")) or "1-5"
            options = importing.ImportOptions(dayfirst=args.dayfirst, scale=scale, strict=args.strict)
            try:
                plan = importing.plan_import(con, staged, mapping, options)
            except importing.MappingError as exc:
                return _refuse(args, exc, 2)
        except importing.UnusableFile as exc:
            return _refuse(args, exc, 1)
        refused = args.strict and plan.rows_rejected > 0
        result = None if args.dry_run or refused else importing.commit_import(con, plan)
        payload = _payload(args, plan, result, refused)
        if args.json:
            _print_json(payload)
        else:
            _print_summary(plan, payload, refused)
        return 1 if refused else 0
    finally:
        if staged is not None:
            importing.discard(con, staged)
        con.close()


def _import_stories(args: argparse.Namespace, con, staged: importing.Staged) -> int:
    """Import a story-bank file; print its report (or JSON); return the exit code."""
    result = importing.import_story_bank(con, staged, dry_run=args.dry_run, strict=args.strict)
    refused = args.strict and result.rows_rejected > 0
    if args.json:
        _print_json({**result.to_dict(), "file": str(args.file), "dry_run": bool(args.dry_run)})
        return 1 if refused else 0
    print(f"{staged.filename}: a story bank, {count(result.rows_read, 'row')} read.")
    if refused:
        print(f"Strict mode: {count(result.rows_rejected, 'row')} rejected, so nothing was imported.")
    else:
        verb = "Would import" if args.dry_run else "Imported"
        print(
            f"{verb} {count(result.rows_imported, 'story')}: {len(result.stories_added)} new, "
            f"{len(result.stories_filled)} filled in (stored with their title only)."
            + (" Dry run: nothing was written." if args.dry_run else "")
        )
    if result.rows_duplicate:
        print(f"{count(result.rows_duplicate, 'row')} named a story already in your story bank and were skipped.")
    _print_problems("rejected row", result.error_records, "not imported")
    _print_problems("warning", result.warning_records, "skipped")
    return 1 if refused else 0


def _payload(args, plan: importing.ImportPlan, result: importing.ImportResult | None, refused: bool) -> dict:
    """The report as JSON-ready data: what was read, written (or would be), and every problem."""
    staged = plan.staged
    return {
        "file": str(args.file),
        "encoding": staged.encoding,
        "delimiter": staged.dialect.delimiter,
        "dayfirst": plan.dates.dayfirst,
        "dates": plan.dates.message,
        "mapping": plan.mapping,
        "dry_run": bool(args.dry_run),
        "written": result is not None,
        "rows_read": plan.rows_read,
        "rows_imported": (result.rows_imported if result else (0 if refused else plan.rows_new)),
        "rows_rejected": plan.rows_rejected,
        "rows_duplicate": result.rows_duplicate if result else plan.rows_duplicate,
        "rows_filled_down": plan.rows_filled_down,
        "interviews_added": (result.interviews_added if result else (0 if refused else plan.interviews_added)),
        "questions_added": (result.questions_added if result else (0 if refused else plan.questions_added)),
        "stories_added": list(result.stories_added) if result else [],
        "errors": importing.errors_as_records(plan),
        "warnings": [dict(w) for w in plan.warning_records],
        "unmapped_columns": list(plan.unmapped_columns),
    }


def _print_summary(plan: importing.ImportPlan, payload: dict, refused: bool) -> None:
    staged = plan.staged
    print(
        f"{staged.filename}: {plan.rows_read} row{'s' if plan.rows_read != 1 else ''} read "
        f"({staged.encoding}, {staged.delimiter_name}-separated)."
    )
    mapped = ", ".join(f"{f} <- {h!r}" for f, h in plan.mapping.items())
    print(f"Columns: {mapped}.")
    if plan.unmapped_columns:
        print(f"Columns not imported: {', '.join(plan.unmapped_columns)}.")
    if plan.dates.message:
        print(plan.dates.message)
    if refused:
        print(f"Strict mode: {count(plan.rows_rejected, 'row')} rejected, so nothing was imported.")
    else:
        verb = "Would import" if payload["dry_run"] else "Imported"
        print(
            f"{verb} {count(payload['rows_imported'], 'row')}: {count(payload['interviews_added'], 'new interview')}, "
            f"{count(payload['questions_added'], 'question')}."
            + (" Dry run: nothing was written." if payload["dry_run"] else "")
        )
    if payload["stories_added"]:
        print(
            f"{count(len(payload['stories_added']), 'story')} named by answers added to your story bank with "
            "just a title: import the story-bank file to fill them in."
        )
    if payload["rows_duplicate"]:
        print(f"{count(payload['rows_duplicate'], 'row')} already stored and skipped.")
    if plan.rows_filled_down:
        print(f"{count(plan.rows_filled_down, 'row')} without interview columns joined the interview above them.")
    if plan.rows_rejected:
        print(f"{count(plan.rows_rejected, 'row')} rejected:")
        for record in payload["errors"][:10]:
            column = f" [{record['column']}]" if record["column"] else ""
            print(f"  line {record['line']}{column}: {record['message']}")
        if len(payload["errors"]) > 10:
            print(f"  ... and {len(payload['errors']) - 10} more (use --json for all).")
    _print_problems("warning", plan.warning_records, "imported without the value")


def _print_problems(kind: str, records: list[dict], meaning: str) -> None:
    """The first ten problems of one kind, one line each, with their file line and column."""
    if not records:
        return
    print(f"{count(len(records), kind)} ({meaning}):")
    for record in records[:10]:
        column = f" [{record['column']}]" if record["column"] else ""
        print(f"  line {record['line']}{column}: {record['message']}")
    if len(records) > 10:
        print(f"  ... and {len(records) - 10} more (use --json for all).")
