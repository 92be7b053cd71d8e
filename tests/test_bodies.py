"""Body keys, aliases, and what `check DIR` makes of a folder: series, one report
saved twice, two reports of one year, and files that are not reports."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import CellRef
from govdisclosure._corpus import CheckOptions, FileResult, SeriesResult, check_paths
from govdisclosure.bodies import Aliases, body_key, read_aliases
from govdisclosure.cli import main
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("name", "key"), [
    ("平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区"),
    ("平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", "平潭综合实验区财政金融局"),
    ("沐阳县人民政府 2025 年 政府信息公开工作年度报告", "沐阳县人民政府"),
    ("2025 年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("某县人民政府办公室（2020年度）政府信息公开工作年度报告", "某县人民政府办公室"),
    ("北坡鎮", "北坡镇"),  # traditional characters
    ("遂溪縣 北坡鎮人民政府", "遂溪县北坡镇人民政府"),
    ("Ａ局\u3000", "a局"),  # full-width forms, ideographic space
    ("乌兰察布市 政府办公室", "乌兰察布市政府办公室"),
])
def test_body_key_normalises_the_name_in_the_title(name: str, key: str) -> None:
    assert body_key(name) == key


def test_body_key_of_no_name() -> None:
    assert body_key(None) is None
    assert body_key("  ") is None
    assert body_key("2020年度政府信息公开工作年度报告") is None


def test_names_sharing_a_prefix_stay_apart() -> None:
    assert body_key("平潭综合实验区") != body_key("平潭综合实验区财政金融局")


def test_aliases_join_renamed_bodies_and_follow_chains(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("name,body\n某县国土资源局,某县自然资源局\n某县自然资源局,某县自然资源和规划局\n\n",
                    encoding="utf-8")
    aliases = read_aliases(path)
    renamed = "某县自然资源和规划局"
    assert body_key("某县国土资源局 2018年度政府信息公开工作年度报告", aliases) == renamed
    assert body_key("某县自然资源局", aliases) == "某县自然资源和规划局"
    assert body_key("某县财政局", aliases) == "某县财政局"
    cyclic = Aliases.from_pairs([("甲", "乙"), ("乙", "甲")])
    assert body_key("甲", cyclic) in {"甲", "乙"}


def test_a_bad_aliases_file_names_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("甲,乙\n只有一个\n丙,丁,戊\n", encoding="utf-8")
    with pytest.raises(gd.ReadError) as info:
        read_aliases(path)
    assert [p.line for p in info.value.problems] == [2, 3]
    assert "aliases.csv" in str(info.value)


def _write(report: gd.Report, path: Path) -> None:
    gd.dump(report, path)


def _checked(folder: Path, **options: object) -> tuple[list[FileResult], list[SeriesResult]]:
    files: list[FileResult] = []
    series: list[SeriesResult] = []
    for result in check_paths([str(folder)], CheckOptions(**options), jobs=1):  # type: ignore[arg-type]
        if isinstance(result, FileResult):
            files.append(result)
        else:
            series.append(result)
    return files, series


def test_pingtan_area_and_office_form_two_series_and_the_page_counts_once(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "pingtan"
    folder.mkdir()
    for name in ("pingtan-2019.txt", "pingtan-2021.txt", "pingtan-2021.html"):
        shutil.copy(CORPUS / name, folder / name)
    # The zone's finance office, a body whose name begins with the zone's: its own
    # 2020 report, as the zone's portal publishes it (the crawler's 发布机构 line
    # names the zone), and a 2021 report.
    office = "平潭综合实验区财政金融局"
    text = (CORPUS / "pingtan-finance-2020.txt").read_text(encoding="utf-8")
    assert "发布机构: \n" in text
    (folder / "office-2020.txt").write_text(
        text.replace("发布机构: \n", "发布机构: 平潭综合实验区\n", 1), encoding="utf-8")
    report = attrs.evolve(sample_report(2021, "2021"), agency=office, year=2021, title=None)
    _write(report, folder / "office-2021.json")
    files, series = _checked(folder)
    bodies = {Path(f.file).name: f.body for f in files}
    assert bodies["pingtan-2019.txt"] == bodies["pingtan-2021.html"] == "平潭综合实验区"
    assert bodies["office-2020.txt"] == office  # the title's body, not the publisher
    assert {Path(f.file).name: f.publisher for f in files}["office-2020.txt"] == "平潭综合实验区"
    twice = [f for f in files if f.duplicate_of is not None]
    assert [(Path(f.file).name, Path(f.duplicate_of or "").name) for f in twice] == [
        ("pingtan-2021.txt", "pingtan-2021.html")]
    assert {s.body: [Path(p).name for p in s.files] for s in series} == {
        "平潭综合实验区": ["pingtan-2019.txt", "pingtan-2021.html"],
        office: ["office-2020.txt", "office-2021.json"],
    }
    assert {s.body: s.years for s in series}[office] == (2020, 2021)
    # The text and the page are one report: no series-duplicate-year finding.
    assert not any(f["rule"] == "series-duplicate-year" for s in series for f in s.findings)

    _, out, _ = run("--lang", "en", "check", str(folder))
    assert "files read: 5, unreadable: 0" in out
    assert "reports: 4 (the same report in two files counts once)" in out
    assert f"the same report seen twice: {folder / 'pingtan-2021.txt'}" in out
    assert f"series 平潭综合实验区: 2019, 2021 ({folder / 'pingtan-2019.txt'}, " in out
    assert f"series {office}: 2020, 2021" in out
    assert "edition 2021, year 2021: 2" in out  # the page and office-2021, not the text


def test_two_different_reports_of_one_year_are_a_finding(tmp_path: Path) -> None:
    report = sample_report(3, "2021")
    _write(report, tmp_path / "a.json")
    ref = CellRef("applications", "received", "natural_person")
    value = gd.get_cell(report, ref)
    assert isinstance(value, int)
    _write(gd.replace_cells(report, {ref: value + 1}), tmp_path / "b.json")
    files, series = _checked(tmp_path)
    assert all(f.duplicate_of is None for f in files)
    assert [f["rule"] for s in series for f in s.findings] == ["series-duplicate-year"]


def test_a_renamed_body_joins_its_series_through_aliases(tmp_path: Path) -> None:
    old = attrs.evolve(sample_report(1, "2021"), agency="某县国土资源局", year=2021)
    new = attrs.evolve(sample_report(2, "2021"), agency="某县自然资源局", year=2022)
    _write(old, tmp_path / "old.json")
    _write(new, tmp_path / "new.json")
    assert _checked(tmp_path)[1] == []
    aliases = tmp_path.parent / f"{tmp_path.name}-aliases.csv"
    aliases.write_text("某县国土资源局,某县自然资源局\n", encoding="utf-8")
    _, series = _checked(tmp_path, aliases=read_aliases(aliases))
    assert [(s.body, s.years) for s in series] == [("某县自然资源局", (2021, 2022))]
    _, out, _ = run("--lang", "en", "check", "--aliases", str(aliases), str(tmp_path))
    assert "series 某县自然资源局: 2021, 2022" in out


def test_files_that_are_not_reports_are_listed_never_skipped(tmp_path: Path) -> None:
    _write(sample_report(5), tmp_path / "r.json")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "README.md").write_text("# Notes\n\nDownloaded on Monday.\n", encoding="utf-8")
    (tmp_path / "links.txt").write_text("https://example.org/a\n", encoding="utf-8")
    files, _ = _checked(tmp_path, lang="en")
    reasons = {Path(f.file).name: f.not_report for f in files}
    assert reasons["r.json"] is None
    assert reasons["photo.png"] is not None and "no format reads" in reasons["photo.png"]
    assert reasons["README.md"] is not None and "no report found" in reasons["README.md"]
    assert reasons["links.txt"] is not None and "no report found" in reasons["links.txt"]
    code, out, err = run("--lang", "en", "check", str(tmp_path))
    assert code == 0, err  # listed, not an error
    assert "files read: 1, unreadable: 0, with errors: 0, not reports: 3" in out
    for name in ("photo.png", "README.md", "links.txt"):
        assert f"not a report: {tmp_path / name}" in out
    code, out, _ = run("check", "--jsonl", str(tmp_path))
    docs = [json.loads(line) for line in out.splitlines()]
    assert sum("not_report" in d for d in docs) == 3
    # Named on the command line, a file that is not a report is an input error.
    code, _, err = run("check", str(tmp_path / "links.txt"))
    assert code == 2 and "不是报告：没有找到报告" in err
    code, _, err = run("check", "--lang", "en", str(tmp_path / "links.txt"))
    assert code == 2 and "no report found" in err


def test_a_broken_report_is_unreadable_not_a_non_report(tmp_path: Path) -> None:
    text = gd.dumps(sample_report(9), "text")
    broken = tmp_path / "broken.txt"
    broken.write_text(text[: len(text) // 50], encoding="utf-8")
    files, _ = _checked(tmp_path)
    assert "信息公开" in broken.read_text(encoding="utf-8")
    assert files[0].not_report is None


def test_a_fifo_in_a_folder_is_reported_not_waited_on(tmp_path: Path) -> None:
    _write(sample_report(5), tmp_path / "r.json")
    os.mkfifo(tmp_path / "pipe.txt")  # a report suffix: it would be opened
    files, _ = _checked(tmp_path, lang="en")
    pipe = next(f for f in files if f.file.endswith("pipe.txt"))
    assert pipe.error is not None and "not a regular file" in pipe.error
