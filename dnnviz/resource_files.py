"""Where the files shipped with dnnviz are: the lessons, the icon and the desktop entry.

They live in the source tree's top-level resources/ folder, which is installed as the
package dnnviz.resources (pyproject.toml maps it), so a wheel and an editable install find
them the same way, through importlib.resources. A checkout run without installing it
(`python main.py`, PYTHONPATH=.) finds the folder beside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding lessons/, icons/ and dnnviz.desktop."""
    try:
        return Path(str(resources.files("dnnviz.resources")))
    except ModuleNotFoundError:  # not installed: the source tree's own folder
        return Path(__file__).resolve().parent.parent / "resources"


RESOURCES = resources_dir()
ICON = RESOURCES / "icons" / "dnnviz.svg"
DESKTOP_ENTRY = RESOURCES / "dnnviz.desktop"
