"""`check_file`: each of the lesson's functions in a student's file, checked on its own.

Each function found runs on every case of cases.py (the reference makes its inputs; the
other lesson functions it calls are dnnviz's while it runs) and its result is compared
with dnnviz.nn.functional's. The first problem is reported in the student's words, with
a named hint where the mistake is a known one (hints.py). A function that fails with
dnnviz's helpers but passes with the student's own (which do not follow the lesson, and
fail their own check) passes, with a note: the mistake is reported once, where it is.
An input changed in place is a failure too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dnnviz.nn import functional as F
from dnnviz.student.cases import Case, cases_for
from dnnviz.student.compare import Problem, describe, first_problem, matches
from dnnviz.student.functions import CALL_SECONDS, SignatureMismatch, StudentFunctions
from dnnviz.student.hints import hint_for
from dnnviz.student.loader import LOAD_SECONDS, StudentFile, load_student_file
from dnnviz.student.sandbox import StudentError, first_lines
from dnnviz.student.spec import BY_NAME, NAMES


@dataclass
class FunctionResult:
    """One lesson function's verdict. expected, got and difference (got - expected) are
    set when values differ, for a heatmap; traceback when theirs raised."""

    name: str
    found: bool
    passed: bool = False
    message: str = ""  # the first problem; "" when passed
    hint: str = ""
    their_name: str = ""
    where: str = ""  # the part of the result that differs: "db", "cache → Z"
    expected: np.ndarray | None = None
    got: np.ndarray | None = None
    difference: np.ndarray | None = None
    traceback: str = ""
    notes: list = field(default_factory=list)  # worth knowing, not failures


@dataclass
class CheckReport:
    path: str
    results: dict  # course name -> FunctionResult, in the lesson's order
    notes: list  # from loading the file

    @property
    def passed(self) -> bool:
        found = [r for r in self.results.values() if r.found]
        return bool(found) and all(r.passed for r in found)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def summary(self) -> str:
        """One line: "14 of 14 functions found, 12 passed; failed: db, dW."."""
        results = list(self.results.values())
        found = [r for r in results if r.found]
        failed = [r.name for r in found if not r.passed]
        if not found:
            return "No lesson function found."
        text = f"{len(found)} of {len(results)} functions found, {len(found) - len(failed)} passed"
        return text + (f"; failed: {', '.join(failed)}." if failed else ": all correct.")

    def to_dict(self) -> dict:
        """The JSON report: {"functions": {NAME: {"found", "passed", "message"}}}, plus the
        hints by name and the notes."""
        return {
            "functions": {name: {"found": r.found, "passed": r.passed, "message": r.message}
                          for name, r in self.results.items()},
            "hints": {name: r.hint for name, r in self.results.items() if r.hint},
            "notes": list(self.notes),
        }


def check_file(path, names: dict | None = None, *, seconds: float | None = CALL_SECONDS,
               load_seconds: float | None = LOAD_SECONDS, progress=None) -> CheckReport:
    """Load and check a .py or .ipynb; raises StudentFileError when it cannot be used.
    progress(course, i, n), if given, is called before each function is checked."""
    loaded = load_student_file(path, seconds=load_seconds)
    return check_loaded(loaded, names, seconds=seconds, progress=progress)


def check_loaded(loaded: StudentFile, names=None, *, seconds=CALL_SECONDS,
                 progress=None) -> CheckReport:
    functions = StudentFunctions(loaded, names)
    results = {}
    for i, course in enumerate(NAMES):
        if progress is not None:
            progress(course, i, len(NAMES))
        results[course] = check_function(functions, course, results, seconds)
    notes = list(loaded.notes)
    if functions.missing and len(functions.missing) < len(NAMES):
        notes.append("not found: " + ", ".join(functions.missing) + "; dnnviz's own stand in "
                     "for them when your other functions call them")
    elif functions.missing:
        notes.append(f"none of the lesson's functions is in {loaded.path.name}: "
                     "are they named as in the course (or given with --name)?")
    return CheckReport(str(loaded.path), results, notes)


@dataclass
class _Outcome:
    case: Case | None = None
    problem: Problem | None = None
    error: StudentError | None = None
    got: object = None
    changed: str = ""
    output: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.problem or self.error or self.changed)


def check_function(functions: StudentFunctions, course: str, earlier: dict,
                   seconds) -> FunctionResult:
    """Check `course` on every case; `earlier`: the results of the functions before it."""
    their = functions.their(course)
    result = FunctionResult(course, found=course in functions.found, their_name=their)
    if not result.found:
        result.message = f"not found (no {their} in the file)"
        return result
    if not callable(functions.found[course]):
        result.message = f"{their} is {type(functions.found[course]).__name__}, not a function"
        return result
    try:
        note = functions.arguments(course, _placeholders(course))[2]
    except SignatureMismatch as exc:
        result.message = str(exc)
        return result
    result.notes += [note] if note else []
    outcome = _run_cases(functions, course, seconds, alone=True)
    failed_helpers = [c for c in functions.calls(course) if c in earlier
                      and earlier[c].found and not earlier[c].passed]
    if outcome.failed and failed_helpers and not _run_cases(
            functions, course, seconds, alone=False).failed:
        which = "which does not" if len(failed_helpers) == 1 else "which do not"
        result.notes.append(f"passes with your own {', '.join(failed_helpers)}, {which} "
                            "follow the lesson (see there)")
        outcome = _Outcome()
    _fill(result, course, outcome)
    return result


def _placeholders(course: str) -> dict:
    """The lesson's arguments as None: enough to see whether their signature takes them."""
    return {p: None for p in BY_NAME[course].params}


def _run_cases(functions, course, seconds, *, alone) -> _Outcome:
    for case in cases_for(course):
        values = case.fresh_args()
        inputs = [(path, a, a.copy()) for path, a in _arrays(values, "")]
        try:
            got, output = functions.call(course, values, seconds=seconds, alone=alone,
                                         global_seed=case.global_seed)
        except StudentError as exc:
            return _Outcome(case, error=exc, output=exc.output)
        got = _renumbered(course, got, case)
        try:
            problem = _accept(course, case, got)
        except Exception as exc:  # a strange object of theirs: not dnnviz's to crash on
            problem = Problem("type", "", f"its result cannot be read: {describe(got)} "
                              f"({type(exc).__name__}: {exc})")
        changed = next((p for p, a, before in inputs
                        if not np.array_equal(a, before, equal_nan=True)), "")
        if problem or changed:
            return _Outcome(case, problem=problem, got=got, changed=changed, output=output)
    return _Outcome()


def _arrays(value, path):
    """(path, array) for every array inside the arguments: "dA", "parameters['W1']"."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _arrays(item, f"{path}[{key!r}]" if path else key)
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _arrays(item, f"{path}[{i}]")


def _accept(course, case: Case, got) -> Problem | None:
    problem = first_problem(case.expected, got, BY_NAME[course].returns)
    if problem is None or any(matches(other, got) for _, other in case.also_accepted):
        return None
    if case.saturated and problem.kind == "values":
        AL, Y = case.args["AL"], case.args["Y"]
        least = F.compute_cost(np.clip(AL, 1e-3, 1 - 1e-3), Y)
        if float(np.asarray(got)) >= least:  # finite, and a confident mistake costs a lot
            return None
        problem.message = (f"is {float(np.asarray(got)):.4g}: too small for examples that are "
                           f"confidently wrong (at least {least:.4g} expected)")
    return problem


def _renumbered(course, got, case: Case):
    """Older course versions number L_model_backward's dA one up (dA1..dAL, not dA0..dAL-1)."""
    if course != "L_model_backward" or not isinstance(got, dict):
        return got
    L = len(case.args["caches"])
    if f"dA{L}" not in got or "dA0" in got:
        return got
    return {(f"dA{int(k[2:]) - 1}" if k[:2] == "dA" and k[2:].isdigit() else k): v
            for k, v in got.items()}


def _fill(result: FunctionResult, course: str, outcome: _Outcome) -> None:
    if not outcome.failed:
        result.passed = True
        return
    case, problem, error = outcome.case, outcome.problem, outcome.error
    if error is not None:
        result.message = str(error) if error.kind == "not implemented" else \
            f"{error} ({case.label})"
        result.traceback = error.traceback
    elif problem is not None:
        result.message = f"{problem.text()} ({case.label})"
        result.where = problem.where
        if problem.kind in ("values", "nonfinite"):
            result.expected, result.got = problem.expected, problem.got
            with np.errstate(all="ignore"):
                result.difference = problem.got - problem.expected
    else:
        result.message = f"it changed its input {outcome.changed} in place ({case.label})"
    printed = first_lines(outcome.output)
    if printed and error is not None and error.kind != "not implemented":
        result.message += f"; it printed: {printed}"
    try:
        result.hint = hint_for(course, case, problem=problem, error=error, got=outcome.got,
                               changed=outcome.changed if not (problem or error) else "")
    except Exception:  # a result too strange to diagnose: the message still says what is wrong
        result.hint = ""
