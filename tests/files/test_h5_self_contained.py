"""Every h5 dnnviz reads is self-contained: external links, soft links, external raw
storage (another file's bytes, /dev/zero, a named pipe) and virtual datasets are refused,
naming the dataset, in model files and in course data alike; nothing outside is read."""

from __future__ import annotations

import os

import h5py
import numpy as np
import pytest
from fault_helpers import dnnviz, one_error_line
from test_inputs import small_pair
from test_outputs_apart import small_model

from dnnviz.data import DataError, load_course_h5
from dnnviz.training.persist import ModelFileError, read_model


def outside(tmp_path, kind: str) -> str:
    """A file outside the h5 that an external dataset could read."""
    if kind == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
        return str(path)
    if kind == "zero":
        return "/dev/zero"
    path = tmp_path / "secret.txt"
    path.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" * 200)
    return str(path)


def replace(h5: h5py.File, key: str, how: str, tmp_path) -> None:
    """Replace dataset `key` by the same values reached in another way (`how`)."""
    value = np.asarray(h5[key])
    del h5[key]
    if how == "external link":
        other = tmp_path / "other.h5"
        with h5py.File(other, "a") as f:
            f[key] = value
        h5[key] = h5py.ExternalLink(str(other), key)
    elif how == "soft link":
        h5[f"hidden_{key.replace('/', '_')}"] = value
        h5[key] = h5py.SoftLink(f"/hidden_{key.replace('/', '_')}")
    elif how == "dangling soft link":
        h5[key] = h5py.SoftLink("/nowhere")
    elif how == "virtual":
        other = tmp_path / "source.h5"
        with h5py.File(other, "a") as f:
            f["data"] = value
        layout = h5py.VirtualLayout(shape=value.shape, dtype=value.dtype)
        layout[...] = h5py.VirtualSource(str(other), "data", shape=value.shape)
        h5.create_virtual_dataset(key, layout)
    else:  # external raw storage on a file, /dev/zero or a FIFO
        h5.create_dataset(key, shape=value.shape, dtype=value.dtype,
                          external=[(outside(tmp_path, how), 0, value.nbytes)])


HOWS = ["external link", "soft link", "dangling soft link", "virtual", "file", "zero", "fifo"]
WORDS = {"external link": "is an external link", "soft link": "is a soft link",
         "dangling soft link": "is a soft link", "virtual": "is a virtual dataset",
         "file": "keeps its data in another file", "zero": "another file (/dev/zero)",
         "fifo": "keeps its data in another file"}


@pytest.mark.parametrize("key", ["parameters/W1", "costs", "optimizer/s/dW1"])
@pytest.mark.parametrize("how", HOWS)
def test_a_model_reaching_outside_is_refused_naming_the_dataset(tmp_path, how, key):
    model = tmp_path / "m.h5"
    small_model(model, optimizer="adam")
    with h5py.File(model, "a") as f:
        replace(f, key, how, tmp_path)
    done = dnnviz("train", "--load-model", str(model))  # a FIFO: a hang fails by timeout
    line = one_error_line(done)
    assert f"{model}: {key!r} " in line or f"dataset {key!r} " in line, line
    assert WORDS[how] in line


@pytest.mark.parametrize("key", ["train_set_x", "train_set_y"])
@pytest.mark.parametrize("how", HOWS)
def test_course_data_reaching_outside_is_refused(tmp_path, how, key):
    train, test = small_pair(tmp_path)
    with h5py.File(train, "a") as f:
        replace(f, key, how, tmp_path)
    with pytest.raises(DataError) as caught:
        load_course_h5(train, test)
    assert WORDS[how] in str(caught.value) and repr(key) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_command_line_refuses_external_course_data(tmp_path):
    train, test = small_pair(tmp_path)
    with h5py.File(test, "a") as f:
        replace(f, "test_set_x", "fifo", tmp_path)
    done = dnnviz("train", "--train-file", str(train), "--test-file", str(test),
                  "--hidden", "2", "--iterations", "1")
    assert "'test_set_x' keeps its data in another file" in one_error_line(done)


def test_an_external_link_in_an_unread_group_is_refused_too(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model)
    with h5py.File(model, "a") as f:
        f["extra/deep/link"] = h5py.ExternalLink("/etc/hostname", "/x")
    with pytest.raises(ModelFileError, match=r"'extra/deep/link' is an external link"):
        read_model(model)


def test_a_group_linked_into_itself_is_refused_not_walked_for_ever(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model)
    with h5py.File(model, "a") as f:
        f["loop/again"] = f["loop"] if "loop" in f else f.create_group("loop")
    with pytest.raises(ModelFileError, match=r"(nested more than|more than 10,000 objects)"):
        read_model(model)


def test_a_plain_model_and_course_pair_still_load(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model, optimizer="adam")
    assert read_model(model).iteration == 2
    train, test = small_pair(tmp_path)
    assert load_course_h5(train, test).m_train == 4
