"""Fixtures for the data tests: small h5 files written on the fly (the course's own files:
tests/conftest.py's cat_dir)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np
import pytest


def _images(m: int, size: int = 8, channels: int | None = 3, seed: int = 0) -> np.ndarray:
    """Random uint8 pictures: (m, size, size, channels), or (m, size, size) if channels is None."""
    shape = (m, size, size) if channels is None else (m, size, size, channels)
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def _labels(m: int, seed: int = 1) -> np.ndarray:
    """(m,) int64 of 0/1 holding both classes when m >= 2."""
    y = np.random.default_rng(seed).integers(0, 2, m).astype(np.int64)
    if m >= 2:
        y[:2] = [0, 1]
    return y


WriteH5 = Callable[..., Path]


@pytest.fixture
def make_images() -> Callable[..., np.ndarray]:
    """make_images(m, size=8, channels=3, seed=0): random uint8 pictures (m, size, size, c)."""
    return _images


@pytest.fixture
def make_labels() -> Callable[..., np.ndarray]:
    """make_labels(m, seed=1): (m,) int64 of 0/1, both classes present when m >= 2."""
    return _labels


@pytest.fixture
def write_h5(tmp_path: Path) -> WriteH5:
    """write_h5(filename, **arrays) -> path of a new h5 file in tmp_path holding those keys."""
    def write(filename: str, **arrays: np.ndarray) -> Path:
        path = tmp_path / filename
        with h5py.File(path, "w") as f:
            for key, value in arrays.items():
                f.create_dataset(key, data=value)
        return path

    return write


@pytest.fixture
def small_pair(write_h5: WriteH5) -> tuple[Path, Path]:
    """A valid tiny train/test pair in the course's layout: 12 and 6 pictures of 8x8x3."""
    classes = np.array([b"non-cat", b"cat"])
    train = write_h5("train_small.h5", train_set_x=_images(12), train_set_y=_labels(12),
                     list_classes=classes)
    test = write_h5("test_small.h5", test_set_x=_images(6, seed=2), test_set_y=_labels(6, 3),
                    list_classes=classes)
    return train, test
