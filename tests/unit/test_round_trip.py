"""Export then import into an empty database gives back exactly the same data, for any content."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import export, importing, interviews, store, stories
from analysis.interviews import Interview, Interviewer, Question
from analysis.stories import Story
from analysis.vocab import FORMATS, OUTCOMES, REACTIONS, STAGES

# The importer trims these around values that are not free-text notes.
EDGE_WHITESPACE = " \t\n\v\f\r"
# Stored as named (lower case, single spaces), and some of them synonyms of a built-in category on import.
USER_CATEGORIES = ("tech", "culture", "system design", "my (own) category; really", "=sum(1)")

# Any unicode but surrogates and control characters (a file full of those is not text), with the
# separators, brackets, quotes, line breaks and tabs that a notes file must carry.
characters = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list(";,|()\\\"'\n\r\t=+-@ "))
raw_text = st.text(characters, min_size=1, max_size=30)
formula = st.sampled_from(["=SUM(1)", "+1", "-x", "@me", "'=already", "\tTab", "=A1;B2"])


def _trimmed(text: str) -> str:
    return text.strip(EDGE_WHITESPACE)


# A name, company, role or question: never blank, no edge whitespace (the app and the importer trim them).
word = (raw_text | formula).map(_trimmed).filter(lambda t: t.strip() != "")
# Free-text notes keep their leading and trailing spaces and line breaks, but are never only whitespace.
note = st.none() | (raw_text | formula).filter(lambda t: _trimmed(t) != "" and t.strip() != "")
optional_word = st.none() | word


@st.composite
def an_interviewer(draw) -> Interviewer:
    return Interviewer(draw(word), draw(optional_word))


@st.composite
def a_question(draw) -> Question:
    return Question(
        question=draw(word),
        category=draw(st.sampled_from(("behavioral", "technical", "other", *USER_CATEGORIES))),
        rating=draw(st.none() | st.integers(1, 5)),
        reaction=draw(st.none() | st.sampled_from(REACTIONS)),
        clarify=draw(note),
        better_answer=draw(note),
        notes=draw(note),
    )


@st.composite
def an_interview(draw) -> Interview:
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 1)))
    return Interview(
        company=draw(word),
        role=draw(optional_word),
        interview_date=day,
        interview_time=draw(st.none() | st.times().map(lambda t: t.replace(microsecond=0))),
        stage=draw(st.sampled_from(STAGES)),
        format=draw(st.none() | st.sampled_from(FORMATS)),
        recruiter=draw(optional_word),
        outcome=draw(st.sampled_from(OUTCOMES)),
        decided_on=draw(st.none() | st.dates(day, dt.date(2100, 12, 31))),
        role_notes=draw(note),
        company_notes=draw(note),
        people_notes=draw(note),
        culture_notes=draw(note),
        questions_to_ask=draw(note),
        predicted_advance=draw(st.none() | st.integers(0, 100)),
        interviewers=draw(st.lists(an_interviewer(), max_size=3)),
        questions=draw(st.lists(a_question(), max_size=3)),
    )


@st.composite
def interviews_with_same_day_rounds(draw) -> list[Interview]:
    """Interviews, some of them further rounds on the same day at the same company, role and stage."""
    found = draw(st.lists(an_interview(), min_size=1, max_size=4))
    for base in list(found):
        for _ in range(draw(st.integers(0, 2))):
            twin = draw(an_interview())
            twin.company, twin.role, twin.interview_date, twin.stage = (
                base.company,
                base.role,
                base.interview_date,
                base.stage,
            )
            if twin.decided_on is not None and twin.decided_on < twin.interview_date:
                twin.decided_on = None
            if draw(st.booleans()):
                twin.interview_time = base.interview_time  # even the same time
            found.append(twin)
    return found


@st.composite
def a_story_bank(draw) -> list[Story]:
    """Stories with any text; titles unique (the CSVs name a story by its title), some with formulas."""
    found = []
    for number in range(draw(st.integers(0, 4))):
        title = draw(word).replace("\n", " ")[:70]
        found.append(
            Story(
                # The number keeps titles apart whatever their case; anything may come before it.
                title=f"{title} #{number}",
                situation=draw(note),
                task=draw(note),
                action=draw(note),
                result=draw(note),
                competencies=draw(st.lists(word, max_size=3)),
            )
        )
    return found


def dump(con) -> list[Interview]:
    """Every stored interview with its people and questions, ids left out, in order of content.

    Two interviews on the same day at the same time have no order of their own, so the ids do not decide it.
    """
    ids = con.execute("SELECT id FROM interviews ORDER BY interview_date, interview_time NULLS FIRST, id").fetchall()
    out = []
    for (interview_id,) in ids:
        loaded = interviews.load_interview(con, interview_id)
        loaded.id = loaded.revision = None
        for question in loaded.questions:
            question.id = None
        out.append(loaded)
    return sorted(out, key=repr)


def dump_stories(con) -> tuple[list[tuple], list[tuple]]:
    """Every story (title, STAR parts, competencies) and every link (the answer's interview and text, the title)."""
    bank = []
    for (story_id,) in con.execute("SELECT id FROM stories").fetchall():
        story = stories.load_story(con, story_id)
        bank.append((story.title, *(getattr(story, p) for p in stories.STORY_PARTS), tuple(story.competencies)))
    links = con.execute(
        "SELECT i.interview_date, i.company, i.stage, q.position, q.question, s.title FROM question_stories l "
        "JOIN questions q ON q.id = l.question_id JOIN interviews i ON i.id = q.interview_id "
        "JOIN stories s ON s.id = l.story_id"
    ).fetchall()
    return sorted(bank, key=repr), sorted(links, key=repr)


def export_and_import(
    con, tmp_path, template, *, stories_first: bool = True
) -> tuple[list[Interview], list[Interview], importing.ImportPlan]:
    """The data of ``con`` before, and after an export imported into an empty copy of ``template``.

    The story bank's file is imported too when there are stories (before the notes, or after them).
    """
    data, bank = export.export_csv(con), export.story_bank_csv(con)
    path = tmp_path / "other.duckdb"
    shutil.copyfile(template, path)
    other = store.connect(path).cursor()
    try:
        if stories_first and export.has_stories(con):
            assert importing.import_story_bank_file(other, bank, "export-stories.csv").rows_rejected == 0
        plan, _ = importing.import_file(other, data, "export.csv")
        if not stories_first and export.has_stories(con):
            assert importing.import_story_bank_file(other, bank, "export-stories.csv").rows_rejected == 0
        assert dump_stories(other) == dump_stories(con)
        return dump(con), dump(other), plan
    finally:
        other.close()
        store.close(path)


def _store(con, found: list[Interview], bank: list[Story] = (), links: list[tuple[int, int]] = ()) -> None:
    """Store the interviews, the stories, and each link (nth answer overall, nth story) that exists."""
    for name in USER_CATEGORIES:
        interviews.add_category(con, name)
    answers = []
    for interview in found:
        saved = interviews.save_interview(con, interview)
        answers += [q.id for q in saved.questions]
    story_ids = [stories.save_story(con, story).id for story in bank]
    for answer, story in links:
        if answers and story_ids:
            stories.link_answer(con, answers[answer % len(answers)], story_ids[story % len(story_ids)])


_links = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=6)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(found=interviews_with_same_day_rounds(), bank=a_story_bank(), links=_links)
def test_export_then_import_gives_back_every_stored_field(con, tmp_path, migrated_template, found, bank, links):
    con.execute(
        "DELETE FROM question_stories; DELETE FROM story_competencies; DELETE FROM stories; "
        "DELETE FROM questions; DELETE FROM interviewers; DELETE FROM interviews"
    )
    _store(con, found, bank, links)
    before, after, plan = export_and_import(con, tmp_path, migrated_template)
    assert plan.rows_rejected == 0 and plan.warning_records == [], plan.error_records + plan.warning_records
    assert len(after) == len(before)
    for stored, imported in zip(before, after, strict=True):
        assert imported == stored


def test_same_day_rounds_at_one_company_come_back_as_two_interviews(con, tmp_path, migrated_template):
    first = Interview(company="Acme", interview_date=dt.date(2026, 3, 5), interview_time=dt.time(10), stage="technical")
    second = Interview(
        company="Acme", interview_date=dt.date(2026, 3, 5), interview_time=dt.time(10), stage="technical"
    )
    first.questions = [Question("Same question")]
    second.questions = [Question("Same question")]
    _store(con, [first, second])
    before, after, plan = export_and_import(con, tmp_path, migrated_template)
    assert plan.interviews_added == 2 and len(after) == 2
    assert after == before


@pytest.mark.parametrize(
    ("people", "cell"),
    [
        ([Interviewer("Ana; Ruiz", "VP (Eng)")], "Ana\\; Ruiz (VP \\(Eng\\))"),
        ([Interviewer("Zoë (Zo) Quinn"), Interviewer("Ben", ")")], "Zoë \\(Zo\\) Quinn; Ben (\\))"),
        ([Interviewer("A\\B | C")], "A\\\\B \\| C"),
    ],
)
def test_interviewers_are_written_unambiguously_and_read_back(con, tmp_path, migrated_template, people, cell):
    _store(con, [Interview(company="Acme", interview_date=dt.date(2026, 3, 5), interviewers=people)])
    assert cell in export.export_csv(con).decode()
    before, after, _ = export_and_import(con, tmp_path, migrated_template)
    assert after[0].interviewers == people and after == before


def test_an_older_export_without_the_interview_column_still_imports(con, tmp_path):
    _store(con, [Interview(company="Acme", interview_date=dt.date(2026, 3, 5), questions=[Question("Q")])])
    lines = export.export_csv(con).decode().splitlines()
    older = "\n".join(line.split(",", 1)[1] for line in lines) + "\n"
    other_path = tmp_path / "older.duckdb"
    other = store.connect(other_path).cursor()
    try:
        plan, result = importing.import_file(other, older.encode(), "older.csv")
        assert "interview" not in plan.mapping and result.questions_added == 1
        assert dump(other) == dump(con)
    finally:
        other.close()
        store.close(other_path)


def test_reimporting_an_export_into_its_own_database_adds_nothing(con, tmp_path):
    twins = [
        Interview(company="Acme", interview_date=dt.date(2026, 3, 5), stage="final", questions=[Question("Q1")]),
        Interview(company="Acme", interview_date=dt.date(2026, 3, 5), stage="final", questions=[Question("Q2")]),
    ]
    _store(con, twins)
    plan, result = importing.import_file(con, export.export_csv(con), "export.csv")
    assert (result.rows_imported, result.rows_duplicate) == (0, 2)
    assert con.execute("SELECT count(*) FROM questions").fetchone() == (2,)


@pytest.mark.slow
def test_a_three_megabyte_note_comes_back_whole(con, tmp_path, migrated_template):
    long_note = ('A long note; with (brackets), quotes " and\nline breaks. ' * 60_000)[: 3 * 1024 * 1024]
    _store(con, [Interview(company="Acme", interview_date=dt.date(2026, 3, 5), culture_notes=long_note)])
    before, after, plan = export_and_import(con, tmp_path, migrated_template)
    assert plan.rows_rejected == 0, plan.error_records
    assert after == before


def test_stories_come_back_whichever_file_is_imported_first(con, tmp_path, migrated_template):
    interview = Interview(
        company="Acme", interview_date=dt.date(2026, 3, 5), predicted_advance=70, questions=[Question("Q1")]
    )
    bank = [
        Story("Kafka (2023); the migration", situation="S", result="=R", competencies=["tech", "lead; ership"]),
        Story("Hiring", task="T"),
    ]
    _store(con, [interview], bank, [(0, 0), (0, 1)])
    before, after, plan = export_and_import(con, tmp_path, migrated_template, stories_first=False)
    # The notes came first: their stories were added with a title only, then filled in by the bank.
    assert [w["column"] for w in plan.warning_records] == ["stories", "stories"]
    assert after == before and after[0].predicted_advance == 70
