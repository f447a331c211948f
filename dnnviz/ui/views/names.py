"""The views a user can bring to the front by name: `dnnviz --view NAME` and View ▸ Show.

Plain data (no Qt), so the command line can check a name before any window exists.
"""

from __future__ import annotations

# name: (menu text, the kind of data it is for: "plane" for 2-D points, "image" for
# pictures, "classes" for more than two classes (points or pictures), None for all)
VIEWS = {
    "network": ("&Network diagram", None),
    "distributions": ("&Distributions over time", None),
    "histograms": ("&Histograms", None),
    "boundary": ("&Boundary", "plane"),
    "activations": ("&Activations (pictures)", "image"),
    "weights": ("Layer 1 &weights", "image"),
    "confusion": ("C&onfusion matrix", "classes"),
    "runs": ("Compared &runs", None),
    "cost": ("&Cost", None),
}
VIEW_NAMES = tuple(VIEWS)


def fits(name: str, is_image: bool, classes: int = 2) -> bool:
    """Whether view `name` shows this kind of data (of `classes` classes)."""
    kind = VIEWS[name][1]
    if kind == "classes":
        return classes > 2
    return kind is None or (kind == "image") == is_image


def misfit(name: str, is_image: bool, data_name: str, classes: int = 2) -> str:
    """Why view `name` cannot show this data, in one line ("" when it can)."""
    if fits(name, is_image, classes):
        return ""
    if VIEWS[name][1] == "classes":
        return f"the {name} view is for more than two classes, and {data_name} has two"
    has = "pictures" if is_image else "2-D points"
    needs = "pictures" if VIEWS[name][1] == "image" else "2-D points"
    return f"the {name} view is for {needs}, and {data_name} has {has}"
