"""Every error the command line prints is in the language of ``--lang``.

Each kind of unreadable input is given to the CLI twice: the Chinese output
(the default) must hold no English sentence, the English output no Chinese
one, and both must keep the file, line and JSON path. A walk over the source
checks that every place that raises a problem gives its Chinese.
"""

from __future__ import annotations

import ast
import io
import json
import pickle
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure import _files
from govdisclosure.cli import main
from govdisclosure.errors import FormatError, MissingExtra, Problem, ReadError, WriteError
from govdisclosure.testing.samples import sample_report

SRC = Path(__file__).parent.parent / "src" / "govdisclosure"
EXAMPLE = Path(__file__).parent / "corpus" / "ulanqab-2020.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# Quoted values, commands and paths are the input's or the system's, not words
# of the message: they are taken out before the language is judged.
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|“[^”\n]*”|pip install \S+"
                     r"|soffice [^\n）)]*")
_ENGLISH = re.compile(r"(?<![-\w./])[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
_CHINESE = re.compile(r"[\u4e00-\u9fff][，。；：]|[，。；：][\u4e00-\u9fff]")


def english_sentence(text: str, *paths: Path) -> str | None:
    """Three English words in a row, outside quotes and paths, or None."""
    for path in paths:
        text = text.replace(str(path), "FILE")
    found = _ENGLISH.search(_QUOTED.sub("", text))
    return found.group(0) if found else None


def chinese_sentence(text: str) -> str | None:
    """A Chinese clause (CJK beside a Chinese comma, colon, …) outside quotes, or None."""
    found = _CHINESE.search(_QUOTED.sub("", text))
    return found.group(0) if found else None


def test_the_judges_judge() -> None:
    assert english_sentence("govdisclosure：错误：a.txt：文件不存在") is None
    assert english_sentence("govdisclosure：错误：a.txt：no such file") == "no such file"
    assert english_sentence("应为 'a b c d'，实为 soffice --headless --convert-to docx FILE") \
        is None
    assert chinese_sentence("a.txt: no such file; expected 一、总体情况") is None
    assert chinese_sentence("a.txt: 文件不存在，请检查") is not None


def both(*argv: str) -> tuple[str, str]:
    """The CLI's messages (stderr, else stdout) in Chinese and in English."""
    (zh_code, zh_out, zh_err), (en_code, en_out, en_err) = run(*argv), run(*argv, "--lang", "en")
    assert zh_code == en_code == 2, (zh_out + zh_err, en_out + en_err)
    return zh_err or zh_out, en_err or en_out


def assert_in_language(zh: str, en: str, *keep: str, paths: tuple[Path, ...] = ()) -> None:
    """``zh`` has no English sentence, ``en`` no Chinese one, and both keep ``keep``."""
    assert zh.startswith("govdisclosure：错误："), zh
    assert en.startswith("govdisclosure: error: "), en
    assert english_sentence(zh, *paths) is None, (english_sentence(zh, *paths), zh)
    assert chinese_sentence(en) is None, (chinese_sentence(en), en)
    for text in keep:
        assert text in zh and text in en, (text, zh, en)


@pytest.fixture
def report_json(tmp_path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(gd.dumps(sample_report(1, "2021"), "json"))
    return data


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- each kind of unreadable input, through `check` -------------------------------


@pytest.mark.parametrize(("name", "content", "zh_words", "en_words", "where"), [
    ("empty.txt", "  \n", "输入是空的", "the input is empty", ()),
    ("hello.txt", "政府信息公开\n只有这一行", "没有找到任何部分标题",
     "none of the section headings", ("第 1 行", "line 1")),
    ("syntax.json", '{"format": "govdisclosure-report",\n "year": }', "不是有效的 JSON",
     "not valid JSON", ("第 2 行第 10 列", "line 2, column 10")),
    ("cut.json", '{"format": "govdisclosure-report",\n "year": 2021', "提前结束",
     "ends too early", ("第 2 行", "line 2")),
    ("twice.json", '{"a": 1, "a": 2}', "出现了不止一次", "more than once", ("$.a", "$.a")),
    ("deep.json", "[" * 100_000, "嵌套过深", "nests too deeply", ()),
    ("array.json", "[1, 2]", "应为 JSON 对象", "expected a JSON object", ("$", "$")),
    ("nul.txt", "一、总体情况\n\x00", "NUL 字节", "NUL bytes",
     ("第 2 行第 1 列", "line 2, column 1")),
    ("gbk.txt", "政府信息公开工作年度报告".encode() + b"\x80\xff", "无法解码", "cannot decode",
     ()),
    ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Word",
     "legacy Word", ("soffice --headless", "soffice --headless")),
    ("zipless.docx", b"not a zip", "不是 Word .docx", "not a Word .docx", ()),
    ("fake.pdf", b"hello", "不是 PDF", "not a PDF", ()),
    ("deep.html", "<div>" * 20_000, "嵌套超过", "nested more than", ("第 1 行", "line 1")),
    ("notes.xyz", "hello", "没有格式能读取", "no format reads files like", ()),
])
def test_each_unreadable_input_is_said_in_both_languages(
    tmp_path: Path, name: str, content: str | bytes, zh_words: str, en_words: str,
    where: tuple[str, str],
) -> None:
    path = _write(tmp_path, name, content)
    zh, en = both("check", str(path))
    assert_in_language(zh, en, str(path), paths=(path,))
    assert zh_words in zh and en_words in en, (zh, en)
    if where:
        assert where[0] in zh and where[1] in en, (zh, en)


def test_a_document_of_the_wrong_shape_names_every_path_in_both_languages(
    tmp_path: Path, report_json: dict[str, object],
) -> None:
    data = dict(report_json)
    data["bogus"] = 1
    data["year"] = "2021"
    applications = data["applications"]
    assert isinstance(applications, dict)
    applications["received"]["natural_person"] = 10**20
    applications["received"]["legal_person_other"] = 1.5
    del applications["received"]["total"]
    active = data["active"]
    assert isinstance(active, dict)
    active["art20_8"]["fees"]["amount"] = 1.5
    data["format"] = "other"
    path = _write(tmp_path, "shape.json", json.dumps(data, ensure_ascii=False))
    zh, en = both("check", str(path))
    assert_in_language(zh, en, "$.bogus", "$.year", "$.format",
                       "$.applications.received.natural_person",
                       "$.applications.received.legal_person_other",
                       "$.applications.received.total", "$.active.art20_8.fees.amount",
                       paths=(path,))
    assert "7 个问题：" in zh and "7 problems:" in en
    assert "未知的键 'bogus'" in zh and "缺少必需的键" in zh and "计数超过 15 位" in zh
    assert "unknown key 'bogus'" in en and "required key is missing" in en


def test_a_scanned_pdf_is_said_in_both_languages(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    path = _write(tmp_path, "scan.pdf", buffer.getvalue())
    zh, en = both("check", str(path))
    assert_in_language(zh, en, str(path), paths=(path,))
    assert "没有文字层" in zh and "OCR" in zh and "no text layer" in en


def test_a_missing_extra_is_said_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # `import docx` now fails
    path = _write(tmp_path, "report.docx", b"PK\x03\x04")
    zh, en = both("check", str(path))
    assert_in_language(zh, en, "pip install 'govdisclosure[docx]'", paths=(path,))
    assert "需要 docx 扩展" in zh and "needs the docx extra" in en


def test_missing_files_folders_and_usage_are_said_in_both_languages(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    zh, en = both("check", str(missing))
    assert_in_language(zh, en, str(missing), paths=(missing,))
    assert "文件不存在" in zh
    zh, en = both("convert", str(EXAMPLE), "--to", "nosuch")
    assert_in_language(zh, en, "'nosuch'")
    zh, en = both("convert", str(EXAMPLE), "--to", "docx")
    assert_in_language(zh, en, "-o FILE")
    zh, en = both("convert", str(EXAMPLE), "--to", "text", "-o", str(tmp_path / "no" / "r.txt"))
    assert_in_language(zh, en, str(tmp_path / "no" / "r.txt"), paths=(tmp_path,))
    assert "无法写入" in zh and "cannot write" in en
    zh, en = both("convert", str(EXAMPLE), "--to", "docx", "-o", str(tmp_path / "r.doc"))
    assert_in_language(zh, en, "'docx'", ".doc", paths=(tmp_path,))
    zh, en = both("review", str(tmp_path))
    assert_in_language(zh, en, "-o SITE/")


def test_bad_baselines_aliases_and_registers_are_said_in_both_languages(tmp_path: Path) -> None:
    baseline = _write(tmp_path, "baseline.json", "[]")
    zh, en = both("check", str(EXAMPLE), "--baseline", str(baseline))
    assert_in_language(zh, en, str(baseline), paths=(baseline,))
    aliases = _write(tmp_path, "aliases.csv", "name,body\n只有一个名称\n")
    zh, en = both("check", str(EXAMPLE), "--aliases", str(aliases))
    assert_in_language(zh, en, str(aliases), paths=(aliases,))
    assert "第 2 行" in zh and "line 2" in en
    register = _write(tmp_path, "reg.csv",
                      "编号,收到日期,申请人类型,收案类别,申请内容,办理结果,答复日期\n"
                      "1,2023-01-01,外星人,新收,x,予以公开,2023-01-02\n"
                      "1,2023-01-01,自然人,新收,x,予以公开,2023-01-02\n")
    zh, en = both("build", "--registers", str(register), "--year", "2023", "--agency", "某局")
    assert_in_language(zh, en, str(register), "'外星人'", paths=(register,))
    assert "第 2 行第 3 列" in zh and "line 2, column 3" in en
    assert "重复出现" in zh and "appears again" in en
    empty = _write(tmp_path, "empty.csv", "")
    zh, en = both("build", "--registers", str(empty), "--year", "2023", "--agency", "某局")
    assert_in_language(zh, en, str(empty), paths=(empty,))


def test_check_dir_lists_what_it_could_not_read_in_the_language_asked(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    _write(folder, "empty.txt", "")
    _write(folder, "notes.xyz", "hello")
    _write(folder, "plan.csv", "a,b\n")
    (folder / "gone.md").symlink_to(folder / "nowhere.md")
    for lang, judge in (("zh", lambda t: english_sentence(t, folder)),
                        ("en", chinese_sentence)):
        code, out, err = run("check", str(folder), "--lang", lang)
        assert code == 2
        assert err.count("\n") == 2 and out.count("\n") >= 3  # 2 unreadable, 2 not reports
        assert judge(out) is None and judge(err) is None, (out, err)


# --- the library: every raise site, and the text of each error kind ---------------


_NEEDS = {"Problem": "message_zh", "single": "zh", "WriteError": "zh", "FormatError": "zh",
          "ExportError": "zh", "MissingExtra": "what_zh"}


def _raise_sites() -> Iterator[tuple[str, int, str, set[str | None]]]:
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = (func.id if isinstance(func, ast.Name)
                        else func.attr if isinstance(func, ast.Attribute) else "")
                if name in _NEEDS:
                    yield (f"{path.relative_to(SRC)}:{node.lineno}", node.lineno, name,
                           {k.arg for k in node.keywords})


def test_every_raise_site_gives_its_chinese() -> None:
    sites = list(_raise_sites())
    assert len(sites) > 60  # the walk found the sites
    missing = [where for where, _, name, keys in sites if _NEEDS[name] not in keys]
    assert missing == []


def test_problem_and_read_error_render_in_each_language() -> None:
    problem = Problem(message="bad", message_zh="坏", line=3, column=2, path="$.a")
    assert problem.text("zh") == "第 3 行第 2 列；$.a：坏"
    assert str(problem) == problem.text("en") == "line 3, column 2; $.a: bad"
    assert Problem(message="bad").text("zh") == "bad"  # no Chinese given: the English
    error = ReadError([problem] * 52, "r.txt")
    assert error.text("zh").splitlines()[0] == "r.txt：52 个问题："
    assert error.text("zh").splitlines()[-1] == "  ……另有 2 个"
    assert str(error).splitlines()[-1] == "  ... and 2 more"
    again = pickle.loads(pickle.dumps(error))
    assert again.text("zh") == error.text("zh")


@pytest.mark.parametrize("error", [
    WriteError("x: cannot write", zh="x：无法写入"),
    FormatError("unknown format 'x'", zh="未知的格式 'x'"),
    MissingExtra("to_frame", "pandas", "pandas", what_zh="to_frame"),
])
def test_other_errors_carry_both_languages_across_processes(error: gd.GovDisclosureError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert again.text("zh") == error.text("zh") and str(again) == str(error)
    assert chinese_sentence(str(error)) is None
    assert english_sentence(error.text("zh")) is None


def test_a_file_over_the_limit_is_said_in_both_languages(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", "x" * 100)
    with pytest.raises(ReadError) as caught:
        _files.read_bytes(path, limit=10)
    assert "100 字节，超过单份报告 10 字节的上限" in caught.value.text("zh")
    assert "100 bytes, over the limit of 10 bytes" in str(caught.value)
    assert english_sentence(caught.value.text("zh"), path) is None


def test_os_reasons_are_said_in_chinese() -> None:
    import errno

    assert _files.strerror_zh(OSError(errno.EACCES, "Permission denied")) == "没有权限"
    assert _files.strerror_zh(OSError(errno.EPIPE, "Broken pipe")) == "系统错误 32（Broken pipe）"


def test_formats_describe_themselves_in_the_language_asked() -> None:
    zh = run("formats")[1]
    en = run("formats", "--lang", "en")[1]
    assert "网页：读取发布的报告网页" in zh and "web page: published report pages" in en
    for fmt in gd.formats.available():
        assert fmt.description_zh is not None, fmt.name
    for line in zh.splitlines():
        assert english_sentence(line) is None, line
    for line in en.splitlines():
        assert chinese_sentence(line) is None and not re.search("[\u4e00-\u9fff]", line), line


# --- what a clerk reads besides errors -------------------------------------------


def test_the_summary_of_a_folder_counts_findings_with_the_table_words(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "u.txt").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    gd.dump(sample_report(3, "2021"), folder / "r.json")
    zh = run("check", str(folder))[1].splitlines()
    en = run("check", str(folder), "--lang", "en")[1].splitlines()
    # An info finding is a note (提示), never a failure (不成立).
    assert "  read-missing-section 提示：1 条" in zh and "  D1 无法核对：7 条" in zh
    assert "  read-missing-section note: 1" in en and "  D1 not checked: 7" in en
    assert not any("不成立" in line for line in zh)
    summary = zh[zh.index(next(line for line in zh if line.startswith("读取文件"))):]
    assert all(english_sentence(line, folder) is None and ": " not in line for line in summary)
    assert all(chinese_sentence(line) is None for line in en)


def test_convert_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "u.json"
    assert run("convert", str(EXAMPLE), "--to", "json", "-o", str(out)) \
        == (0, f"已写入 {out}\n", "")
    assert run("convert", str(EXAMPLE), "--to", "json", "-o", str(out), "--lang", "en")[1] \
        == f"wrote {out}\n"
    assert run("convert", str(EXAMPLE), "--to", "json")[1].startswith("{")  # stdout: the report


COMMANDS = ["", "check", "export", "convert", "review", "formats", "rules", "schema", "template",
            "new", "build"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_chinese_is_chinese_and_fits_the_terminal(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govdisclosure._cli_words import display_width

    monkeypatch.setenv("COLUMNS", "80")
    assert run(*filter(None, [command, "--help"]))[0] == 0
    text = capsys.readouterr().out
    assert "位置参数：" in text or "选项：" in text
    assert "位置参数:" not in text and "选项:" not in text
    for line in text.splitlines():
        prose = line.strip()
        if not prose or prose.startswith(("用法", "[", "-")) or line.startswith("   " * 8):
            continue  # usage lines and option names are what is typed
        assert english_sentence(prose) is None, line
        assert prose[0] not in "，。；：、）", line  # no line begins with punctuation
    assert all(display_width(line) <= 80 for line in text.splitlines()
               if not line.startswith(("用法", " " * 20))), text
    assert run(*filter(None, [command, "--help", "--lang", "en"]))[0] == 0
    english = capsys.readouterr().out
    assert "positional arguments:" in english or "options:" in english


def test_chinese_is_wrapped_beside_any_character_by_its_width() -> None:
    from govdisclosure._cli_words import display_width, wrap

    text = "按官方格式生成报告的独立 HTML 审阅页面，标出不成立和无法核对的格。退出码 0：没有错误"
    for width in (10, 17, 24, 40):
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(display_width(line) <= width for line in lines)
        assert not any(line[0] in "，。：" or line[-1] == "（" for line in lines)
    assert wrap("one two three four", 9) == ["one two", "three", "four"]
