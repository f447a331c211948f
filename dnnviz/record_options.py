"""The window's recording options: --record FILE, --record-every N, --record-view NAME and
--record-size WxH, each mistake one line before any window opens. The recording itself:
ui/window/record.py and recording.py."""

from __future__ import annotations

import argparse

from dnnviz.options import UsageError, converter, option_type
from dnnviz.recording import RecordingError, check_target, parse_size
from dnnviz.training.config import FILE_NAME
from dnnviz.training.settings import Whole
from dnnviz.ui.views.names import view_names


def _every(text: str) -> int:
    value = Whole().parse(text)
    if value < 1:
        raise ValueError(f"a recorded frame every N iterations needs N of 1 or more, not {value}")
    return value


def add_record_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--record", metavar="FILE", type=option_type(FILE_NAME),
                   help="record the run as an animated GIF, an MP4 or a WebM (by the name: "
                   ".gif, .mp4, .webm; needs pip install 'dnnviz[record]'): a frame every "
                   "--record-every iterations, the same ones on any machine")
    p.add_argument("--record-every", metavar="N", type=converter(_every),
                   help="a recorded frame every N iterations, and one at the end (default: "
                   "about 10 s of video at 25 frames a second, from the run's length)")
    p.add_argument("--record-view", metavar="NAME", choices=view_names(),
                   help="record this view alone, not the whole window: "
                   + ", ".join(view_names()))
    p.add_argument("--record-size", metavar="WxH", type=converter(parse_size),
                   help="the recording's size in pixels, e.g. 640x360 (the picture scaled to "
                   "fit; default: the window's or the view's own size)")


def check_record_options(args) -> None:
    """Refuse a recording that cannot be made (the format, its library, a size a video
    cannot have) and options that need another: UsageError, one line."""
    record = getattr(args, "record", None)
    if record is None:
        for name in ("record_every", "record_view", "record_size"):
            if getattr(args, name, None) is not None:
                raise UsageError(f"--{name.replace('_', '-')} needs --record FILE")
    else:
        try:
            suffix = check_target(record)
        except RecordingError as exc:
            raise UsageError(f"--record: {exc}") from None
        size = args.record_size
        if size is not None and suffix != ".gif" and (size[0] % 2 or size[1] % 2):
            raise UsageError(f"--record-size: a video's width and height must be even, not "
                             f"{size[0]}x{size[1]}")
