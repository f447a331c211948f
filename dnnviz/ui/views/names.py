"""The views a user can bring to the front by name: `dnnviz --view NAME` and View ▸ Show.

Plain data (no Qt), so the command line can check a name before any window exists.
"""

from __future__ import annotations

# name: (menu text, the kind of data it is for: "plane" for 2-D points, "image" for
# pictures, None for both)
VIEWS = {
    "network": ("&Network diagram", None),
    "distributions": ("&Distributions over time", None),
    "histograms": ("&Histograms", None),
    "boundary": ("&Boundary", "plane"),
    "activations": ("&Activations (pictures)", "image"),
    "weights": ("Layer 1 &weights", "image"),
    "runs": ("Compared &runs", None),
    "cost": ("&Cost", None),
}
VIEW_NAMES = tuple(VIEWS)


def fits(name: str, is_image: bool) -> bool:
    """Whether view `name` shows this kind of data."""
    kind = VIEWS[name][1]
    return kind is None or (kind == "image") == is_image


def misfit(name: str, is_image: bool, data_name: str) -> str:
    """Why view `name` cannot show this data, in one line ("" when it can)."""
    if fits(name, is_image):
        return ""
    has = "pictures" if is_image else "2-D points"
    needs = "pictures" if VIEWS[name][1] == "image" else "2-D points"
    return f"the {name} view is for {needs}, and {data_name} has {has}"
