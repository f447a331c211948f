"""The main window's layout: the controls dock, the readout, the plots and the views.

build_layout(window) makes every widget, places it, and wires the controls to the window's
slots. The window keeps the widgets as attributes (window.cost_plot, window.histograms...).
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QDockWidget,
    QLabel,
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
from dnnviz.ui.views.thumbnails import ThumbnailStrip
from dnnviz.ui.views.weights import WeightsView
from dnnviz.ui.window.controls import ControlPanel


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
    window.lower_tabs = QTabWidget()
    window.lower_tabs.addTab(window.histograms, "Weights")
    window.lower_tabs.addTab(window.runs_table, "Compared runs")
    window.lower_tabs.setTabToolTip(1, "Earlier runs of this session: their cost curves stay "
                                    "on the cost plot; tick a run to show or hide it")
    left = window.left_splitter = QSplitter(Qt.Orientation.Vertical)
    left.addWidget(window.cost_plot)
    left.addWidget(window.lower_tabs)
    window.picture_tabs = QTabWidget()
    window.picture_tabs.addTab(window.activations, "Activations")
    window.picture_tabs.addTab(window.weights, "Layer 1 weights")
    image_page = QSplitter(Qt.Orientation.Vertical)
    image_page.addWidget(window.thumbnails)
    image_page.addWidget(window.picture_tabs)
    image_page.setSizes([200, 600])
    window.pages = QStackedWidget()
    window.pages.addWidget(image_page)
    window.pages.addWidget(window.boundary)
    center = QSplitter()
    center.addWidget(left)
    center.addWidget(window.pages)
    center.setSizes([600, 700])
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(4, 2, 4, 0)
    column.setSpacing(2)
    column.addWidget(window.readout)
    column.addWidget(center, stretch=1)
    window.setCentralWidget(body)
    window.status = QLabel()
    window.statusBar().addWidget(window.status, 1)
    _connect(window)


def _build_dock(window) -> None:
    window.controls = ControlPanel(window._dataset_entries(), speed=window.speed)
    dock = QDockWidget("Controls", window)
    dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    window.lesson_panel = LessonPanel()
    side = QWidget()
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(window.controls)
    column.addWidget(window.lesson_panel)
    column.addStretch(1)
    scroll = QScrollArea(widgetResizable=True)
    scroll.setWidget(side)
    dock.setWidget(scroll)
    # wide enough for the widest row (three layer boxes and the buttons) without clipping
    scroll.setMinimumWidth(max(440, window.controls.sizeHint().width() + 30))
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.controls_dock = dock


def _connect(window) -> None:
    c = window.controls
    c.sigDatasetChanged.connect(window._on_dataset)
    c.sigRebuild.connect(window._on_rebuild)
    c.sigLearningRate.connect(window._on_learning_rate)
    c.sigIterations.connect(window._on_iterations)
    c.sigSpeed.connect(window.set_speed)
    c.sigTrainPause.connect(window.train_pause)
    c.sigStep.connect(window.step)
    c.sigReset.connect(window.reset)
    window.histograms.sigKindChanged.connect(window._on_hist_kind)
    window.thumbnails.sigSampleSelected.connect(window._on_sample)
