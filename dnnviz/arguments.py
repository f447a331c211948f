"""What every dnnviz command's option parser shares: a bad option is one line, exit code 2.

The commands (dnnviz, dnnviz train, check, template, install-desktop) build their parsers
from Parser, whose errors are UsageError (the command prints "PROG: error: MESSAGE").
"""

from __future__ import annotations

import argparse


class UsageError(Exception):
    """A bad option: reported as one line with exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def number(kind):
    """An option type converting to kind (int, float) with a one-line message if it cannot."""
    def convert(text):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind.__name__}") from None
    convert.__name__ = kind.__name__
    return convert
