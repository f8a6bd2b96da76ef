"""Home: the ways in on an empty database, and what is on file otherwise."""

import datetime as dt

import streamlit as st

import ui
from analysis import companies, followups, lookback, store
from analysis import interviews as iv

con = ui.cursor()


@st.cache_data(max_entries=8, show_spinner=False)
def _on_file(path: str, version: int, minute: int) -> dict:
    """What Home shows, recounted when the data changes or a minute passes (what is due moves with the clock)."""
    cur = store.connect(path).cursor()
    settings = followups.load_settings(cur)
    today = dt.datetime.now(settings.zone).date()
    return {
        "totals": iv.counts(cur),
        "settings": settings,
        "due": followups.due_now(cur, settings=settings),
        "late": followups.awaiting_word(cur, today),
        # How long each company usually takes, from its own answers when there are enough (issue 16).
        "waits": {w.interview_id: w for w in companies.no_word_yet(cur, today)},
        "year_ago": lookback.year_ago(cur, today),
        "change": lookback.biggest_change(cur, today),
        "latest": iv.list_interviews(cur, limit=8),
    }


on_file = _on_file(str(ui.database_path()), store.data_version(con), ui.this_minute())


def _span(hours: float) -> str:
    """3 h, 2 days: how long, roughly."""
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"


totals = on_file["totals"]

st.title("Debrief")

if totals["interviews"] == 0 and not ui.in_demo():
    st.write(
        "Learn from your own interviews. Spend ten minutes after each one: log the questions, "
        "rate your answers, note what you promised, and see what to rehearse before the next."
    )
    log_col, import_col, demo_col = st.columns(3, border=True)
    with log_col:
        st.subheader("Log your first interview")
        st.write("Company, date, stage, and every question with how your answer went.")
        st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    with import_col:
        st.subheader("Import past notes")
        st.write("Kept notes in a spreadsheet? Export it as CSV and bring months of history in at once.")
        st.page_link("pages/import.py", label="Import a CSV", icon=":material/upload_file:")
    with demo_col:
        st.subheader("Explore demo data")
        st.write("A made-up history of a year and a half of interviews, in a separate demo database.")
        if st.button("Open the demo", icon=":material/science:"):
            ui.open_demo()
    st.stop()

if ui.in_demo():
    st.info("You are looking at demo data, kept in its own database. Use **Back to my data** in the sidebar to return.")

settings, due, late, waits = on_file["settings"], on_file["due"], on_file["late"], on_file["waits"]
st.subheader("Due now")
if due.empty and late.empty:
    st.caption("Nothing due: every live follow-up step is done or not yet due.")
SHOWN = 5  # interviews listed before the rest fold away
LISTED = 30  # at most this many here; the Follow-ups page has every one
WAITING_SHOWN = 3  # rounds waiting for word listed before the rest fold away
groups = list(due.groupby("interview_id", sort=False))


@ui.guarded
def mark_done(interview_id: int, item: str) -> None:
    """Done: ticked before the run the click starts, so that one run shows the step gone."""
    followups.tick(ui.callback_cursor(), interview_id, item)


def _steps_due(interview_id: int) -> list[tuple[str, str, str, float]]:
    """This interview's overdue and due-soon steps now: (item, title, state, hours left)."""
    now = dt.datetime.now(dt.UTC)
    return [
        (s.key, s.title, s.state, (s.due - now).total_seconds() / 3600)
        for s in followups.checklist(ui.cursor(), interview_id, now, settings)
        if s.state in ("overdue", "due soon")
    ]


@ui.fragment
def due_steps(interview_id: int, steps: list[tuple[str, str, str, float]]) -> None:
    """One interview's due steps, each with its Done button beside it.

    Done reruns only this part; the sidebar's overdue count catches up at the
    next full run (another page, a reload): recounting it would rerun the page.
    """
    if ui.in_partial_rerun():
        steps = _steps_due(interview_id)  # the page's list is from the full run: read the steps again
    if not steps:
        st.caption("All done here.")
    for item, title, state, hours_left in steps:
        # One row per step: its Done button stays beside it, whatever the width.
        with st.container(horizontal=True, vertical_alignment="center", key=f"home_step_{interview_id}_{item}"):
            is_late = state == "overdue"
            st.markdown(
                (":red-badge[overdue]" if is_late else ":orange-badge[due soon]")
                + f" {ui.literal(title)} · "
                + (f"{_span(-hours_left)} late" if is_late else f"in {_span(hours_left)}")
            )
            st.button(
                "Done",
                key=f"home_done_{interview_id}_{item}",
                icon=":material/check:",
                help=f"Mark “{ui.literal(title)}” done",
                on_click=mark_done,
                args=(interview_id, item),
            )


# The less urgent interviews wait in an expander drawn only when opened: a browser takes its
# time over every element, and a long history can have thirty interviews due.
more = None
if len(groups) > SHOWN:
    more = st.expander(
        f"{ui.count(len(groups) - SHOWN, 'more interview')} with steps due", key="home_more", on_change="rerun"
    )
for index, (interview_id, steps) in enumerate(groups[:LISTED]):
    first = steps.iloc[0]
    if index >= SHOWN and not more.open:
        break
    where = st.container() if index < SHOWN else more
    with where.container(border=True):
        st.markdown(
            f"**{ui.literal(first.company)}** · {ui.literal(first.stage)} on {first.interview_date:%a %d %b}"
            + (f" · {ui.literal(first.role)}" if isinstance(first.role, str) else "")
        )
        due_steps(int(interview_id), [(r.item, r.title, r.state, r.hours_left) for r in steps.itertuples()])
        st.page_link(
            "pages/followups.py",
            label="Open checklist",
            icon=":material/arrow_forward:",
            query_params={"id": str(interview_id)},
        )
if len(groups) > LISTED and more.open:
    more.caption(
        f"…and {ui.count(len(groups) - LISTED, 'more interview')} with steps due: open them on the Follow-ups page."
    )


def waiting_row(interview_id: int, company: str, stage: str, expected: str) -> None:
    """A round still waiting for word, with the way to its checklist."""
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.markdown(
            f":violet-badge[no word yet] **{ui.literal(company)}** ({ui.literal(stage)}): {ui.literal(expected)} Nudge?"
        )
        st.page_link(
            "pages/followups.py",
            label="Open",
            icon=":material/arrow_forward:",
            query_params={"id": str(interview_id)},
        )


# Rounds waiting for word: past the expected decision date, then past how long their company
# usually takes. The first few show; the rest wait in an expander drawn only when opened.
waiting = []
for row in late.itertuples():
    wait = waits.get(row.interview_id)
    expected = (
        wait.text
        if wait is not None and wait.from_company
        else f"the decision was expected {row.decision_expected_on:%d %b}, {ui.count(int(row.days_late), 'day')} ago."
    )
    waiting.append((row.interview_id, row.company, row.stage, expected))
listed = set(late["interview_id"])
waiting += [
    (w.interview_id, w.company, w.stage, w.text)
    for w in waits.values()
    if w.from_company and w.overdue and w.interview_id not in listed
]
for row in waiting[:WAITING_SHOWN]:
    waiting_row(*row)
if len(waiting) > WAITING_SHOWN:
    rest = st.expander(
        f"{ui.count(len(waiting) - WAITING_SHOWN, 'more round')} waiting for word",
        key="home_waiting",
        on_change="rerun",
    )
    if rest.open:
        with rest:
            for row in waiting[WAITING_SHOWN:LISTED]:
                waiting_row(*row)
            if len(waiting) > LISTED:
                st.caption(f"…and {ui.count(len(waiting) - LISTED, 'more round')} waiting for word.")

left, middle, right = st.columns(3)
left.metric("Interviews", f"{totals['interviews']:,}")
middle.metric("Questions logged", f"{totals['questions']:,}")
right.metric("Awaiting a decision", f"{totals['pending']:,}")

# Look back (issue 16): the interview of a year ago, and the category that moved most lately.
year_ago, change = on_file["year_ago"], on_file["change"]
if year_ago or change:
    st.subheader("Looking back")
if year_ago:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(ui.literal(year_ago.text))
        st.page_link(
            "pages/interviews.py",
            label="Open",
            icon=":material/history:",
            query_params={"id": str(year_ago.interview_id)},
        )
if change:
    st.markdown(
        ui.literal(change.text),
        help=f"Mean rating over the last {lookback.PERIOD_DAYS} days against the {lookback.PERIOD_DAYS} before, "
        f"from {ui.count(change.now_answers, 'answer')} and {ui.count(change.before_answers, 'answer')}.",
    )

st.subheader("Latest interviews")
st.dataframe(
    ui.without_none(on_file["latest"]),
    hide_index=True,
    column_order=("date", "company", "role", "stage", "outcome", "questions", "avg_rating"),
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "company": "Company",
        "role": "Role",
        "stage": "Stage",
        "outcome": "Outcome",
        "questions": "Questions",
        "avg_rating": st.column_config.NumberColumn("Avg rating", format="%.1f"),
    },
)
with st.container(horizontal=True):
    st.page_link("pages/log.py", label="Log an interview", icon=":material/edit_note:")
    st.page_link("pages/interviews.py", label="All interviews", icon=":material/list:")
