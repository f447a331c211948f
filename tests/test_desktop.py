"""`dnnviz install-desktop`: the menu entry and icon, for this user, and --remove."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys

import pytest

from dnnviz.desktop import data_home, exec_quote
from dnnviz.resource_files import ICON

pytestmark = pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="Linux desktops")


def install_desktop(home, *args):
    env = dict(os.environ, XDG_DATA_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "dnnviz", "install-desktop", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def read_entry(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text())
    return parser["Desktop Entry"]


def test_the_entry_starts_this_python_and_shows_the_icon(tmp_path):
    home = tmp_path / "share"
    done = install_desktop(home)
    assert done.returncode == 0, done.stderr
    entry_path = home / "applications" / "dnnviz.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / "dnnviz.svg"
    entry = read_entry(entry_path)
    assert entry["Type"] == "Application" and entry["Name"] == "dnnviz"
    assert shlex.split(entry["Exec"]) == [sys.executable, "-m", "dnnviz"]
    assert entry["Icon"] == str(icon) and icon.read_bytes() == ICON.read_bytes()
    assert str(entry_path) in done.stdout
    # the command it names really starts dnnviz (here: its help, no window)
    started = subprocess.run([*shlex.split(entry["Exec"]), "--help"], capture_output=True,
                             text=True, timeout=60)
    assert started.returncode == 0 and started.stdout.startswith("usage: dnnviz")


def test_installing_again_replaces_and_remove_takes_both_away(tmp_path):
    home = tmp_path / "share"
    assert install_desktop(home).returncode == 0
    assert install_desktop(home).returncode == 0
    files = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    assert files == ["applications/dnnviz.desktop",
                     "icons/hicolor/scalable/apps/dnnviz.svg"]
    done = install_desktop(home, "--remove")
    assert done.returncode == 0 and "removed" in done.stdout
    assert not [p for p in home.rglob("*") if p.is_file()]
    again = install_desktop(home, "--remove")
    assert again.returncode == 0 and again.stdout == "nothing to remove\n"
    assert not home.exists()  # every folder the install made is gone too


def test_remove_leaves_folders_that_were_there_and_folders_with_other_files(tmp_path):
    home = tmp_path / "share"
    (home / "applications").mkdir(parents=True)  # the user's, before dnnviz
    assert install_desktop(home).returncode == 0
    other = home / "icons" / "hicolor" / "other.svg"  # another program's, after dnnviz
    other.write_text("<svg/>")
    assert install_desktop(home, "--remove").returncode == 0
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == [
        "applications", "icons", "icons/hicolor", "icons/hicolor/other.svg"]


def test_a_folder_that_cannot_be_made_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = install_desktop(blocker)
    assert done.returncode == 2
    assert done.stderr.startswith("dnnviz install-desktop: error: cannot create ")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert blocker.read_text() == "not a folder"


def test_a_bad_option_is_one_line_and_exit_2(tmp_path):
    done = install_desktop(tmp_path, "--bogus")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "unrecognized arguments: --bogus" in done.stderr


def test_the_data_home_follows_the_spec(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_home({"XDG_DATA_HOME": "/srv/share"}).as_posix() == "/srv/share"
    assert data_home({"XDG_DATA_HOME": "relative/share"}) == tmp_path / ".local" / "share"
    assert data_home({}) == tmp_path / ".local" / "share"


@pytest.mark.parametrize("word, written", [
    ("/usr/bin/python3", "/usr/bin/python3"),
    ("-m", "-m"),
    ("/home/a b/venv/bin/python", '"/home/a b/venv/bin/python"'),
    ("/opt/100%/python", "/opt/100%%/python"),
    ('/x/"q"/$HOME', r'"/x/\\"q\\"/\\$HOME"'),
])
def test_exec_words_are_quoted_as_the_desktop_entry_spec_says(word, written):
    assert exec_quote(word) == written
