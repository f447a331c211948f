"""How many BLAS threads a training loop uses: chosen by timing its own steps.

OpenBLAS's threads spin while they wait for a core. On a machine whose cores are busy with
other programs (a classroom laptop: a browser, a video call, screen sharing), a matrix
product split over two threads waits for the slower one, whom the scheduler may have put
aside for a whole time slice: a step of the cat net took many times as long on two threads
as on one. On an idle machine the second thread makes the cat net's layer-1 products nearly
twice as fast. Neither is right always, and the machine's load changes while a run trains,
so the loop measures (BlasThreads.call): it times its steps on the count it uses, now and
then a few on the other count, and keeps the faster. It tries more threads only while the
machine has had a core idle (Linux's /proc/stat), and ends a probe at its first step when
that step is hopelessly slow: on a busy machine a two-thread step of the cat net took 285
ms against 16 on one. A small network, whose products BLAS does not split, finds nothing to
gain and stays on one thread. The window's training process leaves one core to the window
(spare_cores): on two cores it trains on one thread, which measured twice as fast there as
two (124 against 63 it/s, the window drawing on the other core).

The thread count never changes what a step computes beyond rounding: a product split
another way may differ in its last bits (about 1e-16 relative); the same count gives the
same numbers to the last bit, so `--threads N` makes a run repeat exactly.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import deque

AUTO = None  # BlasThreads(AUTO): the count chosen by measuring
MOST = 64  # --threads takes 1 to this many
RECENT = 9  # steps on the current count that a probe is compared with
PROBE_STEPS = 4  # steps on the other count in a probe (the first, a warm-up, not counted)
FIRST_PROBE = 0.25  # seconds into a run before the first probe
LONGEST_WAIT = 8.0  # seconds between probes at most: a change of load is seen this soon
MARGIN = 0.1  # more threads must make a step this much faster to be taken
MIN_GAIN = 50e-6  # and save this many seconds a step (a tiny network's steps are noise)
HOPELESS = 2.0  # a probe step this many times slower than ours ends the probe at once
FREE_CORE = 0.5  # more threads are tried only while the machine had this much of a core idle


def parse_threads(text: str) -> int | None:
    """'auto' -> None; '1'..'64' -> that count; ValueError (one line) otherwise."""
    word = str(text).strip().lower()
    if word == "auto":
        return AUTO
    try:
        count = int(word)
    except ValueError:
        count = 0
    if not 1 <= count <= MOST:
        raise ValueError(f"must be 'auto' or a whole number of threads from 1 to {MOST}, "
                         f"not {text!r}")
    return count


def threads_text(count: int | None) -> str:
    return "auto" if count is AUTO else str(count)


class _Blas:
    """The BLAS libraries NumPy loaded, through threadpoolctl (none found: a no-op)."""

    def __init__(self):
        try:
            from threadpoolctl import ThreadpoolController
            self.libs = ThreadpoolController().select(user_api="blas").lib_controllers
        except Exception:  # no threadpoolctl, or a BLAS it cannot drive: leave BLAS be
            self.libs = []
        self.available = max([lib.num_threads for lib in self.libs] or [1])

    def set(self, count: int) -> None:
        for lib in self.libs:
            lib.set_num_threads(count)


class IdleCores:
    """The machine's idle cores (0 .. cpu count) between two calls, from Linux's /proc/stat;
    None where that cannot be read (another system): then only timing decides."""

    def __init__(self, path: str = "/proc/stat"):
        self.path = path
        self._last = self._read()

    def _read(self) -> tuple[int, int] | None:
        try:
            with open(self.path) as f:
                fields = [int(v) for v in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields[:8])

    def __call__(self) -> float | None:
        now, last = self._read(), self._last
        self._last = now
        if now is None or last is None or now[1] <= last[1]:
            return None
        return (now[0] - last[0]) / (now[1] - last[1]) * (os.cpu_count() or 1)


class BlasThreads:
    """The BLAS thread count of this process's training steps.

    count: a fixed count (1..MOST; more than the machine has is allowed and honoured), or
    AUTO: 1 or every available thread, whichever makes steps faster, measured as it trains.
    call(fn) runs one step on the count chosen for it and times it.
    """

    def __init__(self, count: int | None = AUTO, *, clock=time.perf_counter, blas=None,
                 spare_cores: int = 0, idle=None):
        """spare_cores: cores AUTO leaves to others (the window's process draws on one);
        idle(): the machine's idle cores since the last call (None: not known), so that
        more threads are not even tried while no core is free."""
        self.clock = clock
        self.blas = _Blas() if blas is None else blas
        cores = os.cpu_count() or 1
        self.most = max(1, min(self.blas.available, cores - spare_cores))
        self.idle = IdleCores() if idle is None else idle
        self._applied: int | None = None
        self._before = self.blas.available  # what restore() sets back
        self.steps_on: dict[int, int] = {}  # steps taken on each count, for the report
        self.set_count(count)

    def set_count(self, count: int | None) -> None:
        """A fixed count, or AUTO (starting on one thread, the safe choice when busy)."""
        self.count = count
        self.current = 1 if count is AUTO else int(count)
        self._recent: deque[float] = deque(maxlen=RECENT)
        self._probe: list[float] | None = None
        self._wait = FIRST_PROBE
        self._next_probe = self.clock() + self._wait
        self._apply(self.current)

    @property
    def choosing(self) -> bool:
        return self.count is AUTO and self.most > 1

    @property
    def other(self) -> int:
        return self.most if self.current == 1 else 1

    def call(self, fn):
        """fn() timed, on the thread count this step is to use."""
        if not self.choosing:
            self._apply(self.current)
            return self._count_step(self.current, fn)[0]
        probing = self._probe is not None or self._probe_due()
        count = self.other if probing else self.current
        self._apply(count)
        result, seconds = self._count_step(count, fn)
        if probing:
            self._probe.append(seconds)
            hopeless = count > self.current and seconds > HOPELESS * statistics.median(
                self._recent)  # a busy machine: the threads wait for cores, stop now
            if hopeless or len(self._probe) >= PROBE_STEPS:
                self._decide()
        else:
            self._recent.append(seconds)
        return result

    def _count_step(self, count: int, fn):
        start = self.clock()
        result = fn()
        self.steps_on[count] = self.steps_on.get(count, 0) + 1
        return result, self.clock() - start

    def _probe_due(self) -> bool:
        if len(self._recent) < RECENT or self.clock() < self._next_probe:
            return False
        free = self.idle()
        if self.other > self.current and free is not None and free < FREE_CORE:
            self._wait = min(self._wait * 2, LONGEST_WAIT)  # no core to spare: not now
            self._next_probe = self.clock() + self._wait
            return False
        self._probe = []
        return True

    def _decide(self) -> None:
        """After a probe: take more threads if they were clearly faster, one thread if it was
        no slower (it leaves the other cores to the window and other programs); probe again
        soon after a change, and less and less often while the choice stands."""
        theirs = statistics.median(self._probe[1:] or self._probe)  # the first woke them
        ours = statistics.median(self._recent)
        self._probe = None
        if self.other == 1:
            better = theirs <= ours
        else:
            better = theirs < ours * (1 - MARGIN) and ours - theirs > MIN_GAIN
        if better:
            self.current = self.other
            self._recent.clear()
            self._wait = FIRST_PROBE * 4
        else:
            self._wait = min(self._wait * 2, LONGEST_WAIT)
        self._next_probe = self.clock() + self._wait

    def _apply(self, count: int) -> None:
        if count != self._applied:
            self.blas.set(count)
            self._applied = count

    def restore(self) -> None:
        """BLAS's thread count as it was before (a library's caller keeps its own)."""
        self.blas.set(self._before)
        self._applied = None

    def summary(self) -> dict:
        """{"setting": "auto" or N, "steps_on": {count: steps}} for a run's report."""
        return {"setting": threads_text(self.count),
                "steps_on": {str(k): v for k, v in sorted(self.steps_on.items())}}
