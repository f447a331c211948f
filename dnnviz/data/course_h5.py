"""Loader for the course's h5 files (train_catvnoncat.h5 / test_catvnoncat.h5 and look-alikes).

A file holds `<split>_set_x` (m, h, w, c) or (m, h, w) pixels with c = 1, 3 or 4,
`<split>_set_y` (m,) labels 0..K-1 and optionally `list_classes` (K,) bytes (the SIGNS set's
layout for K classes). Anything else
raises DataError with one line that names the file and says what is wrong; no other
exception type escapes for a bad file. Array sizes are checked before anything is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import h5py
import numpy as np

from dnnviz.files import expand_user
from dnnviz.files.h5 import open_h5

from .dataset import MAX_CLASSES, DataError, Dataset, check_labels, class_names

TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"
DATA_DIR_ENV = "DNNVIZ_DATA_DIR"
DEFAULT_CLASSES = class_names(2)  # two-class files without list_classes
MAX_DATA_BYTES = 2 * 2**30  # one array of a file, as float64 in memory
MAX_PIXEL = 1e6  # pictures hold 0..255 (or 0..1); values beyond this are not pixels
CHANNELS = (1, 3, 4)  # grey, RGB, RGBA
MAX_NAME_BYTES, MAX_NAMES = 1024, 1000  # list_classes, checked before it is read


class _Split(NamedTuple):
    path: Path
    x: np.ndarray                  # (m, h, w, c) as stored (grey images get c = 1)
    y: np.ndarray                  # (m,) as stored
    classes: tuple[str, ...] | None


def load_course_h5(train_path: str | os.PathLike, test_path: str | os.PathLike,
                   name: str | None = None) -> Dataset:
    """Load a train file and a test file in the course's layout.

    Returns X_train (h*w*c, m_train) = x.reshape(m, -1).T / 255, the lesson's own expression,
    so values match the course bit for bit; Y_train (1, m_train) float64; likewise for test.
    name defaults to "cat" for the course's classes (non-cat, cat), else the train file's stem.
    """
    train = _read_split(Path(train_path), "train")
    test = _read_split(Path(test_path), "test")
    if train.x.shape[1:] != test.x.shape[1:]:
        raise DataError(f"{test.path}: test images are {_size(test.x)} but the train images "
                        f"in {train.path.name} are {_size(train.x)}")
    if train.classes and test.classes and train.classes != test.classes:
        raise DataError(f"{test.path}: list_classes {test.classes} differs from "
                        f"{train.classes} in {train.path.name}")
    classes = _classes(train, test)
    if name is None:
        name = "cat" if classes == ("non-cat", "cat") else train.path.stem
    h, w, c = train.x.shape[1:]
    return Dataset(name=name, X_train=_flatten(train.x), Y_train=_row(train.y),
                   X_test=_flatten(test.x), Y_test=_row(test.y),
                   classes=classes, image_shape=(int(h), int(w), int(c)))


def _classes(train: _Split, test: _Split) -> tuple[str, ...]:
    """The names of the classes: list_classes, else class 0 .. class K-1; DataError when the
    training labels leave a class without an example or the test labels name another."""
    k = check_labels(train.y, str(train.path))
    names = train.classes or test.classes or class_names(k)
    if len(names) > k:
        raise DataError(f"{train.path}: class {k} ({names[k]!r}) of list_classes has no "
                        f"training example")
    if len(names) < k:
        raise DataError(f"{train.path}: label {k - 1} but list_classes names only "
                        f"{len(names)} classes")
    if test.y.size and test.y.max() >= k:
        raise DataError(f"{test.path}: label {test.y.max():g} but the training labels are "
                        f"0 to {k - 1}")
    return tuple(names)


def course_files(data_dir: str | os.PathLike | None) -> tuple[Path, Path] | None:
    """(train, test) paths of the course's two files in data_dir; None if either is absent.

    DataError if data_dir starts with ~user for a user that does not exist.
    """
    if data_dir is None:
        return None
    folder = Path(expand_user(os.fspath(data_dir), "data folder", DataError))
    train, test = folder / TRAIN_FILE, folder / TEST_FILE
    return (train, test) if train.is_file() and test.is_file() else None


def default_data_dir() -> Path | None:
    """The folder named by the DNNVIZ_DATA_DIR environment variable, or None if it is unset.

    DataError if it names the home of a user that does not exist (~nosuchuser/data).
    """
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(expand_user(value, DATA_DIR_ENV, DataError)) if value else None


def _flatten(x: np.ndarray) -> np.ndarray:
    """(m, h, w, c) pixels -> (h*w*c, m) float64 in [0, 1] for 0..255 input."""
    if x.dtype.kind == "f" and x.dtype != np.float64:
        x = x.astype(np.float64)
    return x.reshape(x.shape[0], -1).T / 255


def _row(y: np.ndarray) -> np.ndarray:
    return y.reshape(1, y.shape[0]).astype(np.float64)


def _size(x: np.ndarray) -> str:
    return "x".join(str(d) for d in x.shape[1:])


def _read_split(path: Path, split: str) -> _Split:
    """Read and check one file; `split` is "train" or "test" and picks the preferred keys."""
    try:
        with open_h5(path, "an h5 file", DataError) as f:  # self-contained: no links out
            keys = sorted(f.keys())
            x_key = _pick_key(path, keys, split, "_set_x")
            y_key = _pick_key(path, keys, split, "_set_y")
            x, y = _read_array(path, f, x_key), _read_array(path, f, y_key)
            raw_classes = (_read_array(path, f, "list_classes")
                           if "list_classes" in keys else None)
    except DataError:
        raise
    except Exception as exc:  # h5py raises OSError, KeyError, TypeError... for broken files
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError(f"{path}: not a readable HDF5 file ({detail})") from exc
    x, y = _check_arrays(path, x_key, x, y_key, y)
    classes = None if raw_classes is None else _decode_classes(path, raw_classes)
    return _Split(path, x, y, classes)


def _pick_key(path: Path, keys: list[str], split: str, suffix: str) -> str:
    """`<split><suffix>` if present, else the only key ending in suffix; DataError otherwise."""
    if split + suffix in keys:
        return split + suffix
    found = [k for k in keys if k.endswith(suffix)]
    if len(found) == 1:
        return found[0]
    present = ", ".join(keys) if keys else "none"
    if found:
        raise DataError(f"{path}: several keys end in {suffix!r} ({', '.join(found)}); "
                        f"expected {split + suffix!r}")
    raise DataError(f"{path}: missing key {split + suffix!r} (keys present: {present})")


def _read_array(path: Path, f: h5py.File, key: str) -> np.ndarray:
    """The whole data set `key` of an open file as a NumPy array."""
    node = f[key]
    if not isinstance(node, h5py.Dataset):
        raise DataError(f"{path}: {key!r} is a group, not an array")
    if node.shape is None:
        raise DataError(f"{path}: {key!r} is empty (it has no shape)")
    need = int(np.prod(node.shape, dtype=np.float64)) * max(8, node.dtype.itemsize)
    if node.dtype.kind == "O" and key != "list_classes":  # variable-length: unbounded
        raise DataError(f"{path}: {key!r} holds variable-length values, expected numbers")
    if key == "list_classes" and (node.dtype.itemsize > MAX_NAME_BYTES
                                  or node.size > MAX_NAMES):
        raise DataError(f"{path}: 'list_classes' of {node.size:,} names of "
                        f"{node.dtype.itemsize:,} bytes is too big for class names")
    if need > MAX_DATA_BYTES:
        raise DataError(f"{path}: {_key_shape(key, node)} would need {need / 2**30:,.1f} GiB "
                        f"of memory; dnnviz loads at most {MAX_DATA_BYTES / 2**30:g} GiB")
    return np.asarray(node[()])


def _check_arrays(path: Path, x_key: str, x: np.ndarray,
                  y_key: str, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return x as (m, h, w, c) and y as (m,), or raise DataError saying what is wrong."""
    for key, a in ((x_key, x), (y_key, y)):
        if a.dtype.kind not in "biuf":
            raise DataError(f"{path}: {key!r} holds {a.dtype} values, expected numbers")
    if x.ndim == 3:
        x = x[..., np.newaxis]                              # grey images: one channel
    elif x.ndim != 4:
        raise DataError(f"{path}: {_key_shape(x_key, x)} has {x.ndim} dimensions; expected "
                        "(m, height, width, channels) or (m, height, width)")
    if y.ndim == 2 and 1 in y.shape:
        y = y.reshape(-1)                                   # (1, m) or (m, 1) labels
    if y.ndim != 1:
        raise DataError(f"{path}: {_key_shape(y_key, y)} should be a list of labels (m,)")
    if x.shape[0] != y.shape[0]:
        raise DataError(f"{path}: {x_key!r} has {x.shape[0]} examples but {y_key!r} "
                        f"has {y.shape[0]} labels")
    if x.shape[0] == 0:
        raise DataError(f"{path}: zero examples ({x_key!r} is empty)")
    if 0 in x.shape[1:]:
        raise DataError(f"{path}: {_key_shape(x_key, x)} holds images of zero size")
    if x.shape[3] not in CHANNELS:
        raise DataError(f"{path}: {_key_shape(x_key, x)} holds pictures of {x.shape[3]} "
                        "channels; expected 1 (grey), 3 (RGB) or 4 (RGBA)")
    yf = y.astype(np.float64)
    bad = y[~(np.isfinite(yf) & (yf == np.round(yf)) & (yf >= 0) & (yf < MAX_CLASSES))]
    if bad.size:
        found = ", ".join(f"{v:g}" for v in np.unique(bad)[:5])
        raise DataError(f"{path}: labels in {y_key!r} must be class numbers 0, 1, ... "
                        f"(at most {MAX_CLASSES - 1}), found {found}")
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise DataError(f"{path}: {x_key!r} contains NaN or infinite pixel values")
    peak = _peak(x)
    if peak > MAX_PIXEL:  # also any float128 too large for float64
        shown = np.format_float_scientific(np.longdouble(peak), precision=2, unique=False)
        raise DataError(f"{path}: {x_key!r} holds pixel values as large as {shown}; "
                        f"pictures hold 0 to 255 (dnnviz takes at most {MAX_PIXEL:,.0f})")
    return x, y


def _peak(x: np.ndarray):
    """The largest magnitude in x, exact for every integer and float type."""
    if x.dtype.kind in "iu":
        return max(abs(int(x.max())), abs(int(x.min())))
    if x.dtype.kind == "f":
        return max(abs(x.max()), abs(x.min()))
    return 0


def _key_shape(key: str, a: np.ndarray) -> str:
    return f"{key!r} of shape {a.shape}"


def _decode_classes(path: Path, raw: np.ndarray) -> tuple[str, ...]:
    """list_classes (K,) of bytes, str or numbers (the SIGNS set's 0..5) -> K names;
    DataError for any other shape."""
    if raw.ndim != 1 or not 2 <= raw.shape[0] <= MAX_CLASSES:
        raise DataError(f"{path}: 'list_classes' of shape {raw.shape} should hold 2 to "
                        f"{MAX_CLASSES} names")
    names = [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in raw]
    return tuple(n.strip().strip("\x00") for n in names)
