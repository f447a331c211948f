"""Saving respects the file system: symlinks, modes, owners, special and read-only files."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys

import pytest

from dnnviz.files import SaveError, check_distinct, write_text
from dnnviz.files.writing import HOST_TAG, TEMP_NAME, temp_name


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_save_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    target, link = tmp_path / "real" / "run.csv", tmp_path / "links" / "run.csv"
    target.write_text("old\n")
    link.symlink_to(os.path.join("..", "real", "run.csv"))  # relative, as ln -s makes them
    write_text(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"
    assert names(tmp_path / "real") == ["run.csv"] and names(tmp_path / "links") == ["run.csv"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "latest.json"
    link.symlink_to("runs-1.json")
    write_text(link, "{}\n")
    assert link.is_symlink() and (tmp_path / "runs-1.json").read_text() == "{}\n"


@pytest.mark.parametrize("old_mode", [0o640, 0o604, 0o660])
def test_an_existing_file_keeps_its_mode(tmp_path, old_mode):
    path = tmp_path / "report.json"
    path.write_text("old")
    path.chmod(old_mode)
    write_text(path, "new")
    assert path.read_text() == "new" and mode(path) == old_mode


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        write_text(tmp_path / "new.csv", "x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.csv") == expected


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_root_replacing_a_users_file_leaves_it_theirs(tmp_path):
    path = tmp_path / "model.csv"
    path.write_text("old")
    os.chown(path, 65534, 65534)
    write_text(path, "new")
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (65534, 65534) and path.read_text() == "new"


@pytest.mark.parametrize("old_mode", [0o444, 0o400, 0o555])
def test_a_read_only_file_is_refused_even_for_root(tmp_path, old_mode):
    path = tmp_path / "keep.h5"
    path.write_text("precious")
    path.chmod(old_mode)
    with pytest.raises(SaveError, match=r"cannot save .*keep\.h5: it is read-only$"):
        write_text(path, "replaced")
    assert path.read_text() == "precious" and names(tmp_path) == ["keep.h5"]


def _fifo(path):
    os.mkfifo(path)
    return "a named pipe"


def _socket(path):
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()
    return "a socket"


def _device(path):
    try:  # a /dev/null of our own: replacing it by mistake would harm nothing
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("only root can make a device node")
    return "a device"


@pytest.mark.parametrize("make", [_fifo, _socket, _device])
def test_special_files_are_refused_and_stay_what_they_are(tmp_path, make):
    path = tmp_path / "out"
    kind = make(path)
    before = os.stat(path)
    with pytest.raises(SaveError, match=f"cannot save .*out: it is {kind}"):
        write_text(path, "text")
    after = os.stat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert names(tmp_path) == ["out"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")
def test_a_link_to_an_open_stream_is_refused(tmp_path):
    """/dev/stdout with stdout sent to a file must not replace that file."""
    log = tmp_path / "log.txt"
    with open(log, "w") as stream:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{stream.fileno()}")
        inode = os.stat(log).st_ino
        with pytest.raises(SaveError, match=r"it is a process's open file"):
            write_text(link, "costs")
    assert os.stat(log).st_ino == inode and log.read_text() == ""


def test_a_file_name_of_250_characters_saves(tmp_path):
    path = tmp_path / ("n" * 246 + ".csv")
    write_text(path, "1\n")
    assert path.read_text() == "1\n" and names(tmp_path) == [path.name]
    assert len(temp_name()) < 64


def test_two_outputs_on_one_file_are_refused(tmp_path):
    (tmp_path / "m.h5").write_text("")
    os.link(tmp_path / "m.h5", tmp_path / "hard.h5")
    (tmp_path / "soft.h5").symlink_to("m.h5")
    m = str(tmp_path / "m.h5")
    for other in (m, str(tmp_path / "hard.h5"), str(tmp_path / "soft.h5"),
                  str(tmp_path / "sub" / ".." / "m.h5")):
        with pytest.raises(SaveError, match=r"--save-model and --report would both write to"):
            check_distinct({"--save-model": m, "--report": other})
    with pytest.raises(SaveError, match=r"both write to standard output"):
        check_distinct({"--export-costs": "-", "--report": "-"})
    check_distinct({"--save-model": m, "--report": str(tmp_path / "r.json"),
                    "--export-costs": "-"})


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_dead_saves_are_removed_by_the_next_save_there(tmp_path):
    dead = tmp_path / f".dnnviz-{HOST_TAG}-{_dead_pid()}-0badcafe.tmp"
    alive = tmp_path / f".dnnviz-{HOST_TAG}-{os.getppid()}-0badcafe.tmp"
    other_host = tmp_path / f".dnnviz-{'f' if HOST_TAG[0] != 'f' else 'e'}{HOST_TAG[1:]}" \
        f"-{_dead_pid()}-0badcafe.tmp"
    mine = tmp_path / ".dnnviz-notes.tmp"
    for path in (dead, alive, other_host, mine):
        assert path is mine or TEMP_NAME.fullmatch(path.name)
        path.write_text("partial")
    write_text(tmp_path / "report.json", "{}")
    assert names(tmp_path) == sorted([alive.name, other_host.name, mine.name, "report.json"])
