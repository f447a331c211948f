"""Running dnnviz as a user would, in a subprocess that can never hang the suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds; a refused input is refused in well under one
TINY = ["--dataset", "xor", "--samples", "40", "--hidden", "3", "--print-every", "0"]
REPO = Path(__file__).resolve().parents[2]


def env(**extra) -> dict:
    out = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), out.get("PYTHONPATH")]))
    out.update(QT_QPA_PLATFORM="offscreen", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out.update(extra)
    return out


def dnnviz(*args: str, prefix=(), **kw) -> subprocess.CompletedProcess:
    """`python -m dnnviz ARGS` run to the end (TimeoutExpired fails the test, never hangs)."""
    kw.setdefault("env", env())
    return subprocess.run([*prefix, sys.executable, "-m", "dnnviz", *args], text=True,
                          capture_output=True, timeout=TIMEOUT, check=False, **kw)


def python(code: str, *args: str, prefix=(), **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", env())
    return subprocess.run([*prefix, sys.executable, "-c", code, *args], text=True,
                          capture_output=True, timeout=TIMEOUT, check=False, **kw)


def one_error_line(done: subprocess.CompletedProcess, code: int = 2) -> str:
    """The only line on stderr, after checking the exit code and that there is no traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def without_file_permission_override() -> list[str]:
    """A command prefix under which mode bits bind: root loses CAP_DAC_OVERRIDE (setpriv).

    Empty for an ordinary user; skips the test if root cannot drop the capability here.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: mode bits do not bind root")
    prefix = [setpriv, "--inh-caps=-all",
              "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=TIMEOUT,
                           check=False)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr!r}")
    return prefix
