"""Liveness, the report's measure of how live the window was: what counts and what not."""

from __future__ import annotations

import pytest

from dnnviz.ui.window.frames import Liveness


def test_latency_counts_late_frames_while_training_and_early_ones_as_on_time():
    live = Liveness()
    assert live.latency_ms(99) == 0.0  # nothing drawn yet: no lateness
    live.late(-4.0, True)  # drawn before it was due: on time, not "negative lateness"
    live.late(10.0, True)
    live.late(500.0, False)  # paused: the window may take its time
    assert live.late_ms == [0.0, 10.0]
    assert live.latency_ms(50) == pytest.approx(5.0)
    assert live.latency_ms(100) == pytest.approx(10.0)


def test_refresh_rates_count_only_stretches_of_training():
    live = Liveness()
    live.frame(0.0, 0.0, True, ["cost", "boundary"])
    live.frame(0.5, 0.01, True, ["cost"])  # the boundary: on screen 0.5 s, not drawn again
    live.frame(1.0, 0.02, True, ["cost"])
    live.frame(9.0, 0.03, False, ["cost"])  # paused for 8 s: not counted
    assert live.refresh_hz() == {"boundary": 0.0,  # shown, never refreshed
                                 "cost": pytest.approx(2 / 1.0)}
    assert live.frame_ms(50) == pytest.approx(10.0)
