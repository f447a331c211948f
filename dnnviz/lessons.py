"""Lesson presets: resources/lessons/*.json, each a title, a text to show and runs to compare.

    {"title": "...", "text": "...",
     "runs": [{"label": "2-layer", "config": {<a config file's keys>}}, ...],
     "student": true}

A run may also have "view": {<a config file's view options>}, e.g. {"log_scale": true}:
the window shows it so when the run is chosen.

"student" (optional, false by default): the lesson is about the student's own
implementation, and its panel offers to check their file and to train with it.

A lesson is named by its file name without the number in front ("3-learning-rate.json"
is "learning-rate"; "3" works too). A run on the course's cat files uses the built-in
`shapes` pictures (the same 64×64×3 size) when the files are not there, and says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from dnnviz.data import course_files, default_data_dir
from dnnviz.files import read_text
from dnnviz.resource_files import RESOURCES
from dnnviz.training.config import ConfigError, RunConfig, config_with_defaults
from dnnviz.training.config_file import MAX_FILE_BYTES, check_view, values_from_dict

LESSONS_DIR = RESOURCES / "lessons"
FALLBACK = "shapes"
LESSON_KEYS = ("title", "text", "runs")
OPTIONAL_KEYS = ("student",)
MAX_TEXT_CHARS = 30_000  # a lesson's text is read on screen: a few pages at most


@dataclass(frozen=True)
class LessonRun:
    label: str
    config: RunConfig
    view: dict | None = None  # view options to show it with (config_file.check_view's)


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    text: str
    runs: tuple[LessonRun, ...]
    note: str = ""  # e.g. that the course files are missing and shapes stands in
    student: bool = False  # about the student's own implementation (check it, train with it)


def lesson_name(path: Path) -> str:
    return re.sub(r"^\d+-", "", path.stem)


def lesson_files(folder: Path = LESSONS_DIR) -> list[Path]:
    return sorted(folder.glob("*.json"))


def list_lessons(folder: Path = LESSONS_DIR) -> list[tuple[str, str]]:
    """(name, title) of every lesson, in file order; unreadable files are left out."""
    out = []
    for path in lesson_files(folder):
        try:
            out.append((lesson_name(path), _read(path)["title"]))
        except ConfigError:
            continue
    return out


def find_lesson(name: str, folder: Path = LESSONS_DIR) -> Path:
    for path in lesson_files(folder):
        if name in (lesson_name(path), path.stem, path.stem.split("-")[0], str(path)):
            return path
    names = ", ".join(lesson_name(p) for p in lesson_files(folder))
    raise ConfigError(f"no lesson {name!r}; the lessons are: {names}")


def load_lesson(name: str, data_dir: str | None = None, folder: Path = LESSONS_DIR) -> Lesson:
    """The lesson called name, its runs' configs checked; ConfigError of one line if bad."""
    path = find_lesson(name, folder)
    d = _read(path)
    cat_dir = data_dir or default_data_dir()
    has_cat = cat_dir is not None and bool(course_files(cat_dir))
    runs, swapped = [], False
    for i, run in enumerate(d["runs"], start=1):
        where = f"{path.name}: run {i}"
        if not isinstance(run, dict) or not {"label", "config"} <= set(run) \
                or not set(run) <= {"label", "config", "view"} \
                or not isinstance(run["label"], str):
            raise ConfigError(f"{where}: expected {{\"label\": text, \"config\": {{...}}}} "
                              "and perhaps \"view\": {...}")
        view = {k: v for k, v in check_view(run.get("view", {}), where).items()
                if k in run.get("view", {})} or None
        values, _ = values_from_dict(run["config"], where)
        if values.get("dataset") == "cat":
            if has_cat:
                values["data_dir"] = str(cat_dir)
            else:
                values["dataset"], swapped = FALLBACK, True
        try:
            runs.append(LessonRun(run["label"], config_with_defaults(values), view))
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    note = ("The course's cat files are not here (see --data-dir or DNNVIZ_DATA_DIR): "
            f"this lesson uses the built-in '{FALLBACK}' pictures instead.") if swapped else ""
    return Lesson(lesson_name(path), d["title"], d["text"], tuple(runs), note,
                  d.get("student", False))


def _read(path: Path) -> dict:
    text = read_text(path, MAX_FILE_BYTES, "a lesson", ConfigError)
    try:
        d = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, or a 5000-digit number
        raise ConfigError(f"{path.name}: not a readable lesson ({exc})") from None
    if not isinstance(d, dict) or not set(LESSON_KEYS) <= set(d) \
            or not set(d) <= {*LESSON_KEYS, *OPTIONAL_KEYS}:
        raise ConfigError(f"{path.name}: a lesson has exactly the keys {', '.join(LESSON_KEYS)}"
                          f" (and may have {', '.join(OPTIONAL_KEYS)})")
    if not isinstance(d.get("student", False), bool):
        raise ConfigError(f"{path.name}: student is true or false")
    if not all(isinstance(d[k], str) for k in ("title", "text")) \
            or not isinstance(d["runs"], list) or not d["runs"]:
        raise ConfigError(f"{path.name}: title and text are text, runs a non-empty list")
    if len(d["text"]) > MAX_TEXT_CHARS:
        raise ConfigError(f"{path.name}: the text has {len(d['text']):,} characters; a "
                          f"lesson's text may have at most {MAX_TEXT_CHARS:,}")
    return d
