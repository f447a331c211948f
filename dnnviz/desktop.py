"""`dnnviz install-desktop`: dnnviz in the desktop's menu of applications (Linux).

Writes the shipped resources/dnnviz.desktop to $XDG_DATA_HOME/applications (default
~/.local/share/applications), its Exec line pointing at this very Python (`PYTHON -m
dnnviz`, so a virtualenv's dnnviz starts without the virtualenv on PATH), and the icon to
$XDG_DATA_HOME/icons/hicolor/scalable/apps/dnnviz.svg. `--remove` takes both away.
Exit code 0, or 2 with one line when a file cannot be written.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from dnnviz.files import SaveError, read_text, write_text
from dnnviz.options import Parser, UsageError
from dnnviz.resource_files import DESKTOP_ENTRY, ICON

MAX_BYTES = 1 << 20
PROG = "dnnviz install-desktop"


def data_home(environ=None) -> Path:
    """$XDG_DATA_HOME when it is an absolute path (the spec ignores others), else
    ~/.local/share."""
    environ = os.environ if environ is None else environ
    value = environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def installed_paths(home: Path) -> tuple[Path, Path]:
    """Where the desktop entry and the icon go under a data home."""
    return (home / "applications" / "dnnviz.desktop",
            home / "icons" / "hicolor" / "scalable" / "apps" / "dnnviz.svg")


def exec_quote(word: str) -> str:
    """A word of a desktop entry's Exec line, written as the spec asks: % doubled, quoted
    when it holds anything but plain path characters, and backslashes escaped twice."""
    word = word.replace("%", "%%")
    if re.fullmatch(r"[\w/.+,:@%=-]+", word):
        return word
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", word) + '"'
    return quoted.replace("\\", "\\\\")


def desktop_entry(command: list[str], icon: Path) -> str:
    """The shipped desktop entry with its Exec and Icon lines set to command and icon."""
    text = read_text(DESKTOP_ENTRY, MAX_BYTES, "the desktop entry", SaveError)
    exec_line = "Exec=" + " ".join(exec_quote(w) for w in command)
    text = re.sub(r"(?m)^Exec=.*$", lambda _: exec_line, text)
    return re.sub(r"(?m)^Icon=.*$", lambda _: f"Icon={icon}", text)


CREATED_KEY = "X-Dnnviz-Created-Folders"  # the folders install made, for --remove


def install(home: Path, command: list[str]) -> tuple[Path, Path]:
    """Write the icon, then the entry that names it; SaveError of one line if one cannot be.
    The entry notes the folders this made (none that were there), so --remove takes only
    those away again, and only while empty."""
    entry, icon = installed_paths(home)
    made = set(_created_folders(entry))  # an earlier install's, if it is being replaced
    for path in (entry, icon):
        made.update(_make_folders(path.parent))
    write_text(icon, read_text(ICON, MAX_BYTES, "the icon", SaveError))
    text = desktop_entry(command, icon).rstrip("\n") + "\n"
    if made:
        text += f"{CREATED_KEY}={';'.join(sorted(map(str, made)))}\n"
    write_text(entry, text)
    return entry, icon


def _make_folders(folder: Path) -> list[Path]:
    """mkdir -p folder; the folders it made."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create {folder}: {exc.strerror}") from None
    return missing


def _created_folders(entry: Path) -> list[Path]:
    """The folders an installed entry says its install made ([] if none or no entry)."""
    try:
        lines = entry.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    for line in lines:
        if line.startswith(CREATED_KEY + "="):
            return [Path(p) for p in line.split("=", 1)[1].split(";") if os.path.isabs(p)]
    return []


def remove(home: Path) -> list[Path]:
    """Delete what install wrote, and the folders it made once they are empty; the paths
    that were there."""
    removed = []
    made = _created_folders(installed_paths(home)[0])
    for path in installed_paths(home):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SaveError(f"cannot remove {path}: {exc.strerror}") from None
    for folder in sorted(made, key=lambda p: len(p.parts), reverse=True):  # deepest first
        try:
            folder.rmdir()
        except OSError:  # not empty (the user's own files), or gone: leave it
            pass
    return removed


def main(argv: list[str]) -> int:
    """argv without the command's own name."""
    parser = Parser(prog=PROG, description="Add dnnviz to the desktop's menu of "
                    "applications (Linux; freedesktop.org menus), for this user.")
    parser.add_argument("--remove", action="store_true", help="take the entry away again")
    try:
        args = parser.parse_args(argv)
        if sys.platform in ("darwin", "win32"):
            raise UsageError("install-desktop is for Linux desktops; on macOS and Windows "
                             "start dnnviz from a terminal")
        home = data_home()
        if args.remove:
            removed = remove(home)
            print("removed " + ", ".join(map(str, removed)) if removed else "nothing to remove")
            return 0
        entry, icon = install(home, [sys.executable, "-m", "dnnviz"])
    except (UsageError, SaveError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {entry}\nwrote {icon}\ndnnviz is in the menu of applications (Education); "
          f"`{PROG} --remove` takes it away")
    return 0
