"""Your own data: points from a CSV or drawn, pictures from a folder; input features."""

import numpy as np
import pytest

from dnnviz.data import (
    DataError,
    apply_features,
    load_dataset,
    load_picture_folder,
    load_points_csv,
    parse_features,
    points_dataset,
)
from dnnviz.data.own import PICTURE_SHAPE


def _csv(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _points(n=10):
    return [(float(i), float(-i), i % 2) for i in range(n)]


def test_a_csv_of_points_loads_with_or_without_a_header(tmp_path):
    rows = "".join(f"{x},{y},{c}\n" for x, y, c in _points())
    for text in ("x1,x2,label\n" + rows, rows, "# my points\n\n" + rows):
        data = load_points_csv(_csv(tmp_path, text))
        assert data.name == "mine" and data.is_planar and data.m_train + data.m_test == 10
        got = np.hstack([data.X_train, data.X_test])
        labels = np.hstack([data.Y_train, data.Y_test]).ravel()
        for x, y, c in _points():  # every point, with its own label
            column = np.flatnonzero((got[0] == x) & (got[1] == y))
            assert len(column) == 1 and labels[column[0]] == c


def test_points_split_by_the_fraction_with_both_classes_in_both_splits():
    data = points_dataset(_points(40), name="p", test_fraction=0.5, seed=3)
    assert data.m_test == 20
    for Y in (data.Y_train, data.Y_test):
        assert set(Y.ravel()) == {0.0, 1.0}
    again = points_dataset(_points(40), name="p", test_fraction=0.5, seed=3)
    other = points_dataset(_points(40), name="p", test_fraction=0.5, seed=4)
    assert again.X_test.tobytes() == data.X_test.tobytes() != other.X_test.tobytes()


@pytest.mark.parametrize("text, words", [
    ("", "no points (expected lines x1,x2,label)"),
    ("x1,x2,label\n", "no points"),
    ("1,2,1\n3,4\n", "line 2: expected x1,x2,label (three numbers), not '3,4'"),
    ("1,2,1\n3,four,0\n", "line 2: expected x1,x2,label"),
    ("1,2,1\n3,4,2.5\n", "line 2: the label must be a class number 0, 1, ... (at most 49), "
                         "not '2.5'"),
    ("1,2,0\n3,4,50\n", "line 2: the label must be a class number"),
    ("1,2,0\n3,4,2\n5,6,0\n7,8,2\n", "labels skip 1: classes are numbered 0 to 2"),
    ("1,2,0\n3,4,0\n", "needs points of at least two classes (labels 0 and 1), found only "
                      "label 0"),
    ("1,2,1\n3,4,1\n", "needs at least 2 points of each class"),
    ("1,2,1\n3,inf,0\n", "line 2: coordinates must be finite numbers"),
    ("1,2,1\n3,4,1\n5,6,0\n7,8,1\n", "needs at least 2 points of each class"),
])
def test_a_bad_csv_is_one_line_naming_the_file(tmp_path, text, words):
    path = _csv(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_points_csv(path)
    message = str(info.value)
    assert "\n" not in message and str(path.stem) in message and words in message


def test_a_csv_that_is_not_a_file_or_not_text_is_refused(tmp_path):
    with pytest.raises(DataError, match="is a folder"):
        load_points_csv(tmp_path)
    path = tmp_path / "b.csv"
    path.write_bytes(b"\xff\xfe1,2,3")
    with pytest.raises(DataError, match="not a text file"):
        load_points_csv(path)


def test_drawn_points_need_two_of_each_class():
    with pytest.raises(DataError, match="drawn: needs at least 2 points of each class.*"
                                        "it has 1 of class 0 and 3 of class 1"):
        load_dataset(None, drawn_points=[(0, 0, 0), (1, 1, 1), (2, 2, 1), (3, 3, 1)])
    data = load_dataset(None, drawn_points=[(0, 0, 0), (1, 0, 0), (1, 1, 1), (2, 2, 1)])
    assert data.name == "drawn" and data.m_train == 2 and data.m_test == 2


# --- pictures --------------------------------------------------------------------------------

def shade(path, shape):
    """A stand-in decoder: a picture as light as the digit in its name (9: unreadable)."""
    digit = int(str(path)[-5])
    if digit == 9:
        raise ValueError(f"{path}: not a readable picture (damaged)")
    return np.full(shape, 20 * digit, dtype=np.uint8)


def _folder(tmp_path, classes=None):
    classes = {"cats": [1, 2, 3], "dogs": [4, 5, 6]} if classes is None else classes
    root = tmp_path / "pets"
    root.mkdir()
    for name, digits in classes.items():
        (root / name).mkdir()
        for i, digit in enumerate(digits):
            (root / name / f"p{i}_{digit}.png").write_bytes(b"")
    (root / "notes.txt").write_text("not a class")
    return root


def test_a_folder_of_pictures_gives_the_courses_columns(tmp_path):
    data = load_picture_folder(_folder(tmp_path), shade, test_fraction=0.34, seed=0)
    assert data.classes == ("cats", "dogs") and data.image_shape == PICTURE_SHAPE
    assert data.n_x == 64 * 64 * 3 and data.m_train + data.m_test == 6
    X = np.hstack([data.X_train, data.X_test])
    Y = np.hstack([data.Y_train, data.Y_test]).ravel()
    shades = X[0] * 255 / 20  # every pixel of a picture is its digit's grey, scaled by 1/255
    assert sorted(np.round(shades[Y == 0]).astype(int)) == [1, 2, 3]
    assert sorted(np.round(shades[Y == 1]).astype(int)) == [4, 5, 6]
    picture = data.images("train")[0]  # the course's flattening undone
    assert picture.shape == PICTURE_SHAPE and np.all(picture == picture[0, 0, 0])


@pytest.mark.parametrize("classes, words", [
    ({}, "needs one sub-folder per class, 2 to 50 classes; found none"),
    ({"cats": [1, 2]}, "found 1 (cats)"),
    ({f"c{k:02}": [1] for k in range(51)}, "found 51 (c00, c01, c02, c03, ...)"),
    ({"cats": [1, 2], "dogs": []}, "dogs: no pictures (.png, .jpg"),
    ({"cats": [1], "dogs": [2, 3]}, "needs at least 2 pictures of each class"),
    ({"cats": [1, 9, 2], "dogs": [9, 3]}, "2 pictures could not be read: cats/p1_9.png, "
                                          "dogs/p0_9.png"),
])
def test_a_bad_folder_is_one_line_naming_what_is_wrong(tmp_path, classes, words):
    with pytest.raises(DataError) as info:
        load_picture_folder(_folder(tmp_path, classes), shade)
    assert "\n" not in str(info.value) and words in str(info.value), str(info.value)


def test_a_missing_folder_or_a_file_is_refused(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_picture_folder(tmp_path / "nothing", shade)
    (tmp_path / "f.png").write_bytes(b"")
    with pytest.raises(DataError, match="is not a folder"):
        load_picture_folder(tmp_path / "f.png", shade)
    with pytest.raises(DataError, match="needs a picture decoder"):
        load_dataset(None, image_folder=str(tmp_path))


# --- input features --------------------------------------------------------------------------

def test_features_are_computed_from_the_points():
    X = np.array([[0.5, -2.0, 3.0], [1.5, 0.25, -1.0]])
    F = apply_features(X, ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin x1", "sin x2"))
    np.testing.assert_array_equal(F, [X[0], X[1], X[0] ** 2, X[1] ** 2, X[0] * X[1],
                                      np.sin(X[0]), np.sin(X[1])])
    assert apply_features(X) is X  # the lesson's input, untouched


def test_feature_names_are_read_kindly_and_kept_in_one_order():
    assert parse_features("sin(x2), X1*x2 ,x1") == ("x1", "x1x2", "sin x2")
    for bad, words in (("", "at least one"), ("x1,x3", "unknown input feature 'x3'"),
                       ("x1, X1", "'x1' is named twice")):
        with pytest.raises(DataError, match=words):
            parse_features(bad)
    with pytest.raises(DataError, match="for 2-D points"):
        apply_features(np.zeros((3, 4)), ("x1", "x1^2"))
