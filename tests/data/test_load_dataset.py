"""load_dataset: the one entry point the CLI and the UI call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dnnviz.data import DataError, load_dataset, make_dataset


def test_cat_from_data_dir(cat_dir: Path) -> None:
    ds = load_dataset("cat", data_dir=cat_dir)
    assert ds.name == "cat" and (ds.m_train, ds.m_test) == (209, 50)


def test_cat_from_the_environment(cat_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DNNVIZ_DATA_DIR", str(cat_dir))
    assert load_dataset("cat").m_train == 209


def test_cat_not_found_says_how_to_fix_it(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DNNVIZ_DATA_DIR", raising=False)
    with pytest.raises(DataError, match=r"not found \(no folder given\); pass --data-dir "
                                        r"or set DNNVIZ_DATA_DIR"):
        load_dataset("cat")
    with pytest.raises(DataError, match=r"not found in .*empty; pass --data-dir"):
        load_dataset("cat", data_dir=tmp_path / "empty")


def test_explicit_files(small_pair: tuple[Path, Path]) -> None:
    ds = load_dataset(None, train_file=small_pair[0], test_file=small_pair[1])
    assert ds.m_train == 12 and ds.name == "cat"
    assert load_dataset("mine", train_file=small_pair[0], test_file=small_pair[1]).name == "mine"
    # A built-in name (say a CLI default) does not relabel a file pair.
    assert load_dataset("flower", train_file=small_pair[0],
                        test_file=small_pair[1]).name == "cat"


def test_one_file_alone_is_an_error(small_pair: tuple[Path, Path]) -> None:
    with pytest.raises(DataError, match=r"both a train file and a test file"):
        load_dataset(None, train_file=small_pair[0])
    with pytest.raises(DataError, match=r"both a train file and a test file"):
        load_dataset("cat", test_file=small_pair[1])


def test_builtin_names_pass_their_parameters() -> None:
    ds = load_dataset("spiral", n_samples=40, noise=0.0, seed=7)
    expected = make_dataset("spiral", n_samples=40, noise=0.0, seed=7)
    assert np.array_equal(ds.X_train, expected.X_train)
    assert np.array_equal(ds.Y_test, expected.Y_test)


def test_unknown_and_missing_names() -> None:
    with pytest.raises(DataError, match=r"unknown data set 'dogs'"):
        load_dataset("dogs")
    with pytest.raises(DataError, match=r"no data set given; choose one of: cat, flower"):
        load_dataset(None)
