"""Look back: a year ago today, and the biggest change in a category lately.

"A year ago today" is the interview held closest to the same day a year
earlier, within ``YEAR_AGO_WINDOW`` days either side (the earlier one on a
tie). The biggest change compares each category's mean rating over the last
``PERIOD_DAYS`` days with the ``PERIOD_DAYS`` before; a category counts only
with ``MIN_ANSWERS`` rated answers in both periods, and a change smaller than
``MIN_CHANGE`` points is noise, not news.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb

from analysis import text

YEAR_AGO_WINDOW = 14
PERIOD_DAYS = 90
MIN_ANSWERS = 5
MIN_CHANGE = 0.3


@dataclasses.dataclass(frozen=True)
class YearAgo:
    """The interview of about a year ago, and how it went."""

    interview_id: int
    company: str
    stage: str
    date: dt.date
    outcome: str
    answers: int
    mean_rating: float | None
    days_off: int  # from exactly a year ago: negative earlier, positive later

    @property
    def text(self) -> str:
        """ "A year ago today: a technical round at Northwind (7 answers, mean 2.8; rejected)." """
        when = "A year ago today" if self.days_off == 0 else f"A year ago ({self.date:%d %b %Y})"
        rated = f"{text.count(self.answers, 'answer')}, mean {self.mean_rating:.1f}; " if self.mean_rating else ""
        return f"{when}: a {self.stage} round at {self.company} ({rated}{self.outcome})."


def year_ago(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> YearAgo | None:
    """The interview closest to a year before ``today``, within ``YEAR_AGO_WINDOW`` days, or None."""
    today = today or dt.date.today()
    row = con.execute(
        """
        WITH target AS (SELECT ($today::DATE - INTERVAL 1 YEAR)::DATE AS day)
        SELECT i.id, i.company, i.stage, i.interview_date, i.outcome, count(q.rating) AS answers,
               avg(q.rating) AS mean_rating, i.interview_date - t.day AS days_off
        FROM interviews i CROSS JOIN target t LEFT JOIN questions q ON q.interview_id = i.id
        WHERE i.interview_date BETWEEN t.day - $window AND t.day + $window
        GROUP BY i.id, i.company, i.stage, i.interview_date, i.interview_time, i.outcome, t.day
        ORDER BY abs(days_off), i.interview_date, i.interview_time NULLS LAST, i.id
        LIMIT 1
        """,
        {"today": today, "window": YEAR_AGO_WINDOW},
    ).fetchone()
    if row is None:
        return None
    interview_id, company, stage, date, outcome, answers, mean, days_off = row
    return YearAgo(interview_id, company, stage, date, outcome, int(answers), mean, int(days_off))


@dataclasses.dataclass(frozen=True)
class CategoryChange:
    """A category's mean rating in the last period against the one before."""

    category: str
    before: float
    now: float
    before_answers: int
    now_answers: int
    before_start: dt.date
    before_end: dt.date

    @property
    def change(self) -> float:
        return self.now - self.before

    @property
    def text(self) -> str:
        """ "salary/logistics answers: 2.1 in Mar–May, 3.4 now." """
        months = f"{self.before_start:%b}–{self.before_end:%b}"
        if self.before_start.month == self.before_end.month:
            months = f"{self.before_start:%b}"
        return f"{self.category} answers: {self.before:.1f} in {months}, {self.now:.1f} now."


def biggest_change(
    con: duckdb.DuckDBPyConnection, today: dt.date | None = None, days: int = PERIOD_DAYS
) -> CategoryChange | None:
    """The category whose mean rating moved most between the ``days`` before ``today`` and the ``days`` before that.

    None when no category has ``MIN_ANSWERS`` in both periods or none moved ``MIN_CHANGE``.
    """
    today = today or dt.date.today()
    now_start = today - dt.timedelta(days=days - 1)
    before_start = now_start - dt.timedelta(days=days)
    row = con.execute(
        """
        WITH rated AS (
            SELECT q.category, q.rating, i.interview_date >= $now_start AS recent
            FROM questions q JOIN interviews i ON i.id = q.interview_id
            WHERE q.rating IS NOT NULL AND i.interview_date BETWEEN $before_start AND $today
        ),
        periods AS (
            SELECT category,
                   avg(rating) FILTER (WHERE NOT recent) AS before, avg(rating) FILTER (WHERE recent) AS now,
                   count(*) FILTER (WHERE NOT recent) AS before_answers, count(*) FILTER (WHERE recent) AS now_answers
            FROM rated GROUP BY category
        )
        SELECT category, before, now, before_answers, now_answers FROM periods
        WHERE before_answers >= $least AND now_answers >= $least AND abs(now - before) >= $min_change
        ORDER BY abs(now - before) DESC, category
        LIMIT 1
        """,
        {
            "today": today,
            "now_start": now_start,
            "before_start": before_start,
            "least": MIN_ANSWERS,
            "min_change": MIN_CHANGE,
        },
    ).fetchone()
    if row is None:
        return None
    category, before, now, before_answers, now_answers = row
    before_end = now_start - dt.timedelta(days=1)
    return CategoryChange(category, before, now, int(before_answers), int(now_answers), before_start, before_end)
