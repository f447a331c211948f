"""`dnnviz train` under signals and a closed pipe: finished work is never thrown away.

Every test waits for a line the process prints before it signals it, so nothing races a
sleep; a large save (a 2500-unit network, about 100 MB) is used where the point is to hit
the save itself.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time

import pytest
from fault_helpers import TIMEOUT, TINY, env

from dnnviz.files import write_text
from dnnviz.files.writing import TEMP_NAME
from dnnviz.training.persist import read_model
from dnnviz.training.stops import INTERRUPTED

FOREVER = ["--iterations", "10000000", "--print-every", "200"]
BIG = ["--dataset", "xor", "--samples", "40", "--hidden", "2500,2500", "--print-every", "1"]


def start(tmp_path, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dnnviz", "train", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, env=env())


def wait_for_line(proc: subprocess.Popen, prefix: str) -> str:
    for line in proc.stdout:
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no line starting {prefix!r}; stderr: {proc.stderr.read()}")


def temporaries(folder) -> list[str]:
    return [name for name in os.listdir(folder) if TEMP_NAME.fullmatch(name)]


def wait_for_temporary(proc: subprocess.Popen, folder) -> None:
    """Wait until the save's temporary file appears, then freeze the process (SIGSTOP)."""
    deadline = time.monotonic() + TIMEOUT
    while not temporaries(folder):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise AssertionError("the save never showed a temporary file")
        time.sleep(0.001)
    proc.send_signal(signal.SIGSTOP)
    if not temporaries(folder):  # the save ended between the look and the stop
        proc.kill()
        proc.communicate(timeout=TIMEOUT)
        pytest.skip("the save finished before the test could catch it")


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                          (signal.SIGINT, 130)])
def test_a_stop_signal_saves_the_model_and_the_report(tmp_path, signum, code):
    proc = start(tmp_path, *TINY[:-2], *FOREVER, "--save-model", "m.h5", "--report", "r.json")
    wait_for_line(proc, "iteration")
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == code and err == "", err
    assert "interrupted" in out
    saved = read_model(tmp_path / "m.h5")
    report = json.loads((tmp_path / "r.json").read_text())
    assert saved.stopped_reason == INTERRUPTED and saved.iteration == report["iterations"] > 0
    assert sorted(os.listdir(tmp_path)) == ["m.h5", "r.json"]


def test_a_second_ctrl_c_during_the_save_lets_it_finish(tmp_path):
    proc = start(tmp_path, *BIG, "--iterations", "10000000", "--save-model", "m.h5")
    wait_for_line(proc, "iteration")
    proc.send_signal(signal.SIGINT)
    wait_for_line(proc, "saving the model")
    wait_for_temporary(proc, tmp_path)
    proc.send_signal(signal.SIGINT)  # pending while it is stopped, mid-save
    proc.send_signal(signal.SIGCONT)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 130
    assert err == "dnnviz train: already stopping; finishing the save first\n"
    assert read_model(tmp_path / "m.h5").iteration > 0 and os.listdir(tmp_path) == ["m.h5"]


def test_a_killed_save_leaves_the_old_model_and_its_leftover_goes_at_the_next_save(tmp_path):
    (tmp_path / "m.h5").write_bytes(b"the old model")
    proc = start(tmp_path, *BIG, "--iterations", "2", "--save-model", "m.h5")
    wait_for_line(proc, "saving the model")
    wait_for_temporary(proc, tmp_path)
    proc.kill()
    proc.communicate(timeout=TIMEOUT)
    leftovers = temporaries(tmp_path)
    assert len(leftovers) == 1 and len(leftovers[0]) < 40
    assert (tmp_path / "m.h5").read_bytes() == b"the old model"
    write_text(tmp_path / "notes.txt", "another save in the folder\n")
    assert sorted(os.listdir(tmp_path)) == ["m.h5", "notes.txt"]


def test_a_closed_stdout_stops_the_printing_not_the_run(tmp_path):
    """`dnnviz train ... | head -2`: the model and report are still written."""
    proc = start(tmp_path, *TINY[:-2], "--iterations", "5000", "--print-every", "1",
                 "--save-model", "m.h5", "--report", "r.json")
    head = [proc.stdout.readline(), proc.stdout.readline()]
    proc.stdout.close()  # 5000 lines do not fit in a pipe: it must write into the closed one
    _, err = proc.communicate(timeout=TIMEOUT)
    assert head[1].startswith("iteration")
    assert proc.returncode == 0 and err == "", err
    assert read_model(tmp_path / "m.h5").iteration == 5000
    assert json.loads((tmp_path / "r.json").read_text())["iterations"] == 5000


def test_a_terminal_that_hangs_up_still_gets_the_model_saved(tmp_path):
    """The window closes: SIGHUP, and every later print to the terminal fails (EIO)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "dnnviz", "train", *TINY[:-2], *FOREVER,
                             "--save-model", "m.h5"], stdout=slave, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, env=env())
    os.close(slave)
    with os.fdopen(master, "rb", buffering=0) as terminal:
        seen = b""
        while b"\niteration" not in seen:
            seen += terminal.read(1024)
    proc.send_signal(signal.SIGHUP)  # the terminal is gone: writes to it now fail
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 129 and err == "", err
    assert read_model(tmp_path / "m.h5").stopped_reason == INTERRUPTED
