"""The UCI handwritten digits: 1797 pictures of 8x8 counts 0..16, ten classes (0 to 9).

E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning
Repository (1998), CC BY 4.0: 32x32 bitmaps of digits written by 43 people, each 4x4 block
counted (0..16 pixels on). dnnviz ships the copy scikit-learn ships (digits.csv.gz: a row
of 64 counts and the digit), read here with the standard library.
"""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

from .dataset import DataError

CREDIT = ("The digits: E. Alpaydin and C. Kaynak, \"Optical Recognition of Handwritten "
          "Digits\", UCI Machine Learning Repository (1998), CC BY 4.0.")
SHAPE = (8, 8, 1)
LEVELS = 16  # the counts run 0..16; the network reads count / 16
CLASSES = tuple(str(d) for d in range(10))
COUNT = 1797


def read_digits() -> tuple[np.ndarray, np.ndarray]:
    """(counts (1797, 64) of 0..16, digits (1797,)) from the shipped file."""
    try:
        raw = resources.files("dnnviz.data").joinpath("digits.csv.gz").read_bytes()
        rows = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",")
    except (OSError, ValueError) as exc:
        raise DataError(f"the built-in digits could not be read ({exc})") from None
    if rows.shape != (COUNT, 65):
        raise DataError(f"the built-in digits file holds {rows.shape}, not ({COUNT}, 65)")
    return rows[:, :64], rows[:, 64].astype(np.int64)


def pick_digits(rng, labels: np.ndarray, n_samples: int) -> np.ndarray:
    """Indices of n_samples of the pictures, as even across the digits as n allows (all of
    them: every picture), in the file's order."""
    if n_samples >= labels.size:
        return np.arange(labels.size)
    k = len(CLASSES)
    picked = [rng.permutation(np.flatnonzero(labels == d))[:n_samples // k + (d < n_samples % k)]
              for d in range(k)]
    return np.sort(np.concatenate(picked))


PAD_CELLS = 32  # the UCI forms' bitmaps: 32x32, counted in 4x4 blocks
BLOCK = PAD_CELLS // SHAPE[0]


def bitmap_to_counts(bitmap) -> np.ndarray:
    """A 32x32 bitmap (True: ink) as the UCI set made its pictures: the pixels on in each
    4x4 block, counted, an (8, 8) array of 0..16."""
    bitmap = np.asarray(bitmap, dtype=bool)
    if bitmap.shape != (PAD_CELLS, PAD_CELLS):
        raise ValueError(f"a drawing is {PAD_CELLS}x{PAD_CELLS} cells, not {bitmap.shape}")
    blocks = bitmap.reshape(SHAPE[0], BLOCK, SHAPE[1], BLOCK)
    return blocks.sum(axis=(1, 3)).astype(np.int64)


def counts_to_input(counts) -> np.ndarray:
    """(8, 8) counts as one input column (64, 1) the network reads: count / 16."""
    return np.asarray(counts, dtype=np.float64).reshape(-1, 1) / LEVELS
