"""recording.py without Qt: frames in, a GIF, MP4 or WebM out that decodes to them."""

from __future__ import annotations

import importlib.util
import os
import signal

import numpy as np
import pytest
from decoding import gif_frames, video_frames

from dnnviz import cli, recording
from dnnviz.files import SaveError
from dnnviz.recording import (
    Recording,
    RecordingError,
    check_target,
    default_every,
    parse_size,
)

Image = pytest.importorskip("PIL.Image")
av = pytest.importorskip("av")
resource = pytest.importorskip("resource")  # POSIX: a file size limit, SIGSTOP


def plot_frames(n: int, w: int = 96, h: int = 64) -> list[np.ndarray]:
    """A white plot with a moving curve and a bar: a few colours, a part that changes."""
    frames = []
    for i in range(n):
        f = np.full((h, w, 3), 255, np.uint8)
        f[h // 2, :] = (80, 80, 80)  # an axis that stays
        x = np.arange(w)
        y = (h / 2 + (h / 3) * np.sin(x / 8 + i / 2)).astype(int).clip(0, h - 1)
        f[y, x] = (31, 119, 180)
        f[2:8, 2:2 + 4 * i] = (232, 112, 12)
        frames.append(f)
    return frames


@pytest.mark.parametrize("rgbx", [False, True])
def test_a_gif_holds_every_frame_exactly(tmp_path, rgbx):
    frames = plot_frames(12)
    target = tmp_path / "run.gif"
    rec = Recording(target)
    for f in frames:  # RGB, or RGBX as the window grabs them
        rec.add(np.dstack([f, np.full(f.shape[:2], 255, np.uint8)]) if rgbx else f)
    assert rec.close() == 12
    decoded = gif_frames(target)
    assert len(decoded) == 12
    # few colours a frame, no dithering: every pixel as it was, the unchanged parts too
    for got, want in zip(decoded, frames):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_a_video_holds_every_frame(tmp_path, suffix):
    frames = plot_frames(9)
    target = tmp_path / f"run{suffix}"
    rec = Recording(target)
    for f in frames:
        rec.add(f)
    assert rec.close() == 9
    decoded = video_frames(target)
    assert len(decoded) == 9
    assert decoded[0].shape == (64, 96, 3)
    for got, want in zip(decoded, frames):  # lossy, but close: the curve is where it was
        assert np.abs(got.astype(int) - want).mean() < 12


def test_a_size_is_kept_and_odd_videos_are_made_even(tmp_path):
    frames = plot_frames(3, w=97, h=63)
    for name, size, shape in (("a.gif", (40, 30), (30, 40, 3)), ("b.mp4", None, (62, 96, 3)),
                              ("c.webm", (64, 64), (64, 64, 3))):
        rec = Recording(tmp_path / name, size)
        for f in frames:
            rec.add(f)
        rec.close()
        decoded = gif_frames(tmp_path / name) if name.endswith("gif") \
            else video_frames(tmp_path / name)
        assert len(decoded) == 3 and decoded[0].shape == shape


def test_later_frames_follow_the_first_ones_size(tmp_path):
    rec = Recording(tmp_path / "a.gif")
    rec.add(plot_frames(1)[0])
    rec.add(plot_frames(1, w=150, h=80)[0])  # the window grew while recording
    rec.close()
    assert [f.shape for f in gif_frames(tmp_path / "a.gif")] == [(64, 96, 3)] * 2


def test_taken_waits_while_the_encoder_is_behind(tmp_path):
    rec = Recording(tmp_path / "a.gif")
    os.kill(rec._process.pid, signal.SIGSTOP)  # the encoder falls behind
    try:
        taken = []
        for i, f in enumerate(plot_frames(recording.BACKLOG + 3)):
            rec.add(f, lambda i=i: taken.append(i))
        assert taken == list(range(recording.BACKLOG))  # the rest wait for the encoder
    finally:
        os.kill(rec._process.pid, signal.SIGCONT)
    assert rec.close() == recording.BACKLOG + 3
    assert sorted(taken) == list(range(recording.BACKLOG + 3))  # and none is forgotten


def test_nothing_recorded_writes_nothing_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.gif"
    target.write_bytes(b"old")
    assert Recording(target).close() == 0
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]  # no temporary left


def test_a_failed_encoding_is_one_line_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.gif"
    target.write_bytes(b"old")
    # the encoder's process may write no more than 2 kB (it inherits the limit)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, hard))
    try:
        rec = Recording(target)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    for f in plot_frames(20, w=200, h=120):
        rec.add(f)
    with pytest.raises(SaveError, match=r"^cannot record to .*a\.gif: the file is too large$"):
        rec.close()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]  # no temporary left


def test_names_sizes_and_the_default_pace():
    assert check_target("x/Run.GIF") == ".gif"
    with pytest.raises(RecordingError, match="must end in .gif, .mp4, .webm"):
        check_target("run.avi")
    assert parse_size("640x360") == (640, 360)
    for bad in ("640", "0x10", "640x99999", "axb", "10x10"):
        with pytest.raises(ValueError):
            parse_size(bad)
    assert default_every(3000) == 12  # about 250 frames: 10 s at 25 a second
    assert default_every(300) == 1 and default_every(5) == 1


def test_a_missing_library_is_one_line(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "av" else real(name, *a))
    with pytest.raises(RecordingError, match=r"PyAV is not installed \(pip install "
                       r"'dnnviz\[record\]', or pip install av\)"):
        check_target("run.mp4")
    assert cli.main(["--record", "run.webm"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PyAV is not installed" in err
