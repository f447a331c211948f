"""Helpers of the student-check tests: the implementations in impls/, the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

IMPLS = Path(__file__).resolve().parent / "impls"
CORRECT = IMPLS / "correct.py"


def run_dnnviz(*args, cwd=None) -> subprocess.CompletedProcess:
    """`python -m dnnviz ARGS` in a subprocess, as a student would run it."""
    return subprocess.run([sys.executable, "-m", "dnnviz", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def check_report(tmp_path, file, *options):
    """Run `dnnviz check FILE --report`; return (process, report dict or None)."""
    report = tmp_path / "report.json"
    done = run_dnnviz("check", file, "--report", report, *options)
    return done, json.loads(report.read_text()) if report.exists() else None


def variant(tmp_path, extra: str, name: str = "variant.py", replace=()) -> Path:
    """correct.py with `extra` appended (a later def replaces the earlier one) and the given
    (old, new) replacements made, written to tmp_path/name."""
    text = CORRECT.read_text()
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text + "\n\n" + extra)
    return path
