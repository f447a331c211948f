"""Loading a student's .py file or Jupyter notebook into a fresh namespace.

A notebook's code cells run in order, as "Run all" would. IPython lines are skipped: line
magics and shell lines (`%matplotlib inline`, `!pip install ...`, `?np.dot`) become `pass`,
and a cell starting with a cell magic (`%%time`) is skipped whole, with a note.

Every top-level statement runs on its own, under a time limit. One that raises (a cell that
loads files the student keeps elsewhere, a test that fails, an import dnnviz does not have)
or runs too long (a whole training run) is reported as a note and skipped, and the rest
still runs: the functions defined after it are still found. `if __name__ == "__main__":`
blocks do not run. The file's folder is on sys.path while it loads, so its own modules
(dnn_utils.py beside the notebook) import.

A file that cannot be used at all raises StudentFileError, one line: missing, not a .py
or .ipynb, not text, not a notebook, or a syntax error (with its cell and line).
"""

from __future__ import annotations

import ast
import builtins
import json
import linecache
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dnnviz.files import read_bytes
from dnnviz.student.sandbox import StudentError, first_lines, run_student

MAX_FILE_BYTES = 16 << 20
LOAD_SECONDS = 10.0  # per top-level statement
MODULE_NAME = "__student__"  # not "__main__": their `if __name__ == "__main__":` stays off


class StudentFileError(ValueError):
    """The file cannot be used; the message is one line."""


@dataclass
class StudentFile:
    """A loaded file: the namespace its code ran in, and what happened on the way."""

    path: Path
    namespace: dict
    filenames: frozenset  # the names its code was compiled under, for tracebacks
    notes: list = field(default_factory=list)  # what went wrong on the way, one line each


@dataclass(frozen=True)
class _Source:
    filename: str  # what a traceback shows: the path, or "path, cell 3"
    text: str
    where: str  # "" for a .py, "cell 3, " for a notebook
    skipped: str = ""  # why it does not run (a cell magic)


def load_student_file(path, *, seconds: float | None = LOAD_SECONDS) -> StudentFile:
    """Run the file's code in a fresh namespace; see the module's docstring."""
    path = Path(path)
    sources = read_sources(path)
    trees = [(source, _parse(path, source)) for source in sources]
    namespace = {"__name__": MODULE_NAME, "__file__": str(path), "__builtins__": builtins}
    filenames = frozenset(source.filename for source in sources)
    loaded = StudentFile(path, namespace, filenames)
    with _on_sys_path(path.parent):
        for source, tree in trees:
            if source.skipped:
                loaded.notes.append(source.skipped)
            for statement in tree.body:
                _run_statement(loaded, source, statement, seconds)
    return loaded


def parse_student_file(path) -> None:
    """Read and parse the file, running none of it: StudentFileError when it cannot be
    used (missing, not a .py or .ipynb, a syntax error with its line)."""
    path = Path(path)
    for source in read_sources(path):
        _parse(path, source)


def read_sources(path: Path) -> list[_Source]:
    """The file's code, as sources to compile one by one."""
    if not path.exists():
        raise StudentFileError(f"{path}: no such file")
    if path.suffix not in (".py", ".ipynb"):
        raise StudentFileError(f"{path}: not a Python file or a Jupyter notebook "
                               "(expected a .py or .ipynb file)")
    # a regular file only (a named pipe would hang, /dev/zero never end), at most 16 MiB
    data = read_bytes(path, MAX_FILE_BYTES, "a Python file or notebook", StudentFileError)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StudentFileError(f"{path}: not a Python file (not UTF-8 text)") from None
    if path.suffix == ".py":
        return [_Source(str(path), text, "")]
    return _notebook_sources(path, text)


def _notebook_sources(path: Path, text: str) -> list[_Source]:
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudentFileError(f"{path}: not a Jupyter notebook (invalid JSON at line "
                               f"{exc.lineno})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise StudentFileError(f"{path}: not a Jupyter notebook (nbformat 4) with cells")
    sources = []
    for number, cell in enumerate(cells, start=1):  # counted as they appear, text cells too
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        filename, where = f"{path}, cell {number}", f"cell {number}, "
        if source.lstrip().startswith("%%"):
            sources.append(_Source(filename, "", where, f"cell {number}: a cell magic "
                                   f"({source.split()[0]}), skipped"))
            continue
        source = without_ipython_lines(source)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        sources.append(_Source(filename, source, where))
    return sources


def without_ipython_lines(source: str) -> str:
    """Line magics, shell and help lines become `pass`, so line numbers stay the same."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped[:1] in ("%", "!", "?"):
            line = line[: len(line) - len(stripped)] + "pass"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _parse(path: Path, source: _Source) -> ast.Module:
    try:
        return ast.parse(source.text, filename=source.filename)
    except SyntaxError as exc:
        code = (exc.text or "").strip()
        shown = f": {code}" if code else ""
        raise StudentFileError(f"{path}: syntax error in {source.where}line {exc.lineno}: "
                               f"{exc.msg}{shown}") from None
    except ValueError as exc:  # null bytes
        raise StudentFileError(f"{path}: not a Python file ({exc})") from None


def _run_statement(loaded: StudentFile, source: _Source, statement, seconds) -> None:
    code = compile(ast.Module([statement], []), source.filename, "exec")
    where = f"{source.where}line {statement.lineno}"
    try:
        _, printed = run_student(lambda: exec(code, loaded.namespace), loaded.filenames,
                                 seconds=seconds, what=f"the code at {where}")
    except StudentError as exc:
        message = str(exc) if exc.kind != "not implemented" else \
            f"the code at {where} raised NotImplementedError"
        printed = first_lines(exc.output)
        shown = f" (it printed: {printed})" if printed else ""
        loaded.notes.append(f"{message}{shown}; skipped, the rest was run")


class _on_sys_path:
    """The student's folder first on sys.path; the modules imported from it are forgotten
    afterwards, so another file's dnn_utils.py is not mistaken for this one's."""

    def __init__(self, folder: Path):
        self.folder = str(folder.resolve())

    def __enter__(self):
        self.before = set(sys.modules)
        sys.path.insert(0, self.folder)

    def __exit__(self, *exc):
        if sys.path and sys.path[0] == self.folder:
            del sys.path[0]
        for name in set(sys.modules) - self.before:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if file.startswith(self.folder + os.sep) and not name.startswith("dnnviz"):
                del sys.modules[name]
