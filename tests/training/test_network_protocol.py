"""dnnviz's network and a student's are the one declared Network: a Session uses either
through its members only."""

import inspect
import typing
from pathlib import Path

import pytest

from dnnviz.nn import DeepNeuralNetwork
from dnnviz.student.network import StudentNetwork
from dnnviz.training import RunConfig, Session
from dnnviz.training.config import ConfigError
from dnnviz.training.network import Network

CORRECT = Path(__file__).resolve().parents[1] / "student" / "impls" / "correct.py"
MEMBERS = [name for name in dir(Network) if not name.startswith("_")] + \
    list(typing.get_type_hints(Network))


@pytest.fixture
def student():
    net = StudentNetwork(CORRECT, (2, 3, 1), seed=1)
    yield net
    net.close()


@pytest.mark.parametrize("make", [lambda: DeepNeuralNetwork((2, 3, 1)), None],
                         ids=["dnnviz's", "a student's"])
def test_both_networks_have_every_declared_member(make, student):
    net = make() if make else student
    assert isinstance(net, Network)
    missing = [name for name in set(MEMBERS) if not hasattr(net, name)]
    assert missing == []
    for name, member in inspect.getmembers(Network, inspect.isfunction):
        if not name.startswith("_"):  # every declared method callable with its parameters
            ours = inspect.signature(getattr(net, name))
            declared = inspect.signature(member)
            assert list(declared.parameters)[1:] == list(ours.parameters)[:len(
                declared.parameters) - 1], name


def test_a_students_network_takes_no_course2_option_and_says_so(student):
    session = Session(RunConfig(dataset="moons", hidden=(3,), iterations=3))
    session.net = student
    assert (session.l2, session.keep_prob) == (0.0, 1.0)
    with pytest.raises(ConfigError, match="trains the lesson's way only: no l2"):
        session.set_live("l2", 0.1)
    with pytest.raises(ValueError, match="step_lr"):
        student.check_step_state({"last_cost": 1.0})
