"""Pacing: when the next iteration may run, for a speed in iterations per second.

A token bucket. Credit for iterations accrues at `speed` per second, up to a small burst
(BURST_SECONDS of credit, at least one iteration), and each iteration spends one. At 150
it/s an iteration may run every 6.7 ms on average; a late one (the machine was busy) may be
made up within the burst, but a pause never turns into a rush. speed None: no pacing at all,
as fast as the machine allows. The pace only decides *when* iterations happen, never what
they compute: a run's numbers are the same at every speed.
"""

from __future__ import annotations

import math
import time

SPEEDS = (1, 3, 10, 30, 100, 300, 1000, None)  # the window's steps; None is "max"
BURST_SECONDS = 0.05
# The default speed lets a data set's default run last about WATCH_SECONDS: the 2-D sets
# (3000 iterations) at 150 it/s, the pictures (2500) at 125 it/s.
WATCH_SECONDS = 20.0
MAX_SPEED = 1_000_000.0


def default_speed(default_iterations: int) -> float:
    """The speed at which a run of default_iterations lasts about WATCH_SECONDS."""
    return float(max(1, round(default_iterations / WATCH_SECONDS)))


def check_speed(value) -> float | None:
    """A speed setting: a positive number of iterations per second, or None for "max".

    Raises ValueError with a one-line message for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not 0 < value <= MAX_SPEED:
        raise ValueError(f"speed must be a number of iterations per second from above 0 to "
                         f"{MAX_SPEED:,.0f}, or 'max'; not {value!r}")
    return float(value)


def parse_speed(text: str) -> float | None:
    """'max' -> None, '150' -> 150.0; ValueError for anything else."""
    text = text.strip().lower()
    if text == "max":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"speed must be a number of iterations per second or 'max', "
                         f"not {text!r}") from None
    return check_speed(value)


def speed_text(speed: float | None) -> str:
    """'max', '150 it/s', '0.5 it/s'."""
    return "max" if speed is None else f"{speed:g} it/s"


class Pacer:
    """Iterations at `speed` per second (None: unpaced), read off `clock` (seconds)."""

    def __init__(self, speed: float | None = None, clock=time.perf_counter):
        self._clock = clock
        self._speed = check_speed(speed)
        self._credit = 1.0
        self._mark = clock()

    @property
    def speed(self) -> float | None:
        return self._speed

    def set_speed(self, speed: float | None) -> None:
        """A new speed from now on; the credit earned so far is kept (up to the new burst)."""
        speed = check_speed(speed)
        self._refill()
        self._speed = speed
        self._credit = min(self._credit, self._cap())

    def start(self) -> None:
        """Training starts (or resumes): one iteration may run at once, the rest follow the
        pace. Credit is not saved up while paused."""
        self._credit = 1.0
        self._mark = self._clock()

    def wait(self) -> float:
        """Seconds until the next iteration may run: 0.0 when it may run now."""
        if self._speed is None:
            return 0.0
        self._refill()
        missing = 1.0 - self._credit
        return 0.0 if missing <= 1e-9 else missing / self._speed  # (rounding: a wait of
        # 1e-17 s would never end on a clock that cannot advance by so little)

    def spend(self) -> None:
        """One iteration has run."""
        if self._speed is not None:
            self._refill()
            self._credit -= 1.0

    def _cap(self) -> float:
        return 1.0 if self._speed is None else max(1.0, self._speed * BURST_SECONDS)

    def _refill(self) -> None:
        now = self._clock()
        if self._speed is not None:
            self._credit = min(self._cap(), self._credit + (now - self._mark) * self._speed)
        self._mark = now


CROWDED_HZ = 16.0  # frames a second while a run at a set pace is crowded out (frames keep
# their beat: 16 are drawn, the views stay above 15 Hz)
CROWD_SECONDS = 1.0  # how often crowding is judged
BEHIND = 0.95  # behind its pace: fewer iterations than this share of the speed
NO_IDLE_CORE = 0.25  # idle cores below this: other programs are at work
IDLE_AGAIN = 0.5  # and at least this: they have stopped


class Crowding:
    """Whether a run at a set pace is crowded out by other programs: it fell behind its pace
    over the last second while the machine had no idle core. It stays crowded until a core
    is idle again. Meanwhile the views take fewer frames (CROWDED_HZ) and training the time
    they leave: on a 2-core laptop beside two busy programs the cat net trained at 54 to 70
    it/s with its views at 25 Hz, at 78 to 89 it/s with them at 14 to 16 Hz (the window and
    its training process share one core's worth there). On a quiet machine, or while the
    run keeps its pace, nothing changes.

    idle(): the machine's idle cores since its last call (threads.IdleCores), None where
    that cannot be known (then never crowded)."""

    def __init__(self, idle, clock=time.perf_counter, every: float = CROWD_SECONDS):
        self.idle, self.clock, self.every = idle, clock, every
        self.crowded = False
        self._mark: tuple[float, int] | None = None  # (time, iteration) of the last look

    def restart(self) -> None:
        """Training starts again (or at another speed): judge afresh from now."""
        self._mark = None

    def update(self, iteration: int, speed: float | None) -> bool:
        """Look again if a second has passed (call it while training); crowded or not."""
        now = self.clock()
        if speed is None:
            self.crowded, self._mark = False, None  # at max the frames' share rules
            return False
        if self._mark is None or iteration < self._mark[1]:
            self._mark = (now, iteration)
            self.idle()  # the idle cores from now on
            return self.crowded
        since, before = self._mark
        if now - since < self.every:
            return self.crowded
        self._mark = (now, iteration)
        idle = self.idle()
        if idle is None:
            self.crowded = False
        elif self.crowded:
            self.crowded = idle < IDLE_AGAIN
        else:
            behind = iteration - before < BEHIND * speed * (now - since)
            self.crowded = behind and idle < NO_IDLE_CORE
        return self.crowded
