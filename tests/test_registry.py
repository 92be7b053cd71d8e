"""The format registry: built-ins, lookups, and formats added by other packages."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure import formats
from govdisclosure.cli import main
from govdisclosure.testing.samples import sample_report

PLUGIN = '''
import govdisclosure as gd
from govdisclosure.formats import Format


def _write(report):
    return f"{report.edition}|{report.year}|{report.agency}\\n"


def _read(text, options):
    edition, year, agency = text.strip().split("|")
    return gd.blank_report(edition, year=int(year), agency=agency)


FORMAT = Format(name="tiny", description="edition, year and body on one line",
                extensions=(".tiny",), read=_read, write=_write)
NOT_A_FORMAT = object()
DUPLICATE = Format(name="json", description="tries to take a built-in name")
'''


@pytest.fixture
def plugin_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EntryPoint]]:
    """Entry points of a package on sys.path, installed in place of the real ones."""
    (tmp_path / "gd_plugin_example.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    points: list[EntryPoint] = []
    monkeypatch.setattr(formats, "entry_points",
                        lambda group: [p for p in points if p.group == group])
    saved = dict(formats._registry)
    monkeypatch.setattr(formats, "_plugins_loaded", False)
    yield points
    formats._registry.clear()
    formats._registry.update(saved)
    sys.modules.pop("gd_plugin_example", None)


def _point(name: str, attr: str) -> EntryPoint:
    return EntryPoint(name=name, value=f"gd_plugin_example:{attr}",
                      group=formats.ENTRY_POINT_GROUP)


def test_built_in_formats_and_what_they_can_do() -> None:
    by_name = {f.name: f for f in gd.available()}
    assert {"json", "text", "markdown", "csv", "html"} <= set(by_name)
    assert by_name["json"].can_read and by_name["json"].can_write
    assert by_name["csv"].can_write and not by_name["csv"].can_read
    with pytest.raises(gd.FormatError, match="cannot be read"):
        gd.loads("table,row,column,value\n", "csv")


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(gd.FormatError) as caught:
        gd.get_format("yaml")
    assert "unknown format 'yaml'" in str(caught.value)
    assert "json" in str(caught.value) and "text" in str(caught.value)
    assert isinstance(caught.value, LookupError)


def test_format_from_the_file_extension() -> None:
    assert formats.format_for_path("a/b/Report.TXT").name == "text"
    assert formats.format_for_path("page.htm").name == "html"
    with pytest.raises(gd.FormatError, match="no format reads files like"):
        formats.format_for_path("report.odt")
    assert formats.format_for_path("report.docx").name == "docx"
    assert formats.format_for_path("old.DOC").name == "docx"  # refused with the command
    assert formats.format_for_path("scan.pdf").name == "pdf"


def test_a_package_adds_a_format_through_the_entry_point_group(
    plugin_points: list[EntryPoint], tmp_path: Path
) -> None:
    plugin_points.append(_point("tiny", "FORMAT"))
    report = sample_report(5, "2021")
    text = gd.dumps(report, "tiny")
    assert text == f"2021|{report.year}|{report.agency}\n"
    back = gd.loads(text, "tiny")
    assert (back.edition, back.year, back.agency) == ("2021", report.year, report.agency)
    path = tmp_path / "r.tiny"
    path.write_text(text, encoding="utf-8")
    assert gd.load(path).agency == report.agency  # found by its extension
    out = io.StringIO()
    assert main(["formats"], out, io.StringIO()) == 0
    line = next(ln for ln in out.getvalue().splitlines() if ln.startswith("tiny"))
    assert "读/写" in line and ".tiny" in line and "gd_plugin_example:FORMAT" in line


def test_a_name_already_taken_is_refused(plugin_points: list[EntryPoint]) -> None:
    plugin_points.append(_point("json-again", "DUPLICATE"))
    with pytest.raises(gd.FormatError, match="already registered"):
        list(gd.available())


def test_an_entry_point_that_is_not_a_format_is_refused(
    plugin_points: list[EntryPoint],
) -> None:
    plugin_points.append(_point("broken", "NOT_A_FORMAT"))
    with pytest.raises(gd.FormatError, match=r"expected govdisclosure\.formats\.Format"):
        gd.get_format("broken")


def test_register_by_hand_refuses_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "_registry", dict(formats._registry))
    fmt = formats.Format(name="hand", description="registered in code",
                         write=lambda report: report.edition)
    gd.register(fmt)
    assert gd.dumps(gd.blank_report("2019"), "hand") == "2019"
    with pytest.raises(gd.FormatError, match="already registered"):
        gd.register(fmt)


def test_built_in_extensions_are_known_without_importing_the_modules() -> None:
    for name, extensions in formats._BUILTIN_EXTENSIONS.items():
        assert formats.get_format(name).extensions == extensions
    assert set(formats._BUILTIN_EXTENSIONS) == set(formats._BUILTINS)


def test_the_command_line_starts_without_the_heavy_modules() -> None:
    # Checking text files needs neither cattrs, the case registers nor the
    # package metadata; they are imported when first used.
    import subprocess

    code = ("import sys, govdisclosure.cli, govdisclosure as gd; "
            "gd.load('tests/corpus/ulanqab-2020.txt'); "
            "print(sorted(m for m in ('cattrs', 'govdisclosure.registers', "
            "'govdisclosure._converter', 'importlib.metadata') if m in sys.modules))")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves_and_unknown_ones_do_not() -> None:
    for name in gd.__all__:
        assert getattr(gd, name) is not None
        assert name in dir(gd)
    from govdisclosure._converter import from_data

    assert gd.from_data is from_data
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        gd.nonexistent  # noqa: B018
