"""The Prepare and Practice pages under AppTest."""

import datetime as dt
import re

from analysis import interviews as iv
from analysis import practice


def test_prepare_page_builds_the_brief_for_a_company(app, history):
    app.switch_page("pages/prepare.py").run()
    assert not app.exception
    app.selectbox(key="prep_choice").select("Another interview…").run()
    app.selectbox(key="prep_company").select("Acme").run()
    assert not app.exception
    headings = [h.value for h in app.subheader]
    assert "Questions to rehearse" in headings and "Earlier rounds at Acme" in headings
    rehearse = app.dataframe[0].value
    assert rehearse.iloc[0]["question"] == "Design a cache"
    assert app.get("download_button")


def test_prepare_page_offers_upcoming_interviews(app, con):
    iv.save_interview(
        con, iv.Interview(company="Initech", stage="final", interview_date=dt.date.today() + dt.timedelta(days=2))
    )
    app.switch_page("pages/prepare.py").run()
    assert not app.exception
    assert app.selectbox(key="prep_choice").value != "Another interview…"
    assert "Earlier rounds at Initech" in [h.value for h in app.subheader]


def test_prepare_page_keeps_to_the_chosen_company_and_what_is_still_ahead(app, con):
    now = dt.datetime.now()
    earlier_today = max(now - dt.timedelta(hours=1), now.replace(hour=0, minute=0))
    iv.save_interview(
        con,
        iv.Interview(
            company="Globex",
            interview_date=earlier_today.date(),
            interview_time=earlier_today.time().replace(second=0, microsecond=0),
            questions=[iv.Question("Why Globex?", clarify="Send Globex my portfolio")],
        ),
    )
    iv.save_interview(
        con,
        iv.Interview(company="Initech", stage="final", interview_date=dt.date.today() + dt.timedelta(days=2)),
    )
    app.switch_page("pages/prepare.py").run()
    assert not app.exception
    offered = app.selectbox(key="prep_choice").options
    assert not any(o.startswith("Globex") for o in offered)  # over already: not upcoming
    assert "Earlier rounds at Initech" in [h.value for h in app.subheader]
    assert "This is your first interview here." in [c.value for c in app.caption]  # not its own earlier round
    assert not any("Globex" in t.value for t in app.text)  # another company's promise
    assert "Nothing outstanding." in [c.value for c in app.caption]


def test_prepare_page_shows_the_latest_rounds_in_full_and_opens_an_older_one_on_request(app, con):
    today = dt.date.today()
    for weeks in range(1, 6):  # five earlier rounds at Initech, the oldest five weeks ago
        iv.save_interview(
            con,
            iv.Interview(
                company="Initech",
                stage="technical",
                interview_date=today - dt.timedelta(weeks=weeks),
                questions=[iv.Question(f"Question from {weeks} weeks ago", rating=2)],
            ),
        )
    iv.save_interview(con, iv.Interview(company="Initech", stage="final", interview_date=today + dt.timedelta(days=1)))
    app.switch_page("pages/prepare.py").run()
    assert not app.exception

    def rounds_shown() -> list[str]:  # the dates of the rounds shown in full, in order
        return [e.label.replace("\\", "")[:10] for e in app.expander]

    def weeks_ago(weeks: int) -> str:
        return f"{today - dt.timedelta(weeks=weeks):%Y-%m-%d}"

    assert rounds_shown() == [weeks_ago(3), weeks_ago(2), weeks_ago(1)]
    older = app.selectbox(key="prep_older_Initech")
    assert older.label == "2 older rounds" and older.value is None
    assert [o[:10] for o in older.options] == [weeks_ago(5), weeks_ago(4)]
    older.select(older.options[0]).run()
    assert not app.exception
    assert rounds_shown() == [weeks_ago(5), weeks_ago(3), weeks_ago(2), weeks_ago(1)]
    assert any("Question from 5 weeks ago" in frame.value["question"].tolist() for frame in app.dataframe)


def test_practice_page_practises_a_card(app, history):
    app.switch_page("pages/practice.py").run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["Cards"] == "4"
    before = {c.id: c.reviews for c in practice.all_cards(history)}
    question = app.subheader[0].value
    next(b for b in app.button if b.label == "Reveal my better answer").click().run()
    assert any(a.label == "Your better answer" for a in app.text_area)
    # Each grade says when the card comes back, from FSRS's own preview.
    labels = [b.label for b in app.button if b.key and b.key.startswith("practice_") and "·" in b.label]
    assert [label.split(" · ")[0] for label in labels] == ["Again", "Hard", "Good", "Easy"]
    assert all(re.fullmatch(r"\w+ · \d+ (min|h|d|mo)", label) for label in labels)
    next(b for b in app.button if b.label.startswith("Good · ")).click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Graded Good. Next due")
    graded = [c for c in practice.all_cards(history) if c.reviews == before[c.id] + 1]
    assert len(graded) == 1
    assert graded[0].question.replace("?", "") in question.replace("\\", "").replace("?", "")


def test_a_better_answer_written_on_the_card_is_saved_to_the_card_and_the_newest_answer(app, history):
    app.switch_page("pages/practice.py").run()
    next(b for b in app.button if b.label == "Reveal my better answer").click().run()
    card = practice.due_cards(history)[0]
    app.text_area(key=f"practice_better_{card.id}").input("First the requirements,\nthen the cache.").run()
    next(b for b in app.button if b.label == "Save better answer").click().run()
    assert not app.exception
    assert practice.get_card(history, card.id).better_answer == "First the requirements,\nthen the cache."
    newest = history.execute(
        "SELECT q.better_answer FROM practice_seen s JOIN questions q ON q.id = s.question_id "
        "JOIN interviews i ON i.id = q.interview_id WHERE s.card_id = ? ORDER BY i.interview_date DESC LIMIT 1",
        [card.id],
    ).fetchone()
    assert newest == ("First the requirements,\nthen the cache.",)


def test_a_better_answer_changed_in_another_window_is_not_overwritten_and_the_typed_text_stays(app, history):
    app.switch_page("pages/practice.py").run()
    next(b for b in app.button if b.label == "Reveal my better answer").click().run()
    card = practice.due_cards(history)[0]
    practice.set_better_answer(history, card.id, "Theirs: start from the SLA.")  # the other window saves first
    box = f"practice_better_{card.id}"
    app.text_area(key=box).input("Mine: requirements, then the cache.").run()
    next(b for b in app.button if b.label == "Save better answer").click().run()
    assert not app.exception, app.exception
    assert practice.get_card(history, card.id).better_answer == "Theirs: start from the SLA."
    assert app.text_area(key=box).value == "Mine: requirements, then the cache."
    assert "changed in another window" in app.warning[-1].value
    assert "Theirs: start from the SLA." in [t.value for t in app.text]

    app.button(key="practice_save_over").click().run()
    assert practice.get_card(history, card.id).better_answer == "Mine: requirements, then the cache."
    assert not [w for w in app.warning if "another window" in w.value]

    practice.set_better_answer(history, card.id, "Theirs again.")
    app.text_area(key=box).input("Mine, second try.").run()
    next(b for b in app.button if b.label == "Save better answer").click().run()
    app.button(key="practice_take_theirs").click().run()
    assert app.text_area(key=box).value == "Theirs again."
    assert practice.get_card(history, card.id).better_answer == "Theirs again."

    practice.set_better_answer(history, card.id, None)  # the other window emptied it
    app.text_area(key=box).input("Mine, third try.").run()
    next(b for b in app.button if b.label == "Save better answer").click().run()
    assert "(no better answer)" in [t.value for t in app.text]
    app.button(key="practice_save_over").click().run()
    assert practice.get_card(history, card.id).better_answer == "Mine, third try."


def test_a_cards_counts_agree_with_its_history(history):
    practice.sync(history)
    cards = practice.all_cards(history)
    practice.grade(history, cards[0].id, "again")
    assert any(card.again_grades for card in practice.all_cards(history))
    for card in practice.all_cards(history):
        grades = practice.history(history, card.id)["grade"]
        assert (card.reviews, card.again_grades) == (len(grades), int((grades == "again").sum()))


def test_practice_page_with_no_cards_explains_how_they_come(app):
    app.switch_page("pages/practice.py").run()
    assert not app.exception
    assert "No cards yet" in app.info[0].value
