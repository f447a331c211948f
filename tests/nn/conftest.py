import functools

import pytest

from dnnviz.data import load_course_h5


@functools.lru_cache(maxsize=1)
def _cat_pictures(folder):
    data = load_course_h5(folder / "train_catvnoncat.h5", folder / "test_catvnoncat.h5")
    return data.X_train, data.Y_train


@pytest.fixture
def cat(cat_dir):
    """The course's training pictures: X (12288, 209) and Y (1, 209), read once a session."""
    return _cat_pictures(cat_dir)
