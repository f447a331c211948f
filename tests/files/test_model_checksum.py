"""Model files carry a checksum of what they hold: loading refuses a part missing, added or
changed (an Adam file without optimizer/s or without its optimizer group, a flipped bit),
naming it; files from before checksums load with one line of warning."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
from fault_helpers import dnnviz, one_error_line, python
from test_outputs_apart import small_model

from dnnviz.training.persist import ModelFileError, read_model


@pytest.fixture
def adam(tmp_path):
    path = tmp_path / "m.h5"
    small_model(path, optimizer="adam", dataset="moons", hidden=(4, 3))
    return path


def refused_naming(path, *words) -> str:
    with pytest.raises(ModelFileError) as caught:
        read_model(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert all(w in message for w in words), message
    return message


@pytest.mark.parametrize("part, words", [
    ("optimizer/s", "'optimizer/s' is missing"),
    ("optimizer", "'optimizer' is missing"),
    ("optimizer/v_before", "'optimizer/v_before' is missing"),
    ("last_step", "'last_step' is missing"),
    ("drawn_points", None),  # never written for generated data: nothing to remove
    ("distributions", "'distributions' is missing"),
])
def test_a_part_removed_from_a_model_is_named(adam, part, words):
    with h5py.File(adam, "r+") as f:
        if part not in f:
            assert words is None
            return
        del f[part]
    line = one_error_line(dnnviz("train", "--load-model", str(adam)))
    assert words in line and "the file was changed or damaged" in line


def test_a_changed_data_seed_is_named(adam):
    with h5py.File(adam, "r+") as f:
        assert f.attrs["data_seed"] == 0
        f.attrs["data_seed"] = 524288
    refused_naming(adam, "attribute 'data_seed' does not match its checksum")


def test_a_bit_flipped_on_disk_is_found(adam):
    with h5py.File(adam, "r") as f:
        offset = f["parameters/W1"].id.get_offset()
    data = bytearray(adam.read_bytes())
    data[offset + 3] ^= 0x08
    adam.write_bytes(bytes(data))
    refused_naming(adam, "'parameters/W1' does not match its checksum")


def every_part(path) -> list[str]:
    names = []
    with h5py.File(path, "r") as f:
        names += [f"@{a}" for a in f.attrs if a not in ("checksum", "contents")]
        f.visititems(lambda name, node: names.append(name))
        f.visititems(lambda name, node: names.extend(f"{name}@{a}" for a in node.attrs))
    return sorted(names)


def test_every_part_changed_or_removed_is_refused_naming_it(adam, tmp_path):
    original = adam.read_bytes()
    parts = every_part(adam)
    assert {"parameters/W1", "optimizer/s/dW1", "@data_seed", "optimizer@t"} <= set(parts)
    for part in parts:
        for change in ("remove", "change"):
            adam.write_bytes(original)
            with h5py.File(adam, "r+") as f:
                owner, _, attr = part.partition("@")
                node = f[owner] if owner else f
                if change == "remove" and attr:
                    del node.attrs[attr]
                elif change == "remove":
                    del f[part]
                elif attr:
                    value = node.attrs[attr]
                    node.attrs[attr] = (value + "x" if isinstance(value, str)
                                        else np.asarray(value) + 1)
                elif isinstance(node, h5py.Dataset):
                    node[...] = np.asarray(node[()]) + 1
                else:
                    node.attrs["added"] = 1
            leaf = (attr or part).rsplit("/", 1)[-1]
            with pytest.raises(ModelFileError) as caught:
                read_model(adam)
            message = str(caught.value)  # the checksum names the part; a field check
            assert "\n" not in message, message  # before it (a shape, a range) says why
            assert "checksum" not in message or leaf in message or "added" in message, \
                (part, change, message)


def test_a_part_added_is_refused(adam):
    with h5py.File(adam, "r+") as f:
        f["parameters_backup"] = np.zeros(3)
    refused_naming(adam, "'parameters_backup' is not in its checksum")


def test_a_changed_list_of_contents_is_refused(adam):
    with h5py.File(adam, "r+") as f:
        f.attrs["contents"] = f.attrs["contents"].replace('"', "'", 1)
    refused_naming(adam, "the list of its contents does not match its checksum")


def test_a_version_3_file_without_its_checksum_is_refused(adam):
    with h5py.File(adam, "r+") as f:
        del f.attrs["checksum"]
    refused_naming(adam, "missing attribute 'checksum'")


def test_a_file_from_before_checksums_loads_with_one_warning(adam, tmp_path):
    with h5py.File(adam, "r+") as f:
        del f.attrs["checksum"], f.attrs["contents"]
        f.attrs["version"] = 2
    assert "has no checksum (model format version 2" in read_model(adam).warning
    done = dnnviz("train", "--load-model", str(adam), "--iterations", "1",
                  "--print-every", "0")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"dnnviz train: warning: {adam} has no checksum (model format version 2, from before "
        "checksums): its contents are not verified; save it again to add one"]


def test_a_saved_model_verifies_and_continues(adam):
    assert read_model(adam).warning is None
    assert dnnviz("train", "--load-model", str(adam), "--iterations", "1").returncode == 0


def test_big_text_in_a_model_is_refused_before_it_is_read(adam):
    """A 1 MB-strings distributions dataset (160 KB compressed) is refused from its
    metadata: the check runs under a memory limit far below what reading would take."""
    with h5py.File(adam, "r+") as f:
        del f["distributions/W_pct"]
        f.create_dataset("distributions/W_pct", shape=(2650,), dtype="S1000000",
                         compression="gzip", chunks=(1,))
    done = python(
        "import resource, sys\n"
        "from dnnviz.training.persist import read_model, ModelFileError\n"
        "limit = 1 << 30\n"
        "resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))\n"
        "try: read_model(sys.argv[1])\n"
        "except ModelFileError as exc: print(exc)\n", str(adam))
    assert done.returncode == 0, done.stderr
    assert "dataset 'distributions/W_pct' holds text or objects (|S1000000)" in done.stdout


def test_a_huge_attribute_is_refused_before_it_is_read(adam):
    with h5py.File(adam, "r+", libver="latest") as f:  # dense storage: big attributes
        f.create_group("notes").attrs.create("text", np.zeros(200_000, np.float64))
    refused_naming(adam, "attribute 'notes@text' is over 64 KiB")
