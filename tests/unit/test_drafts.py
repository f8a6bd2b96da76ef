"""The Log page's drafts: stored on every change, offered back, discarded only on purpose."""

import dataclasses
import datetime as dt

from analysis import drafts
from analysis import interviews as iv


def test_a_draft_round_trips_every_field_with_its_stories_and_loaded_version(con, sample_interview):
    loaded = dataclasses.replace(sample_interview, id=7, revision=3)
    typed = dataclasses.replace(loaded, culture_notes="Dogs\n  in the office ", predicted_advance=70)
    drafts.save_draft(con, drafts.edit_key(7), typed, stories=[[], [2, 5], []], loaded=loaded)
    draft = drafts.load_draft(con, drafts.edit_key(7))
    assert draft.interview == typed
    assert draft.loaded == loaded
    assert draft.stories == [[], [2, 5], []]
    assert draft.interview_id == 7


def test_saving_again_replaces_the_content_and_keeps_when_it_was_started(con):
    key = drafts.new_key()
    drafts.save_draft(con, key, iv.Interview(company="Acme", interview_date=dt.date(2026, 12, 1)))
    con.execute("UPDATE drafts SET started_at = TIMESTAMP '2026-12-01 14:05:00'")
    drafts.save_draft(con, key, iv.Interview(company="Acme Corp", interview_date=dt.date(2026, 12, 1)))
    draft = drafts.load_draft(con, key)
    assert draft.interview.company == "Acme Corp"
    assert draft.started_at == dt.datetime(2026, 12, 1, 14, 5)
    assert con.execute("SELECT count(*) FROM drafts").fetchone() == (1,)


def test_new_drafts_lists_only_new_interviews_most_recent_first_without_the_forms_own(con):
    first, second, own = drafts.new_key(), drafts.new_key(), drafts.new_key()
    for key, company in ((first, "Acme"), (second, "Globex"), (own, "Mine")):
        drafts.save_draft(con, key, iv.Interview(company=company, interview_date=dt.date(2026, 12, 1)))
    drafts.save_draft(con, drafts.edit_key(3), iv.Interview(company="Edited", interview_date=dt.date(2026, 12, 1)))
    con.execute("UPDATE drafts SET updated_at = TIMESTAMP '2026-12-01 09:00:00' WHERE draft_key = ?", [first])
    assert [d.interview.company for d in drafts.new_drafts(con, exclude=own)] == ["Globex", "Acme"]


def test_discarding_removes_the_draft_and_says_whether_there_was_one(con):
    key = drafts.new_key()
    drafts.save_draft(con, key, iv.Interview(company="Acme", interview_date=None))
    assert drafts.discard_draft(con, key) is True
    assert drafts.load_draft(con, key) is None
    assert drafts.discard_draft(con, key) is False


def test_the_offer_names_the_company_and_when_the_draft_was_started(con):
    key = drafts.new_key()
    drafts.save_draft(con, key, iv.Interview(company=" Acme ", interview_date=None))
    con.execute("UPDATE drafts SET started_at = current_localtimestamp()::DATE + INTERVAL 14 HOUR + INTERVAL 5 MINUTE")
    assert drafts.offer(drafts.load_draft(con, key)) == "Continue your debrief of Acme, started 14:05"
    con.execute("UPDATE drafts SET started_at = TIMESTAMP '2026-03-02 09:30:00', company = NULL")
    drafts.save_draft(con, key, iv.Interview(company="", interview_date=None))
    assert drafts.offer(drafts.load_draft(con, key)) == "Continue your unsaved debrief, started on 2 Mar, 09:30"


def test_a_draft_outlives_the_interview_it_edits(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    drafts.save_draft(con, drafts.edit_key(saved.id), saved, loaded=saved)
    iv.delete_interview(con, saved.id)
    assert drafts.load_draft(con, drafts.edit_key(saved.id)).interview.company == "Northwind"


def test_kept_says_what_the_stored_draft_holds():
    nothing = iv.Interview(company=" ", interview_date=None)
    assert drafts.kept(nothing) == "Kept as a draft: no company yet, no questions yet."
    one = iv.Interview(company="Acme", interview_date=None, questions=[iv.Question("Why us?")])
    assert drafts.kept(one) == "Kept as a draft: Acme, 1 question."
    rated = dataclasses.replace(one, questions=[iv.Question("Why us?", rating=4), iv.Question("Q2")])
    assert drafts.kept(rated) == "Kept as a draft: Acme, 2 questions, 1 rated."


def test_a_draft_written_while_another_write_of_it_is_open_waits_for_it_and_wins(con, monkeypatch):
    from analysis import store

    key = drafts.new_key()
    drafts.save_draft(con, key, iv.Interview(company="Acme", interview_date=dt.date(2026, 12, 1)))
    other = con.cursor()  # another run of the page, in the middle of writing the same draft
    other.execute("BEGIN")
    other.execute("UPDATE drafts SET company = 'Older' WHERE draft_key = ?", [key])
    # The pause between attempts is where the other write ends.
    monkeypatch.setattr(store.time, "sleep", lambda seconds: other.execute("COMMIT"))
    drafts.save_draft(con, key, iv.Interview(company="Globex", interview_date=dt.date(2026, 12, 1)))
    assert drafts.load_draft(con, key).interview.company == "Globex"
