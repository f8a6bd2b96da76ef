"""The router of ``python -m analysis``: every command listed, documented, and loaded only when chosen."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from analysis import commands, followups, interviews, store


def listed_commands(help_text: str) -> list[str]:
    """The command names in the top-level ``--help``: indented lines under ``COMMAND``."""
    section = help_text.split("COMMAND\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^ {4}(\S+) {2,}\S", section, flags=re.MULTILINE)


def test_help_lists_every_command_with_one_line_each_and_the_readme_names_them(repo_root):
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], cwd=repo_root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    listed = listed_commands(result.stdout)
    assert sorted(listed) == sorted(commands.COMMANDS)
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    missing = [name for name in listed if f"python -m analysis {name}" not in readme]
    assert missing == [], "every command needs a line in the README"


def test_help_imports_no_command_module(repo_root):
    code = (
        "import sys\n"
        "from analysis import commands\n"
        "commands.build_parser().format_help()\n"
        "print(sorted(name for name in sys.modules if name.startswith('analysis.commands.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", list(commands.COMMANDS))
def test_each_command_help_exits_0(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        commands.main([name, "--help"])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0, err
    assert out.startswith(f"usage: python -m analysis {name} [-h] [--db PATH]")


def test_a_command_that_cannot_load_exits_1_and_the_others_still_run(monkeypatch, capsys, db_path):
    monkeypatch.setitem(commands.COMMANDS, "broken", commands.Command("analysis.commands.no_such_module", "broken"))
    assert commands.main(["broken"]) == 1
    assert "debrief: the broken command could not be loaded" in capsys.readouterr().err
    assert commands.main(["brief", "--company", "Acme", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("#")


def test_the_command_is_the_first_word_that_is_not_an_option():
    assert commands.chosen_command(["--help"]) is None
    assert commands.chosen_command(["brief", "--company", "demo"]) == "brief"
    assert commands.chosen_command(["-h", "due", "--json"]) == "due"
    assert commands.chosen_command(["nonsense", "demo"]) is None


def test_due_says_a_decision_one_day_late_in_the_singular(db_path, sample_interview, capsys):
    con = store.connect(db_path).cursor()
    saved = interviews.save_interview(con, sample_interview)  # outcome pending, interview in the past
    yesterday = dt.datetime.now(followups.load_settings(con).zone).date() - dt.timedelta(days=1)
    followups.update_followup(con, saved.id, decision_expected_on=yesterday)
    con.close()
    assert commands.main(["due", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"no word   1 day late  decision from Northwind was expected {yesterday:%Y-%m-%d}: nudge?" in out


def test_output_cut_short_by_its_reader_is_not_called_a_database_failure(tmp_path, repo_root):
    path = tmp_path / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "analysis", "demo", "--db", str(path)], cwd=repo_root, check=True)
    # `due | head -1`: the reader closes the pipe after the first line.
    piped = subprocess.Popen(
        [sys.executable, "-m", "analysis", "due", "--db", str(path)],
        cwd=repo_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert piped.stdout.readline()
    piped.stdout.close()
    _, errors = piped.communicate(timeout=120)
    assert b"could not write" not in errors and b"Traceback" not in errors, errors
    assert piped.returncode in (0, 141)  # done before it noticed, or stopped as `head` expects
