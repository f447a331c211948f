"""The course loader on the real course files and on other files of the same layout."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from dnnviz.data import DataError, course_files, default_data_dir, load_course_h5

TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"


def lesson_arrays(path: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """What the lesson computes, read independently: X (n_x, m) and Y (1, m)."""
    with h5py.File(path, "r") as f:
        x = np.array(f[f"{split}_set_x"][:])
        y = np.array(f[f"{split}_set_y"][:])
    return x.reshape(x.shape[0], -1).T / 255., y.reshape((1, y.shape[0]))


def test_course_files_load_with_the_lessons_shapes_and_values(cat_dir: Path) -> None:
    ds = load_course_h5(cat_dir / TRAIN_FILE, cat_dir / TEST_FILE)

    assert ds.name == "cat"
    assert ds.classes == ("non-cat", "cat")
    assert ds.image_shape == (64, 64, 3)
    assert ds.X_train.shape == (12288, 209) and ds.X_train.dtype == np.float64
    assert ds.Y_train.shape == (1, 209) and ds.Y_train.dtype == np.float64
    assert ds.X_test.shape == (12288, 50)
    assert ds.Y_test.shape == (1, 50)
    for split, X, Y in (("train", ds.X_train, ds.Y_train), ("test", ds.X_test, ds.Y_test)):
        X_ref, Y_ref = lesson_arrays(cat_dir / f"{split}_catvnoncat.h5", split)
        assert np.array_equal(X, X_ref)                     # bit for bit, not approximately
        assert np.array_equal(Y, Y_ref)


def test_course_train_set_has_72_cats(cat_dir: Path) -> None:
    with h5py.File(cat_dir / TRAIN_FILE, "r") as f:
        assert int(np.sum(f["train_set_y"][:])) == 72
    ds = load_course_h5(cat_dir / TRAIN_FILE, cat_dir / TEST_FILE)
    assert ds.Y_train.sum() == 72.0
    assert set(np.unique(ds.Y_train)) == {0.0, 1.0}


def test_images_undo_the_flattening(cat_dir: Path) -> None:
    ds = load_course_h5(cat_dir / TRAIN_FILE, cat_dir / TEST_FILE)
    with h5py.File(cat_dir / TEST_FILE, "r") as f:
        x = f["test_set_x"][:]
    assert np.array_equal(ds.images("test") * 255, x.astype(np.float64))


def test_course_files_finds_the_pair(cat_dir: Path, tmp_path: Path) -> None:
    assert course_files(cat_dir) == (cat_dir / TRAIN_FILE, cat_dir / TEST_FILE)
    assert course_files(str(cat_dir)) == (cat_dir / TRAIN_FILE, cat_dir / TEST_FILE)
    assert course_files(tmp_path) is None
    assert course_files(tmp_path / "missing") is None
    assert course_files(None) is None


def test_default_data_dir_reads_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.delenv("DNNVIZ_DATA_DIR", raising=False)
    assert default_data_dir() is None
    monkeypatch.setenv("DNNVIZ_DATA_DIR", "")
    assert default_data_dir() is None
    monkeypatch.setenv("DNNVIZ_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path


def test_other_layout_loads_with_its_own_classes_and_name(write_h5, make_images,
                                                          make_labels) -> None:
    classes = np.array([b"dog", b"car"])
    x_train, y_train = make_images(10, size=32), make_labels(10)
    train = write_h5("pets_train.h5", pets_set_x=x_train, pets_set_y=y_train,
                     list_classes=classes)
    test = write_h5("pets_test.h5", pets_set_x=make_images(4, size=32, seed=5),
                    pets_set_y=make_labels(4), list_classes=classes)

    ds = load_course_h5(train, test)

    assert ds.name == "pets_train"
    assert ds.classes == ("dog", "car")
    assert ds.image_shape == (32, 32, 3)
    assert ds.X_train.shape == (3072, 10) and ds.X_test.shape == (3072, 4)
    assert np.array_equal(ds.X_train, x_train.reshape(10, -1).T / 255)
    assert np.array_equal(ds.Y_train, y_train.reshape(1, 10).astype(np.float64))
    assert load_course_h5(train, test, name="pets").name == "pets"


def test_grey_images_get_one_channel_and_classes_default(write_h5, make_images,
                                                         make_labels) -> None:
    train = write_h5("train_grey.h5", train_set_x=make_images(6, channels=None),
                     train_set_y=make_labels(6))
    test = write_h5("test_grey.h5", test_set_x=make_images(3, channels=None, seed=4),
                    test_set_y=make_labels(3).reshape(1, 3))       # (1, m) labels are fine

    ds = load_course_h5(train, test)

    assert ds.image_shape == (8, 8, 1)
    assert ds.X_train.shape == (64, 6) and ds.Y_test.shape == (1, 3)
    assert ds.classes == ("class 0", "class 1")
    assert ds.images().shape == (6, 8, 8, 1)


def test_float_images_are_scaled_like_the_lesson(write_h5, make_labels) -> None:
    x = np.random.default_rng(0).uniform(0, 255, (5, 4, 4, 3)).astype(np.float32)
    train = write_h5("train_f.h5", train_set_x=x, train_set_y=make_labels(5))
    test = write_h5("test_f.h5", test_set_x=x[:2], test_set_y=make_labels(2))

    ds = load_course_h5(train, test)

    assert ds.X_train.dtype == np.float64
    assert np.array_equal(ds.X_train, x.astype(np.float64).reshape(5, -1).T / 255)


def test_small_pair_loads(small_pair: tuple[Path, Path]) -> None:
    ds = load_course_h5(*small_pair)
    assert (ds.m_train, ds.m_test, ds.n_x) == (12, 6, 192)
    assert ds.name == "cat" and ds.is_image and not ds.is_planar


def test_string_paths_are_accepted(small_pair: tuple[Path, Path]) -> None:
    ds = load_course_h5(str(small_pair[0]), str(small_pair[1]))
    assert ds.m_train == 12


def test_dataset_checks_its_shapes() -> None:
    from dnnviz.data import Dataset

    X, Y = np.zeros((2, 5)), np.zeros((1, 5))
    with pytest.raises(DataError, match=r"train arrays have shapes"):
        Dataset("bad", X, np.zeros((1, 4)), X, Y)
    with pytest.raises(DataError, match=r"features per example"):
        Dataset("bad", X, Y, np.zeros((3, 5)), Y)
    with pytest.raises(DataError, match=r"image_shape"):
        Dataset("bad", X, Y, X, Y, image_shape=(2, 2, 1))
    with pytest.raises(DataError, match=r"points, not images"):
        Dataset("ok", X, Y, X, Y).images()
