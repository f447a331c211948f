"""Why a run stopped is a value: each kind reads as one line, and a model file's line reads
back as the same value."""

import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training.stops import COMPLETED, INTERRUPTED, Stop, Why, failed, paused_at

EVERY_KIND = [COMPLETED, INTERRUPTED, paused_at(300),
              Stop(Why.DIVERGED, 12, "the cost became inf (an output of 0 or 1)"),
              failed("ValueError: bad (in step)"), Stop(Why.STOPPED)]


@pytest.mark.parametrize("stop", EVERY_KIND, ids=str)
def test_each_stop_is_one_line_that_reads_back_as_itself(stop):
    text = str(stop)
    assert text and "\n" not in text
    assert Stop.read(text) == stop


def test_the_lines_say_what_happened():
    assert str(paused_at(300)) == "paused at 300"
    assert str(Stop(Why.DIVERGED, 12, "the cost became inf")) == \
        "diverged at iteration 12: the cost became inf; try a smaller learning rate"
    assert str(failed("the training process ended")) == "failed: the training process ended"


def test_a_line_of_another_version_is_kept_as_it_is():
    stop = Stop.read("halted by the moon")
    assert stop.why is Why.STOPPED and str(stop) == "halted by the moon"


def test_a_session_says_why_with_a_value():
    session = Session(RunConfig(dataset="moons", hidden=(3,), iterations=5))
    session.run()
    assert session.stopped_reason == COMPLETED
    wild = Session(RunConfig(dataset="moons", hidden=(3,), learning_rate=1000, iterations=50))
    wild.run()
    assert wild.stopped_reason.why is Why.DIVERGED and wild.diverged
    assert wild.stopped_reason.iteration >= 1
