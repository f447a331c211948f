"""Every h5 file dnnviz reads is self-contained: its data lies in the file and nowhere else.

Before anything is read, the whole file is walked, link by link, without following any:
- an external link (into another h5 file) and a soft link (a name for another path, which
  may dangle or loop) are refused: dnnviz's files and the course's hold only hard links;
- a dataset whose data lies in other files is refused: external raw storage (which reads
  any file's bytes, /etc/passwd or /dev/zero, or blocks for ever on a named pipe) and
  virtual datasets (built from other files' datasets);
- a file of more than MAX_OBJECTS objects (or a group linked into itself) is refused.
Each refusal is one line of the caller's error class, naming the file and the dataset.
Datasets are then read by the caller, who checks their size before reading.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import h5py

from .reading import check_readable

MAX_OBJECTS = 10_000  # dnnviz's model files hold a few dozen; the course's files three
MAX_DEPTH = 32


@contextmanager
def open_h5(path, what: str, error: type[Exception]):
    """The h5 file at `path`, open for reading, once it is known to be a regular file we may
    read and self-contained (check_self_contained). h5py's own errors for a file that is
    not HDF5 pass through: the caller words them."""
    path = check_readable(path, what, error)
    with h5py.File(path, "r") as f:
        check_self_contained(f, path, error)
        yield f


def check_self_contained(f: h5py.File, path: Path, error: type[Exception]) -> None:
    """error('<path>: ...') for the first link or dataset that reaches outside the file."""
    count = [0]
    _walk(f, "", path, error, count, 0)


def _walk(group: h5py.Group, prefix: str, path, error, count: list, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise error(f"{path}: groups nested more than {MAX_DEPTH} deep at {prefix!r}")
    for name in group:
        count[0] += 1
        if count[0] > MAX_OBJECTS:
            raise error(f"{path}: more than {MAX_OBJECTS:,} objects (or a group linked into "
                        "itself); not a file dnnviz reads")
        full = prefix + name
        link = group.get(name, getlink=True)
        if isinstance(link, h5py.ExternalLink):
            raise error(f"{path}: {full!r} is an external link to {link.filename}:"
                        f"{link.path}; dnnviz reads only self-contained h5 files")
        if isinstance(link, h5py.SoftLink):
            raise error(f"{path}: {full!r} is a soft link to {link.path!r}; dnnviz reads "
                        "only h5 files without links")
        node = group.get(name)
        if isinstance(node, h5py.Dataset):
            _check_dataset(node, full, path, error)
        elif isinstance(node, h5py.Group):
            _walk(node, full + "/", path, error, count, depth + 1)


def _check_dataset(node: h5py.Dataset, name: str, path, error) -> None:
    if node.is_virtual:
        raise error(f"{path}: dataset {name!r} is a virtual dataset (its data lies in other "
                    "files); dnnviz reads only self-contained h5 files")
    external = node.external
    if external:
        raise error(f"{path}: dataset {name!r} keeps its data in another file "
                    f"({_name(external[0][0])}); dnnviz reads only self-contained h5 files")


def _name(raw) -> str:
    return raw.decode("utf-8", "backslashreplace") if isinstance(raw, bytes) else str(raw)
