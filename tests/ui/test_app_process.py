"""The app as a process: signals and --exit-after close it cleanly, bad options fail fast.

Run in a subprocess, because a Qt abort ("QThread: Destroyed while thread is still
running") would kill pytest itself. One test opens a real X11 window under Xvfb.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 120  # seconds for a process to finish; a pass takes one or two
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def app_env(platform: str | None = "offscreen", **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    env.update(extra)
    return env


def dnnviz(*args: str) -> list[str]:
    return [sys.executable, "-m", "dnnviz", *args]


def run(args, env, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, check=False)


def assert_clean_exit(code: int, stderr: str) -> None:
    assert code == 0, stderr
    assert "QThread: Destroyed" not in stderr
    assert "Traceback" not in stderr, stderr  # e.g. an exception in a slot
    # Qt's own warnings, such as "qt.svg: Cannot open file" for an icon it cannot find
    assert not [line for line in stderr.splitlines() if line.startswith("qt.")], stderr


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def png_distinct_bytes(path: Path) -> int:
    """How many different byte values the image's pixel rows hold (1-2: a blank picture)."""
    data, pos, idat = path.read_bytes(), 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_while_training_closes_cleanly(tmp_path, sig):
    report = tmp_path / "report.json"
    proc = subprocess.Popen(
        dnnviz("--dataset", "moons", "--iterations", "10000000", "--speed", "max",
               "--autostart", "--report", str(report)),
        env=app_env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert training(proc), f"never trained: {proc.communicate()[1]}"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    # as `dnnviz train`: 128 + the signal's number, and the report says why it stopped
    assert_clean_exit(proc.returncode - (128 + sig), stderr)
    # The report is written on the way out: the run was really training, then stopped.
    result = json.loads(report.read_text())
    assert result["stopped_reason"] == "interrupted"
    assert 0 < result["iterations"] < 10000000
    assert result["iterations_per_second"] > 0
    assert len(result["costs"]) == result["iterations"]


# run_app joins the worker itself after app.exec(); this script does not, so only the
# window's own closeEvent stands between a close mid-training and a Qt abort.
CLOSE_SCRIPT = """
import gc, sys
from PyQt6.QtWidgets import QApplication
from dnnviz.training import RunConfig
from dnnviz.ui.window.main_window import MainWindow


def main():  # guarded: the training process is started by spawn, which imports this file
    app = QApplication(sys.argv[:1])
    config = RunConfig(dataset="moons", hidden=(6, 4), iterations=1_000_000)
    window = MainWindow(config)
    assert window.apply_config(config)
    window.show()
    quit_action = next(a for a in window.actions() if a.text().replace("&", "") == "Quit")
    seen = []

    def on_snapshot(snap):
        seen.append(snap.iteration)
        if snap.running and snap.iteration > 50 and window.isVisible():
            quit_action.trigger()  # File > Quit, mid-training

    window.sigDrawn.connect(on_snapshot)
    window.train_pause()
    app.exec()
    print("running after close:", window.process.thread.isRunning(), "iteration:", max(seen))
    del window, quit_action
    gc.collect()
    print("done")


if __name__ == "__main__":
    main()
"""


def test_quitting_mid_training_joins_the_worker_thread(tmp_path):
    script = tmp_path / "close_mid_training.py"
    script.write_text(CLOSE_SCRIPT)
    done = run([sys.executable, str(script)], app_env())
    assert_clean_exit(done.returncode, done.stderr)
    assert "running after close: False" in done.stdout
    assert done.stdout.rstrip().endswith("done")


def test_exit_after_writes_the_report_and_the_screenshot(tmp_path):
    report, shot = tmp_path / "report.json", tmp_path / "window.png"
    done = run(dnnviz("--dataset", "moons", "--hidden", "6,4", "--exit-after", "200",
                      "--autostart", "--report", str(report), "--screenshot", str(shot),
                      "--threads", "2", "--save-config", str(tmp_path / "c.json")),
               app_env())
    assert_clean_exit(done.returncode, done.stderr)
    result = json.loads(report.read_text())
    assert result["iterations"] == 200
    assert result["stopped_reason"] == "paused at 200"
    assert result["config"]["iterations"] == 3000  # --exit-after leaves the target alone
    assert len(result["costs"]) == 200 and result["costs"][-1] < result["costs"][0]
    assert result["layer_dims"] == [2, 6, 4, 1]
    assert result["iterations_per_second"] > 0
    assert 0 < result["train_seconds"] == result["run_seconds"]
    assert result["speed"] == 150  # the default for 2-D data
    # --threads reaches the training process: every step on that many BLAS threads
    assert result["threads"] == {"setting": "2", "steps_on": {"2": 200}}
    # How live it was: every view on screen while training, with its refresh rate.
    # the histograms are behind a tab: not on screen, so not counted
    assert set(result["refresh_hz"]) == {"readout", "cost", "boundary"}
    assert all(rate > 0 for rate in result["refresh_hz"].values())
    assert 0 < result["frame_ms_p50"] <= result["frame_ms_p95"]
    latency = result["ui_latency_ms_p99"]  # how it is computed: tests/ui/test_liveness.py
    assert isinstance(latency, (int, float)) and math.isfinite(latency)
    saved = json.loads((tmp_path / "c.json").read_text())  # the window's settings and views
    assert (saved["dataset"], saved["hidden"], saved["iterations"]) == ("moons", [6, 4], 3000)
    assert saved["view"]["gradients"] is False
    assert shot.stat().st_size > 20_000
    width, height = png_size(shot)
    assert width >= 800 and height >= 500
    assert png_distinct_bytes(shot) > 50  # plots, text and colours, not a blank window


@pytest.mark.parametrize("view, extra", [("network", []), ("distributions", []),
                                         ("histograms", ["--presentation"])])
def test_view_opens_the_window_with_that_view_in_front(tmp_path, view, extra):
    report, shot = tmp_path / "report.json", tmp_path / "view.png"
    done = run(dnnviz("--dataset", "circles", "--hidden", "10,10,5", "--init", "small",
                      "--view", view, *extra, "--autostart", "--exit-after", "150",
                      "--speed", "200", "--report", str(report), "--screenshot", str(shot)),
               app_env())
    assert_clean_exit(done.returncode, done.stderr)
    shown = set(json.loads(report.read_text())["refresh_hz"])
    assert view in shown and "boundary" not in shown  # it was in front while training
    assert png_distinct_bytes(shot) > 50


def test_a_view_for_other_data_is_one_line_and_exit_2():
    done = run(dnnviz("--dataset", "moons", "--view", "activations"), app_env())
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("dnnviz:")]
    assert errors == ["dnnviz: error: --view activations: the activations view is for "
                      "pictures, and moons has 2-D points"], done.stderr
    assert "Traceback" not in done.stderr


def picture_folder(folder: Path) -> Path:
    from PIL import Image
    for name, color in (("apples", (200, 30, 30)), ("plums", (40, 30, 160))):
        (folder / name).mkdir(parents=True)
        for i in range(4):
            Image.new("RGB", (24, 16), color).save(folder / name / f"{i}.png")
    return folder


def test_pictures_named_at_start_train_and_a_bad_folder_is_one_line(tmp_path):
    """--image-folder is read before the window, off the GUI thread (a splash meanwhile,
    tests/ui/test_reading_off_thread.py): the window then trains on it; a folder it cannot
    use is one line, exit code 2, and no window."""
    report = tmp_path / "report.json"
    folder = picture_folder(tmp_path / "fruit")
    done = run(dnnviz("--image-folder", str(folder), "--autostart", "--exit-after", "5",
                      "--report", str(report)), app_env())
    assert_clean_exit(done.returncode, done.stderr)
    result = json.loads(report.read_text())
    assert result["iterations"] == 5 and result["first_paint_seconds"] > 0
    assert result["layer_dims"][0] == 64 * 64 * 3  # made the course's 64x64 pictures
    (folder / "plums" / "0.png").write_bytes(b"not a picture")
    done = run(dnnviz("--image-folder", str(folder), "--exit-after", "5"), app_env())
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("dnnviz: error: ") \
        and "0.png" in errors[0], done.stderr


LESSONS = ["two-layer-vs-deep", "initialisation", "learning-rate", "depth-on-the-spiral",
           "build-it-yourself", "more-than-two-classes"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_runs_offscreen_to_a_screenshot(tmp_path, lesson):
    shot, report = tmp_path / f"{lesson}.png", tmp_path / "report.json"
    done = run(dnnviz("--lesson", lesson, "--autostart", "--exit-after", "30",
                      "--screenshot", str(shot), "--report", str(report)),
               app_env(DNNVIZ_DATA_DIR=""))  # no course data named: shapes stands in
    assert_clean_exit(done.returncode, done.stderr)
    result = json.loads(report.read_text())
    assert result["iterations"] == 30 and len(result["costs"]) == 30
    assert png_size(shot)[0] >= 800 and png_distinct_bytes(shot) > 50


def test_a_lesson_can_open_in_presentation_mode_and_dark(tmp_path):
    shot = tmp_path / "dark.png"
    done = run(dnnviz("--lesson", "learning-rate", "--presentation", "--theme", "dark",
                      "--exit-after", "5", "--autostart", "--screenshot", str(shot),
                      "--save-config", str(tmp_path / "c.json")), app_env())
    assert_clean_exit(done.returncode, done.stderr)
    assert png_distinct_bytes(shot) > 50
    # the lesson's run asks for the log scale, and the start-up does not take it back
    assert json.loads((tmp_path / "c.json").read_text())["view"]["log_scale"] is True


@pytest.mark.parametrize("args, words", [
    (["--lesson", "no-such-lesson"], "no lesson 'no-such-lesson'"),
    (["--theme", "pink"], "--theme"),
    (["--hidden", "0"], "hidden layer 1"),
    (["--learning-rate", "-1"], "learning rate"),
    (["--dataset", "nope"], "--dataset"),
    (["--iterations", "many"], "'many' is not a int"),
    (["--view", "nope"], "--view: invalid choice: 'nope'"),
    (["--window-size", "10x10"], "WIDTHxHEIGHT in pixels, each from 320 to 7680"),
    (["--play-all"], "--play-all plays a lesson's runs: give the lesson with --lesson"),
    (["--lesson", "learning-rate", "--play-all", "--exit-after", "5"], "--exit-after"),
    (["--lesson", "learning-rate", "--together"], "--together goes with --play-all"),
    (["--threads", "0"], "'auto' or a whole number of threads from 1 to 64"),
])
def test_a_bad_option_is_one_line_and_exit_2_without_a_window(args, words):
    # xcb without a display aborts the moment a QApplication is made: these must not get there.
    done = run(dnnviz(*args), app_env(platform="xcb"))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("dnnviz: error:") and words in lines[0]
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


sys.path.insert(0, str(REPO / "tests" / "student"))
from student_helpers import CORRECT, broken  # noqa: E402


@pytest.mark.parametrize("file, matches, mismatch", [
    ("correct.py", True, None),
    # the output layer (3 of 2 -> 6 -> 4 -> 1) never moves: it parts at once, there
    ("update_skips_last_layer.py", False, r"iteration 0: [Wb]3 differs by \S+$"),
])
def test_a_student_run_reports_whether_it_followed_dnnvizs(tmp_path, file, matches, mismatch):
    report = tmp_path / "report.json"
    mine = CORRECT if file == "correct.py" else broken(tmp_path, file)
    done = run(dnnviz("--student", str(mine), "--dataset", "moons", "--hidden", "6,4",
                      "--speed", "max", "--exit-after", "60", "--autostart",
                      "--report", str(report)), app_env())
    assert_clean_exit(done.returncode, done.stderr)
    result = json.loads(report.read_text())
    assert result["iterations"] == 60
    student = result["student"]
    assert student["file"] == str(mine) and student["matches_reference"] is matches
    assert (student["mismatch"] is None) is (mismatch is None)
    assert mismatch is None or re.match(mismatch, student["mismatch"])


def test_a_student_run_stopped_by_their_exception_ends_with_1_and_says_why(tmp_path):
    report = tmp_path / "report.json"
    done = run(dnnviz("--student", str(broken(tmp_path, "undefined_z.py")), "--dataset", "moons",
                      "--exit-after", "10", "--autostart", "--report", str(report)), app_env())
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    result = json.loads(report.read_text())
    assert result["stopped_reason"].startswith(
        "failed: your L_model_backward raised NameError: name 'z' is not defined")
    assert result["iterations"] == 0


@pytest.mark.parametrize("args, words", [
    (["--student", "missing.py"], "missing.py: no such file"),
    (["--student", "bad.py"], "bad.py: syntax error in line 1"),
    (["--student", "notes.txt"], "not a Python file or a Jupyter notebook"),
    (["--name", "L_model_forward"], "expected COURSE=THEIRS"),
    (["--name", "forward=mine"], "'forward' is not one of the lesson's functions"),
    (["--time-limit", "0"], "--time-limit must be a number of seconds above 0, not 0"),
    (["--time-limit", "inf"], "--time-limit must be a number of seconds above 0, not inf"),
    (["--student", "good.py", "--load-model", "m.h5"], "--student cannot be used with "
                                                       "--load-model"),
])
def test_a_bad_student_option_is_one_line_and_exit_2_without_a_window(tmp_path, args, words):
    (tmp_path / "bad.py").write_text("def f(:\n    pass\n")
    (tmp_path / "good.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("x = 1\n")
    (tmp_path / "m.h5").write_text("")
    done = run(dnnviz(*args), app_env(platform="xcb"), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dnnviz: error:"), done.stderr
    assert words in lines[0]


@pytest.mark.parametrize("args, words", [
    (["--train-file", "missing.h5", "--test-file", "missing.h5"], "no such file"),
    (["--hidden", "100000,100000"], "GiB of memory"),
])
def test_a_bad_setting_found_at_start_is_one_line_and_exit_2(tmp_path, args, words):
    done = run(dnnviz(*args), app_env(), cwd=tmp_path)  # "missing.h5" relative to it
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("dnnviz:")]
    assert len(errors) == 1 and words in errors[0], done.stderr
    assert "Traceback" not in done.stderr and "QThread: Destroyed" not in done.stderr


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """Xvfb on a display number it picks itself (-displayfd: no clash with a running X)."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [shutil.which("Xvfb"), "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24",
         "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()  # written when the server accepts connections
    if not number:
        proc.kill()
        proc.wait()
        pytest.fail("Xvfb did not start")
    return proc, f":{number}"


@pytest.mark.skipif(shutil.which("Xvfb") is None,
                    reason="Xvfb is not installed (apt-get install xvfb; CI installs it)")
def test_a_real_x11_window_under_xvfb(tmp_path):
    shot = tmp_path / "out.png"
    xvfb, display = start_xvfb()
    try:
        done = run(dnnviz("--dataset", "moons", "--exit-after", "50", "--autostart",
                          "--screenshot", str(shot)),
                   app_env(platform="xcb", DISPLAY=display))
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
            xvfb.wait()
    assert_clean_exit(done.returncode, done.stderr)
    assert shot.is_file() and shot.stat().st_size > 20_000
    assert png_size(shot)[0] >= 800 and png_distinct_bytes(shot) > 50


def children(pid: int) -> list[int]:
    """The child processes of pid (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(c) for c in text]
    return out


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (Linux /proc); 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def training(proc, startup_cpu: float = 2.0) -> bool:
    """Wait until the window's training process has trained (run at --speed max, it has used
    more CPU than starting up takes: about 0.5 s here), however long a loaded machine needs:
    a condition, not a fixed sleep. False if the window ended first."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(cpu_seconds(child) for child in children(proc.pid)) > startup_cpu:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc")
def test_a_scripted_run_whose_training_process_dies_ends_with_1_and_says_why(tmp_path):
    report = tmp_path / "report.json"
    proc = subprocess.Popen(
        dnnviz("--dataset", "moons", "--iterations", "10000000", "--exit-after", "10000000",
               "--speed", "max", "--autostart", "--report", str(report)),
        env=app_env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert training(proc), f"never trained: {proc.communicate()[1]}"
        for child in children(proc.pid):
            os.kill(child, signal.SIGKILL)
        _, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    result = json.loads(report.read_text())
    assert result["stopped_reason"].startswith("failed: the training process ended "
                                               "unexpectedly (killed by signal 9)")


def test_window_size_sets_the_screenshots_size_and_headless_is_not_cramped(tmp_path):
    for args, size in ((["--window-size", "1024x768"], (1024, 768)), ([], (1280, 800))):
        shot = tmp_path / "w.png"
        done = run(dnnviz("--dataset", "moons", "--exit-after", "5", "--autostart",
                          "--screenshot", str(shot), *args), app_env())
        assert_clean_exit(done.returncode, done.stderr)
        assert png_size(shot) == size


def test_play_all_plays_a_lessons_runs_reports_each_and_ends_on_the_comparison(tmp_path):
    report, shot = tmp_path / "r.json", tmp_path / "s.png"
    done = run(dnnviz("--lesson", "learning-rate", "--play-all", "--speed", "max",
                      "--presentation", "--window-size", "1280x720", "--report", str(report),
                      "--screenshot", str(shot)), app_env())
    assert_clean_exit(done.returncode, done.stderr)
    runs = json.loads(report.read_text())["runs"]
    assert [r["name"] for r in runs] == ["too small: α = 0.003", "about right: α = 0.3",
                                         "bouncy: α = 2", "too big: α = 10"]
    assert [r["stopped_reason"] for r in runs[:3]] == ["completed"] * 3
    assert runs[3]["stopped_reason"].startswith("diverged at iteration")
    assert [r["iterations"] for r in runs[:3]] == [2000] * 3
    assert runs[1]["test_accuracy"] >= 0.95 > runs[0]["test_accuracy"]
    assert png_size(shot) == (1280, 720)
