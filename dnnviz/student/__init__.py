"""Check your own implementation: a student's lesson functions against dnnviz's. No Qt.

check_file(path, names) -> CheckReport    each lesson function: found, passed, the first
                                          problem, a named hint (check.py)
StudentNetwork(path, layer_dims, ...)     trains with the student's functions beside the
                                          reference, in lockstep (network.py)
StudentSetup(path, names, seconds)        what a window keeps to make one for each run
serve_check(conn, path, ...)              check_file in a process of its own (remote.py)
template_text()                           the file `dnnviz template` prints
"""

from dnnviz.student.check import CheckReport, FunctionResult, check_file
from dnnviz.student.functions import NameMappingError, parse_names
from dnnviz.student.loader import StudentFileError
from dnnviz.student.network import Mismatch, StudentNetwork, StudentSetup
from dnnviz.student.sandbox import StudentError
from dnnviz.student.template import template_text

__all__ = [
    "CheckReport", "FunctionResult", "Mismatch", "NameMappingError", "StudentError",
    "StudentFileError", "StudentNetwork", "StudentSetup", "check_file", "parse_names",
    "template_text",
]
