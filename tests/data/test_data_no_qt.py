"""The data package is pure: importing it (and using it) loads no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)


def test_importing_dnnviz_data_loads_no_qt() -> None:
    result = run_python("import dnnviz.data, sys; "
                        "assert not any(m.startswith('PyQt6') for m in sys.modules)")
    assert result.returncode == 0, result.stderr


def test_making_every_builtin_set_loads_no_qt() -> None:
    result = run_python(
        "import sys\n"
        "from dnnviz.data import BUILTIN_DATASETS, make_dataset\n"
        "for name in BUILTIN_DATASETS:\n"
        "    make_dataset(name, n_samples=20)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PyQt', 'PySide', 'pyqtgraph')))\n"
        "assert not qt, qt\n")
    assert result.returncode == 0, result.stderr
