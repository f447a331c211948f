"""The compared runs as the window goes from run to run: each run kept under its name (a
lesson's, else its settings) with small pictures of its final boundary and weights, made
by the training process and asked for quietly (window.requests): a kept run's row gets its
pictures when they come, and the window never waits for them.
"""

from __future__ import annotations

from dnnviz.training.summaries import run_pictures_now
from dnnviz.ui.window.layout import show_view
from dnnviz.window_model.runs import RunRecord, run_label


def _ignore(why: str) -> None:
    """Pictures that do not come (a broken network, a dead process): a row without them."""


class RunKeeper:
    def __init__(self, window):
        self.window = window
        self._label: str | None = None
        self._pictures = None  # (iteration, RunPictures) of the current run

    @property
    def label(self) -> str | None:
        """The current run's name (a lesson's); None: its settings name it."""
        return self._label

    @label.setter
    def label(self, text: str | None) -> None:
        self._label = text
        self.name_current()

    def name_current(self) -> None:
        """The cost plot's legend names the live run: its name, else its settings."""
        window = self.window
        name = self._label
        if name is None and window.session is not None:
            config = window.config
            name = run_label(window.session.layer_dims, config.learning_rate, config.init,
                             config.options_text())
        window.cost_plot.set_run_name(name or "")

    def _cached(self, iteration: int):
        if self._pictures is not None and self._pictures[0] == iteration:
            return self._pictures[1]
        return None

    def keep(self, snap, config) -> None:
        """The run that snap shows is being replaced (the training process still has it):
        keep it, with its name; its pictures come when the training process has drawn them
        (asked for before the next run is handed over). The next run starts without a name."""
        runs = self.window.model.runs
        if snap is not None and snap.iteration > 0 and len(snap.cost_y):
            pictures = self._cached(snap.iteration)
            record = RunRecord.from_snapshot(snap, config.init, config.dataset,
                                             seed=config.seed, label=self.label,
                                             options=config.options_text(), pictures=pictures)
            runs.keep(record)
            if pictures is None:
                self.window.requests.ask(
                    f"pictures of kept run {id(record)}", run_pictures_now,
                    lambda answer, record=record: runs.set_pictures(record, answer[1]),
                    on_error=_ignore, this_run=False)
        self._pictures = None
        self.label = None  # the legend names the next run by its settings
        runs.set_current(None)

    def on_drawn(self, snap) -> None:
        """The current run's row follows the frames while the table is on screen."""
        if self.window.runs_table.isVisible() or not snap.running:
            self.show(snap)

    def on_stopped(self) -> None:
        """The run stopped (completed, diverged...): its row gets its final pictures when
        they come."""
        snap = self.window.newest_snapshot()
        if snap is None or snap.iteration < 1:
            return
        self.show(snap)
        if self._cached(snap.iteration) is None:
            self.window.requests.ask("pictures", run_pictures_now, self._got_pictures,
                                     on_error=_ignore)

    def _got_pictures(self, answer) -> None:
        self._pictures = answer
        snap = self.window.newest_snapshot()
        if snap is not None and snap.iteration == answer[0]:
            self.show(snap)

    def show(self, snap, pictures=None) -> None:
        if snap.iteration < 1:
            self.window.model.runs.set_current(None)
            return
        if pictures is None:
            pictures = self._cached(snap.iteration)
        config = self.window.config
        self.window.model.runs.set_current(RunRecord.from_snapshot(
            snap, config.init, config.dataset, seed=config.seed, label=self.label,
            options=config.options_text(), pictures=pictures))

    def show_runs(self) -> None:
        """The compared runs in front (the end of a lesson's Play all)."""
        show_view(self.window, "runs")
