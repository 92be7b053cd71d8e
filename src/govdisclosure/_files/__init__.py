"""The one place that touches paths, bytes and encodings.

Everything else in govdisclosure takes and returns ``str``. This module holds
paths: walking folders, bounded reads, atomic writes (and the folder syncs
that make them durable) and locks; :mod:`._decode` turns bytes into text.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO

from ..errors import Problem, ReadError, WriteError
from ._decode import check_text, decode

__all__ = [
    "MAX_INPUT_BYTES",
    "check_text",
    "count_entries",
    "decode",
    "display_path",
    "entries",
    "locked",
    "make_folder",
    "read_bytes",
    "read_text",
    "replacing",
    "sync_folder",
    "walk_folder",
    "write_bytes",
    "write_text",
]

#: The largest input file read, in bytes: far above any published report (the
#: largest pages are a few megabytes), low enough that a stray disk image or
#: ``/dev/zero`` is refused before a byte is read into memory.
MAX_INPUT_BYTES = 64 * 1024 * 1024

def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` fit to print: bytes of a name that are not UTF-8 shown as ``\\xNN``."""
    name = os.fspath(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_KINDS = (
    (stat.S_ISDIR, "is a directory, expected a file", "是文件夹，应为文件"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file", "是命名管道，不是普通文件"),
    (stat.S_ISCHR, "is a character device, not a regular file", "是字符设备，不是普通文件"),
    (stat.S_ISBLK, "is a block device, not a regular file", "是块设备，不是普通文件"),
    (stat.S_ISSOCK, "is a socket, not a regular file", "是套接字，不是普通文件"),
)


def walk_folder(folder: str) -> Iterator[tuple[str, Problem | None]]:
    """The files below ``folder`` (in no particular order), each with ``None``,
    and the entries that cannot be walked, each with what is wrong (a
    :class:`~govdisclosure.errors.Problem`, in English and Chinese).

    Hidden entries are skipped. Links to folders are followed once: a folder
    reached again (a symbolic link loop) is reported, not walked again.
    """
    pending = [folder]
    try:
        top = os.stat(folder)
        seen = {(top.st_dev, top.st_ino)}
    except OSError:
        seen = set()
    while pending:
        current = pending.pop()
        try:
            entries = os.scandir(current)
        except OSError as error:
            yield current, _cannot("open", error)
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError as error:  # a link that loops on itself
                    yield entry.path, _cannot("follow", error)
                    continue
                if not is_dir:
                    yield entry.path, None  # reading it says what else is wrong
                    continue
                try:
                    info = entry.stat()
                except OSError as error:
                    yield entry.path, _cannot("open", error)
                    continue
                if (info.st_dev, info.st_ino) in seen:
                    yield entry.path, _LOOP
                    continue
                seen.add((info.st_dev, info.st_ino))
                pending.append(entry.path)


_LOOP = Problem(message="a link to a folder already checked (a symbolic link loop?): "
                "not checked again",
                message_zh="指向已检查过的文件夹的链接（符号链接循环？）：不再检查")


def _cannot(what: str, error: OSError) -> Problem:
    if what == "open":
        return Problem(message=f"cannot open the folder: {error.strerror}",
                       message_zh=f"无法打开文件夹：{strerror_zh(error)}")
    return Problem(message=f"cannot follow: {error.strerror}",
                   message_zh=f"无法跟随链接：{strerror_zh(error)}")


def entries(paths: Iterable[str]) -> Iterator[tuple[str, Problem | None]]:
    """Each path as given, with ``None``; in place of a folder, the entries below it
    (:func:`walk_folder`), sorted by path, each with ``None`` or what stopped
    the walk there.

    Nothing given is lost: every entry is a file to read or a problem to
    report. A folder's entries are sorted on disk (:class:`._scratch.SortedPaths`),
    so that a folder of 100,000 files costs no more memory than one of 100.
    """
    for given in paths:
        if not os.path.isdir(given):
            yield given, None
            continue
        from .._scratch import SortedPaths  # here: reading one file needs no SQLite

        with SortedPaths() as found:
            for path, problem in walk_folder(given):
                found.add(path, problem)
            yield from found.sorted()


def count_entries(paths: Iterable[str]) -> int:
    """How many entries :func:`entries` gives for ``paths`` (a quick walk, nothing
    kept or sorted)."""
    return sum(sum(1 for _ in walk_folder(p)) if os.path.isdir(p) else 1 for p in paths)


def _not_regular(mode: int) -> Problem:
    for test, words, zh in _KINDS:
        if test(mode):
            return Problem(message=words, message_zh=zh)
    return Problem(message="is not a regular file", message_zh="不是普通文件")


#: The Chinese of the operating system's commonest complaints (``strerror``).
_STRERROR_ZH = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "是文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接层数过多",
    errno.EIO: "输入输出错误",
    errno.EMFILE: "打开的文件过多",
    errno.EBUSY: "设备或资源忙",
    errno.EXDEV: "不能跨设备移动",
    errno.EDQUOT: "超出磁盘配额",
    errno.ETXTBSY: "文件正被使用",
    errno.EAGAIN: "资源暂时不可用",
}


def strerror_zh(error: OSError) -> str:
    """The Chinese of the operating system's reason for ``error`` (a rare reason:
    its error number, with the system's words)."""
    zh = _STRERROR_ZH.get(error.errno or -1)
    if zh is not None:
        return zh
    return f"系统错误 {error.errno}（{error.strerror}）" if error.errno else str(error.strerror)


def _cannot_write(shown: str, error: OSError) -> WriteError:
    return WriteError(f"{shown}: cannot write: {error.strerror}",
                      zh=f"{shown}：无法写入：{strerror_zh(error)}")


def make_folder(path: str | os.PathLike[str]) -> None:
    """Create the folder ``path`` and any missing parents (an existing folder is kept).

    Raises :class:`~govdisclosure.errors.WriteError` (in English and Chinese)
    when it cannot be made, for instance when a file holds its name.
    """
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        raise _cannot_write(display_path(path), error) from None


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Only regular files are read: a FIFO, a device or a socket is refused
    without waiting on it (it is opened non-blocking and looked at first), and
    a file over ``limit`` bytes is refused before it is read.
    """
    source = display_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError([Problem(message="no such file", message_zh="文件不存在")],
                        source) from None
    except IsADirectoryError:
        raise ReadError([Problem(message="is a directory, expected a file",
                                 message_zh="是文件夹，应为文件")], source) from None
    except OSError as error:
        raise ReadError([Problem(message=f"cannot read: {error.strerror}",
                                 message_zh=f"无法读取：{strerror_zh(error)}")], source) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError([_not_regular(info.st_mode)], source)
        if info.st_size > limit:
            raise ReadError(
                [Problem(message=f"the file is {info.st_size:,} bytes, over the limit of "
                         f"{limit:,} bytes for one report",
                         message_zh=f"文件有 {info.st_size:,} 字节，超过单份报告 {limit:,} "
                         "字节的上限")],
                source,
            )
        chunks: list[bytes] = []
        size = 0
        # Read to the end but never past the limit: the file may grow meanwhile.
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ReadError(
                    [Problem(message=f"the file grew over the limit of {limit:,} bytes "
                             "while it was read",
                             message_zh=f"读取过程中文件增大，超过了 {limit:,} 字节的上限")],
                    source,
                )
    except OSError as error:
        raise ReadError([Problem(message=f"cannot read: {error.strerror}",
                                 message_zh=f"无法读取：{strerror_zh(error)}")], source) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read and decode the regular file at ``path`` (see :func:`read_bytes`)."""
    return decode(read_bytes(path), display_path(path))


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line ends, atomically."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise WriteError(
            f"{display_path(path)}: the text holds {text[error.start]!r} at offset "
            f"{error.start}, which UTF-8 cannot encode",
            zh=f"{display_path(path)}：文本第 {error.start} 个字符 {text[error.start]!r} "
            "无法用 UTF-8 编码",
        ) from None
    write_bytes(path, data)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at ``path`` by ``data`` so that it is never seen half-written.

    The bytes go to a temporary file in the same folder, are flushed and
    synced to disk, and the temporary file is renamed over ``path``: a crash
    at any moment leaves either the old file or the new one, whole. A path
    that is not a regular file (``/dev/null``, a FIFO, a terminal) is written
    through, since there is no file to replace.
    """
    name = os.path.realpath(os.fspath(path))  # replace a link's target, not the link
    old = _existing(name, display_path(path))
    if old is not None and not stat.S_ISREG(old.st_mode):
        try:
            with open(name, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise _cannot_write(display_path(path), error) from None
        return
    with replacing(path) as stream:
        try:
            stream.write(data)
        except OSError as error:
            raise _cannot_write(display_path(path), error) from None


def _existing(name: str, shown: str) -> os.stat_result | None:
    """The status of the file about to be written, or ``None`` when there is none yet."""
    try:
        return os.stat(name)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _cannot_write(shown, error) from None


@contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary stream that replaces the regular file at ``path`` atomically.

    What is written goes to a temporary file in the same folder. When the
    ``with`` block ends normally the file is flushed, synced to disk and
    renamed over ``path`` (keeping the old file's permissions); when it ends by
    an exception the temporary file is removed and ``path`` is left as it was.
    A writer that streams (an export's CSV tables) uses this directly;
    :func:`write_bytes` uses it for bytes in memory.
    """
    name = os.path.realpath(os.fspath(path))  # replace a link's target, not the link
    shown = display_path(path)
    folder, base = os.path.split(name)
    old = _existing(name, shown)
    import tempfile  # here, not at the top: reading needs none of it

    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _cannot_write(shown, error) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(old.st_mode) if old else _new_file_mode())
        os.replace(temporary, name)
    except BaseException as error:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _cannot_write(shown, error) from None
        raise
    try:
        sync_folder(folder)
    except OSError as error:
        raise _cannot_write(shown, error) from None


def _new_file_mode() -> int:
    # What open() would give a new file: 0o666 less the umask (read by setting it).
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make the renames and new names in ``folder`` durable: a rename is on disk
    once the folder's entry is (POSIX; elsewhere nothing to do). Raises
    :class:`OSError` when the folder cannot be opened; a file system that
    cannot sync a folder is let be (the rename stands)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename stands
    finally:
        os.close(fd)


@contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock for writing ``path``, waiting for other holders.

    The lock is taken on ``path`` + ``.lock`` (created if needed and left in
    place: removing it would let two processes lock two different files).
    """
    name = os.fspath(path) + ".lock"
    try:
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise WriteError(f"{display_path(name)}: cannot create the lock file: "
                         f"{error.strerror}",
                         zh=f"{display_path(name)}：无法创建锁文件：{strerror_zh(error)}") from None
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
