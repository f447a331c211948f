"""Your own data: points drawn on the plane or read from a CSV, pictures from a folder.

Points (drawn, or a CSV of `x1,x2,label` lines) and pictures (a folder with one sub-folder
per class) are split into train and test as the built-in sets are: `test_fraction` of each
class to test, shuffled by a generator seeded with the data seed, so the same data and
seed give the same split. Pictures are read by a `decode(path, shape)` the caller gives
(Qt's QImage in the window and on the command line: this package never imports Qt),
resized to 64x64x3 and flattened in the course's order, `x.reshape(m, -1).T / 255`.
Every problem is a DataError of one line naming the file, the folder or the pictures.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dnnviz.files import read_text

from .builtin import check_seed, check_test_fraction, split_classes
from .dataset import MAX_CLASSES, DataError, Dataset, check_labels, class_names

MIN_PER_CLASS = 2  # one to train on and one to test with
MAX_POINTS = 100_000
MAX_CSV_BYTES = 8 << 20
MAX_COORDINATE = 1e6  # the plane's sets lie within a few units; 1e200 would overflow
PICTURE_SHAPE = (64, 64, 3)  # the course's pictures
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
MAX_PICTURES = 5000
POINT_CLASSES = class_names(2)


def points_dataset(points, *, name: str, test_fraction: float | None = None,
                   seed: int = 0) -> Dataset:
    """A 2-D data set from points, rows (x1, x2, label) with labels 0, 1, ..., K-1."""
    P = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    if not np.isfinite(P).all():
        raise DataError(f"{name}: every coordinate must be a finite number")
    if P.size and np.abs(P[:, :2]).max() > MAX_COORDINATE:
        raise DataError(f"{name}: coordinates must lie between {-MAX_COORDINATE:,.0f} and "
                        f"{MAX_COORDINATE:,.0f}, not {np.abs(P[:, :2]).max():g}")
    labels = P[:, 2]
    k = check_labels(labels, name, "points")
    return _split(name, P[:, :2].T, labels, class_names(k), "points", test_fraction, seed)


def _split(name, X, labels, classes, noun, test_fraction, seed, image_shape=None) -> Dataset:
    counts = [int(np.sum(labels == c)) for c in range(len(classes))]
    if min(counts) < MIN_PER_CLASS:
        has = " and ".join(f"{n} of {c}" for n, c in zip(counts, classes)) if len(counts) == 2 \
            else f"{min(counts)} of {classes[int(np.argmin(counts))]}"
        raise DataError(f"{name}: needs at least {MIN_PER_CLASS} {noun} of each class to "
                        f"train and test on; it has {has}")
    fraction = check_test_fraction(test_fraction)
    check_seed(seed)
    train, test = split_classes(np.random.RandomState(seed), labels, fraction)
    return Dataset(name=name, X_train=np.ascontiguousarray(X[:, train]),
                   Y_train=labels[None, train], X_test=np.ascontiguousarray(X[:, test]),
                   Y_test=labels[None, test], classes=classes, image_shape=image_shape)


def read_points_csv(path) -> np.ndarray:
    """(m, 3) float64 rows (x1, x2, label) of a CSV file; a first line that is not numbers
    is a header. Blank lines and lines starting with # are skipped."""
    path = Path(path)
    text = read_text(path, MAX_CSV_BYTES, "a CSV of points", DataError)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.replace(";", ",").split(",")]
        values = _numbers(cells)
        if values is None and not rows and number == _first_line(text):
            continue  # a header such as x1,x2,label
        if values is None or len(cells) != 3:
            raise DataError(f"{path}: line {number}: expected x1,x2,label (three numbers), "
                            f"not {_short(line)!r}")
        if not all(math.isfinite(v) for v in values):
            raise DataError(f"{path}: line {number}: coordinates must be finite numbers")
        if max(abs(values[0]), abs(values[1])) > MAX_COORDINATE:
            raise DataError(f"{path}: line {number}: coordinates must lie between "
                            f"{-MAX_COORDINATE:,.0f} and {MAX_COORDINATE:,.0f}")
        if not (values[2] == round(values[2]) and 0 <= values[2] < MAX_CLASSES):
            raise DataError(f"{path}: line {number}: the label must be a class number 0, "
                            f"1, ... (at most {MAX_CLASSES - 1}), not {cells[2]!r}")
        rows.append(values)
        if len(rows) > MAX_POINTS:
            raise DataError(f"{path}: more than {MAX_POINTS:,} points")
    if not rows:
        raise DataError(f"{path}: no points (expected lines x1,x2,label)")
    return np.array(rows, dtype=np.float64)


def load_points_csv(path, *, test_fraction: float | None = None, seed: int = 0) -> Dataset:
    """The points of a CSV file (read_points_csv), split into train and test."""
    points = read_points_csv(path)
    return points_dataset(points, name=Path(path).stem or "points",
                          test_fraction=test_fraction, seed=seed)


def _first_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.strip().startswith("#"):
            return number
    return 0


def _numbers(cells) -> list[float] | None:
    try:
        return [float(c) for c in cells]
    except ValueError:
        return None


def _shown(name: str) -> str:
    """A file name fit to show: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become the replacement character."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- pictures ---------------------------------------------------------------------------------

Decode = Callable[[str, tuple], np.ndarray]  # (path, (h, w, c)) -> (h, w, c) uint8


def class_folders(folder) -> tuple[Path, list[Path]]:
    """The folder and its class sub-folders (two or more), sorted by name (label 0 first)."""
    folder = Path(os.path.expanduser(str(folder)))
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise DataError(f"{folder}: {what}; give a folder with one sub-folder per class")
    try:
        subs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        raise DataError(f"{folder}: cannot list it ({exc.strerror or exc})") from None
    if not 2 <= len(subs) <= MAX_CLASSES:
        found = f"{len(subs)} ({', '.join(p.name for p in subs[:4])}{', ...' * (len(subs) > 4)})" \
            if subs else "none"
        raise DataError(f"{folder}: needs one sub-folder per class, 2 to {MAX_CLASSES} "
                        f"classes; found {found}")
    return folder, subs


def pictures_in(sub: Path) -> list[Path]:
    try:
        files = sorted(p for p in sub.iterdir()
                       if p.suffix.lower() in PICTURE_SUFFIXES and not p.name.startswith("."))
    except OSError as exc:
        raise DataError(f"{sub}: cannot list it ({exc.strerror or exc})") from None
    if not files:
        raise DataError(f"{sub}: no pictures ({', '.join(PICTURE_SUFFIXES)}): each class "
                        "needs some")
    return files


def load_picture_folder(folder, decode: Decode, *, test_fraction: float | None = None,
                        seed: int = 0) -> Dataset:
    """The pictures of a folder's sub-folders (the classes, named after them, in name
    order: the first is label 0), each decoded to 64x64x3, split into train and test."""
    folder, subs = class_folders(folder)
    files = [pictures_in(sub) for sub in subs]
    total = sum(len(f) for f in files)
    if total > MAX_PICTURES:
        raise DataError(f"{folder}: {total:,} pictures; dnnviz reads at most {MAX_PICTURES:,}")
    pixels, failed = [], []
    for path in (p for class_files in files for p in class_files):
        try:
            array = np.asarray(decode(str(path), PICTURE_SHAPE), dtype=np.uint8)
        except (ValueError, OSError) as exc:
            failed.append((path, " ".join(str(exc).split())))
            continue
        if array.shape != PICTURE_SHAPE:
            failed.append((path, f"decoded to shape {array.shape}"))
            continue
        pixels.append(array)
    if failed:
        names = ", ".join(f"{p.parent.name}/{p.name}" for p, _ in failed[:3])
        more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
        raise DataError(f"{folder}: {len(failed)} picture{'s' * (len(failed) > 1)} could not "
                        f"be read: {names}{more} ({failed[0][1]})")
    X = np.stack(pixels).reshape(total, -1).T / 255  # the course's flattening
    labels = np.concatenate([np.full(len(f), float(c)) for c, f in enumerate(files)])
    classes = tuple(_shown(sub.name) for sub in subs)
    return _split(folder.name or str(folder), X, labels, classes, "pictures", test_fraction,
                  seed, PICTURE_SHAPE)
