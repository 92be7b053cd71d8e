"""Hostile input and faults: clear errors, bounded work, whole files (issue 11).

Bounds are asserted by behaviour (what is refused and how), never by time.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from editions import of_2021
from govdisclosure import _files
from govdisclosure._baseline import Baseline
from govdisclosure.cli import main
from govdisclosure.errors import ReadError, WriteError
from govdisclosure.formats._writing import cell_text
from govdisclosure.formats.html import MAX_CHARS
from govdisclosure.model import Edition
from govdisclosure.model.cells import MAX_AMOUNT_DIGITS, MAX_COUNT_DIGITS
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and signals")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def document(edition: Edition = "2021") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gd.dumps(sample_report(1, edition)))
    return data


def read_error(text: str, fmt: str = "json") -> ReadError:
    with pytest.raises(ReadError) as caught:
        gd.loads(text, fmt)
    return caught.value


# --- reading files: only regular files, bounded size --------------------------------


@POSIX
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # In a child, so that a regression hangs the child and fails, not the suite.
    code = ("import sys\nfrom govdisclosure import _files\n"
            "try:\n    _files.read_text(sys.argv[1])\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.startswith("ReadError")
    assert "FIFO" in done.stdout and "regular file" in done.stdout


@POSIX
def test_a_device_is_refused_before_reading() -> None:
    with pytest.raises(ReadError, match="character device, not a regular file"):
        _files.read_bytes("/dev/zero")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="is a directory"):
        _files.read_bytes(tmp_path)


def test_size_is_bounded_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(ReadError, match="101 bytes, over the limit of 100 bytes"):
        _files.read_bytes(path, limit=100)
    assert _files.read_bytes(path, limit=101) == b"x" * 101


def test_nul_anywhere_is_refused_with_its_line(tmp_path: Path) -> None:
    text = (CORPUS / "pingtan-2021.txt").read_text("utf-8")
    late = text + "\n" * 70_000 + "tail\x00"
    error = read_error(late, "text")
    assert "NUL" in str(error)
    assert error.problems[0].line == text.count("\n") + 70_001
    path = tmp_path / "late.txt"
    path.write_text(late, "utf-8")
    with pytest.raises(ReadError, match="NUL"):
        gd.load(path)


def test_a_lone_surrogate_is_refused_by_every_reader() -> None:
    for fmt in ("text", "markdown", "html", "json"):
        error = read_error("一、总体情况\n\ud800\n", fmt)
        assert "surrogate" in str(error)
        assert error.problems[0].line == 2


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("一、总体情况\n<p>甲\x00</p>", id="NUL"),
        pytest.param("一、总体情况\n<p>甲\x00</p>\ud800", id="NUL-before-surrogate"),
        pytest.param("一、总体情况\n<p>\ud800\x00</p>", id="surrogate-before-NUL"),
        pytest.param("x" * MAX_CHARS + "\n\ud800", id="over-the-HTML-limit"),
    ],
)
def test_every_reader_refuses_nul_and_surrogates_as_check_text_does(text: str) -> None:
    # The HTML reader checks the text as it encodes it for lxml, not before.
    with pytest.raises(ReadError) as wanted:
        _files.check_text(text, "s.txt")
    for fmt in ("text", "markdown", "html", "json"):
        with pytest.raises(ReadError) as caught:
            gd.loads(text, fmt, source="s.txt")
        assert caught.value.source == "s.txt"
        assert [(p.message, p.line, p.column) for p in caught.value.problems] == [
            (p.message, p.line, p.column) for p in wanted.value.problems
        ]


# --- JSON: strict decoding ------------------------------------------------------


def test_json_duplicate_keys_are_refused_with_their_path() -> None:
    text = gd.dumps(sample_report(1, "2021"))
    doubled = text.replace('"agency":', '"agency": "x", "agency":', 1)
    error = read_error(doubled)
    assert [p.path for p in error.problems] == ["$.agency"]
    assert "more than once" in str(error)
    nested = text.replace('"natural_person":', '"natural_person": 1, "natural_person":', 1)
    error = read_error(nested)
    assert error.problems[0].path is not None
    assert error.problems[0].path.endswith(".natural_person")
    assert error.problems[0].path.startswith("$.applications.")


@pytest.mark.parametrize("digits", [31, 4301, 100_000])
def test_json_integers_over_the_digit_limit_are_refused(digits: int) -> None:
    data = document()
    text = json.dumps(data).replace('"year": 20', f'"year": {"9" * (digits - 4)}20', 1)
    error = read_error(text)
    assert [p.path for p in error.problems] == ["$.year"]
    assert f"{digits:,} digits" in str(error)


def test_a_count_over_its_bound_names_the_cell() -> None:
    data = document()
    data["applications"]["received"]["natural_person"] = 10**MAX_COUNT_DIGITS
    error = read_error(json.dumps(data))
    assert "applications.received" in str(error)
    assert "natural_person" in str(error)
    assert f"more than {MAX_COUNT_DIGITS} digits" in str(error)
    data["applications"]["received"]["natural_person"] = 10**MAX_COUNT_DIGITS - 1
    report = gd.loads(json.dumps(data))
    assert gd.get_cell(report, gd.CellRef("applications", "received", "natural_person")) \
        == 10**MAX_COUNT_DIGITS - 1


@pytest.mark.parametrize("value", ["1e999999999", "1E+40", "1e-41", "-1e99999999999999999"])
def test_an_amount_with_a_huge_exponent_is_refused(value: str) -> None:
    data = document()
    data["active"]["art20_8"]["fees"]["amount"] = value
    error = read_error(json.dumps(data))
    assert "active.art20_8.fees" in str(error) and "amount" in str(error)
    assert "digits written out" in str(error)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_amounts_are_refused(value: str) -> None:
    data = document()
    data["active"]["art20_8"]["fees"]["amount"] = value
    error = read_error(json.dumps(data))
    assert error.problems[0].path == "$.active.art20_8.fees.amount"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_non_finite_literals_are_refused(literal: str) -> None:
    text = json.dumps(document()).replace('"year": 20', f'"year": {literal}, "x": 20', 1)
    error = read_error(text)
    assert error.problems[0].path == "$.year"
    assert literal.lstrip("-") in str(error)


@pytest.mark.parametrize(("escape", "words"), [("\\ud800", "surrogate"),
                                               ("\\udfff", "surrogate"),
                                               ("\\u0000", "NUL")])
def test_json_escapes_of_surrogates_and_nul_are_refused(escape: str, words: str) -> None:
    data = document()
    data["agency"] = "机关"
    text = json.dumps(data, ensure_ascii=False).replace("机关", f"机{escape}关", 1)
    error = read_error(text)
    assert [p.path for p in error.problems] == ["$.agency"]
    assert words in str(error)
    key = json.dumps(data, ensure_ascii=False).replace('"agency"', f'"a{escape}"', 1)
    error = read_error(key)
    assert words in str(error)
    str(error).encode("utf-8")  # the message itself is printable


def test_a_pair_of_surrogates_is_one_character() -> None:
    data = document()
    data["agency"] = "\U0001d11e"
    report = gd.loads(json.dumps(data))  # ensure_ascii writes the pair \ud834\udd1e
    assert report.agency == "\U0001d11e"


def test_writers_never_expand_a_number_beyond_the_bound() -> None:
    data = document()
    for value in ("1E+27", "0.000000000000000000000000001", "123456789012345678901234567890"):
        data["active"]["art20_8"]["fees"]["amount"] = value
        report = of_2021(gd.loads(json.dumps(data)))
        amount = report.active.art20_8.fees.amount
        assert isinstance(amount, Decimal)
        assert len(cell_text(amount).lstrip("-").replace(".", "")) <= MAX_AMOUNT_DIGITS
        for fmt in ("text", "markdown", "csv", "html", "json"):
            assert len(gd.dumps(report, fmt)) < 200_000


# --- HTML pages that govdisclosure generated ------------------------------------


@pytest.mark.parametrize("value", ["1e999999999", "NaN", "Infinity", "9" * 5000])
def test_a_generated_page_with_an_unbounded_number_is_refused(value: str) -> None:
    report = sample_report(1, "2021")
    page = gd.dumps(report, "html")
    cell = 'data-cell="active/art20_8.fees/amount"'
    assert cell in page
    start = page.index(">", page.index(cell)) + 1
    end = page.index("<", start)
    error = read_error(page[:start] + value + page[end:], "html")
    assert "active/art20_8.fees/amount" in str(error)
    assert error.problems[0].line is not None
    count = 'data-cell="applications/received/natural_person"'
    start = page.index(">", page.index(count)) + 1
    end = page.index("<", start)
    if value[0] == "9":
        error = read_error(page[:start] + value + page[end:], "html")
        assert "applications/received/natural_person" in str(error)


def test_a_generated_page_with_a_huge_year_is_refused() -> None:
    page = gd.dumps(sample_report(1, "2021"), "html")
    huge = page.replace('data-year="', 'data-year="' + "9" * 5000, 1)
    error = read_error(huge, "html")
    assert "data-year" in str(error)


# --- writing: atomic ------------------------------------------------------------------


def test_write_text_replaces_whole_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old", "utf-8")
    path.chmod(0o640)
    _files.write_text(path, "new\n")
    assert path.read_text("utf-8") == "new\n"
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def _fsynced(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, bool]]:
    """What ``os.fsync`` is called on from now: (device, inode, is a folder)."""
    seen: list[tuple[int, int, bool]] = []
    fsync = os.fsync

    def spy(fd: int) -> None:
        status = os.fstat(fd)
        seen.append((status.st_dev, status.st_ino, stat.S_ISDIR(status.st_mode)))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return seen


def _identity(path: Path) -> tuple[int, int, bool]:
    status = path.stat()
    return status.st_dev, status.st_ino, path.is_dir()


@POSIX
def test_a_replaced_file_is_synced_and_so_is_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rename that replaces a file is durable only once its folder is synced.
    synced = _fsynced(monkeypatch)
    path = tmp_path / "out.json"
    _files.write_text(path, "new\n")
    assert _identity(path) in synced
    assert _identity(tmp_path) in synced


@POSIX
def test_parquet_parts_are_synced_with_their_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each table's part is renamed into its folder when the export closes.
    pytest.importorskip("pyarrow")
    from govdisclosure.dataset import export

    synced = _fsynced(monkeypatch)
    out = tmp_path / "out.parquet"
    export([CORPUS / "ulanqab-2020.txt"], out)
    for table in ("reports", "cells", "findings"):
        (part,) = (out / table).iterdir()
        assert _identity(part) in synced, table
        assert _identity(out / table) in synced, table


@POSIX
def test_write_text_through_a_link_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    _files.write_text(link, "new")
    assert link.is_symlink() and target.read_text("utf-8") == "new"


@POSIX
def test_write_text_to_a_device_writes_through() -> None:
    _files.write_text("/dev/null", "anything")
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_write_errors_are_write_errors(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot write"):
        _files.write_text(tmp_path / "missing" / "out.txt", "x")
    with pytest.raises(WriteError, match="UTF-8 cannot encode"):
        _files.write_text(tmp_path / "out.txt", "a\udc80b")
    assert not list(tmp_path.iterdir())


def test_a_folder_is_made_with_its_parents_or_refused_in_both_languages(
    tmp_path: Path,
) -> None:
    _files.make_folder(tmp_path / "a" / "b")
    _files.make_folder(tmp_path / "a" / "b")  # an existing folder is kept
    assert (tmp_path / "a" / "b").is_dir()
    (tmp_path / "file").write_text("x")
    with pytest.raises(WriteError, match="file/reports: cannot write") as caught:
        _files.make_folder(tmp_path / "file" / "reports")
    assert "无法写入" in caught.value.text("zh")


def test_the_entries_are_counted_as_they_are_given(tmp_path: Path) -> None:
    (tmp_path / "in" / "deep").mkdir(parents=True)
    for name in ("a.txt", "deep/b.json", "deep/c.md"):
        (tmp_path / "in" / name).write_text("x")
    paths = [str(tmp_path / "in"), str(tmp_path / "missing.txt")]
    assert _files.count_entries(paths) == len(list(_files.entries(paths))) == 4


def test_cli_output_to_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    gd.dump(sample_report(1, "2021"), path)
    code, _, err = run("convert", str(path), "--to", "text", "-o",
                       str(tmp_path / "no" / "r.txt"), "--lang", "en")
    assert code == 2
    assert "cannot write" in err and "unexpected" not in err


# --- check DIR: each entry on its own --------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """A folder with two good reports and one entry of every bad kind."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    good = (CORPUS / "pingtan-2021.txt").read_bytes()
    (folder / "good.txt").write_bytes(good)
    (folder / "sub" / "good2.txt").write_bytes(good)
    data = document()
    text = json.dumps(data)
    (folder / "dup.json").write_text(text.replace('"year":', '"year": 1, "year":', 1), "utf-8")
    (folder / "huge.json").write_text(
        text.replace('"year": 20', f'"year": {"9" * 5000}', 1), "utf-8")
    (folder / "surrogate.json").write_text(
        json.dumps({**data, "agency": "机关"}).replace("\\u673a", "\\ud800", 1), "utf-8")
    (folder / "exponent.json").write_text(json.dumps(
        {**data, "active": {**data["active"], "art20_8": {"fees": {"amount": "1e999999999"}}}}),
        "utf-8")
    if sys.platform != "win32":
        os.mkfifo(folder / "pipe.txt")
        (folder / "self.txt").symlink_to("self.txt")  # a link that loops on itself
        (folder / "sub" / "up").symlink_to("..")  # a folder loop
        (folder / "broken.md").symlink_to("nowhere.md")
        os.mkfifo(folder / "notareport")  # no report suffix: not looked at
    if sys.platform == "linux":
        (Path(os.fsdecode(bytes(folder) + b"/bad\xff.txt"))).write_bytes(good)
    return folder


@POSIX
def test_check_dir_reports_every_bad_entry_and_goes_on(hostile_folder: Path) -> None:
    code, out, err = run("check", "--lang", "en", "--no-series", str(hostile_folder))
    assert code == 2
    assert "unexpected" not in out + err
    lines = err.splitlines()
    for name, words in [("dup.json", "more than once"), ("huge.json", "5,002 digits"),
                        ("surrogate.json", "surrogate"), ("exponent.json", "digits written out"),
                        ("pipe.txt", "FIFO"), ("self.txt", "symbolic links"),
                        ("up", "already checked"), ("broken.md", "no such file")]:
        assert any(name in line and words in line for line in lines), (name, err)
    # A FIFO no format reads is listed as no report, never opened.
    assert "notareport" not in err and "notareport" in out
    read = 3 if sys.platform == "linux" else 2
    assert out.count(": edition 2021, year 2021") == read
    assert f"files read: {read}, unreadable: 8" in out
    if sys.platform == "linux":
        assert "bad\\xff.txt: edition 2021" in out


@POSIX
def test_check_dir_output_is_always_encodable(hostile_folder: Path) -> None:
    for mode in ("--json", "--jsonl"):
        code, out, err = run("check", mode, str(hostile_folder), "--jobs", "2")
        assert code == 2 and not err
        out.encode("utf-8")  # no surrogate reaches the output
        text = out if mode == "--json" else "[" + ",".join(out.splitlines()) + "]"
        docs = json.loads(text)
        files = {Path(d["file"]).name for d in docs if "file" in d}
        assert {"dup.json", "pipe.txt", "self.txt", "good.txt"} <= files
        if sys.platform == "linux":
            assert "bad\\xff.txt" in files


def test_an_unreadable_folder_is_reported(hostile_folder: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir
    locked = str(hostile_folder / "sub")

    def scandir(path: Any) -> Any:
        if not isinstance(path, int) and os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run("check", "--lang", "en", "--no-series", str(hostile_folder))
    assert code == 2
    assert f"{locked}: cannot open the folder: Permission denied" in err
    assert "good2.txt" not in out


def _lock_folder(monkeypatch: pytest.MonkeyPatch, locked: str) -> None:
    """Make ``os.scandir`` refuse ``locked`` as a folder without permission would."""
    real = os.scandir

    def scandir(path: Any) -> Any:
        if not isinstance(path, int) and os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@POSIX
def test_read_many_gives_every_entry_check_gives(hostile_folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing given is lost: every entry check DIR lists, read_many gives, in
    # the same order, with the same words for the entries it could not walk.
    locked = str(hostile_folder / "sub")
    _lock_folder(monkeypatch, locked)
    results = list(gd.read_many([hostile_folder, hostile_folder / "gone.txt"]))
    code, out, _ = run("check", "--jsonl", "--lang", "en", "--no-series",
                       str(hostile_folder), str(hostile_folder / "gone.txt"))
    assert code == 2
    checked = [json.loads(line) for line in out.splitlines()]
    checked = [d for d in checked if "file" in d]
    assert [_files.display_path(r.file) for r in results] == [d["file"] for d in checked]
    by_name = {Path(r.file).name: r for r in results}
    # The folder that cannot be opened, the folder loop and the link that loops
    # on itself are each a result with a ReadError, as any other unreadable file.
    sub = by_name["sub"]
    assert sub.error is not None and not sub.ok
    assert sub.error.text("en") == f"{locked}: cannot open the folder: Permission denied"
    assert sub.error.text("zh") == f"{locked}：无法打开文件夹：没有权限"
    assert sub.error.source == locked
    for d in checked:
        if d["file"] == locked:
            assert d["error"] == sub.error.text("en")
    self_link = by_name["self.txt"]
    assert self_link.error is not None and "symbolic links" in self_link.error.text("en")
    assert "符号链接层数过多" in self_link.error.text("zh")
    assert by_name["broken.md"].error is not None
    assert "no such file" in by_name["broken.md"].error.text("en")
    assert by_name["gone.txt"].error is not None  # a path given that is not there
    assert by_name["good.txt"].ok and "good2.txt" not in by_name


@POSIX
def test_read_many_reports_a_folder_loop_in_both_languages(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    (tmp_path / "a.txt").write_bytes((CORPUS / "pingtan-2021.txt").read_bytes())
    for jobs in (1, 2):
        results = list(gd.read_many(tmp_path, jobs=jobs))
        assert [Path(r.file).name for r in results] == ["a.txt", "up"]
        loop = results[1]
        assert loop.error is not None
        assert loop.error.text("en").endswith(": a link to a folder already checked "
                                              "(a symbolic link loop?): not checked again")
        assert loop.error.text("zh").endswith(
            "：指向已检查过的文件夹的链接（符号链接循环？）：不再检查")
        frame_problem = str(loop.error)  # what to_frame(..., "reports") shows
        assert "already checked" in frame_problem


def test_a_walk_problem_keeps_both_languages_through_the_sort(tmp_path: Path) -> None:
    from govdisclosure._scratch import SortedPaths
    from govdisclosure.errors import Problem

    problem = Problem(message="cannot open the folder: x", message_zh="无法打开文件夹：x")
    with SortedPaths() as found:
        found.add("b", problem)
        found.add("a")
        assert list(found.sorted()) == [("a", None), ("b", problem)]


def test_an_internal_error_in_one_file_does_not_end_the_run(
        hostile_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import govdisclosure._corpus as corpus

    real = corpus.validate  # type: ignore[attr-defined]  # imported there, patched here

    def validate(report: Any) -> Any:
        if report.year == 2021 and report.agency and "平潭" in report.agency:
            raise MemoryError("planted")
        return real(report)

    monkeypatch.setattr(corpus, "validate", validate)
    code, _, err = run("check", "--lang", "en", str(hostile_folder / "sub"),
                       str(hostile_folder / "dup.json"))
    assert code == 2
    assert "internal error MemoryError: planted" in err
    assert "more than once" in err  # the next entry was checked


# --- the baseline: atomic, locked, merged -------------------------------------------


def _prints(tag: str, n: int) -> set[str]:
    return {f"{tag}{i:019d}" for i in range(n)}


_SYSCALLS = ("write", "fsync", "replace", "rename", "chmod", "close", "open", "unlink")


def _save_dying_at(step: int, path: str, old: set[str], new: set[str]) -> None:
    # In a forked child: count the file system calls, SIGKILL itself at the step-th.
    calls = [0]

    def wrap(fn: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return call

    for name in _SYSCALLS:
        setattr(os, name, wrap(getattr(os, name)))
    try:
        Baseline(set(new)).save(path, frozenset(old))
    finally:
        os._exit(0)


@POSIX
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_baseline_killed_at_every_step_is_old_or_new(tmp_path: Path) -> None:
    """Kill a writer at each system call of a baseline save: the file is whole."""
    path = str(tmp_path / "baseline.json")
    old, new = _prints("a", 30_000), _prints("b", 30_000)
    Baseline(set(old)).write(path)
    step = 0
    seen_new = False
    while True:
        step += 1
        pid = os.fork()
        if pid == 0:  # the writer: dies by SIGKILL at its step-th system call
            _save_dying_at(step, path, old, new)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        now = Baseline.read(path).fingerprints
        assert now in (old, new), f"killed at step {step}: a baseline neither old nor new"
        seen_new = seen_new or now == new
        if not killed:
            break
        Baseline(set(old)).write(path)
    assert step > 10 and seen_new  # many points were tried, up to a finished write
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) < step  # temporary files of killed writers, never the baseline


@POSIX
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_second_writer_waits_for_the_lock_and_merges(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.json")
    mine, theirs = _prints("m", 50), _prints("t", 50)
    go_r, go_w = os.pipe()
    ready_r, ready_w = os.pipe()
    # Forked before the lock is taken: a child holding a copy of the parent's
    # lock file descriptor would hold the lock itself.
    pid = os.fork()
    if pid == 0:  # a run that found no baseline and now records one
        try:
            os.read(go_r, 1)
            os.write(ready_w, b"x")
            Baseline(set(mine)).save(path, None)
        finally:
            os._exit(0)
    with _files.locked(path):
        os.write(go_w, b"x")
        os.read(ready_r, 1)
        time.sleep(0.3)  # let the child reach the lock (no assertion on time)
        Baseline(set(theirs)).write(path)  # another run wrote meanwhile
    os.waitpid(pid, 0)
    assert Baseline.read(path).fingerprints == mine | theirs


def test_save_merges_what_another_run_wrote(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.json")
    Baseline({"x"}).write(path)
    assert Baseline({"y"}).save(path, None) == 1  # the file appeared meanwhile
    assert Baseline.read(path).fingerprints == {"x", "y"}
    assert Baseline({"z"}).save(path, frozenset({"x", "y"})) == 0  # as found: replaced
    assert Baseline.read(path).fingerprints == {"z"}


def test_update_baseline_replaces_an_unreadable_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"version": 1, "finger', "utf-8")  # left half-written by an old version
    report = tmp_path / "r.json"
    gd.dump(sample_report(1, "2021"), report)
    code, _, err = run("check", str(report), "--baseline", str(path), "--lang", "en")
    assert code == 2 and "expected a baseline" in err
    code, _, err = run("check", str(report), "--baseline", str(path), "--update-baseline")
    assert code == 0, err
    assert Baseline.read(str(path)).fingerprints is not None


# --- workers die with the checking process ---------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = (CORPUS / "pingtan-2021.txt").read_bytes()
    for i in range(600):
        (folder / f"r{i:03d}.txt").write_bytes(text)
    main_ = subprocess.Popen(
        [sys.executable, "-m", "govdisclosure", "check", str(folder), "--jobs", "2",
         "--no-series"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    for _ in range(1200):  # until both workers run (a bound, not a measurement)
        workers = _children(main_.pid)
        if len(workers) >= 2 or main_.poll() is not None:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers never started"
    main_.kill()  # SIGKILL: no clean-up in the main process
    main_.wait()
    for _ in range(1200):
        if not any(map(_alive, workers)):
            break
        time.sleep(0.05)
    alive = [w for w in workers if _alive(w)]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert not alive, "workers outlived the main process"


# --- the lax cases ----------------------------------------------------------------


@pytest.mark.parametrize("year", [-5, 0, 2007, 10**19, 10**29])
def test_a_year_outside_the_sane_range_is_a_finding(year: int) -> None:
    data = document()
    data["year"] = year
    report = gd.loads(json.dumps(data))
    result = gd.validate(report)
    [finding] = [f for f in result.findings if f.rule == "Y1"]
    assert not result.ok
    assert finding.actual == year and finding.expected is not None
    assert str(year) in finding.message_en


def test_the_years_of_the_form_are_no_finding() -> None:
    for year in (2008, 2019, 2021, time.gmtime().tm_year + 1):
        report = gd.loads(json.dumps({**document(), "year": year}))
        assert not [f for f in gd.validate(report).findings if f.rule == "Y1"]


def test_a_year_too_large_to_print_is_still_a_finding() -> None:
    report = gd.loads(json.dumps(document()))
    import attrs

    huge = attrs.evolve(report, year=10**5000)
    [finding] = [f for f in gd.validate(huge).findings if f.rule == "Y1"]
    assert "more than 30 digits" in finding.message_en
    json.dumps(finding.actual)


def test_check_exits_1_for_a_year_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({**document(), "year": -5}), "utf-8")
    code, out, _ = run("check", "--lang", "en", str(path))
    assert code == 1 and "Y1" in out


def test_a_report_cut_off_before_its_tables_is_not_ok(tmp_path: Path) -> None:
    text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    path = tmp_path / "cut.txt"
    path.write_text(text[: text.index("二、")], "utf-8")
    code, out, _ = run("check", "--lang", "en", str(path))
    assert code == 1
    assert out.count("read-missing-table") == 3
    assert "tables not found: active, applications, appeals" in out


# --- HTML: the tree builder's bounds, by behaviour --------------------------------


@pytest.mark.parametrize("page", ["<div>" * 20_000, "<div>" * 980_000,
                                  "<table><tr><td>" * 20_000 + "x"])
def test_html_nested_past_the_bound_is_a_clear_read_error(page: str) -> None:
    error = read_error(page, "html")
    assert "nested more than" in str(error) and error.problems[0].line == 1


def test_html_many_open_list_items_are_read_not_refused_for_depth() -> None:
    error = read_error("<li>" * 10_000, "html")
    assert "nested" not in str(error) and "empty" in str(error)
    report = gd.loads("<li>" * 10_000 + "<p>一、总体情况</p>", "html")
    assert report.overview is not None


def test_check_answers_for_deep_html(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 20_000, "utf-8")
    code, _, err = run("check", "--lang", "en", str(path))
    assert code == 2 and "nested more than" in err and "unexpected" not in err
