"""Lesson presets: every lesson loads and trains; the cat lesson falls back to shapes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dnnviz.lessons import FALLBACK, find_lesson, list_lessons, load_lesson
from dnnviz.training import ConfigError, Session
from dnnviz.training.stops import COMPLETED

NAMES = [name for name, _ in list_lessons()]


def test_the_lessons_of_the_issues_are_there():
    assert NAMES == ["two-layer-vs-deep", "initialisation", "learning-rate",
                     "depth-on-the-spiral", "tanh-or-relu-on-the-flower", "regularisation",
                     "build-it-yourself", "more-than-two-classes"]
    assert find_lesson("3") == find_lesson("learning-rate") == find_lesson("3-learning-rate")
    assert [load_lesson(name).student for name in NAMES] == [False] * 6 + [True, False]


def test_a_lesson_may_say_it_is_about_the_students_own_implementation(tmp_path):
    run = {"label": "a", "config": {"dataset": "moons"}}
    (tmp_path / "1-mine.json").write_text(json.dumps(
        {"title": "t", "text": "x", "runs": [run], "student": True}))
    assert load_lesson("mine", folder=tmp_path).student
    (tmp_path / "1-mine.json").write_text(json.dumps(
        {"title": "t", "text": "x", "runs": [run], "student": "yes"}))
    with pytest.raises(ConfigError, match="student is true or false"):
        load_lesson("mine", folder=tmp_path)


def test_a_lesson_run_may_set_view_options_and_a_bad_one_is_one_line(tmp_path):
    run = {"label": "a", "config": {"dataset": "moons"}, "view": {"log_scale": True}}
    (tmp_path / "1-mine.json").write_text(json.dumps({"title": "t", "text": "x",
                                                      "runs": [run]}))
    assert load_lesson("mine", folder=tmp_path).runs[0].view == {"log_scale": True}
    run["view"] = {"log_scale": "very"}
    (tmp_path / "1-mine.json").write_text(json.dumps({"title": "t", "text": "x",
                                                      "runs": [run]}))
    with pytest.raises(ConfigError, match="run 1: key 'view.log_scale'"):
        load_lesson("mine", folder=tmp_path)
    assert all(r.view == {"log_scale": True} for r in load_lesson("learning-rate").runs)


@pytest.mark.parametrize("name", NAMES)
def test_every_run_of_every_lesson_builds_a_session(name, tmp_path):
    lesson = load_lesson(name, data_dir=str(tmp_path))  # no course files in tmp_path
    assert lesson.title and lesson.text and len(lesson.runs) >= 2
    for run in lesson.runs:
        assert run.label and Session(run.config).iteration == 0


def test_the_cat_lesson_uses_the_course_files_when_they_are_there(cat_dir):
    lesson = load_lesson("two-layer-vs-deep", data_dir=str(cat_dir))
    assert [r.config.dataset for r in lesson.runs] == ["cat", "cat"] and not lesson.note
    assert [r.config.hidden for r in lesson.runs] == [(7,), (20, 7, 5)]


def test_without_the_course_files_the_cat_lesson_uses_shapes_and_says_so(tmp_path):
    lesson = load_lesson("two-layer-vs-deep", data_dir=str(tmp_path))
    assert {r.config.dataset for r in lesson.runs} == {FALLBACK}
    assert "not here" in lesson.note and FALLBACK in lesson.note


def _run_to_end(config):
    session = Session(config)
    session.run()
    return session


def test_the_learning_rate_lesson_shows_too_small_right_bouncy_and_diverging(tmp_path):
    small, right, bouncy, big = (_run_to_end(r.config) for r in load_lesson("learning-rate").runs)
    assert small.costs[-1] > 5 * right.costs[-1]
    assert big.diverged and "hidden layer 2 died" in str(big.stopped_reason)
    # bouncy: the cost jumps up by a tenth several times early on, then settles lowest
    early, late = np.diff(bouncy.costs[:300]), np.diff(bouncy.costs[-500:])
    assert np.sum(early > 0.05) >= 3 and np.max(early) > 0.05
    assert np.max(np.abs(late)) < 0.005 and bouncy.stopped_reason == COMPLETED
    assert bouncy.costs[-1] < right.costs[-1]
    assert np.sum(np.diff(right.costs[:300]) > 0.05) == 0  # while about right never jumps


def test_the_initialisation_lesson_shows_symmetry_and_vanishing(tmp_path):
    zeros, small, scaled, he = (_run_to_end(r.config) for r in load_lesson("2").runs)
    assert not zeros.net.Ws[0].any()  # symmetric from the start, and stays so
    assert zeros.costs[-1] == pytest.approx(0.6931, abs=1e-3)
    assert small.costs[-1] > 0.6 > 0.1 > max(scaled.costs[-1], he.costs[-1])


def test_depth_wins_on_the_spiral():
    shallow, deep = (_run_to_end(r.config) for r in load_lesson("depth-on-the-spiral").runs)
    assert deep.evaluate().test_accuracy > shallow.evaluate().test_accuracy + 0.2


def test_tanh_draws_the_flower_that_four_relus_cannot():
    lesson = load_lesson("tanh-or-relu-on-the-flower")
    tanh, relu, wide = (_run_to_end(r.config) for r in lesson.runs)
    assert tanh.net.activation == "tanh" and relu.net.activation == "relu"
    assert tanh.evaluate().train_accuracy > 0.9 > 0.8 > relu.evaluate().train_accuracy
    assert wide.evaluate().train_accuracy > relu.evaluate().train_accuracy + 0.1


def test_the_big_net_overfits_and_l2_and_dropout_cure_it():
    plain, l2, dropout = (_run_to_end(r.config) for r in load_lesson("regularisation").runs)
    assert plain.data.m_train == 80 and plain.data.m_test == 240
    first, last = plain.evals[len(plain.evals) // 8], plain.evals[-1]
    assert plain.evaluate().train_accuracy == 1.0 and last.test_cost > 2 * first.test_cost
    for cured in (l2, dropout):
        final = cured.evaluate()
        assert final.test_accuracy > plain.evaluate().test_accuracy + 0.04
        assert final.test_cost < 0.6 * plain.evaluate().test_cost


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable lesson"),
    (json.dumps({"title": "t", "text": "x"}), "exactly the keys"),
    (json.dumps({"title": "t", "text": "x", "runs": [], "teacher": True}), "exactly the keys"),
    (json.dumps({"title": "t", "text": "x", "runs": []}), "non-empty list"),
    (json.dumps({"title": "t", "text": "x", "runs": [{"label": "a"}]}), "run 1"),
    (json.dumps({"title": "t", "text": "x", "runs": [
        {"label": "a", "config": {"learning_rate": -1}}]}), "learning_rate"),
    (json.dumps({"title": "t", "text": "x", "runs": [
        {"label": "a", "config": {"colour": "red"}}]}), "unknown key"),
])
def test_a_bad_lesson_file_is_one_clear_error(tmp_path, content, message):
    (tmp_path / "9-bad.json").write_text(content)
    with pytest.raises(ConfigError) as info:
        load_lesson("bad", folder=tmp_path)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_an_unknown_lesson_names_the_ones_there():
    with pytest.raises(ConfigError, match="learning-rate"):
        load_lesson("no-such-lesson")


def test_the_windows_help_names_every_lesson_whole_on_one_line():
    """A name is copied from the help: argparse must not break build-it-yourself at a hyphen,
    at any terminal width."""
    from dnnviz.cli import build_parser

    for columns in ("60", "80", "200"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("COLUMNS", columns)
            lines = build_parser(train=False).format_help().splitlines()
        for name in NAMES:
            assert any(name in line for line in lines), (columns, name)
