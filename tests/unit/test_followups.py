"""The 48-hour follow-through: due times, derived status, ticks, drafts, calendar, CLI."""

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import icalendar
import pytest

from analysis import followups as fu
from analysis import interviews as iv
from analysis import messages, store

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def _log(con, when: dt.datetime, *, logged: dt.datetime | None = None, **fields) -> iv.Interview:
    """Save an interview that took place at ``when`` (aware), logged at ``logged``.

    A step is never due sooner than ``fu.LOGGING_GRACE`` after the interview was
    logged; by default it is logged early enough for that rule not to apply, so
    the tests of due times see the times counted from the interview's end alone.
    """
    local = when.astimezone(fu.load_settings(con).zone)
    interview = iv.Interview(
        company=fields.pop("company", "Acme"),
        role=fields.pop("role", "Data Engineer"),
        interview_date=local.date(),
        interview_time=local.time().replace(second=0, microsecond=0),
        **fields,
    )
    saved = iv.save_interview(con, interview)
    logged_local = (logged or when - fu.LOGGING_GRACE).astimezone(fu.zone("")).replace(tzinfo=None)
    con.execute("UPDATE interviews SET created_at = ? WHERE id = ?", [logged_local, saved.id])
    return saved


def test_no_step_is_overdue_the_moment_an_interview_is_logged(con):
    now = dt.datetime.now(dt.UTC)
    # Five hours ago, time not typed: it "ended" at 17:00 or an hour after it began; logged now.
    saved = _log(con, now - dt.timedelta(hours=5), logged=now)
    items = fu.checklist(con, saved.id, now)
    assert "overdue" not in _states(items).values()
    plan = next(i for i in items if i.key == "plan")
    assert plan.due >= now + fu.LOGGING_GRACE - dt.timedelta(minutes=1)
    # Once the grace has passed, a step not done is overdue as usual.
    assert _states(fu.checklist(con, saved.id, now + dt.timedelta(hours=3)))["plan"] == "overdue"


def test_steps_are_numbered_one_to_six():
    assert [i.step for i in fu.ITEMS] == [1, 2, 3, 4, 5, 6]


def _states(items):
    return {i.key: i.state for i in items}


def test_interview_end_is_an_hour_after_it_began_or_five_pm():
    assert fu.interview_end(dt.date(2026, 3, 2), dt.time(10, 0), LONDON) == dt.datetime(
        2026, 3, 2, 11, 0, tzinfo=LONDON
    )
    assert fu.interview_end(dt.date(2026, 3, 2), None, LONDON) == dt.datetime(2026, 3, 2, 17, 0, tzinfo=LONDON)


def test_day_long_due_times_keep_the_wall_clock_across_daylight_saving():
    # Clocks went forward in London on 29 March 2026: 24 h on the wall clock is 23 h of elapsed time.
    end = fu.interview_end(dt.date(2026, 3, 28), dt.time(9, 0), LONDON)
    due = fu.due_at(end, 24)
    assert due.replace(tzinfo=None) == dt.datetime(2026, 3, 29, 10, 0)
    assert due.utcoffset() == dt.timedelta(hours=1)
    assert due.astimezone(dt.UTC) - end.astimezone(dt.UTC) == dt.timedelta(hours=23)
    # And back in autumn: 25 h elapse (25 October 2026).
    end = fu.interview_end(dt.date(2026, 10, 24), dt.time(9, 0), LONDON)
    assert fu.due_at(end, 48).astimezone(dt.UTC) - end.astimezone(dt.UTC) == dt.timedelta(hours=49)


def test_due_time_in_the_spring_forward_gap_moves_to_a_real_time():
    # 02:30 on 8 March 2026 does not exist in New York; the clocks jump from 02:00 to 03:00.
    end = dt.datetime(2026, 3, 7, 2, 30, tzinfo=NEW_YORK)
    due = fu.due_at(end, 24)
    assert due.astimezone(dt.UTC).astimezone(NEW_YORK) == due
    assert due.replace(tzinfo=None) == dt.datetime(2026, 3, 8, 3, 30)


def test_interview_logged_fifty_hours_later_is_overdue(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=50), questions=[iv.Question("Why us?", rating=4)])
    states = _states(fu.checklist(con, saved.id, now))
    # Ended 49 h ago: everything due within 48 h of the end is overdue; review is done by the data.
    assert states == {
        "plan": "overdue",
        "review": "done",
        "notes": "overdue",
        "feedback": "overdue",
        "thank_you": "overdue",
        "linkedin": "overdue",
    }
    due = fu.due_now(con, now)
    assert list(due["item"]) == ["plan", "notes", "thank_you", "feedback", "linkedin"]
    assert set(due["state"]) == {"overdue"}
    assert fu.overdue_count(con, now) == 5


def test_due_soon_and_upcoming_steps(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=2))  # ended an hour ago
    states = _states(fu.checklist(con, saved.id, now))
    assert states["plan"] == "overdue"
    assert states["thank_you"] == "due soon"  # due in 23 h
    assert states["linkedin"] == "upcoming"  # due in 47 h


def test_review_is_done_when_every_answer_is_rated_and_weak_ones_have_a_draft(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(
        con,
        now - dt.timedelta(hours=3),
        questions=[iv.Question("Q1", rating=2), iv.Question("Q2", rating=4), iv.Question("Q3")],
    )
    assert _states(fu.checklist(con, saved.id, now))["review"] != "done"
    fixed = dataclasses.replace(
        saved,
        questions=[
            dataclasses.replace(saved.questions[0], better_answer="Lead with the result"),
            saved.questions[1],
            dataclasses.replace(saved.questions[2], rating=3),
        ],
    )
    iv.save_interview(con, fixed)
    items = {i.key: i for i in fu.checklist(con, saved.id, now)}
    assert items["review"].state == "done" and not items["review"].by_hand


def test_recording_follow_through_of_a_deleted_interview_says_it_was_deleted(con):
    saved = _log(con, dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    iv.delete_interview(con, saved.id)
    with pytest.raises(iv.RecordChanged, match="deleted in another window"):
        fu.update_followup(con, saved.id, contact="Sam at Hays")
    assert con.execute("SELECT count(*) FROM followups").fetchone()[0] == 0


def test_notes_and_plan_are_derived_from_what_was_written(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=3), role_notes="Owns ingestion", culture_notes="Remote-first")
    fu.update_followup(con, saved.id, contact="Sam at Hays")
    states = _states(fu.checklist(con, saved.id, now))
    assert states["notes"] == "done"
    assert states["plan"] != "done"  # needs the expected decision date too
    fu.update_followup(con, saved.id, decision_expected_on=dt.date.today() + dt.timedelta(days=7))
    assert _states(fu.checklist(con, saved.id, now))["plan"] == "done"


def test_a_tick_keeps_its_time_and_can_be_undone(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=30))
    ticked_at = now - dt.timedelta(minutes=5)
    fu.tick(con, saved.id, "feedback", ticked_at)
    item = {i.key: i for i in fu.checklist(con, saved.id, now)}["feedback"]
    assert item.state == "done" and item.by_hand
    assert item.done_at == ticked_at
    fu.untick(con, saved.id, "feedback")
    assert _states(fu.checklist(con, saved.id, now))["feedback"] == "due soon"  # due 48 h after the end


def test_marking_a_message_sent_and_taking_it_back(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=30))
    fu.mark_sent(con, saved.id, "thank_you", now)
    assert fu.load_followup(con, saved.id).thank_you_sent_at == now.replace(tzinfo=None)
    assert _states(fu.checklist(con, saved.id, now))["thank_you"] == "done"
    fu.untick(con, saved.id, "thank_you")  # a tick undone by hand leaves the recorded sending alone
    assert fu.load_followup(con, saved.id).thank_you_sent_at == now.replace(tzinfo=None)
    fu.mark_unsent(con, saved.id, "thank_you")
    assert fu.load_followup(con, saved.id).thank_you_sent_at is None
    assert _states(fu.checklist(con, saved.id, now))["thank_you"] == "overdue"


def test_interview_logged_over_a_week_late_starts_closed_and_can_be_reopened(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(days=9), logged=now)
    assert fu.checklist_state(con, saved.id, now) == "logged late"
    assert set(_states(fu.checklist(con, saved.id, now)).values()) == {"closed"}
    assert fu.due_now(con, now).empty
    fu.set_checklist_state(con, saved.id, "open")
    assert fu.checklist_state(con, saved.id, now) == "open"
    assert len(fu.due_now(con, now)) == 6


def test_the_follow_ups_page_opens_on_the_interview_just_over_not_one_still_ahead(con):
    now = dt.datetime.now(dt.UTC)
    ahead_far = _log(con, now + dt.timedelta(days=6), company="Far ahead")
    ahead_soon = _log(con, now + dt.timedelta(days=2), company="Soon")
    yesterday = _log(con, now - dt.timedelta(days=1), company="Yesterday")
    last_week = _log(con, now - dt.timedelta(days=6), company="Last week")
    long_ago = _log(con, now - dt.timedelta(days=60), company="Long ago")  # its checklist is past: not live
    order = fu.interviews_to_follow(con, now)["interview_id"].tolist()
    assert order == [yesterday.id, last_week.id, ahead_soon.id, ahead_far.id, long_ago.id]


def test_live_checklist_goes_quiet_after_two_weeks(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(days=3))
    later = now + dt.timedelta(days=fu.QUIET_DAYS)
    assert fu.checklist_state(con, saved.id, now) == "open"
    assert fu.checklist_state(con, saved.id, later) == "past"
    assert fu.due_now(con, later).empty


def test_decision_past_its_date_with_no_outcome_asks_for_a_nudge(con):
    now = dt.datetime.now(dt.UTC)
    waiting = _log(con, now - dt.timedelta(days=10))
    decided = _log(con, now - dt.timedelta(days=10), company="Globex", outcome="rejected")
    for saved in (waiting, decided):
        fu.update_followup(con, saved.id, decision_expected_on=dt.date.today() - dt.timedelta(days=2))
    late = fu.awaiting_word(con, dt.date.today())
    assert list(late["company"]) == ["Acme"]
    assert int(late["days_late"].iloc[0]) == 2


def test_settings_change_due_times_and_are_validated(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=30))
    settings = fu.load_settings(con)
    fu.save_settings(con, dataclasses.replace(settings, hours={**settings.hours, "thank_you": 72}))
    assert _states(fu.checklist(con, saved.id, now))["thank_you"] == "upcoming"
    with pytest.raises(iv.InvalidSettings) as caught:
        fu.save_settings(con, dataclasses.replace(settings, time_zone="Mars/Olympus", thank_you_template="Hi {boss}"))
    assert {p.field for p in caught.value.problems} == {"time_zone", "thank_you_template"}
    assert isinstance(caught.value, iv.InvalidInput) and not isinstance(caught.value, iv.InvalidInterview)


def test_due_times_follow_the_chosen_time_zone(con):
    fu.save_settings(con, dataclasses.replace(fu.load_settings(con), time_zone="America/New_York"))
    saved = iv.save_interview(
        con, iv.Interview(company="Acme", interview_date=dt.date(2026, 3, 6), interview_time=dt.time(10, 0))
    )
    item = {i.key: i for i in fu.checklist(con, saved.id, dt.datetime(2026, 3, 6, tzinfo=dt.UTC))}["thank_you"]
    # Ends 11:00 EST on Friday; +24 h on the wall clock: Saturday 11:00 EST, 16:00 UTC.
    assert item.due.astimezone(dt.UTC) == dt.datetime(2026, 3, 7, 16, 0, tzinfo=dt.UTC)


def test_templates_fill_placeholders_and_flag_missing_ones(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    settings = dataclasses.replace(fu.load_settings(con), my_name="Jo Park")
    values = messages.message_values(
        con,
        saved.id,
        settings,
        interviewer="Ana",
        detail="your move to streaming",
        promises=["The sketch is attached."],
    )
    draft = messages.render(fu.DEFAULT_THANK_YOU, values)
    assert draft.missing == ()
    assert "Dear Ana," in draft.text and "Jo Park" in draft.text and "{" not in draft.text
    assert "As promised: The sketch is attached." in draft.text
    gaps = messages.render(fu.DEFAULT_LINKEDIN, {**values, "role": None, "my_name": " "})
    assert gaps.missing == ("role", "my_name")
    assert "[the role?]" in gaps.text and "{" not in gaps.text


def test_default_linkedin_note_fits_the_limit_and_long_details_are_visible(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    values = messages.message_values(
        con, saved.id, dataclasses.replace(fu.load_settings(con), my_name="Jo Park"), detail="your streaming platform"
    )
    assert messages.render(fu.DEFAULT_LINKEDIN, values).length <= fu.LINKEDIN_LIMIT
    long = messages.render(fu.DEFAULT_LINKEDIN, {**values, "detail": "x" * 300})
    assert long.length > fu.LINKEDIN_LIMIT


def test_calendar_parses_back_with_icalendar(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=3), company="Initech")
    fu.mark_sent(con, saved.id, "thank_you", now)
    fu.update_followup(con, saved.id, decision_expected_on=dt.date(2026, 12, 24))
    parsed = icalendar.Calendar.from_ical(messages.calendar(con, now))
    events = [c for c in parsed.walk("VEVENT")]
    summaries = sorted(str(e["summary"]) for e in events)
    assert "Decision expected: Initech" in summaries
    assert "Send a thank-you: Initech" not in summaries  # done: not in the calendar
    assert "Connect on LinkedIn: Initech" in summaries
    linkedin = next(e for e in events if str(e["summary"]) == "Connect on LinkedIn: Initech")
    expected = {i.key: i for i in fu.checklist(con, saved.id, now)}["linkedin"].due
    assert linkedin.decoded("dtstart") == expected
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_calendar_holds_the_plan_date_promises_open_steps_and_decisions(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(
        con,
        now - dt.timedelta(hours=3),
        company="Initech",
        questions=[
            iv.Question("Why us?", clarify="Send the case study"),
            iv.Question("Salary?", clarify="Confirm my notice period"),
            iv.Question("Tell me about yourself"),
        ],
    )
    fu.update_followup(
        con,
        saved.id,
        contact="Sam",
        channel="email",
        follow_up_on=dt.date(2026, 12, 20),
        decision_expected_on=dt.date(2026, 12, 24),
    )
    events = {str(e["summary"]): e for e in icalendar.Calendar.from_ical(messages.calendar(con, now)).walk("VEVENT")}
    follow_up = events["Follow up: Initech"]
    assert follow_up.decoded("dtstart") == dt.date(2026, 12, 20) and "Follow up with Sam (email)" in str(
        follow_up["description"]
    )
    assert events["Decision expected: Initech"].decoded("dtstart") == dt.date(2026, 12, 24)
    thank_you_due = {i.key: i for i in fu.checklist(con, saved.id, now)}["thank_you"].due
    for promise in ("Send the case study", "Confirm my notice period"):
        assert events[f"Clarify: {promise} (Initech)"].decoded("dtstart") == thank_you_due
    assert "Send a thank-you: Initech" in events and "Review your answers: Initech" in events
    # A promise kept leaves the calendar.
    con.execute("UPDATE questions SET clarified_on = current_date WHERE clarify = 'Send the case study'")
    summaries = {str(e["summary"]) for e in icalendar.Calendar.from_ical(messages.calendar(con, now)).walk("VEVENT")}
    assert "Clarify: Send the case study (Initech)" not in summaries
    assert "Clarify: Confirm my notice period (Initech)" in summaries


def test_saving_a_followup_loaded_before_another_windows_change_is_refused(con):
    saved = _log(con, dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    loaded = fu.load_followup(con, saved.id)
    fu.update_followup(con, saved.id, loaded, contact="Sam at Hays")  # the other window
    with pytest.raises(fu.FollowUpChanged) as refused:
        fu.update_followup(con, saved.id, loaded, contact="Ana", channel="email")
    assert refused.value.fields == ["contact"] and refused.value.stored.contact == "Sam at Hays"
    assert fu.load_followup(con, saved.id).contact == "Sam at Hays"  # nothing written
    assert fu.load_followup(con, saved.id).channel is None
    # A field the other window did not touch saves; so does "mine over it", against the stored record.
    fu.update_followup(con, saved.id, loaded, channel="email")
    fu.update_followup(con, saved.id, refused.value.stored, contact="Ana")
    assert (fu.load_followup(con, saved.id).contact, fu.load_followup(con, saved.id).channel) == ("Ana", "email")


def test_saving_a_followup_of_an_interview_deleted_elsewhere_is_refused(con):
    saved = _log(con, dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    loaded = fu.load_followup(con, saved.id)
    iv.delete_interview(con, saved.id)
    with pytest.raises(iv.RecordChanged):
        fu.update_followup(con, saved.id, loaded, contact="Sam")
    assert con.execute("SELECT count(*) FROM followups").fetchone()[0] == 0


def test_a_tick_never_overwrites_a_recorded_sent_time_or_an_earlier_tick(con):
    now = dt.datetime.now(dt.UTC)
    saved = _log(con, now - dt.timedelta(hours=30))
    sent = now - dt.timedelta(hours=2)
    fu.mark_sent(con, saved.id, "thank_you", sent)
    fu.tick(con, saved.id, "thank_you", now)
    item = {i.key: i for i in fu.checklist(con, saved.id, now)}["thank_you"]
    assert item.done_at == sent and not item.by_hand
    assert fu.is_sent(con, saved.id, "thank_you") and not fu.is_sent(con, saved.id, "feedback")
    first = now - dt.timedelta(minutes=30)
    fu.tick(con, saved.id, "feedback", first)
    fu.tick(con, saved.id, "feedback", now)
    assert {i.key: i for i in fu.checklist(con, saved.id, now)}["feedback"].done_at == first


def test_due_command_lists_overdue_steps_as_json(db_path, repo_root):
    con = store.connect(db_path).cursor()
    _log(con, dt.datetime.now(dt.UTC) - dt.timedelta(hours=50), company="Umbrella")
    store.close(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "due", "--db", str(db_path), "--json"],
        cwd=repo_root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert {d["state"] for d in report["due"]} == {"overdue"}
    assert {d["company"] for d in report["due"]} == {"Umbrella"}
    assert len(report["due"]) == 6
    text = subprocess.run(
        [sys.executable, "-m", "analysis", "due", "--db", str(db_path)],
        cwd=repo_root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert text.count("OVERDUE") == 6 and "Umbrella" in text


def _future(con, day: dt.date, time: dt.time | None, company: str, stage: str = "technical") -> iv.Interview:
    return iv.save_interview(
        con, iv.Interview(company=company, interview_date=day, interview_time=time, stage=stage, role="Data Engineer")
    )


def test_upcoming_preps_are_todays_rounds_still_to_come_and_tomorrows(con):
    fu.save_settings(con, fu.Settings(time_zone="Europe/London"))
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
    _future(con, dt.date(2026, 3, 2), dt.time(9, 0), "Over")  # this morning: over
    _future(con, dt.date(2026, 3, 2), dt.time(15, 0), "Later")
    _future(con, dt.date(2026, 3, 3), None, "Northwind")
    _future(con, dt.date(2026, 3, 5), dt.time(10, 0), "Far")
    preps = fu.upcoming_preps(con, now)
    assert preps[["company", "when"]].values.tolist() == [["Later", "today"], ["Northwind", "tomorrow"]]
    assert preps["prepare_at"].tolist()[1] == dt.datetime(2026, 3, 2, 18, 0, tzinfo=LONDON)
    assert fu.upcoming_preps(con, now, days=3)["when"].tolist()[-1] == "in 3 days"


def test_brief_command_quotes_names_for_the_shell():
    assert fu.brief_command("Northwind", None, "technical") == (
        "python -m analysis brief --company Northwind --stage technical"
    )
    assert fu.brief_command("Harrow & Pike", "Data Engineer") == (
        "python -m analysis brief --company 'Harrow & Pike' --role 'Data Engineer'"
    )


def test_calendar_reminds_you_to_prepare_the_evening_before(con):
    fu.save_settings(con, fu.Settings(time_zone="Europe/London"))
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
    _future(con, dt.date(2026, 3, 9), dt.time(10, 0), "Northwind")
    _future(con, dt.date(2026, 3, 2), dt.time(15, 0), "Today Ltd")  # its evening before has passed
    events = {str(e["summary"]): e for e in icalendar.Calendar.from_ical(messages.calendar(con, now)).walk("VEVENT")}
    prep = events["Prepare: Northwind tomorrow"]
    assert prep.decoded("dtstart") == dt.datetime(2026, 3, 8, 18, 0, tzinfo=LONDON)
    assert "python -m analysis brief --company Northwind --role 'Data Engineer' --stage technical" in str(
        prep["description"]
    )
    assert prep.walk("VALARM"), "the prep reminder should alert"
    assert "Prepare: Today Ltd tomorrow" not in events


def test_due_command_says_prepare_for_the_company_tomorrow(db_path, repo_root):
    con = store.connect(db_path).cursor()
    tomorrow = dt.datetime.now(fu.load_settings(con).zone).date() + dt.timedelta(days=1)
    _future(con, tomorrow, dt.time(14, 30), "Northwind")
    store.close(db_path)
    run = [sys.executable, "-m", "analysis", "due", "--db", str(db_path)]
    text = subprocess.run(run, cwd=repo_root, capture_output=True, text=True, check=True).stdout
    assert "prepare   for Northwind tomorrow at 14:30 (technical): python -m analysis brief --company Northwind" in text
    report = json.loads(subprocess.run([*run, "--json"], cwd=repo_root, capture_output=True, text=True).stdout)
    assert [(p["company"], p["when"]) for p in report["prepare"]] == [("Northwind", "tomorrow")]
