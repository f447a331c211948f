"""Recording in the engine: a frame at every n-th iteration and at the run's end, and no
training past a recorded iteration until the window says it took the frame.

Driven command by command on a fake clock, as tests/training/test_engine.py does; the
"window" here is slow or quick at random, and the recorded iterations never change.
"""

import random

import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training import protocol as p
from dnnviz.training.engine import Engine

CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.5, iterations=47)


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def recorded_run(speed, every, seed, config=CONFIG, stop_at=None):
    """Train a run to its end while recording; the window takes each frame after a random
    number of turns of the engine's loop. Returns the iterations of the recorded frames
    and their costs."""
    clock, sent = FakeClock(), []
    engine = Engine(sent.append, clock=clock)
    engine.handle(p.UseSession(Session(config), tag=3))
    engine.handle(p.SetSpeed(speed))
    engine.handle(p.StopAt(stop_at))
    engine.handle(p.RecordEvery(every))
    engine.handle(p.WantFrame())
    engine.handle(p.Run())
    rng = random.Random(seed)
    taken, pending = [], []  # frames the window has, frames on their way
    for _ in range(200_000):
        engine.tick()
        clock.now += rng.choice((0.0001, 0.003, 0.05))
        frames = [m.snapshot for m in sent if isinstance(m, p.Frame)]
        sent.clear()
        pending += frames
        if pending and rng.random() < 0.3:  # the window draws the newest frame
            snap, pending = pending[-1], []
            recorded = [f for f in [*frames, snap] if f.record]
            assert all(f is snap for f in recorded) or not recorded  # never one skipped
            if snap.record:
                taken.append((snap.iteration, snap.cost))
                engine.handle(p.Recorded(3, snap.iteration))
            engine.handle(p.WantFrame())
        if not engine.running and not pending:
            break
    return taken


@pytest.mark.parametrize("speed", [150.0, None])
def test_the_same_iterations_are_recorded_however_slow_the_window(speed):
    runs = [recorded_run(speed, every=10, seed=seed) for seed in range(3)]
    iterations = [[i for i, _ in run] for run in runs]
    assert iterations[0] == [0, 10, 20, 30, 40, 47]  # the start, every 10th, the end
    assert iterations[1] == iterations[0] and iterations[2] == iterations[0]
    assert [c for _, c in runs[0]][1:] == [c for _, c in runs[1]][1:]


def test_a_run_stopped_on_a_multiple_records_its_end_once():
    run = recorded_run(None, every=5, seed=1, stop_at=20)
    assert [i for i, _ in run] == [0, 5, 10, 15, 20]


def test_training_waits_for_the_window_at_a_recorded_iteration():
    clock, sent = FakeClock(), []
    engine = Engine(sent.append, clock=clock)
    engine.handle(p.UseSession(Session(CONFIG), tag=3))
    engine.handle(p.SetSpeed(None))
    engine.handle(p.RecordEvery(4))
    engine.handle(p.WantFrame())
    engine.handle(p.Run())
    for _ in range(50):
        engine.tick()
    assert engine.session.iteration == 0  # frame 0 sent, not yet taken
    recorded = [m.snapshot for m in sent if isinstance(m, p.Frame) and m.snapshot.record]
    assert [s.iteration for s in recorded] == [0]
    engine.handle(p.Recorded(99, 0))  # another session's word does not count
    engine.tick()
    assert engine.session.iteration == 0
    engine.handle(p.Recorded(3, 0))
    for _ in range(50):
        engine.tick()
    assert engine.session.iteration == 4  # and there it waits for the window's WantFrame
    engine.handle(p.RecordEvery(None))  # recording off: on it goes
    for _ in range(10):
        engine.tick()
    assert engine.session.iteration > 4


def test_paused_or_stepping_records_nothing():
    clock, sent = FakeClock(), []
    engine = Engine(sent.append, clock=clock)
    engine.handle(p.UseSession(Session(CONFIG), tag=3))
    engine.handle(p.RecordEvery(2))
    engine.handle(p.WantFrame())
    engine.handle(p.Step(5))
    for _ in range(20):
        engine.handle(p.WantFrame())
        engine.tick()
    assert engine.session.iteration == 5
    assert not [m for m in sent if isinstance(m, p.Frame) and m.snapshot.record]
