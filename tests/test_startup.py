"""Start-up of the command line: checking one file loads no corpus machinery.

The time itself is measured by ``bench/bench_startup.py`` (never asserted
here); what keeps it short is checked by behaviour: which modules a run loads.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import govdisclosure
from govdisclosure._methods import fields_eq, fields_hash, fields_repr
from govdisclosure.model.cells import Blank

CORPUS = Path(__file__).parent / "corpus"

# Workers, the on-disk indexes of a folder's files and bodies, and the optional
# outputs: none is needed to check a file named on the command line.
_HEAVY = ("concurrent.futures.process", "multiprocessing", "sqlite3", "pandas", "pyarrow")
# What a text file needs none of: the HTML parser, the JSON converter, the checks
# across reports, the registers, the review site, the exports, the writers'
# temporary files, the package metadata, (without --json or --baseline) json and
# the baseline file, and (no identity fails in Ulanqab) the diagnosis' solver.
_NOT_FOR_TEXT = (
    "lxml", "cattrs", "govdisclosure._converter", "govdisclosure._jsonschema",
    "govdisclosure.formats.html", "govdisclosure.formats.json",
    "govdisclosure.validation.series", "govdisclosure.validation.aggregate",
    "govdisclosure.registers", "govdisclosure.review", "govdisclosure.dataset",
    "tempfile", "importlib.metadata", "json", "govdisclosure._baseline",
    "govdisclosure.validation.diagnosis", "fractions",
)

_PROBE = """
import io, sys
from govdisclosure.cli import main
code = main(sys.argv[1:], io.StringIO(), io.StringIO())
print(code, " ".join(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded(*args: str, watch: tuple[str, ...] = _HEAVY) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=watch), *args],
        capture_output=True, text=True, check=True,
    )
    code, *modules = done.stdout.split()
    return int(code), set(modules)


def test_checking_one_file_starts_no_workers_and_no_index() -> None:
    for name in ("ulanqab-2020.txt", "pingtan-2021.html"):
        code, modules = _loaded("check", str(CORPUS / name))
        assert code in (0, 1)
        assert modules == set(), name


def test_checking_a_text_file_loads_only_what_text_needs() -> None:
    code, modules = _loaded("check", str(CORPUS / "ulanqab-2020.txt"), watch=_NOT_FOR_TEXT)
    assert code in (0, 1)
    assert modules == set()


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    probe = (
        "import sys, govdisclosure as gd; "
        "print(sorted(m for m in sys.modules if m.startswith('govdisclosure.')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_checking_a_folder_starts_workers(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text((CORPUS / "ulanqab-2020.txt").read_text("utf-8"), "utf-8")
    code, modules = _loaded("check", "--jobs", "2", str(tmp_path))
    assert code in (0, 1)
    assert {"concurrent.futures.process", "sqlite3"} <= modules


_GC_PROBE = """
import gc, sys
# For each collection: None before the command line is imported, False while it
# is, True once it is whole.
events = []
gc.callbacks.append(lambda phase, info: phase == "start" and events.append(
    hasattr(sys.modules["govdisclosure.cli"], "main")
    if "govdisclosure.cli" in sys.modules else None))
from govdisclosure.__main__ import run
sys.argv[1:] = ["check", {file!r}]
status = run()
print(status, gc.isenabled(), gc.get_freeze_count(), events.count(False), events.count(True))
"""


def test_the_command_freezes_what_start_up_made_and_collects_while_it_works() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _GC_PROBE.format(file=str(CORPUS / "ulanqab-2020.txt"))],
        capture_output=True, text=True, check=True,
    )
    status, enabled, frozen, while_importing, while_working = done.stdout.split()[-5:]
    assert status == "0"
    assert int(while_importing) == 0  # no collection while the command line was imported
    assert int(while_working) > 0 and enabled == "True"  # the collector works as usual
    assert int(frozen) > 10_000  # the modules' objects, left out of the exit's collections


_T1_PROBE = """
import io, sys
from govdisclosure.cli import main
from govdisclosure.validation import prose
main(["check", {file!r}], io.StringIO(), io.StringIO())
print(prose._compiled.cache_info().currsize, len(prose._QUANTITIES))
"""


def test_t1_compiles_only_the_patterns_of_the_quantities_an_overview_cues() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _T1_PROBE.format(file=str(CORPUS / "ulanqab-2020.txt"))],
        capture_output=True, text=True, check=True,
    )
    compiled, quantities = map(int, done.stdout.split())
    assert 0 < compiled <= quantities // 4  # Ulanqab's overview cues two quantities of 23
    # and what is compiled on first need finds what it always found
    from govdisclosure.validation import prose

    found = prose.quotes("本年度共收到政府信息公开申请6件，予以公开5件。")
    assert {(q.quantity, q.value) for q in found} == {("received", 6), ("granted", 5)}


_DECODE_PROBE = """
import io, re, sys
from govdisclosure._files import _decode
from govdisclosure.cli import main
tested = []
findall = re.findall
re.findall = lambda pattern, *args: (tested.append(pattern), findall(pattern, *args))[1]
main(["check", {file!r}], io.StringIO(), io.StringIO())
print(_decode._UNCOMMON in tested)
"""


def test_a_utf8_report_is_read_without_the_test_of_plausible_chinese() -> None:
    # Chinese in UTF-8 fails to decode as GB18030 at once, so the test (and its
    # costly pattern) is left for bytes that decode both ways.
    for name in ("ulanqab-2020.txt", "pingtan-2021.html"):
        done = subprocess.run(
            [sys.executable, "-c", _DECODE_PROBE.format(file=str(CORPUS / name))],
            capture_output=True, text=True, check=True,
        )
        assert done.stdout.split() == ["False"], name


def _twins() -> tuple[type, type]:
    # The same class twice: with the methods attrs generates, and with the shared ones.
    def make(shared: bool) -> type:
        @attrs.frozen
        class Node:
            if shared:
                __repr__ = fields_repr
                __eq__ = fields_eq
                __hash__ = fields_hash
            value: int
            hidden: int = attrs.field(default=0, repr=False)
            shown: str = attrs.field(default="x", repr=lambda v: f"<{v}>")
            child: object = None
            line: int | None = attrs.field(default=None, eq=False)

        return Node

    return make(False), make(True)


_NODES = [(1,), (2, 5, "y", (1, "a")), (3, 0, "z", Blank("/")), (3, 0, "z", Blank("/"), 7),
          (3, 0, "z", Blank("-")), (3, 1, "z", Blank("/"))]


def test_the_shared_methods_do_what_attrs_would() -> None:
    generated, shared = _twins()
    for name in ("__repr__", "__eq__", "__hash__"):
        assert "attrs generated" in getattr(generated, name).__code__.co_filename
    assert vars(shared)["__repr__"] is fields_repr
    assert vars(shared)["__eq__"] is fields_eq
    assert vars(shared)["__hash__"] is fields_hash
    for args in _NODES:
        assert repr(shared(*args)) == repr(generated(*args))
        for other in _NODES:  # equal alike, and equal ones hash alike
            same = generated(*args) == generated(*other)
            assert (shared(*args) == shared(*other)) is same
            assert (shared(*args) != shared(*other)) is not same
            if same:
                assert hash(shared(*args)) == hash(shared(*other))
    assert shared(1) != generated(1) and shared(1).__eq__(1) is NotImplemented
    assert hash(shared(1)) != hash(shared(2))
    with pytest.raises(TypeError):  # an unhashable field, as attrs' own hash has it
        hash(shared(1, 0, "x", [1]))
    # an instance shown inside itself is written as "...", as attrs writes it
    a, b = generated(1, 0, "x", []), shared(1, 0, "x", [])
    a.child.append(a)
    b.child.append(b)
    assert repr(b) == repr(a) == "Node(value=1, shown=<x>, child=[...], line=None)"


# Classes whose equality and hash the reader and the rules use all the time
# (cache keys, the blank of every cell): attrs' generated methods are faster.
_GENERATED_EQ = {"Blank", "Check", "_CheckPlan", "Rule", "Group"}


def test_no_class_of_the_package_compiles_methods_the_shared_ones_give() -> None:
    # Compiling generated __repr__, __eq__ and __hash__ was a sixth of `check FILE`.
    generated = []
    for info in pkgutil.walk_packages(govdisclosure.__path__, "govdisclosure."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if not (isinstance(value, type) and attrs.has(value)
                    and value.__module__ == info.name):
                continue
            names = ["__repr__"]
            if value.__hash__ is not None and value.__name__ not in _GENERATED_EQ:
                names += ["__eq__", "__hash__"]  # frozen classes
            generated += [f"{value.__qualname__}.{name}" for name in names
                          if "attrs generated" in getattr(value, name).__code__.co_filename]
    assert generated == []


def test_a_command_is_parsed_by_its_own_parser_alone() -> None:
    from govdisclosure import cli

    assert cli._command_of(["check", "a.txt"]) == "check"
    assert cli._command_of(["--lang", "en", "--debug", "convert", "a", "--to", "json"]) == "convert"
    for argv in ([], ["--help"], ["-h", "check"], ["--he", "check"], ["en"], ["bogus", "check"]):
        assert cli._command_of(argv) is None, argv
    def commands(parser: argparse.ArgumentParser) -> set[str]:
        return {name for action in parser._actions
                if isinstance(action, argparse._SubParsersAction)
                for name in action._name_parser_map}

    assert commands(cli.build_parser("en")) == cli._COMMANDS
    for command in cli._COMMANDS:
        assert commands(cli.build_parser("en", command)) == {command}


_ARGVS = [
    ["check"], ["check", "--bogus", "x"], ["check", "--json", "--jsonl", "x"], ["convert", "x"],
    ["check", "--jobs", "many", "x"], ["template", "2020"], ["new", "--year", "2021"],
    ["check", "--help"], ["--lang", "en", "convert", "--help"], ["--help"], ["bogus"],
    ["--version"], ["rules", "extra"], ["schema", "--edition", "1999"],
    ["check", "--edition", "2019", "missing-file.txt"], ["--help", "check"], ["-h", "convert", "x"],
]


def test_the_command_s_own_parser_answers_as_the_whole_parser(monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    # Usage errors are worded by the whole parser, help and results are the same.
    import contextlib
    import io

    from govdisclosure import cli

    def run(argv: list[str]) -> tuple[int, str, str, str]:
        out, err, printed = io.StringIO(), io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(printed):  # argparse prints help there
            status = cli.main(argv, out, err)
        return status, out.getvalue(), err.getvalue(), printed.getvalue()

    for lang in ([], ["--lang", "en"]):
        own = [run(lang + argv) for argv in _ARGVS]
        with monkeypatch.context() as patch:
            patch.setattr(cli, "_command_of", lambda argv: None)
            whole = [run(lang + argv) for argv in _ARGVS]
        assert own == whole


def test_checking_a_file_builds_the_check_parser_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from govdisclosure import cli

    built: list[str | None] = []
    whole = cli.build_parser

    def build(lang: str = "zh", command: str | None = None) -> argparse.ArgumentParser:
        built.append(command)
        return whole(lang, command)

    monkeypatch.setattr(cli, "build_parser", build)
    cli.main(["check", str(CORPUS / "ulanqab-2020.txt")], io.StringIO(), io.StringIO())
    assert built == ["check"]
