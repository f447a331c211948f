"""What the window and the training process say to each other: typed commands and messages.

The window (ui/window/engine_client.py) sends commands down one pipe; the engine
(engine.py, in the training process) carries them out between iterations and sends messages
back up another. Every message about a run carries the tag the window gave its session, so
the window drops what a replaced session still had on the way. Requests that want an answer
(Fetch, Call) carry an id, and the window drops answers to requests it gave up on.

    window                                   training process
    UseSession(session, tag) ───────────────► owns the Session from now on
    Run / Pause / Step(n) / StopAt(n) ──────► trains, paced by SetSpeed(it/s or None: max)
    SetThreads(n or None: auto) ────────────► BLAS threads of its steps
    SetLive(name, value) ───────────────────► changes the running session (live settings)
    SetParts(request) ──────────────────────► which summaries the visible views need
    WantFrame(draw_seconds) ────────────────► the window drew the last frame: send the next
    RecordEvery(n) / Recorded(i) ───────────► hold at every n-th iteration until recorded
                ◄──────────────────────────── Frame(snapshot), at most FRAME_HZ a second
                ◄──────────────────────────── Stopped(tag, reason) / Failed(tag, text...)
                ◄──────────────────────────── Checkpoint(tag, state): the run so far
    Fetch(id) / Call(id, fn) ───────────────►
                ◄──────────────────────────── Answer(id, value)
    Quit ───────────────────────────────────► Finished(state), then the process ends
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dnnviz.training.snapshot import FrameRequest

# --- commands: window -> training process -------------------------------------------------


@dataclass(frozen=True)
class UseSession:
    """Train this session from now on (a new one, or one loaded from a file)."""

    session: object  # a Session (pickled across)
    tag: int  # the window's number for it; every message about it carries the tag


@dataclass(frozen=True)
class Run:
    """Train until the target (or a StopAt iteration); at the target, the target grows by
    the configured iteration count, so Train after a finished run carries on."""


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Step:
    """Exactly `count` iterations, now, whatever the speed; training is paused after."""

    count: int = 1


@dataclass(frozen=True)
class StopAt:
    """Pause when the run reaches this iteration (None: no such stop). The target shown
    on screen does not change: this is for scripted runs (--exit-after)."""

    iteration: int | None


@dataclass(frozen=True)
class SetSpeed:
    """Iterations per second while running; None: as fast as the machine allows."""

    speed: float | None


@dataclass(frozen=True)
class SetThreads:
    """BLAS threads for the training steps: a count, or None: chosen by measuring
    (training/threads.py)."""

    count: int | None


@dataclass(frozen=True)
class SetLive:
    """Change a live setting of the running session from the next iteration on: the
    learning rate, the iterations to train (the target), L2's lambda or dropout's keep-prob
    (the names of RunConfig's LIVE settings: learning_rate, iterations, l2, keep_prob)."""

    name: str
    value: object


@dataclass(frozen=True)
class SetParts:
    """What the next frames must hold: the summaries the visible views draw."""

    request: FrameRequest


@dataclass(frozen=True)
class WantFrame:
    """The window has drawn the last frame and is ready for the next. draw_seconds: the
    window's CPU seconds a frame while training (smoothed), which the engine's one frame
    pace counts (engine.Engine.frame_interval)."""

    draw_seconds: float = 0.0


@dataclass(frozen=True)
class RecordEvery:
    """Recording (None: not): while running, a frame at every iteration that is a multiple
    of `every` (Snapshot.record), and no training past it until the window says Recorded;
    also a recorded frame at the run's end (completed, stopped or diverged). So the same
    iterations are recorded however loaded the machine: a slow one records them slowly."""

    every: int | None


@dataclass(frozen=True)
class Recorded:
    """The window has taken the recorded frame of this iteration of the session `tag`:
    training may go on."""

    tag: int
    iteration: int


@dataclass(frozen=True)
class Fetch:
    """Answer with the run's state now (a RunState: parameters, history, settings)."""

    request_id: int


@dataclass(frozen=True)
class Call:
    """Answer with fn(session), run between two iterations; fn must be picklable."""

    request_id: int
    fn: Callable


@dataclass(frozen=True)
class Quit:
    pass


# --- messages: training process -> window -------------------------------------------------


@dataclass(frozen=True)
class Frame:
    snapshot: object  # a Snapshot; its .tag says which session it shows


@dataclass(frozen=True)
class Stopped:
    tag: int | None
    reason: object  # a stops.Stop: completed, paused at N, diverged at iteration N...


class OwnCodeError(Exception):
    """A failure of someone's own code that a run calls (a student's functions): its
    message is for them as it stands, one line, and `traceback` is theirs, trimmed to
    their files ("" when there is none, as for a time-out)."""

    traceback: str = ""


@dataclass(frozen=True)
class Failed:
    tag: int | None
    text: str  # an exception in the training process, as one line
    own_code: bool = False  # an OwnCodeError: the user's own code failed, not dnnviz
    traceback: str = ""  # an OwnCodeError's traceback


@dataclass(frozen=True)
class Checkpoint:
    """The run as it is now, so that the window can start a new process from it."""

    tag: int
    state: object  # a RunState


@dataclass(frozen=True)
class Answer:
    request_id: int
    value: object = None
    error: str | None = None  # the request failed: why, in one line


@dataclass(frozen=True)
class Finished:
    """The last message: the run as it was when the process quit (None without a session)."""

    tag: int | None = None
    state: object = None
    extra: dict = field(default_factory=dict)
