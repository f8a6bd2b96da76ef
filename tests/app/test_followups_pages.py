"""Home's "Due now" and the Follow-ups page under AppTest."""

import datetime as dt

import ui
from analysis import followups as fu
from analysis import interviews as iv
from analysis import store


def _logged_fifty_hours_ago(con, company="Umbrella"):
    """An interview that took place fifty hours ago and was logged then (no grace for logging now applies)."""
    when = dt.datetime.now() - dt.timedelta(hours=50)
    saved = iv.save_interview(
        con,
        iv.Interview(
            company=company,
            role="Analyst",
            interview_date=when.date(),
            interview_time=when.time().replace(second=0, microsecond=0),
            stage="phone screen",
            interviewers=[iv.Interviewer("Ana Ruiz", "Head of Data")],
            questions=[iv.Question("Why us?", rating=4)],
        ),
    )
    con.execute("UPDATE interviews SET created_at = ? WHERE id = ?", [when, saved.id])
    return saved


def test_home_lists_an_overdue_step_for_an_interview_logged_fifty_hours_ago(app, con):
    _logged_fifty_hours_ago(con)
    app.run()
    assert not app.exception
    texts = [m.value for m in app.markdown]
    # Markdown source: user and item text arrive escaped, so match words, not punctuation.
    assert any(t.startswith("**Umbrella** · phone screen") for t in texts)
    due = [t for t in texts if t.startswith(":red-badge[overdue]")]
    assert len(due) == 5
    assert any("Send a thank" in t and "25 h late" in t for t in due)
    assert any("Follow\\-up plan" in t for t in due)
    assert app.sidebar.get("page_link")[0].proto.label == "5 follow-up steps overdue"


def test_ticking_a_step_on_home_takes_it_off_due_now(app, con):
    saved = _logged_fifty_hours_ago(con)
    app.run()
    app.button(key=f"home_done_{saved.id}_thank_you").click().run()
    assert not app.exception
    assert not any("Send a thank" in m.value for m in app.markdown)
    assert {i.key: i.state for i in fu.checklist(con, saved.id)}["thank_you"] == "done"


def test_followups_page_shows_the_checklist_and_records_the_plan(app, con):
    saved = _logged_fifty_hours_ago(con)
    app.query_params["id"] = str(saved.id)
    app.switch_page("pages/followups.py").run()
    assert not app.exception
    boxes = {c.label: c for c in app.checkbox}
    assert list(boxes) == [
        "1. Follow-up plan",
        "2. Review your answers",
        "3. Notes while fresh",
        "4. Ask the recruiter for feedback",
        "5. Send a thank-you",
        "6. Connect on LinkedIn",
    ]
    assert boxes["2. Review your answers"].value is True and boxes["2. Review your answers"].disabled
    states = [m.value for m in app.markdown if ":small[:gray[" in m.value]  # each step's state and time
    assert len(states) == 6 and "due " in states[0]
    assert "done]" in states[1] and "your notes show it" in states[1] and "due " not in states[1]
    boxes["4. Ask the recruiter for feedback"].check().run()
    assert {i.key: i.by_hand for i in fu.checklist(con, saved.id)}["feedback"] is True

    plan_contact = next(t for t in app.text_input if t.label == "Whom to follow up with")
    plan_contact.input("Sam Lee, Hays")
    next(d for d in app.date_input if d.label == "Decision expected by").set_value(dt.date.today())
    next(b for b in app.button if b.label == "Save plan").click().run()
    assert not app.exception
    record = fu.load_followup(con, saved.id)
    assert record.contact == "Sam Lee, Hays" and record.decision_expected_on == dt.date.today()
    assert {i.key: i.state for i in fu.checklist(con, saved.id)}["plan"] == "done"


def test_followups_page_drafts_messages_and_marks_them_sent(app, con):
    saved = _logged_fifty_hours_ago(con)
    app.query_params["id"] = str(saved.id)
    app.switch_page("pages/followups.py").run()
    # Each draft is shown once, to copy: the thank-you, then the LinkedIn note.
    drafts = [c.value for c in app.code]
    assert len(drafts) == 2 and drafts[0].startswith("Subject: Thank you, Ana")
    assert drafts[1].startswith("Hi Ana, thank you for the conversation about the Analyst role at Umbrella.")
    # Nothing promised and no detail picked: those sentences went; only the missing name is flagged.
    assert "promised" not in drafts[0] and "enjoyed" not in drafts[0] and "[your name?]" in drafts[0]
    assert any("Fill in before sending" in w.value and "your name" in w.value for w in app.warning)
    send = [b for b in app.button if b.label == "Mark as sent"]
    send[1].click().run()
    assert not app.exception
    assert fu.load_followup(con, saved.id).linkedin_sent_at is not None


def test_followups_page_on_an_empty_database(app):
    app.switch_page("pages/followups.py").run()
    assert not app.exception
    assert "No interviews yet" in app.info[0].value


def test_followups_page_names_only_the_review_work_left(app, con):
    when = dt.datetime.now() - dt.timedelta(hours=3)
    saved = iv.save_interview(
        con,
        iv.Interview(
            company="Initech",
            interview_date=when.date(),
            interview_time=when.time().replace(second=0, microsecond=0),
            questions=[iv.Question("Why us?"), iv.Question("Design a queue", rating=4)],
        ),
    )
    app.query_params["id"] = str(saved.id)
    app.switch_page("pages/followups.py").run()
    assert not app.exception
    texts = [m.value for m in app.markdown]
    assert "1 answer not rated." in texts
    assert not any("0 weak answers" in t for t in texts)


def test_followups_settings_are_drawn_only_when_opened(app, con):
    _logged_fifty_hours_ago(con)
    app.switch_page("pages/followups.py").run()
    settings = app.expander(key="fu_settings_open")
    assert settings.label.startswith("Settings:")
    assert not [t for t in app.text_input if t.label == "Time zone"]  # closed: nothing drawn inside
    app.session_state["fu_settings_open"] = True
    app.run()
    assert not app.exception, app.exception
    assert next(t for t in app.text_input if t.label == "Time zone").value == ""
    assert (
        next(a for a in app.text_area if a.label == "Thank-you template").value
        == fu.load_settings(con).thank_you_template
    )


def test_followups_settings_show_what_is_wrong_and_keep_the_old_ones(app, con):
    _logged_fifty_hours_ago(con)
    app.switch_page("pages/followups.py")
    app.session_state["fu_settings_open"] = True
    app.run()
    next(t for t in app.text_input if t.label == "Time zone").input("Mars/Olympus")
    next(b for b in app.button if b.label == "Save settings").click().run()
    assert not app.exception
    assert any("Unknown time zone 'Mars/Olympus'" in e.value for e in app.error)
    assert fu.load_settings(con).time_zone == ""


def _open_followups(app, interview_id):
    app.query_params["id"] = str(interview_id)
    app.switch_page("pages/followups.py").run()
    assert not app.exception, app.exception
    return app


def _box(app, label):
    return next(c for c in app.checkbox if c.label == label)


def _click(app, label, index=0):
    [b for b in app.button if b.label == label][index].click().run()
    assert not app.exception, app.exception


def test_checkboxes_show_the_plan_and_the_sent_message_in_the_same_run(app, con):
    saved = _logged_fifty_hours_ago(con)
    _open_followups(app, saved.id)
    assert _box(app, "1. Follow-up plan").value is False
    next(t for t in app.text_input if t.label == "Whom to follow up with").input("Sam Lee")
    next(d for d in app.date_input if d.label == "Decision expected by").set_value(dt.date.today())
    _click(app, "Save plan")
    assert _box(app, "1. Follow-up plan").value is True and _box(app, "1. Follow-up plan").disabled
    assert _box(app, "5. Send a thank-you").value is False
    _click(app, "Mark as sent")
    assert _box(app, "5. Send a thank-you").value is True
    assert _box(app, "6. Connect on LinkedIn").value is False


def test_unticking_a_sent_message_asks_before_removing_the_sent_time(app, con):
    saved = _logged_fifty_hours_ago(con)
    sent = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    fu.mark_sent(con, saved.id, "thank_you", sent)
    _open_followups(app, saved.id)
    _box(app, "5. Send a thank-you").uncheck().run()
    assert not app.exception
    assert any("is recorded as sent" in w.value for w in app.warning)
    assert _box(app, "5. Send a thank-you").value is True  # nothing removed yet
    assert fu.load_followup(con, saved.id).thank_you_sent_at == sent.replace(tzinfo=None)
    _click(app, "Keep it as sent")
    assert fu.load_followup(con, saved.id).thank_you_sent_at == sent.replace(tzinfo=None)
    assert not any("is recorded as sent" in w.value for w in app.warning)
    _box(app, "5. Send a thank-you").uncheck().run()
    _click(app, "Yes, it was not sent")
    assert fu.load_followup(con, saved.id).thank_you_sent_at is None
    assert _box(app, "5. Send a thank-you").value is False


def test_a_plan_saved_over_another_windows_change_is_refused_with_the_text_kept(app, con):
    saved = _logged_fifty_hours_ago(con)
    _open_followups(app, saved.id)
    next(t for t in app.text_input if t.label == "Whom to follow up with").input("Ana, by email")
    fu.update_followup(con, saved.id, contact="Sam at Hays")  # another window
    _click(app, "Save plan")
    assert any("another window changed this" in e.value for e in app.error)
    assert "• whom to follow up with: you opened “(empty)”, stored now “Sam at Hays”" in [t.value for t in app.text]
    assert next(t for t in app.text_input if t.label == "Whom to follow up with").value == "Ana, by email"
    assert fu.load_followup(con, saved.id).contact == "Sam at Hays"
    _click(app, "Save mine over it")
    assert fu.load_followup(con, saved.id).contact == "Ana, by email"
    assert not any("another window changed this" in e.value for e in app.error)


def test_thank_yous_go_one_to_each_or_one_to_all_and_a_ticked_promise_in_your_words(app, con):
    saved = _logged_fifty_hours_ago(con)
    iv.save_interview(
        con,
        iv.Interview(
            **{
                **vars(iv.load_interview(con, saved.id)),
                "interviewers": [iv.Interviewer("Ana Ruiz"), iv.Interviewer("Ben Ode")],
                "questions": [iv.Question("Why us?", rating=4, clarify="send the partitioning sketch", id=None)],
            }
        ),
    )
    app.query_params["id"] = str(saved.id)
    app.switch_page("pages/followups.py").run()
    thank_yous = [c.value for c in app.code if c.value.startswith("Subject:")]
    assert [t.splitlines()[0] for t in thank_yous] == ["Subject: Thank you, Ana", "Subject: Thank you, Ben"]
    assert not any("partitioning" in t for t in thank_yous)  # a note to self is never pasted
    app.segmented_control(key=f"fu_one_each_{saved.id}").set_value("one to all").run()
    app.checkbox(key=f"fu_promise_{saved.id}_0").check().run()
    app.text_area(key=f"fu_promise_words_{saved.id}_0").input("Attached is the partitioning sketch.").run()
    (thank_you,) = [c.value for c in app.code if c.value.startswith("Subject:")]
    assert thank_you.startswith("Subject: Thank you, Ana and Ben")
    assert "As promised: Attached is the partitioning sketch." in thank_you


def _disk_full(*args, **kwargs):
    raise store.DiskFull("The disk holding the database is full, so the change could not be written.")


def test_a_write_that_fails_on_the_follow_up_pages_is_said_and_never_a_traceback(app, con, monkeypatch):
    saved = _logged_fifty_hours_ago(con)
    for name in ("tick", "mark_sent"):
        monkeypatch.setattr(fu, name, _disk_full)
    said = "The disk holding the database is full"

    app.run()  # Home's Done runs in a fragment
    app.button(key=f"home_done_{saved.id}_thank_you").click().run()
    assert not app.exception, app.exception
    assert any(said in e.value for e in app.error)

    _open_followups(app, saved.id)
    _box(app, "4. Ask the recruiter for feedback").check().run()  # a checkbox's callback
    assert not app.exception, app.exception
    assert any(said in e.value for e in app.error)
    assert _box(app, "4. Ask the recruiter for feedback").value is False  # shown as it is stored

    [b for b in app.button if b.label == "Mark as sent"][0].click().run()  # the page's own run
    assert not app.exception, app.exception
    assert any(said in e.value for e in app.error)
    assert fu.load_followup(con, saved.id).thank_you_sent_at is None


def test_home_draws_the_less_urgent_interviews_only_when_their_list_is_opened(app, con):
    companies = [f"Company {n}" for n in range(7)]
    for company in companies:
        _logged_fifty_hours_ago(con, company)
    app.run()
    assert not app.exception
    opened = [link for link in app.page_link if link.label == "Open checklist"]
    assert len(opened) == 5  # the first five, each with its checklist link
    more = app.expander(key="home_more")
    assert more.label == "2 more interviews with steps due"
    assert not [link for link in more.page_link]  # closed: nothing drawn inside
    app.session_state["home_more"] = True
    app.run()
    assert not app.exception
    assert len([link for link in app.page_link if link.label == "Open checklist"]) == 7
    assert len(app.expander(key="home_more").page_link) == 2


def test_followups_page_reads_again_only_when_the_data_changes(app, con, monkeypatch):
    monkeypatch.setattr(ui, "this_minute", lambda: 0)  # the clock's minute is a cache key too: held still here
    saved = _logged_fifty_hours_ago(con)
    _open_followups(app, saved.id)
    assert not _box(app, "5. Send a thank-you").value
    # Back on the page with nothing written: what it shows comes from what it read before.
    reads = []
    checklist_with_state = fu.checklist_with_state
    monkeypatch.setattr(fu, "checklist_with_state", lambda *a, **k: reads.append(a) or checklist_with_state(*a, **k))
    app.switch_page("pages/export.py").run()
    app.switch_page("pages/followups.py").run()
    assert not app.exception, app.exception
    assert reads == []
    # A tick from elsewhere (another window, the command line) moves the data version: shown at once.
    fu.tick(con, saved.id, "thank_you")
    app.switch_page("pages/export.py").run()
    app.switch_page("pages/followups.py").run()
    assert not app.exception, app.exception
    assert reads
    assert _box(app, "5. Send a thank-you").value
