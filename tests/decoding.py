"""Reading recordings back, for the tests of the encoders and of the window's recording."""

from __future__ import annotations

import numpy as np


def gif_frames(path) -> list[np.ndarray]:
    from PIL import Image

    with Image.open(path) as im:
        out = []
        for i in range(im.n_frames):
            im.seek(i)
            out.append(np.asarray(im.convert("RGB")))
        return out


def video_frames(path) -> list[np.ndarray]:
    import av

    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
