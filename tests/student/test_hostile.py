"""A student's code that exits, forks, hangs, eats memory, patches dnnviz or NumPy, or reads
its caller's stack: it can only make its own function fail, named, within the deadline,
with nothing of it left running; the check never passes because of it.

Each file is a few correct functions and one hostile one; every process of the student's
writes its pid to a file, and the test sees each of them gone afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from student_helpers import CORRECT, run_dnnviz

from dnnviz.student import check_file

CORRECT_PARTS = '''
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z)), Z


def relu_backward(dA, cache):
    dZ = np.array(dA, copy=True)
    dZ[cache <= 0] = 0
    return dZ
'''

HOSTILE = {
    "os._exit": "os._exit(0)",
    "SystemExit after atexit": "atexit.register(os._exit, 0)\n    raise SystemExit(0)",
    "a fork that lingers": "if os.fork() == 0:\n        remember()\n        time.sleep(300)\n"
                           "    return np.maximum(0, Z), Z * 0",
    "a loop that swallows BaseException": "while True:\n        try:\n            while True:\n"
                                          "                pass\n        except BaseException:\n"
                                          "            pass",
    "SIGALRM ignored": "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n"
                       "        pass",
    "the timer switched off": "signal.setitimer(signal.ITIMER_REAL, 0)\n    while True:\n"
                              "        pass",
    "a long C call": "return sum(range(10**12)), Z",
    "dnnviz and NumPy patched": "import dnnviz.student.compare as c\n"
                                "    c.first_problem = lambda *a, **k: None\n"
                                "    np.allclose = np.array_equal = lambda *a, **k: True\n"
                                "    return Z, Z",
    "the caller's stack read": "f = sys._getframe(1)\n    while f is not None:\n"
                               "        for v in f.f_locals.values():\n"
                               "            if hasattr(v, 'expected'):\n"
                               "                return v.expected\n"
                               "        f = f.f_back\n    return Z, Z",
    "too much memory": "return np.ones((10**6, 10**5)), Z",
    "a huge result": "return np.ones(6 * 10**6), Z",
}


def hostile_file(tmp_path, body: str):
    pids = tmp_path / "pids"
    code = CORRECT_PARTS + textwrap.dedent(f'''

        import atexit, os, signal, sys, time


        def remember():
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")


        def relu(Z):
            remember()
        ''') + "    " + body + "\n"
    path = tmp_path / "hostile.py"
    path.write_text(code)
    return path, pids


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def assert_all_gone(pids_file):
    pids = [int(p) for p in pids_file.read_text().split()] if pids_file.exists() else []
    assert pids, "the student's code never ran"
    until = time.monotonic() + 10  # a killed process may take a moment to be reaped
    while any(alive(p) for p in pids) and time.monotonic() < until:
        time.sleep(0.05)
    assert not [p for p in pids if alive(p)]


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc: Linux")
@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_code_fails_only_its_own_function_and_leaves_nothing(tmp_path, body):
    path, pids = hostile_file(tmp_path, body)
    report = check_file(path, seconds=1, load_seconds=5, total_seconds=60, memory_gb=1)
    failed = [name for name, r in report.results.items() if r.found and not r.passed]
    assert failed == ["relu"], report.results["relu"].message
    assert report.results["sigmoid"].passed and report.results["relu_backward"].passed
    assert report.exit_code == 1
    assert_all_gone(pids)


def test_the_messages_say_what_happened(tmp_path):
    for body, words in [(HOSTILE["os._exit"], "ended the process that ran it (it exited "
                                              "with code 0"),
                        (HOSTILE["a long C call"], "did not finish within 1 s"),
                        (HOSTILE["too much memory"], "used more than 1 GB of memory"),
                        (HOSTILE["a huge result"], "returned 46 MB of arrays")]:
        path, _ = hostile_file(tmp_path, body)
        report = check_file(path, seconds=1, load_seconds=5, total_seconds=60, memory_gb=1)
        assert words in report.results["relu"].message


def test_hostile_top_level_code_is_skipped_and_the_rest_checked(tmp_path):
    path = tmp_path / "top.py"
    pids = tmp_path / "pids"
    path.write_text(CORRECT.read_text() + textwrap.dedent(f'''

        import os, signal
        with open({str(pids)!r}, "a") as f:
            f.write(f"{{os.getpid()}}\\n")
        if os.fork() == 0:
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                pass
        os._exit(3)
        '''))
    report = check_file(path, seconds=1, load_seconds=5, total_seconds=60)
    assert report.exit_code == 0
    assert any("ended the process that ran it" in n and "os._exit" in n for n in report.notes)
    assert_all_gone(pids)


def test_the_whole_check_has_a_deadline_and_never_passes_unchecked(tmp_path):
    body = HOSTILE["a long C call"]
    path, pids = hostile_file(tmp_path, body)
    text = path.read_text() + "\n\ndef relu_backward(dA, cache):\n    " + body + "\n"
    path.write_text(text.replace("def sigmoid(Z):\n    return", "def sigmoid(Z):\n    "
                                 "remember()\n    " + body + "\n    return"))
    report = check_file(path, seconds=0.5, load_seconds=2, total_seconds=1.0)
    assert report.exit_code == 1 and not report.passed
    assert "ran out of its 1 s" in report.summary()
    assert any("not checked" in r.message for r in report.results.values())
    assert_all_gone(pids)


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc: Linux")
def test_ctrl_c_stops_the_check_and_its_process(tmp_path):
    path, pids = hostile_file(tmp_path, HOSTILE["SIGALRM ignored"])
    process = subprocess.Popen([sys.executable, "-m", "dnnviz", "check", str(path),
                                "--time-limit", "600"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    until = time.monotonic() + 60
    while not pids.exists() and time.monotonic() < until:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err
    assert "Traceback" not in err
    assert_all_gone(pids)


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e9", "0"])
def test_the_time_limits_take_only_sensible_values(value):
    for option in ("--time-limit", "--total-time-limit"):
        done = run_dnnviz("check", CORRECT, option, value)
        assert done.returncode == 2, done.stderr
        assert option in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr


def test_their_code_runs_in_a_fresh_folder_that_is_removed_after(tmp_path):
    record = str(tmp_path / "cwd")
    path, _ = hostile_file(tmp_path, "with open('left.txt', 'w') as f:\n"
                                     "        f.write('x')\n"
                                     f"    with open({record!r}, 'w') as f:\n"
                                     "        f.write(os.getcwd())\n"
                                     "    return np.maximum(0, Z), Z")
    report = check_file(path, seconds=2, load_seconds=2)
    assert report.results["relu"].passed
    folder = (tmp_path / "cwd").read_text()
    assert folder != os.getcwd() and folder != str(tmp_path)
    assert not os.path.exists(folder)
