"""Home's "Due now" and the Follow-ups page under AppTest."""

import datetime as dt

from analysis import followups as fu
from analysis import interviews as iv


def _logged_fifty_hours_ago(con, company="Umbrella"):
    when = dt.datetime.now() - dt.timedelta(hours=50)
    return iv.save_interview(
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
        "5. Connect on LinkedIn",
    ]
    assert boxes["2. Review your answers"].value is True and boxes["2. Review your answers"].disabled
    boxes["4. Ask the recruiter for feedback"].check().run()
    assert {i.key: i.by_hand for i in fu.checklist(con, saved.id)}["feedback"] is True

    app.text_input(key=None)  # noqa: B018
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
    drafts = [t.value for t in app.text_area if t.label == "LinkedIn connection note"]
    assert drafts and drafts[0].startswith("Hi Ana, thank you for the conversation about the Analyst role at Umbrella.")
    assert any("Fill in before sending" in w.value and "your name" in w.value for w in app.warning)
    send = [b for b in app.button if b.label == "Mark as sent"]
    send[1].click().run()
    assert not app.exception
    assert fu.load_followup(con, saved.id).linkedin_sent_at is not None


def test_followups_page_on_an_empty_database(app):
    app.switch_page("pages/followups.py").run()
    assert not app.exception
    assert "No interviews yet" in app.info[0].value
