"""Pacer: iterations at a set speed, read off a fake clock (no sleeping, no timing)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnnviz.training.pacing import (
    BURST_SECONDS,
    Pacer,
    check_speed,
    default_speed,
    parse_speed,
    speed_text,
)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def run_for(pacer: Pacer, clock: FakeClock, seconds: float) -> int:
    """Run iterations whenever the pacer allows, advancing the clock by its waits."""
    end, done = clock.now + seconds, 0
    while True:
        wait = pacer.wait()
        if wait > 0:
            if clock.now + wait > end:
                clock.now = end
                return done
            clock.now += wait
            continue
        pacer.spend()
        done += 1
        clock.now += 1e-5  # an iteration takes a little time


@pytest.mark.parametrize("speed", [1.0, 10.0, 150.0, 1000.0])
def test_iterations_follow_the_speed(speed):
    clock = FakeClock()
    pacer = Pacer(speed, clock=clock)
    pacer.start()
    done = run_for(pacer, clock, 10.0)
    assert abs(done - 10 * speed) <= 1 + speed * BURST_SECONDS


def test_a_speed_change_while_running_takes_effect_at_once():
    clock = FakeClock()
    pacer = Pacer(10.0, clock=clock)
    pacer.start()
    slow = run_for(pacer, clock, 2.0)
    pacer.set_speed(300.0)
    fast = run_for(pacer, clock, 2.0)
    pacer.set_speed(3.0)
    slower = run_for(pacer, clock, 2.0)
    assert abs(slow - 20) <= 2
    assert abs(fast - 600) <= 2 + 300 * BURST_SECONDS
    assert abs(slower - 6) <= 2


def test_max_speed_never_waits():
    clock = FakeClock()
    pacer = Pacer(None, clock=clock)
    pacer.start()
    for _ in range(1000):
        assert pacer.wait() == 0.0
        pacer.spend()


def test_a_pause_is_not_saved_up_as_a_rush():
    clock = FakeClock()
    pacer = Pacer(10.0, clock=clock)
    pacer.start()
    run_for(pacer, clock, 1.0)
    clock.now += 60.0  # paused for a minute
    pacer.start()
    assert run_for(pacer, clock, 0.5) <= 1 + 5 + 1  # one at once, then the pace


@given(st.lists(st.sampled_from([1.0, 3.0, 30.0, 100.0, None]), min_size=1, max_size=6))
def test_no_burst_exceeds_the_cap_whatever_the_speed_changes(speeds):
    clock = FakeClock()
    pacer = Pacer(speeds[0], clock=clock)
    pacer.start()
    for speed in speeds:
        pacer.set_speed(speed)
        clock.now += 5.0  # a long gap: credit must not pile up past the burst
        at_once = 0
        while pacer.wait() == 0.0 and at_once < 10_000:
            pacer.spend()
            at_once += 1
        if speed is not None:
            assert at_once <= max(1, math.ceil(speed * BURST_SECONDS)) + 1


def test_speeds_are_checked_and_parsed():
    assert parse_speed("max") is None and parse_speed(" 150 ") == 150.0
    assert check_speed(2) == 2.0 and check_speed(None) is None
    for bad in (0, -1, float("nan"), float("inf"), True, "10"):
        with pytest.raises(ValueError, match="speed"):
            check_speed(bad)
    with pytest.raises(ValueError, match="'fast'"):
        parse_speed("fast")
    assert speed_text(None) == "max" and speed_text(150.0) == "150 it/s"


def test_the_default_speed_makes_a_default_run_last_about_twenty_seconds():
    assert default_speed(3000) == 150.0  # the 2-D sets
    assert default_speed(2500) == 125.0  # pictures
    assert default_speed(5) == 1.0


# --- Crowding: a run at a set pace crowded out by other programs --------------------------

class Cores:
    """A fake threads.IdleCores: the idle cores it reports, one value a look."""

    def __init__(self, *values):
        self.values = list(values)

    def __call__(self):
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def looks(crowding, clock, speed, rates):
    """One look a second at iterations run at each rate (it/s); crowded after each."""
    out, iteration = [], 0
    crowding.update(iteration, speed)  # the first look only marks where it starts
    for rate in rates:
        clock.now += 1.0
        iteration += rate
        out.append(crowding.update(iteration, speed))
    return out


def test_behind_its_pace_with_no_idle_core_is_crowded_until_a_core_is_idle_again():
    from dnnviz.training.pacing import Crowding
    clock = FakeClock()
    cores = Cores(0.0, 0.05, 0.0, 0.0, 0.1, 0.9)
    crowding = Crowding(cores, clock)
    # behind (60 of 125 it/s) on a full machine: crowded; keeping its pace then (the time
    # the views left) it stays so while the machine is full; an idle core again: not
    assert looks(crowding, clock, 125, [60, 60, 124, 125, 125]) == [True, True, True, True,
                                                                    False]


def test_keeping_its_pace_or_a_core_idle_or_at_max_is_never_crowded():
    from dnnviz.training.pacing import Crowding
    clock = FakeClock()
    full = Crowding(Cores(0.0), clock)
    assert looks(full, clock, 150, [150, 149, 150]) == [False] * 3  # keeps its pace
    idle = Crowding(Cores(0.6), clock)
    assert looks(idle, clock, 125, [100, 100]) == [False] * 2  # a quiet machine's core
    unknown = Crowding(Cores(None), clock)
    assert looks(unknown, clock, 125, [10, 10]) == [False] * 2  # cannot tell: never
    at_max = Crowding(Cores(0.0), clock)
    assert looks(at_max, clock, None, [10, 10]) == [False] * 2  # max: the frames' share


def test_a_look_is_taken_once_a_second_and_a_restart_judges_afresh():
    from dnnviz.training.pacing import Crowding
    clock, cores = FakeClock(), Cores(0.0)
    crowding = Crowding(cores, clock)
    crowding.update(0, 125)
    clock.now += 0.5
    assert not crowding.update(10, 125)  # half a second: no look yet
    clock.now += 0.5
    assert crowding.update(20, 125)  # a second, 20 iterations of 125: crowded
    crowding.restart()  # paused and started again
    clock.now += 30.0
    assert crowding.update(20, 125) and crowding.crowded  # no look across the pause
