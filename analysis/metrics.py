"""Dashboard numbers: SQL over the filtered history, returning small DataFrames.

Every function takes a connection and a ``DashboardFilter`` and aggregates in
DuckDB, so a page never pulls raw rows. Values are bound as parameters; the
filtered history is the same two views (``f_interviews``, ``f_questions``) for
every question the dashboard asks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from analysis import schema, sql, text
from analysis.sql import SQL
from analysis.vocab import DECIDED_OUTCOMES, PASSED_OUTCOMES, STAGES

# Fewer decided interviews than this and the calibration chart claims nothing.
MIN_CALIBRATION_SAMPLE = 20
# Near-duplicate questions: rapidfuzz token_sort_ratio at or above
# schema.SIMILAR_QUESTION_SCORE (78). It joins "Walk me through your resume" with
# "...your CV" and "Design a cache" with "Design a cache please", but keeps
# "Tell me about a conflict" apart from "...a failure" (77) and "Why?" apart from
# "Why do you want to work here?". WRatio and token_set_ratio were tried and
# join questions that merely share words.
# Only the most frequent distinct wordings are compared pairwise (the cost is quadratic).
MAX_WORDINGS_TO_GROUP = 4000


@dataclasses.dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard is narrowed to; empty tuples and None mean "any"."""

    start: dt.date | None = None
    end: dt.date | None = None
    companies: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def params(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "companies": list(self.companies),
            "roles": list(self.roles),
            "stages": list(self.stages),
            "categories": list(self.categories),
        }

    def previous_period(self) -> DashboardFilter | None:
        """The period of equal length just before this one, or None without a full date range."""
        if self.start is None or self.end is None:
            return None
        length = (self.end - self.start).days + 1
        return dataclasses.replace(
            self, start=self.start - dt.timedelta(days=length), end=self.start - dt.timedelta(days=1)
        )


# The filtered history: interviews held by today (one logged ahead is not yet history). With a
# category filter, interviews count when they have at least one question in those categories,
# and only those questions count.
_FILTERED = SQL("""
WITH f_interviews AS (
    SELECT i.*
    FROM interviews i
    WHERE i.interview_date <= current_date
      AND ($start IS NULL OR i.interview_date >= $start)
      AND ($end IS NULL OR i.interview_date <= $end)
      AND (len($companies) = 0 OR list_contains($companies, i.company))
      AND (len($roles) = 0 OR list_contains($roles, i.role))
      AND (len($stages) = 0 OR list_contains($stages, i.stage))
      AND (len($categories) = 0 OR i.id IN (
            SELECT interview_id FROM questions WHERE list_contains($categories, category)))
),
f_questions AS (
    SELECT q.*, i.interview_date, i.company, i.role, i.stage, i.outcome, i.decided_on
    FROM questions q JOIN f_interviews i ON q.interview_id = i.id
    WHERE len($categories) = 0 OR list_contains($categories, q.category)
)
""")


def _over_filtered(body: str) -> SQL:
    """``body`` (fixed SQL text) run over the filtered history's two views."""
    return sql.render("{filtered}\n{body}", filtered=_FILTERED, body=SQL(body))


def _query(con: duckdb.DuckDBPyConnection, body: str, filters: DashboardFilter, **extra) -> pd.DataFrame:
    return con.execute(_over_filtered(body), {**filters.params(), **extra}).df()


@dataclasses.dataclass(frozen=True)
class Headline:
    interviews: int
    questions_rated: int
    average_rating: float | None
    average_rating_change: float | None
    decided: int
    pass_rate: float | None
    offers: int


def headline(con: duckdb.DuckDBPyConnection, filters: DashboardFilter) -> Headline:
    """The headline numbers, with the average rating's change against the previous period."""
    row = con.execute(
        _over_filtered(
            """
        SELECT
            (SELECT count(*) FROM f_interviews),
            (SELECT count(rating) FROM f_questions),
            (SELECT avg(rating) FROM f_questions),
            (SELECT count(*) FROM f_interviews WHERE list_contains($decided, outcome)),
            (SELECT count(*) FROM f_interviews WHERE list_contains($passed, outcome)),
            (SELECT count(*) FROM f_interviews WHERE outcome = 'offer')
        """
        ),
        {**filters.params(), "decided": list(DECIDED_OUTCOMES), "passed": list(PASSED_OUTCOMES)},
    ).fetchone()
    interviews, rated, average, decided, passed, offers = row
    change = None
    previous = filters.previous_period()
    if previous is not None and average is not None:
        (before,) = con.execute(_over_filtered("SELECT avg(rating) FROM f_questions"), previous.params()).fetchone()
        if before is not None:
            change = average - before
    return Headline(
        interviews=interviews,
        questions_rated=rated,
        average_rating=average,
        average_rating_change=change,
        decided=decided,
        pass_rate=passed / decided if decided else None,
        offers=offers,
    )


def filter_options(con: duckdb.DuckDBPyConnection) -> dict:
    """The choices the filters offer: companies, roles, stages and categories in use, and the date span."""
    first, last = con.execute("SELECT min(interview_date), max(interview_date) FROM interviews").fetchone()
    used_stages = {r[0] for r in con.execute("SELECT DISTINCT stage FROM interviews").fetchall()}
    return {
        "start": first,
        "end": last,
        "companies": [
            r[0] for r in con.execute("SELECT DISTINCT company FROM interviews ORDER BY lower(company)").fetchall()
        ],
        "roles": [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT role FROM interviews WHERE role IS NOT NULL ORDER BY lower(role)"
            ).fetchall()
        ],
        "stages": [s for s in STAGES if s in used_stages],
        "categories": [
            r[0]
            for r in con.execute(
                "SELECT c.name FROM categories c WHERE c.name IN (SELECT DISTINCT category FROM questions) "
                "ORDER BY NOT c.builtin, c.added_at, c.name"
            ).fetchall()
        ],
    }


def trend_grain(filters: DashboardFilter, span: tuple[dt.date | None, dt.date | None]) -> str:
    """'week' for a period of up to six months, else 'month'."""
    start = filters.start or span[0]
    end = filters.end or span[1]
    if start is None or end is None:
        return "month"
    return "week" if (end - start).days <= 183 else "month"


def rating_trend(con: duckdb.DuckDBPyConnection, filters: DashboardFilter, grain: str = "month") -> pd.DataFrame:
    """Mean rating per category per week or month, with how many answers stand behind each point."""
    if grain not in ("week", "month"):
        raise ValueError("grain must be 'week' or 'month'")
    return _query(
        con,
        """
        SELECT date_trunc($grain, interview_date)::DATE AS period, category,
               avg(rating) AS mean_rating, count(rating) AS answers
        FROM f_questions WHERE rating IS NOT NULL
        GROUP BY ALL ORDER BY period, category
        """,
        filters,
        grain=grain,
    )


def category_strength(con: duckdb.DuckDBPyConnection, filters: DashboardFilter) -> pd.DataFrame:
    """Mean rating per category, weakest first, with its count and a 95% interval for the mean."""
    frame = _query(
        con,
        """
        SELECT category, avg(rating) AS mean_rating, count(rating) AS answers, stddev_samp(rating) AS sd
        FROM f_questions WHERE rating IS NOT NULL
        GROUP BY category ORDER BY mean_rating, answers DESC, category
        """,
        filters,
    )
    half = 1.96 * frame["sd"] / np.sqrt(frame["answers"])
    frame["low"] = (frame["mean_rating"] - half).clip(lower=1)
    frame["high"] = (frame["mean_rating"] + half).clip(upper=5)
    return frame.drop(columns="sd")


def outcomes_by_month(con: duckdb.DuckDBPyConnection, filters: DashboardFilter) -> pd.DataFrame:
    """Decided rounds per month by outcome (dated by the decision, else the interview)."""
    return _query(
        con,
        """
        SELECT date_trunc('month', coalesce(decided_on, interview_date))::DATE AS month, outcome, count(*) AS rounds
        FROM f_interviews WHERE list_contains($decided, outcome)
        GROUP BY ALL ORDER BY month, outcome
        """,
        filters,
        decided=list(DECIDED_OUTCOMES),
    )


def stage_funnel(con: duckdb.DuckDBPyConnection, filters: DashboardFilter) -> pd.DataFrame:
    """Per stage, in interview order: rounds reached, rounds decided, rounds passed."""
    frame = _query(
        con,
        """
        SELECT stage, count(*) AS reached,
               count(*) FILTER (WHERE list_contains($decided, outcome)) AS decided,
               count(*) FILTER (WHERE list_contains($passed, outcome)) AS passed
        FROM f_interviews GROUP BY stage
        """,
        filters,
        decided=list(DECIDED_OUTCOMES),
        passed=list(PASSED_OUTCOMES),
    )
    frame["order"] = frame["stage"].map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES))
    frame = frame.sort_values("order").drop(columns="order").reset_index(drop=True)
    frame["pass_rate"] = np.where(
        frame["decided"] > 0, frame["passed"] / frame["decided"].where(frame["decided"] > 0), np.nan
    )
    return frame


def calibration(con: duckdb.DuckDBPyConnection, filters: DashboardFilter) -> pd.DataFrame:
    """Decided interviews grouped by their mean self-rating: how many, and how many passed.

    Bands are half-open: [1, 2), [2, 3), [3, 4), [4, 5].
    """
    return _query(
        con,
        """
        , per_interview AS (
            SELECT i.id, i.outcome, avg(q.rating) AS mean_rating
            FROM f_interviews i JOIN f_questions q ON q.interview_id = i.id
            WHERE q.rating IS NOT NULL AND list_contains($decided, i.outcome)
            GROUP BY i.id, i.outcome
        )
        SELECT least(floor(mean_rating), 4)::INTEGER AS band,
               count(*) AS interviews,
               count(*) FILTER (WHERE list_contains($passed, outcome)) AS passed,
               avg(mean_rating) AS mean_rating
        FROM per_interview GROUP BY band ORDER BY band
        """,
        filters,
        decided=list(DECIDED_OUTCOMES),
        passed=list(PASSED_OUTCOMES),
    ).assign(pass_rate=lambda d: d["passed"] / d["interviews"])


@dataclasses.dataclass(frozen=True)
class CalibrationVerdict:
    sample: int
    enough: bool
    message: str


def calibration_verdict(bands: pd.DataFrame) -> CalibrationVerdict:
    """Say what the calibration bands support, and nothing when the sample is small."""
    sample = int(bands["interviews"].sum()) if len(bands) else 0
    if sample < MIN_CALIBRATION_SAMPLE:
        return CalibrationVerdict(
            sample,
            False,
            f"{text.count(sample, 'decided interview')} with rated answers: too few to say whether "
            f"feeling good predicts advancing (at least {MIN_CALIBRATION_SAMPLE} are needed).",
        )
    high = bands[bands["band"] >= 4]
    low = bands[bands["band"] <= 2]
    if high["interviews"].sum() < 5 or low["interviews"].sum() < 5:
        return CalibrationVerdict(
            sample, True, f"{sample} decided interviews, but too few at one end of the scale to compare."
        )
    high_rate = high["passed"].sum() / high["interviews"].sum()
    low_rate = low["passed"].sum() / low["interviews"].sum()
    gap = high_rate - low_rate
    if abs(gap) < 0.1:
        finding = "how you rate yourself says little about whether you advance"
    elif gap > 0:
        finding = "when you feel good about your answers, you usually do advance more"
    else:
        finding = "you advance less when you feel good: your self-ratings may be off"
    return CalibrationVerdict(
        sample,
        True,
        f"Over {sample} decided interviews, {finding}: {high_rate:.0%} passed when you averaged 4 or more, "
        f"{low_rate:.0%} when you averaged under 3.",
    )


def reaction_vs_rating(con: duckdb.DuckDBPyConnection, filters: DashboardFilter) -> pd.DataFrame:
    """Answers per (rating, interviewer reaction), flagging where the two disagree."""
    frame = _query(
        con,
        """
        SELECT rating, reaction, count(*) AS answers
        FROM f_questions WHERE rating IS NOT NULL AND reaction IS NOT NULL
        GROUP BY ALL ORDER BY rating, reaction
        """,
        filters,
    )
    frame["rating"] = frame["rating"].astype("int64")
    frame["disagreement"] = np.select(
        [
            (frame["rating"] >= 4) & (frame["reaction"] == "negative"),
            (frame["rating"] <= schema.WEAK_RATING) & (frame["reaction"] == "positive"),
        ],
        ["you rated it high; they did not", "you rated it low; they liked it"],
        default="",
    )
    return frame


def weak_answers(
    con: duckdb.DuckDBPyConnection, filters: DashboardFilter, limit: int = 15, max_mean: float = 3.0
) -> pd.DataFrame:
    """The lowest-rated questions, with repeats of the same or nearly the same question grouped.

    Wordings with one ``schema.question_key`` are the same question (as for
    practice cards); keys that rapidfuzz scores at least
    ``schema.SIMILAR_QUESTION_SCORE`` apart are grouped too.

    Each row: the usual wording, how many times it was asked (and how many
    wordings were grouped), mean and latest rating, the latest better-answer
    draft, and ``texts`` (every wording, as typed) for ``answers_behind``.
    """
    # Group by the raw text first (cheap), then normalise only the distinct
    # texts: normalising every row with a regex costs more than all else here.
    exact = _query(
        con,
        sql.render(
            """
        , per_text AS (
            SELECT question,
                   count(*) AS asked,
                   sum(rating) AS rating_sum,
                   max({{'d': interview_date, 'i': id}}) AS latest_key,
                   arg_max(rating, (interview_date, id)) AS latest_rating,
                   arg_max(better_answer, (interview_date, id)) FILTER (WHERE better_answer IS NOT NULL)
                       AS better_answer,
                   max({{'d': interview_date, 'i': id}}) FILTER (WHERE better_answer IS NOT NULL) AS better_key
            FROM f_questions WHERE rating IS NOT NULL
            GROUP BY question
        )
        SELECT {key} AS key,
               arg_max(question, latest_key) AS wording,
               list(question ORDER BY question) AS texts,
               sum(asked) AS asked,
               sum(rating_sum) AS rating_sum,
               max(latest_key).d AS latest_date,
               arg_max(latest_rating, latest_key) AS latest_rating,
               arg_max(better_answer, better_key) FILTER (WHERE better_answer IS NOT NULL) AS better_answer,
               max(better_key).d AS better_answer_date
        FROM per_text
        GROUP BY key ORDER BY asked DESC, key
        """,
            key=schema.question_key_sql("question"),
        ),
        filters,
    )
    if exact.empty:
        return pd.DataFrame(
            columns=[
                "question",
                "asked",
                "wordings",
                "mean_rating",
                "latest_rating",
                "latest_date",
                "better_answer",
                "texts",
            ]
        )
    exact["group"] = group_similar(exact["key"].tolist())
    by_group = exact.groupby("group", sort=False)
    latest = exact.loc[by_group["latest_date"].idxmax()].set_index("group")
    drafted = exact.dropna(subset=["better_answer_date"])
    drafts = drafted.loc[drafted.groupby("group")["better_answer_date"].idxmax()].set_index("group")
    grouped = pd.DataFrame(
        {
            "question": exact.loc[by_group.size().index, "wording"].to_numpy(),
            "asked": by_group["asked"].sum().astype("int64"),
            "wordings": by_group.size(),
            "mean_rating": by_group["rating_sum"].sum() / by_group["asked"].sum(),
            "latest_rating": latest["latest_rating"].astype("int64"),
            "latest_date": latest["latest_date"],
            "better_answer": drafts["better_answer"].reindex(by_group.size().index),
            "texts": by_group["texts"].agg(lambda lists: [text for texts in lists for text in texts]),
        }
    )
    grouped = grouped[grouped["mean_rating"] <= max_mean]
    return grouped.sort_values(["mean_rating", "asked"], ascending=[True, False]).head(limit).reset_index(drop=True)


def group_similar(texts: list[str], score: int = schema.SIMILAR_QUESTION_SCORE) -> list[int]:
    """For each text, the index of the text that leads its group of near-duplicates.

    ``texts`` should come most frequent first: each ungrouped text in turn leads
    a group of every ungrouped text that rapidfuzz's token_sort_ratio scores at or above ``score``
    against it. Past ``MAX_WORDINGS_TO_GROUP`` texts, the rest stay on their own.
    """
    leaders = list(range(len(texts)))
    head = texts[:MAX_WORDINGS_TO_GROUP]
    if len(head) < 2:
        return leaders
    scores = process.cdist(
        head,
        head,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=score,
        dtype=np.uint8,
        workers=-1,
    )
    assigned = np.zeros(len(head), dtype=bool)
    for i in range(len(head)):
        if assigned[i]:
            continue
        members = np.flatnonzero((scores[i] >= score) & ~assigned)
        assigned[members] = True
        assigned[i] = True
        for m in members:
            leaders[m] = i
    return leaders


def answers_behind(
    con: duckdb.DuckDBPyConnection,
    filters: DashboardFilter,
    *,
    category: str | None = None,
    period: dt.date | None = None,
    grain: str = "month",
    texts: list[str] | None = None,
    outcome: str | None = None,
    month: dt.date | None = None,
    stage: str | None = None,
    rating: int | None = None,
    reaction: str | None = None,
    band: int | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """The rated answers behind a selected mark: each with its interview's id, newest first.

    At most ``limit`` rows; the ``total`` column says how many match in all.
    """
    if grain not in ("week", "month"):
        raise ValueError("grain must be 'week' or 'month'")
    return _query(
        con,
        """
        , bands AS (
            SELECT interview_id, least(floor(avg(rating)), 4)::INTEGER AS band
            FROM f_questions WHERE rating IS NOT NULL GROUP BY interview_id
        )
        SELECT q.interview_id, q.interview_date AS date, q.company, q.stage, q.question, q.category,
               q.rating, q.reaction, q.better_answer, count(*) OVER () AS total
        FROM f_questions q LEFT JOIN bands b USING (interview_id)
        WHERE q.rating IS NOT NULL
          AND ($category IS NULL OR q.category = $category)
          AND ($period IS NULL OR date_trunc($grain, q.interview_date) = $period)
          AND ($texts IS NULL OR list_contains($texts, q.question))
          AND ($outcome IS NULL OR q.outcome = $outcome)
          AND ($month IS NULL OR date_trunc('month', coalesce(q.decided_on, q.interview_date)) = $month)
          AND ($stage IS NULL OR q.stage = $stage)
          AND ($rating IS NULL OR q.rating = $rating)
          AND ($reaction IS NULL OR q.reaction = $reaction)
          AND ($band IS NULL OR (b.band = $band AND list_contains($decided, q.outcome)))
        ORDER BY q.interview_date DESC, q.interview_id DESC, q.position
        LIMIT $limit
        """,
        filters,
        category=category,
        period=period,
        grain=grain,
        texts=texts,
        outcome=outcome,
        month=month,
        stage=stage,
        rating=rating,
        reaction=reaction,
        band=band,
        decided=list(DECIDED_OUTCOMES),
        limit=limit,
    )


def has_history(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """How many interviews and rated answers exist at all (for empty-state guidance)."""
    return con.execute("SELECT (SELECT count(*) FROM interviews), (SELECT count(rating) FROM questions)").fetchone()
