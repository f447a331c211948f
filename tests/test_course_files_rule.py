"""The rule for tests that need the course's files (tests/conftest.py's cat_dir): skipped
where they are missing, failed instead when CI is set, so CI never passes without them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
A_COURSE_TEST = "tests/data/test_load_dataset.py::test_cat_from_data_dir"


def run_course_test(tmp_path, ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["DNNVIZ_DATA_DIR"] = str(tmp_path)  # a folder without the course files
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           A_COURSE_TEST], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_without_the_course_files_a_course_test_skips(tmp_path, ci):
    done = run_course_test(tmp_path, ci)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout and "course files not found" in done.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_course_test_without_the_course_files_fails(tmp_path, ci):
    done = run_course_test(tmp_path, ci)
    assert done.returncode == 1, done.stdout
    assert "CI is set but the course files are not found" in done.stdout
    assert "1 error" in done.stdout and "1 skipped" not in done.stdout
