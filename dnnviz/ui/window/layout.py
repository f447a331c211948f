"""The main window's layout: the controls dock, the readout, and the views on the desk.

build_layout(window) makes every widget, places it, and wires the controls to the window's
slots; the window keeps the widgets as attributes (window.cost_plot, window.histograms...).
The desk (normal mode): the readout across the top; the cost plot on the left; on the
right, tabs: the views of the kind of data (the decision boundary for 2-D points; pictures
and layer-1 weights for images), the weight histograms and the compared runs.
Each view sits in a Holder, so presentation mode's stage can borrow it (stage.py).
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QDockWidget,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dnnviz.ui.teach.lesson_panel import LessonPanel
from dnnviz.ui.views.activations import ActivationView
from dnnviz.ui.views.boundary import BoundaryView
from dnnviz.ui.views.cost_plot import CostPlot
from dnnviz.ui.views.histograms import HistogramGrid
from dnnviz.ui.views.readout import Readout
from dnnviz.ui.views.runs import RunsTable, connect_runs
from dnnviz.ui.views.text import ElidedLabel
from dnnviz.ui.views.thumbnails import ThumbnailStrip
from dnnviz.ui.views.weights import WeightsView
from dnnviz.ui.window.controls import ControlPanel
from dnnviz.ui.window.experiment_controls import ExperimentControls
from dnnviz.ui.window.stage import Holder, Stage
from dnnviz.ui.window.summary import RunSummary

# the right-hand tabs, by kind of data
PLANE_TABS = ("Boundary",)
PICTURE_TABS = ("Pictures", "Layer 1 weights")


def build_layout(window) -> None:
    _build_dock(window)
    window.readout = Readout()
    window.cost_plot = CostPlot()
    window.histograms = HistogramGrid()
    window.thumbnails = ThumbnailStrip()
    window.activations = ActivationView()
    window.weights = WeightsView()
    window.boundary = BoundaryView()
    window.runs_table = RunsTable()
    window.runs = connect_runs(window.runs_table, window.cost_plot)
    window.holders = {view.name: Holder(view) for view in
                      (window.cost_plot, window.histograms, window.thumbnails,
                       window.activations, window.weights, window.boundary)}
    window.desk = _build_desk(window)
    window.stage = Stage()
    window.central = QStackedWidget()
    window.central.addWidget(window.desk)
    window.central.addWidget(window.stage)
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(4, 2, 4, 0)
    column.setSpacing(2)
    column.addWidget(window.readout)
    column.addWidget(window.central, stretch=1)
    window.setCentralWidget(body)
    window.status = ElidedLabel()
    window.statusBar().addWidget(window.status, 1)
    _connect(window)


def _build_desk(window) -> QWidget:
    """The cost plot on the left, the other views as tabs on the right: one large view at
    a time fits any screen from 1024x768 up (views behind a tab cost nothing)."""
    holders = window.holders
    pictures = QSplitter(Qt.Orientation.Vertical)
    pictures.addWidget(holders["thumbnails"])
    pictures.addWidget(holders["activations"])
    pictures.setSizes([200, 600])
    window.view_tabs = tabs = QTabWidget()
    tabs.addTab(holders["boundary"], PLANE_TABS[0])
    tabs.addTab(pictures, PICTURE_TABS[0])
    tabs.addTab(holders["weights"], PICTURE_TABS[1])
    tabs.addTab(holders["histograms"], "Histograms")
    tabs.addTab(window.runs_table, "Runs")
    for i, tip in enumerate(("The decision boundary over the plane, and each hidden unit's map",
                             "The pictures, and inside the network while it reads one",
                             "What each first-layer unit looks for",
                             "Histograms of each layer's weights or gradients")):
        tabs.setTabToolTip(i, tip)
    tabs.setTabToolTip(tabs.count() - 1, "Earlier runs of this session: their cost curves "
                       "stay on the cost plot; tick a run to show or hide it")
    desk = QSplitter()
    desk.addWidget(holders["cost"])
    desk.addWidget(tabs)
    desk.setStretchFactor(0, 4)
    desk.setStretchFactor(1, 5)
    desk.setSizes([4000, 5000])  # scaled to the window: 4/9 for the cost plot
    desk.setChildrenCollapsible(False)
    return desk


def show_kind(window, image: bool) -> None:
    """The right-hand tabs of this kind of data, the first of them in front."""
    tabs = window.view_tabs
    for i in range(tabs.count()):
        tabs.setTabVisible(i, (tabs.tabText(i) in PICTURE_TABS) == image)
    tabs.setCurrentIndex(1 if image else 0)


def _build_dock(window) -> None:
    window.controls = ControlPanel(window.data_list.entries(), speed=window.speed)
    window.experiment = ExperimentControls()
    dock = QDockWidget("Controls", window)
    dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    window.lesson_panel = LessonPanel()
    window.summary = RunSummary()
    side = QWidget()
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(window.controls)
    column.addWidget(window.experiment)
    column.addWidget(window.lesson_panel)
    column.addWidget(window.summary)
    column.addStretch(1)
    scroll = QScrollArea(widgetResizable=True)
    scroll.setWidget(side)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    dock.setWidget(scroll)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.controls_dock = dock
    window.controls_scroll = scroll
    fit_dock(window)


def fit_dock(window) -> None:
    """The dock as wide as the controls need in the current font, and no wider."""
    scroll = window.controls_scroll
    inner = scroll.widget()
    inner.layout().activate()
    bar = scroll.verticalScrollBar().sizeHint().width()
    width = max(max(w.minimumSizeHint().width(), w.sizeHint().width())
                for w in (window.controls, window.experiment))
    scroll.setFixedWidth(width + bar + 6)


def _connect(window) -> None:
    c = window.controls
    c.sigDatasetChanged.connect(window._on_dataset)
    c.sigRebuild.connect(window._on_rebuild)
    c.sigLearningRate.connect(lambda value: window.set_live("learning_rate", value))
    c.sigIterations.connect(lambda value: window.set_live("iterations", value))
    c.sigSpeed.connect(window.set_speed)
    c.sigTrainPause.connect(window.train_pause)
    c.sigStep.connect(window.step)
    c.sigReset.connect(window.reset)
    window.experiment.sigChanged.connect(window._on_experiment)
    window.experiment.sigLive.connect(window.set_live)
    window.histograms.sigKindChanged.connect(window._on_hist_kind)
    window.thumbnails.sigSampleSelected.connect(window._on_sample)
