"""The library's boundaries: analysis/ never imports streamlit, and only analysis/commands parses arguments."""

import ast
import subprocess
import sys
from pathlib import Path


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code, by its full dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_imported_modules_sees_every_form_of_import(tmp_path):
    path = tmp_path / "sample.py"
    path.write_text("import argparse as ap\ndef f():\n    from argparse import ArgumentParser\nimport os.path\n")
    assert imported_modules(path) == {"argparse", "os.path"}


def test_only_analysis_commands_imports_argparse(repo_root):
    package = repo_root / "analysis"
    commands = package / "commands"
    modules = sorted(package.rglob("*.py"))
    assert commands / "__init__.py" in modules  # the walk reaches the package that may parse
    parsing = [
        str(path.relative_to(repo_root))
        for path in modules
        if commands not in path.parents and any(name.split(".")[0] == "argparse" for name in imported_modules(path))
    ]
    assert parsing == [], "argument parsing belongs in analysis/commands"


def test_analysis_and_every_submodule_import_without_streamlit(repo_root):
    code = (
        "import sys, pkgutil, importlib, analysis\n"
        "names = [m.name for m in pkgutil.walk_packages(analysis.__path__, 'analysis.')]\n"
        "for name in names:\n"
        "    if name != 'analysis.__main__':\n"  # it would run a command
        "        importlib.import_module(name)\n"
        "print(len(names), 'analysis.commands.demo' in names, 'streamlit' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    walked, reached_subpackage, streamlit_imported = result.stdout.split()
    assert int(walked) > 10 and reached_subpackage == "True"
    assert streamlit_imported == "False"
