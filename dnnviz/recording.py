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
import multiprocessing
import os
import queue
import re
import signal
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
NICENESS = 10  # the encoder's process: below the window, as the training process is


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
    """The frame (RGB, or RGBX) scaled to fit `size` (w, h), keeping its shape, centred on
    the background; `even`: both sides even (video's colour subsampling needs it)."""
    from PIL import Image
    h, w = frame.shape[:2]
    out_w, out_h = size or (w, h)
    if even:
        out_w, out_h = out_w - out_w % 2, out_h - out_h % 2
    if (out_w, out_h) == (w, h):
        return frame
    scale = min(out_w / w, out_h / h)
    inner = max(1, round(w * scale)), max(1, round(h * scale))
    picture = Image.fromarray(frame[..., :3])
    if inner != (w, h):
        picture = picture.resize(inner, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (out_w, out_h), tuple(background))
    canvas.paste(picture, ((out_w - inner[0]) // 2, (out_h - inner[1]) // 2))
    return np.asarray(canvas)


def changed_box(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the pixels that differ; a 1x1 box if none do.
    RGBX frames (4 channels, as the window grabs them) compare a pixel at a time."""
    if after.shape[2] == 4 and after.flags.c_contiguous and before.flags.c_contiguous:
        changed = before.view(np.uint32)[..., 0] != after.view(np.uint32)[..., 0]
    else:
        changed = (before != after).any(axis=2)
    rows = np.flatnonzero(changed.any(axis=1))
    if not len(rows):
        return 0, 0, 1, 1
    cols = np.flatnonzero(changed[rows[0]:rows[-1] + 1].any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


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
        part = picture.crop(box).convert("RGB").quantize(
            256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
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
        picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame),
                                             format="rgba" if frame.shape[2] == 4 else "rgb24")
        self.container.mux(self.stream.encode(picture))

    def close(self) -> None:
        if self.stream is not None:
            self.container.mux(self.stream.encode(None))
        self.container.close()

    def abort(self) -> None:
        self.container.close()


class Recording:
    """A recording being made: add(frame) from one thread, close() to finish the file.

    Frames are scaled to `size` (w, h; default: the first frame's size) and encoded in a
    process of its own at a lower priority (encode_frames), so that the window keeps its
    pace and no encoder holds the window's interpreter lock. add() calls `taken` once the
    frame may count as recorded: at once while few frames wait, else when the encoder has
    caught up, so a slow machine slows the run being recorded rather than piling frames
    up. An encoding error ends the recording: close() raises it, a one-line SaveError.
    """

    def __init__(self, path, size: tuple[int, int] | None = None, background=(255, 255, 255)):
        self.path = path
        self.suffix = check_target(path)
        self.frames = 0
        self.error: str | None = None
        self._stack = ExitStack()
        tmp = self._stack.enter_context(atomic_path(path))
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=encode_frames, name="dnnviz-recording", daemon=True,
                                    args=(child, str(tmp), self.suffix, size, tuple(background)))
        self._process.start()
        child.close()
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._waiting: list = []  # `taken` callbacks held back until the encoder catches up
        self._added = self._done = 0
        self._threads = [threading.Thread(target=work, daemon=True, name=f"dnnviz-{name}")
                         for name, work in (("record-send", self._send),
                                            ("record-hear", self._hear))]
        for thread in self._threads:
            thread.start()

    def add(self, frame: np.ndarray, taken=None) -> None:
        with self._lock:
            self._added += 1
            self._queue.put(frame)
            if taken is not None:
                self._waiting.append(taken)
            self._release()

    def _release(self) -> None:
        """Call the waiting `taken`s if few frames wait (with the lock held)."""
        if self._added - self._done <= BACKLOG or self.error is not None:
            for taken in self._waiting:
                taken()
            self._waiting.clear()

    def _send(self) -> None:
        """Frames to the encoder's process, one by one (a blocked pipe blocks only here)."""
        while True:
            frame = self._queue.get()
            try:
                self._conn.send(frame)
            except (OSError, ValueError):
                pass  # the process has gone: _hear says so
            if frame is None:
                return

    def _hear(self) -> None:
        """The encoder's word after each frame and at the end."""
        while True:
            try:
                kind, frames, error = self._conn.recv()
            except (EOFError, OSError):
                kind, frames, error = "closed", self.frames, (
                    self.error or "the recording's process ended unexpectedly")
            with self._lock:
                self.frames, self._done = frames, self._done + 1
                if error and self.error is None:
                    self.error = f"cannot record to {self.path}: {error}"
                self._release()
            if kind == "closed":
                return

    def close(self) -> int:
        """Finish the file; the number of frames written (0: no file at all, and an old
        one stays as it was). SaveError if it failed."""
        self._finish()
        if self.error is not None:
            error = SaveError(self.error)
            self._stack.__exit__(SaveError, error, None)  # the temporary file goes
            raise error
        if self.frames == 0:
            self._stack.__exit__(SaveError, SaveError("nothing recorded"), None)
            return 0
        self._stack.close()  # renamed over the target
        return self.frames

    def abort(self) -> None:
        """Give up: no file (an old one stays as it was)."""
        self._finish()
        self._stack.__exit__(SaveError, SaveError("abandoned"), None)

    def _finish(self) -> None:
        self._queue.put(None)
        for thread in self._threads:
            thread.join()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()


def encode_frames(conn, path: str, suffix: str, size, background) -> None:
    """The encoder's process: frames from `conn` into the file at `path` until None; after
    each frame and at the end, ("done" or "closed", frames written, error or None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the window's to handle
    try:
        os.nice(NICENESS)  # the window first: it draws the frames to record
    except (OSError, AttributeError):  # (not on Windows)
        pass
    frames, error, writer = 0, None, None
    try:
        writer = GifWriter(path) if suffix == ".gif" else VideoWriter(path, suffix)
    except Exception as exc:
        error = cause(exc)
    while (frame := conn.recv()) is not None:
        if error is None:
            try:
                size = size or (frame.shape[1], frame.shape[0])  # later frames follow it
                writer.add(fit(frame, size, suffix != ".gif", background))
                frames += 1
            except Exception as exc:  # the disk is full, the encoder refused...
                error = cause(exc)
        conn.send(("done", frames, error))
    if writer is not None:
        try:
            writer.close() if error is None and frames else writer.abort()
        except Exception as exc:
            error = cause(exc)
    conn.send(("closed", frames, error))
