"""The thank-you and LinkedIn drafts: what a person would send, in their own words."""

import dataclasses

from analysis import followups as fu
from analysis import interviews as iv
from analysis import messages


def _values(con, saved, **chosen):
    return messages.message_values(con, saved.id, dataclasses.replace(fu.load_settings(con), my_name="Jo"), **chosen)


def test_one_thank_you_per_interviewer_or_one_to_all(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    assert messages.addressees(con, saved.id, one_each=True) == ["Ana", "Ben"]
    assert messages.addressees(con, saved.id, one_each=False) == ["Ana and Ben"]
    three = dataclasses.replace(
        sample_interview, interviewers=[*sample_interview.interviewers, iv.Interviewer("Cy Lo")]
    )
    assert messages.together(messages.first_names(con, iv.save_interview(con, three).id)) == "Ana, Ben and Cy"
    drafts = [messages.render(fu.DEFAULT_THANK_YOU, _values(con, saved, interviewer=n)).text for n in ["Ana", "Ben"]]
    assert "Dear Ana," in drafts[0] and "Dear Ben," in drafts[1]


def test_with_nothing_promised_or_picked_the_sentences_go_and_no_placeholder_is_left(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    draft = messages.render(fu.DEFAULT_THANK_YOU, _values(con, saved))
    assert draft.missing == ()
    assert "[" not in draft.text and "promise" not in draft.text.lower() and "enjoyed" not in draft.text
    assert "\n\n\n" not in draft.text
    linkedin = messages.render(fu.DEFAULT_LINKEDIN, _values(con, saved))
    assert "[" not in linkedin.text and "I would be glad to stay in touch." in linkedin.text


def test_notes_and_promises_are_suggestions_never_pasted_verbatim(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    assert messages.detail_suggestions(con, saved.id) == ["remote-first, async", "owns the ingestion pipeline"]
    assert messages.open_promises(con, saved.id) == ["Send the token-bucket sketch"]
    draft = messages.render(fu.DEFAULT_THANK_YOU, _values(con, saved)).text
    assert "token-bucket sketch" not in draft and "Remote-first" not in draft.lower().capitalize()
    ticked = messages.render(
        fu.DEFAULT_THANK_YOU, _values(con, saved, promises=["I attach the sketch of the token bucket.", "  "])
    ).text
    assert "As promised: I attach the sketch of the token bucket." in ticked


def test_every_ticked_promise_is_included_in_order(con, sample_interview):
    saved = iv.save_interview(con, sample_interview)
    values = _values(con, saved, promises=["The sketch is attached.", "The partitioning is by tenant."])
    text = messages.render(fu.DEFAULT_THANK_YOU, values).text
    assert "As promised: The sketch is attached. The partitioning is by tenant." in text
