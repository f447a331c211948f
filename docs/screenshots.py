"""Make screenshots of the window: every screen size x theme x mode, and the teaching tools.

  python docs/screenshots.py matrix [--out build/screens] [--data-dir DIR] [--dataset flower]
      the window at 1024x768, 1280x720, 1366x768, 1920x1080 and 3840x2160 at 2x, light and
      dark, normal and presentation, each after 600 iterations, on Qt's offscreen platform
      given a screen of that size (one process each, as a user would start it)
  python docs/screenshots.py teaching [--out docs] [--data-dir DIR]
      the README's teaching pictures: two lessons played to the end, the Teach tools
  python docs/screenshots.py experiment [--out docs] [--size 1280x720] [--theme light]
      [--presentation]: the experiment controls open, on points drawn on the plane, on
      input features, and on a folder of pictures made for the occasion
  python docs/screenshots.py student [--out docs] [--data-dir DIR] [--iterations 600]
      the README's pictures of a student's own implementation: the check dialog, a run
      with a broken update beside dnnviz's, a run stopped by the student's exception
  python docs/screenshots.py views [--out build/views] [--data-dir DIR] [--screen 1280x720]
      [--themes light,dark]: the network, distributions and histograms views in front
      (--view), after 600 iterations, on flower, the course's cat net and the
      initialisation lesson's net with the small start and with He on the circles

Every picture is worth a look before it goes into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCREENS = {"1024x768": (1024, 768, 1), "1280x720": (1280, 720, 1), "1366x768": (1366, 768, 1),
           "1920x1080": (1920, 1080, 1), "3840x2160@2x": (3840, 2160, 2)}
MODES = {"normal": [], "presentation": ["--presentation"]}
THEMES = ("light", "dark")


def matrix(args) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for screen, (width, height, dpr) in SCREENS.items():
        for theme in THEMES:
            for mode, flags in MODES.items():
                shot = out / f"{args.dataset}-{screen}-{theme}-{mode}.png"
                run_on_screen(width, height, dpr, [
                    "--dataset", args.dataset, "--data-dir", args.data_dir, "--theme", theme,
                    *flags, "--autostart", "--exit-after", "600", "--screenshot", str(shot)])
                print(shot, flush=True)


# name: the options of a run shown by `views`
RUNS = {
    "flower": ["--dataset", "flower"],
    "cat": ["--dataset", "cat"],
    "circles-small": ["--dataset", "circles", "--hidden", "10,10,5", "--init", "small",
                      "--learning-rate", "0.1"],
    "circles-he": ["--dataset", "circles", "--hidden", "10,10,5", "--init", "he",
                   "--learning-rate", "0.1"],
}
VIEWS = ("network", "distributions", "histograms")


def views(args) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    width, height, dpr = SCREENS[args.screen]
    for run, options in RUNS.items():
        for view in VIEWS:
            for theme in args.themes.split(","):
                shot = out / f"{view}-{run}-{args.screen}-{theme}.png"
                run_on_screen(width, height, dpr, [
                    *options, "--data-dir", args.data_dir, "--theme", theme, "--view", view,
                    "--speed", "max", "--autostart", "--exit-after", "600",
                    "--screenshot", str(shot)])
                print(shot, flush=True)


def run_on_screen(width: int, height: int, dpr: int, options: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": "screen", "x": 0, "y": 0, "width": width // dpr, "height": height // dpr,
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}]}))
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
                   XDG_CONFIG_HOME=tmp)  # no remembered window size from another run
        subprocess.run([sys.executable, "-m", "dnnviz", *options], env=env, check=True,
                       cwd=REPO, stdout=subprocess.DEVNULL)


def wait(app, condition, seconds=600.0):
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app, window):
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    window.draw_pending()


def teaching(args) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtWidgets import QApplication

    from dnnviz.training import RunConfig
    from dnnviz.training.protocol import SetSpeed, Step
    from dnnviz.ui import look as looks
    from dnnviz.ui.window.main_window import MainWindow

    out = Path(args.out)
    app = QApplication([])
    app.setStyle("Fusion")
    looks.configure_pyqtgraph()
    window = MainWindow(RunConfig(), data_dir=args.data_dir, speed=None)
    window.resize(1366, 768)
    window.show()
    window.client.send(SetSpeed(None))
    try:
        for lesson, name in (("learning-rate", "lesson-learning-rate"),
                             ("initialisation", "lesson-initialisation"),
                             ("regularisation", "lesson-regularisation")):
            window.lessons.open(lesson)
            window.lessons.play_all()
            wait(app, lambda: not window.lessons.playing and not window.running)
            window.view_tabs.setCurrentWidget(window.runs_table)  # the compared runs
            settle(app, window)
            window.grab().save(str(out / f"{name}.png"))
        window.lessons.open("two-layer-vs-deep")
        window.lessons.select(1, start=False)
        window.client.send(Step(2400))
        wait(app, lambda: (window.last_drawn is not None
                           and window.last_drawn.iteration == 2400))
        settle(app, window)
        for key, tool in (("step", window.teaching.step_through),
                          ("gradcheck", window.teaching.gradient_check),
                          ("gallery", window.teaching.gallery)):
            tool()
            wait(app, lambda key=key: key in window.teaching.dialogs)
            dialog = window.teaching.dialogs[key]
            if key == "step":
                for _ in range(5):
                    dialog.next()
            settle(app, window)
            dialog.grab().save(str(out / f"teach-{key}.png"))
            if key == "step":  # and the update of the last layer, with its numbers
                names = [stage.name for stage in dialog.stages]
                dialog.go_to(len(names) - 1 - names[::-1].index("W[4]"))
                settle(app, window)
                dialog.grab().save(str(out / "teach-update.png"))
            dialog.close()
    finally:
        window.close()


def _picture_folder(folder: Path) -> Path:
    """Two classes of 64x64 pictures: a red disc or a blue square, here and there."""
    from PyQt6.QtCore import QRect
    from PyQt6.QtGui import QColor, QImage, QPainter

    for name, shape in (("discs", "disc"), ("squares", "square")):
        (folder / name).mkdir(parents=True, exist_ok=True)
        for i in range(30):
            image = QImage(80, 80, QImage.Format.Format_RGB32)
            image.fill(QColor(235, 235, 225))
            painter = QPainter(image)
            painter.setBrush(QColor(200, 40, 40) if shape == "disc" else QColor(40, 70, 200))
            rect = QRect(8 + (i * 7) % 30, 6 + (i * 11) % 30, 30 + i % 12, 30 + i % 12)
            painter.drawEllipse(rect) if shape == "disc" else painter.drawRect(rect)
            painter.end()
            image.save(str(folder / name / f"{shape}{i:02d}.png"))
    return folder


def _draw_ring(window) -> None:
    """Points drawn as a user would: a ring of class 0 round a cluster of class 1."""
    import math

    import numpy as np

    rng = np.random.default_rng(0)
    for angle in rng.uniform(0, 2 * math.pi, 24):
        radius = 0.3 + 0.2 * rng.random()
        window.own_data.add_point(radius * math.cos(angle), radius * math.sin(angle), 1)
        window.own_data.add_point(1.5 * math.cos(angle + 0.1), 1.5 * math.sin(angle + 0.1), 0)


def experiment(args) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtWidgets import QApplication

    from dnnviz.training import RunConfig
    from dnnviz.training.protocol import SetSpeed, Step
    from dnnviz.ui import look as looks
    from dnnviz.ui.window.main_window import MainWindow

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(n) for n in args.size.split("x"))
    app = QApplication([])
    app.setStyle("Fusion")
    looks.set_current(looks.Look(args.theme))
    looks.configure_pyqtgraph()
    window = MainWindow(RunConfig(), data_dir=args.data_dir, speed=None)
    window.apply_config(window.config)
    window.resize(width, height)
    window.show()
    window.set_presentation(args.presentation)
    window.client.send(SetSpeed(None))
    tag = f"{args.size}-{args.theme}" + ("-presentation" if args.presentation else "")

    def shoot(name, steps):
        window.client.send(Step(steps))
        wait(app, lambda: window.last_drawn is not None
             and window.last_drawn.iteration == steps)
        settle(app, window)
        window.grab().save(str(out / f"experiment-{name}-{tag}.png"))
        print(out / f"experiment-{name}-{tag}.png", flush=True)

    try:
        window.experiment.training.set_open(True)
        window.experiment.data.set_open(True)
        _draw_ring(window)
        shoot("drawn", 400)
        window.apply_config(RunConfig(dataset="circles", hidden=(), learning_rate=0.5,
                                      features=("x1", "x2", "x1^2", "x2^2")))
        shoot("features", 500)
        with tempfile.TemporaryDirectory() as tmp:
            window.own_data.open_pictures(str(_picture_folder(Path(tmp) / "shapes")))
            window.apply_config(window.config.with_changes(optimizer="adam", batch_size=16,
                                                           learning_rate=0.0001))
            shoot("pictures", 150)
    finally:
        window.close()


def student(args) -> None:
    """The README's pictures of a student's own implementation: the check dialog on a
    backward pass without 1/m, a run whose update skips the output layer beside dnnviz's,
    and the dialog of a run stopped by the student's exception."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtWidgets import QApplication

    from dnnviz.training import RunConfig
    from dnnviz.training.protocol import SetSpeed
    from dnnviz.ui import look as looks
    from dnnviz.ui.window.main_window import MainWindow

    sys.path.insert(0, str(REPO / "tests" / "student"))
    from student_helpers import broken  # the tests' broken implementations

    impls, out = Path(tempfile.mkdtemp(prefix="student-")), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    app.setStyle("Fusion")
    looks.configure_pyqtgraph()
    config = RunConfig(dataset="cat", data_dir=args.data_dir, hidden=(20, 7, 5),
                       init="scaled", learning_rate=0.0075, iterations=2500)
    window = MainWindow(config, data_dir=args.data_dir, speed=None)
    window.resize(1366, 768)
    window.show()
    window.client.send(SetSpeed(None))
    try:
        dialog = window.student_run.check(broken(impls, "missing_one_over_m.py"))
        wait(app, lambda: dialog.report is not None)
        settle(app, window)
        dialog.grab().save(str(out / "student-check.png"))
        dialog.close()
        window.student_run.use(broken(impls, "undefined_z.py"))
        window.step()
        wait(app, lambda: "failure" in window.student_run.dialogs)
        settle(app, window)
        window.student_run.dialogs["failure"].grab().save(str(out / "student-failure.png"))
    finally:
        window.close()
    run_on_screen(1366, 768, 1, [  # the run as the app shows it, on a screen of that size
        "--student", str(broken(impls, "update_skips_last_layer.py")), "--dataset", "cat",
        "--data-dir", args.data_dir, "--hidden", "20,7,5", "--init", "scaled",
        "--learning-rate", "0.0075", "--speed", "max", "--autostart",
        "--exit-after", str(args.iterations), "--screenshot", str(out / "student-run.png")])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("matrix", "teaching", "experiment", "student",
                                         "views"))
    parser.add_argument("--iterations", type=int, default=600,
                        help="student: iterations of the run in its picture")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--presentation", action="store_true")
    parser.add_argument("--screen", choices=tuple(SCREENS), default="1280x720")
    parser.add_argument("--themes", default="light")
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "datasets"))
    parser.add_argument("--dataset", default="flower")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.what == "matrix":
        args.out = args.out or str(REPO / "build" / "screens")
        matrix(args)
    elif args.what == "views":
        args.out = args.out or str(REPO / "build" / "views")
        views(args)
    else:
        args.out = args.out or str(REPO / "docs")
        {"teaching": teaching, "experiment": experiment, "student": student}[args.what](args)


if __name__ == "__main__":
    main()
