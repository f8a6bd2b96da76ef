"""Versioned schema migrations, recorded in ``schema_migrations``.

Each migration is a list of statements applied in one transaction together
with the row that records it, so a crash leaves either the old schema or the
new one, never half of a migration. Append new migrations; never edit one that
has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analysis import sql
from analysis.vocab import BUILTIN_CATEGORIES


@dataclass(frozen=True)
class Migration:
    """One schema change: its version, a name saying what it adds, and its statements in order."""

    version: int
    name: str
    statements: tuple[str, ...]


# What the categories table holds at least: the built-in categories, and every category a
# stored question uses (so it stays selectable). Migration 2 fills the new table so; a
# restore from a backup made before it (which has no categories) does the same.
FILL_CATEGORIES = (
    "INSERT INTO categories (name, builtin) SELECT unnest(?::VARCHAR[]), true ON CONFLICT DO NOTHING",
    """
    INSERT INTO categories (name)
    SELECT DISTINCT category FROM questions
    WHERE category NOT IN (SELECT name FROM categories)
    """,
)


def fill_categories(con: duckdb.DuckDBPyConnection) -> None:
    """Add the built-in categories and those the stored questions use, where missing (``FILL_CATEGORIES``)."""
    builtin, used = FILL_CATEGORIES
    con.execute(builtin, [list(BUILTIN_CATEGORIES)])
    con.execute(used)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "interviews and questions",
        (
            "CREATE SEQUENCE interview_id_seq START 1",
            "CREATE SEQUENCE question_id_seq START 1",
            """
            CREATE TABLE interviews (
                id BIGINT PRIMARY KEY DEFAULT nextval('interview_id_seq'),
                company VARCHAR NOT NULL,
                role VARCHAR,
                interview_date DATE NOT NULL,
                interview_time TIME,
                stage VARCHAR NOT NULL DEFAULT 'other',
                format VARCHAR,
                recruiter VARCHAR,
                outcome VARCHAR NOT NULL DEFAULT 'pending',
                decided_on DATE,
                role_notes VARCHAR,
                company_notes VARCHAR,
                people_notes VARCHAR,
                culture_notes VARCHAR,
                questions_to_ask VARCHAR,
                revision INTEGER NOT NULL DEFAULT 1,
                created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
                updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
            )
            """,
            # No foreign keys: DuckDB cannot delete a parent row in the same
            # transaction that deletes its children, which every delete needs.
            """
            CREATE TABLE interviewers (
                interview_id BIGINT NOT NULL,
                position INTEGER NOT NULL,
                name VARCHAR NOT NULL,
                title VARCHAR
            )
            """,
            """
            CREATE TABLE questions (
                id BIGINT PRIMARY KEY DEFAULT nextval('question_id_seq'),
                interview_id BIGINT NOT NULL,
                position INTEGER NOT NULL,
                question VARCHAR NOT NULL,
                category VARCHAR NOT NULL DEFAULT 'other',
                rating TINYINT CHECK (rating BETWEEN 1 AND 5),
                reaction VARCHAR,
                clarify VARCHAR,
                better_answer VARCHAR,
                notes VARCHAR
            )
            """,
        ),
    ),
    Migration(
        2,
        "user-defined question categories",
        (
            """
            CREATE TABLE categories (
                name VARCHAR PRIMARY KEY,
                builtin BOOLEAN NOT NULL DEFAULT false,
                added_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
            )
            """,
            *FILL_CATEGORIES,
        ),
    ),
    Migration(
        3,
        "settings",
        (
            # Small key/value settings: whether this is a demo database, and
            # user preferences that later features add.
            """
            CREATE TABLE settings (
                key VARCHAR PRIMARY KEY,
                value VARCHAR
            )
            """,
        ),
    ),
    Migration(
        4,
        "the 48-hour follow-through",
        (
            # One row per interview once the user records anything of its
            # follow-through; without a row, the checklist is live when the
            # interview was logged within a week of taking place.
            """
            CREATE TABLE followups (
                interview_id BIGINT PRIMARY KEY,
                contact VARCHAR,
                channel VARCHAR,
                follow_up_on DATE,
                decision_expected_on DATE,
                feedback_requested_on DATE,
                feedback VARCHAR,
                feedback_received_on DATE,
                thank_you_sent_at TIMESTAMP,
                linkedin_sent_at TIMESTAMP,
                state VARCHAR CHECK (state IN ('open', 'closed'))
            )
            """,
            # Steps ticked by hand, with when (UTC); undoing a tick deletes its row.
            """
            CREATE TABLE followup_ticks (
                interview_id BIGINT NOT NULL,
                item VARCHAR NOT NULL,
                ticked_at TIMESTAMP NOT NULL,
                PRIMARY KEY (interview_id, item)
            )
            """,
        ),
    ),
    Migration(
        5,
        "practice cards and sent clarifications",
        (
            "ALTER TABLE questions ADD COLUMN clarified_on DATE",
            "CREATE SEQUENCE card_id_seq START 1",
            # One card per question (as keyed by schema.question_key);
            # ``fsrs`` is the fsrs package's Card as JSON, ``due`` its due time in UTC.
            """
            CREATE TABLE practice_cards (
                id BIGINT PRIMARY KEY DEFAULT nextval('card_id_seq'),
                question_key VARCHAR NOT NULL,
                question VARCHAR NOT NULL,
                category VARCHAR,
                better_answer VARCHAR,
                fsrs VARCHAR NOT NULL,
                due TIMESTAMP NOT NULL,
                agains INTEGER NOT NULL DEFAULT 0,
                created_at TIMESTAMP NOT NULL
            )
            """,
            # Every grade a card got: from practice, or from a real interview's rating.
            """
            CREATE TABLE practice_reviews (
                card_id BIGINT NOT NULL,
                reviewed_at TIMESTAMP NOT NULL,
                grade VARCHAR NOT NULL CHECK (grade IN ('again', 'hard', 'good', 'easy')),
                source VARCHAR NOT NULL CHECK (source IN ('practice', 'interview')),
                question_id BIGINT,
                due_after TIMESTAMP NOT NULL
            )
            """,
            # Real answers already folded into a card (or seen and left out), so
            # each is counted once.
            "CREATE TABLE practice_seen (question_id BIGINT NOT NULL, card_id BIGINT)",
        ),
    ),
    Migration(
        6,
        "predictions and the story bank",
        (
            # "How likely are you to advance?" in percent. DuckDB cannot add a
            # column with a CHECK constraint, so interviews.validate keeps it to 0-100.
            "ALTER TABLE interviews ADD COLUMN predicted_advance SMALLINT",
            "CREATE SEQUENCE story_id_seq START 1",
            """
            CREATE TABLE stories (
                id BIGINT PRIMARY KEY DEFAULT nextval('story_id_seq'),
                title VARCHAR NOT NULL,
                situation VARCHAR,
                task VARCHAR,
                action VARCHAR,
                result VARCHAR,
                created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
                updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
                revision INTEGER NOT NULL DEFAULT 1
            )
            """,
            # The user's own tags, lower case; no keys, like interviewers, so a
            # story's tags can be rewritten in the transaction that edits it.
            "CREATE TABLE story_competencies (story_id BIGINT NOT NULL, competency VARCHAR NOT NULL)",
            # The story told in an answer; an answer may draw on more than one.
            "CREATE TABLE question_stories (question_id BIGINT NOT NULL, story_id BIGINT NOT NULL)",
        ),
    ),
    Migration(
        7,
        "drafts of the capture form",
        (
            # What the Log page holds but has not saved, written on every change so
            # a reload or a closed tab loses nothing. One row per form: "new:<token>"
            # for a new interview, "interview:<id>" for an edit. ``content`` is JSON.
            # No key on interview_id: a draft outlives its interview deleted elsewhere.
            """
            CREATE TABLE drafts (
                draft_key VARCHAR PRIMARY KEY,
                interview_id BIGINT,
                company VARCHAR,
                content VARCHAR NOT NULL,
                started_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
                updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
            )
            """,
        ),
    ),
    Migration(
        8,
        "data version shared by every program",
        (
            # Every write transaction appends a row (sql.write_transaction); the newest
            # version is what caches key on, so a change made by the command line shows
            # in the app. A sequence, not max()+1, so concurrent writers never collide.
            "CREATE SEQUENCE data_version_seq START 1",
            "CREATE TABLE data_changes (version BIGINT NOT NULL DEFAULT nextval('data_version_seq'))",
            "INSERT INTO data_changes DEFAULT VALUES",
        ),
    ),
    Migration(
        9,
        "question ids without an index",
        (
            # A question's id comes only from question_id_seq (a restore checks its ids are
            # distinct), and finding one by id needs no index: after a million-row import, an
            # update by id scanning the whole column took under 2 ms. The primary key's index
            # only cost time: about 0.3 s of every million answers imported (built row by row,
            # written at commit). DuckDB cannot drop a constraint, so the table is rebuilt with
            # the same columns, defaults and checks.
            """
            CREATE TABLE questions_rebuilt (
                id BIGINT NOT NULL DEFAULT nextval('question_id_seq'),
                interview_id BIGINT NOT NULL,
                position INTEGER NOT NULL,
                question VARCHAR NOT NULL,
                category VARCHAR NOT NULL DEFAULT 'other',
                rating TINYINT CHECK (rating BETWEEN 1 AND 5),
                reaction VARCHAR,
                clarify VARCHAR,
                better_answer VARCHAR,
                notes VARCHAR,
                clarified_on DATE
            )
            """,
            "INSERT INTO questions_rebuilt BY NAME SELECT * FROM questions ORDER BY id",
            "DROP TABLE questions",
            "ALTER TABLE questions_rebuilt RENAME TO questions",
        ),
    ),
)

# Parameters for statements that take them, by (version, statement index).
_PARAMETERS = {(2, 1): [list(BUILTIN_CATEGORIES)]}


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )


def latest_version() -> int:
    """The newest schema version this Debrief knows."""
    return MIGRATIONS[-1].version


def has_marker(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con``'s database carries Debrief's marker, the ``schema_migrations`` table (read only)."""
    (found,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'schema_migrations' AND NOT temporary"
    ).fetchone()
    return found > 0


def applied(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Return the versions recorded in ``schema_migrations``, oldest first."""
    _ensure_table(con)
    rows = con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [r[0] for r in rows]


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Return the migrations not yet applied to ``con``'s database, in order."""
    done = set(applied(con))
    return [m for m in MIGRATIONS if m.version not in done]


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply pending migrations up to version ``upto`` (default: all).

    Each migration runs in its own transaction with the row recording it.
    Returns the versions applied by this call.
    """
    done = []
    for migration in pending(con):
        if upto is not None and migration.version > upto:
            break
        with sql.transaction(con):
            for index, statement in enumerate(migration.statements):
                con.execute(statement, _PARAMETERS.get((migration.version, index)))
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
        done.append(migration.version)
    return done
