"""Your own data in the window: points drawn on the decision boundary, a CSV of points, a
folder of pictures, a pair of h5 files in the course's format.

Drawing: a click on the plane adds a point of class 1, a shift-click one of class 0. Until
there are MIN_PER_CLASS points of each class they wait on the plane (the run on screen stays
as it is); from then on every point drawn makes the drawn set anew and a network is trained
on it at once (from the seed's weights: a drawn run replays like any other). "Clear points"
forgets them and goes back to the data shown before drawing began.
A file or a picture folder becomes the run's data source: one line
in the window for anything wrong with it, and the run on screen stays.
"""

from __future__ import annotations

from PyQt6.QtWidgets import QFileDialog

from dnnviz.data import DRAWN
from dnnviz.data.own import MIN_PER_CLASS
from dnnviz.training import load_data
from dnnviz.training.config import RunConfig, own_label, with_source
from dnnviz.ui.teach.own_image import image_to_pixels

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
H5_FILTER = "HDF5 (*.h5 *.hdf5)"


def class_counts(points) -> tuple[int, int]:
    labels = [int(label) for _, _, label in points]
    return labels.count(0), labels.count(1)


class OwnData:
    def __init__(self, window):
        self.window = window
        self.pending: list[tuple[float, float, int]] = []  # drawn, too few to train on
        self.before: RunConfig | None = None  # what was shown before drawing began
        window.boundary.sigPointAdded.connect(self.add_point)
        window.boundary.sigClearPoints.connect(self.clear_points)
        window.experiment.sigOpenPoints.connect(self.choose_points)
        window.experiment.sigOpenPictures.connect(self.choose_pictures)

    def points(self) -> list[tuple[float, float, int]]:
        """The points drawn so far: the drawn set trained on, or those waiting."""
        drawn = self.window.config.drawn_points
        return list(drawn) if drawn is not None else list(self.pending)

    def add_point(self, x1: float, x2: float, label: int) -> bool:
        """Draw a point; True if a network now trains on the drawn points."""
        if not self.points():
            self.before = self.window.config
        return self.use_points([*self.points(), (float(x1), float(x2), int(label))])

    def use_points(self, points) -> bool:
        w = self.window
        zeros, ones = class_counts(points)
        if min(zeros, ones) < MIN_PER_CLASS:
            self._wait(points)
            w.show_error(f"{len(points)} point{'s' * (len(points) != 1)} drawn ({zeros} of "
                         f"class 0, {ones} of class 1): draw at least {MIN_PER_CLASS} of "
                         "each class to train (click: class 1, shift-click: class 0)")
            return False
        running = w.running
        config = with_source(w.config, dataset=DRAWN, drawn_points=tuple(points))
        if not w.apply_config(config, keep_run=False):
            return False
        self._wait([])
        if running:
            w.train_pause()
        return True

    def clear_points(self) -> None:
        w = self.window
        self._wait([])
        if w.config.drawn_points is not None:
            back = self.before or with_source(w.config, dataset=RunConfig.dataset)
            w.apply_config(back, suggest=True, keep_run=False)
        self.before = None

    def _wait(self, points) -> None:
        self.pending = list(points)
        self.window.boundary.set_pending(self.pending)

    # --- files and folders ----------------------------------------------------------------
    def choose_course_files(self) -> bool:
        train, _ = QFileDialog.getOpenFileName(self.window, "Training set (h5)", "", H5_FILTER)
        if not train:
            return False
        test, _ = QFileDialog.getOpenFileName(self.window, "Test set (h5)", "", H5_FILTER)
        return self.open_pair(train, test) if test else False

    def open_pair(self, train: str, test: str) -> bool:
        """Train on a pair of h5 files in the course's format."""
        config = with_source(self.window.config, dataset="file", train_file=train,
                             test_file=test)
        return self.window.apply_config(config, suggest=True)

    def choose_points(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(self.window, "Your points (x1,x2,label)", "",
                                              CSV_FILTER)
        return self.open_points(path) if path else False

    def choose_pictures(self) -> bool:
        folder = QFileDialog.getExistingDirectory(
            self.window, "A folder with one sub-folder of pictures per class")
        return self.open_pictures(folder) if folder else False

    def open_points(self, path: str) -> bool:
        """Train on the points of a CSV file (x1,x2,label lines)."""
        config = with_source(self.window.config, dataset=own_label("points_file", path),
                             points_file=str(path))
        return self.window.apply_config(config, suggest=True)

    def open_pictures(self, folder: str) -> bool:
        """Train on a folder of pictures, one sub-folder per class: they are read off the
        GUI thread (loading.py); True once the reading has started."""
        config = with_source(self.window.config, dataset=own_label("image_folder", folder),
                             image_folder=str(folder))
        return self.read_pictures(config, suggest=True)

    def read_pictures(self, config: RunConfig, suggest: bool = False,
                      keep_run: bool = True) -> bool:
        """The window's one way to a picture folder (Data ▸ Pictures folder, the data list,
        a config file, new data knobs): config's folder read off the GUI thread, then the
        run built on it (apply_data); True once the reading has started."""
        w = self.window
        return w.loading.start(f"reading the pictures in {config.image_folder}",
                               lambda: load_data(config, image_to_pixels),
                               lambda data: w.apply_data(config, data, suggest, keep_run))
