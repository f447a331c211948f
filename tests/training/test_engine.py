"""Engine: the training process's loop, driven command by command on a fake clock.

No process and no sleeping: the tests hand the Engine commands and turn its loop (tick)
while moving a fake clock, and read the messages it sends.
"""

import numpy as np
import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training import engine as engine_module
from dnnviz.training import protocol as p
from dnnviz.training.engine import COMMAND_LATENCY, FRAME_HZ, FRAME_SHARE, Engine
from dnnviz.training.report import run_report
from dnnviz.training.snapshot import PARTS, FrameRequest
from dnnviz.training.stops import COMPLETED, paused_at

CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.5, iterations=60)


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def engine(clock):
    sent = []
    engine = Engine(sent.append, clock=clock)
    engine.sent = sent
    engine.handle(p.UseSession(Session(CONFIG), tag=7))
    return engine


def messages(engine, kind):
    return [m for m in engine.sent if isinstance(m, kind)]


def frames(engine):
    return [m.snapshot for m in messages(engine, p.Frame)]


def turn(engine, clock, seconds, dt=0.001, want=True):
    """Turn the loop for `seconds` of fake time; the window wants every frame at once."""
    end = clock.now + seconds
    while clock.now < end:
        if want and not engine.wanted:
            engine.handle(p.WantFrame())
        engine.tick()
        clock.now += dt


def test_training_follows_the_speed_and_a_change_while_running(engine, clock):
    engine.handle(p.SetLive("iterations", 100_000))
    engine.handle(p.SetSpeed(100.0))
    engine.handle(p.Run())
    turn(engine, clock, 1.0)
    first = engine.session.iteration
    engine.handle(p.SetSpeed(20.0))  # slower, while training
    turn(engine, clock, 1.0)
    second = engine.session.iteration - first
    engine.handle(p.SetSpeed(None))  # max: every turn of the loop trains
    before = engine.session.iteration
    for _ in range(50):
        engine.tick()
    assert 95 <= first <= 106
    assert 18 <= second <= 22
    assert engine.session.iteration - before == 50


def test_the_speed_never_changes_the_numbers(clock):
    costs = []
    for speed in (3.0, 300.0, None):
        sent = []
        engine = Engine(sent.append, clock=clock)
        engine.handle(p.UseSession(Session(CONFIG), tag=1))
        engine.handle(p.SetSpeed(speed))
        engine.handle(p.Run())
        while engine.running:
            engine.tick()
            clock.now += 0.01
        costs.append(engine.session.costs.copy())
    plain = Session(CONFIG)
    plain.run()
    for run in costs:
        np.testing.assert_array_equal(run, plain.costs)


def test_step_takes_exactly_the_iterations_asked_for_whatever_the_speed(engine, clock):
    engine.handle(p.SetSpeed(1.0))
    engine.handle(p.Step(3))
    for _ in range(3):
        engine.tick()  # no time passes: steps do not wait for the pace
    assert engine.session.iteration == 3
    for _ in range(5):
        engine.tick()
    assert engine.session.iteration == 3 and not engine.running
    assert frames(engine)[-1].iteration == 3  # the last step is shown at once


def test_frames_come_only_when_wanted_and_at_most_frame_hz(engine, clock):
    engine.handle(p.SetSpeed(None))
    engine.handle(p.SetLive("iterations", 100_000))
    engine.handle(p.Run())
    engine.sent.clear()
    turn(engine, clock, 1.0, dt=0.002, want=False)
    assert frames(engine) == []  # nobody asked
    turn(engine, clock, 1.0, dt=0.002)
    assert FRAME_HZ - 2 <= len(frames(engine)) <= FRAME_HZ + 1


def frames_in_a_second(engine, clock, draw_seconds):
    """Frames sent in one second of fake time (making one takes none of it) while the
    window draws each at once and reports draw_seconds of drawing with its WantFrame."""
    engine.sent.clear()
    end = clock.now + 1.0
    while clock.now < end:
        if not engine.wanted:
            engine.handle(p.WantFrame(draw_seconds=draw_seconds))
        engine.tick()
        clock.now += 0.002
    return len(frames(engine))


def test_the_engine_alone_paces_frames_counting_the_windows_drawing(engine, clock,
                                                                     monkeypatch):
    """One pace: at max on a small machine, making and drawing a frame take at most
    FRAME_SHARE of the time; on a bigger one drawing has a core of its own; at a set speed
    the views get FRAME_HZ whatever drawing costs."""
    monkeypatch.setattr(engine_module, "SMALL_MACHINE", True)
    engine.handle(p.SetLive("iterations", 100_000))
    engine.handle(p.SetSpeed(None))
    engine.handle(p.Run())
    small = frames_in_a_second(engine, clock, draw_seconds=0.03)
    monkeypatch.setattr(engine_module, "SMALL_MACHINE", False)
    big = frames_in_a_second(engine, clock, draw_seconds=0.03)
    engine.handle(p.SetSpeed(500.0))
    monkeypatch.setattr(engine_module, "SMALL_MACHINE", True)
    paced = frames_in_a_second(engine, clock, draw_seconds=0.03)
    assert FRAME_SHARE / 0.03 - 1 <= small <= FRAME_SHARE / 0.03 + 1
    assert FRAME_HZ - 2 <= big <= FRAME_HZ + 1
    assert FRAME_HZ - 2 <= paced <= FRAME_HZ + 1


def test_frames_keep_their_beat_when_steps_are_long(clock):
    """A step of the cat net takes about 8 ms: a frame falls due while the loop is in one
    and goes out up to a step late. The next is due on the beat, not a whole interval after
    the late one, so the views still get FRAME_HZ frames a second (25 before, at 30 Hz)."""
    sent = []
    engine = Engine(sent.append, clock=clock)
    engine.sent = sent
    session = Session(CONFIG.with_changes(iterations=100_000))
    step = session.step

    def long_step():
        clock.now += 0.0077
        return step()
    session.step = long_step
    engine.handle(p.UseSession(session, tag=1))
    engine.handle(p.SetSpeed(125.0))
    engine.handle(p.Run())
    frames_in_a_second(engine, clock, draw_seconds=0.01)  # settle
    counts = [frames_in_a_second(engine, clock, draw_seconds=0.01) for _ in range(3)]
    assert all(FRAME_HZ - 1 <= n <= FRAME_HZ + 1 for n in counts), counts


def test_a_run_crowded_out_by_other_programs_gets_fewer_frames_and_more_training(clock):
    """At a set pace it cannot keep, on a machine with no idle core, the engine makes
    CROWDED_HZ frames a second (the time left goes to training); 30 again once a core is
    idle; never fewer while the run keeps its pace (tests/training/test_pacing.py)."""
    from dnnviz.training.pacing import CROWDED_HZ, Crowding
    idle = [0.0]
    sent = []
    engine = Engine(sent.append, clock=clock, crowding=Crowding(lambda: idle[0], clock))
    engine.sent = sent
    engine.handle(p.UseSession(Session(CONFIG), tag=7))
    engine.handle(p.SetLive("iterations", 100_000))
    engine.handle(p.SetSpeed(5000.0))  # one iteration a tick of 2 ms: 500 it/s, behind
    engine.handle(p.Run())
    first = frames_in_a_second(engine, clock, draw_seconds=0.01)
    crowded = frames_in_a_second(engine, clock, draw_seconds=0.01)
    idle[0] = 1.0  # the other programs have stopped
    frames_in_a_second(engine, clock, draw_seconds=0.01)
    quiet = frames_in_a_second(engine, clock, draw_seconds=0.01)
    assert FRAME_HZ - 2 <= first <= FRAME_HZ + 1  # judged after a second
    assert CROWDED_HZ - 2 <= crowded <= CROWDED_HZ + 1
    assert FRAME_HZ - 2 <= quiet <= FRAME_HZ + 1


def test_every_frame_is_one_moment(engine, clock):
    """Each frame's figures belong to its iteration; when the run stops, the last frame is
    evaluated at the final weights and agrees with the report."""
    engine.handle(p.SetParts(FrameRequest(parts=PARTS)))
    engine.handle(p.SetSpeed(200.0))
    engine.handle(p.Run())
    turn(engine, clock, 1.0, dt=0.003)
    running = [f for f in frames(engine) if f.running]
    assert len(running) > 5
    for snap in running:
        assert snap.tag == 7
        assert len(snap.cost_x) == snap.iteration and snap.cost_x[-1] == snap.iteration - 1
        assert snap.cost == snap.cost_y[-1]
        # the test accuracy is that of the very probabilities the thumbnails get
        labels = engine.session.Y_test.ravel() > 0.5
        assert snap.test_accuracy == np.mean((snap.test_probs > 0.5) == labels)
    last = frames(engine)[-1]
    assert not last.running and last.exact and last.iteration == 60
    report = run_report(engine.session, 1.0)
    assert (last.train_accuracy, last.test_accuracy) == (report["train_accuracy"],
                                                          report["test_accuracy"])
    assert messages(engine, p.Stopped)[-1].reason == COMPLETED
    state = messages(engine, p.Checkpoint)[-1].state
    assert state.iteration == 60 and len(state.costs) == 60


def test_stop_at_pauses_there_and_leaves_the_target(engine, clock):
    engine.handle(p.StopAt(25))
    engine.handle(p.SetSpeed(None))
    engine.handle(p.Run())
    while engine.running:
        engine.tick()
    assert engine.session.iteration == 25
    assert engine.session.target_iterations == 60
    assert messages(engine, p.Stopped)[-1].reason == paused_at(25)


def test_views_get_only_the_parts_asked_for(engine, clock):
    engine.handle(p.SetParts(FrameRequest(parts={"hists"})))
    snap = frames(engine)[-1]  # a change while paused shows at once
    assert snap.hists is not None and snap.grid_probs is None and snap.contour is None
    engine.handle(p.SetParts(FrameRequest(parts={"plane"})))
    snap = frames(engine)[-1]
    assert snap.hists is None and snap.grid_probs.shape == (120, 120)
    assert len(snap.contour[0]) > 0


def test_answers_carry_their_request_id_and_a_failing_call_answers_an_error(engine):
    engine.handle(p.Fetch(request_id=41))
    engine.handle(p.Call(request_id=42, fn=len_of_costs))
    engine.handle(p.Call(request_id=43, fn=fail))
    answers = messages(engine, p.Answer)
    assert [a.request_id for a in answers] == [41, 42, 43]
    assert answers[0].value.iteration == 0 and answers[1].value == 0
    assert answers[2].error.startswith("ZeroDivisionError")
    assert messages(engine, p.Failed) == []  # the run itself is fine


def len_of_costs(session):
    return len(session.costs)


def fail(session):
    return 1 / 0


def test_a_failing_step_stops_the_run_with_one_line(engine, clock):
    engine.session.net.step = lambda *a, **k: 1 / 0
    engine.handle(p.Run())
    engine.tick()
    assert not engine.running
    (failed,) = messages(engine, p.Failed)
    assert failed.tag == 7 and failed.text.startswith("ZeroDivisionError")


class Inbox:
    """A pipe's reading end: commands waiting, and how often they were looked for; a None
    among them is a look that finds nothing (the next command comes later)."""

    def __init__(self, commands, clock=None, tick=0.0):
        self.commands = list(commands)
        self.looks = 0
        self.clock, self.tick = clock, tick

    def poll(self, timeout):
        self.looks += 1
        if self.clock is not None:
            self.clock.now += self.tick
        if self.commands and self.commands[0] is None:
            self.commands.pop(0)
            return False
        return bool(self.commands)

    def recv(self):
        return self.commands.pop(0)


def test_quit_answers_with_the_final_state(clock):
    sent = []
    commands = [p.UseSession(Session(CONFIG), 3), p.Step(4), None, p.Quit()]
    Engine(sent.append, clock=clock).serve(Inbox(commands))
    final = sent[-1]
    assert isinstance(final, p.Finished) and final.tag == 3
    # the steps asked for are taken (the clock stands still: no time to look for Quit)
    assert final.state.iteration == 4


def test_every_command_waiting_is_carried_out_before_the_next_iteration(clock):
    """A slow iteration (a student's function that sleeps) delays the window's requests by
    one iteration, not by one iteration each."""
    sent = []
    commands = [p.UseSession(Session(CONFIG), 1), p.SetSpeed(None), p.Run(),
                *(p.Fetch(i) for i in range(3)), None, p.Quit()]
    Engine(sent.append, clock=clock).serve(Inbox(commands))
    answers = [m for m in sent if isinstance(m, p.Answer)]
    assert [a.value.iteration for a in answers] == [0, 0, 0]
    assert sent[-1].state.iteration == CONFIG.iterations  # then it trained on


def test_training_flat_out_looks_for_commands_every_few_ms_not_every_iteration(clock):
    """At max speed the pipe is polled every COMMAND_LATENCY of training, not between every
    two iterations (a system call each); a command still gets in within those few ms."""
    sent = []
    engine = Engine(sent.append, clock=clock)
    session = Session(CONFIG.with_changes(iterations=400))
    step = session.step

    def timed_step():  # an iteration takes 0.1 ms on the fake clock
        clock.now += 1e-4
        return step()
    session.step = timed_step
    inbox = Inbox([p.UseSession(session, 1), p.SetSpeed(None), p.Run()])
    poll = inbox.poll

    def poll_then_quit(timeout):
        if engine.session is not None and not engine.running and not inbox.commands:
            inbox.commands.append(p.Quit())
        return poll(timeout)
    inbox.poll = poll_then_quit
    engine.serve(inbox)
    assert sent[-1].state.iteration == 400
    per_look = COMMAND_LATENCY / 1e-4  # iterations between two looks
    assert inbox.looks <= 400 / per_look + 10
