"""Follow-ups: the 48 hours after an interview, as a checklist with due times and drafts."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from analysis import followups as fu
from analysis import interviews as iv
from analysis import messages, schema, store
from analysis.store import StoreError

con = ui.cursor()
db_path = str(ui.database_path())
settings = fu.load_settings(con)
tz = settings.zone


# What the page reads is kept per data version (bumped by every write, here or from the command
# line) and per minute, as steps fall due with the clock: going back to the page reads nothing again.
@st.cache_data(max_entries=16, show_spinner=False)
def _choices(path: str, version: int, minute: int) -> pd.DataFrame:
    return fu.interviews_to_follow(store.connect(path).cursor())


@st.cache_data(max_entries=64, show_spinner=False)
def _interview(
    path: str, version: int, interview_id: int, minute: int
) -> tuple[iv.Interview, fu.FollowUp, str, list[fu.ItemStatus]]:
    """The interview, its follow-through record, its checklist's state and its six steps now."""
    cur = store.connect(path).cursor()
    state, steps = fu.checklist_with_state(cur, interview_id)
    return iv.load_interview(cur, interview_id), fu.load_followup(cur, interview_id), state, steps


st.title("Follow-ups")
st.caption(
    "What you do in the 48 hours after an interview can clinch the job or help with the next one. "
    "Each step is due a set time after the interview ends; steps tick themselves when your notes show them done."
)

version = store.data_version(con)
choices = _choices(db_path, version, ui.this_minute())
if choices.empty:
    st.info("No interviews yet. Log one and its follow-up checklist appears here.", icon=":material/info:")
    st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    st.stop()

wanted = ui.query_int("id")
ids = [int(i) for i in choices["interview_id"]]
labels = {
    int(r.interview_id): f"{r.company} · {r.stage} · {r.interview_date:%Y-%m-%d}" + ("" if r.live else " (history)")
    for r in choices.itertuples()
}
default = ids.index(wanted) if wanted in ids else 0
interview_id = st.selectbox("Interview", ids, index=default, format_func=labels.get, key="fu_interview")
if interview_id != wanted:
    st.query_params["id"] = str(interview_id)
interview, record, state, _ = _interview(db_path, version, interview_id, ui.this_minute())
live = state == "open"

BADGES = {
    "done": ":green-badge[:material/check: done]",
    "overdue": ":red-badge[:material/schedule: overdue]",
    "due soon": ":orange-badge[:material/schedule: due soon]",
    "upcoming": ":gray-badge[upcoming]",
    "closed": ":gray-badge[closed]",
}


CONFIRM_UNSEND = "fu_confirm_unsend"
STEP_WIDTH = 300  # px: each step's box and title, so the states line up beside them on a wide screen


@ui.guarded
def toggle(item_key: str, widget_key: str) -> None:
    cursor = ui.callback_cursor()
    if st.session_state[widget_key]:
        fu.tick(cursor, interview_id, item_key)
    elif fu.is_sent(cursor, interview_id, item_key):
        # A recorded sending is a fact: taking it back is asked first, below the checklist.
        st.session_state[CONFIRM_UNSEND] = (interview_id, item_key)
    else:
        fu.untick(cursor, interview_id, item_key)


st.subheader("Checklist")
CLOSED_BECAUSE = {
    "logged late": "This interview was logged more than a week after it took place, so its checklist starts "
    "closed and stays out of “Due now”.",
    "past": f"This interview is more than {fu.QUIET_DAYS} days old: its follow-through window has passed, "
    "so its open steps no longer show in “Due now”.",
    "closed by you": "You closed this checklist: its open steps stay out of “Due now”.",
}
if not live:
    st.info(CLOSED_BECAUSE[state], icon=":material/history:")
    if st.button("Reopen the checklist", icon=":material/restart_alt:"):
        fu.set_checklist_state(con, interview_id, "open")
        st.rerun()


def step_row(status: fu.ItemStatus) -> None:
    """One step: its box, then its state and when it is (or was) due.

    A row that wraps: on a wide screen the states line up beside the boxes, on a phone each
    state sits under its box (three columns stacked box, time and state on three lines).
    """
    widget_key = f"fu_tick_{interview_id}_{status.key}"
    derived = status.done and not status.by_hand and status.key not in ("thank_you", "linkedin")
    # The box shows what is true now, in this run: Streamlit would otherwise keep
    # the box's old state after "Save plan" or "Mark as sent" changed the step.
    st.session_state[widget_key] = status.done
    if status.done and status.done_at:
        when = f"done {status.done_at.astimezone(tz):%a %d %b, %H:%M}" + (" (ticked)" if status.by_hand else "")
    elif derived:
        when = "your notes show it"  # done, at no moment on record: "due ..." beside "done" read as a contradiction
    else:
        when = f"due {status.due.astimezone(tz):%a %d %b, %H:%M}"
    with st.container(horizontal=True, vertical_alignment="center", key=f"fu_step_{status.key}"):
        st.checkbox(
            f"{status.step:d}. {status.title}",
            key=widget_key,
            on_change=toggle,
            args=(status.key, widget_key),
            disabled=derived,
            help=status.what + (" Done: your notes show it." if derived else ""),
            width=STEP_WIDTH,
        )
        st.markdown(f"{BADGES[status.state]} :small[:gray[{when}]]")


checklist_slot = st.container()
if live and st.button("Close this checklist", icon=":material/archive:", help="Keep it as history, out of Due now"):
    fu.set_checklist_state(con, interview_id, "closed")
    st.rerun()

PLAN = ("contact", "channel", "follow_up_on", "decision_expected_on")
FEEDBACK = ("feedback_requested_on", "feedback_received_on", "feedback")


def form_key(form: str, field: str) -> str:
    return f"fu_{form}_{interview_id}_{field}"


def loaded_record(form: str, fields: tuple[str, ...]) -> fu.FollowUp:
    """The record as this form was filled from: a save is checked against it, not against what is stored now.

    A form shown afresh (no typed state yet) takes the stored record.
    """
    snapshot = form_key(form, "loaded")
    if form_key(form, fields[0]) not in st.session_state or snapshot not in st.session_state:
        st.session_state[snapshot] = record
        st.session_state.pop(form_key(form, "conflict"), None)
    return st.session_state[snapshot]


def typed_record(form: str, fields: tuple[str, ...]) -> dict:
    values = {f: st.session_state.get(form_key(form, f)) for f in fields}
    return {f: (v.strip() or None) if isinstance(v, str) else v for f, v in values.items()}


def save_record(form: str, fields: tuple[str, ...], against: fu.FollowUp, done: str) -> None:
    """Save the form's fields if nobody changed them since ``against`` was loaded; typed values stay if not."""
    try:
        fu.update_followup(con, interview_id, against, **typed_record(form, fields))
    except fu.FollowUpChanged:
        st.session_state[form_key(form, "conflict")] = True
        st.rerun()
    except (iv.RecordChanged, StoreError) as exc:
        st.error(f"Not saved: {ui.literal(exc)}", icon=":material/error:")
    else:
        st.session_state[form_key(form, "loaded")] = fu.load_followup(con, interview_id)
        st.session_state.pop(form_key(form, "conflict"), None)
        ui.flash(done)
        st.rerun()


def record_conflict(form: str, fields: tuple[str, ...], loaded: fu.FollowUp, done: str) -> None:
    """After a refused save: what another window changed, and the ways out."""
    if not st.session_state.get(form_key(form, "conflict")):
        return
    st.error(
        "Not saved: another window changed this since you opened it. What you typed is still here. Stored now:",
        icon=":material/sync_problem:",
    )
    st.text(
        "\n".join(
            f"• {fu.FOLLOWUP_LABELS[f]}: you opened “{getattr(loaded, f) or '(empty)'}”, "
            f"stored now “{getattr(record, f) or '(empty)'}”"
            for f in fu.changed_fields(loaded, record)
            if f in fields
        )
    )
    with st.container(horizontal=True):
        if st.button("Reload the stored version", key=form_key(form, "reload"), icon=":material/refresh:"):
            for field in (*fields, "loaded", "conflict"):
                st.session_state.pop(form_key(form, field), None)
            st.rerun()
        if st.button("Save mine over it", key=form_key(form, "mine"), icon=":material/save:"):
            save_record(form, fields, record, done)


st.subheader("1. Follow-up plan")
plan = loaded_record("plan", PLAN)
with st.form(f"fu_plan_{interview_id}", border=True):
    left, right = st.columns(2)
    left.text_input("Whom to follow up with", value=plan.contact or "", key=form_key("plan", "contact"))
    right.selectbox(
        "How",
        fu.CHANNELS,
        index=fu.CHANNELS.index(plan.channel) if plan.channel in fu.CHANNELS else None,
        key=form_key("plan", "channel"),
    )
    left.date_input("Follow up on", value=plan.follow_up_on, format="YYYY-MM-DD", key=form_key("plan", "follow_up_on"))
    right.date_input(
        "Decision expected by",
        value=plan.decision_expected_on,
        format="YYYY-MM-DD",
        key=form_key("plan", "decision_expected_on"),
    )
    if st.form_submit_button("Save plan", icon=":material/save:"):
        save_record("plan", PLAN, plan, "Follow-up plan saved.")
record_conflict("plan", PLAN, plan, "Follow-up plan saved.")

st.subheader("2. Review and 3. Notes")
questions = interview.questions
unrated = sum(q.rating is None for q in questions)
undrafted = sum(schema.is_weak(q.rating) and not (q.better_answer or "").strip() for q in questions)
promised = [q.clarify for q in questions if (q.clarify or "").strip()]
if not questions:
    st.write("No questions logged yet: add every question you remember and rate your answers.")
elif unrated or undrafted:
    # Name only what is left to do: "0 answers not rated" is noise.
    left_to_do = [
        *([f"{ui.count(unrated, 'answer')} not rated"] if unrated else []),
        *([f"{ui.count(undrafted, 'weak answer')} without a better-answer draft"] if undrafted else []),
    ]
    st.write(", ".join(map(ui.literal, left_to_do)) + ".")
else:
    st.write("Every answer is rated and every weak one has a better-answer draft.")
if promised:
    st.markdown("**You said you would clarify:**")
    for text in promised:
        st.text(f"• {text}")
st.page_link(
    "pages/log.py",
    label="Review answers and notes",
    icon=":material/edit_note:",
    query_params={"id": str(interview_id)},
)

st.subheader("4. Recruiter feedback")
feedback_loaded = loaded_record("feedback", FEEDBACK)
with st.form(f"fu_feedback_{interview_id}", border=True):
    left, right = st.columns(2)
    left.date_input(
        "Feedback requested on",
        value=feedback_loaded.feedback_requested_on,
        format="YYYY-MM-DD",
        key=form_key("feedback", "feedback_requested_on"),
    )
    right.date_input(
        "Feedback received on",
        value=feedback_loaded.feedback_received_on,
        format="YYYY-MM-DD",
        key=form_key("feedback", "feedback_received_on"),
    )
    st.text_area("Feedback received", value=feedback_loaded.feedback or "", key=form_key("feedback", "feedback"))
    if st.form_submit_button("Save feedback", icon=":material/save:"):
        save_record("feedback", FEEDBACK, feedback_loaded, "Recruiter feedback saved.")
record_conflict("feedback", FEEDBACK, feedback_loaded, "Recruiter feedback saved.")

st.subheader("5. Thank-you and 6. LinkedIn")
suggestions = messages.detail_suggestions(con, interview_id)
detail = st.text_input(
    "A detail you enjoyed hearing about (your words)",
    key=f"fu_detail_{interview_id}",
    placeholder="e.g. how the team moved to streaming",
    help="Left empty, the sentence about it goes.",
)
if suggestions:
    st.caption("From your notes, to put in your own words:")
    for suggestion in suggestions:
        st.text(f"• {suggestion}")
promises = messages.open_promises(con, interview_id)
kept = []
if promises:
    st.markdown("**What you said you would clarify.** Tick the ones to follow up on here, and say it as you would:")
    for index, promise in enumerate(promises):
        if st.checkbox(ui.literal(promise), key=f"fu_promise_{interview_id}_{index}"):
            kept.append(
                st.text_area(
                    "In your words",
                    key=f"fu_promise_words_{interview_id}_{index}",
                    placeholder="e.g. As promised, here is the sketch of the partitioning scheme.",
                )
            )
one_each = (
    st.segmented_control(
        "Thank-you",
        ["one to each person", "one to all"],
        default="one to each person",
        key=f"fu_one_each_{interview_id}",
    )
    != "one to all"
)


MESSAGE_LABELS = {"thank_you": "Thank-you email", "linkedin": "LinkedIn connection note"}


def show_draft(draft: messages.Draft, limit: int | None) -> None:
    """One draft, shown once, to copy (the button at its corner): what still needs filling in, and its length."""
    if draft.missing:
        st.warning(
            "Fill in before sending: " + ", ".join(fu.PLACEHOLDERS[m] for m in draft.missing) + ".",
            icon=":material/edit:",
        )
    if limit is not None and len(draft.text) > limit:
        st.error(
            f"The draft is {len(draft.text):,} characters; LinkedIn allows {limit:,}. Shorten the template "
            "or the detail.",
            icon=":material/content_cut:",
        )
    st.code(draft.text, language=None, wrap_lines=True)


SENDING = "fu_sending"  # the message last marked (un)sent, and what to say about it beside its button


def record_sending(interview: int, message: str, sent: bool) -> None:
    """ "Mark as sent" / "Not sent after all": written before the run the click starts, so that one run shows it."""

    def write() -> None:
        (fu.mark_sent if sent else fu.mark_unsent)(ui.callback_cursor(), interview, message)

    failure = ui.failure_of(write)
    done = f"{MESSAGE_LABELS[message]} marked as sent." if sent else None
    st.session_state[SENDING] = (message, failure, done)


def sent_part(message: str, record: fu.FollowUp) -> None:
    """Whether the message went, with the button that records it (or takes it back)."""
    sending = st.session_state.get(SENDING)
    if sending and sending[0] == message:
        _, failure, done = st.session_state.pop(SENDING)
        if failure:
            ui.show_failure(failure)
        elif done:
            st.success(done, icon=":material/check_circle:")
    sent_at = getattr(record, f"{message}_sent_at")
    if sent_at:
        st.caption(f"Sent {sent_at.replace(tzinfo=dt.UTC).astimezone(tz):%a %d %b, %H:%M}.")
        st.button(
            "Not sent after all",
            key=f"fu_unsend_{message}_{interview_id}",
            on_click=record_sending,
            args=(interview_id, message, False),
        )
    else:
        st.button(
            "Mark as sent",
            key=f"fu_send_{message}_{interview_id}",
            icon=":material/send:",
            on_click=record_sending,
            args=(interview_id, message, True),
        )


sent_slots = {}
for message, template, limit in (
    ("thank_you", settings.thank_you_template, None),
    ("linkedin", settings.linkedin_template, fu.LINKEDIN_LIMIT),
):
    greeted = messages.addressees(con, interview_id, one_each=one_each and message == "thank_you")
    with st.container(border=True):
        st.markdown(f"**{MESSAGE_LABELS[message]}**")
        for name in greeted:
            values = messages.message_values(
                con, interview_id, settings, interviewer=name, detail=detail, promises=kept
            )
            if len(greeted) > 1:
                st.caption(f"To {ui.literal(name)}")
            show_draft(messages.render(template, values), limit)
        sent_slots[message] = st.container()


@ui.fragment
def steps_part(checklist: st.delta_generator.DeltaGenerator, sent: dict) -> None:
    """The six steps and their boxes in ``checklist``, and each message's sent state in ``sent``.

    One part, rerun alone by a tick, "Mark as sent" or "Not sent after all": a sent message is
    a done step, and both places show it at once. The sidebar's overdue count catches up at the
    next full run (another page, or any button outside).
    """
    with checklist:
        cursor = ui.cursor()  # a file that cannot be opened is said where the steps would be
        # Read again after a tick or a sending: each moves the data version.
        _, record, _, steps = _interview(db_path, store.data_version(cursor), interview_id, ui.this_minute())
        checklist_steps(cursor, steps)
    for message, slot in sent.items():
        with slot:
            sent_part(message, record)


def checklist_steps(cursor, items: list[fu.ItemStatus]) -> None:
    """The next step, each step's row, and the question before a recorded sending is taken back."""
    upcoming = [s for s in items if not s.done and s.state != "closed"]
    if live and upcoming:
        step = min(upcoming, key=lambda s: s.due)
        st.info(
            f"Next: {step.step:d}. {ui.literal(step.title)}, due {step.due.astimezone(tz):%a %d %b, %H:%M}.",
            icon=":material/flag:",
        )
    for status in items:
        step_row(status)
    confirming = st.session_state.get(CONFIRM_UNSEND)
    if confirming and confirming[0] == interview_id:
        message = confirming[1]
        title = {i.key: i.title for i in fu.ITEMS}[message]
        st.warning(
            f"“{title}” is recorded as sent. Untick it only if it was not sent after all: the sent time is removed.",
            icon=":material/help:",
        )
        with st.container(horizontal=True):
            if st.button("Yes, it was not sent", key="fu_confirm_unsend_yes", icon=":material/undo:"):
                fu.mark_unsent(cursor, interview_id, message)
                st.session_state.pop(CONFIRM_UNSEND)
                ui.rerun_part()
            if st.button("Keep it as sent", key="fu_confirm_unsend_no"):
                st.session_state.pop(CONFIRM_UNSEND)
                ui.rerun_part()


steps_part(checklist_slot, sent_slots, said_in=checklist_slot)

st.divider()
st.download_button(
    "Download follow-up calendar (.ics)",
    # Made when clicked: writing the calendar is a third of this page's run.
    data=ui.made_on_click(messages.calendar),
    file_name="debrief-follow-ups.ics",
    mime="text/calendar",
    icon=":material/calendar_month:",
    help="Open follow-up steps, promised clarifications, your follow-up date and expected decisions, "
    "for any calendar app.",
    on_click="ignore",
)

# Drawn only when opened: a browser takes its time over every element, and these are seldom changed.
settings_box = st.expander(
    "Settings: due times, time zone, your name, message templates", key="fu_settings_open", on_change="rerun"
)
if settings_box.open:
    with settings_box, st.form("fu_settings"):
        hours = {}
        cols = st.columns(3)
        for index, item in enumerate(fu.ITEMS):
            hours[item.key] = cols[index % 3].number_input(
                f"{item.title} (hours after)",
                min_value=0.0,
                max_value=336.0,
                step=1.0,
                value=float(settings.hours[item.key]),
            )
        left, right = st.columns(2)
        time_zone = left.text_input(
            "Time zone",
            value=settings.time_zone,
            placeholder=f"this computer's: {fu.zone('').key}",
            help="An IANA name such as Europe/London or America/New_York.",
        )
        my_name = right.text_input("Your name (signs the messages)", value=settings.my_name)
        thank_you_template = st.text_area("Thank-you template", value=settings.thank_you_template, height=200)
        linkedin_template = st.text_area("LinkedIn template", value=settings.linkedin_template, height=100)
        st.caption("Placeholders: " + ", ".join(ui.literal("{" + k + "} " + v) for k, v in fu.PLACEHOLDERS.items()))
        if st.form_submit_button("Save settings", icon=":material/save:"):
            try:
                fu.save_settings(
                    con,
                    fu.Settings(
                        hours=hours,
                        time_zone=time_zone.strip(),
                        my_name=my_name.strip(),
                        thank_you_template=thank_you_template,
                        linkedin_template=linkedin_template,
                    ),
                )
            except (iv.InvalidSettings, StoreError) as exc:
                for problem in getattr(exc, "problems", []) or [exc]:
                    st.error(ui.literal(getattr(problem, "text", problem)))
            else:
                ui.flash("Settings saved.")
                st.rerun()
