"""Engine: the training loop, run in a process of its own. Pure Python + NumPy (no Qt).

Why a process and not a thread: the views are drawn by Python code (pyqtgraph), and a
training thread in the same interpreter waits for the GIL after every BLAS call while the
GUI draws. Measured on the cat net, that cut training to a quarter of its headless speed
and made the GUI stall for 100 ms. In its own process the loop trains at full speed, a
crash in it cannot take the window down, and the window stays responsive.

The engine owns the Session and speaks the protocol of protocol.py. One turn of its loop:
carry out a command if one came, else run one iteration if the pacer allows it, then send a
frame if the window wants one, something changed, and frame_interval() has passed since the
last. That interval is the one pace of the views: the window draws each frame as it comes
and asks for the next only when it has drawn the last, so the engine never makes a frame
nobody will draw, and never waits on a pipe that a busy window is slow to read.
While waiting for the pacer, the engine sleeps in the pipe's poll: a command wakes it.

The training process runs at the same priority as the window and shares the machine fairly:
the window stays smooth because it asks for little (one frame in flight, frames only for
the views in sight), not because training is starved. A lower priority looked kind on an
idle machine and starved the run on a busy one (a tenth of a core against a browser). Its
BLAS threads are chosen by timing its steps (threads.py): one on a busy machine, where a
second thread only waits for a core, more where they pay.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from dataclasses import replace

from dnnviz.training import protocol as p
from dnnviz.training.history import PeakHistory
from dnnviz.training.pacing import CROWDED_HZ, Crowding, Pacer
from dnnviz.training.snapshot import FrameRequest
from dnnviz.training.stops import COMPLETED, Stop, Why, paused_at
from dnnviz.training.summaries import make_snapshot
from dnnviz.training.threads import AUTO, BlasThreads, IdleCores

FRAME_HZ = 30
FRAME_SHARE = 0.15  # training at max: frames take at most this share of the time
SMALL_MACHINE = (os.cpu_count() or 2) <= 2  # the window's drawing takes its core from training
CHECKPOINT_SECONDS = 3.0  # while running, the window gets the run's state this often
IDLE_POLL = 0.1
COMMAND_LATENCY = 0.002  # seconds a command may wait while training flat out
CHANGES = (p.UseSession, p.SetParts, p.SetLive)  # show at once
RATE_WINDOW = 0.5  # seconds over which iterations per second are measured


class Engine:
    def __init__(self, send, clock=time.perf_counter, threads: BlasThreads | None = None,
                 crowding: Crowding | None = None):
        self.send = send
        self.clock = clock
        # the window's process draws on a core of its own: auto leaves it one
        self.threads = BlasThreads(AUTO, spare_cores=1) if threads is None else threads
        self.session = None
        self.tag: int | None = None
        self.request = FrameRequest()
        self.running = False
        self.pending_steps = 0
        self.stop_at: int | None = None
        self.pacer = Pacer(clock=clock)
        # crowding: judged from the machine's idle cores in the training process (main());
        # None: never crowded (a test's engine, on a fake clock)
        self.crowding = Crowding(lambda: None, clock) if crowding is None else crowding
        self.history = PeakHistory()
        self.reference_history = PeakHistory()  # a student's run: dnnviz's costs beside it
        self.wanted = False  # the window has drawn the last frame and wants the next
        self.dirty = True  # something changed since the last frame
        self._next_frame = float("-inf")  # when the next frame is due
        self._frame_cost = 0.0  # seconds to make a frame, smoothed
        self._draw_cost = 0.0  # the window's seconds to draw one (WantFrame.draw_seconds)
        self._last_checkpoint = clock()
        self._rate = 0.0
        self._rate_mark = (clock(), 0)
        self.record_every: int | None = None  # recording (RecordEvery): hold at multiples
        self.recorded: int | None = None  # the last recorded iteration the window has taken
        self._record_sent: int | None = None  # the last iteration sent as a recorded frame

    @property
    def busy(self) -> bool:
        return self.session is not None and (self.running or self.pending_steps > 0)

    # --- the loop -------------------------------------------------------------------------
    def serve(self, inbox) -> None:
        """Run until Quit, or until the other end goes away."""
        last_look = self.clock()
        while True:
            timeout = self.timeout()
            if timeout == 0.0 and self.clock() - last_look < COMMAND_LATENCY:
                self.tick()  # training flat out: look for commands every few ms, not every
                continue     # iteration (a syscall each, 8% of a small network's time)
            last_look = self.clock()
            if inbox.poll(timeout):
                try:
                    command = inbox.recv()
                except (EOFError, OSError):
                    return
                if isinstance(command, p.Quit):
                    state = self.session.state() if self.session is not None else None
                    self.send(p.Finished(self.tag, state,
                                         extra={"threads": self.threads.summary()}))
                    return
                self.handle(command)
                last_look = float("-inf")  # every command waiting, before the next iteration
            else:
                self.tick()

    def timeout(self) -> float:
        """How long the loop may wait for a command before it has something to do."""
        waits = [IDLE_POLL]
        if self.held():  # no training until the window wants the recorded frame, took it
            if self.wanted and self._record_sent != self.session.iteration:
                return 0.0
        elif self.pending_steps:
            waits.append(0.0)
        elif self.running:
            waits.append(self.pacer.wait())
        if self.wanted and self.dirty:
            waits.append(max(0.0, self._next_frame - self.clock()))
        return min(waits)

    def frame_interval(self) -> float:
        """Seconds between frames, the one pace of the views: 1/FRAME_HZ; while training
        unpaced ("max"), longer if a frame costs more than FRAME_SHARE of that: making it
        (a big network's summaries) and, on a small machine, where the window's drawing
        takes its time from training, drawing it. At a set speed the frames come first: the
        class watches, training may lag; unless other programs crowd the run out (behind
        its pace, no core idle: pacing.Crowding), then CROWDED_HZ, and training the time
        the views leave."""
        if self.pacer.speed is not None:
            return 1.0 / (CROWDED_HZ if self.crowding.crowded else FRAME_HZ)
        if not self.busy:
            return 1.0 / FRAME_HZ
        cost = self._frame_cost + (self._draw_cost if SMALL_MACHINE else 0.0)
        return max(1.0 / FRAME_HZ, cost / FRAME_SHARE)

    def tick(self) -> None:
        """One turn with no command: an iteration if one is due, a frame if one is due."""
        if self.held():
            if self.wanted and self._record_sent != self.session.iteration:
                self.emit_frame(record=True)
        elif self.pending_steps:
            self.train_one()
        elif self.running and self.pacer.wait() == 0.0:
            self.crowding.update(self.session.iteration, self.pacer.speed)
            self.pacer.spend()
            self.train_one()
        if self.wanted and self.dirty and self._frame_due():
            self.emit_frame()
        if self.running and self.clock() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self.checkpoint()

    def held(self) -> bool:
        """Recording, running, and at an iteration to record that the window has not taken
        yet: no training until it has (protocol.RecordEvery)."""
        s, every = self.session, self.record_every
        return (every is not None and self.running and s is not None
                and s.iteration % every == 0 and self.recorded != s.iteration)

    def _frame_due(self) -> bool:
        return self.clock() >= self._next_frame

    # --- commands -------------------------------------------------------------------------
    def handle(self, command) -> None:
        if isinstance(command, p.WantFrame):
            self.wanted, self._draw_cost = True, command.draw_seconds
            return
        try:
            self._apply(command)
        except Exception as exc:
            if isinstance(command, (p.Fetch, p.Call)):
                self.send(p.Answer(command.request_id, error=_one_line(exc)))
            else:
                self.fail(exc)
            return
        if isinstance(command, CHANGES):
            self.dirty = True
            if not self.busy:
                self.emit_frame()  # a change while paused shows at once

    def _apply(self, command) -> None:
        s = self.session
        if isinstance(command, p.UseSession):
            self.session, self.tag = command.session, command.tag
            self.running, self.pending_steps = False, 0
            self.history, self.reference_history = PeakHistory(), PeakHistory()
            self._rate = 0.0
            self.recorded = self._record_sent = None
        elif isinstance(command, p.RecordEvery):
            self.record_every, self.recorded, self._record_sent = command.every, None, None
        elif isinstance(command, p.Recorded):
            if command.tag == self.tag:
                self.recorded = command.iteration
        elif isinstance(command, p.SetParts):
            self.request = command.request
        elif isinstance(command, p.SetSpeed):
            self.pacer.set_speed(command.speed)
        elif isinstance(command, p.SetThreads):
            self.threads.set_count(command.count)
        elif isinstance(command, p.StopAt):
            self.stop_at = command.iteration
        elif isinstance(command, p.Fetch):
            self.send(p.Answer(command.request_id, s.state() if s is not None else None))
        elif isinstance(command, p.Call):
            self.send(p.Answer(command.request_id, command.fn(s)))
        elif s is None:
            return
        elif isinstance(command, p.Run):
            self._start(s)
        elif isinstance(command, p.Pause):
            if self.busy:
                self._stop(paused_at(s.iteration), announce=False)
        elif isinstance(command, p.Step):
            self.running = False
            self.pending_steps += int(command.count)
        elif isinstance(command, p.SetLive):
            s.set_live(command.name, command.value)
        else:
            raise TypeError(f"unknown command {type(command).__name__}")

    def _start(self, s) -> None:
        if s.iteration >= s.target_iterations and not s.diverged:
            s.target_iterations = s.iteration + s.config.iterations
        if s.diverged:  # nothing to run: say so, or the window keeps showing "Pause"
            self.send(p.Stopped(self.tag, s.stopped_reason))
            return
        if self.stop_at is not None and s.iteration >= self.stop_at:
            self.send(p.Stopped(self.tag, paused_at(s.iteration)))
            return
        s.stopped_reason = None  # running again: whatever stopped it last is over
        self.running = True
        self.pacer.start()
        self.crowding.restart()
        self._rate_mark = (self.clock(), s.iteration)

    # --- training -------------------------------------------------------------------------
    def train_one(self) -> None:
        s = self.session
        try:
            cost = self.threads.call(s.step)
        except Exception as exc:
            self.fail(exc)
            return
        self.dirty = True
        stepping = self.pending_steps > 0
        if stepping:
            self.pending_steps -= 1
        if cost is None:
            self._stop(s.stopped_reason or Stop(Why.STOPPED))
        elif self.running and s.iteration >= s.target_iterations:
            s.stopped_reason = COMPLETED
            self._stop(COMPLETED)
        elif self.running and self.stop_at is not None and s.iteration >= self.stop_at:
            s.stopped_reason = paused_at(s.iteration)
            self._stop(s.stopped_reason)
        elif stepping and not self.pending_steps:
            self.emit_frame()  # the last of the steps asked for: show it at once

    def _stop(self, reason: Stop, announce: bool = True) -> None:
        """Training stops: the final frame is exact (evaluated at the final weights), the
        window gets the run's state, then the reason (unless it asked for the pause)."""
        self.running, self.pending_steps = False, 0
        self.dirty = True
        self.emit_frame(record=announce and self.record_every is not None
                        and self._record_sent != self.session.iteration)  # the run's end
        self.checkpoint()
        if announce:
            self.send(p.Stopped(self.tag, reason))

    def fail(self, exc: Exception) -> None:
        """Stop, and say why: dnnviz's own error as its type, message and place; the
        user's own code's (a student's) as its message, with their traceback."""
        self.running, self.pending_steps = False, 0
        if isinstance(exc, p.OwnCodeError):
            self.send(p.Failed(self.tag, str(exc), own_code=True, traceback=exc.traceback))
        else:
            self.send(p.Failed(self.tag, _one_line(exc)))

    # --- frames and checkpoints -----------------------------------------------------------
    def rate(self) -> float:
        """Iterations per second over the last RATE_WINDOW seconds of running."""
        now = self.clock()
        mark_time, mark_iter = self._rate_mark
        if self.running and now - mark_time >= RATE_WINDOW:
            self._rate = (self.session.iteration - mark_iter) / (now - mark_time)
            self._rate_mark = (now, self.session.iteration)
        return self._rate

    def emit_frame(self, record: bool = False) -> None:
        s = self.session
        if s is None:
            return
        start = self.clock()
        try:
            snap = make_snapshot(s, self.request, tag=self.tag, rate=self.rate(),
                                 running=self.running, history=self.history,
                                 reference_history=self.reference_history)
        except Exception as exc:
            self.fail(exc)
            return
        if record:
            snap = replace(snap, record=True)
            self._record_sent = s.iteration
        now = self.clock()
        self._frame_cost = 0.7 * self._frame_cost + 0.3 * (now - start)
        # at a set speed frames keep to their beat: one that came late (the loop was in a
        # step when it fell due) does not push back the next, or the views get fewer frames
        # than frame_interval() says (25 a second for 30 on the cat net); but never two
        # within half an interval. At max the interval is the frames' share of the time:
        # counted from this one, as it was spent.
        interval = self.frame_interval()
        self._next_frame = now + interval if self.pacer.speed is None else max(
            self._next_frame + interval, now + interval / 2)
        self.wanted = self.dirty = False
        self.send(p.Frame(snap))

    def checkpoint(self) -> None:
        if self.session is not None:
            self._last_checkpoint = self.clock()
            self.send(p.Checkpoint(self.tag, self.session.state()))


def _one_line(exc: Exception) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:]
    where = f" (in {last[0].name})" if last else ""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}{where}"


def serve(commands, results) -> None:
    """The child process's entry point. Ctrl+C is the window's to handle, not ours."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        Engine(results.send, crowding=Crowding(IdleCores())).serve(commands)
    except (BrokenPipeError, EOFError, OSError):
        pass  # the window has gone: nothing left to tell
