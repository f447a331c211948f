"""K classes in every source: h5 files with K labels and list_classes (the SIGNS layout), CSV
points labelled 0..K-1, picture folders of K sub-folders, --classes for blobs and spiral, and
the built-in digits; bad K-class input is one line."""

import gzip
from importlib import resources

import numpy as np
import pytest

from dnnviz.data import DataError, load_course_h5, load_dataset, make_dataset
from dnnviz.data.dataset import check_labels


def test_an_h5_pair_with_six_classes_and_list_classes_loads_as_signs_does(write_h5):
    rng = np.random.default_rng(0)
    names = np.array([0, 1, 2, 3, 4, 5])  # the SIGNS files list their classes as numbers
    train = write_h5("train_signs.h5", train_set_x=rng.integers(0, 256, (24, 8, 8, 3)),
                     train_set_y=np.arange(24) % 6, list_classes=names)
    test = write_h5("test_signs.h5", test_set_x=rng.integers(0, 256, (6, 8, 8, 3)),
                    test_set_y=np.array([5, 4, 3, 2, 1, 0]), list_classes=names)
    data = load_course_h5(train, test)
    assert data.classes == ("0", "1", "2", "3", "4", "5") and data.n_classes == 6
    assert data.Y_test.tolist() == [[5, 4, 3, 2, 1, 0]]
    assert np.bincount(data.Y_train.ravel().astype(int)).tolist() == [4] * 6


def test_an_h5_class_with_no_training_example_is_one_line(write_h5):
    rng = np.random.default_rng(0)
    names = np.array([b"a", b"b", b"c"])
    train = write_h5("train.h5", train_set_x=rng.integers(0, 256, (4, 8, 8, 3)),
                     train_set_y=np.array([0, 1, 1, 0]), list_classes=names)
    test = write_h5("test.h5", test_set_x=rng.integers(0, 256, (2, 8, 8, 3)),
                    test_set_y=np.array([0, 2]), list_classes=names)
    with pytest.raises(DataError, match=r"train\.h5: class 2 \('c'\) of list_classes has no "
                                        r"training example$"):
        load_course_h5(train, test)
    test = write_h5("test2.h5", test_set_x=rng.integers(0, 256, (2, 8, 8, 3)),
                    test_set_y=np.array([0, 3]))
    train = write_h5("train2.h5", train_set_x=rng.integers(0, 256, (4, 8, 8, 3)),
                     train_set_y=np.array([0, 1, 2, 0]))
    with pytest.raises(DataError, match=r"test2\.h5: label 3 but the training labels are 0 to 2"):
        load_course_h5(train, test)


def test_csv_points_with_three_labels_make_three_classes(tmp_path):
    rows = "".join(f"{i},{i % 7},{i % 3}\n" for i in range(30))
    path = tmp_path / "three.csv"
    path.write_text("x1,x2,label\n" + rows)
    data = load_dataset(None, points_file=path)
    assert data.classes == ("class 0", "class 1", "class 2")
    for Y in (data.Y_train, data.Y_test):
        assert set(Y.ravel()) == {0.0, 1.0, 2.0}  # every class in both splits


@pytest.mark.parametrize("labels, words", [
    ([0, 1, 3, 3], "labels skip 2: classes are numbered 0 to 3, each with some examples"),
    ([0, 0], "needs examples of at least two classes (labels 0 and 1), found only label 0"),
    ([0, 1, 50], "label 50 means 51 classes; dnnviz takes at most 50"),
    ([0, 1, 1.5], "labels must be whole numbers 0, 1, 2, ..., not 1.5"),
    ([0, -1, 1], "labels must be whole numbers 0, 1, 2, ..., not -1"),
])
def test_bad_labels_are_one_line(labels, words):
    with pytest.raises(DataError) as info:
        check_labels(np.array(labels, dtype=float), "mine")
    assert str(info.value) == f"mine: {words}"


def test_a_picture_folder_with_three_sub_folders_has_three_classes(tmp_path):
    for name in ("ants", "bees", "cats"):
        (tmp_path / name).mkdir()
        for i in range(3):
            (tmp_path / name / f"{name}{'x' * i}.png").write_bytes(b"")
    shade = {"ants": 10, "bees": 120, "cats": 240}

    def decode(path, shape):
        return np.full(shape, shade[path.split("/")[-2]], dtype=np.uint8)

    data = load_dataset(None, image_folder=tmp_path, decode=decode)
    assert data.classes == ("ants", "bees", "cats")
    X = np.hstack([data.X_train, data.X_test])
    Y = np.hstack([data.Y_train, data.Y_test]).ravel()
    for label, name in enumerate(data.classes):  # each picture keeps its folder's label
        assert np.allclose(X[:, Y == label], shade[name] / 255)


@pytest.mark.parametrize("name", ["blobs", "spiral"])
def test_generated_sets_take_k_classes_and_two_stays_the_lesson(name):
    data = make_dataset(name, n_classes=5, n_samples=100, seed=2)
    assert data.n_classes == 5
    assert np.bincount(data.Y_train.ravel().astype(int)).tolist() == [15] * 5
    assert np.bincount(data.Y_test.ravel().astype(int)).tolist() == [5] * 5
    two, lesson = make_dataset(name, n_classes=2, seed=2), make_dataset(name, seed=2)
    assert two.X_train.tobytes() == lesson.X_train.tobytes()


def test_spiral_arms_are_turned_by_a_kth_of_a_circle():
    data = make_dataset("spiral", n_classes=4, noise=0.0, n_samples=400)
    X, Y = data.X_train, data.Y_train.ravel()
    r = np.hypot(*X)
    angle = np.arctan2(X[0], X[1]) - 2 * np.pi * r  # t = 2 pi u + 2 pi j / K, u = r
    arm = np.round(np.mod(angle, 2 * np.pi) / (np.pi / 2)) % 4
    assert np.array_equal(arm, Y)


@pytest.mark.parametrize("kwargs, words", [
    (dict(name="moons", n_classes=3), "'moons' has 2 classes; --classes is for spiral and blobs"),
    (dict(name="blobs", n_classes=51), "between 2 and 50, got 51"),
    (dict(name="spiral", n_classes=10, n_samples=19), "19 points cannot make 10 classes"),
    (dict(name="digits", n_classes=3), "'digits' has 10 classes"),
])
def test_bad_class_counts_are_one_line(kwargs, words):
    with pytest.raises(DataError, match=words):
        make_dataset(**kwargs)


def test_the_digits_are_the_uci_pictures_shipped_with_the_package():
    raw = resources.files("dnnviz.data").joinpath("digits.csv.gz").read_bytes()
    rows = np.loadtxt(gzip.decompress(raw).decode().splitlines(), delimiter=",")
    data = make_dataset("digits")
    assert data.image_shape == (8, 8, 1) and data.classes == tuple("0123456789")
    assert data.m_train + data.m_test == 1797 == rows.shape[0]
    # every picture is a row of the file, counts / 16, with its digit
    X = np.hstack([data.X_train, data.X_test]).T * 16
    Y = np.hstack([data.Y_train, data.Y_test]).ravel()
    order = np.lexsort(X.T[::-1])
    file_order = np.lexsort(rows[:, :64].T[::-1])
    assert np.array_equal(X[order], rows[file_order, :64])
    assert np.array_equal(Y[order], rows[file_order, 64])
    assert X.max() == 16 and X.min() == 0
