import atexit
import os
import shutil
import tempfile

# Before NumPy is imported: one BLAS thread. On a shared 2-core machine OpenBLAS's spinning
# threads can slow a busy test run by 10x or more; results are the same either way.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window remembers its size and place (QSettings): in a folder of the test run's own,
# never the developer's (subprocesses inherit it).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="dnnviz-test-config-")

from pathlib import Path

import pytest
from hypothesis import settings

atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)  # no litter

# In CI the property tests draw the same examples every run (a red CI must mean a change
# broke something, not that a new random example turned up); on a developer's machine they
# keep exploring, and what they find is kept in .hypothesis and pinned with @example.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
# Taken out of the environment: naming a course-data folder makes `cat` the default data
# set, and every test (and every dnnviz it starts) must mean the same whoever runs it.
COURSE_DIR_ENV = os.environ.pop("DNNVIZ_DATA_DIR", "").strip()


def course_data_dir() -> Path | None:
    """The folder with the course's cat h5 files: $DNNVIZ_DATA_DIR or ../shared/datasets."""
    folder = Path(COURSE_DIR_ENV) if COURSE_DIR_ENV else REPO.parent / "shared" / "datasets"
    return folder if (folder / "train_catvnoncat.h5").is_file() else None


def ci() -> bool:
    """Running in CI (CI set, as CI services set it): the course files must be there."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
def cat_dir() -> Path:
    """The folder with the course's cat h5 files. Without them the test is skipped, except
    in CI, where it fails: the course's own numbers are never left untested there."""
    folder = course_data_dir()
    if folder is None:
        where = "set DNNVIZ_DATA_DIR to the folder holding train_catvnoncat.h5 and " \
                "test_catvnoncat.h5, or put them in ../shared/datasets"
        if ci():
            pytest.fail(f"CI is set but the course files are not found: {where}")
        pytest.skip(f"course files not found: {where}")
    return folder
