"""The one container every data source fills: column-per-example arrays, as in the lesson."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class DataError(ValueError):
    """A data set could not be made or loaded; the message is one line, fit to show a user."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test examples as columns.

    X_train: (n_x, m_train) float64, pixel values scaled to [0, 1] for images.
    Y_train: (1, m_train) float64 of 0.0 / 1.0.
    image_shape: (height, width, channels) for image data, None for 2-D points.
    classes: the names of label 0 and label 1.

    Shapes are checked on construction (a mismatch raises DataError); dtypes are not.
    """

    name: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    classes: tuple[str, str] = ("class 0", "class 1")
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
