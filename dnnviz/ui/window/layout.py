"""The main window's layout: the controls dock, the readout, and the views on the desk.

build_layout(window) makes every widget and places it, and returns them (a Layout); the
window keeps each as its attribute (window.cost_plot, window.histograms...), then
connect_layout(window) wires the controls to the window's slots.
The desk (normal mode): the readout across the top; the cost plot on the left; on the
right, tabs: the views of the kind of data (the decision boundary for 2-D points; pictures
and layer-1 weights for images), the weight histograms and the compared runs.
Each view sits in a Holder, so presentation mode's stage can borrow it (stage.py).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

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
from dnnviz.ui.views import names
from dnnviz.ui.views.activations import ActivationView
from dnnviz.ui.views.boundary import BoundaryView
from dnnviz.ui.views.confusion import ConfusionView
from dnnviz.ui.views.cost_plot import CostPlot
from dnnviz.ui.views.distributions import DistributionsView
from dnnviz.ui.views.histograms import HistogramGrid
from dnnviz.ui.views.network import NetworkView
from dnnviz.ui.views.readout import Readout
from dnnviz.ui.views.runs import RunsTable
from dnnviz.ui.views.text import ElidedLabel
from dnnviz.ui.views.thumbnails import ThumbnailStrip
from dnnviz.ui.views.weights import WeightsView
from dnnviz.ui.window.controls import ControlPanel
from dnnviz.ui.window.experiment_controls import ExperimentControls
from dnnviz.ui.window.stage import Holder, Stage
from dnnviz.ui.window.summary import RunSummary

# the window's attribute for each view its own code reaches by name (window.cost_plot is
# views["cost"]); a registered view needs none
ATTRIBUTES = {"readout": "readout", "cost": "cost_plot", "histograms": "histograms",
              "thumbnails": "thumbnails", "activations": "activations", "weights": "weights",
              "boundary": "boundary", "network": "network", "distributions": "distributions",
              "confusion": "confusion", "runs": "runs_table"}


@dataclass
class Layout:
    """The window's parts that build_layout makes; the window keeps each under its name."""

    controls: ControlPanel
    experiment: ExperimentControls
    lesson_panel: LessonPanel
    summary: RunSummary
    controls_dock: QDockWidget
    controls_scroll: QScrollArea
    readout: Readout
    cost_plot: CostPlot
    histograms: HistogramGrid
    thumbnails: ThumbnailStrip
    activations: ActivationView
    weights: WeightsView
    boundary: BoundaryView
    network: NetworkView
    distributions: DistributionsView
    confusion: ConfusionView
    runs_table: RunsTable
    views: dict  # every registered view (names.VIEWS) by name, in the registry's order
    holders: dict  # view name -> the Holder it sits in (the stage borrows it)
    view_tabs: QTabWidget
    desk: QWidget
    stage: Stage
    central: QStackedWidget  # the desk, the stage, and the runs side by side
    status: ElidedLabel


def build_layout(window) -> Layout:
    """Make the window's parts and place them in `window` (its dock, central widget and
    status bar); the window keeps them (the Layout's fields) and then connects them
    (connect_layout)."""
    dock, scroll, panels = _build_dock(window)
    views = {info.name: make_view(info) for info in names.VIEWS}
    holders = {name: Holder(view) for name, view in views.items() if name != "readout"}
    tabs = QTabWidget()
    desk = _build_desk(holders, tabs)
    stage = Stage()
    central = QStackedWidget()
    central.addWidget(desk)
    central.addWidget(stage)
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(4, 2, 4, 0)
    column.setSpacing(2)
    column.addWidget(views["readout"])
    column.addWidget(central, stretch=1)
    window.setCentralWidget(body)
    status = ElidedLabel()
    window.statusBar().addWidget(status, 1)
    named = {ATTRIBUTES[name]: view for name, view in views.items() if name in ATTRIBUTES}
    return Layout(**panels, controls_dock=dock, controls_scroll=scroll, **named, views=views,
                  holders=holders, view_tabs=tabs, desk=desk, stage=stage, central=central,
                  status=status)


def make_view(info: names.ViewInfo) -> QWidget:
    """The widget of a registered view (its module imported now)."""
    module, _, cls = info.widget.partition(":")
    widget = getattr(importlib.import_module(module), cls)()
    if widget.name != info.name:
        raise ValueError(f"{info.widget} is named {widget.name!r}, registered as {info.name!r}")
    return widget


def _tabs() -> dict[str, list[names.ViewInfo]]:
    """The desk's tabs, in the registry's order: each tab's text and its views."""
    tabs: dict[str, list[names.ViewInfo]] = {}
    for info in names.VIEWS:
        if info.tab:
            tabs.setdefault(info.tab, []).append(info)
    return tabs


def _tab_view(index: int) -> str:
    """The view a tab is named for (of those it holds, the first View ▸ Show names)."""
    infos = list(_tabs().values())[index]
    return next((info.name for info in infos if info.menu), infos[0].name)


def _build_desk(holders: dict, tabs: QTabWidget) -> QWidget:
    """The cost plot on the left, the other views as tabs on the right: one large view at
    a time fits any screen from 1024x768 up (views behind a tab cost nothing)."""
    for text, infos in _tabs().items():
        page = holders[infos[0].name]
        if len(infos) > 1:  # stacked, each its share of the height
            page = QSplitter(Qt.Orientation.Vertical)
            for info in infos:
                page.addWidget(holders[info.name])
            page.setSizes([200 * info.height for info in infos])
        index = tabs.addTab(page, text)
        tabs.setTabToolTip(index, next((info.tip for info in infos if info.tip), ""))
    desk = QSplitter()
    desk.addWidget(holders["cost"])
    desk.addWidget(tabs)
    desk.setStretchFactor(0, 3)
    desk.setStretchFactor(1, 5)
    desk.setSizes([3000, 5000])  # scaled to the window: 3/8 for the cost plot, and at
    # 1024x768 the tabs of 2-D data all in sight
    desk.setChildrenCollapsible(False)
    return desk


def show_session(window, session) -> None:
    """The views set up for a new session: its layers, data and classes, the tabs of its
    kind of data."""
    data = session.data
    window.summary.show_session(session)
    window.readout.clear()
    window.cost_plot.clear()
    window.histograms.set_layers(session.layer_dims)
    window.network.set_network(session.layer_dims, data, session.config.activation,
                               session.config.features,
                               getattr(session.net, "output", "sigmoid"))
    window.distributions.set_layers(session.layer_dims)
    window.confusion.set_classes(data.classes)
    if data.is_image:
        window.thumbnails.set_dataset(data)
        window.activations.set_layers(session.layer_dims, data, session.config.activation)
        window.weights.set_layers(session.layer_dims, data)
    else:
        window.boundary.set_dataset(data, session.layer_dims, session.config.activation)
    show_kind(window, data.is_image, data.n_classes)


def show_kind(window, image: bool, classes: int = 2) -> None:
    """The right-hand tabs of this kind of data (and those of every kind; the confusion
    matrices for more than two classes). When the kind changes, its first tab comes to the
    front; a new network on the same kind of data keeps the tab in front (a + on the
    diagram stays on the diagram)."""
    tabs = window.view_tabs
    kind = "image" if image else "plane"
    changed, first = False, None
    for i, infos in enumerate(_tabs().values()):
        visible = any(names.fits(info.name, image, classes) for info in infos)
        changed |= visible != tabs.isTabVisible(i)
        tabs.setTabVisible(i, visible)
        if first is None and any(info.fits == kind for info in infos):
            first = i  # this kind's first tab
    if changed:
        tabs.setCurrentIndex(first or 0)
    for name, action in getattr(window, "view_actions", {}).items():
        action.setEnabled(names.fits(name, image, classes))


def show_view(window, name: str) -> bool:
    """Bring view `name` (names.VIEWS) to the front: its tab on the desk, its scene on the
    stage. False when it does not show this kind of data."""
    image = window.session is not None and window.session.data.is_image
    classes = window.session.data.n_classes if window.session is not None else 2
    if not names.fits(name, image, classes):
        return False
    window.model.select(view=name)
    if window.presentation.on:
        return window.presentation.show_view(name)
    tab = names.view(name).tab
    for i in range(window.view_tabs.count()):
        if tab and window.view_tabs.tabText(i) == tab:
            window.view_tabs.setCurrentIndex(i)
    return True


def _build_dock(window) -> tuple[QDockWidget, QScrollArea, dict]:
    """The controls dock (added to the window), its scroll area and its panels."""
    panels = dict(controls=ControlPanel(window.data_list.entries(), speed=window.speed),
                  experiment=ExperimentControls(), lesson_panel=LessonPanel(),
                  summary=RunSummary())
    dock = QDockWidget("Controls", window)
    dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    side = QWidget()
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(panels["lesson_panel"])  # a lesson's runs first: at 1280x720 and below
    column.addWidget(panels["controls"])      # they were under the fold, under the controls
    column.addWidget(panels["experiment"])
    column.addWidget(panels["summary"])
    column.addStretch(1)
    scroll = QScrollArea(widgetResizable=True)
    scroll.setWidget(side)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    dock.setWidget(scroll)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    return dock, scroll, panels


def fit_dock(window) -> None:
    """The dock as wide as the controls need in the current font, and no wider."""
    scroll = window.controls_scroll
    inner = scroll.widget()
    inner.layout().activate()
    bar = scroll.verticalScrollBar().sizeHint().width()
    width = max(max(w.minimumSizeHint().width(), w.sizeHint().width())
                for w in (window.controls, window.experiment))
    scroll.setFixedWidth(width + bar + 6)


def connect_layout(window) -> None:
    """The controls and the views' own knobs to the window's slots."""
    fit_dock(window)
    c = window.controls
    c.sigDatasetChanged.connect(window._on_dataset)
    c.sigRebuild.connect(window._on_rebuild)
    c.sigLearningRate.connect(lambda value: window.set_live("learning_rate", value))
    c.sigIterations.connect(lambda value: window.set_live("iterations", value))
    c.sigSpeed.connect(window.set_speed)
    c.sigTrainPause.connect(window.train_pause)
    c.sigStep.connect(window.step)
    c.sigReset.connect(window.reset)
    window.view_tabs.currentChanged.connect(lambda i: window.model.select(view=_tab_view(i)))
    window.experiment.sigChanged.connect(window._on_experiment)
    window.experiment.sigLive.connect(window.set_live)
    window.histograms.sigKindChanged.connect(lambda on: _set_gradients(window, on))
    window.distributions.sigKindChanged.connect(lambda on: _set_gradients(window, on))
    window.histograms.sigLogChanged.connect(lambda on: window.frames.set_options(hist_log=on))
    window.boundary.show_test.toggled.connect(
        lambda on: window.frames.set_options(test_points=on))
    window.network.sigHiddenChanged.connect(lambda hidden: _set_hidden(window, hidden))
    window.thumbnails.sigSampleSelected.connect(
        lambda split, index: window.frames.set_options(split=split, index=index))


def _set_hidden(window, hidden: tuple) -> None:
    """+ or - on the network diagram: the same change as the controls' layers make."""
    window.controls.layers.set_hidden(hidden)
    window._on_rebuild()


def _set_gradients(window, gradients: bool) -> None:
    """W or dW, in the histograms and the distributions alike."""
    window.grad_action.setChecked(gradients)
    for view in (window.histograms, window.distributions):
        view.set_gradients(gradients)  # the other one follows (no signal if it has)
    window.frames.set_options(gradients=gradients)
