"""StepThroughDialog: Previous / Next walk the stages; the heatmap shows each stage's array."""

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from dnnviz.nn.model import DeepNeuralNetwork
from dnnviz.nn.stepthrough import as_parameters, walk
from dnnviz.ui.teach.stepthrough import (
    MAX_COLS,
    MAX_ROWS,
    StepThroughDialog,
    axis_names,
    crop,
    wrap_equation,
)


def problem(dims, m=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((dims[0], m)), (rng.random((1, m)) > 0.5).astype(float)


def walked(net, X, Y, labels=None, learning_rate=None):
    """The dialog on one iteration of net, walked here as the training process walks it
    (training.teaching.step_through): the stages, and the parameters before the update."""
    before = as_parameters(net)
    return StepThroughDialog(walk(net, X, Y, learning_rate=learning_rate), labels=labels,
                             ys=(np.ravel(Y) > 0.5).astype(int), learning_rate=learning_rate,
                             before=before,
                             gradient_descent=getattr(net, "optimizer", "gd") == "gd")


@pytest.fixture
def dialog(qtbot):
    net = DeepNeuralNetwork((2, 8, 4, 1), seed=1)
    X, Y = problem(net.layer_dims)
    widget = walked(net, X, Y, labels=["cat" if y else "non-cat" for y in Y[0]])
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_next_button_shows_the_next_stage(dialog, qtbot):
    stages = dialog.stages
    assert dialog.current() is stages[0]
    np.testing.assert_array_equal(dialog.shown_array(), stages[0].array)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.current() is stages[1]
    assert dialog.equation_label.text() == wrap_equation(stages[1].equation)
    assert dialog.equation_label.text() != wrap_equation(stages[0].equation)
    np.testing.assert_array_equal(dialog.shown_array(), stages[1].array)
    assert dialog.progress_label.text() == f"2 / {len(stages)}"
    assert stages[1].name in dialog.name_label.text()
    assert dialog.explanation_label.text() == stages[1].explanation


def test_previous_at_the_start_does_nothing(dialog, qtbot):
    assert not dialog.previous_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.sigStageChanged):
        dialog.previous()
    assert dialog.index == 0
    assert dialog.progress_label.text().startswith("1 / ")


def test_every_stage_shows_its_own_array_up_to_the_end(dialog):
    stages = dialog.stages
    for k, stage in enumerate(stages):
        assert dialog.current() is stage
        np.testing.assert_array_equal(dialog.shown_array(), np.atleast_2d(stage.array))
        assert dialog.equation_label.text() == wrap_equation(stage.equation)
        dialog.next()
    assert dialog.index == len(stages) - 1
    assert not dialog.next_button.isEnabled() and dialog.previous_button.isEnabled()


def test_keys_move_through_the_stages(dialog, qtbot):
    n = len(dialog.stages)
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.index == 2
    qtbot.keyClick(dialog, Qt.Key.Key_Left)
    assert dialog.index == 1
    qtbot.keyClick(dialog, Qt.Key.Key_End)
    assert dialog.index == n - 1
    qtbot.keyClick(dialog, Qt.Key.Key_Home)
    assert dialog.index == 0


def test_clicking_the_list_jumps_to_a_stage(dialog, qtbot):
    names = [stage.name for stage in dialog.stages]
    with qtbot.waitSignal(dialog.sigStageChanged) as blocker:
        dialog.stage_list.setCurrentRow(names.index("dW[2]"))
    assert blocker.args == [names.index("dW[2]")]
    assert dialog.current().name == "dW[2]"
    assert "dW[2]" in dialog.name_label.text() and "(4, 8)" in dialog.name_label.text()


def test_a_huge_layer_is_cropped_and_says_so(qtbot):
    net = DeepNeuralNetwork((12288, 20, 7, 5, 1), seed=1)
    X, Y = problem(net.layer_dims)
    dialog = StepThroughDialog(walk(net, X, Y))
    qtbot.addWidget(dialog)
    names = [stage.name for stage in dialog.stages]
    dialog.go_to(names.index("dW[1]"))
    stage = dialog.current()
    assert stage.shape == (20, 12288)
    np.testing.assert_array_equal(dialog.shown_array(), stage.array[:, :MAX_COLS])
    assert dialog.crop_label.text() == f"showing columns 1–{MAX_COLS} of 12288"
    assert "(20, 12288)" in dialog.name_label.text()
    dialog.last()
    assert dialog.current().name == "dA[0]"
    np.testing.assert_array_equal(dialog.shown_array(), dialog.current().array[:MAX_ROWS])
    assert "rows 1–" in dialog.crop_label.text()
    dialog.go_to(names.index("Z[1]"))
    assert dialog.crop_label.text() == ""


def test_crop_keeps_small_arrays_whole():
    small = np.arange(12.0).reshape(3, 4)
    shown, note = crop(small)
    np.testing.assert_array_equal(shown, small)
    assert note == ""
    shown, note = crop(np.zeros((200, 300)), max_rows=10, max_cols=20)
    assert shown.shape == (10, 20)
    assert note == "showing rows 1–10 of 200, columns 1–20 of 300"


def test_long_equations_break_at_the_outermost_operator():
    assert wrap_equation("Z[1] = W[1]·A[0] + b[1]") == "Z[1] = W[1]·A[0] + b[1]"
    cost = wrap_equation("J = −1/m Σ ( Y·log A[3] + (1 − Y)·log(1 − A[3]) )", width=30)
    assert cost.split("\n")[0] == "J = −1/m Σ ( Y·log A[3]"
    assert cost.split("\n")[1].strip() == "+ (1 − Y)·log(1 − A[3]) )"


def test_an_empty_list_of_stages_is_refused():
    with pytest.raises(ValueError, match="empty"):
        StepThroughDialog([])


def test_the_update_follows_da0_with_each_layers_new_weights_and_their_numbers(qtbot):
    net = DeepNeuralNetwork((2, 8, 4, 1), seed=1)
    X, Y = problem(net.layer_dims)
    dialog = walked(net, X, Y, learning_rate=0.5)
    qtbot.addWidget(dialog)
    names = [stage.name for stage in dialog.stages]
    first_update = names.index("dA[0]") + 1
    assert names[first_update:] == ["W[1]", "b[1]", "W[2]", "b[2]", "W[3]", "b[3]"]
    assert dialog.stage_list.item(first_update).text().startswith("↻")
    grads = {s.name: s.array for s in dialog.stages}
    for name in names[first_update:]:
        dialog.go_to(names.index(name))
        param, l = name[0], int(name[2])
        old = getattr(net, f"{param}s")[l - 1]
        new = old - 0.5 * grads[f"d{name}"]
        np.testing.assert_allclose(dialog.shown_array(), new, rtol=0, atol=1e-15)
        rows, cols = axis_names(dialog.current())
        assert rows == f"unit of layer {l}"
        assert cols == ("" if param == "b" else "input" if l == 1 else f"unit of layer {l - 1}")
        text = dialog.numbers_label.text()
        assert dialog.numbers_label.isVisibleTo(dialog)
        row, col = np.unravel_index(np.argmax(np.abs(new - old)), new.shape)
        where = f"{name}[{row + 1}, {col + 1}]" if param == "W" else f"{name}[{row + 1}]"
        g = grads[f"d{name}"][row, col]
        assert text.startswith(f"For example: {where} = {old[row, col]:.6g} − 0.5 × ")
        assert f"{g:.4g}" in text and text.endswith(f"= {new[row, col]:.6g}")
    dialog.go_to(0)
    assert dialog.numbers_label.text() == "" and not dialog.numbers_label.isVisibleTo(dialog)


def test_without_a_learning_rate_the_pass_ends_at_da0(dialog):
    assert dialog.stages[-1].name == "dA[0]"
    assert all(stage.phase != "update" for stage in dialog.stages)


def test_the_colour_scale_names_both_ends_of_every_stage_even_tiny_ones(dialog, qtbot):
    """A small dW (+-0.015, say) lost every label but 0 to pyqtgraph's own ticks."""
    from PyQt6.QtGui import QImage, QPainter

    for k, stage in enumerate(dialog.stages):
        dialog.stage_list.setCurrentRow(k)
        assert dialog.current() is stage
        image = QImage(20, 20, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        drawn = [text for *_, text in dialog.bar.axis.generateDrawSpecs(painter)[2]]
        painter.end()
        low, high = dialog.bar.levels()
        assert sorted(drawn) == sorted([f"{low:.2g}", f"{high:.2g}"]), (stage.name, drawn)


def test_example_columns_are_named_by_class_or_by_y_when_the_names_would_collide(dialog, qtbot):
    dialog.stage_list.setCurrentRow(0)  # Z[1]: one column per example
    axis = dialog.plot.getAxis("bottom")

    def names():
        return [name for _, name in axis._tickLevels[0]]

    dialog.resize(1600, 700)
    qtbot.waitUntil(lambda: "non-cat" in names() or "cat" in names())
    dialog.resize(900, 700)  # eight columns in a narrow plot: "non-catnon-cat"
    qtbot.waitUntil(lambda: all(name.startswith("y=") for name in names()))
    assert names() == [f"y={int(y)}" for y in dialog._y[:len(names())]]


def scene_rect(vb, x, y):
    """The scene rectangle of the cell whose top-left corner is (x, y)."""
    from PyQt6.QtCore import QPointF, QRectF

    a, b = vb.mapViewToScene(QPointF(x, y)), vb.mapViewToScene(QPointF(x + 1, y + 1))
    return QRectF(a, b).normalized()


def test_on_a_projector_each_number_fits_its_cell_and_no_names_collide(qtbot):
    """Presentation mode's type in a 1024x768 dialog: every value written inside its own
    cell (or none written), the names under the columns apart, a 1x1 b a cell, not the
    pane."""
    from PyQt6.QtGui import QFontMetricsF

    from dnnviz.ui import look as looks
    from dnnviz.ui.teach.cells import MAX_CELL_LINES

    saved = looks.current()
    looks.set_current(looks.Look(presentation=True))
    try:
        net = DeepNeuralNetwork((2, 8, 4, 1), seed=1)
        X, Y = problem(net.layer_dims)
        dialog = walked(net, X, Y, labels=["non-cat"] * 8, learning_rate=0.1)
        qtbot.addWidget(dialog)
        dialog.resize(1000, 700)
        dialog.show()
        qtbot.waitExposed(dialog)
        vb = dialog.plot.vb
        numbered = 0
        for k, stage in enumerate(dialog.stages):
            dialog.go_to(k)
            qtbot.wait(1)
            rows, cols = np.atleast_2d(stage.array).shape
            cell = scene_rect(vb, 0, 0)
            assert cell.width() <= MAX_CELL_LINES * 40 and cell.height() <= MAX_CELL_LINES * 40
            for item in dialog._numbers:
                if not item.isVisible():
                    continue
                numbered += 1
                x, y = item.pos().x() - 0.5, item.pos().y() - 0.5
                own = scene_rect(vb, x, y)
                assert own.contains(item.sceneBoundingRect()), (stage.name, item.toPlainText())
            axis = dialog.plot.getAxis("bottom")
            metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
            names = [(x, n) for x, n in axis._tickLevels[0] if n]
            for (x0, a), (x1, b) in zip(names, names[1:]):
                room = (x1 - x0) * cell.width()
                assert (metrics.horizontalAdvance(a) + metrics.horizontalAdvance(b)) / 2 < room
        assert numbered  # some stages do write their numbers
    finally:
        looks.set_current(saved)
