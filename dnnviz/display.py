"""Can Qt open a window here? Asked before Qt starts, because Qt aborts (SIGABRT) when it
cannot, after a message that often names the wrong cause.

window_problem() answers with one line, or None when a window can open:
- Qt's own libraries do not load: a system library is missing (libGL.so.1, libEGL.so.1...);
- no display on Linux: no DISPLAY and no WAYLAND_DISPLAY (an ssh session, a service, a
  container), or a local X display that nothing listens on; QT_QPA_PLATFORM=offscreen
  needs none;
- X11 is what Qt will use but its X11 plugin cannot load: a system library such as
  libxcb-icccm.so.4 is missing (Qt itself would only say that xcb-cursor0 is needed).
The libraries are checked by loading them (the plugin's file, with the system's loader),
not by a list, so the answer is the loader's own.
"""

from __future__ import annotations

import ctypes
import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

HEADLESS = ("set QT_QPA_PLATFORM=offscreen for a headless run (with --screenshot or "
            "--report), or use `dnnviz train`")
PACKAGES = "README.md lists the system packages Qt needs"
X11 = "xcb"
WAYLAND = ("wayland", "wayland-egl")
LOCAL_DISPLAY = re.compile(r"(?:unix)?:(\d+)(?:\.\d+)?")
NOT_FOUND = re.compile(r"([^\s:/]+\.so[.\d]*): cannot open shared object file")


def window_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why no window can open here, in one line; None when Qt should manage."""
    environ = os.environ if environ is None else environ
    problem = qt_import_problem()
    if problem or not sys.platform.startswith("linux"):
        return problem
    problem = display_problem(environ)
    if problem is None and uses_x11(environ):
        missing = missing_library(x11_plugin())
        if missing:
            problem = (f"Qt cannot open a window on the X11 display: the system library "
                       f"{missing} is missing ({debian_hint(missing)}; {PACKAGES})")
    return problem


def qt_import_problem() -> str | None:
    """Qt's Python modules fail to import, typically for a missing system library."""
    try:
        import PyQt6.QtWidgets  # noqa: F401  (what run_app imports first)
    except ImportError as exc:
        found = NOT_FOUND.search(str(exc))
        if found:
            return (f"Qt cannot start: the system library {found[1]} is missing "
                    f"({debian_hint(found[1])}; {PACKAGES})")
        return f"Qt cannot start: {exc}"
    return None


def platforms(environ: Mapping[str, str]) -> list[str]:
    """The Qt platform plugins QT_QPA_PLATFORM asks for ("wayland;xcb", "offscreen:x=y")."""
    value = environ.get("QT_QPA_PLATFORM", "")
    return [p.split(":")[0].strip() for p in value.split(";") if p.strip()]


def display_problem(environ: Mapping[str, str]) -> str | None:
    """No display for the platform Qt will use (Linux); None when there is one."""
    asked = platforms(environ)
    if any(p != X11 and p not in WAYLAND for p in asked):
        return None  # offscreen, minimal, vnc, eglfs...: no display needed
    display, wayland = environ.get("DISPLAY", ""), wayland_display(environ)
    if asked == [X11] and not display:
        return f"no display: QT_QPA_PLATFORM=xcb needs DISPLAY, which is not set; {HEADLESS}"
    if not display and not wayland:
        return f"no display: neither DISPLAY nor WAYLAND_DISPLAY is set; {HEADLESS}"
    if not display and not wayland_socket(environ, wayland):
        return (f"no display: WAYLAND_DISPLAY={wayland} names no running Wayland display "
                f"(no such socket) and DISPLAY is not set; {HEADLESS}")
    if uses_x11(environ) and not x_server_listens(display):
        return f"no display: no X server answers on DISPLAY={display}; {HEADLESS}"
    return None


def wayland_display(environ: Mapping[str, str]) -> str:
    """The Wayland display Qt would connect to: WAYLAND_DISPLAY, else wayland-0 if it is
    there (the Wayland library's default); "" for none."""
    name = environ.get("WAYLAND_DISPLAY", "")
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if not name and runtime and os.path.exists(os.path.join(runtime, "wayland-0")):
        name = "wayland-0"
    return name


def wayland_socket(environ: Mapping[str, str], name: str) -> bool:
    """Whether the Wayland display `name` has its socket (a name is relative to
    XDG_RUNTIME_DIR): a name left behind by a session that has ended has none."""
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    path = name if os.path.isabs(name) else os.path.join(runtime, name) if runtime else ""
    return bool(path) and os.path.exists(path)


def uses_x11(environ: Mapping[str, str]) -> bool:
    """Qt will open its window through X11: asked to first, or with no Wayland display."""
    asked, wayland = platforms(environ), wayland_display(environ)
    if not asked:  # Qt's default: Wayland where there is a Wayland display, else X11
        return not wayland
    return asked[0] == X11 or (X11 in asked and not wayland)


def x_server_listens(display: str) -> bool:
    """Whether a local X server (DISPLAY=:N) accepts a connection; True for remote ones."""
    local = LOCAL_DISPLAY.fullmatch(display)
    if not local:
        return True  # host:N (ssh -X forwards to localhost:10): let Qt try
    path = f"/tmp/.X11-unix/X{local[1]}"
    for address in ("\0" + path, path):  # Linux's abstract socket, then the file
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1.0)
            try:
                s.connect(address)
                return True
            except OSError:
                continue
    return False


def x11_plugin() -> Path | None:
    """Qt's X11 platform plugin (libqxcb.so) of the PyQt6 in use, if it has one."""
    try:
        from PyQt6.QtCore import QLibraryInfo
    except ImportError:
        return None
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    plugin = Path(folder) / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_library(path: Path | None) -> str | None:
    """The library the system's loader cannot find when loading `path`, or None."""
    if path is None:
        return None
    try:
        ctypes.CDLL(str(path))
    except OSError as exc:
        found = NOT_FOUND.search(str(exc))
        return found[1] if found else None
    return None


def debian_hint(library: str) -> str:
    """The Debian/Ubuntu package that usually holds a library: libxcb-icccm.so.4 is in
    libxcb-icccm4, libdbus-1.so.3 in libdbus-1-3."""
    name, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    package = name.lower() + ("-" if name[-1:].isdigit() else "") + version
    return f"on Debian or Ubuntu: sudo apt-get install {package}"
