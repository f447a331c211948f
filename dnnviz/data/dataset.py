"""The one container every data source fills: column-per-example arrays, as in the lesson."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_CLASSES = 50  # more classes than this is a mistake in the labels, not a data set



class DataError(ValueError):
    """A data set could not be made or loaded; the message is one line, fit to show a user."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test examples as columns.

    X_train: (n_x, m_train) float64, pixel values scaled to [0, 1] for images.
    Y_train: (1, m_train) float64 labels 0.0, 1.0, ..., K-1.
    image_shape: (height, width, channels) for image data, None for 2-D points.
    classes: the names of labels 0 .. K-1 (two for the lesson's binary sets).

    Shapes are checked on construction (a mismatch raises DataError); dtypes are not.
    """

    name: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    classes: tuple[str, ...] = ("class 0", "class 1")
    image_shape: tuple[int, int, int] | None = None

    def __post_init__(self) -> None:
        for split, X, Y in (("train", self.X_train, self.Y_train),
                            ("test", self.X_test, self.Y_test)):
            if X.ndim != 2 or Y.ndim != 2 or Y.shape[0] != 1 or Y.shape[1] != X.shape[1]:
                raise DataError(f"data set {self.name!r}: {split} arrays have shapes "
                                f"X {X.shape}, Y {Y.shape}; expected (n_x, m) and (1, m)")
        if self.X_test.shape[0] != self.X_train.shape[0]:
            raise DataError(f"data set {self.name!r}: train has {self.X_train.shape[0]} "
                            f"features per example but test has {self.X_test.shape[0]}")
        if self.image_shape is not None and int(np.prod(self.image_shape)) != self.n_x:
            raise DataError(f"data set {self.name!r}: image_shape {self.image_shape} does "
                            f"not match {self.n_x} features per example")

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    @property
    def n_x(self) -> int:
        return int(self.X_train.shape[0])

    @property
    def m_train(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def m_test(self) -> int:
        return int(self.X_test.shape[1])

    @property
    def is_image(self) -> bool:
        return self.image_shape is not None

    @property
    def is_planar(self) -> bool:
        return self.image_shape is None and self.n_x == 2

    def images(self, split: str = "train") -> np.ndarray:
        """The examples of `split` ("train" or "test") as pictures: (m, h, w, c).

        Undoes the lesson's flattening `x.reshape(m, -1).T`; raises DataError for point data.
        """
        if self.image_shape is None:
            raise DataError(f"data set {self.name!r} holds points, not images")
        if split not in ("train", "test"):
            raise DataError(f"unknown split {split!r}; choose 'train' or 'test'")
        X = self.X_train if split == "train" else self.X_test
        return X.T.reshape((X.shape[1], *self.image_shape))


def check_labels(labels, where: str, noun: str = "examples") -> int:
    """K, the number of classes of these labels, if they are 0, 1, ..., K-1 with an example
    of each (0/1 labels: two classes, whichever appear), 2 <= K <= MAX_CLASSES; else
    DataError (one line, starting with `where`)."""
    labels = np.asarray(labels, dtype=np.float64).reshape(-1)
    whole = np.isfinite(labels) & (labels == np.round(labels)) & (labels >= 0)
    if not whole.all():
        raise DataError(f"{where}: labels must be whole numbers 0, 1, 2, ..., not "
                        f"{labels[~whole][0]:g}")
    present = np.unique(labels).astype(np.int64)
    k = int(present[-1]) + 1 if present.size else 0
    if k > MAX_CLASSES:
        raise DataError(f"{where}: label {k - 1} means {k} classes; dnnviz takes at most "
                        f"{MAX_CLASSES}")
    if k < 2:
        raise DataError(f"{where}: needs {noun} of at least two classes (labels 0 and 1), "
                        f"found only label {k - 1}" if k else f"{where}: no labels")
    if k == 2:
        return 2  # the lesson's 0/1 labels: a set of one class is the caller's to refuse
    missing = sorted(set(range(k)) - set(present.tolist()))
    if missing:
        raise DataError(f"{where}: labels skip {', '.join(map(str, missing[:5]))}: classes "
                        f"are numbered 0 to {k - 1}, each with some {noun}")
    return k


def class_names(k: int) -> tuple[str, ...]:
    """Default names of K classes: "class 0", "class 1", ..."""
    return tuple(f"class {c}" for c in range(k))
