"""Recordings: frames (RGB arrays) into an animated GIF, an MP4 or a WebM. No Qt.

The window grabs its frames (ui/window/record.py) and hands them here. Pillow writes GIFs and
PyAV (FFmpeg, in its wheels) MP4 (H.264) and WebM (VP9); both are optional extras
(`pip install dnnviz[record]`), and a missing one is one line naming it. Frames are
encoded in a thread of their own as they come, so the window goes on drawing; a file is
written atomically (dnnviz.files): a recording that fails or is abandoned leaves nothing
behind, and an old file of that name stays as it was.

GIF: each frame's changed rectangle only (a plot's surroundings stay still), each with its
own adaptive palette of up to 256 colours and no dithering, so lines and text stay clean.
Every frame is written as it comes (Pillow's save_all would keep them all until the end).
"""

from __future__ import annotations

import importlib.util
import queue
import re
import threading
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from dnnviz.files import SaveError, atomic_path, cause

FPS = 25
VIDEO_SECONDS = 10  # the default --record-every gives about this much video at FPS
FORMATS = {".gif": "pillow", ".mp4": "av", ".webm": "av"}
PACKAGES = {"pillow": ("PIL", "Pillow", "pillow"), "av": ("av", "PyAV", "av")}  # (module,
# its name, its name on PyPI)
MIN_SIDE, MAX_SIDE = 16, 4096
BACKLOG = 3  # frames waiting to be encoded before the window is asked to wait


class RecordingError(ValueError):
    """A recording cannot be made: one line, fit to show a user."""


def check_target(path) -> str:
    """The recording's format ('.gif', '.mp4', '.webm') from its name; RecordingError if
    the name has another suffix or the library that writes it is missing."""
    suffix = Path(str(path)).suffix.lower()
    if suffix not in FORMATS:
        raise RecordingError(f"cannot record to {path}: the name must end in "
                             f"{', '.join(FORMATS)} (an animated GIF, an MP4 or a WebM)")
    module, name, pypi = PACKAGES[FORMATS[suffix]]
    if importlib.util.find_spec(module) is None:
        raise RecordingError(f"cannot record {suffix[1:].upper()}: {name} is not installed "
                             f"(pip install 'dnnviz[record]', or pip install {pypi})")
    return suffix


def parse_size(text: str) -> tuple[int, int]:
    """'640x360' -> (640, 360); ValueError (one line) for anything else."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*", text)
    if not match:
        raise ValueError(f"a size is WIDTHxHEIGHT in pixels, such as 640x360; not {text!r}")
    size = int(match[1]), int(match[2])
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in size):
        raise ValueError(f"each side must be from {MIN_SIDE} to {MAX_SIDE} pixels, not "
                         f"{size[0]}x{size[1]}")
    return size


def default_every(iterations: int) -> int:
    """Record every this many iterations: about VIDEO_SECONDS of video at FPS."""
    return max(1, round(iterations / (VIDEO_SECONDS * FPS)))


def fit(frame: np.ndarray, size: tuple[int, int] | None, even: bool,
        background=(255, 255, 255)) -> np.ndarray:
    """The frame scaled to fit `size` (w, h), keeping its shape, centred on the background;
    `even`: both sides even (video's colour subsampling needs it)."""
    from PIL import Image
    h, w = frame.shape[:2]
    out_w, out_h = size or (w, h)
    if even:
        out_w, out_h = out_w - out_w % 2, out_h - out_h % 2
    if (out_w, out_h) == (w, h):
        return frame
    scale = min(out_w / w, out_h / h)
    inner = max(1, round(w * scale)), max(1, round(h * scale))
    picture = Image.fromarray(frame)
    if inner != (w, h):
        picture = picture.resize(inner, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (out_w, out_h), tuple(background))
    canvas.paste(picture, ((out_w - inner[0]) // 2, (out_h - inner[1]) // 2))
    return np.asarray(canvas)


def changed_box(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the pixels that differ; a 1x1 box if none do."""
    h = after.shape[0]
    rows = np.flatnonzero((before.reshape(h, -1) != after.reshape(h, -1)).any(axis=1))
    if not len(rows):
        return 0, 0, 1, 1
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero((before[top:bottom] != after[top:bottom]).any(axis=(0, 2)))
    return int(cols[0]), top, int(cols[-1]) + 1, bottom


class GifWriter:
    """An animated GIF, frame by frame, looping."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.previous = None

    def add(self, frame: np.ndarray) -> None:
        from PIL import GifImagePlugin, Image
        picture = Image.fromarray(frame)
        box = (0, 0, *picture.size)
        if self.previous is not None:
            box = changed_box(self.previous, frame)
        part = picture.crop(box).quantize(256, method=Image.Quantize.FASTOCTREE,
                                          dither=Image.Dither.NONE)
        if self.previous is None:
            header, _ = GifImagePlugin.getheader(part, info={"loop": 0})
            self.file.write(b"".join(header))
        self.file.writelines(GifImagePlugin.getdata(
            part, offset=box[:2], duration=1000 // FPS, disposal=1, include_color_table=True))
        self.previous = frame

    def close(self) -> None:
        self.file.write(b";")
        self.file.close()

    def abort(self) -> None:
        self.file.close()


class VideoWriter:
    """An MP4 (H.264) or WebM (VP9) at FPS frames a second."""

    CODECS = {".mp4": ("libx264", {"crf": "20", "preset": "veryfast"}),
              ".webm": ("libvpx-vp9", {"crf": "32", "b": "0", "deadline": "realtime",
                                       "cpu-used": "8"})}

    def __init__(self, path, suffix: str):
        import av
        self.container = av.open(str(path), mode="w", format=suffix[1:])
        self.codec, self.options = self.CODECS[suffix]
        self.stream = None

    def add(self, frame: np.ndarray) -> None:
        import av
        if self.stream is None:
            self.stream = self.container.add_stream(self.codec, rate=FPS, options=self.options)
            self.stream.height, self.stream.width = frame.shape[:2]
            self.stream.pix_fmt = "yuv420p"
        picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
        self.container.mux(self.stream.encode(picture))

    def close(self) -> None:
        if self.stream is not None:
            self.container.mux(self.stream.encode(None))
        self.container.close()

    def abort(self) -> None:
        self.container.close()


class Recording:
    """A recording being made: add(frame) from any one thread, close() to finish the file.

    Frames are scaled to `size` (w, h; default: the first frame's size) and encoded in a
    thread of its own. add() calls `taken` once the frame may count as recorded: at once
    while few frames wait, else when the encoder has caught up, so a slow machine slows
    the run being recorded rather than piling frames up. An encoding error ends the
    recording: close() raises it, as a one-line SaveError.
    """

    def __init__(self, path, size: tuple[int, int] | None = None, background=(255, 255, 255)):
        self.path, self.size, self.background = path, size, tuple(background)
        self.suffix = check_target(path)
        self.frames = 0
        self.error: str | None = None
        self._stack = ExitStack()
        tmp = self._stack.enter_context(atomic_path(path))
        try:
            self._writer = GifWriter(tmp) if self.suffix == ".gif" \
                else VideoWriter(tmp, self.suffix)
        except Exception as exc:
            self._stack.__exit__(type(exc), exc, exc.__traceback__)
            raise SaveError(f"cannot record to {path}: {cause(exc)}") from None
        self._queue: queue.Queue = queue.Queue()
        self._waiting: list = []  # `taken` callbacks held back until the encoder catches up
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._encode, daemon=True,
                                        name="dnnviz-recording")
        self._thread.start()

    def add(self, frame: np.ndarray, taken=None) -> None:
        with self._lock:
            self._queue.put(frame)
            if taken is not None:
                if self._queue.qsize() <= BACKLOG:
                    taken()
                else:
                    self._waiting.append(taken)

    def _encode(self) -> None:
        while (frame := self._queue.get()) is not None:
            if self.error is None:
                try:
                    even = self.suffix != ".gif"
                    self._writer.add(fit(frame, self.size or self._first_size(frame), even,
                                         self.background))
                    self.frames += 1
                except Exception as exc:  # the disk is full, the encoder refused...
                    self.error = f"cannot record to {self.path}: {cause(exc)}"
            with self._lock:
                if self._queue.qsize() <= BACKLOG:
                    for taken in self._waiting:
                        taken()
                    self._waiting.clear()

    def _first_size(self, frame: np.ndarray) -> tuple[int, int]:
        self.size = frame.shape[1], frame.shape[0]  # later frames follow the first
        return self.size

    def close(self) -> int:
        """Finish the file; the number of frames written (0: no file at all, and an old
        one stays as it was). SaveError if it failed."""
        self._queue.put(None)
        self._thread.join()
        if self.frames == 0 and self.error is None:
            self._writer.abort()
            self._stack.__exit__(SaveError, SaveError("nothing recorded"), None)
            return 0
        try:
            if self.error is None:
                self._writer.close()
        except Exception as exc:
            self.error = f"cannot record to {self.path}: {cause(exc)}"
        if self.error is not None:
            self._writer.abort()
            error = SaveError(self.error)
            self._stack.__exit__(SaveError, error, None)  # the temporary file goes
            raise error
        self._stack.close()  # renamed over the target
        return self.frames

    def abort(self) -> None:
        """Give up: no file (an old one stays as it was)."""
        self._queue.put(None)
        self._thread.join()
        self._writer.abort()
        error = SaveError("abandoned")
        self._stack.__exit__(SaveError, error, None)
