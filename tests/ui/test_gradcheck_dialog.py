"""GradCheckDialog: the table and the verdict line of the lesson's gradient check."""

import numpy as np
import pytest

from dnnviz.nn.model import DeepNeuralNetwork
from dnnviz.ui.teach.gradcheck import GradCheckDialog


def problem(dims, m=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((dims[0], m)), (rng.random((1, m)) > 0.5).astype(float)


def broken(net, X, Y):
    cost, dWs, dbs = net.gradients(X, Y)
    return cost, [dWs[0], dWs[1] * 1.01, *dWs[2:]], dbs


def column(dialog, col):
    return [dialog.table.item(row, col).text() for row in range(dialog.table.rowCount())]


@pytest.mark.parametrize("dims", [(2, 8, 4, 1), (12288, 20, 7, 5, 1)])
def test_a_correct_net_passes(qtbot, dims):
    net = DeepNeuralNetwork(dims, seed=2)
    dialog = GradCheckDialog(net, *problem(dims))
    qtbot.addWidget(dialog)
    assert dialog.result.verdict == "pass"
    assert dialog.verdict_label.text().startswith("PASS")
    assert "backpropagation is correct" in dialog.verdict_label.text()
    assert dialog.table.rowCount() == len(dims) - 1
    assert column(dialog, 0) == [str(l) for l in range(1, len(dims))]
    assert column(dialog, 4) == ["PASS"] * (len(dims) - 1)
    assert all(float(text) < 2e-7 for text in column(dialog, 1))


def test_a_broken_backprop_fails(qtbot):
    dims = (4, 6, 5, 1)
    dialog = GradCheckDialog(DeepNeuralNetwork(dims, seed=1), *problem(dims), gradients=broken)
    qtbot.addWidget(dialog)
    assert dialog.verdict_label.text().startswith("FAIL")
    assert "mistake" in dialog.verdict_label.text() and "dW[2]" in dialog.verdict_label.text()
    assert column(dialog, 4) == ["PASS", "FAIL", "PASS"]
    assert float(column(dialog, 1)[1]) > 1e-3


def test_check_again_uses_other_entries_and_leaves_the_net_alone(qtbot):
    dims = (12288, 20, 7, 5, 1)
    net = DeepNeuralNetwork(dims, seed=3, dtype="float32")
    before = net.parameters
    dialog = GradCheckDialog(net, *problem(dims), max_per_layer=30)
    qtbot.addWidget(dialog)
    first = dialog.result
    dialog.again_button.click()
    assert dialog.result is not first
    assert dialog.result.layers[0].diff_W != first.layers[0].diff_W  # another subset
    assert dialog.result.verdict == "pass"
    for key, value in net.parameters.items():
        np.testing.assert_array_equal(value, before[key])


def test_on_a_projector_every_column_header_fits_at_1024(qtbot):
    from dnnviz.ui import look as looks

    saved = looks.current()
    looks.set_current(looks.Look(presentation=True))
    try:
        dims = (2, 8, 4, 1)
        dialog = GradCheckDialog(DeepNeuralNetwork(dims, seed=2), *problem(dims))
        qtbot.addWidget(dialog)
        dialog.resize(1000, 600)
        dialog.show()
        qtbot.waitExposed(dialog)
        header = dialog.table.horizontalHeader()
        metrics = header.fontMetrics()
        for i in range(dialog.table.columnCount()):
            text = dialog.table.horizontalHeaderItem(i).text()
            widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
            assert widest + 8 <= header.sectionSize(i), text
            assert metrics.height() * (text.count("\n") + 1) <= header.height()
    finally:
        looks.set_current(saved)
