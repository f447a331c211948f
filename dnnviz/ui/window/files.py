"""The File menu's keeping of runs: models, configs, the cost history and pictures.

Every write is atomic (dnnviz.files): a failed save leaves the old file as it was.
Every problem is one line in the window; the session on screen is never touched by a
failed load. Saving a model and exporting the costs need the run as the training process
has it: they ask for it (window.requests.session) and write when it comes, the window usable
meanwhile; `outcome` says how the last of them ended (None while it waits).
"""

from __future__ import annotations

from PyQt6.QtWidgets import QFileDialog

from dnnviz.files import SaveError, atomic_path, check_not_inputs, write_text
from dnnviz.training import load_data
from dnnviz.training.config import ConfigError
from dnnviz.training.config_file import data_inputs, load_config, save_config
from dnnviz.training.persist import read_model, save_model
from dnnviz.training.report import costs_csv
from dnnviz.ui.teach.own_image import image_to_pixels

MODEL_FILTER = "dnnviz model (*.h5)"
CONFIG_FILTER = "dnnviz config (*.json)"


def save_png(widget, path) -> None:
    """A PNG of widget (all of it, as on screen), written atomically."""
    with atomic_path(path) as tmp:
        if not widget.grab().save(str(tmp), "PNG"):
            raise SaveError(f"cannot save {path}: Qt could not write the PNG")


class FileActions:
    def __init__(self, window, menu):
        self.window = window
        self.outcome: bool | None = False  # the last save or export: written? None: waiting
        add = window.add_action
        add(menu, "Open &model…", self.open_model_dialog, "Ctrl+Shift+O")
        add(menu, "&Save model…", self.save_model_dialog, "Ctrl+S")
        menu.addSeparator()
        add(menu, "Open &config…", self.open_config_dialog)
        add(menu, "Save co&nfig…", self.save_config_dialog, "Ctrl+Shift+S")
        menu.addSeparator()
        add(menu, "&Export cost history (CSV)…", self.export_costs_dialog, "Ctrl+E")
        add(menu, "Export cost &plot (PNG)…", lambda: self.export_png_dialog("plot"))
        add(menu, "Export &window (PNG)…", lambda: self.export_png_dialog("window"),
            "Ctrl+Shift+E")

    # --- the dialogs only ask for a path ------------------------------------------------------
    def _ask(self, save: bool, title: str, filters: str) -> str:
        ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = ask(self.window, title, "", filters)
        return path

    def open_model_dialog(self):
        path = self._ask(False, "Open a saved model", MODEL_FILTER)
        return self.open_model(path) if path else False

    def save_model_dialog(self):
        path = self._ask(True, "Save the model", MODEL_FILTER)
        return self.save_model(path) if path else False

    def open_config_dialog(self):
        path = self._ask(False, "Open a config", CONFIG_FILTER)
        return self.open_config(path) if path else False

    def save_config_dialog(self):
        path = self._ask(True, "Save the config", CONFIG_FILTER)
        return self.save_config(path) if path else False

    def export_costs_dialog(self):
        path = self._ask(True, "Export the cost history", "CSV (*.csv)")
        return self.export_costs(path) if path else False

    def export_png_dialog(self, what: str):
        path = self._ask(True, f"Export the {what} as PNG", "PNG (*.png)")
        return self.export_png(path, what) if path else False

    # --- the work, callable without a dialog ---------------------------------------------------
    def _done(self, text: str) -> bool:
        self.window.controls.show_message("")
        self.window.statusBar().showMessage(text, 8000)
        return True

    def _apart(self, path) -> None:
        """SaveError if path is one of the data files the run reads (or in its folder)."""
        check_not_inputs({"the file": str(path)}, data_inputs(self.window.config))

    def _failed(self, exc: Exception | str) -> bool:
        self.window.show_error(str(exc))
        return False

    def save_model(self, path) -> bool:
        """Save the run as the training process has it; True once it has been asked for
        (`outcome` tells whether the file was written)."""
        if self.window.running:
            self.window.train_pause()  # save what is on screen, not a moving target
        return self._with_session(path, "save the model",
                                  lambda session: self._save(path, session))

    def _with_session(self, path, doing: str, write) -> bool:
        def failed(why: str) -> None:
            self.outcome = self._failed(f"cannot {doing}: {why}")

        try:
            self._apart(path)  # refused at once: nothing to ask for
        except (SaveError, OSError) as exc:
            self.outcome = self._failed(exc)
            return False
        self.outcome = None
        started = self.window.requests.session(doing, doing, write, failed)
        if not started:
            self.outcome = False
        return started

    def _save(self, path, session) -> None:
        try:
            self._apart(path)
            save_model(path, session)
        except (SaveError, OSError) as exc:
            self.outcome = self._failed(exc)
            return
        self.outcome = self._done(f"saved the model at iteration {session.iteration} to {path}")

    def open_model(self, path) -> bool:
        """Read the model and its data set off the GUI thread (loading.py), then show it;
        True once the reading has started (window.loading.sigDone tells how it ended)."""
        data_dir = self.window.data_dir

        def work():
            saved = read_model(path)
            config = saved.config_for(data_dir)
            return saved, saved.session_on(load_data(config, image_to_pixels), config)

        return self.window.loading.start(f"reading the model {path}", work,
                                         lambda result: self._opened(path, *result))

    def _opened(self, path, saved, session) -> bool:
        if not self.window.apply_session(session):
            return False
        warning = f" ({saved.warning})" if saved.warning else ""
        return self._done(f"loaded {path}: iteration {session.iteration}; Train carries "
                          f"on{warning}")

    def save_config(self, path) -> bool:
        try:
            self._apart(path)
            save_config(path, self.window.config, self.window.view_options())
        except (SaveError, OSError, ConfigError) as exc:
            return self._failed(exc)
        return self._done(f"saved the config to {path}")

    def open_config(self, path) -> bool:
        try:
            config, view = load_config(path)
        except (ConfigError, OSError) as exc:
            return self._failed(exc)
        if config.dataset == "cat" and not config.data_dir:
            cat_dir = self.window.data_list.cat_dir()
            config = config.with_changes(data_dir=str(cat_dir or "") or None)
        if not self.window.apply_config(config):
            return False
        self.window.apply_view(view)
        return self._done(f"opened the config {path}")

    def export_costs(self, path) -> bool:
        """The costs as the training process has them, as CSV; True once asked for."""
        return self._with_session(path, "export the costs",
                                  lambda session: self._export(path, session))

    def _export(self, path, session) -> None:
        try:
            self._apart(path)
            write_text(path, costs_csv(session.costs))
        except (SaveError, OSError) as exc:
            self.outcome = self._failed(exc)
            return
        self.outcome = self._done(f"saved {len(session.costs)} costs to {path}")

    def export_png(self, path, what: str = "window") -> bool:
        widget = self.window if what == "window" else self.window.cost_plot
        try:
            self._apart(path)
            save_png(widget, path)
        except (SaveError, OSError) as exc:
            return self._failed(exc)
        return self._done(f"saved a picture of the {what} to {path}")
