"""Runs side by side: a lesson's runs training together, each in a training process of its
own, at one pace: one cost plot with every run live and named, and beside it a small
picture of each run's decision boundary (2-D data) with its name and numbers.

The window's own run pauses while they train; Back (or Esc) gives the window back. The runs'
processes speak the same protocol as the window's (training/protocol.py): a session each,
a speed, the parts their picture needs, and a frame only when the last one was drawn.
"""

from __future__ import annotations

import math
import time

import pyqtgraph as pg
from PyQt6.QtCore import QThread, pyqtSignal
from PyQt6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dnnviz.training import Session, load_data
from dnnviz.training import protocol as p
from dnnviz.training.snapshot import FrameRequest
from dnnviz.training.stops import failed
from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import CostAxis, ReadableAxis
from dnnviz.ui.views.legend import Legend
from dnnviz.ui.views.ranges import HeldRange
from dnnviz.ui.window.engine_client import EngineClient
from dnnviz.window_model.runs import RunRecord

MAX_TOGETHER = 4  # runs at once: more would share two cores too thinly to watch


class _Run:
    """One run of the side by side: its process, its last frame and its drawn items."""

    def __init__(self, index: int, label: str, session: Session):
        self.index, self.label, self.session = index, label, session
        self.snap = None
        self.stopped = None  # a stops.Stop once it stopped
        self.frames = 0  # frames drawn, and the wall clock of the first and the last
        self.first_wall = self.last_wall = 0.0
        self.client = EngineClient()
        self.thread = QThread()
        self.client.moveToThread(self.thread)
        self.thread.started.connect(self.client.loop)
        self.client.sigFinished.connect(self.thread.quit)
        self.thread.start()

    def quit(self) -> None:
        if self.thread.isRunning():
            self.client.quit()
            self.thread.quit()
            self.thread.wait()

    def refresh_hz(self) -> float | None:
        """Frames drawn a second between its first frame and its last while it trained."""
        seconds = self.last_wall - self.first_wall
        return (self.frames - 1) / seconds if self.frames > 1 and seconds > 0 else None

    def report(self) -> dict:
        """The run as a report's "runs" list holds it (RunRecord.as_report's)."""
        if self.snap is None:
            return {"name": self.label, "iterations": 0, "final_cost": None,
                    "train_accuracy": None, "test_accuracy": None,
                    "stopped_reason": None if self.stopped is None else str(self.stopped)}
        config = self.session.config
        record = RunRecord.from_snapshot(self.snap, config.init, config.dataset,
                                         label=self.label).as_report()
        if self.stopped is not None:  # a failure or a death comes after the last frame
            record["stopped_reason"] = str(self.stopped)
        return record


class Together(QWidget):
    """The side by side page: Back, one cost plot, and a picture and numbers per run."""

    sigFinished = pyqtSignal()  # every run has stopped
    sigBack = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list[_Run] = []
        self.title = QLabel()
        back = QPushButton("Back to the window")
        back.setToolTip("Stop the runs side by side and go back (Esc)")
        back.clicked.connect(self.sigBack)
        top = QHBoxLayout()
        top.addWidget(self.title, stretch=1)
        top.addWidget(back)
        # the cost plot's axes: round log labels, three or more where they fit
        self.plot = pg.PlotWidget(axisItems={"left": CostAxis("left"),
                                             "bottom": ReadableAxis("bottom")})
        # the runs' names above the plot, never over their curves (and never scrolled)
        self.legend = Legend()
        self.grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        body = QHBoxLayout()
        costs = QVBoxLayout()
        costs.addWidget(self.legend)
        costs.addWidget(self.plot, stretch=1)
        body.addLayout(costs, stretch=2)
        body.addLayout(self.grid, stretch=3)
        layout.addLayout(body, stretch=1)
        self._items: dict[int, tuple] = {}
        self._y_range = HeldRange("zero")
        self._kept: list[dict] = []  # the last side by side's runs, after it stopped
        self._kept_hz: dict[str, float] = {}
        self._cpu = (0.0, 0)  # the GUI thread's CPU seconds and frames since start
        self._cpu_mark = time.thread_time()

    # --- starting and stopping --------------------------------------------------------------
    def start(self, title: str, runs, speed, log_scale: bool = False) -> None:
        """Train these (label, RunConfig) pairs together at `speed` (it/s, None: max);
        log_scale: the cost axis logarithmic (a lesson's runs may ask for it)."""
        self.stop()
        self._kept, self._kept_hz = [], {}
        self._cpu, self._cpu_mark = (0.0, 0), time.thread_time()
        self.title.setText(f"<b>{title}</b>: {len(runs)} runs side by side, each in a "
                           "training process of its own")
        look = looks.current()
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # costs, not "cost (x0.001)"
        self.plot.setLogMode(x=False, y=log_scale)
        # held ranges: the axes relabel only when a cost leaves them (an auto-ranged plot
        # redrew both axes at almost every frame, 9 ms each)
        self.plot.disableAutoRange()
        target = max((config.iterations for _, config in runs[:MAX_TOGETHER]), default=1)
        self.plot.setXRange(0.0, float(target), padding=0.02)
        self._y_range = HeldRange("log" if log_scale else "zero")
        for i, (label, config) in enumerate(runs[:MAX_TOGETHER]):
            session = Session(config, load_data(config))
            run = _Run(i, label, session)
            run.client.sigFrame.connect(lambda snap, run=run: self._on_frame(run, snap))
            run.client.sigStopped.connect(lambda tag, why, run=run: self._on_stopped(run, why))
            run.client.sigFailed.connect(
                lambda tag, message, run=run: self._on_stopped(run, failed(message.text)))
            run.client.sigDied.connect(lambda text, run=run: self._on_stopped(run, failed(text)))
            self._add_items(run, look)
            client = run.client
            client.send(p.SetSpeed(speed))
            client.send(p.UseSession(session, i + 1))
            parts = frozenset() if not session.data.is_planar else frozenset({"plane"})
            client.send(p.SetParts(FrameRequest(parts=parts)))
            client.send(p.WantFrame())
            client.send(p.Run())
            self.runs.append(run)
        self.restyle(look)

    def restyle(self, look: looks.Look) -> None:
        """The plot, the pictures and the captions in the look (a change of theme too)."""
        look.style_graphics(self.plot)
        look.style_plot(self.plot.getPlotItem(), left="cost", bottom="iteration")
        self.legend.setFont(look.font(looks.LEGEND_PT))
        self.legend.restyle(look)
        entries, labels = [], {run.index: run.label for run in self.runs}
        for index, (curve, view, image, caption) in self._items.items():
            pen = pg.mkPen(look.run_color(index), width=2 * look.line_scale)
            curve.setPen(pen)
            entries.append((labels.get(index, ""), pen, None))
            look.style_graphics(view)
            image.setColorMap(look.class_colormap(0.8))
            caption.setStyleSheet(f"color: {look.hex('text')};")
        self.legend.set_entries(entries)

    def stop(self) -> None:
        if self.runs:
            self._kept, self._kept_hz = self.records(), self.refresh_hz()
        for run in self.runs:
            run.quit()
        self.runs = []
        self.plot.clear()
        self.legend.set_entries([])
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self._items = {}

    @property
    def finished(self) -> bool:
        return bool(self.runs) and all(run.stopped is not None for run in self.runs)

    def records(self) -> list[dict]:
        """Each run's results (a report's "runs"), of the runs now or the last ones."""
        return [run.report() for run in self.runs] if self.runs else list(self._kept)

    def refresh_hz(self) -> dict[str, float]:
        """Refreshes a second of each run's picture and numbers, and of the cost plot (a
        refresh at every run's frame), while they trained: the report's refresh_hz."""
        if not self.runs:
            return dict(self._kept_hz)
        rates = {run.label: hz for run in self.runs if (hz := run.refresh_hz()) is not None}
        if rates:
            rates["cost"] = sum(rates.values())
        return rates

    def frame_ms(self) -> float:
        """The GUI thread's CPU milliseconds per frame drawn, on average."""
        cpu, frames = self._cpu
        return 1000.0 * cpu / frames if frames else 0.0

    # --- drawing ----------------------------------------------------------------------------
    def _add_items(self, run: _Run, look) -> None:
        # About one min/max pair per pixel column, not antialiased: a thick antialiased
        # pen took 38 ms to draw a noisy 2,500-point cost at every frame, 4 ms without
        # (benchmarks/bench_together.py measures the page)
        curve = self.plot.plot(antialias=False)
        curve.setDownsampling(auto=True, method="peak")
        curve.opts["autoDownsampleFactor"] = 1.0
        view = pg.GraphicsLayoutWidget()
        box = view.addViewBox(lockAspect=True)
        box.setMouseEnabled(False, False)
        image = pg.ImageItem()
        box.addItem(image)
        caption = QLabel(run.label)
        caption.setWordWrap(True)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(2, 2, 2, 2)
        column.addWidget(view, stretch=1)
        column.addWidget(caption)
        if not run.session.data.is_planar:
            view.hide()  # pictures: the numbers and the cost say it
        self.grid.addWidget(cell, run.index // 2, run.index % 2)
        self._items[run.index] = (curve, view, image, caption)

    def _on_frame(self, run: _Run, snap) -> None:
        run.snap = snap
        if run.stopped is None:
            run.last_wall = time.perf_counter()
            if not run.frames:
                run.first_wall = run.last_wall
            run.frames += 1
            now = time.thread_time()
            self._cpu = (self._cpu[0] + now - self._cpu_mark, self._cpu[1] + 1)
            self._cpu_mark = now
        curve, _, image, caption = self._items[run.index]
        curve.setData(snap.cost_x, snap.cost_y)
        if self._y_range.take(snap.cost_y):
            self.plot.setYRange(self._y_range.low, self._y_range.high, padding=0.02)
        if snap.grid_probs is not None:
            image.setImage(snap.grid_probs.T, levels=(0.0, 1.0))
        caption.setText(_caption(run.label, snap, run.stopped))
        run.client.send(p.WantFrame())

    def _on_stopped(self, run: _Run, why) -> None:
        if run.stopped is not None:
            return
        run.stopped = why
        if run.snap is not None:
            caption = self._items[run.index][3]
            caption.setText(_caption(run.label, run.snap, why))
        if self.finished:
            self.sigFinished.emit()


def _caption(label: str, snap, stopped) -> str:
    def percent(v):
        return "–" if math.isnan(v) else f"{v:.1%}"
    cost = "–" if math.isnan(snap.cost) else f"{snap.cost:.4f}"
    line = (f"<b>{label}</b><br>iteration {snap.iteration:,} · cost {cost} · train "
            f"{percent(snap.train_accuracy)} · test {percent(snap.test_accuracy)}")
    if stopped is not None and stopped.diverged:
        line += "<br>stopped: diverged"
    return line

