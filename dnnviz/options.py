"""Parsing command-line options: the one-line errors every dnnviz command shares.

argparse prints usage and exits on its own; dnnviz's commands raise UsageError instead, and
their main() reports it as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import textwrap

from dnnviz.training.settings import Kind


class UsageError(Exception):
    """A bad option: reported as one line with exit code 2."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, never breaking a name at its hyphen (a lesson's name such as
    build-it-yourself stays whole, to be copied from the help)."""

    def _split_lines(self, text, width):
        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.wrap(text, width, break_on_hyphens=False)

    def _fill_text(self, text, width, indent):
        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent,
                             break_on_hyphens=False)


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

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


HEADLESS_SIZE = (1280, 800)  # Qt's plain offscreen platform: its 800x800 screen cramps a window
SIZE_LIMITS = (320, 7680)


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' -> (1280, 720); ValueError (one line) for anything else."""
    parts = str(text).lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        width = height = 0
    low, high = SIZE_LIMITS
    if not (low <= width <= high and low <= height <= high):
        raise ValueError(f"must be WIDTHxHEIGHT in pixels, each from {low} to {high} "
                         f"(e.g. 1280x720), not {text!r}")
    return width, height
