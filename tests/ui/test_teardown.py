"""At exit, main windows are shut down and deleted before PyQt's own clean-up (which can
crash deleting a window's children while it walks its wrappers). In a subprocess: a Qt
crash must not take pytest with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
from PyQt6 import sip
from PyQt6.QtWidgets import QApplication
from dnnviz.training import RunConfig
from dnnviz.ui.window import teardown
from dnnviz.ui.window.main_window import MainWindow

app = QApplication([])
windows = [MainWindow(RunConfig(dataset="moons", hidden=(4,))) for _ in range(2)]
for window in windows:
    window.apply_config(window.config)
    window.show()
windows[0].close()  # one closed, one left open, as a script may leave it
threads = [window.process.thread for window in windows]
teardown.delete_windows()  # what the atexit handler does
print("deleted:", [sip.isdeleted(window) for window in windows])
print("threads running:", [thread.isRunning() for thread in threads])
"""


def test_windows_are_shut_down_and_deleted_before_pyqts_clean_up():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "deleted: [True, True]" in done.stdout
    assert "threads running: [False, False]" in done.stdout
    assert "QThread: Destroyed" not in done.stderr and "Traceback" not in done.stderr
