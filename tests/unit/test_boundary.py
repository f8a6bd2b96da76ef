"""analysis/ is the library: importing it must not import streamlit."""

import subprocess
import sys


def test_analysis_does_not_import_streamlit(repo_root):
    code = (
        "import sys, pkgutil, importlib, analysis\n"
        "for m in pkgutil.iter_modules(analysis.__path__):\n"
        "    if m.name != '__main__':\n"
        "        importlib.import_module('analysis.' + m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
