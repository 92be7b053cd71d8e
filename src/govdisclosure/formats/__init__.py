"""The format registry: readers and writers under a name.

Built-in formats are listed in one visible block below and imported only when
first used. Other packages add formats through the entry-point group
``govdisclosure.formats``: each entry point names a :class:`Format` object.
A name can be registered only once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import attrs

from ..errors import FormatError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from ..model.report import Edition, Report

__all__ = [
    "ENTRY_POINT_GROUP",
    "BytesReader",
    "BytesWriter",
    "Format",
    "ReadOptions",
    "Reader",
    "Writer",
    "available",
    "format_for_path",
    "get_format",
    "register",
]

ENTRY_POINT_GROUP = "govdisclosure.formats"


@attrs.frozen(slots=True, kw_only=True)
class ReadOptions:
    """What a caller may tell a reader.

    ``edition``, ``year`` and ``agency`` override what the reader would find in
    the content; ``source`` names the input (a file name) in messages.
    """

    edition: Edition | None = None
    year: int | None = None
    agency: str | None = None
    source: str | None = None


#: A reader takes the whole input as ``str`` and returns a complete report, or
#: raises :class:`~govdisclosure.errors.ReadError` listing every problem.
Reader = Callable[[str, ReadOptions], "Report"]
#: A writer takes a report and returns ``str``: deterministic, total over valid reports.
Writer = Callable[["Report"], str]
#: A binary format's reader takes the file's bytes (PDF, Word), as :data:`Reader` does text.
BytesReader = Callable[[bytes, ReadOptions], "Report"]
#: A binary format's writer returns the file's bytes, as :data:`Writer` does text.
BytesWriter = Callable[["Report"], bytes]


@attrs.frozen(slots=True, kw_only=True)
class Format:
    """A named format: what it reads and writes, and the file extensions it owns.

    ``read`` or ``write`` is ``None`` when the format cannot do it (CSV is
    written, not read). A binary format (PDF, Word) has
    ``read_bytes``/``write_bytes`` instead: its files are bytes that no text
    decoding applies to, so :func:`govdisclosure.load` hands them over as they
    are. A format is text or binary, not both. ``read_only_extensions`` are
    extensions among ``extensions`` that the format recognises only to refuse
    them clearly on read (a legacy ``.doc``); nothing is written under them.
    ``read_checks_text`` says that ``read`` itself refuses text holding NUL or
    a lone surrogate, with :func:`govdisclosure._files.check_text`'s error, so
    :func:`govdisclosure.loads` does not check the text first (the HTML reader
    encodes the page for its parser anyway: one pass over it instead of two).
    """

    name: str
    description: str
    #: The description in Chinese (``govdisclosure formats`` prints it by default).
    description_zh: str | None = None
    extensions: tuple[str, ...] = ()
    read_only_extensions: tuple[str, ...] = ()
    read: Reader | None = None
    write: Writer | None = None
    read_bytes: BytesReader | None = None
    write_bytes: BytesWriter | None = None
    read_checks_text: bool = False
    origin: str = "govdisclosure"

    def __attrs_post_init__(self) -> None:
        if (self.read or self.write) and (self.read_bytes or self.write_bytes):
            raise FormatError(
                f"format {self.name!r} has both text and bytes readers or writers; "
                "a format is text or binary",
                zh=f"格式 {self.name!r} 同时有文本和字节的读写函数；一种格式只能是文本或二进制",
            )

    def check_write_path(self, path: str) -> None:
        """Refuse to write this format's content under a name its files never carry."""
        lower = path.lower()
        for ext in self.read_only_extensions:
            if lower.endswith(ext):
                raise FormatError(
                    f"format {self.name!r} does not write {ext} files: {path!r} would hold "
                    f"{self.extensions[0]} content under another name; use {self.extensions[0]}",
                    zh=f"格式 {self.name!r} 不写 {ext} 文件：{path!r} 会以别的扩展名存放 "
                    f"{self.extensions[0]} 内容；请用 {self.extensions[0]}",
                )

    def describe(self, lang: str = "en") -> str:
        """The description in ``lang``; English when the format gives no Chinese."""
        if lang == "zh" and self.description_zh is not None:
            return self.description_zh
        return self.description

    @property
    def binary(self) -> bool:
        """Whether the format's files are bytes (PDF, Word) rather than text."""
        return self.read_bytes is not None or self.write_bytes is not None

    @property
    def can_read(self) -> bool:
        return self.read is not None or self.read_bytes is not None

    @property
    def can_write(self) -> bool:
        return self.write is not None or self.write_bytes is not None

    def reader(self) -> Reader:
        """The text reader; a binary format has none (see :meth:`bytes_reader`)."""
        if self.read is None:
            if self.read_bytes is not None:
                raise FormatError(
                    f"format {self.name!r} reads bytes, not text: give the file's bytes "
                    f"(loads(data, format={self.name!r})) or its path (load)",
                    zh=f"格式 {self.name!r} 读取字节而非文本：请给出文件的字节"
                    f"（loads(data, format={self.name!r})）或路径（load）",
                )
            raise FormatError(f"format {self.name!r} cannot be read, only written",
                              zh=f"格式 {self.name!r} 只能写出，不能读取")
        return self.read

    def writer(self) -> Writer:
        """The text writer; a binary format has none (see :meth:`bytes_writer`)."""
        if self.write is None:
            if self.write_bytes is not None:
                raise FormatError(
                    f"format {self.name!r} writes bytes, not text: use "
                    f"dumpb(report, {self.name!r}) or dump(report, path)",
                    zh=f"格式 {self.name!r} 写出字节而非文本：请用 dumpb(report, {self.name!r}) "
                    "或 dump(report, path)",
                )
            raise FormatError(f"format {self.name!r} cannot be written, only read",
                              zh=f"格式 {self.name!r} 只能读取，不能写出")
        return self.write

    def bytes_reader(self) -> BytesReader:
        """A reader of bytes: the binary reader, or the text reader after decoding."""
        if self.read_bytes is not None:
            return self.read_bytes
        read = self.reader()

        def read_decoded(data: bytes, options: ReadOptions) -> Report:
            from .._files import decode

            return read(decode(data, options.source), options)

        return read_decoded

    def bytes_writer(self) -> BytesWriter:
        """A writer of bytes: the binary writer, or the text writer encoded as UTF-8."""
        if self.write_bytes is not None:
            return self.write_bytes
        write = self.writer()
        return lambda report: write(report).encode("utf-8")


# --- Built-in formats: name -> module holding a module-level ``FORMAT`` -------
_BUILTINS: dict[str, str] = {
    "json": "govdisclosure.formats.json",
    "text": "govdisclosure.formats.text",
    "markdown": "govdisclosure.formats.markdown",
    "csv": "govdisclosure.formats.csv",
    "html": "govdisclosure.formats.html",
    "pdf": "govdisclosure.formats.pdf",
    "docx": "govdisclosure.formats.docx",
}
# The extensions each built-in format owns, known without importing its module
# (tests check them against each module's FORMAT).
_BUILTIN_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "docx": (".docx", ".doc"),
    "html": (".html", ".htm"),
    "json": (".json",),
    "markdown": (".md",),
    "pdf": (".pdf",),
    "text": (".txt",),
}
# ------------------------------------------------------------------------------

_registry: dict[str, Format] = {}
_plugins_loaded = False


def register(fmt: Format) -> None:
    """Register ``fmt`` under its name; a name already taken is refused."""
    if fmt.name in _registry or (fmt.name in _BUILTINS and fmt.origin != "govdisclosure"):
        raise FormatError(f"a format named {fmt.name!r} is already registered",
                          zh=f"名为 {fmt.name!r} 的格式已经注册")
    _registry[fmt.name] = fmt


def _load_builtin(name: str) -> Format:
    module = importlib.import_module(_BUILTINS[name])
    fmt: Format = module.FORMAT
    _registry.setdefault(name, fmt)
    return _registry[name]


def entry_points(group: str) -> Iterable[EntryPoint]:
    """The installed entry points of ``group``; :mod:`importlib.metadata` is slow
    to import, so it is imported only when plugins are first looked for."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        fmt = ep.load()
        if not isinstance(fmt, Format):
            raise FormatError(
                f"entry point {ep.name!r} in {ENTRY_POINT_GROUP} gives "
                f"{type(fmt).__name__}, expected govdisclosure.formats.Format",
                zh=f"{ENTRY_POINT_GROUP} 中的入口点 {ep.name!r} 给出的是 "
                f"{type(fmt).__name__}，应为 govdisclosure.formats.Format",
            )
        register(attrs.evolve(fmt, origin=ep.value) if fmt.origin == "govdisclosure" else fmt)


def get_format(name: str) -> Format:
    """The format registered as ``name``; an unknown name lists the known ones."""
    if name in _registry:
        return _registry[name]
    if name in _BUILTINS:
        return _load_builtin(name)
    _load_plugins()
    if name in _registry:
        return _registry[name]
    known = ", ".join(sorted({*_BUILTINS, *_registry}))
    raise FormatError(f"unknown format {name!r}: known formats are {known}",
                      zh=f"未知的格式 {name!r}：已知的格式有 {known.replace(', ', '、')}")


def available() -> Iterator[Format]:
    """Every installed format, built-ins first, each in name order."""
    for name in sorted(_BUILTINS):
        yield get_format(name)
    _load_plugins()
    for name in sorted(_registry):
        if name not in _BUILTINS:
            yield _registry[name]


def format_for_path(path: str) -> Format:
    """The format owning the extension of ``path`` (``report.txt`` -> ``text``)."""
    lower = path.lower()
    # Built-ins come first in available(), so one that owns the extension wins
    # and neither the other modules nor the plugins need loading.
    for name in sorted(_BUILTINS):
        if lower.endswith(_BUILTIN_EXTENSIONS[name]):
            return get_format(name)
    for fmt in available():
        if any(lower.endswith(ext) for ext in fmt.extensions):
            return fmt
    known = ", ".join(f.name for f in available())
    raise FormatError(
        f"no format reads files like {path!r}: give one with --from / format=, "
        f"known formats are {known}",
        zh=f"没有格式能读取 {path!r} 这样的文件：请用 --from 或 format= 指定，"
        f"已知的格式有 {known.replace(', ', '、')}",
    )
