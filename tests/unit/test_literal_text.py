"""User text reaches Streamlit's Markdown only through ``ui.literal``: a check of the page sources.

The rule, for app.py, ui.py and every page: an argument Streamlit renders as
Markdown (the body of st.markdown/write/caption/title/header/subheader, of the
messages success/error/warning/info/toast and ``ui.flash``; the label of every
widget, expander, popover, tab, metric and progress bar; every ``help=``
tooltip; radio captions; the options of radio, pills and segmented_control
unless a ``format_func`` is given, and then what it returns) must be *fine*:

- a constant;
- a call to ``ui.literal`` (or ``literal`` inside ui.py);
- a number: ``ui.count(n, "noun")``, ``len``/``int``/``round``/``abs``/``float``/``sum`` of
  anything, or any value formatted with a number or date format (``{n:,}``, ``{day:%d %b}``);
- an f-string, ``+`` concatenation or ``a if c else b`` made only of fine parts;
- ``"sep".join(map(ui.literal, items))`` or a join over a comprehension of fine parts;
- a variable whose every assignment in the file is fine (a function parameter or a
  loop variable is never fine: wrap it where it is shown);
- a module constant: an UPPER_CASE name or attribute, or an item of one (``BADGES[state]``);
- one of ``DEBRIEF_MADE``: expressions known to hold only Debrief's own words, or a call to
  one of ``DEBRIEF_FUNCTIONS``, which word Debrief's own vocabulary.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", ROOT / "ui.py", *sorted((ROOT / "pages").glob("*.py"))]

# Text calls whose first positional argument is Markdown.
BODY_FIRST = {
    "markdown", "caption", "title", "header", "subheader", "success", "error", "warning", "info", "toast",
    "flash", "expander", "popover", "status", "dialog", "metric", "button", "download_button", "link_button",
    "form_submit_button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "slider", "select_slider",
    "text_input", "text_area", "number_input", "date_input", "time_input", "file_uploader", "color_picker",
    "pills", "segmented_control", "spinner",
}  # fmt: skip
MARKDOWN_KEYWORDS = {"body", "label", "help", "text"}
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control"}
NUMERIC_CALLS = {"len", "int", "round", "abs", "float", "sum"}
# Number and date formats: a string formatted with one of these raises, so the value is not text.
NUMBER_OR_DATE_SPEC = re.compile(r"[,%dfgeEn]")

# Expressions (file, and the expression as ast.unparse writes it) that hold only Debrief's own words, with why.
DEBRIEF_MADE = {
    ("ui.py", "message"),  # ui.show_flash: every ui.flash call is checked where it is made
    # The follow-up checklist's steps, from analysis.followups.ITEMS.
    ("pages/followups.py", "status.title"),
    ("pages/followups.py", "status.what"),
    ("pages/followups.py", "item.title"),
    ("pages/followups.py", "title"),
    ("pages/followups.py", "done"),  # save_record's note: a constant at every call
    ("pages/import.py", "label"),  # row_report's download label: a constant at every call
}


# Functions whose result is Debrief's own words, whatever their arguments.
DEBRIEF_FUNCTIONS = {
    "rating_label",  # analysis.vocab: "4 · good" from a rating number
    "_span",  # pages/home.py: "3 h", "2 days" from a number of hours
}
CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            yield node


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id


class Checker:
    """Decides whether an expression is fine (see the module docstring) within one source file."""

    def __init__(self, tree: ast.Module, filename: str = ""):
        self.debrief_made = {expression for file, expression in DEBRIEF_MADE if file == filename}
        self.assigned: dict[str, list[ast.expr | None]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
                self._bind(node.target, None if isinstance(node, ast.AugAssign) else node.value)
            elif isinstance(node, ast.For) and _literal_rows(node.iter):
                for row in node.iter.elts:  # for label, icon in (("Again", ...), ...): each column its values
                    self._bind(node.target, row)
            elif isinstance(node, ast.For | ast.comprehension):
                self._bind(node.target, None)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self._bind(node.optional_vars, None)
            elif isinstance(node, ast.arguments):
                for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg]:
                    if arg is not None:
                        self.assigned.setdefault(arg.arg, []).append(None)
            elif isinstance(node, ast.NamedExpr):
                self._bind(node.target, node.value)
        self._checking: set[str] = set()

    def _bind(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            known = isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts)
            for n, element in enumerate(target.elts):
                self._bind(element, value.elts[n] if known else None)  # else unpacked: not known here

    def fine(self, node: ast.expr) -> bool:
        if ast.unparse(node) in self.debrief_made:
            return True
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(self._fine_part(part) for part in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.fine(node.left) and self.fine(node.right)
        if isinstance(node, ast.IfExp):
            return self.fine(node.body) and self.fine(node.orelse)
        if isinstance(node, ast.Subscript):
            node = node.value  # an item of a constant table is as fine as the table
        if isinstance(node, ast.Name | ast.Attribute) and CONSTANT.match(_name_of(node)):
            return True
        if isinstance(node, ast.Name):
            return self._fine_name(node.id)
        if isinstance(node, ast.Call):
            return self._fine_call(node)
        return False

    def _fine_part(self, part: ast.expr) -> bool:
        if isinstance(part, ast.Constant):
            return True
        spec = part.format_spec
        if spec is not None and NUMBER_OR_DATE_SPEC.search(ast.unparse(spec)):
            return True
        return self.fine(part.value)

    def _fine_name(self, name: str) -> bool:
        values = self.assigned.get(name)
        if not values or name in self._checking:
            return False
        self._checking.add(name)
        try:
            return all(value is not None and self.fine(value) for value in values)
        finally:
            self._checking.discard(name)

    def _fine_call(self, call: ast.Call) -> bool:
        name = _name(call)
        if name == "literal" or name in NUMERIC_CALLS or name in DEBRIEF_FUNCTIONS:
            return True
        if name == "count":
            return len(call.args) == 2 and isinstance(call.args[1], ast.Constant)
        if name == "join" and isinstance(call.func, ast.Attribute) and len(call.args) == 1:
            items = call.args[0]
            if isinstance(items, ast.Call) and _name(items) == "map" and items.args:
                return _name_of(items.args[0]) == "literal"
            if isinstance(items, ast.GeneratorExp | ast.ListComp):
                return self.fine(items.elt)
        return False

    def fine_function(self, node: ast.expr) -> bool:
        """Whether a ``format_func`` returns fine text."""
        if isinstance(node, ast.Lambda):
            return self.fine(node.body)
        return _name_of(node) == "literal"


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _markdown_arguments(call: ast.Call, checker: Checker):
    """(what, expression, is_function) for each argument of ``call`` that Streamlit renders as Markdown."""
    name = _name(call)
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if name == "write":
        for arg in call.args:
            yield "write", arg, False
    elif name == "tabs" and call.args and isinstance(call.args[0], ast.List | ast.Tuple):
        for label in call.args[0].elts:
            yield "tab label", label, False
    elif name in BODY_FIRST and call.args:
        yield f"{name} text", call.args[0], False
    for keyword in MARKDOWN_KEYWORDS & keywords.keys():
        if keyword == "text" and name not in {"progress", "spinner"}:
            continue
        if keyword in {"body", "label"} and name not in BODY_FIRST | {"page_link", "write"}:
            continue
        yield f"{name} {keyword}=", keywords[keyword], False
    if name == "radio" and "captions" in keywords:
        captions = keywords["captions"]
        for caption in captions.elts if isinstance(captions, ast.List | ast.Tuple) else [captions]:
            yield "radio caption", caption, False
    if name in MARKDOWN_OPTIONS:
        options = keywords.get("options", call.args[1] if len(call.args) > 1 else None)
        if "format_func" in keywords:
            yield f"{name} format_func=", keywords["format_func"], True
        elif options is not None and not _constant_strings(options):
            yield f"{name} options", options, False


def _literal_rows(node: ast.expr) -> bool:
    """Whether ``node`` is a literal table: a tuple or list of tuples or lists."""
    return isinstance(node, ast.Tuple | ast.List) and all(isinstance(row, ast.Tuple | ast.List) for row in node.elts)


def _constant_strings(node: ast.expr) -> bool:
    return isinstance(node, ast.List | ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts)


def unescaped_text(source: str, filename: str = "") -> list[str]:
    """Every Markdown argument in ``source`` (the file ``filename``) that is not fine, as "line N: what: expression"."""
    tree = ast.parse(source)
    checker = Checker(tree, filename)
    found = []
    for call in _calls(tree):
        for what, expression, is_function in _markdown_arguments(call, checker):
            ok = checker.fine_function(expression) if is_function else checker.fine(expression)
            if not ok:
                found.append(f"line {expression.lineno}: {what}: {ast.unparse(expression)}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_user_text_reaches_markdown_only_through_ui_literal(path):
    found = unescaped_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "wrap these in ui.literal (or, for Debrief's own words, see DEBRIEF_MADE):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "st.caption(note)",
        "st.title(f'Edit {company}')",
        "st.success('Saved ' + company)",
        "st.metric(label, 3)",
        "st.button('Go', help=role)",
        "st.expander(f'{row.question}')",
        "st.tabs(['All', company])",
        "st.radio('Pick', categories)",
        "st.pills('Pick', categories, format_func=lambda c: c.title())",
        "st.markdown('{}'.format(note))",
        "for company in names:\n    st.caption(company)",
        "def show(title):\n    st.subheader(title)",
        "label = note.strip()\nst.caption(label)",
        "ui.flash(f'Category {added} added')",
        "st.caption(', '.join(names))",
        "st.progress(0.5, text=filename)",
        "st.write(note)",
        "for label, note in (('A', x), ('B', y)):\n    st.caption(note)",
        "st.caption(row.category)",
        "st.caption(TABLE[note].strip())",
    ],
)
def test_the_rule_catches_user_text_shown_raw(source):
    assert unescaped_text(source)


@pytest.mark.parametrize(
    "source",
    [
        "st.caption('Debrief')",
        "st.caption(ui.literal(note))",
        "st.title(f'Edit {ui.literal(company)}')",
        "st.metric(ui.literal(label), 3)",
        "st.caption(f'{n:,} rows on {day:%d %b}')",
        "st.caption(ui.count(n, 'row') + ' read')",
        "st.caption(', '.join(map(ui.literal, names)))",
        "st.pills('Pick', categories, format_func=ui.literal)",
        "st.radio('Pick', ['a', 'b'])",
        "label = ui.literal(note)\nst.caption(label)",
        "st.caption(ui.literal(a) if a else 'none')",
        "for label, note in (('A', x), ('B', y)):\n    st.caption(label)",
        "st.dataframe(table)",
        "st.selectbox('Company', companies)",
        "st.info(CLOSED_BECAUSE[state])",
        "st.caption(f'Within {briefs.RECENT_DAYS} days: {rating_label(r)}')",
    ],
)
def test_the_rule_accepts_escaped_or_debrief_made_text(source):
    assert unescaped_text(source) == []
