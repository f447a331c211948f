"""DataList: the data sets the controls offer, and what choosing one means.

The built-in sets, the course's cat files when their folder is found, and the data opened in
this window: h5 pairs, CSV points, picture folders, the points drawn (each remembered, so
that it can be chosen again after another). An entry's key is a built-in name, "drawn", or
the kind and path of own data: "file:train.h5", "points:mine.csv", "folder:pets".
"""

from __future__ import annotations

from dnnviz.data import BUILTIN_DATASETS, DRAWN, course_files, default_data_dir
from dnnviz.training.config import RunConfig, source_of, with_source

PREFIXES = (("file", "train_file"), ("points", "points_file"), ("folder", "image_folder"))


class DataList:
    def __init__(self, window):
        self.window = window
        self.opened: dict[str, tuple[str, dict]] = {}  # key -> (label, own data's settings)

    def entries(self) -> list[tuple[str, str]]:
        """(key, label) of every data set to offer."""
        entries = [(name, name) for name in BUILTIN_DATASETS]
        if self.cat_dir() is not None:
            entries.append(("cat", "cat vs non-cat (course)"))
        return entries + [(key, label) for key, (label, _) in self.opened.items()]

    def cat_dir(self):
        """The folder of the course's cat files, if they are there."""
        folder = self.window.data_dir or default_data_dir()
        return folder if folder is not None and course_files(folder) else None

    @staticmethod
    def key(config: RunConfig) -> str:
        """The entry of the config's data."""
        if config.drawn_points is not None:
            return DRAWN
        for prefix, setting in PREFIXES:
            if getattr(config, setting):
                return f"{prefix}:{getattr(config, setting)}"
        return config.dataset

    def remember(self, config: RunConfig, name: str) -> bool:
        """Offer the config's own data (named `name`) from now on; True if the list changed."""
        source = source_of(config)
        key, entry = self.key(config), {"dataset": config.dataset, **source}
        if not source or self.opened.get(key, (None, None))[1] == entry:
            return False
        self.opened[key] = ("drawn points" if key == DRAWN else name, entry)
        return True

    def config_for(self, key: str) -> RunConfig:
        """The window's config on the data of entry `key`."""
        config = self.window.config
        if key in self.opened:
            return with_source(config, **self.opened[key][1])
        return with_source(config, dataset=key, data_dir=str(self.cat_dir() or "") or None)
