"""Company memory: what you know of each company from your own rounds there.

For each company: the rounds so far, the people met, the promises still open
(clarifications not yet sent) and how long it takes to answer. A response
time is the days from a decided round's interview to its ``decided_on`` date;
rounds with no decision date (or decided before the interview, a typo) do not
count. "Usually" is the median. A company's own median is used once it has
``MIN_COMPANY_DECIDED`` timed rounds; before that, the user's overall median.
Companies are matched ignoring case, and shown as most recently spelled.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd

from analysis import sql, text
from analysis.sql import SQL

MIN_COMPANY_DECIDED = 3  # timed rounds before a company's own median is used
MIN_OVERALL_DECIDED = 3  # timed rounds before any "usually" is said

# One row per round with a decision date on or after the interview.
_TIMED = SQL("""
timed AS (
    SELECT id AS interview_id, company, lower(company) AS company_key, stage, outcome, interview_date, decided_on,
           decided_on - interview_date AS days
    FROM interviews WHERE decided_on IS NOT NULL AND decided_on >= interview_date
)
""")


def _over_timed(body: str) -> SQL:
    """``body`` (fixed SQL text) after the ``timed`` rounds: a query, or more CTEs and then a query."""
    return sql.render("WITH {timed}\n{body}", timed=_TIMED, body=SQL(body))


def response_times(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every round with a decision date: interview_id, company, stage, outcome, the dates and ``days`` between."""
    return con.execute(
        _over_timed("SELECT * EXCLUDE (company_key) FROM timed ORDER BY interview_date DESC, interview_id DESC")
    ).df()


def response_time_distribution(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """How many rounds were answered after each number of days, split by outcome (for a histogram)."""
    return con.execute(
        _over_timed("SELECT days, outcome, count(*) AS rounds FROM timed GROUP BY ALL ORDER BY days, outcome")
    ).df()


def overall_median_days(con: duckdb.DuckDBPyConnection) -> float | None:
    """The user's median response time over every timed round, or None below ``MIN_OVERALL_DECIDED``."""
    rounds, median = con.execute(_over_timed("SELECT count(*), median(days) FROM timed")).fetchone()
    return float(median) if rounds >= MIN_OVERALL_DECIDED else None


def memory(con: duckdb.DuckDBPyConnection, company: str | None = None) -> pd.DataFrame:
    """One row per company (or only ``company``), most recent first.

    Columns: company, rounds, first and last round dates, stages (in date
    order), people (names met, first met first), open_promises, timed_rounds,
    median_days (the company's own, None below ``MIN_COMPANY_DECIDED``) and
    overall_median_days (the user's, the same on every row).
    """
    return con.execute(
        _over_timed(
            """
        , rounds AS (
            SELECT lower(company) AS company_key, arg_max(company, interview_date) AS company, count(*) AS rounds,
                   min(interview_date) AS first_round, max(interview_date) AS last_round,
                   list(stage ORDER BY interview_date, id) AS stages
            FROM interviews WHERE $company IS NULL OR lower(company) = lower($company) GROUP BY company_key
        ),
        people AS (
            SELECT company_key, list(name ORDER BY met) AS people
            FROM (SELECT lower(i.company) AS company_key, p.name, min(i.interview_date) AS met
                  FROM interviewers p JOIN interviews i ON i.id = p.interview_id GROUP BY ALL)
            GROUP BY company_key
        ),
        promises AS (
            SELECT lower(i.company) AS company_key, count(*) AS open_promises
            FROM questions q JOIN interviews i ON i.id = q.interview_id
            WHERE coalesce(trim(q.clarify), '') <> '' AND q.clarified_on IS NULL GROUP BY ALL
        ),
        times AS (SELECT company_key, count(*) AS timed_rounds, median(days) AS median_days FROM timed GROUP BY ALL)
        SELECT r.company, r.rounds, r.first_round, r.last_round, r.stages, coalesce(p.people, []) AS people,
               coalesce(o.open_promises, 0) AS open_promises, coalesce(t.timed_rounds, 0) AS timed_rounds,
               CASE WHEN t.timed_rounds >= $least THEN t.median_days END AS median_days,
               (SELECT CASE WHEN count(*) >= $least_overall THEN median(days) END FROM timed) AS overall_median_days
        FROM rounds r
        LEFT JOIN people p USING (company_key)
        LEFT JOIN promises o USING (company_key)
        LEFT JOIN times t USING (company_key)
        ORDER BY r.last_round DESC, lower(r.company)
        """
        ),
        {"company": company, "least": MIN_COMPANY_DECIDED, "least_overall": MIN_OVERALL_DECIDED},
    ).df()


@dataclasses.dataclass(frozen=True)
class Wait:
    """A round still waiting for an answer, against how long the company (or the user's history) usually takes."""

    interview_id: int
    company: str
    stage: str
    interview_date: dt.date
    waited: int  # days since the interview
    usual: float | None  # median days to an answer, None when there is too little history
    from_company: bool  # ``usual`` is the company's own median, not the overall one

    @property
    def overdue(self) -> bool:
        """Whether it has been longer than usual."""
        return self.usual is not None and self.waited > self.usual

    @property
    def text(self) -> str:
        """ "Northwind usually answers within 6 days; it has been 9." """
        since = f"it has been {text.count(self.waited, 'day')}"
        if self.usual is None:
            return f"No word from {self.company} yet; {since}."
        usual = text.count(round(self.usual), "day")
        if self.from_company:
            return f"{self.company} usually answers within {usual}; {since}."
        return f"Companies usually answer you within {usual} (too few answers from {self.company} to say); {since}."


def no_word_yet(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[Wait]:
    """Every pending round held before ``today``, longest wait first, with how long an answer usually takes."""
    today = today or dt.date.today()
    rows = con.execute(
        _over_timed(
            """
        , company_times AS (SELECT company_key, count(*) AS n, median(days) AS median_days FROM timed GROUP BY ALL),
        overall AS (SELECT count(*) AS n, median(days) AS median_days FROM timed)
        SELECT i.id, i.company, i.stage, i.interview_date, $today - i.interview_date AS waited,
               CASE WHEN c.n >= $least THEN c.median_days
                    WHEN o.n >= $least_overall THEN o.median_days END AS usual,
               coalesce(c.n >= $least, false) AS from_company
        FROM interviews i CROSS JOIN overall o
        LEFT JOIN company_times c ON c.company_key = lower(i.company)
        WHERE i.outcome = 'pending' AND i.interview_date < $today
        ORDER BY waited DESC, i.id
        """
        ),
        {"today": today, "least": MIN_COMPANY_DECIDED, "least_overall": MIN_OVERALL_DECIDED},
    ).fetchall()
    return [Wait(int(i), c, s, d, int(w), None if u is None else float(u), bool(f)) for i, c, s, d, w, u, f in rows]
