"""NetworkView: the diagram's units and links against the network's dims and weights, hover,
+ and - doing what the controls do, and pictures and plane maps as units."""

from __future__ import annotations

import numpy as np
import pytest
from window_helpers import drawn, send_steps, show_tab

from dnnviz.training import RunConfig, Session
from dnnviz.training.diagram import HEAD, TAIL
from dnnviz.training.snapshot import FrameRequest
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui.views import network_layout as geo
from dnnviz.ui.views.network import SIGNS, STRENGTHS, VALUE_GAP, VALUE_TILE, NetworkView

NETWORK = FrameRequest(parts=frozenset({"network"}))


def snapshot(session, **changes):
    return make_snapshot(session, FrameRequest(parts=NETWORK.parts, **changes))


@pytest.fixture
def view(qtbot) -> NetworkView:
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def shown(view, session, **changes):
    view.set_network(session.layer_dims, session.data)
    snap = snapshot(session, **changes)
    view.show_snapshot(snap)
    return snap.network


def drawn_pairs(view) -> dict:
    """(sign, strength) -> the segments that link item draws, as rounded tuples."""
    out = {}
    for key, item in view.links.items():
        x, y = item.getData()
        x, y = (np.empty(0), np.empty(0)) if x is None else (x, y)
        out[key] = {tuple(np.round([x[i], y[i], x[i + 1], y[i + 1]], 9))
                    for i in range(0, len(x), 2)}
    return out


def test_columns_and_units_follow_the_layer_dims(view):
    session = Session(RunConfig(dataset="circles", hidden=(10, 25, 5), iterations=5))
    frame = shown(view, session)
    columns = view.columns()
    assert [c.n for c in columns] == [2, 10, 25, 5, 1]
    assert [len(c.ys) for c in columns] == [2, 10, HEAD + TAIL, 5, 1]
    assert columns[2].more_y is not None and columns[2].hidden_count == 25 - HEAD - TAIL
    assert any(t.toPlainText() == f"⋮ {25 - HEAD - TAIL} more" for t in view.texts)
    for c, tile, units in zip(columns, view.tiles, frame.units):
        assert len(units) == len(c.ys)
        assert tile.image.shape[1] == frame.maps[c.layer].shape[2]  # one map wide
    x, _ = view.outlines.getData()
    assert len(x) == 8 * sum(len(c.ys) for c in columns)  # a square round every unit


def test_every_link_is_drawn_between_its_units_in_its_sign_and_strength(view):
    session = Session(RunConfig(dataset="flower", hidden=(8, 4), iterations=5))
    session.run()
    frame = shown(view, session)
    pairs = drawn_pairs(view)
    columns = view.columns()
    total = 0
    for l, (links, W) in enumerate(zip(frame.links, session.net.Ws), start=1):
        strength = geo.strength_class(links.weight, STRENGTHS)
        for i, w in enumerate(links.weight):
            src, dst = links.src[i], links.dst[i]
            assert w == W[frame.units[l][dst], frame.units[l - 1][src]]
            segment = (columns[l - 1].x + geo.HALF, columns[l - 1].ys[src],
                       columns[l].x - geo.HALF, columns[l].ys[dst])
            key = ("positive" if w >= 0 else "negative", int(strength[i]))
            assert tuple(np.round(segment, 9)) in pairs[key]
        total += len(links.weight)
    assert total == 2 * 8 + 8 * 4 + 4
    assert sum(len(p) for p in pairs.values()) == total
    strongest = np.argmax(np.abs(frame.links[1].weight))
    assert strength_of(frame.links[1].weight)[strongest] == STRENGTHS - 1
    assert set(pairs) == {(s, k) for s in SIGNS for k in range(STRENGTHS)}


def strength_of(weights):
    return geo.strength_class(weights, STRENGTHS)


def test_hover_reads_a_units_activation_and_a_links_weight(view):
    session = Session(RunConfig(dataset="flower", hidden=(8, 4), iterations=5))
    session.run()
    frame = shown(view, session, index=4)
    columns = view.columns()
    text = view.describe(columns[2].x, columns[2].ys[1])
    assert text == f"layer 2, unit 2: a = {frame.values[2][1]:.3g} for test example #4"
    assert view.describe(columns[0].x, columns[0].ys[0]).startswith("input x1 = ")
    x0, y0, x1, y1 = view.link_segments(3)
    i = 2
    text = view.describe((x0[i] + x1[i]) / 2, (y0[i] + y1[i]) / 2, tolerance=1e-6)
    w = session.net.Ws[2][0, frame.links[2].src[i]]
    assert text.startswith(f"W3[1, {frame.links[2].src[i] + 1}] = {w:.3g}")
    assert view.describe(-50.0, -50.0) == ""


def test_plus_and_minus_ask_for_the_controls_change(view):
    session = Session(RunConfig(dataset="moons", hidden=(6, 3), iterations=5))
    shown(view, session)
    asked = []
    view.sigHiddenChanged.connect(asked.append)
    view.change_units(1, +1)
    view.change_units(2, -1)
    view.change_layers(+1)
    view.change_layers(-1)
    for button in view.buttons:  # the + and - drawn above each hidden layer
        button.action()
    assert asked == [(7, 3), (6, 2), (6, 3, 3), (6,), (5, 3), (7, 3), (6, 2), (6, 4)]
    single = Session(RunConfig(dataset="moons", hidden=(1,), iterations=5))
    shown(view, single)
    asked.clear()
    view.change_units(1, -1)  # no layer of 0 units
    assert asked == []


def test_a_picture_input_is_the_picture_and_units_its_activations(view):
    session = Session(RunConfig(dataset="shapes").with_suggested(True))
    frame = shown(view, session, split="train", index=2)
    data = session.data
    np.testing.assert_array_equal(view.picture.image,
                                  data.X_train[:, 2].reshape(data.image_shape))
    tile = view.tiles[1].image  # layer 1: a 4-pixel tile per unit, gaps between
    values = tile[::VALUE_TILE + VALUE_GAP, 0][:HEAD]
    np.testing.assert_allclose(values, frame.values[1][:HEAD].astype(np.float32))
    assert view.describe(0.0, 0.0) == "input: train picture #2 (12,288 values)"


def test_the_window_applies_the_diagrams_plus_as_the_controls_would(qtbot, make_window):
    window = make_window(hidden=(6, 4))
    show_tab(window, window.network)
    send_steps(window, 1)
    drawn(qtbot, window, lambda s: s.network is not None and s.iteration == 1)
    window.network.change_units(2, +1)
    assert window.controls.layers.hidden() == (6, 5)
    assert window.session.layer_dims == (2, 6, 5, 1) and window.config.hidden == (6, 5)
    snap = drawn(qtbot, window, lambda s: s.network is not None and s.layer_dims == (2, 6, 5, 1))
    assert [len(c.ys) for c in window.network.columns()] == [2, 6, 5, 1]
    assert [len(u) for u in snap.network.units] == [2, 6, 5, 1]
    window.network.change_layers(-1)
    assert window.session.layer_dims == (2, 6, 1) == tuple(window.network._dims)


def test_inputs_are_named_by_their_features_and_hidden_layers_by_their_activation(view):
    session = Session(RunConfig(dataset="circles", hidden=(3,), iterations=5,
                                features=("x1", "x2", "x1^2", "x1x2"), activation="tanh"))
    view.set_network(session.layer_dims, session.data, "tanh", session.config.features)
    snap = snapshot(session)
    view.show_snapshot(snap)
    texts = [t.toPlainText() for t in view.texts]
    assert {"x1", "x2", "x1²", "x1·x2"} <= set(texts) and "layer 1\n3 tanh" in texts
    column = view.columns()[0]
    assert view.describe(column.x, column.ys[3]) == (
        f"input x1·x2 = {snap.network.values[0][3]:.3g} (test example #0)")


@pytest.mark.parametrize("hidden, size", [((16, 16, 8), (1000, 430)), ((16, 16, 8), (760, 430)),
                                          ((20, 7, 5), (1000, 430))])
def test_on_a_projector_no_two_texts_of_the_diagram_overlap(qtbot, hidden, size):
    """Presentation mode's type: two "⋮ 7 more" side by side, the captions under close
    columns ("16 ReLU" was cut) and a picture input's caption all stay apart."""
    from dnnviz.ui import look as looks

    saved = looks.current()
    looks.set_current(looks.Look(presentation=True))
    try:
        view = NetworkView()
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.set_network((2, *hidden, 1), Session(RunConfig(dataset="spiral")).data)
        view.resize(size[0] + 1, size[1])  # as a window's layout settles
        qtbot.wait(10)
        def ink(t):  # the text's own rectangle, without its document's margin
            m = t.textItem.document().documentMargin()
            return t.sceneBoundingRect().adjusted(m, m, -m, -m)

        rects = [(t.toPlainText(), ink(t)) for t in view.texts if t.isVisible()]
        assert any("more" in text or "⋮" in text for text, _ in rects)
        for i, (a, ra) in enumerate(rects):
            for b, rb in rects[i + 1:]:
                assert not ra.intersects(rb), (a, b)
    finally:
        looks.set_current(saved)


def test_no_hover_hint_on_a_projector_and_readings_still_show(view):
    """Nobody hovers on a projector: presentation mode drops the hint, not the readings."""
    from dnnviz.ui import look as looks
    from dnnviz.ui.views.network import HOVER_HINT
    assert view.hover.text() == HOVER_HINT
    view.restyle(looks.Look(presentation=True))
    assert view.hover.text() == ""
    view.restyle(looks.Look())
    assert view.hover.text() == HOVER_HINT


def test_a_wide_stage_spreads_the_columns_across_it():
    """A projector's stage is wide and short: the columns spread over it (the diagram sat
    in the middle third of an empty stage), the units as large as the height allows."""
    dims = (2, 8, 4, 1)
    narrow, wide = geo.column_gap(dims, 600, 470), geo.column_gap(dims, 1264, 470)
    assert wide > 2 * geo.MIN_GAP and wide > narrow
    cols = geo.columns(dims, picture=False, gap=wide)
    rows = max(dims[1:]) + geo.MARGIN
    width = cols[-1].x + geo.MARGIN  # the diagram's shape, in units
    assert width / rows >= 0.6 * 1264 / 470  # near the stage's shape (0.4 before)
