"""Outputs never touch inputs: one rule, by file identity rather than by name.

An output (a report, a costs CSV, a saved model, a screenshot, a config) is refused when it
is one of the run's input files, or lies anywhere inside an input folder (a picture folder).
"The same file" means the same device and inode (os.stat's st_dev, st_ino), so a symlink, a
hard link, `./x`, `../here/x` or another spelling of an input is caught as well as its own
name. An output that does not exist yet cannot be an input file, but may still be inside an
input folder: its folders are compared one by one, by identity too.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from .writing import STDOUT, SaveError


class Input(NamedTuple):
    """One file or folder a run reads: what it is ("the points file") and its path."""

    what: str
    path: str


def _identity(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing, unreadable, or a name with NUL
        return None
    return st.st_dev, st.st_ino


def _folders_of(path: str) -> list[tuple[int, int]]:
    """The identities of every folder holding `path` (symlinks resolved), innermost first."""
    out = []
    folder = os.path.dirname(os.path.realpath(path))
    while True:
        ident = _identity(folder)
        if ident is not None:
            out.append(ident)
        parent = os.path.dirname(folder)
        if parent == folder:
            return out
        folder = parent


def clash(output: str, inputs) -> tuple[Input, bool] | None:
    """(the input `output` would touch, whether it lies inside it as a folder), or None."""
    if output == STDOUT:
        return None
    ident = _identity(output)
    folders = None
    for entry in inputs:
        if not entry.path:
            continue
        other = _identity(entry.path)
        if other is None:
            continue
        if ident is not None and ident == other:
            return entry, False
        if os.path.isdir(entry.path):
            folders = _folders_of(output) if folders is None else folders
            if other in folders:
                return entry, True
    return None


def check_not_inputs(outputs: dict[str, str], inputs) -> None:
    """SaveError (one line) if an output (label -> path) is an input file or inside an input
    folder; `inputs` is an iterable of Input."""
    inputs = list(inputs)
    for label, path in outputs.items():
        found = clash(path, inputs)
        if found is None:
            continue
        entry, inside = found
        where = "is inside" if inside else "is"
        raise SaveError(f"{label} {path} {where} {entry.what} {entry.path}, an input of this "
                        "run; outputs never replace inputs: give another file name")
