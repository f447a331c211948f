"""Loading a student's .py file or Jupyter notebook into a fresh namespace.

A notebook's code cells run in order, as "Run all" would. IPython lines are skipped: line
magics and shell lines (`%matplotlib inline`, `!pip install ...`, `?np.dot`, `np.dot?`) and
automagics written without their % (`cd '/content/drive/...'`, `ls`, `pwd`, `pip install`)
become `pass`; a cell starting with a cell magic (`%%time`) is skipped whole, with a note,
and so is a cell that still does not parse as Python (one note for all of them).

Every top-level statement runs on its own, under a time limit. One that raises (a cell that
loads files the student keeps elsewhere, a test that fails, an import dnnviz does not have)
or runs too long (a whole training run) is reported as a note and skipped, and the rest
still runs: the functions defined after it are still found. `if __name__ == "__main__":`
blocks do not run. The file's folder is on sys.path while it loads, so its own modules
(dnn_utils.py beside the notebook) import.

Notes of statements skipped because a module is not here (`from testCases_v4a import *`,
`import public_tests`) or a name is not defined (the test cells that use them) collapse into
one line naming the missing modules; StudentFile.all_notes has each one.

A file that cannot be used at all raises StudentFileError, one line: missing, not a regular
file (a folder, a FIFO, a device), too big, not a .py or .ipynb, not text, not a notebook,
or a .py with a syntax error (with its line).
"""

from __future__ import annotations

import ast
import builtins
import json
import linecache
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dnnviz.files import read_bytes
from dnnviz.student.sandbox import StudentError, first_lines, run_student

LOAD_SECONDS = 10.0  # per top-level statement
MAX_BYTES = 50 * 2**20  # a notebook with pictures in its outputs stays well under
# IPython's automagics and shell aliases: a line starting with one of them as a command
# (`cd '/content/drive/MyDrive'`, `ls -la`, `pip install h5py`), not as Python (`cd = 1`)
AUTOMAGICS = frozenset(
    "alias autoreload cat cd clear conda cp env history load_ext ll ls lsmagic magic matplotlib "
    "mkdir mv pip pwd reload_ext rm rmdir run set_env sx system time timeit who whos "
    "xmode".split())
_AUTOMAGIC = re.compile(r"^([A-Za-z_]\w*)(?:\s+(?![=(\[.,:+*/%&|^<>!]|-[\s\d=]|is\b|in\b|and\b|or\b"
                        r"|if\b|else\b|not\b|for\b)|\s*$)")
MODULE_NAME = "__student__"  # not "__main__": their `if __name__ == "__main__":` stays off


class StudentFileError(ValueError):
    """The file cannot be used; the message is one line."""


@dataclass
class StudentFile:
    """A loaded file: the namespace its code ran in, and what happened on the way."""

    path: Path
    namespace: dict
    filenames: frozenset  # the names its code was compiled under, for tracebacks
    all_notes: list = field(default_factory=list)  # what went wrong on the way, one line each
    missing_modules: list = field(default_factory=list)  # imports that failed: not here
    unavailable: list = field(default_factory=list)  # notes of statements needing them

    @property
    def notes(self) -> list:
        """all_notes, with those of statements that need a module that is not here (or a
        name from one) collapsed into one line."""
        return collapse_notes(self.all_notes, self.unavailable, self.missing_modules)


def collapse_notes(notes, unavailable, modules) -> list:
    """`notes` with the ones in `unavailable` replaced by one line naming `modules`."""
    if len(unavailable) < 2:
        return list(notes)
    kept = [n for n in notes if n not in unavailable]
    named = f" ({', '.join(modules)})" if modules else ""
    return kept + [f"{len(unavailable)} statements skipped: they need modules that are not "
                   f"here{named} or names from them (test cells, helpers of the course); "
                   "--verbose lists them"]


@dataclass(frozen=True)
class _Source:
    filename: str  # what a traceback shows: the path, or "path, cell 3"
    text: str
    where: str  # "" for a .py, "cell 3, " for a notebook
    skipped: str = ""  # why it does not run (a cell magic, a cell that does not parse)


def load_student_file(path, *, seconds: float | None = LOAD_SECONDS, skip=frozenset(),
                      before=None) -> StudentFile:
    """Run the file's code in a fresh namespace; see the module's docstring.
    skip: statement_key()s not to run (a parent stopped them: it adds their notes);
    before(key): called before each statement runs."""
    path = Path(path)
    sources = read_sources(path)
    trees = [(source, _parse(path, source)) for source in sources]
    namespace = {"__name__": MODULE_NAME, "__file__": str(path), "__builtins__": builtins}
    filenames = frozenset(source.filename for source in sources)
    loaded = StudentFile(path, namespace, filenames)
    unparsed = [source for source in sources if source.skipped.startswith("unparsed:")]
    if unparsed:
        loaded.all_notes.append(_unparsed_note(unparsed))
    with _on_sys_path(path.parent):
        for source, tree in trees:
            if source.skipped and not source.skipped.startswith("unparsed:"):
                loaded.all_notes.append(source.skipped)
            for statement in tree.body:
                key = statement_key(source, statement)
                if key in skip:
                    continue
                if before is not None:
                    before(key)
                _run_statement(loaded, source, statement, seconds)
    return loaded


def statement_key(source, statement) -> str:
    """A top-level statement's name: "cell 3, line 2" (or "line 2"), for notes and skips."""
    return f"{source.where}line {statement.lineno}"


def _unparsed_note(unparsed) -> str:
    first = unparsed[0].skipped.removeprefix("unparsed:")
    cells = ", ".join(s.where.split(",")[0].removeprefix("cell ") for s in unparsed)
    which = f"cell {cells} does" if len(unparsed) == 1 else f"cells {cells} do"
    return f"{which} not parse as Python, skipped ({first})"


def parse_student_file(path) -> None:
    """Read and parse the file, running none of it: StudentFileError when it cannot be
    used (missing, not a .py or .ipynb, a syntax error with its line)."""
    path = Path(path)
    for source in read_sources(path):
        _parse(path, source)


def _check_regular(path: Path) -> None:
    """A file, not a folder, that is there."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StudentFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise StudentFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise StudentFileError(f"{path}: is a folder, not a file")
    # a pipe, a device, a file too big: dnnviz.files.read_bytes says so, as for any input


def read_sources(path: Path) -> list[_Source]:
    """The file's code, as sources to compile one by one."""
    _check_regular(path)
    if path.suffix not in (".py", ".ipynb"):
        raise StudentFileError(f"{path}: not a Python file or a Jupyter notebook "
                               "(expected a .py or .ipynb file)")
    # a regular file only (a named pipe would hang, /dev/zero never end), at most 50 MiB
    data = read_bytes(path, MAX_BYTES, "a Python file or notebook", StudentFileError)
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
        try:
            ast.parse(source, filename=filename)
        except (SyntaxError, ValueError) as exc:
            sources.append(_Source(filename, "", where, "unparsed:" + _syntax_text(where, exc)))
            continue
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        sources.append(_Source(filename, source, where))
    return sources


def _syntax_text(where: str, exc) -> str:
    if not isinstance(exc, SyntaxError):
        return f"{where}{exc}"
    code = (exc.text or "").strip()
    return f"{where}line {exc.lineno}: {exc.msg}" + (f": {code}" if code else "")


def without_ipython_lines(source: str) -> str:
    """Line magics, shell and help lines, and automagics without their %, become `pass`,
    so line numbers stay the same."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if _is_ipython(stripped):
            line = line[: len(line) - len(stripped)] + "pass"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _is_ipython(stripped: str) -> bool:
    if stripped[:1] in ("%", "!", "?"):
        return True
    if stripped.endswith("?") and not stripped.startswith("#"):
        return True  # np.dot? : help
    match = _AUTOMAGIC.match(stripped)
    return bool(match) and match.group(1) in AUTOMAGICS


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
    where = statement_key(source, statement)
    try:
        _, printed = run_student(lambda: exec(code, loaded.namespace), loaded.filenames,
                                 seconds=seconds, what=f"the code at {where}")
    except StudentError as exc:
        message = str(exc) if exc.kind != "not implemented" else \
            f"the code at {where} raised NotImplementedError"
        printed = first_lines(exc.output)
        shown = f" (it printed: {printed})" if printed else ""
        note = f"{message}{shown}; skipped, the rest was run"
        loaded.all_notes.append(note)
        missing = _missing_module(exc.exception)
        if missing is not None:
            loaded.unavailable.append(note)
            if missing and missing not in loaded.missing_modules:
                loaded.missing_modules.append(missing)


def _missing_module(exc) -> str | None:
    """The module an import could not find ("" for a name not defined); None otherwise."""
    if isinstance(exc, ImportError):
        return (exc.name or "").split(".")[0] or ""
    return "" if isinstance(exc, NameError) else None


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
