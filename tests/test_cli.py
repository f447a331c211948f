"""`dnnviz train`: the course's runs reproduced through the report, and bad options."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dnnviz.cli import main

REPO = Path(__file__).resolve().parents[1]


def _train(tmp_path, *args):
    report = tmp_path / "report.json"
    code = main(["train", *args, "--report", str(report), "--print-every", "0"])
    return code, json.loads(report.read_text())


@pytest.mark.parametrize("hidden, init, cost0, cost2400, train_acc, test_acc", [
    ("7", "small", 0.6930497356599888, 0.04855478562877019, 1.0, 0.72),
    ("20,7,5", "scaled", 0.7717493284237686, 0.09287821526472398, 0.9856459330143541, 0.80),
])
def test_course_runs_are_reproduced(tmp_path, cat_dir, hidden, init, cost0, cost2400,
                                    train_acc, test_acc):
    code, report = _train(tmp_path, "--data-dir", str(cat_dir), "--dataset", "cat",
                          "--hidden", hidden, "--init", init, "--learning-rate", "0.0075",
                          "--iterations", "2500", "--seed", "1")
    assert code == 0
    assert len(report["costs"]) == report["iterations"] == 2500
    assert report["costs"][0] == pytest.approx(cost0, abs=1e-9)
    assert report["costs"][2400] == pytest.approx(cost2400, abs=1e-9)
    assert report["train_accuracy"] == pytest.approx(train_acc, abs=1e-12)
    assert report["test_accuracy"] == pytest.approx(test_acc, abs=1e-12)
    assert report["layer_dims"] == [12288, *map(int, hidden.split(",")), 1]
    assert report["stopped_reason"] == "completed"


def test_progress_is_printed(tmp_path, capsys):
    code = main(["train", "--dataset", "moons", "--iterations", "30", "--print-every", "10"])
    out = capsys.readouterr().out
    assert code == 0
    assert [line.split()[1] for line in out.splitlines() if line.startswith("iteration")] == \
        ["0", "10", "20", "29"]
    assert "it/s" in out and "completed" in out


def test_float32_runs_and_keeps_close_to_float64(tmp_path):
    _, r64 = _train(tmp_path, "--dataset", "flower", "--iterations", "50")
    _, r32 = _train(tmp_path, "--dataset", "flower", "--iterations", "50", "--dtype", "float32")
    assert r32["costs"] == pytest.approx(r64["costs"], rel=1e-4)


BAD_OPTIONS = [
    (["--threads", "0"], "'auto' or a whole number of threads from 1 to 64"),
    (["--threads", "many"], "'auto' or a whole number of threads from 1 to 64"),
    (["--hidden", ""], "empty"),
    (["--hidden", "0"], "at least 1"),
    (["--hidden", "-3"], "at least 1"),
    (["--hidden", "7,x"], "not a whole number"),
    (["--hidden", "10000000"], "too many"),
    (["--learning-rate", "0"], "positive"),
    (["--learning-rate", "-1"], "positive"),
    (["--learning-rate", "nan"], "positive finite"),
    (["--learning-rate", "inf"], "positive finite"),
    (["--learning-rate", "fast"], "not a float"),
    (["--iterations", "0"], "between"),
    (["--iterations", "-5"], "between"),
    (["--iterations", "10000000000"], "between"),
    (["--seed", "-1"], "between"),
    (["--seed", "99999999999"], "between"),
    (["--init", "glorot"], "invalid choice"),
    (["--dtype", "float16"], "invalid choice"),
    (["--dataset", "mnist"], "invalid choice"),
    (["--noise", "-1"], "noise"),
    (["--samples", "2"], "samples|n_samples"),
    (["--train-file", "a.h5"], "both a train file and a test file"),
    (["--dataset", "cat", "--data-dir", "/nonexistent"], "DNNVIZ_DATA_DIR|data-dir"),
    (["--train-file", "/nonexistent/a.h5", "--test-file", "/nonexistent/b.h5"], "a.h5"),
    (["--bogus"], "unrecognized arguments"),
]


@pytest.mark.parametrize("args, message", BAD_OPTIONS)
def test_bad_option_gets_one_line_and_exit_code_2(capsys, args, message):
    code = main(["train", "--iterations", "3", *args])  # the last --iterations wins
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("dnnviz train: error: ")
    assert re.search(message, err), err


def test_report_into_missing_folder_is_refused(capsys, tmp_path):
    code = main(["train", "--iterations", "2", "--report", str(tmp_path / "no" / "r.json")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err and len(err.strip().splitlines()) == 1


def test_console_entry_points_run_without_traceback(tmp_path):
    for cmd in ([sys.executable, "-m", "dnnviz"], [sys.executable, str(REPO / "main.py")]):
        done = subprocess.run([*cmd, "train", "--iterations", "3", "--hidden", "fast"],
                              capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr and "not a whole number" in done.stderr


def test_a_fixed_thread_count_runs_every_step_and_is_reported(tmp_path):
    code, report = _train(tmp_path, "--dataset", "moons", "--iterations", "30",
                          "--threads", "1")
    assert code == 0
    assert report["threads"] == {"setting": "1", "steps_on": {"1": 30}}
    _, auto = _train(tmp_path, "--dataset", "moons", "--iterations", "30")
    assert auto["threads"]["setting"] == "auto"
    assert sum(auto["threads"]["steps_on"].values()) == 30


def test_the_test_curve_is_evaluated_only_for_a_saved_model_and_then_exactly(
        tmp_path, monkeypatch):
    from dnnviz.training import RunConfig, Session, load_model

    calls = []
    real = Session._quick_eval
    monkeypatch.setattr(Session, "_quick_eval",
                        lambda self, cost: calls.append(self.iteration) or real(self, cost))
    options = ["--dataset", "moons", "--hidden", "5", "--iterations", "300", "--seed", "3"]
    code, report = _train(tmp_path, *options)
    assert code == 0 and report["iterations"] == 300
    assert calls == []  # nothing shows or keeps the test curve: not evaluated
    model = tmp_path / "m.h5"
    assert _train(tmp_path, *options, "--save-model", str(model))[0] == 0
    assert len(calls) == 300 // max(1, 300 // 250)
    unbroken = Session(RunConfig(dataset="moons", hidden=(5,), iterations=300, seed=3))
    unbroken.run()
    assert np.array_equal(load_model(str(model)).eval_array(), unbroken.eval_array())


def test_the_summary_counts_what_this_command_trained(tmp_path, capsys):
    model = tmp_path / "m.h5"
    assert main(["train", "--dataset", "moons", "--iterations", "50", "--print-every", "0",
                 "--save-model", str(model)]) == 0
    capsys.readouterr()
    assert main(["train", "--load-model", str(model), "--iterations", "51",
                 "--print-every", "0"]) == 0
    last = capsys.readouterr().out.splitlines()[-2:]
    assert last[0] == "completed"
    assert last[1].startswith("51 iterations in ") and "(iterations 50 to 101)" in last[1]


def test_the_summary_of_a_diverged_run_says_the_bad_step_was_undone(capsys):
    assert main(["train", "--dataset", "moons", "--learning-rate", "10",
                 "--print-every", "0"]) == 1
    reason, count = capsys.readouterr().out.splitlines()[-2:]
    stopped_at = int(re.match(r"diverged at iteration (\d+)", reason)[1])
    assert count.startswith(f"{stopped_at - 1} iteration")
    assert "(the step that diverged was undone)" in count
