"""What reads the pictures of a picture folder for the commands: Qt's QImage.

The data package is pure (no Qt): its folder loader takes the decoder as an argument. Qt
reads PNG, JPEG, BMP, GIF and WebP (the last with Qt's webp image plugin, part of PyQt6's
wheels) without a window or a display, so `dnnviz train --image-folder` uses it as the
window does (ui/teach/own_image.py: centre-crop, smooth scaling, transparent on white;
ui/picture_file.py: the file read by dnnviz itself, any name, Qt's own warnings kept quiet).
"""

from __future__ import annotations


def picture_decoder(config):
    """decode(path, shape) for the run's picture folder; None when it has none (Qt is then
    not even imported)."""
    if not config.image_folder:
        return None
    from dnnviz.ui.teach.own_image import image_to_pixels

    return image_to_pixels
