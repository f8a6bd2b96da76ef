"""The demo history: deterministic, shaped like a real search, and never mixed with real records."""

import datetime as dt
import re
import subprocess
import sys

import duckdb
import pytest

from analysis import demo, demo_insights, interviews, practice, schema, sql, store, stories
from analysis.vocab import BUILTIN_CATEGORIES, DECIDED_OUTCOMES, FORMATS, OUTCOMES, PASSED_OUTCOMES, STAGES

TODAY = dt.date(2026, 6, 1)
TABLES = ("interviews", "interviewers", "questions")


def _rows(con) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


def _count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _generate_into(path, **kwargs) -> dict[str, list[tuple]]:
    con = store.connect(path).cursor()
    try:
        demo.generate(con, today=TODAY, **kwargs)
        return _rows(con)
    finally:
        con.close()
        store.close(path)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A cursor on the default 400-interview demo, generated once for the read-only tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path).cursor()
    summary = demo.generate(con, today=TODAY)
    assert summary == demo.DemoSummary(interviews=400, questions=_count(con, "questions"), upcoming=3)
    yield con
    con.close()
    store.close(path)


def test_same_seed_gives_identical_rows_and_another_seed_differs(tmp_path):
    first = _generate_into(tmp_path / "a.duckdb", interviews=150, seed=3)
    again = _generate_into(tmp_path / "b.duckdb", interviews=150, seed=3)
    other = _generate_into(tmp_path / "c.duckdb", interviews=150, seed=4)

    assert first == again
    assert (
        len(first["interviews"]) == 150 + len(demo_insights.UPCOMING_DAYS)
        and first["questions"]
        and first["interviewers"]
    )
    for table in TABLES:
        assert first[table] != other[table]


def test_every_stage_format_and_outcome_appears(history):
    for column, expected in (("stage", STAGES), ("format", FORMATS), ("outcome", OUTCOMES)):
        seen = {r[0] for r in history.execute(f"SELECT DISTINCT {column} FROM interviews").fetchall()}
        assert seen == set(expected), column


def test_many_companies_roles_recruiters_and_interviewers(history):
    companies, roles, recruiters, agencies = history.execute(
        "SELECT count(DISTINCT company), count(DISTINCT role), count(DISTINCT recruiter), "
        "count(DISTINCT split_part(recruiter, ':', 1)) FROM interviews"
    ).fetchone()
    assert companies >= 40 and roles >= 8 and recruiters >= 50 and agencies >= 5
    people, titled, with_people = history.execute(
        "SELECT count(*), count(title), count(DISTINCT interview_id) FROM interviewers"
    ).fetchone()
    assert people > 400 and titled > 0.8 * people and with_people > 0.8 * 400
    filled = history.execute(
        "SELECT count(role_notes), count(company_notes), count(people_notes), count(culture_notes), "
        "count(questions_to_ask), count(DISTINCT people_notes) FROM interviews"
    ).fetchone()
    assert all(40 <= n <= 300 for n in filled[:5]), filled
    assert filled[5] > 30  # varied, not one sentence repeated


def test_questions_average_about_eight_with_contiguous_positions(history):
    mean, fewest, most = history.execute(
        "SELECT avg(n), min(n), max(n) FROM (SELECT count(q.id) AS n FROM interviews i "
        "LEFT JOIN questions q ON q.interview_id = i.id WHERE i.interview_date < ? GROUP BY i.id)",
        [TODAY],  # the rounds still to come have no questions yet
    ).fetchone()
    assert 7.0 <= mean <= 9.0 and fewest >= 3 and most <= 13
    gaps = history.execute(
        "SELECT count(*) FROM (SELECT interview_id FROM questions GROUP BY interview_id "
        "HAVING min(position) <> 1 OR max(position) <> count(*) OR count(DISTINCT position) <> count(*))"
    ).fetchone()[0]
    assert gaps == 0
    repeated, distinct = history.execute(
        "SELECT max(n), count(*) FROM (SELECT question, count(*) AS n FROM questions GROUP BY question)"
    ).fetchone()
    assert distinct >= 80 and repeated >= 50  # classic questions recur across interviews
    categories = {r[0] for r in history.execute("SELECT DISTINCT category FROM questions").fetchall()}
    assert categories == set(BUILTIN_CATEGORIES)


def test_dates_span_eighteen_months_with_decisions_after_interviews(history):
    first, last, timed = history.execute(
        "SELECT min(interview_date), max(interview_date), count(interview_time) / count(*) FROM interviews "
        "WHERE interview_date < ?",
        [TODAY],
    ).fetchone()
    assert TODAY - dt.timedelta(days=560) <= first <= TODAY - dt.timedelta(days=480)
    assert TODAY - dt.timedelta(days=7) <= last < TODAY
    assert timed > 0.8
    bad = history.execute(
        "SELECT count(*) FROM interviews WHERE (list_contains(?, outcome) AND NOT decided_on > interview_date) "
        "OR (outcome = 'pending' AND decided_on IS NOT NULL) OR decided_on >= ?",
        [list(DECIDED_OUTCOMES), TODAY],
    ).fetchone()[0]
    assert bad == 0
    recent_pending, old_pending = history.execute(
        "SELECT avg((outcome = 'pending')::INT) FILTER (WHERE interview_date >= ?), "
        "avg((outcome = 'pending')::INT) FILTER (WHERE interview_date < ?) FROM interviews",
        [TODAY - dt.timedelta(days=7), TODAY - dt.timedelta(days=60)],
    ).fetchone()
    assert recent_pending > 0.5 and old_pending == 0


def test_a_few_rounds_are_logged_ahead_as_the_next_round_of_an_advanced_process(history):
    ahead = history.execute(
        "SELECT id, company, role, stage, outcome, interview_date - ? AS days, interview_time FROM interviews "
        "WHERE interview_date >= ? ORDER BY interview_date",
        [TODAY, TODAY],
    ).fetchall()
    assert [row[5] for row in ahead] == list(demo_insights.UPCOMING_DAYS)  # tomorrow first: "prepare for ... tomorrow"
    for interview_id, company, role, stage, outcome, _, at in ahead:
        assert outcome == "pending" and at is not None and stage != "other"
        assert history.execute("SELECT count(*) FROM questions WHERE interview_id = ?", [interview_id]).fetchone() == (
            0,
        )
        earlier = history.execute(
            "SELECT outcome, (SELECT name FROM interviewers WHERE interview_id = i.id AND position = 1) FROM interviews i "
            "WHERE company = ? AND role IS NOT DISTINCT FROM ? AND interview_date < ? ORDER BY interview_date DESC LIMIT 1",
            [company, role, TODAY],
        ).fetchone()
        (panel,) = history.execute("SELECT name FROM interviewers WHERE interview_id = ?", [interview_id]).fetchone()
        assert earlier == ("advanced", panel)  # the person who led the last round is on the panel again
        assert not history.execute("SELECT 1 FROM followups WHERE interview_id = ?", [interview_id]).fetchall()


def test_ratings_improve_in_behavioral_and_technical_but_not_salary(history):
    change = dict(
        history.execute(
            """
            SELECT category,
                   avg(rating) FILTER (WHERE interview_date >= ?) - avg(rating) FILTER (WHERE interview_date < ?)
            FROM questions q JOIN interviews i ON i.id = q.interview_id
            GROUP BY category
            """,
            [TODAY - dt.timedelta(days=91), TODAY - dt.timedelta(days=548 - 91)],
        ).fetchall()
    )
    assert change["behavioral"] > 0.7
    assert change["technical"] > 0.7
    assert abs(change["salary/logistics"]) < 0.3


def test_better_rated_interviews_pass_more_often(history):
    strong, weak = history.execute(
        """
        WITH rated AS (
            SELECT i.outcome, avg(q.rating) AS mean FROM interviews i JOIN questions q ON q.interview_id = i.id
            WHERE i.outcome <> 'pending' GROUP BY i.id, i.outcome
        )
        SELECT avg(list_contains($passed, outcome)::INT) FILTER (WHERE mean >= 4),
               avg(list_contains($passed, outcome)::INT) FILTER (WHERE mean < 3)
        FROM rated
        """,
        {"passed": list(PASSED_OUTCOMES)},
    ).fetchone()
    assert strong > weak + 0.3


def test_reactions_follow_ratings_but_sometimes_disagree(history):
    positive_when_strong, positive_when_weak, disagreements = history.execute(
        "SELECT avg((reaction = 'positive')::INT) FILTER (WHERE rating = 5), "
        "avg((reaction = 'positive')::INT) FILTER (WHERE rating <= 2), "
        "count(*) FILTER (WHERE (rating <= 2 AND reaction = 'positive') OR (rating >= 4 AND reaction = 'negative')) "
        "FROM questions WHERE reaction IS NOT NULL"
    ).fetchone()
    assert positive_when_strong > 0.5
    assert positive_when_weak < 0.1
    assert disagreements > 0


def test_weak_answers_mostly_have_a_better_answer_draft(history):
    weak_drafted, strong_drafted, promises = history.execute(
        "SELECT avg((better_answer IS NOT NULL)::INT) FILTER (WHERE rating <= 2), "
        "avg((better_answer IS NOT NULL)::INT) FILTER (WHERE rating >= 4), count(clarify) FROM questions"
    ).fetchone()
    assert weak_drafted > 0.7 and strong_drafted == 0
    assert promises > 50


def test_app_insert_after_demo_gets_a_new_id(con, sample_interview):
    summary = demo.generate(con, interviews=50, today=TODAY)
    last_interview = con.execute("SELECT max(id) FROM interviews").fetchone()[0]
    last_question = con.execute("SELECT max(id) FROM questions").fetchone()[0]

    saved = interviews.save_interview(con, sample_interview)

    assert saved.id > last_interview
    assert min(q.id for q in saved.questions) > last_question
    assert interviews.load_interview(con, saved.id).company == "Northwind"
    assert interviews.counts(con)["interviews"] == 50 + summary.upcoming + 1


def test_refuses_a_database_with_real_interviews_and_leaves_it_unchanged(con, db_path, sample_interview):
    interviews.save_interview(con, sample_interview)
    before = _rows(con)

    for replace in (False, True):
        with pytest.raises(store.StoreError) as raised:
            demo.generate(con, interviews=20, today=TODAY, replace=replace)
        message = str(raised.value)
        assert message.startswith(f"{db_path.resolve()} already holds 1 interview; demo data is only written")
        assert "Use --db to name another file." in message

    assert _rows(con) == before
    assert not store.is_demo(con)


def test_replace_rewrites_a_demo_database(con):
    demo.generate(con, interviews=60, seed=1, today=TODAY)
    before = _rows(con)

    with pytest.raises(store.StoreError, match="--replace"):
        demo.generate(con, interviews=30, seed=2, today=TODAY)
    assert _rows(con) == before

    summary = demo.generate(con, interviews=30, seed=2, today=TODAY, replace=True)

    assert summary.interviews == 30 and _count(con, "interviews") == 30 + summary.upcoming
    assert summary.questions == _count(con, "questions")
    orphans = con.execute(
        "SELECT (SELECT count(*) FROM questions WHERE interview_id NOT IN (SELECT id FROM interviews)) "
        "+ (SELECT count(*) FROM interviewers WHERE interview_id NOT IN (SELECT id FROM interviews))"
    ).fetchone()[0]
    assert orphans == 0
    assert store.is_demo(con)


def test_cli_writes_demo_database(tmp_path, repo_root):
    path = tmp_path / "cli.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "demo", "--db", str(path), "--interviews", "50"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(
        r"Wrote 50 demo interviews with ([\d,]+) questions(?:, and (\d) interviews? still to come,)? to (.+) in [\d.]+ s\n",
        result.stdout,
    )
    assert match and match[3] == str(path.resolve()), result.stdout
    with duckdb.connect(str(path), read_only=True) as con:
        assert _count(con, "interviews") == 50 + int(match[2] or 0)
        assert _count(con, "questions") == int(match[1].replace(",", ""))
        assert con.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone() == ("true",)


@pytest.mark.parametrize("count", ["0", "abc"])
def test_cli_rejects_a_bad_interview_count(tmp_path, repo_root, count):
    path = tmp_path / "cli.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "demo", "--db", str(path), "--interviews", count],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--interviews" in result.stderr
    assert not path.exists()


def test_replace_leaves_nothing_of_the_old_history_behind(con):
    demo.generate(con, interviews=60, seed=1, today=TODAY)
    practice.sync(con)
    old_questions = {r[0] for r in con.execute("SELECT id FROM questions").fetchall()}
    held = {table: _count(con, table) for table in ("practice_cards", "practice_reviews", "practice_seen")}
    assert all(held.values()), f"practice should have built cards from the first history: {held}"

    demo.generate(con, interviews=30, seed=2, today=TODAY, replace=True)

    assert {table: _count(con, table) for table in held} == dict.fromkeys(held, 0)
    for owned in schema.INTERVIEW_OWNED:
        parent = "questions" if owned.via_question else "interviews"
        orphans = con.execute(
            sql.render(
                "SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM {parent})",
                table=owned.table,
                column=owned.column,
                parent=parent,
            )
        ).fetchone()[0]
        assert orphans == 0, f"{owned.table} kept rows of the replaced history"
    assert not old_questions & {r[0] for r in con.execute("SELECT id FROM questions").fetchall()}
    assert practice.sync(con).cards_created > 0, "the new history builds its own cards"


def test_demo_predictions_are_overconfident_and_mostly_given(history):
    given, said, advanced = history.execute(
        "SELECT avg((predicted_advance IS NOT NULL)::INT), avg(predicted_advance) / 100, "
        "avg(list_contains($passed, outcome)::INT) FILTER (WHERE predicted_advance IS NOT NULL) "
        "FROM interviews WHERE list_contains($decided, outcome)",
        {"passed": list(PASSED_OUTCOMES), "decided": list(DECIDED_OUTCOMES)},
    ).fetchone()
    assert 0.6 < given < 0.8
    assert said > advanced + 0.1, "the demo candidate should expect to advance more often than they do"


def test_demo_stories_are_told_at_many_companies_in_their_own_categories(history):
    told = history.execute(
        "SELECT count(*), count(DISTINCT i.company), count(*) FILTER (WHERE c.story_id IS NULL) "
        "FROM question_stories l JOIN questions q ON q.id = l.question_id JOIN interviews i ON i.id = q.interview_id "
        "LEFT JOIN story_competencies c ON c.story_id = l.story_id AND c.competency = q.category"
    ).fetchone()
    links, companies, off_topic = told
    assert links > 200 and companies > 20 and off_topic == 0


def test_replace_keeps_one_story_bank_and_no_stale_links(con):
    demo.generate(con, interviews=60, seed=1, today=TODAY)
    demo.generate(con, interviews=30, seed=2, today=TODAY, replace=True)
    assert _count(con, "stories") == len(demo.STORIES)
    stale = "SELECT count(*) FROM question_stories WHERE story_id NOT IN (SELECT id FROM stories)"
    assert con.execute(stale).fetchone()[0] == 0


def test_refuses_a_database_holding_only_your_own_stories(con):
    stories.save_story(con, stories.Story("Kafka migration"))
    with pytest.raises(store.StoreError, match="already holds 1 story"):
        demo.generate(con, interviews=10, today=TODAY)
    assert _count(con, "stories") == 1 and _count(con, "interviews") == 0
