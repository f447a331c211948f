"""`dnnviz check FILE` and `dnnviz template`: check your own implementation of the lesson.

check: a table, one line per lesson function (found, passed, the first problem), then the
hints, the tracebacks of functions that raised, and notes (--verbose: every note, those of
skipped test cells too). Exit code 0 when every function found passes, 1 when any fails
(or none is found, or the check ran out of time), 2 when the file cannot be used or the
options are wrong (one line on stderr), 130 on Ctrl+C (the student's process is killed).
--report JSON writes {"functions": {NAME: {"found": bool, "passed": bool, "message": str}},
"hints": {...}, "notes": [...], "complete": bool}.
template: the lesson's signatures and docstrings with `raise NotImplementedError` bodies,
on stdout (`dnnviz template > my_dnn.py`).
"""

from __future__ import annotations

import json
import sys

from dnnviz.files import Input, SaveError, check_can_write, check_not_inputs, write_output
from dnnviz.options import Parser, UsageError, option_type
from dnnviz.student.check import TOTAL_SECONDS, CheckReport, check_file
from dnnviz.student.functions import CALL_SECONDS, NameMappingError, parse_names
from dnnviz.student.loader import StudentFileError
from dnnviz.student.template import template_text
from dnnviz.training.settings import Number

COMMANDS = ("check", "template")


def build_parser(command: str) -> Parser:
    if command == "template":
        return Parser(prog="dnnviz template", description="Print a file to write the lesson "
                       "in: its functions' signatures and docstrings, no bodies.")
    p = Parser(prog="dnnviz check", description="Check your own implementation of the "
                "lesson's functions, one by one, against dnnviz's.")
    p.add_argument("file", metavar="FILE", help="your .py file or Jupyter notebook (.ipynb)")
    p.add_argument("--name", action="append", default=[], metavar="COURSE=THEIRS",
                   help="your name for a lesson function, e.g. L_model_forward=L_model_fp "
                   "(repeat for more)")
    p.add_argument("--report", metavar="JSON", help="write the results as JSON")
    p.add_argument("--time-limit", type=option_type(Number()), default=CALL_SECONDS,
                   metavar="SECONDS", help="stop a function that runs longer than this, "
                   f"each call (default {CALL_SECONDS:g}, at most {MAX_CALL_SECONDS:g})")
    p.add_argument("--total-time-limit", type=option_type(Number()), default=TOTAL_SECONDS,
                   metavar="SECONDS", help="stop the whole check after this; what is left "
                   f"unchecked fails (default {TOTAL_SECONDS:g}, at most {MAX_TOTAL_SECONDS:g})")
    p.add_argument("--verbose", action="store_true",
                   help="list every note (each skipped statement of a notebook, too)")
    return p


MAX_CALL_SECONDS, MAX_TOTAL_SECONDS = 3600.0, 86400.0


def _check_seconds(option: str, value: float, most: float) -> None:
    if not 0 < value <= most:  # nan and inf fail too
        raise UsageError(f"{option} must be more than 0 and at most {most:g} seconds, "
                         f"not {value:g}")


def main(argv) -> int:
    """argv[0] is "check" or "template"."""
    command = argv[0]
    prog = f"dnnviz {command}"
    try:
        args = build_parser(command).parse_args(argv[1:])
        if command == "template":
            sys.stdout.write(template_text())
            return 0
        _check_seconds("--time-limit", args.time_limit, MAX_CALL_SECONDS)
        _check_seconds("--total-time-limit", args.total_time_limit, MAX_TOTAL_SECONDS)
        names = parse_names(args.name)
        if args.report:
            check_can_write(args.report)
            check_not_inputs({"--report": args.report}, [Input("the file checked", args.file)])
        report = check_file(args.file, names, seconds=args.time_limit,
                            load_seconds=min(args.time_limit * 2, 10.0),
                            total_seconds=args.total_time_limit)
        print(format_report(report, verbose=args.verbose))
        if args.report:
            write_output(args.report, json.dumps(report.to_dict(), indent=1) + "\n")
        return report.exit_code
    except (UsageError, NameMappingError, StudentFileError, SaveError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130


def format_report(report: CheckReport, verbose: bool = False) -> str:
    results = list(report.results.values())
    width = max(len(_label(r)) for r in results) + 2
    lines = [f"Checking {report.path}", "",
             f"  {'function':<{width}}found  passed  first problem"]
    for r in results:
        passed = ("yes" if r.passed else "NO") if r.found else "-"
        problem = "" if r.passed else r.message
        lines.append(f"  {_label(r):<{width}}{'yes' if r.found else 'no':<7}{passed:<8}"
                     f"{problem}".rstrip())
    lines += _section("Hints", [f"{r.name}: {r.hint}" for r in results if r.hint])
    lines += _section("Tracebacks", [f"{r.name}:\n" + _indent(r.traceback, 4)
                                     for r in results if r.traceback])
    lines += _section("Notes", [f"{r.name}: {note}" for r in results for note in r.notes]
                      + list(report.all_notes if verbose else report.notes))
    lines += ["", report.summary()]
    return "\n".join(lines)


def _label(r) -> str:
    return r.name if r.their_name == r.name else f"{r.name} ({r.their_name})"


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"{title}:", *(f"  {item}" for item in items)] if items else []


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())
