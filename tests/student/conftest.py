"""The course files for the student-check tests: under CI=true, missing files fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def cat_dir_or_fail(request) -> Path:
    """The course's cat files; under CI=true their absence fails the test instead of skipping."""
    try:
        return request.getfixturevalue("cat_dir")
    except pytest.skip.Exception:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: the course files are needed (set DNNVIZ_DATA_DIR)")
        raise
