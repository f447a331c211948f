"""Every kind of bad file gives a DataError of one line naming the file and the problem."""

from __future__ import annotations

import re
from pathlib import Path

import h5py
import numpy as np
import pytest

from dnnviz.data import DataError, load_course_h5


def u8(*shape: int) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)


def ys(m: int) -> np.ndarray:
    return np.arange(m, dtype=np.int64) % 2


X4, Y4 = "train_set_x", "train_set_y"   # the keys a train file should have

# Each case builds a bad *train* file (the test file of small_pair stays valid) and gives
# the regex its message must match after "<path>: ".
BAD_TRAIN_FILES = [
    pytest.param({Y4: ys(4)}, r"missing key 'train_set_x' \(keys present: train_set_y\)",
                 id="missing x key"),
    pytest.param({X4: u8(4, 8, 8, 3), "list_classes": np.array([b"a", b"b"])},
                 r"missing key 'train_set_y' \(keys present: list_classes, train_set_x\)",
                 id="missing y key"),
    pytest.param({X4: u8(5, 8, 8, 3), Y4: ys(4)},
                 r"'train_set_x' has 5 examples but 'train_set_y' has 4 labels",
                 id="lengths differ"),
    pytest.param({X4: u8(4, 8, 8, 3), Y4: np.array([0, 1, 2, 1])},
                 r"label 2 but list_classes names only 2 classes", id="label 2"),
    pytest.param({X4: u8(4, 8, 8, 3), Y4: np.array([0, 1, 2.5, 1])},
                 r"labels in 'train_set_y' must be class numbers 0, 1, \.\.\. \(at most 49\), "
                 r"found 2\.5", id="label 2.5"),
    pytest.param({X4: u8(4, 8, 8, 3), Y4: np.array([0, 1, 50, 1])},
                 r"at most 49\), found 50", id="51 classes"),
    pytest.param({X4: u8(4, 8, 8, 3), Y4: np.array([0, 0, 2, 3])},
                 r"labels skip 1: classes are numbered 0 to 3", id="a skipped label"),
    pytest.param({X4: u8(3, 8, 8, 3), Y4: np.array([0, -1, 1])},
                 r"must be class numbers .*found -1", id="label -1"),
    pytest.param({X4: u8(2, 8, 8, 3), Y4: np.array([0.0, np.nan])},
                 r"must be class numbers .*found nan", id="NaN label"),
    pytest.param({X4: u8(0, 8, 8, 3), Y4: ys(0)}, r"zero examples", id="zero examples"),
    pytest.param({X4: np.where(u8(4, 8, 8, 3) > 250, np.nan, 1.0), Y4: ys(4)},
                 r"'train_set_x' contains NaN or infinite pixel values", id="NaN pixels"),
    pytest.param({X4: np.full((4, 8, 8, 3), np.inf), Y4: ys(4)},
                 r"contains NaN or infinite pixel values", id="inf pixels"),
    pytest.param({X4: u8(4, 192), Y4: ys(4)},
                 r"'train_set_x' of shape \(4, 192\) has 2 dimensions; expected", id="2-d x"),
    pytest.param({X4: u8(4, 2, 8, 8, 3), Y4: ys(4)}, r"has 5 dimensions", id="5-d x"),
    pytest.param({X4: u8(4, 8, 8, 3), Y4: np.zeros((2, 2))},
                 r"'train_set_y' of shape \(2, 2\) should be a list of labels", id="2-d y"),
    pytest.param({X4: np.array([b"ab", b"cd"]), Y4: ys(2)},
                 r"'train_set_x' holds \|S2 values, expected numbers", id="text pixels"),
    pytest.param({"a_set_x": u8(2, 8, 8, 3), "b_set_x": u8(2, 8, 8, 3), "a_set_y": ys(2)},
                 r"several keys end in '_set_x' \(a_set_x, b_set_x\)", id="ambiguous keys"),
    pytest.param({X4: u8(2, 8, 8, 3), Y4: ys(2), "list_classes": np.array([[b"a", b"b"]])},
                 r"'list_classes' of shape \(1, 2\) should hold 2 to 50 names", id="2-d classes"),
]


@pytest.mark.parametrize("arrays, problem", BAD_TRAIN_FILES)
def test_bad_train_file(arrays: dict, problem: str, write_h5,
                        small_pair: tuple[Path, Path]) -> None:
    path = write_h5("bad_train.h5", **arrays)
    assert_data_error(path, problem, path, small_pair[1])


def test_test_images_of_another_size(write_h5, small_pair: tuple[Path, Path]) -> None:
    test = write_h5("test_big.h5", test_set_x=u8(3, 16, 16, 3), test_set_y=ys(3))
    assert_data_error(test, r"test images are 16x16x3 but the train images in "
                            r"train_small\.h5 are 8x8x3", small_pair[0], test)


def test_test_images_with_other_channels(write_h5, small_pair: tuple[Path, Path]) -> None:
    test = write_h5("test_grey.h5", test_set_x=u8(3, 8, 8), test_set_y=ys(3))
    assert_data_error(test, r"test images are 8x8x1 but the train images", small_pair[0], test)


def test_classes_that_disagree(write_h5, small_pair: tuple[Path, Path]) -> None:
    test = write_h5("test_other.h5", test_set_x=u8(3, 8, 8, 3), test_set_y=ys(3),
                    list_classes=np.array([b"dog", b"car"]))
    assert_data_error(test, r"list_classes \('dog', 'car'\) differs from", small_pair[0], test)


def test_a_group_instead_of_an_array(tmp_path: Path, small_pair: tuple[Path, Path]) -> None:
    path = tmp_path / "grouped.h5"
    with h5py.File(path, "w") as f:
        f.create_group("train_set_x")
        f.create_dataset("train_set_y", data=ys(2))
    assert_data_error(path, r"'train_set_x' is a group, not an array", path, small_pair[1])


def test_a_text_file(tmp_path: Path, small_pair: tuple[Path, Path]) -> None:
    path = tmp_path / "notes.h5"
    path.write_text("these are not pictures\n")
    assert_data_error(path, r"not a readable HDF5 file \(.+\)$", path, small_pair[1])


def test_an_empty_file(tmp_path: Path, small_pair: tuple[Path, Path]) -> None:
    path = tmp_path / "empty.h5"
    path.write_bytes(b"")
    assert_data_error(path, r"not a readable HDF5 file", small_pair[0], path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_a_truncated_file(fraction: float, tmp_path: Path,
                          small_pair: tuple[Path, Path]) -> None:
    data = small_pair[0].read_bytes()
    path = tmp_path / "truncated.h5"
    path.write_bytes(data[: int(len(data) * fraction)])
    assert_data_error(path, r"not a readable HDF5 file", path, small_pair[1])


def test_a_directory(tmp_path: Path, small_pair: tuple[Path, Path]) -> None:
    folder = tmp_path / "folder.h5"
    folder.mkdir()
    assert_data_error(folder, r"is a folder, not an h5 file", small_pair[0], folder)


def test_a_missing_path(tmp_path: Path, small_pair: tuple[Path, Path]) -> None:
    path = tmp_path / "nowhere" / "train.h5"
    assert_data_error(path, r"no such file", path, small_pair[1])


def assert_data_error(bad: Path, problem: str, train: Path, test: Path) -> None:
    """load_course_h5(train, test) raises a one-line DataError '<bad path>: ...<problem>...'."""
    with pytest.raises(DataError) as info:
        load_course_h5(train, test)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{bad}: "), message
    assert re.search(problem, message[len(str(bad)) + 2:]), message
