"""Recording a run: --record writes a GIF, MP4 or WebM of exactly the iterations asked for,
of the window or of one view; File > Record and presentation mode's toggle do the same.

The command-line runs are subprocesses (offscreen), as in test_app_process.py; their
recordings are decoded with Pillow and PyAV and checked frame by frame.
"""

from __future__ import annotations

import numpy as np
import pytest
from decoding import gif_frames, video_frames
from PyQt6.QtWidgets import QFileDialog
from test_app_process import app_env, assert_clean_exit, dnnviz, run
from window_helpers import click, drawn

Image = pytest.importorskip("PIL.Image")
av = pytest.importorskip("av")


def test_a_gif_of_the_window_has_a_frame_every_n_iterations(tmp_path):
    gif, png = tmp_path / "run.gif", tmp_path / "end.png"
    result = run(dnnviz("--autostart", "--exit-after", "300", "--record", str(gif),
                        "--record-every", "10", "--screenshot", str(png)), app_env())
    assert_clean_exit(result.returncode, result.stderr)
    frames = gif_frames(gif)
    assert len(frames) == 31  # iterations 0, 10, ..., 300
    with Image.open(png) as end:
        window_size = end.size
    assert frames[0].shape == (window_size[1], window_size[0], 3)  # the whole window
    for before, after in zip(frames, frames[1:]):
        assert not np.array_equal(before, after)  # the network learns in every frame


def test_an_mp4_of_one_view_is_smaller_than_the_window(tmp_path):
    video, png = tmp_path / "boundary.mp4", tmp_path / "end.png"
    result = run(dnnviz("--autostart", "--exit-after", "60", "--record", str(video),
                        "--record-every", "20", "--record-view", "boundary",
                        "--screenshot", str(png)), app_env())
    assert_clean_exit(result.returncode, result.stderr)
    frames = video_frames(video)
    assert len(frames) == 4  # 0, 20, 40, 60
    with Image.open(png) as end:
        w, h = end.size
    fh, fw = frames[0].shape[:2]
    assert fw < w and fh <= h and fw * fh < w * h / 2


def test_a_webm_of_a_chosen_size_and_the_default_pace(tmp_path):
    video = tmp_path / "run.webm"
    result = run(dnnviz("--autostart", "--exit-after", "30", "--record", str(video),
                        "--record-size", "320x180"), app_env())
    assert_clean_exit(result.returncode, result.stderr)
    frames = video_frames(video)  # a run of 30 iterations: every one of them, 0, 1, ..., 30
    assert len(frames) == 31 and frames[0].shape == (180, 320, 3)


def test_a_view_for_other_data_is_one_line(tmp_path):
    result = run(dnnviz("--dataset", "shapes", "--record", str(tmp_path / "a.gif"),
                        "--record-view", "boundary"), app_env())
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--record-view boundary: the boundary view is for 2-D points" in result.stderr
    assert not (tmp_path / "a.gif").exists()


def test_file_record_and_the_presentation_toggle(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window()
    target = tmp_path / "lesson"  # no suffix: the chosen filter's is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "Animated GIF (*.gif)"))
    window.set_presentation(True)
    button = window.presentation.record_button
    click(qtbot, button)
    assert window.recorder.on and window.record_action.isChecked()
    assert button.text() == "● Recording" and window.recorder.mark.isVisible()
    window.step()  # paused, a step at a time: nothing is recorded
    drawn(qtbot, window, lambda s: s.iteration == 1)
    click(qtbot, button)  # off
    assert not window.recorder.on and not window.record_action.isChecked()
    assert button.text() == "Record" and not window.recorder.mark.isVisible()
    assert "nothing was recorded" in window.controls.message.text()
    assert not list(tmp_path.iterdir())
    window.set_presentation(False)

    recorded = []
    window.sigDrawn.connect(lambda snap: snap.record and recorded.append(snap.iteration))
    assert window.recorder.start(tmp_path / "run.gif", every=5, view="cost")
    window.set_stop_at(20)
    window.train_pause()
    qtbot.waitUntil(lambda: not window.running and window.last_drawn.iteration == 20,
                    timeout=30_000)
    qtbot.waitUntil(lambda: recorded[-1:] == [20], timeout=10_000)
    window.record_action.trigger()  # File > Record again: off, and the file is written
    assert recorded == [5, 10, 15, 20]  # from iteration 1: every 5th, the last one the end
    frames = gif_frames(tmp_path / "run.gif")
    view = window.cost_plot
    assert [f.shape for f in frames] == [(view.height(), view.width(), 3)] * 4
