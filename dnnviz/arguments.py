"""What every dnnviz command's option parser shares: a bad option is one line, exit code 2.

The commands (dnnviz, dnnviz train, check, template, install-desktop) build their parsers
from Parser, whose errors are UsageError (the command prints "PROG: error: MESSAGE"), and
turn text into values with converter / option_type, whose ValueError is that message.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dnnviz.training.settings import Kind


class UsageError(Exception):
    """A bad option: reported as one line with exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def converter(parse):
    """argparse's type from parse(text): its ValueError (ConfigError too) is the message."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return convert


def option_type(kind: Kind):
    """argparse's type for an option's value of `kind` (settings.Text, Whole, Number...); a
    Text is never empty: --config '' is a mistake."""
    return converter(kind.parse)
