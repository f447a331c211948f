"""StepThroughDialog: Previous / Next walk the stages; the heatmap shows each stage's array."""

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from dnnviz.nn.model import DeepNeuralNetwork
from dnnviz.nn.stepthrough import walk
from dnnviz.ui.teach.stepthrough import MAX_COLS, MAX_ROWS, StepThroughDialog, crop, wrap_equation


def problem(dims, m=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((dims[0], m)), (rng.random((1, m)) > 0.5).astype(float)


@pytest.fixture
def dialog(qtbot):
    net = DeepNeuralNetwork((2, 8, 4, 1), seed=1)
    X, Y = problem(net.layer_dims)
    widget = StepThroughDialog(net, X, Y, labels=["cat" if y else "non-cat" for y in Y[0]])
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
