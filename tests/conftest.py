import os

# Before NumPy is imported: one BLAS thread. On a shared 2-core machine OpenBLAS's spinning
# threads can slow a busy test run by 10x or more; results are the same either way.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def course_data_dir() -> Path | None:
    """The folder with the course's cat h5 files: $DNNVIZ_DATA_DIR or ../shared/datasets."""
    env = os.environ.get("DNNVIZ_DATA_DIR")
    folder = Path(env) if env else REPO.parent / "shared" / "datasets"
    return folder if (folder / "train_catvnoncat.h5").is_file() else None


@pytest.fixture
def cat_dir() -> Path:
    folder = course_data_dir()
    if folder is None:
        pytest.skip("course files not found: set DNNVIZ_DATA_DIR to the folder holding "
                    "train_catvnoncat.h5 and test_catvnoncat.h5")
    return folder
