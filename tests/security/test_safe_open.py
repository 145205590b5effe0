"""The one opener: nothing outside the root, nothing but regular files, never a hang, never
a buffer sized from what the file system claims."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

import pytest

from tests.security.bounded import within
from tui.text import safe_open
from tui.text.safe_open import NotRegularFile, OutsideRoot, TooLarge, read_regular


@pytest.fixture(params=["proc", "realpath"])
def check(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each root check in turn: the kernel's /proc/self/fd, and the portable real path +
    inode comparison used where /proc is missing."""
    if request.param == "proc" and not safe_open._HAS_PROC:
        pytest.skip("no /proc on this system")
    monkeypatch.setattr(safe_open, "_HAS_PROC", request.param == "proc")
    return str(request.param)


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "vault"
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_bytes(b"inside\n")
    (root / "sub" / "b.md").write_bytes(b"also inside\n")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"SECRET outside the vault\n")
    return root, secret


def test_reads_a_regular_file_inside_the_root(layout: tuple[Path, Path], check: str) -> None:
    root, _ = layout
    assert read_regular(root / "a.md", limit=100, root=root) == b"inside\n"
    # A symlink that stays inside the vault is fine.
    (root / "link.md").symlink_to(root / "sub" / "b.md")
    assert read_regular(root / "link.md", limit=100, root=root) == b"also inside\n"


def test_a_symlink_out_of_the_root_is_refused(layout: tuple[Path, Path], check: str) -> None:
    root, secret = layout
    (root / "out.md").symlink_to(secret)
    with pytest.raises(OutsideRoot):
        read_regular(root / "out.md", limit=100, root=root)
    # A folder on the way swapped for a link out is refused the same way.
    (root / "sub2").symlink_to(secret.parent)
    with pytest.raises(OutsideRoot):
        read_regular(root / "sub2" / "secret.txt", limit=100, root=root)
    # Without a root the caller decides: it is followed, or refused as a link.
    assert read_regular(root / "out.md", limit=100).startswith(b"SECRET")
    with pytest.raises(OSError):
        read_regular(root / "out.md", limit=100, follow_symlinks=False)


def test_a_swap_between_open_and_check_is_caught(
    layout: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, check: str
) -> None:
    """The race itself, made certain: the name leads out at the moment of the open, and is
    a regular file inside again when the opener looks where it leads."""
    root, secret = layout
    note = root / "a.md"
    real_open = os.open

    def open_then_swap(path: str, flags: int, *args: int) -> int:
        parked = root / "parked"
        os.replace(note, parked)
        note.symlink_to(secret)
        try:
            return real_open(path, flags, *args)  # opens the outside file
        finally:
            os.replace(parked, note)  # and the name is a regular file inside again

    monkeypatch.setattr(os, "open", open_then_swap)
    with pytest.raises(OutsideRoot):
        read_regular(note, limit=100, root=root)


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    result = within(10, lambda: read_regular(fifo, limit=100))
    assert isinstance(result, NotRegularFile)


def test_devices_and_folders_are_refused(tmp_path: Path) -> None:
    for path in (Path("/dev/zero"), Path("/dev/null"), tmp_path):
        result = within(10, functools.partial(read_regular, path, limit=100))
        assert isinstance(result, OSError), path
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    assert isinstance(within(10, lambda: read_regular(link, limit=100)), NotRegularFile)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_inside_the_root_is_refused(tmp_path: Path) -> None:
    node = tmp_path / "zero.md"
    os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    result = within(10, lambda: read_regular(node, limit=100, root=tmp_path))
    assert isinstance(result, NotRegularFile)


def test_a_huge_sparse_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    sparse = tmp_path / "big.md"
    with open(sparse, "wb") as fh:
        fh.truncate(20 * 2**30)  # claims 20 GB, holds nothing
    with pytest.raises(TooLarge) as caught:
        read_regular(sparse, limit=1 << 20)
    assert caught.value.size == 20 * 2**30


def test_reads_stop_at_the_limit_even_when_the_size_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grows.md"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def claims_empty(fd: int) -> os.stat_result:
        st = list(real_fstat(fd))
        st[stat.ST_SIZE] = 0
        return os.stat_result(st)

    monkeypatch.setattr(os, "fstat", claims_empty)
    monkeypatch.setattr(safe_open, "CHUNK", 1024)
    assert len(read_regular(path, limit=5000)) == 5000
    with pytest.raises(TooLarge):
        read_regular(path, limit=4999)
