"""Hostile text in every field never becomes Markdown: every page, through AppTest.

AppTest exposes what a page sends to the browser: for Markdown (st.markdown,
captions, headings, alerts) and for labels and tooltips, the Markdown *source*.
So the test reads that source and asserts that each dangerous form appears only
escaped (``\\!\\[``, ``\\<img``...), never as raw Markdown that would make the
browser fetch an image, render a tag, a link, bold text or LaTeX.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from analysis import followups, interviews
from analysis.text import markdown_literal

HOSTILE = (
    "![](http://example.invalid/x.png) <img src=http://example.invalid/y.png> <script>alert(1)</script> "
    "**bold** $\\LaTeX$ http://example.invalid/link [link](http://example.invalid)"
)
# Each form as it would appear in Markdown source if it were not escaped.
RAW_FORMS = ["![", "](http", "<img", "<script", "**bold**", "$\\LaTeX$", "http://example", "[link]"]
UNESCAPED = re.compile("|".join(r"(?<!\\)" + re.escape(form) for form in RAW_FORMS))
CATEGORY = "![](http://example.invalid/c.png)"  # categories are kept to 40 characters
MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader", "success", "error", "warning", "info", "toast"}
# Every page the app navigates to, read from app.py so a new page is covered the day it is added.
PAGES = re.findall(r'st\.Page\("pages/([a-z_]+)\.py"', (Path(__file__).resolve().parents[2] / "app.py").read_text())


def _seed(con) -> int:
    """A past round and an upcoming one at a hostile company, hostile text in every free-text field."""
    category = interviews.add_category(con, CATEGORY)
    hostile = {f"{name}": f"{name} {HOSTILE}" for name in ("role", "recruiter", "role_notes", "company_notes")}
    hostile |= {name: f"{name} {HOSTILE}" for name in ("people_notes", "culture_notes", "questions_to_ask")}
    past = interviews.save_interview(
        con,
        interviews.Interview(
            company="Evil " + HOSTILE,
            interview_date=dt.date.today() - dt.timedelta(days=3),
            stage="technical",
            outcome="rejected",
            interviewers=[interviews.Interviewer("Name " + HOSTILE, "Title " + HOSTILE)],
            questions=[
                interviews.Question(
                    f"Question {n} {HOSTILE}",
                    category,
                    rating,
                    clarify="clarify " + HOSTILE,
                    better_answer="answer " + HOSTILE,
                    notes="notes " + HOSTILE,
                )
                for n, rating in ((1, 1), (2, 2), (3, 4))
            ],
            **hostile,
        ),
    )
    interviews.save_interview(
        con,
        interviews.Interview(
            company="Evil " + HOSTILE, interview_date=dt.date.today() + dt.timedelta(days=2), stage="final", **hostile
        ),
    )
    followups.update_followup(
        con, past.id, contact="contact " + HOSTILE, channel="channel " + HOSTILE, feedback="feedback " + HOSTILE
    )
    followups.save_settings(con, followups.Settings(my_name="me " + HOSTILE))
    return past.id


def _shown_markdown(app) -> list[str]:
    """Every string the page hands Streamlit's Markdown renderer: bodies, labels, tooltips, radio options."""
    shown = []
    for node in [*app.main, *app.sidebar]:
        if getattr(node, "type", None) in MARKDOWN_TYPES:
            shown.append(node.value)
        for attribute in ("label", "help"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                shown.append(value)
        if getattr(node, "type", None) == "radio":
            shown += [str(option) for option in node.options]
    return shown


@pytest.fixture
def hostile_id(con):
    return _seed(con)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_user_text_as_markdown(app, hostile_id, page):
    app.query_params["id"] = str(hostile_id)
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, app.exception
    shown = _shown_markdown(app)
    leaks = [text for text in shown if UNESCAPED.search(text)]
    assert not leaks, leaks


@pytest.mark.parametrize(
    ("page", "field_text"),
    [
        ("interviews", "Evil " + HOSTILE),
        ("prepare", "Evil " + HOSTILE),
        ("prepare", CATEGORY),
        ("practice", CATEGORY),
        ("practice", HOSTILE),  # the card's question
        ("log", "Evil " + HOSTILE),
    ],
)
def test_pages_show_the_hostile_text_escaped(app, hostile_id, page, field_text):
    """The sweep above is not vacuous: the hostile text is on these pages, in its escaped form."""
    app.query_params["id"] = str(hostile_id)
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, app.exception
    escaped = markdown_literal(field_text)
    assert any(escaped in text for text in _shown_markdown(app)), _shown_markdown(app)
