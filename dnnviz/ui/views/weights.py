"""WeightsView: what each first-layer unit looks for, its weights drawn as a picture."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QVBoxLayout, QWidget

from dnnviz.training.summaries import MAX_WEIGHT_IMAGES
from dnnviz.ui import look as looks
from dnnviz.ui.views.pictures import grid_shape, image_plot, mosaic, new_image, symmetric_unit

WEIGHT_GAP = 0.15  # gap between weight pictures, as a fraction of a picture's side
WEIGHTS_TIP = (
    "What each first-layer unit looks for: its weights, one per pixel, drawn as a picture.\n"
    "Grey = weight 0, brighter = positive (pixels that make the unit fire), darker = "
    "negative.\nPictures sit in the same places as the units in the layer 1 grid."
)


class WeightsView(QWidget):
    """The rows of W1 as pictures, one per first-layer unit, in the units' grid order."""

    name = "weights"
    parts = frozenset({"weights"})

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layer_dims: tuple[int, ...] = ()
        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setToolTip(WEIGHTS_TIP)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._graphics)
        self.setToolTip(WEIGHTS_TIP)
        self.weights_img = new_image()
        self.title = ""
        self._snap = None  # the last frame shown, drawn again in a new look

    def set_layers(self, layer_dims, data=None) -> None:
        """A new network: one picture per first-layer unit (at most MAX_WEIGHT_IMAGES)."""
        self._layer_dims = tuple(layer_dims)
        self._snap = None
        self._graphics.clear()
        n1 = self._layer_dims[1] if len(self._layer_dims) > 1 else 1
        shown = min(n1, MAX_WEIGHT_IMAGES)
        units = f"{n1} units" if shown == n1 else f"first {shown} of {n1} units"
        self.title = (f"Layer 1: what each of its {units} looks for<br>"
                      "grey = weight 0, bright = +, dark = −")
        self.weights_plot = image_plot()
        self.weights_img = new_image()
        self.weights_plot.addItem(self.weights_img)
        self._graphics.ci.addItem(self.weights_plot, row=0, col=0)
        self.restyle(looks.current())

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self._graphics)
        if self.title:
            look.set_title(self.weights_plot, self.title)
        if self._snap is not None:  # the gaps between the tiles take the new ground
            self.show_snapshot(self._snap)

    def show_snapshot(self, snap) -> None:
        if snap.first_weights is None or tuple(snap.layer_dims) != self._layer_dims:
            return
        self._snap = snap
        first_weights = snap.first_weights
        _, h, w, _ = first_weights.shape
        _, cols = grid_shape(self._layer_dims[1])
        ground = looks.current().color("background")  # the gaps: the plot's own ground
        fill = np.array(ground.getRgbF()[:3]) if first_weights.shape[3] == 3 else \
            ground.lightnessF()
        tiles = mosaic(symmetric_unit(first_weights), cols, max(1, round(WEIGHT_GAP * max(h, w))),
                       fill=fill)
        if tiles.shape[2] == 1:
            tiles = tiles[..., 0]
        self.weights_img.setImage(tiles, autoLevels=False, levels=(0.0, 1.0))
