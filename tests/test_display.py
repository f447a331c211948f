"""No window possible: one line and exit code 2 before Qt starts, never Qt's abort."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from dnnviz import display
from dnnviz.display import (
    debian_hint,
    display_problem,
    missing_library,
    uses_x11,
    window_problem,
    x_server_listens,
)

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 and Wayland")
FREE_DISPLAY = 7000 + os.getpid() % 1000  # no X server there: see unused_display


@pytest.fixture
def unused_display() -> str:
    if os.path.exists(f"/tmp/.X11-unix/X{FREE_DISPLAY}"):
        pytest.skip(f"an X server may be running on :{FREE_DISPLAY}")
    return f":{FREE_DISPLAY}"


@pytest.fixture
def listening_display():
    """A display number something listens on, as an X server does (Linux's abstract
    socket namespace: nothing is made on disk)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{FREE_DISPLAY}")
        server.listen(4)
        yield f":{FREE_DISPLAY}"


@linux
@pytest.mark.parametrize("environ, words", [
    ({}, "neither DISPLAY nor WAYLAND_DISPLAY is set"),
    ({"QT_QPA_PLATFORM": "xcb"}, "QT_QPA_PLATFORM=xcb needs DISPLAY"),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "xcb needs DISPLAY"),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "neither DISPLAY nor WAYLAND_DISPLAY"),
    ({"QT_QPA_PLATFORM": "offscreen"}, None),
    ({"QT_QPA_PLATFORM": "minimal"}, None),
    ({"QT_QPA_PLATFORM": "offscreen:fontengine=freetype"}, None),
    ({"WAYLAND_DISPLAY": "wayland-1"}, "WAYLAND_DISPLAY=wayland-1 names no running Wayland"),
    ({"DISPLAY": "remote:10.0"}, None),  # over the network (ssh -X): Qt tries it
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": "remote:0"}, None),
])
def test_the_display_each_platform_needs(environ, words):
    problem = display_problem(environ)
    if words is None:
        assert problem is None
    else:
        assert problem.startswith("no display: ") and words in problem
        assert "QT_QPA_PLATFORM=offscreen" in problem and "\n" not in problem


@linux
def test_a_wayland_socket_at_its_default_place_is_a_display(tmp_path):
    assert display_problem({"XDG_RUNTIME_DIR": str(tmp_path)}) is not None
    (tmp_path / "wayland-0").touch()
    assert display_problem({"XDG_RUNTIME_DIR": str(tmp_path)}) is None


@linux
def test_a_wayland_display_counts_only_while_its_socket_is_there(tmp_path):
    environ = {"XDG_RUNTIME_DIR": str(tmp_path), "WAYLAND_DISPLAY": "wayland-1"}
    assert "names no running Wayland display" in display_problem(environ)
    (tmp_path / "wayland-1").touch()
    assert display_problem(environ) is None
    assert display_problem({"WAYLAND_DISPLAY": str(tmp_path / "wayland-1")}) is None


@linux
def test_a_local_display_needs_an_x_server_listening(unused_display):
    assert not x_server_listens(unused_display)
    problem = display_problem({"DISPLAY": unused_display})
    assert f"no X server answers on DISPLAY={unused_display}" in problem
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{FREE_DISPLAY}")
        server.listen(4)
        assert x_server_listens(unused_display)
        assert x_server_listens(f"unix{unused_display}.0")
        assert display_problem({"DISPLAY": unused_display}) is None


@pytest.mark.parametrize("environ, x11", [
    ({"DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, True),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
])
def test_when_qt_goes_through_x11(environ, x11):
    assert uses_x11(environ) is x11


def _copy_of_the_x11_plugin(tmp_path):
    plugin = display.x11_plugin()
    if plugin is None:
        pytest.skip("this PyQt6 has no X11 plugin")
    copy = tmp_path / plugin.name  # away from Qt's own libraries, which it then cannot find
    shutil.copyfile(plugin, copy)
    return copy, "libQt6XcbQpa.so.6"


@linux
def test_a_library_the_loader_cannot_find_is_named(tmp_path):
    copy, needed = _copy_of_the_x11_plugin(tmp_path)
    assert missing_library(copy) == needed


@linux
def test_missing_x11_libraries_are_one_line_naming_the_library(tmp_path, monkeypatch,
                                                               listening_display):
    copy, needed = _copy_of_the_x11_plugin(tmp_path)
    monkeypatch.setattr(display, "x11_plugin", lambda: copy)
    problem = window_problem({"DISPLAY": listening_display})
    assert problem.startswith("Qt cannot open a window on the X11 display: the system "
                              f"library {needed} is missing")
    assert "README.md" in problem and "\n" not in problem


def test_qt_modules_that_cannot_load_are_one_line(monkeypatch):
    real_import = __import__

    def failing_import(name, *args, **kwargs):
        if name.startswith("PyQt6"):
            raise ImportError("libEGL.so.1: cannot open shared object file: No such file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", failing_import)
    problem = window_problem({"QT_QPA_PLATFORM": "offscreen"})
    assert problem == ("Qt cannot start: the system library libEGL.so.1 is missing (on "
                       "Debian or Ubuntu: sudo apt-get install libegl1; README.md lists the "
                       "system packages Qt needs)")


@pytest.mark.parametrize("library, package", [
    ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libX11-xcb.so.1", "libx11-xcb1"), ("libGL.so.1", "libgl1"),
    ("libdbus-1.so.3", "libdbus-1-3"), ("libxcb-render-util.so.0.0.0", "libxcb-render-util0"),
])
def test_the_debian_package_of_a_library(library, package):
    assert debian_hint(library) == f"on Debian or Ubuntu: sudo apt-get install {package}"


def _dnnviz_without_display(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(XDG_RUNTIME_DIR=str(tmp_path), **extra)
    return subprocess.run([sys.executable, "-m", "dnnviz", "--dataset", "moons"], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


@linux
@pytest.mark.parametrize("platform", [None, "xcb"])
def test_the_app_without_a_display_is_one_line_and_exit_2(tmp_path, platform):
    extra = {"QT_QPA_PLATFORM": platform} if platform else {}
    done = _dnnviz_without_display(tmp_path, **extra)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("dnnviz: error: no display: ")
    assert done.stderr.count("\n") == 1 and "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert done.stdout == ""


@linux
def test_the_app_with_a_display_nobody_serves_is_one_line_and_exit_2(tmp_path, unused_display):
    done = _dnnviz_without_display(tmp_path, DISPLAY=unused_display)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"dnnviz: error: no display: no X server answers on "
                           f"DISPLAY={unused_display}; set QT_QPA_PLATFORM=offscreen for a "
                           "headless run (with --screenshot or --report), or use `dnnviz "
                           "train`\n")
