"""What an install carries: every package, and the lessons, icon and desktop entry, found
through dnnviz.resources whether installed editable, from a wheel or not at all.

(CI also builds the wheel, installs it in a fresh virtualenv and runs every lesson from
outside the source tree: .ci/wheel-check.)
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from pathlib import Path

import pytest

from dnnviz.lessons import LESSONS_DIR, list_lessons
from dnnviz.resource_files import DESKTOP_ENTRY, ICON

REPO = Path(__file__).resolve().parents[1]
tomllib = pytest.importorskip("tomllib")  # Python 3.11+
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_of_the_source_tree_is_listed_for_the_wheel():
    found = {".".join(p.parent.relative_to(REPO).parts) for p in REPO.glob("dnnviz/**/__init__.py")}
    assert set(SETUPTOOLS["packages"]) == found | {"dnnviz.resources"}
    assert SETUPTOOLS["package-dir"] == {"dnnviz.resources": "resources"}


def test_every_shipped_file_is_package_data():
    patterns = SETUPTOOLS["package-data"]["dnnviz.resources"]
    shipped = [p.relative_to(REPO / "resources").as_posix()
               for p in (REPO / "resources").rglob("*")
               if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert shipped and all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in shipped)


def test_the_installed_package_reads_the_source_trees_resources():
    # Whichever install the tests run on (editable from this checkout or another copy, or a
    # wheel), dnnviz.resources holds the source tree's files, byte for byte.
    assert ICON.read_bytes() == (REPO / "resources" / "icons" / ICON.name).read_bytes()
    assert DESKTOP_ENTRY.read_bytes() == (REPO / "resources" / DESKTOP_ENTRY.name).read_bytes()
    source = sorted((REPO / "resources/lessons").glob("*.json"))
    assert [name for name, _ in list_lessons()] == [p.stem.split("-", 1)[1] for p in source]
    assert [(LESSONS_DIR / p.name).read_bytes() for p in source] == \
        [p.read_bytes() for p in source]


def test_the_package_declares_an_spdx_license_and_ships_its_text():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert "MIT License" in (REPO / "LICENSE").read_text()


def test_a_checkout_that_is_not_installed_finds_the_folder_beside_the_package(tmp_path):
    (tmp_path / "dnnviz").mkdir()
    for name in ("__init__.py", "resource_files.py"):
        (tmp_path / "dnnviz" / name).write_bytes((REPO / "dnnviz" / name).read_bytes())
    (tmp_path / "resources").mkdir()
    # -S: no site-packages, so no installed dnnviz and no editable finder
    done = subprocess.run([sys.executable, "-S", "-c", "import dnnviz.resource_files as r; "
                           "print(r.RESOURCES)"], cwd=tmp_path, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == tmp_path / "resources"
