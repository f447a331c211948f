"""The lesson's functions in a student's loaded file, found by name, and how to call them.

- Found by their course names, or by the names `--name COURSE=THEIRS` gives.
- Called by keyword when every one of the lesson's parameter names is among theirs (so
  their order does not matter), by position in the lesson's order otherwise.
- A function missing from the file gets dnnviz's in the file's namespace, so the student's
  other functions can still call it (the course gives sigmoid, relu and their backward
  passes in dnn_utils.py; a notebook may have imported them from there).
- `stand_ins` checks a function on its own: while it runs, the lesson functions named
  there (the student's that failed their check) are dnnviz's, called as the student's
  are called (their parameter names, their order: stand_in), so a mistake is found where it
  is, not where it shows; the student's own helpers that passed are used as they are.
"""

from __future__ import annotations

import contextlib
import inspect
import types

import numpy as np

from dnnviz.nn import functional as F
from dnnviz.student.loader import StudentFile
from dnnviz.student.sandbox import run_student
from dnnviz.student.spec import BY_NAME, NAMES

CALL_SECONDS = 5.0


class NameMappingError(ValueError):
    """A bad --name COURSE=THEIRS; one line."""


class SignatureMismatch(Exception):
    """Their function cannot be called with the lesson's arguments."""


def parse_names(pairs) -> dict[str, str]:
    """["L_model_forward=L_model_fp", ...] -> {"L_model_forward": "L_model_fp", ...}."""
    names = {}
    for pair in pairs or ():
        course, sep, theirs = pair.partition("=")
        course, theirs = course.strip(), theirs.strip()
        if not sep or not theirs.isidentifier():
            raise NameMappingError(f"--name {pair!r}: expected COURSE=THEIRS, for example "
                                   "L_model_forward=L_model_fp")
        if course not in BY_NAME:
            raise NameMappingError(f"--name {pair!r}: {course!r} is not one of the lesson's "
                                   f"functions: {', '.join(NAMES)}")
        names[course] = theirs
    return names


class StudentFunctions:
    """The lesson's functions of one loaded file, by course name."""

    def __init__(self, loaded: StudentFile, names: dict[str, str] | None = None):
        self.file = loaded
        self.names = {course: (names or {}).get(course, course) for course in NAMES}
        namespace = loaded.namespace
        self.found = {c: namespace[t] for c, t in self.names.items() if t in namespace}
        self.missing = [c for c in NAMES if c not in self.found]
        for course in self.missing:
            namespace[self.names[course]] = getattr(F, course)

    def their(self, course: str) -> str:
        return self.names[course]

    def arguments(self, course: str, values: dict):
        """(args, kwargs, note): the lesson's arguments as their function takes them."""
        func, params = self.found[course], BY_NAME[course].params
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):
            return tuple(values[p] for p in params), {}, ""
        theirs = [p.name for p in signature.parameters.values()
                  if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        note = ""
        if set(params) <= set(theirs):
            args, kwargs = (), {p: values[p] for p in params}
            if [p for p in theirs if p in params] != list(params):
                note = (f"its parameters are in the order {self.their(course)}{signature}; the "
                        f"lesson's are ({', '.join(params)}). dnnviz calls it by name, but code "
                        "written for the lesson calls it by position.")
        else:
            args, kwargs = tuple(values[p] for p in params), {}
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise SignatureMismatch(
                f"it cannot be called as the lesson's {course}({', '.join(params)}): {exc} "
                f"(yours is {self.their(course)}{signature})") from None
        return args, kwargs, note

    def call(self, course: str, values: dict, *, seconds: float | None = CALL_SECONDS,
             stand_ins=(), global_seed: int | None = None):
        """Their function on the lesson's arguments `values`: (result, what it printed).

        Raises StudentError (theirs failed) or SignatureMismatch. global_seed: seed NumPy's
        global generator first, as the course's test cells do. stand_ins: course names of
        the other functions that are dnnviz's while it runs.
        """
        func = self.found[course]
        args, kwargs, _ = self.arguments(course, values)

        def run():
            if global_seed is not None:
                np.random.seed(global_seed)
            return func(*args, **kwargs)

        with self._standing_in(course, func, stand_ins) if stand_ins else \
                contextlib.nullcontext():
            return run_student(run, self.file.filenames, seconds=seconds,
                               what=f"your {self.their(course)}")

    @contextlib.contextmanager
    def _standing_in(self, course: str, func, stand_ins):
        """dnnviz's functions in place of theirs for the courses `stand_ins`, while inside."""
        namespace = getattr(func, "__globals__", None)
        if namespace is None:
            yield
            return
        saved = {}
        for other in stand_ins:
            name = self.names[other]
            if other != course and name != self.names[course]:
                saved[name] = namespace.get(name, _ABSENT)
                namespace[name] = stand_in(other, self.found.get(other))
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is _ABSENT:
                    namespace.pop(name, None)
                else:
                    namespace[name] = value

    def calls(self, course: str) -> list[str]:
        """The other lesson functions `course` refers to by name (course names)."""
        code = getattr(self.found.get(course), "__code__", None)
        used = _names_used(code) if code is not None else set()
        return [c for c in NAMES if c != course and self.names[c] in used]


_ABSENT = object()


def stand_in(course: str, theirs=None):
    """dnnviz's `course`, callable as the student's function `theirs` is called by their
    other code: their parameter names (by name when the lesson's are among them), else
    their order (`activation_forward(A, W, b, activation_fn="relu")`)."""
    reference = getattr(F, course)
    params = BY_NAME[course].params
    try:
        signature = inspect.signature(theirs)
    except (TypeError, ValueError):
        return reference
    if list(signature.parameters) == list(params):
        return reference

    def adapted(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        values = bound.arguments
        if set(params) <= set(values):
            return reference(**{p: values[p] for p in params})
        return reference(*list(values.values())[:len(params)])

    adapted.__name__ = getattr(theirs, "__name__", course)
    return adapted


def _names_used(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names
