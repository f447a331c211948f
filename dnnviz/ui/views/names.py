"""The views, registered: one ViewInfo a view, one line each in VIEWS.

A new view is one module in ui/views/ (a QWidget with `name`, `parts`, `show_snapshot(snap)`
and `restyle(look)`) and one line here. The window's layout (its tab), View ▸ Show (its
entry), `--view` and `--record-view` (its name), the frame scheduler (frames drawn on it)
and presentation mode (its scenes) all read this list.

Plain data (no Qt): a widget is named by its import path, so the command line can check a
name before any window exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewInfo:
    name: str  # --view's name, the widget's `name`, its key in the report's refresh_hz
    widget: str  # "module:Class" of its QWidget, made with no arguments
    menu: str = ""  # its View ▸ Show entry; "": not brought to the front by name
    fits: str | None = None  # the data it is for: "plane" (2-D points), "image" (pictures),
    # "classes" (more than two classes); None: every kind
    tab: str = ""  # the desk's tab holding it (views sharing a tab: stacked, in this
    # list's order); "": placed by the layout itself (the readout, the cost plot)
    tip: str = ""  # its tab's tooltip
    height: int = 1  # its share of a shared tab's height
    key: int = 0  # View ▸ Show's shortcut: Ctrl+key (0: none)
    drawn: bool = True  # frames are drawn on it (False: it follows the window model)
    scenes: tuple | None = None  # presentation mode's scenes showing it: (caption, view
    # names) pairs, in this list's order; None: one scene of its own, captioned its name


VIEWS: list[ViewInfo] = [
    ViewInfo("readout", "dnnviz.ui.views.readout:Readout", scenes=()),
    ViewInfo("cost", "dnnviz.ui.views.cost_plot:CostPlot", "&Cost", key=9, scenes=()),
    ViewInfo("boundary", "dnnviz.ui.views.boundary:BoundaryView", "&Boundary", "plane",
             "Boundary", "The decision boundary over the plane, and each hidden unit's map",
             key=4, scenes=(("cost and decision boundary", ("cost", "boundary")),
                            ("decision boundary", ("boundary",)))),
    ViewInfo("thumbnails", "dnnviz.ui.views.thumbnails:ThumbnailStrip", "", "image",
             "Pictures", scenes=()),
    ViewInfo("activations", "dnnviz.ui.views.activations:ActivationView",
             "&Activations (pictures)", "image", "Pictures",
             "The pictures, and inside the network while it reads one", height=3, key=5,
             scenes=(("cost and activations", ("cost", "activations")),
                     ("activations", ("activations",)))),
    ViewInfo("weights", "dnnviz.ui.views.weights:WeightsView", "Layer 1 &weights", "image",
             "Weights", "Layer 1's weights as pictures: what each of its units looks for",
             key=6, scenes=(("layer 1 weights", ("cost", "weights")),)),
    ViewInfo("network", "dnnviz.ui.views.network:NetworkView", "&Network diagram", None,
             "Network", "The network as a diagram: units, links, + and - to change it",
             key=1, scenes=(("the network", ("network",)),)),
    ViewInfo("histograms", "dnnviz.ui.views.histograms:HistogramGrid", "&Histograms", None,
             "Histograms", "Histograms of each layer's weights or gradients", key=3,
             scenes=(("weight histograms", ("cost", "histograms")),)),
    ViewInfo("distributions", "dnnviz.ui.views.distributions:DistributionsView",
             "&Distributions over time", None, "Distributions",
             "Each layer's weights or gradients over the run, and ||dW|| / ||W||", key=2,
             scenes=(("distributions over time", ("distributions",)),)),
    ViewInfo("confusion", "dnnviz.ui.views.confusion:ConfusionView", "C&onfusion matrix",
             "classes", "Confusion", "The confusion matrices of the training and test sets: "
             "which classes the network takes for which", key=7,
             scenes=(("confusion matrices", ("confusion",)),)),
    ViewInfo("runs", "dnnviz.ui.views.runs:RunsTable", "Compared &runs", None, "Runs",
             "Earlier runs of this session: their cost curves stay on the cost plot; tick a "
             "run to show or hide it", key=8, drawn=False,
             scenes=(("the comparison: every run of this session", ("cost", "runs")),)),
]


def view(name: str) -> ViewInfo:
    """The registered view `name` (KeyError for another)."""
    for info in VIEWS:
        if info.name == name:
            return info
    raise KeyError(name)


def view_names() -> tuple[str, ...]:
    """The views `--view` and View ▸ Show can bring to the front, in the menu's order (by
    shortcut; those without one last)."""
    named = [v for v in VIEWS if v.menu]
    return tuple(v.name for v in sorted(named, key=lambda v: (v.key == 0, v.key)))


def scenes(is_image: bool, classes: int = 2) -> list[tuple[str, tuple[str, ...]]]:
    """Presentation mode's scenes for this kind of data: (caption, view names)."""
    out = []
    for info in VIEWS:
        if fits(info.name, is_image, classes):
            out += [(info.name, (info.name,))] if info.scenes is None else list(info.scenes)
    return out


def fits(name: str, is_image: bool, classes: int = 2) -> bool:
    """Whether view `name` shows this kind of data (of `classes` classes)."""
    kind = view(name).fits
    if kind == "classes":
        return classes > 2
    return kind is None or (kind == "image") == is_image


def misfit(name: str, is_image: bool, data_name: str, classes: int = 2) -> str:
    """Why view `name` cannot show this data, in one line ("" when it can)."""
    if fits(name, is_image, classes):
        return ""
    kind = view(name).fits
    if kind == "classes":
        return f"the {name} view is for more than two classes, and {data_name} has two"
    has = "pictures" if is_image else "2-D points"
    needs = "pictures" if kind == "image" else "2-D points"
    return f"the {name} view is for {needs}, and {data_name} has {has}"
