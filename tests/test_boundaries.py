"""The package's boundaries, read off its source: which module may import what.

Data flows down (model ← validation ← formats ← the API and the CLI); files,
temporary folders and stores live in a few storage modules; the review page
uses the HTML writer's public API; the writers share helpers through a module
no format owns. Each test reads every import of ``src/`` (lazy ones inside
functions included), so a new import across a boundary fails here.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "govdisclosure"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        name = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        yield name.removesuffix(".__init__"), ast.parse(path.read_text("utf-8"))


def _package(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def imports(module: str, tree: ast.Module, is_package: bool) -> Iterator[str]:
    """Every module ``tree`` imports (absolute names), at any depth of the code;
    ``from X import name`` gives ``X.name`` as well, since ``name`` may be a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = _package(module, is_package)
                for _ in range(node.level - 1):
                    parent = parent.rpartition(".")[0]
                base = f"{parent}.{base}" if base else parent
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _all_imports() -> dict[str, set[str]]:
    out = {}
    for name, tree in _modules():
        is_package = (SRC.parent / name.replace(".", "/") / "__init__.py").exists()
        out[name] = set(imports(name, tree, is_package))
    return out


IMPORTS = _all_imports()


def _importers(target: str) -> set[str]:
    return {m for m, found in IMPORTS.items()
            if any(i == target or i.startswith(target + ".") for i in found)}


def test_the_import_reader_sees_relative_lazy_and_package_imports() -> None:
    # The reader itself, on a module shaped like the package's: a relative import
    # from a package's __init__, one from a module, and one inside a function.
    tree = ast.parse("from . import Format\nfrom ..model import cells\n"
                     "def f():\n    from ._textread import read_text\n")
    found = set(imports("govdisclosure.formats", tree, is_package=True))
    assert {"govdisclosure.formats.Format", "govdisclosure.model.cells",
            "govdisclosure.formats._textread.read_text"} <= found
    found = set(imports("govdisclosure.formats.markdown", tree, is_package=False))
    assert "govdisclosure.formats._textread" in found
    assert "govdisclosure.validation.engine" in IMPORTS["govdisclosure.validation"] | {
        i for i in IMPORTS["govdisclosure.validation"] if i.startswith("govdisclosure.validation.")
    }


def test_validation_imports_nothing_from_formats() -> None:
    # The rules are below the readers: a reader may use the catalogue, never the
    # other way round (validation/_doc.py included).
    bad = {m for m in _importers("govdisclosure.formats")
           if m.startswith("govdisclosure.validation")}
    assert bad == set()


def test_the_model_imports_neither_formats_validation_nor_files() -> None:
    for target in ("govdisclosure.formats", "govdisclosure.validation", "govdisclosure._files"):
        bad = {m for m in _importers(target) if m.startswith("govdisclosure.model")}
        assert bad == set(), target


@pytest.mark.parametrize("target", ["govdisclosure.formats.text", "govdisclosure.formats.csv",
                                    "govdisclosure.formats.markdown",
                                    "govdisclosure.formats.html"])
def test_no_format_borrows_from_another_format(target: str) -> None:
    # Helpers shared by the writers live in formats/_writing.py, which no format
    # owns; the registry (formats/__init__.py) names every format by its module.
    borrowers = {m for m in _importers(target)
                 if m.startswith("govdisclosure.formats") and m != target}
    assert borrowers <= {"govdisclosure.formats"}, borrowers


def test_only_the_html_format_uses_its_private_writer() -> None:
    # The review page goes through formats.html's public page API (render_page, Mark);
    # the reader of generated pages shares the writer's marks.
    assert _importers("govdisclosure.formats._htmlwrite") == {
        "govdisclosure.formats.html", "govdisclosure.formats._htmlgenerated"}
    assert "govdisclosure.formats.html.render_page" in IMPORTS["govdisclosure.review"]


# Where files, temporary folders and stores are handled: the one module of paths
# and bytes, the corpus code's scratch stores, and the export stores.
STORAGE = {"govdisclosure._files", "govdisclosure._scratch", "govdisclosure.dataset._stores"}


@pytest.mark.parametrize("library", ["sqlite3", "tempfile", "shutil"])
def test_temporary_files_and_stores_live_in_the_storage_modules(library: str) -> None:
    assert _importers(library) <= STORAGE


def test_no_module_outside_storage_opens_or_makes_files() -> None:
    calls = re.compile(r"\bopen\(|\.mkdir\(|os\.makedirs|os\.replace|os\.remove|\.unlink\(")
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        if name.removesuffix(".__init__") in STORAGE:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if calls.search(line) and "fs.open(" not in line:  # dask's filesystem: its own
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def _calls(tree: ast.Module, name: str) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Name) and node.func.id == name)
                or (isinstance(node.func, ast.Attribute) and node.func.attr == name))]


def test_exec_in_one_module_at_most_and_no_verified_path() -> None:
    trees = dict(_modules())
    assert {m for m, t in trees.items() if _calls(t, "exec")} <= {
        "govdisclosure.validation._compiled"}
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword | ast.arg):
                assert getattr(node, "arg", None) != "verified", module


def test_no_object_is_changed_after_construction() -> None:
    # Model objects are built whole: no object.__setattr__ on a frozen instance.
    for module, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "__setattr__":
                assert not (isinstance(node.value, ast.Name) and node.value.id == "object"), module


def test_no_object_is_built_around_its_validators() -> None:
    # Every model object is built through its constructor, validators run: no
    # bare __new__, and attrs' switches that turn validators off are never used.
    skipping = {"__new__", "set_run_validators", "set_disabled", "disabled"}
    for module, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in skipping, (module, node.attr, node.lineno)


def test_importing_builds_no_form() -> None:
    # The form is described from the model's classes on first use, not as a side
    # effect of importing the model, the rules or the JSON reader.
    code = (
        "import govdisclosure, govdisclosure.validation, govdisclosure._converter\n"
        "import govdisclosure.formats.json, govdisclosure.formats.text\n"
        "from govdisclosure.model.schema import form\n"
        "assert form.cache_info().currsize == 0, form.cache_info()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
