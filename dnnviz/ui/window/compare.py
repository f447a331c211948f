"""The compared runs as the window goes from run to run: each run kept under its name (a
lesson's, else its settings) with small pictures of its final boundary and weights, fetched
from the training process, and the current run as the last row of the table.
"""

from __future__ import annotations

from dnnviz.training.summaries import run_pictures
from dnnviz.ui.views.run_history import RunRecord
from dnnviz.ui.window.layout import show_view

PICTURE_SECONDS = 5.0  # the training process draws a run's pictures in milliseconds


class RunKeeper:
    def __init__(self, window):
        self.window = window
        self.label: str | None = None  # the current run's name; None: its settings
        self._pictures = None  # (iteration, RunPictures) of the current run

    def pictures(self, iteration: int):
        """The current run's final pictures, made by the training process (None if it
        does not answer)."""
        if self._pictures is not None and self._pictures[0] == iteration:
            return self._pictures[1]
        window = self.window
        if window.client is None or window.engine_error:
            return None
        try:
            pictures = window.client.call(run_pictures, timeout=PICTURE_SECONDS)
        except RuntimeError:  # it failed there (a broken network): no pictures, no harm
            return None
        if pictures is not None:
            self._pictures = (iteration, pictures)
        return pictures

    def keep(self, snap, config) -> None:
        """The run that snap shows is being replaced (the training process still has it):
        keep it, with its name and pictures. The next run starts without a name."""
        if snap is not None and snap.iteration > 0:
            self.window.runs.keep_run(snap, config.init, config.dataset, config.seed,
                                      label=self.label, options=config.options_text(),
                                      pictures=self.pictures(snap.iteration))
        self.label, self._pictures = None, None
        self.window.runs.show_current(None)

    def on_drawn(self, snap) -> None:
        """The current run's row follows the frames while the table is on screen."""
        if self.window.runs_table.isVisible() or not snap.running:
            self.show(snap)

    def on_stopped(self) -> None:
        """The run stopped (completed, diverged...): its row gets its final pictures."""
        snap = self.window.newest_snapshot()
        if snap is not None and snap.iteration > 0:
            self.show(snap, self.pictures(snap.iteration))

    def show(self, snap, pictures=None) -> None:
        if snap.iteration < 1:
            self.window.runs.show_current(None)
            return
        if pictures is None and self._pictures is not None \
                and self._pictures[0] == snap.iteration:
            pictures = self._pictures[1]
        config = self.window.config
        self.window.runs.show_current(RunRecord.from_snapshot(
            snap, config.init, config.dataset, seed=config.seed, label=self.label,
            options=config.options_text(), pictures=pictures))

    def show_runs(self) -> None:
        """The compared runs in front (the end of a lesson's Play all)."""
        show_view(self.window, "runs")
