"""K classes learnt end to end: the digits with their defaults, the three-armed spiral from a
CSV; model files and config files keep a K-class run."""

import json

import numpy as np
import pytest

from dnnviz.cli import main
from dnnviz.data import make_dataset
from dnnviz.nn import DeepNeuralNetwork
from dnnviz.student.network import StudentSetup
from dnnviz.training import ConfigError, RunConfig, Session
from dnnviz.training.config import config_with_defaults
from dnnviz.training.persist import load_model, save_model


def test_dnnviz_train_on_the_digits_with_its_defaults_passes_95_percent(tmp_path, capsys):
    report = tmp_path / "r.json"
    assert main(["train", "--dataset", "digits", "--report", str(report)]) == 0
    assert json.loads(report.read_text())["test_accuracy"] >= 0.95


def test_a_three_armed_spiral_in_a_csv_with_100_relu_units_passes_95_percent(tmp_path):
    spiral = make_dataset("spiral", n_classes=3, n_samples=300, seed=4)
    X = np.hstack([spiral.X_train, spiral.X_test])
    Y = np.hstack([spiral.Y_train, spiral.Y_test]).ravel()
    path = tmp_path / "spiral3.csv"
    path.write_text("x1,x2,label\n" + "".join(f"{float(a)!r},{float(b)!r},{int(c)}\n"
                                             for a, b, c in zip(*X, Y)))
    config = config_with_defaults({"points_file": str(path), "hidden": (100,)})
    session = Session(config)
    assert session.layer_dims == (2, 100, 3) and session.net.output == "softmax"
    session.run()
    assert session.evaluate().train_accuracy >= 0.95


def test_a_k_class_run_continues_from_its_model_file_exactly(tmp_path):
    config = RunConfig(dataset="blobs", n_classes=4, hidden=(6,), iterations=30,
                       optimizer="adam", learning_rate=0.01)
    unbroken = Session(config)
    unbroken.run()
    half = Session(config)
    half.run(iterations=15)
    save_model(tmp_path / "m.h5", half)
    again = load_model(tmp_path / "m.h5")
    assert again.layer_dims == (2, 6, 4) and again.config.n_classes == 4
    again.run()
    assert np.array_equal(again.costs, unbroken.costs)
    assert all(np.array_equal(a, b) for a, b in zip(again.net.Ws, unbroken.net.Ws))


def test_output_sigmoid_gives_one_sigmoid_a_class_and_auto_keeps_the_lesson():
    lesson = Session(RunConfig(dataset="moons", hidden=(3,), iterations=3))
    assert lesson.layer_dims[-1] == 1 and lesson.net.output == "sigmoid"
    two = Session(RunConfig(dataset="moons", hidden=(3,), iterations=3, output="softmax"))
    assert two.layer_dims[-1] == 2 and two.net.output == "softmax"
    many = Session(RunConfig(dataset="blobs", n_classes=3, hidden=(3,), output="sigmoid"))
    assert many.layer_dims[-1] == 3 and many.net.output == "sigmoid"


def test_a_students_lesson_functions_refuse_k_output_units_in_one_line():
    setup = StudentSetup("mine.py")
    with pytest.raises(ConfigError, match="not one with an output unit a class: set it back"):
        setup.network(DeepNeuralNetwork((2, 3, 4), output="softmax"))
