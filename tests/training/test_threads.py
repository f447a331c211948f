"""BLAS threads: chosen by timing the steps (on a fake clock here), and never changing a
result beyond rounding."""

import numpy as np
import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training import protocol as p
from dnnviz.training import threads as threads_module
from dnnviz.training.engine import Engine
from dnnviz.training.threads import (
    AUTO,
    FIRST_PROBE,
    LONGEST_WAIT,
    RECENT,
    BlasThreads,
    parse_threads,
)


class FakeBlas:
    """Two threads available; remembers every count set."""

    def __init__(self, available=2):
        self.available = available
        self.counts = []

    def set(self, count):
        self.counts.append(count)


class Machine:
    """A fake clock and a step whose duration depends on the BLAS thread count in force."""

    def __init__(self, seconds_on, idle=lambda: None):
        self.now = 0.0
        self.seconds_on = dict(seconds_on)  # thread count -> seconds a step takes
        self.blas = FakeBlas()
        self.threads = BlasThreads(AUTO, clock=lambda: self.now, blas=self.blas, idle=idle)

    def step(self):
        self.now += self.seconds_on[self.blas.counts[-1]]
        return self.blas.counts[-1]

    def train(self, seconds):
        """Steps for `seconds` of fake time, with a short pause between them (a paced run);
        the thread count of each step."""
        counts = []
        end = self.now + seconds
        while self.now < end:
            counts.append(self.threads.call(self.step))
            self.now += 0.002
        return counts


def test_a_fixed_count_is_used_for_every_step_and_never_probed():
    machine = Machine({1: 0.001, 2: 0.0001, 3: 0.0001})
    machine.threads.set_count(3)
    assert set(machine.train(30.0)) == {3}


def test_auto_starts_on_one_thread_and_takes_two_when_they_are_clearly_faster():
    machine = Machine({1: 0.008, 2: 0.004})  # a quiet machine: the cat net's big products
    counts = machine.train(10.0)
    assert counts[0] == 1
    assert counts[-1] == 2
    assert counts.count(2) > 0.9 * len(counts)


def test_auto_stays_on_one_thread_when_two_wait_for_a_busy_core_and_probes_less_often():
    machine = Machine({1: 0.008, 2: 0.040})  # a busy machine: the second thread waits
    counts = machine.train(60.0)
    assert counts[-1] == 1
    probes = counts.count(2)  # each probe ends after its first, hopeless, step
    # backing off to one probe every LONGEST_WAIT seconds: a handful, not one a second
    assert 3 <= probes <= 60.0 / LONGEST_WAIT + 6
    assert counts.count(2) < 0.01 * len(counts)


def test_auto_goes_back_to_one_thread_when_the_machine_becomes_busy():
    machine = Machine({1: 0.008, 2: 0.004})
    assert machine.train(10.0)[-1] == 2
    machine.seconds_on[2] = 0.050  # other programs start: two threads now wait
    assert machine.train(LONGEST_WAIT * 2)[-1] == 1


def test_auto_keeps_one_thread_when_two_gain_nothing_that_counts():
    machine = Machine({1: 0.00005, 2: 0.00004})  # a tiny network: 10 µs is noise
    counts = machine.train(30.0)
    assert set(counts[RECENT:]) <= {1, 2}
    assert counts[-1] == 1
    assert counts.count(2) < 0.01 * len(counts)


def test_no_probe_on_a_machine_with_one_thread_to_give():
    blas = FakeBlas(available=1)
    threads = BlasThreads(AUTO, clock=lambda: 0.0, blas=blas, idle=lambda: None)
    for _ in range(100):
        threads.call(lambda: None)
    assert set(blas.counts) == {1}
    assert threads.summary() == {"setting": "auto", "steps_on": {"1": 100}}


@pytest.mark.parametrize("text, count", [("auto", None), ("AUTO", None), ("1", 1),
                                         (" 4 ", 4), ("64", 64)])
def test_parse_threads(text, count):
    assert parse_threads(text) == count


@pytest.mark.parametrize("text", ["0", "-1", "65", "two", "1.5", ""])
def test_parse_threads_refuses_others_in_one_line(text):
    with pytest.raises(ValueError, match="'auto' or a whole number of threads from 1 to 64"):
        parse_threads(text)


def test_the_engine_steps_on_the_threads_the_window_sets():
    blas = FakeBlas()
    engine = Engine([].append, threads=BlasThreads(AUTO, blas=blas, idle=lambda: None))
    engine.handle(p.UseSession(Session(RunConfig(dataset="moons", hidden=(4,),
                                                 iterations=10)), tag=1))
    engine.handle(p.SetThreads(2))
    engine.handle(p.Step(3))
    for _ in range(3):
        engine.tick()
    assert engine.session.iteration == 3
    assert blas.counts[-1] == 2
    assert engine.threads.summary()["steps_on"] == {"2": 3}


def _cat_run(cat_dir, count, iterations=15):
    config = RunConfig(dataset="cat", data_dir=str(cat_dir), hidden=(20, 7, 5), init="scaled",
                       learning_rate=0.0075, iterations=iterations, seed=1)
    session = Session(config)
    threads = BlasThreads(count)
    try:
        session.run(threads=threads)
    finally:
        threads.restore()
    return session.costs.copy(), session.net.parameters


def test_the_same_thread_count_gives_the_same_numbers_to_the_last_bit(cat_dir):
    for count in (1, 2):
        (costs_a, params_a), (costs_b, params_b) = _cat_run(cat_dir, count), \
            _cat_run(cat_dir, count)
        assert np.array_equal(costs_a, costs_b)
        assert all(np.array_equal(params_a[k], params_b[k]) for k in params_a)


def test_another_thread_count_agrees_to_1e_12(cat_dir):
    costs_1, params_1 = _cat_run(cat_dir, 1)
    costs_2, params_2 = _cat_run(cat_dir, 2)
    np.testing.assert_allclose(costs_2, costs_1, rtol=1e-12, atol=0)
    for k in params_1:
        np.testing.assert_allclose(params_2[k], params_1[k], rtol=1e-12, atol=1e-18)


def test_first_probe_comes_soon_after_the_start():
    machine = Machine({1: 0.008, 2: 0.004})
    counts = machine.train(FIRST_PROBE + RECENT * 0.010 + 0.1)
    assert 2 in counts


def test_more_threads_are_not_even_tried_while_no_core_is_idle():
    machine = Machine({1: 0.008, 2: 0.004}, idle=lambda: 0.1)  # others keep every core busy
    assert set(machine.train(30.0)) == {1}


def test_a_hopeless_probe_ends_after_one_step():
    machine = Machine({1: 0.008, 2: 0.300})  # two threads wait for cores: 300 ms a step
    counts = machine.train(3.0)
    runs = "".join(str(c) for c in counts).split("1")
    assert max(len(r) for r in runs) == 1  # never two slow steps in a row
    assert counts[-1] == 1


def test_auto_leaves_the_cores_it_is_asked_to_spare(monkeypatch):
    monkeypatch.setattr(threads_module.os, "cpu_count", lambda: 2)
    window_side = BlasThreads(AUTO, blas=FakeBlas(available=2), spare_cores=1,
                              idle=lambda: None)
    assert window_side.most == 1 and not window_side.choosing  # the window draws on one
    alone = BlasThreads(AUTO, blas=FakeBlas(available=2), idle=lambda: None)
    assert alone.most == 2 and alone.choosing


def test_idle_cores_come_from_the_kernels_counts(tmp_path):
    stat = tmp_path / "stat"
    stat.write_text("cpu  100 0 100 800 0 0 0 0 0 0\n")
    idle = threads_module.IdleCores(str(stat))
    stat.write_text("cpu  150 0 150 900 0 0 0 0 0 0\n")  # 100 of 200 ticks idle
    assert idle() == pytest.approx(0.5 * (threads_module.os.cpu_count() or 1))
    assert threads_module.IdleCores(str(tmp_path / "none"))() is None
