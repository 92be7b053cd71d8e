"""The command line: exit statuses, output shapes, messages instead of tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import CellRef
from govdisclosure.cli import main
from govdisclosure.templates import PLACEHOLDER, new_report, placeholders
from govdisclosure.testing.samples import sample_report


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def valid_json(tmp_path: Path) -> Path:
    path = tmp_path / "valid.json"
    gd.dump(sample_report(1, "2021"), path)
    return path


@pytest.fixture
def broken_json(tmp_path: Path) -> Path:
    report = sample_report(2, "2019")
    ref = CellRef("applications", "received", "natural_person")
    old = gd.get_cell(report, ref)
    assert isinstance(old, int)
    path = tmp_path / "broken.json"
    gd.dump(gd.replace_cells(report, {ref: old + 1}), path)
    return path


def test_check_valid_exits_0(valid_json: Path) -> None:
    code, out, err = run("check", str(valid_json))
    assert code == 0, err
    assert "错误 0 条" in out


def test_check_errors_exit_1_and_name_the_rule(broken_json: Path) -> None:
    code, out, _ = run("check", str(broken_json))
    assert code == 1
    assert "I1" in out and "I3" in out
    assert "三 / 自然人：一 + 二 =" in out


def test_check_json_shape(broken_json: Path, valid_json: Path) -> None:
    code, out, _ = run("check", "--json", str(broken_json), str(valid_json))
    assert code == 1
    docs = json.loads(out)
    assert [d["file"] for d in docs] == [str(broken_json), str(valid_json)]
    assert docs[0]["ok"] is False and docs[1]["ok"] is True
    assert set(docs[0]) == {"file", "ok", "edition", "year", "agency", "coverage", "findings"}
    finding = docs[0]["findings"][0]
    assert set(finding) == {"rule", "severity", "status", "table", "row", "column", "line",
                            "expected", "actual", "message"}
    i1 = [f for f in docs[0]["findings"] if f["rule"] == "I1"]
    assert i1 == [{
        "rule": "I1", "severity": "error", "status": "failed", "table": "applications",
        "row": None, "column": "natural_person", "line": None,
        "expected": i1[0]["expected"], "actual": i1[0]["expected"] - 1,
        "message": i1[0]["message"],
    }]


def test_lang_en_before_or_after_the_command(broken_json: Path) -> None:
    for argv in (("--lang", "en", "check", str(broken_json)),
                 ("check", "--lang", "en", str(broken_json))):
        code, out, _ = run(*argv)
        assert code == 1
        assert "received + carried over" in out


def test_unreadable_input_exits_2_with_a_message(tmp_path: Path, valid_json: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "govdisclosure-report", "version": 1, "edition": "2021", '
                   '"appeals": {"review": {"upheld": "x"}}}', encoding="utf-8")
    code, out, err = run("check", str(bad), str(valid_json))
    assert code == 2
    assert f"govdisclosure：错误：{bad}" in err  # the language of messages: zh by default
    assert "$.appeals.review.upheld" in err
    assert "Traceback" not in err
    assert "错误 0 条" in out  # the readable file is still checked


def test_missing_file_and_bad_usage_exit_2(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json：文件不存在" in err
    code, _, err = run("check", "--lang", "en", str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json: no such file" in err
    code, _, err = run("check")
    assert code == 2 and "govdisclosure：错误：" in err
    code, _, err = run("frobnicate")
    assert code == 2 and "参数 COMMAND 的值无效：'frobnicate'" in err
    code, _, err = run("frobnicate", "--lang", "en")
    assert code == 2 and "govdisclosure: error: argument COMMAND: invalid choice" in err
    assert "(try `govdisclosure --help`)" in err
    code, _, err = run("convert", str(tmp_path / "x.json"), "--to", "nosuch")
    assert code == 2 and "未知的格式 'nosuch'" in err and "json" in err
    code, _, err = run("convert", str(tmp_path / "x.json"), "--to", "nosuch", "--lang", "en")
    assert code == 2 and "unknown format 'nosuch'" in err and "json" in err


def test_unknown_extension_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "report.xyz"
    path.write_text("hello", encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 2 and "没有格式能读取" in err
    code, _, err = run("check", "--lang", "en", str(path))
    assert code == 2 and "no format reads files like" in err


def test_convert_json_round_trip(valid_json: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "out.json"
    code, _, err = run("convert", str(valid_json), "--to", "json", "-o", str(out_path))
    assert code == 0, err
    assert gd.load(out_path) == gd.load(valid_json)


def test_template_writes_what_new_writes(tmp_path: Path) -> None:
    out_path = tmp_path / "blank.json"
    code, out, _ = run("template", "2021", "--year", "2025", "--agency", "某某局",
                       "-o", str(out_path))
    assert code == 0 and out == f"已写入 {out_path}\n"
    report = gd.load(out_path)
    assert report == new_report("2021", year=2025, agency="某某局")
    assert all(isinstance(v, gd.Blank) for _, v in gd.iter_cells(report))
    new_path = tmp_path / "new.json"
    assert run("new", "--year", "2025", "--agency", "某某局", "-o", str(new_path))[0] == 0
    assert new_path.read_bytes() == out_path.read_bytes()
    code, out, _ = run("check", str(out_path))
    assert code == 0  # blanks are not assessable, not errors
    assert "无法判断" in out


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html", ".json"])
def test_template_without_body_or_year_holds_placeholders_for_them(
    tmp_path: Path, suffix: str,
) -> None:
    out_path = tmp_path / f"form{suffix}"
    assert run("template", "2019", "-o", str(out_path))[0] == 0
    report = gd.load(out_path)
    assert report.edition == "2019" and report.year is None
    assert report.title is not None
    assert report.title.startswith("【请填写：机关名称】【请填写：年度】年")
    found = placeholders(report)
    assert len(found) == 11 and all(p.startswith(PLACEHOLDER) for p in found)  # 2 + 2 + 7
    for key in ("overview", "problems", "other_matters"):
        section = getattr(report, key)
        assert section is not None and PLACEHOLDER in section.body


def test_formats_and_rules_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("formats")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == [f.name for f in gd.available()] and "json" in names
    assert "读/写      .json" in out
    assert "read/write .json" in run("formats", "--lang", "en")[1]
    code, out, _ = run("rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [r.id for r in gd.RULES]
    assert out.splitlines()[0].split()[1] == "错误"
    assert run("rules", "--lang", "en")[1].splitlines()[0].split()[1] == "error"


def test_python_m_entry_point(valid_json: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "govdisclosure", "check", "--json", str(valid_json)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["ok"] is True


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    for i in range(6):
        gd.dump(sample_report(100 + i), root / ("sub" if i % 2 else ".") / f"r{i}.json")
    report = sample_report(200, "2021")
    ref = CellRef("appeals", "review", "total")
    total = gd.get_cell(report, ref)
    assert isinstance(total, int)
    gd.dump(gd.replace_cells(report, {ref: total + 2}), root / "broken.json")
    (root / "junk.json").write_text("{not json", encoding="utf-8")
    (root / "notes.xyz").write_bytes(b"listed: no format reads this suffix")
    return root


def test_check_dir_jsonl_streams_one_object_per_file_in_stable_order(corpus_dir: Path) -> None:
    code1, out1, _ = run("check", "--jsonl", "--jobs", "1", str(corpus_dir))
    code2, out2, _ = run("check", "--jsonl", "--jobs", "2", str(corpus_dir))
    assert code1 == code2 == 2  # junk.json is unreadable
    assert out1 == out2
    docs = [json.loads(line) for line in out1.splitlines()]
    docs = [d for d in docs if "file" in d]  # series results follow the files
    files = [Path(d["file"]).relative_to(corpus_dir).as_posix() for d in docs]
    assert files == ["broken.json", "junk.json", "notes.xyz", "r0.json", "r2.json", "r4.json",
                     "sub/r1.json", "sub/r3.json", "sub/r5.json"]
    assert docs[0]["ok"] is False
    assert [f["rule"] for f in docs[0]["findings"]] == ["likely-cell", "I4"]
    assert "error" in docs[1]
    assert "没有格式能读取" in docs[2]["not_report"]
    assert all(d["ok"] for d in docs[3:])


def test_check_dir_prints_a_summary(corpus_dir: Path) -> None:
    code, out, err = run("--lang", "en", "check", "--jobs", "2", str(corpus_dir))
    assert code == 2
    assert "junk.json" in err
    assert "files read: 7, unreadable: 1, with errors: 1, not reports: 1" in out
    assert "not a report: " in out and "notes.xyz" in out
    assert "I4 error: 1" in out
    code, out, err = run("check", "--jobs", "2", str(corpus_dir))
    assert "I4 错误：1 条" in out


def test_baseline_records_then_hides_reviewed_findings(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "junk.json").unlink()
    baseline = tmp_path / "baseline.json"
    code, out, _ = run("check", "--baseline", str(baseline), str(corpus_dir))
    assert code == 1 and baseline.is_file()  # first run records and still reports
    code, out, _ = run("--lang", "en", "check", "--baseline", str(baseline), str(corpus_dir))
    assert code == 0
    assert "hidden by the baseline:" in out
    # A changed number makes a new fingerprint: the finding shows again.
    report = gd.load(corpus_dir / "broken.json")
    ref = CellRef("appeals", "review", "total")
    value = gd.get_cell(report, ref)
    assert isinstance(value, int)
    gd.dump(gd.replace_cells(report, {ref: value + 1}), corpus_dir / "broken.json")
    code, out, _ = run("check", "--baseline", str(baseline), str(corpus_dir))
    assert code == 1


def test_bad_baseline_file_is_a_clear_error(corpus_dir: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[]", encoding="utf-8")
    code, _, err = run("check", "--baseline", str(baseline), str(corpus_dir))
    assert code == 2 and "应为基线文件" in err
    code, _, err = run("check", "--lang", "en", "--baseline", str(baseline), str(corpus_dir))
    assert code == 2 and "expected a baseline" in err


def test_check_dir_groups_a_body_into_a_series_and_runs_x1(tmp_path: Path) -> None:
    root = tmp_path / "series"
    root.mkdir()
    first = attrs.evolve(sample_report(300, "2021"), agency="某县 自然资源局", year=2022)
    second = attrs.evolve(sample_report(301, "2021"), agency="某县自然资源局", year=2023)
    # Year N+1's carry-over differs from what year N carried forward (X1).
    forward = gd.get_cell(first, CellRef("applications", "carried_forward", "other"))
    assert isinstance(forward, int)
    wrong = {CellRef("applications", "carried_over", "other"): forward + 1,
             CellRef("applications", "received", "other"):
                 gd.get_cell(second, CellRef("applications", "received", "other"))}
    second = gd.replace_cells(second, wrong)
    gd.dump(first, root / "a-2022.json")
    gd.dump(second, root / "b-2023.json")
    code, out, _ = run("check", "--jsonl", "--jobs", "1", str(root))
    assert code == 1  # year N+1 itself no longer balances (I1); X1 is a warning
    docs = [json.loads(line) for line in out.splitlines()]
    series = [d for d in docs if "series" in d]
    assert len(series) == 1
    assert series[0]["series"] == "某县自然资源局"
    assert series[0]["files"] == [str(root / "a-2022.json"), str(root / "b-2023.json")]
    x1 = [f for f in series[0]["findings"] if f["rule"] == "X1"]
    assert x1, series[0]["findings"]
    assert all(len(f["reports"]) == 2 for f in x1)
    code_no, out_no, _ = run("check", "--jsonl", "--no-series", str(root))
    assert code_no == 1
    assert not any("series" in json.loads(line) for line in out_no.splitlines())


def test_folder_files_come_in_code_point_order_of_their_paths(tmp_path: Path) -> None:
    from govdisclosure._files import entries

    names = ["b.txt", "a.json", "中文.md", "Z.html", "sub/x.htm", "sub-a/y.txt", ".hidden.txt",
             "notes.xyz", ".git/z.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [path for path, problem in entries([str(tmp_path)]) if problem is None]
    # Every file but the hidden ones: check_file says which are not reports.
    expected = sorted(str(tmp_path / n) for n in names if not n.startswith("."))
    assert found == expected


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(corpus_dir: Path) -> None:
    out, err = io.StringIO(), _Terminal()
    main(["check", "--jobs", "1", str(corpus_dir)], out, err)
    shown = err.getvalue()
    assert "█" in shown and "9/9" in shown  # nine files in the folder, one not a report
    assert shown.endswith("\r\x1b[K")  # the bar is cleared when checking ends
    _, _, plain_err = run("check", "--jobs", "1", str(corpus_dir))
    assert "█" not in plain_err and "\x1b" not in plain_err


@pytest.mark.parametrize("fmt", ["json", "markdown", "text", "csv", "html"])
def test_convert_a_real_report_to_every_format(fmt: str, tmp_path: Path) -> None:
    source = Path(__file__).parent / "corpus" / "ulanqab-2020.txt"
    out_path = tmp_path / f"out.{fmt}"
    code, _, err = run("convert", str(source), "--to", fmt, "--infer", "-o", str(out_path))
    assert code == 0, err
    written = out_path.read_text("utf-8")
    original = gd.infer(gd.load(source))
    if fmt == "csv":
        assert written.startswith("table,row,column,value,row_label,column_label\n")
        assert "applications,not_processed.duplicate,research,0," in written
    else:
        back = gd.loads(written, fmt)
        assert back.applications == original.applications
        assert back.appeals == original.appeals
        assert back.active == original.active


def test_fingerprint_matches_bodies_as_series_do() -> None:
    from govdisclosure._baseline import fingerprint
    from govdisclosure._corpus import FileResult

    finding = {"rule": "I1", "status": "failed", "table": "applications", "row": None,
               "column": "total", "expected": 6, "actual": 5}
    spaced = FileResult(file="a/x.txt", ok=False, edition="2021", year=2023,
                        agency="某县 自然资源局")
    plain = FileResult(file="b/y.txt", ok=False, edition="2021", year=2023,
                       agency="某县自然资源局")
    assert fingerprint(spaced, finding) == fingerprint(plain, finding)
    assert fingerprint(plain, finding) != fingerprint(plain, {**finding, "actual": 4})


# --- language, --version, what review and --infer print -----------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run("--version")
    assert code == 0
    assert capsys.readouterr().out == f"govdisclosure {gd.__version__}\n"


def test_check_speaks_chinese_by_default_and_english_when_asked(broken_json: Path) -> None:
    code, out, _ = run("check", str(broken_json))
    assert code == 1
    summary, header, *rows = out.splitlines()
    assert "错误 2 条，警告 0 条，提示 1 条；无法核对 0 格（空白）" in summary
    assert header.split() == ["行", "规则", "结果", "说明"]
    assert rows[0].split()[1:3] == ["likely-cell", "提示"]
    assert {row.split()[2] for row in rows[1:]} == {"错误"}
    assert "可能出错的格：三 / 一 / 自然人" in rows[0]
    code, out, _ = run("check", str(broken_json), "--lang", "en")
    summary, header, *rows = out.splitlines()
    assert "errors: 2, warnings: 0, notes: 1; not checked: 0 cells (blank)" in summary
    assert header.split() == ["line", "rule", "result", "message"]
    assert rows[0].split()[1:3] == ["likely-cell", "note"]
    assert {row.split()[2] for row in rows[1:]} == {"error"}
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in header + summary.split(":", 1)[0])


def test_help_is_chinese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--help")[0] == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：govdisclosure check") and "选项" in text
    assert "以 JSON 输出检查结果" in text
    assert run("check", "--help", "--lang", "en")[0] == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: govdisclosure check") and "print findings as JSON" in text


def test_check_infer_lists_each_filled_cell() -> None:
    example = str(Path(__file__).parent / "corpus" / "ulanqab-2020.txt")
    code, out, _ = run("check", example, "--infer")
    assert code == 0
    filled = [line for line in out.splitlines() if " inferred " in line]
    assert len(filled) == 7 and all("由 I2 推算填入 0" in line for line in filled)
    assert "整行留空；其后全部 7 格由 I2 推算填入" in out
    assert "无法核对 0 格（空白）" in out.splitlines()[0]


def test_review_prints_the_path_it_wrote(valid_json: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    code, out, _ = run("review", str(valid_json), "-o", str(page))
    assert code == 0 and page.is_file()
    assert out == f"已写入 {page}\n"
    assert run("review", str(valid_json), "-o", str(page), "--lang", "en")[1] == f"wrote {page}\n"
