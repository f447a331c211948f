"""WindowModel: what the window shows, as plain data with change signals (no Qt).

The window owns one; its widgets are given what they show and follow its signals, and
what a user does goes to the model, not from widget to widget through the window. Kept
here: the run's settings (RunConfig), its status (running, paused, or stopped with its
Stop), its speed, the compared runs (Runs), and what is selected (the data set, the view in front,
presentation on or off, the theme). Each setter emits its signal once, and only on a
change.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from dnnviz.training.config import RunConfig
from dnnviz.training.stops import Stop
from dnnviz.window_model.runs import Runs
from dnnviz.window_model.signal import Signal


class Status(enum.Enum):
    PAUSED = "paused"  # a new run before its first Train, or paused by the user
    RUNNING = "running"
    STOPPED = "stopped"  # by the training process: completed, diverged, failed...


@dataclass(frozen=True)
class Selection:
    """What the user picked to look at."""

    dataset: str = ""  # the data list's key of the data shown
    view: str = ""  # the view in front on the desk, or brought to the front by name
    presentation: bool = False
    theme: str = "light"


class WindowModel:
    """Signals: config_changed(config), status_changed(status, stop or None),
    speed_changed(speed), selection_changed(selection); the compared runs' own in `runs`."""

    def __init__(self, config: RunConfig, speed: float | None = None, runs: Runs | None = None):
        self.config = config
        self.status = Status.PAUSED
        self.stop: Stop | None = None  # why the run stopped, with Status.STOPPED
        self.speed = speed  # iterations per second while training; None: max
        self.runs = Runs() if runs is None else runs
        self.selection = Selection()
        self.config_changed = Signal()
        self.status_changed = Signal()
        self.speed_changed = Signal()
        self.selection_changed = Signal()

    @property
    def running(self) -> bool:
        return self.status is Status.RUNNING

    def set_config(self, config: RunConfig) -> None:
        if config != self.config:
            self.config = config
            self.config_changed.emit(config)

    def set_status(self, status: Status, stop: Stop | None = None) -> None:
        """The run's status; stop (why it stopped) only with Status.STOPPED."""
        if stop is not None and status is not Status.STOPPED:
            raise ValueError(f"a stop reason goes with {Status.STOPPED}, not {status}")
        if (status, stop) != (self.status, self.stop):
            self.status, self.stop = status, stop
            self.status_changed.emit(status, stop)

    def set_speed(self, speed: float | None) -> None:
        if speed != self.speed:
            self.speed = speed
            self.speed_changed.emit(speed)

    def select(self, **changes) -> None:
        """Change what is selected (Selection's fields: dataset, view, presentation,
        theme)."""
        selection = replace(self.selection, **changes)
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)
