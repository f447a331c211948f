"""Does the window wait on a student's slow code? The GUI thread's longest stall while a
student's update_parameters sleeps SLEEP seconds per call in the training process and the
menus and dialogs are used.

  python benchmarks/bench_waits.py [--sleep 20] [--tick-ms 10]

The window (offscreen, in this process) trains the moons with a student's file: the
course's correct functions, with an update_parameters that sleeps --sleep seconds first.
Once their update sleeps, a script uses the window as a user would: Teach ▸ Gradient check
and Cancel (Esc), File ▸ Save model, Teach ▸ Step through, Export costs, the File and Run
menus opened and closed, the dark theme on and off, the gradient check again; when the
answers come, the dialogs are used (the step-through's stages, Train, "Check again", which
waits for the next sleep). A 10 ms QTimer in the GUI thread stamps every turn of the event
loop; the figure is the longest gap between two ticks (and the slowest few, with what the
script did just before), beside how long each answer took to come.

Target (issue 23): a student's function sleeping 20 s per call leaves every menu and dialog
responsive: the longest gap well under a second (drawing a dialog's plots takes ~0.1-0.3 s
on a 2-core machine), against the whole sleep (20 s) when the window waited.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6.QtCore import QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from dnnviz.training import RunConfig  # noqa: E402
from dnnviz.ui import look as looks  # noqa: E402
from dnnviz.ui.window.main_window import MainWindow  # noqa: E402

CORRECT = REPO / "tests" / "student" / "impls" / "correct.py"
CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.3, iterations=500, seed=2)
SLEEPY = '''
import pathlib
import time

_theirs = update_parameters


def update_parameters(parameters, grads, learning_rate):
    pathlib.Path({asleep!r}).touch()
    time.sleep({sleep})
    return _theirs(parameters, grads, learning_rate)
'''


class Clock:
    """The event loop's ticks and the script's doings, on one clock."""

    def __init__(self, tick_ms: int):
        self.start = time.perf_counter()
        self.ticks: list[float] = []
        self.log: list[tuple[float, str]] = []
        self.timer = QTimer()
        self.timer.timeout.connect(lambda: self.ticks.append(self.now()))
        self.timer.start(tick_ms)

    def now(self) -> float:
        return time.perf_counter() - self.start

    def did(self, what: str) -> None:
        self.log.append((self.now(), what))

    def gaps(self) -> list[tuple[float, float]]:
        """(gap, when it ended), the longest first."""
        pairs = zip(self.ticks, self.ticks[1:])
        return sorted(((b - a, b) for a, b in pairs), reverse=True)

    def before(self, t: float) -> str:
        done = [what for when, what in self.log if when <= t]
        return done[-1] if done else "(start)"


def script(window, clock, tmp: Path):
    """(seconds after their update fell asleep, what, action): a user at the window."""
    files, teach, requests = window.files, window.teaching, window.requests
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}

    def popup(name):
        return lambda: menus[name].popup(window.mapToGlobal(window.rect().center()))

    return [
        (0.5, "Teach ▸ Gradient check", teach.gradient_check),
        (1.0, "Cancel (Esc)", lambda: requests.escape.activated.emit()),
        (1.5, "File ▸ Save model", lambda: files.save_model(tmp / "model.h5")),
        (2.0, "Teach ▸ Step through", teach.step_through),
        (2.5, "File menu opened", popup("File")),
        (3.0, "File menu closed", lambda: menus["File"].hide()),
        (3.5, "File ▸ Export costs", lambda: files.export_costs(tmp / "costs.csv")),
        (4.0, "View ▸ Dark theme on", lambda: window.set_theme("dark")),
        (4.5, "View ▸ Dark theme off", lambda: window.set_theme("light")),
        (5.0, "Run menu opened", popup("Run")),
        (5.5, "Run menu closed", lambda: menus["Run"].hide()),
        (6.0, "Teach ▸ Gradient check again", teach.gradient_check),
    ]


def after_answers(window, clock):
    """Once the dialogs are open: use them, train again, check again (the next sleep)."""
    step, check = window.teaching.dialogs["step"], window.teaching.dialogs["gradcheck"]
    return [
        (0.2, "step-through: next ×3", lambda: [step.next() for _ in range(3)]),
        (0.5, "Run ▸ Train", window.train_pause),
        (1.0, "gradient check: Check again", check.again_button.click),
    ]


def run(sleep: float, tick_ms: int) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    looks.set_current(looks.Look())
    looks.configure_pyqtgraph()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        asleep = tmp / "asleep"
        student = tmp / "sleepy.py"
        student.write_text(CORRECT.read_text() + SLEEPY.format(asleep=str(asleep), sleep=sleep))
        window = MainWindow(CONFIG)
        window.apply_config(CONFIG)
        window.student_run.configure(student, seconds=sleep * 3)
        window.apply_config(window.config)
        window.resize(1280, 720)
        window.show()
        clock = Clock(tick_ms)
        window.train_pause()
        clock.did("Run ▸ Train")
        wait(app, asleep.exists, sleep + 60)
        clock.did("their update_parameters sleeps")
        asleep_at = clock.now()
        play(app, clock, script(window, clock, tmp))
        wait(app, lambda: {"step", "gradcheck"} <= set(window.teaching.dialogs)
             and window.files.outcome is not None, 2 * sleep + 60)
        clock.did("the answers came: the dialogs are open, the files written")
        answered_at = clock.now()
        check = window.teaching.dialogs["gradcheck"]
        play(app, clock, after_answers(window, clock))
        wait(app, lambda: check.again_button.isEnabled(), 2 * sleep + 60)
        clock.did("the check again came")
        again_at = clock.now()
        wait(app, lambda: False, 0.5, must=False)  # a last half second of ticks
        clock.timer.stop()
        saved = (tmp / "model.h5").exists(), (tmp / "costs.csv").exists()
        window.close()
    report(clock, sleep, tick_ms, asleep_at, answered_at, again_at, saved)


def play(app, clock, steps) -> None:
    start = clock.now()
    for at, what, action in steps:
        wait(app, lambda: clock.now() - start >= at, at + 5)
        action()
        clock.did(what)


def wait(app, condition, seconds: float, must: bool = True) -> None:
    """Turn the event loop until condition() (the benchmark's own waiting, not the window's)
    or `seconds` have passed (an error if it must have come)."""
    end = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > end:
            if not must:
                return
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.002)


def report(clock, sleep, tick_ms, asleep_at, answered_at, again_at, saved) -> None:
    gaps = clock.gaps()
    print(f"student's update_parameters sleeps {sleep:g} s a call; a {tick_ms} ms timer in "
          f"the GUI thread ticked {len(clock.ticks)} times in {clock.now():.1f} s")
    print(f"longest stall of the GUI thread: {gaps[0][0] * 1000:.0f} ms "
          f"(after: {clock.before(gaps[0][1])})")
    print("the five longest:")
    for gap, end in gaps[:5]:
        print(f"  {gap * 1000:6.0f} ms at {end:5.1f} s, after: {clock.before(end)}")
    print(f"the answers came {answered_at - asleep_at:.1f} s after their update fell asleep; "
          f"the check again {again_at - answered_at:.1f} s after that")
    print(f"model saved: {saved[0]}, costs exported: {saved[1]}")
    print("what was done, when (s):")
    for when, what in clock.log:
        print(f"  {when:5.1f}  {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sleep", type=float, default=20.0,
                        help="seconds their update_parameters sleeps per call (20)")
    parser.add_argument("--tick-ms", type=int, default=10)
    args = parser.parse_args()
    run(args.sleep, args.tick_ms)
    os._exit(0)  # as the app leaves: no clean-up of Qt at exit


if __name__ == "__main__":
    main()
