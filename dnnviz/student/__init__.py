"""Check your own implementation: a student's lesson functions against dnnviz's. No Qt.

check_file(path, names) -> CheckReport    each lesson function: found, passed, the first
                                          problem, a named hint (check.py)
StudentNetwork(path, layer_dims, ...)     trains with the student's functions beside the
                                          reference, in lockstep (network.py)
StudentSetup(path, names, seconds)        what a window keeps to make one for each run
serve_check(conn, path, ...)              check_file in a process of its own (remote.py)
template_text()                           the file `dnnviz template` prints
"""

from importlib import import_module

# Imported when first asked for: the process that runs a student's code (worker.py) starts
# with only what it needs.
_WHERE = {
    "CheckReport": "check", "FunctionResult": "check", "check_file": "check",
    "NameMappingError": "functions", "parse_names": "functions",
    "StudentFileError": "loader", "Mismatch": "network", "StudentNetwork": "network",
    "StudentSetup": "network", "StudentError": "sandbox", "template_text": "template",
}

__all__ = [
    "CheckReport", "FunctionResult", "Mismatch", "NameMappingError", "StudentError",
    "StudentFileError", "StudentNetwork", "StudentSetup", "check_file", "parse_names",
    "template_text",
]


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module 'dnnviz.student' has no attribute {name!r}")
    value = getattr(import_module(f"dnnviz.student.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
