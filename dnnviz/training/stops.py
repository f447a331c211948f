"""Why a run stopped: a value, a kind with its details, never text to be parsed.

The session, the training process's messages, the snapshot, the window and the lessons
all pass a Stop and read its `why`; str(stop) is the one line a person reads (the status
bar, `dnnviz train`'s summary, a report's `stopped_reason`, a model file's attribute).
Text is read back into a Stop in one place only: a model file's attribute (Stop.read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Why(Enum):
    COMPLETED = "completed"  # the run reached its target
    PAUSED_AT = "paused at"  # a scripted stop (--exit-after) or a pause
    DIVERGED = "diverged"  # the cost became infinite or a layer died: the bad step undone
    INTERRUPTED = "interrupted"  # Ctrl+C, SIGTERM, SIGHUP
    FAILED = "failed"  # an error in the training process, or its death
    STOPPED = "stopped"  # none of these (a reason of a file from another version)


ADVICE = "try a smaller learning rate"


@dataclass(frozen=True)
class Stop:
    why: Why
    iteration: int | None = None  # where it paused or diverged
    detail: str = ""  # what went wrong (diverged, failed), one line

    def __str__(self) -> str:
        if self.why is Why.PAUSED_AT:
            return f"paused at {self.iteration}"
        if self.why is Why.DIVERGED:
            return f"diverged at iteration {self.iteration}: {self.detail}; {ADVICE}"
        if self.why is Why.FAILED:
            return f"failed: {self.detail}"
        if self.why is Why.STOPPED and self.detail:
            return self.detail
        return self.why.value

    @property
    def diverged(self) -> bool:
        return self.why is Why.DIVERGED

    @classmethod
    def read(cls, text: str) -> Stop:
        """The Stop whose str() is `text` (a model file's attribute); anything else is a
        STOPPED with the text as it is."""
        for why in (Why.COMPLETED, Why.INTERRUPTED, Why.STOPPED):
            if text == why.value:
                return cls(why)
        if found := re.fullmatch(r"paused at (\d+)", text):
            return cls(Why.PAUSED_AT, int(found[1]))
        if found := re.fullmatch(rf"diverged at iteration (\d+): (.*); {ADVICE}", text, re.S):
            return cls(Why.DIVERGED, int(found[1]), found[2])
        if text.startswith("failed: "):
            return cls(Why.FAILED, detail=text[len("failed: "):])
        return cls(Why.STOPPED, detail=text)


COMPLETED = Stop(Why.COMPLETED)
INTERRUPTED = Stop(Why.INTERRUPTED)


def paused_at(iteration: int) -> Stop:
    return Stop(Why.PAUSED_AT, int(iteration))


def failed(text: str) -> Stop:
    return Stop(Why.FAILED, detail=text)
