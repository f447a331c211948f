"""`dnnviz --student FILE --report JSON`: the report says their run matched dnnviz's only
when it compared some iterations; a run that failed at once was not compared (null, why)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from student_helpers import CORRECT, broken


def _student_report(tmp_path, path) -> dict:
    report = tmp_path / "report.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-m", "dnnviz", "--student", str(path), "--autostart",
                    "--exit-after", "3", "--report", str(report)], env=env, timeout=300,
                   capture_output=True, cwd=tmp_path)
    return json.loads(report.read_text())["student"]


def test_a_run_that_failed_at_iteration_0_was_not_compared(tmp_path):
    student = _student_report(tmp_path, broken(tmp_path, "undefined_z.py"))
    assert student["matches_reference"] is None and student["compared_iterations"] == 0
    assert student["why"].startswith("not compared")
    assert "NameError" in student["why"]


def test_a_correct_run_matched_over_the_iterations_compared(tmp_path):
    student = _student_report(tmp_path, CORRECT)
    assert student["matches_reference"] is True and student["compared_iterations"] == 3
    assert student["mismatch"] is None
