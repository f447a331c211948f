"""`dnnviz template`: a file to write the lesson in, every body `raise NotImplementedError`."""

from __future__ import annotations

import textwrap

from dnnviz.student.spec import LESSON

HEADER = '''\
"""Building a deep neural network, step by step: your own implementation.

Replace each `raise NotImplementedError` with your code, then check it:

    dnnviz check my_dnn.py          # which function is wrong, and how
    dnnviz --student my_dnn.py      # watch your network learn beside dnnviz's

Keep the names and the parameters as they are: dnnviz finds your functions by their names
(or `--name COURSE=YOURS`). The course gives the first four in dnn_utils.py: write them
here, or delete them and dnnviz uses its own.
"""

import numpy as np
'''


def template_text() -> str:
    """The template's source: the lesson's signatures and docstrings, no bodies."""
    parts = [HEADER]
    for f in LESSON:
        doc = textwrap.indent(textwrap.dedent(f.doc), "    ")
        parts.append(f'\n\ndef {f.name}({", ".join(f.params)}):\n    """\n{doc}\n    """\n'
                     "    raise NotImplementedError\n")
    return "".join(parts)
