"""The export guards the formula forms a spreadsheet may still run, and the importer gives them back exactly.

" =1+1" (a spreadsheet that trims cells on import runs it) and "＝1+1" (full-width:
Excel in Japanese and Chinese locales runs it) get the same leading quote as "=1+1".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from analysis import export, importing, interviews, store
from analysis.interviews import Interview, Question

FORMS = {
    "role_notes": " =1+1",
    "company_notes": "＝1+1",
    "people_notes": "\u3000＋cmd",
    "culture_notes": "\u00a0-2+3",
    "questions_to_ask": "＠SUM(A1)",
    "clarify": "  @x",
    "better_answer": "' =already quoted",
    "notes": "－1",
}
HARMLESS = {"company": "Acme = fine", "role": "Data Engineer"}


def _interview() -> Interview:
    question = {k: v for k, v in FORMS.items() if k in ("clarify", "better_answer", "notes")}
    return Interview(
        interview_date=dt.date(2026, 3, 4),
        **HARMLESS,
        **{k: v for k, v in FORMS.items() if k not in question},
        questions=[Question("Why us?", rating=3, **question)],
    )


def test_export_quotes_spaced_and_full_width_formulas(con):
    interviews.save_interview(con, _interview())
    (row,) = csv.DictReader(io.StringIO(export.export_csv(con).decode("utf-8"), newline=""))
    for field, value in FORMS.items():
        assert row[field] == "'" + value, field
    for field, value in HARMLESS.items():
        assert row[field] == value, field


def test_the_extra_formula_forms_survive_export_and_import_exactly(con, tmp_path):
    interviews.save_interview(con, _interview())
    path = tmp_path / "export.csv"
    export.write_export(con, path)
    other = store.connect(tmp_path / "other.duckdb").cursor()
    try:
        plan, _ = importing.import_file(other, path)
        assert plan.rows_rejected == 0, plan.errors
        (interview_id,) = other.execute("SELECT id FROM interviews").fetchone()
        back = interviews.load_interview(other, interview_id)
    finally:
        other.close()
        store.close(tmp_path / "other.duckdb")
    question = back.questions[0]
    for field, value in FORMS.items():
        assert getattr(question if hasattr(question, field) else back, field) == value, field
