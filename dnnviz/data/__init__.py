"""Data for the network: the course's h5 files, sets generated in code, and your own (points
drawn or from a CSV, a folder of pictures); input features for 2-D points. Pure NumPy + h5py.

Every source returns a `Dataset`: X (n_x, m) float64 and Y (1, m) float64 of labels 0..K-1
per split (K = 2 for the lesson's sets).
"""

from __future__ import annotations

import os

from .builtin import (
    BUILTIN_DATASETS,
    CLASS_DATASETS,
    POINT_DATASETS,
    dataset_defaults,
    make_dataset,
)
from .course_h5 import DATA_DIR_ENV, course_files, default_data_dir, load_course_h5
from .dataset import DataError, Dataset
from .features import FEATURES, PLANE, apply_features, parse_features
from .own import Decode, load_picture_folder, load_points_csv, points_dataset

COURSE_DATASET = "cat"
DRAWN = "drawn"  # the name of a set of points drawn in the window

__all__ = [
    "BUILTIN_DATASETS",
    "CLASS_DATASETS",
    "COURSE_DATASET",
    "DRAWN",
    "DATA_DIR_ENV",
    "POINT_DATASETS",
    "DataError",
    "Dataset",
    "Decode",
    "FEATURES",
    "PLANE",
    "apply_features",
    "course_files",
    "dataset_defaults",
    "default_data_dir",
    "load_course_h5",
    "load_dataset",
    "load_picture_folder",
    "load_points_csv",
    "make_dataset",
    "parse_features",
    "points_dataset",
]


def load_dataset(name: str | None, *, data_dir: str | os.PathLike | None = None,
                 train_file: str | os.PathLike | None = None,
                 test_file: str | os.PathLike | None = None,
                 n_samples: int | None = None, noise: float | None = None,
                 seed: int = 0, test_fraction: float | None = None,
                 points_file: str | os.PathLike | None = None,
                 image_folder: str | os.PathLike | None = None,
                 drawn_points=None, decode: Decode | None = None,
                 n_classes: int | None = None) -> Dataset:
    """The one entry point for the CLI and the UI.

    - train_file and test_file given: load that pair (name labels the set unless it is None
      or a built-in name, in which case the loader picks one);
    - points_file: a CSV of x1,x2,label; image_folder: a folder of pictures, one sub-folder
      per class, read by decode(path, shape); drawn_points: rows (x1, x2, label). Each is
      split by test_fraction, shuffled by seed;
    - name "cat": the course's files from data_dir, else from $DNNVIZ_DATA_DIR;
    - otherwise: make_dataset(name, n_samples=..., noise=..., seed=..., test_fraction=...,
      n_classes=...).
    Raises DataError with a one-line message fit to show a user.
    """
    if (train_file is None) != (test_file is None):
        raise DataError("give both a train file and a test file, or neither")
    split = dict(test_fraction=test_fraction, seed=seed)
    if points_file is not None:
        return load_points_csv(points_file, **split)
    if image_folder is not None:
        if decode is None:
            raise DataError("reading a folder of pictures needs a picture decoder here")
        return load_picture_folder(image_folder, decode, **split)
    if drawn_points is not None:
        return points_dataset(drawn_points, name=DRAWN, **split)
    if train_file is not None:
        label = None if name is None or name.strip().lower() in BUILTIN_DATASETS else name
        return load_course_h5(train_file, test_file, name=label)
    if name is not None and name.strip().lower() == COURSE_DATASET:
        return _load_course(data_dir)
    if name is None:
        raise DataError("no data set given; choose one of: "
                        + ", ".join((COURSE_DATASET, *BUILTIN_DATASETS)))
    return make_dataset(name, n_samples=n_samples, noise=noise, seed=seed,
                        test_fraction=test_fraction, n_classes=n_classes)


def _load_course(data_dir: str | os.PathLike | None) -> Dataset:
    folder = data_dir if data_dir is not None else default_data_dir()
    pair = course_files(folder)
    if pair is None:
        where = f"in {folder}" if folder is not None else "(no folder given)"
        raise DataError(f"the course files train_catvnoncat.h5 and test_catvnoncat.h5 were not "
                        f"found {where}; pass --data-dir or set {DATA_DIR_ENV}")
    return load_course_h5(*pair, name=COURSE_DATASET)
