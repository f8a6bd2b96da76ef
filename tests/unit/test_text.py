"""How Debrief writes for people: counts with their nouns, people, and cells a spreadsheet will not run."""

from __future__ import annotations

import re

import duckdb
import pytest

from analysis import text


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (0, "question", "0 questions"),
        (1, "question", "1 question"),
        (2, "question", "2 questions"),
        (2048, "interview", "2,048 interviews"),
        (1, "person", "1 person"),
        (3, "person", "3 people"),
        (2, "match", "2 matches"),
        (2, "box", "2 boxes"),
        (2, "reply", "2 replies"),
        (1, "reply", "1 reply"),
        (2, "category", "2 categories"),
        (3, "company", "3 companies"),
        (2, "day", "2 days"),
    ],
)
def test_count_puts_the_number_with_its_noun(n, noun, expected):
    assert text.count(n, noun) == expected


def test_plural_agrees_verbs_and_pronouns_with_the_number():
    assert (text.plural(1, "was"), text.plural(2, "was")) == ("was", "were")
    assert (text.plural(1, "is"), text.plural(0, "is")) == ("is", "are")
    assert (text.plural(1, "this"), text.plural(5, "this")) == ("this", "these")


@pytest.mark.parametrize(
    ("name", "title", "shown"),
    [
        ("Ana Ruiz", "Engineering Manager", "Ana Ruiz (Engineering Manager)"),
        ("Ana Ruiz", None, "Ana Ruiz"),
        ("  Ana Ruiz ", "   ", "Ana Ruiz"),
        ("Ben Ode", " CTO ", "Ben Ode (CTO)"),
        (None, None, ""),
    ],
)
def test_person_shows_the_title_only_when_there_is_one(name, title, shown):
    assert text.person(name, title) == shown


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@mention", "'@mention"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        # Already quoted by an earlier export: one more quote, so the importer's
        # removing exactly one gives back the stored "'=x".
        ("'=x", "''=x"),
        ("Tell me about yourself", "Tell me about yourself"),
        ("a = b", "a = b"),
        ("'quoted but harmless", "'quoted but harmless"),
        ("", ""),
        # A spreadsheet that trims cells on import would run these.
        (" =1+1", "' =1+1"),
        ("\u00a0\u3000+1", "'\u00a0\u3000+1"),
        (" plain", " plain"),
        # Full-width signs: Excel in Japanese and Chinese locales runs "＝1+1".
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠a", "'＠a"),
        ("a ＝ b", "a ＝ b"),
    ],
)
def test_neutralise_quotes_cells_a_spreadsheet_would_run(cell, safe):
    assert text.neutralise(cell) == safe
    assert text.looks_like_formula(cell) == (cell != safe)


def test_neutralise_of_nothing_is_an_empty_cell():
    assert text.neutralise(None) == ""
    assert not text.looks_like_formula(None)


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+1",
        "-x",
        "@a",
        "\tt",
        "\rr",
        "'=x",
        "'''-y",
        "plain",
        "a=b",
        "",
        None,
        " =1",
        "\u00a0@x",
        "＝1",
        "' ＋1",
    ],
)
def test_neutralise_sql_matches_neutralise(cell):
    with duckdb.connect(":memory:") as con:
        in_sql = con.execute("SELECT " + text.neutralise_sql("$cell"), {"cell": cell}).fetchone()[0]
    assert (in_sql if cell is not None else "") == text.neutralise(cell)


@pytest.mark.parametrize("cell", ["'=SUM(A1)", "''+1", "'\tx", "' =1+1", "'＝1+1", "'\u3000－1"])
def test_the_importers_pattern_finds_exactly_the_quoted_formulas(cell):
    assert re.match(text.QUOTED_FORMULA_PATTERN, cell)
    assert not re.match(text.QUOTED_FORMULA_PATTERN, cell.lstrip("'"))
    assert re.sub("^'", "", text.neutralise(cell)) == cell


# GFM's auto-link rules (mdast-util-gfm-autolink-literal), applied to the text after escapes are read.
GFM_AUTOLINKS = re.compile(r"https?://|www(?=\.)|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.IGNORECASE)


def _as_read(markdown: str) -> str:
    """What a Markdown renderer sees as text: every backslash escape read."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize(
    "hostile",
    [
        "![](http://example.invalid/x.png)",
        "<img src=http://example.invalid/y.png>",
        "<script>alert(1)</script>",
        "**bold** _it_ ~~gone~~ `code`",
        "$\\LaTeX$ and $$x$$",
        "[link](http://example.invalid)",
        "# Hacked",
        "> quoted\n- item\n1. first\n---",
        ":red[red] :material/home: :smile:",
        "&lt;b&gt; &amp;",
    ],
)
def test_markdown_literal_escapes_every_markup_character(hostile):
    shown = text.markdown_literal(hostile)
    assert not re.search(r"(?<!\\)[!\[\]()<>*_~`$#&:-]", shown.replace(text.WORD_JOINER, ""))
    assert _as_read(shown).replace(text.WORD_JOINER, "").replace("  \n", "\n") == hostile


@pytest.mark.parametrize(
    "url",
    ["http://example.invalid/link", "https://x.org", "www.example.com", "WWW.Example.org", "me.x+y@mail.example.com"],
)
def test_markdown_literal_leaves_nothing_to_auto_link(url):
    assert not GFM_AUTOLINKS.search(_as_read(text.markdown_literal(f"see {url} now")))


def test_markdown_literal_keeps_line_breaks_and_indents_without_a_code_block():
    shown = text.markdown_literal("first\n    indented\r\nlast")
    assert shown == "first  \n\u00a0\u00a0\u00a0\u00a0indented  \nlast"


def test_markdown_literal_of_nothing_is_empty_and_numbers_are_text():
    assert text.markdown_literal(None) == ""
    assert text.markdown_literal(4.5) == "4\\.5"
