"""Every page runs without an exception on an empty database and on a demo database."""

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from analysis import demo, store
from analysis.text import markdown_literal

PAGES = re.findall(r'st\.Page\("(pages/[a-z_]+\.py)"', (Path(__file__).resolve().parents[2] / "app.py").read_text())


def test_each_page_url_is_its_file_name(repo_root):
    # A fresh server routes a bookmark by file name until app.py has run once.
    declared = re.findall(r'st\.Page\("pages/([a-z_]+)\.py".*?url_path="([a-z_]+)"', (repo_root / "app.py").read_text())
    assert declared and all(stem == url for stem, url in declared)


def test_navigation_lists_every_page_file(repo_root):
    files = sorted(f"pages/{p.name}" for p in (repo_root / "pages").glob("*.py"))
    assert sorted(PAGES) == files


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_an_empty_database(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert app.title, "every page has a title"


@pytest.fixture
def demo_app(app, db_path):
    con = store.connect(db_path).cursor()
    demo.generate(con, interviews=120, seed=11, today=dt.date.today())
    app.run()
    return app


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_a_demo_database(demo_app, page):
    demo_app.switch_page(page).run()
    assert not demo_app.exception, demo_app.exception
    assert not demo_app.error, [e.value for e in demo_app.error]


def test_opening_the_demo_from_home_keeps_it_apart(app, db_path):
    next(b for b in app.button if b.label == "Open the demo").click().run()
    assert not app.exception
    assert app.sidebar.warning[0].value.startswith("**Demo data.**")
    assert markdown_literal("debrief-demo.duckdb") in app.sidebar.caption[-1].value
    demo_con = store.connect(store.demo_path(db_path)).cursor()
    assert (
        store.is_demo(demo_con)
        and demo_con.execute("SELECT count(*) FROM interviews WHERE interview_date < current_date").fetchone()[0] == 300
    )
    own = store.connect(db_path).cursor()
    assert own.execute("SELECT count(*) FROM interviews").fetchone()[0] == 0
    next(b for b in app.sidebar.button if b.label == "Back to my data").click().run()
    assert not app.sidebar.warning
    assert app.subheader[0].value == "Log your first interview"


def test_private_by_default(repo_root):
    config = tomllib.loads((repo_root / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert 1 <= config["server"]["maxUploadSize"] <= 200
    code = "".join(
        p.read_text() for p in [repo_root / "app.py", repo_root / "ui.py", *(repo_root / "pages").glob("*.py")]
    )
    assert "unsafe_allow_html" not in code
