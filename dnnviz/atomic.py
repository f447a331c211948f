"""Kept only for dnnviz/app.py's `--report` until it imports from dnnviz.files; then delete.

The file rules live in dnnviz.files. write_output is the CLI's writer ("-" is stdout).
"""

from dnnviz.files import write_output as write_text

__all__ = ["write_text"]
