"""Reading a model file's fields, each checked before it is used: an array's kind and
shape before it is read, an attribute's type. Every problem is a ModelFileError of one line
that names the file (persist.py reads the file's layout with these)."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np


class ModelFileError(ValueError):
    """A model file cannot be used; the message is one line naming the file."""


def read_array(path: Path, f, key: str, kinds: str, shape: tuple,
                max_rows: int | None = None) -> np.ndarray:
    """Dataset `key`, checked for kind and shape (None: up to max_rows) before it is read."""
    node = f.get(key)
    if not isinstance(node, h5py.Dataset):
        raise ModelFileError(f"{path}: missing array {key!r}")
    want = "x".join("n" if n is None else str(n) for n in shape)
    if len(node.shape or ()) != len(shape) or any(
            n is not None and n != m for n, m in zip(shape, node.shape)):
        raise ModelFileError(f"{path}: {key!r} has shape {node.shape}, expected {want}")
    if max_rows is not None and node.shape[0] > max_rows:
        raise ModelFileError(f"{path}: {key!r} has {node.shape[0]:,} rows, more than "
                             f"{max_rows:,}")
    if node.dtype.kind not in kinds:
        raise ModelFileError(f"{path}: {key!r} holds {node.dtype} values, expected numbers")
    return np.asarray(node[()])


def read_attr(path: Path, f: h5py.File, name: str, kind: type, required: bool = True):
    """Attribute `name` as a Python str, int or float; None if absent and not required."""
    if name not in f.attrs:
        if required:
            raise ModelFileError(f"{path}: missing attribute {name!r}")
        return None
    value = f.attrs[name]
    if kind is str:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            return str(value)
    elif np.ndim(value) == 0 and not isinstance(value, (bool, np.bool_, str, bytes)):
        if kind is int and isinstance(value, (int, np.integer)):
            return int(value)
        if kind is float and isinstance(value, (int, float, np.integer, np.floating)):
            return float(value)
    what = {str: "text", int: "a whole number", float: "a number"}[kind]
    raise ModelFileError(f"{path}: attribute {name!r} should be {what}, not {show(value)}")


def read_image_shape(path: Path, f: h5py.File, n_x: int) -> tuple[int, int, int] | None:
    if "image_shape" not in f.attrs:
        return None
    shape = np.asarray(f.attrs["image_shape"])
    if (shape.shape != (3,) or shape.dtype.kind not in "iu" or shape.min() < 1
            or int(np.prod(shape)) != n_x):
        raise ModelFileError(f"{path}: image_shape {show(shape)} does not fit {n_x} inputs")
    return tuple(int(n) for n in shape)


def size_text(shape) -> str:
    return "x".join(str(n) for n in shape)


def show(value) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= 40 else text[:37] + "..."
