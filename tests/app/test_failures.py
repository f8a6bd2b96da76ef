"""Pages under AppTest when something outside Debrief goes wrong."""

import datetime as dt

import duckdb
import pytest

from analysis import interviews, migrations, store


def test_page_shows_who_holds_a_locked_database(app, db_path, held_by_another_process, monkeypatch):
    # Each page waits LOCK_WAIT_S for the file before it says who holds it; what is said is the point here.
    monkeypatch.setattr(store, "LOCK_WAIT_S", 0.2)
    store.close(db_path)  # the app's first run opened it; let another program take it
    holder = held_by_another_process(db_path)
    for page in ("pages/home.py", "pages/log.py", "pages/dashboard.py"):
        app.switch_page(page).run()
        assert not app.exception
        message = app.error[0].value
        assert f"process {holder.pid}" in message and "Close that program" in message
        assert "copy the file" in message  # how read-only tools can look anyway


@pytest.mark.parametrize("page", ["pages/log.py", "pages/interviews.py", "pages/followups.py"])
@pytest.mark.parametrize("bad_id", ["abc", "²", "-1"])
def test_a_malformed_id_in_the_link_is_ignored_with_a_note(app, db_path, sample_interview, page, bad_id):
    interviews.save_interview(store.connect(db_path).cursor(), sample_interview)
    app.switch_page(page)
    app.query_params["id"] = bad_id
    app.run()
    assert not app.exception, app.exception
    assert any("Ignored the link" in c.value and "not an interview number" in c.value for c in app.caption)


def test_a_foreign_database_is_used_only_after_the_button_and_a_backup(app, tmp_path, monkeypatch):
    theirs = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(theirs)) as other:
        other.execute("CREATE TABLE sales AS SELECT 1 AS amount")
    monkeypatch.setenv("DEBRIEF_DB", str(theirs))
    app.switch_page("pages/home.py").run()
    assert not app.exception
    assert "did not create" in app.error[0].value
    with duckdb.connect(str(theirs), read_only=True) as check:
        assert not migrations.has_marker(check)  # refused: nothing added yet
    next(b for b in app.button if b.label.startswith("Use this file for Debrief")).click().run()
    assert not app.exception, app.exception
    assert not app.error
    assert list(tmp_path.glob("theirs.backup-before-debrief-*.duckdb"))
    assert migrations.has_marker(store.connect(theirs).cursor())
    store.close(theirs)


def _conflict(*args, **kwargs):
    raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")


def test_a_write_that_meets_another_windows_write_is_said_and_the_typed_text_stays(app, monkeypatch):
    from analysis import drafts

    app.switch_page("pages/log.py").run()
    # Only this patch is undone below: the app fixture's own patches stay until the test ends.
    with monkeypatch.context() as patch:
        patch.setattr(drafts, "save_draft", _conflict)  # past its own retries
        app.text_input(key="log_new0_company").input("Acme").run()
        assert not app.exception, app.exception
        assert any(e.value.startswith("Another window saved at the same moment") for e in app.error)
    app.run()
    assert app.text_input(key="log_new0_company").value == "Acme"
    assert not app.error


def _out_of_memory(*args, **kwargs):
    raise duckdb.OutOfMemoryException(
        "Out of Memory Error: could not allocate block of size 256.0 KiB (15.1 MiB/15.2 MiB used)"
    )


def test_running_out_of_memory_mid_action_is_said_and_the_typed_text_stays(app, monkeypatch):
    from analysis import drafts

    app.switch_page("pages/log.py").run()
    with monkeypatch.context() as patch:
        patch.setattr(drafts, "save_draft", _out_of_memory)
        app.text_input(key="log_new0_company").input("Acme").run()
        assert not app.exception, app.exception  # the machine's state, not a bug: said, never a traceback
        assert any(e.value.startswith("There was not enough memory to finish") for e in app.error)
    app.run()
    assert app.text_input(key="log_new0_company").value == "Acme"
    assert not app.error


def test_a_callback_whose_write_meets_another_windows_write_says_so(app, db_path, monkeypatch):
    from analysis import drafts

    con = store.connect(db_path).cursor()
    drafts.save_draft(con, drafts.new_key(), interviews.Interview(company="Globex", interview_date=dt.date(2026, 3, 5)))
    app.switch_page("pages/log.py").run()
    monkeypatch.setattr(drafts, "discard_draft", _conflict)
    next(b for b in app.button if b.label == "Discard draft").click().run()
    assert not app.exception, app.exception
    assert any(e.value.startswith("Another window saved at the same moment") for e in app.error)
    assert [d.interview.company for d in drafts.new_drafts(con)] == ["Globex"]
