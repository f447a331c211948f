"""Make the README's teaching screenshots: a lesson played to the end, and the Teach tools.

  QT_QPA_PLATFORM=offscreen python docs/screenshots.py [--data-dir DIR] [--out docs]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def wait(app, condition, seconds=600.0):
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "datasets"))
    parser.add_argument("--out", default=str(REPO / "docs"))
    args = parser.parse_args()
    out = Path(args.out)

    from PyQt6.QtWidgets import QApplication

    from dnnviz.training import RunConfig
    from dnnviz.ui.look import configure_pyqtgraph
    from dnnviz.ui.window.main_window import MainWindow

    app = QApplication([])
    configure_pyqtgraph()
    window = MainWindow(RunConfig(), data_dir=args.data_dir)
    window.resize(1500, 950)
    window.show()
    try:
        for lesson, name in (("learning-rate", "lesson-learning-rate"),
                             ("initialisation", "lesson-initialisation")):
            window.lessons.open(lesson)
            window.lessons.play_all()
            wait(app, lambda: not window.lessons.playing and not window.running)
            window.lower_tabs.setCurrentIndex(1)  # the compared runs
            settle(app, window)
            window.grab().save(str(out / f"{name}.png"))
            window.lower_tabs.setCurrentIndex(0)
        window.lessons.open("two-layer-vs-deep")
        window.lessons.select(1, start=False)
        window.worker.step_once(2400)
        wait(app, lambda: (window.last_drawn is not None
                           and window.last_drawn.iteration == 2400))
        settle(app, window)
        for key, tool in (("step", window.teaching.step_through),
                          ("gradcheck", window.teaching.gradient_check),
                          ("gallery", window.teaching.gallery)):
            dialog = tool()
            if key == "step":
                for _ in range(5):
                    dialog.next()
            settle(app, window)
            dialog.grab().save(str(out / f"teach-{key}.png"))
            dialog.close()
    finally:
        window.close()


def settle(app, window):
    window._draw_latest(everything=True)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main()
