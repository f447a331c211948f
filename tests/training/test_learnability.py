"""Every built-in data set can be learned: >= 0.9 test accuracy with a suitable small net."""

import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training.stops import COMPLETED

CASES = [
    ("flower", (8, 4), 0.3, 3000, "he"),
    ("moons", (10, 5), 0.3, 2000, "he"),
    ("circles", (10, 5), 0.3, 2000, "he"),
    ("xor", (10, 5), 0.3, 2000, "he"),
    ("blobs", (10, 5), 0.3, 500, "he"),
    ("spiral", (20, 10), 0.3, 4000, "he"),
    ("shapes", (7,), 0.05, 300, "small"),
]


@pytest.mark.parametrize("name, hidden, lr, iterations, init", CASES)
def test_builtin_set_is_learned(name, hidden, lr, iterations, init):
    session = Session(RunConfig(dataset=name, hidden=hidden, learning_rate=lr,
                                iterations=iterations, init=init))
    session.run()
    final = session.evaluate()
    assert session.stopped_reason == COMPLETED
    assert final.test_accuracy >= 0.9, final
    assert session.costs[-1] < session.costs[0] / 2
