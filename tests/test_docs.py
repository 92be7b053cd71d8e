"""Docs that cannot rot: README's commands, its examples, the CLI reference."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from govdisclosure.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def test_readme_opens_with_the_two_commands() -> None:
    first, second = (block.strip() for block in _sh_blocks(README)[:2])
    assert "govdisclosure check" in first and "examples/" in first
    assert "pytest" in second
    assert README.index(first) < README.index("## ")


def test_ci_runs_readme_test_command_verbatim() -> None:
    test_command = _sh_blocks(README)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test_command in ci.splitlines()


def test_readme_example_file_exists() -> None:
    first = _sh_blocks(README)[0]
    for path in re.findall(r"examples/\S+", first):
        assert (ROOT / path).is_file(), path


def _subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    choices = actions[0].choices
    assert choices is not None
    return sorted(choices)


def test_every_command_is_documented() -> None:
    cli_doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    documented = set(re.findall(r"^## govdisclosure (\w+)", cli_doc, re.M))
    assert documented == set(_subcommands())


@pytest.mark.parametrize("block", re.findall(r"```python\n(.*?)```", README, re.S))
def test_readme_python_examples_run(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {})


def test_every_script_the_docs_name_exists() -> None:
    texts = [README, *(p.read_text("utf-8") for p in (ROOT / "docs").glob("*.md"))]
    named = {m for text in texts for m in re.findall(r"\b((?:bench|examples)/[\w./-]+\.py)", text)}
    assert named, "the docs name no scripts"
    missing = sorted(m for m in named if not (ROOT / m).is_file())
    assert not missing


def test_links_between_docs_resolve() -> None:
    pages = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if not (page.parent / target).is_file():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken


def _text_blocks_after(doc: str, marker: str) -> str:
    """The first ```text block after ``marker`` in ``doc``."""
    start = doc.index(marker)
    block = re.search(r"```text\n(.*?)```", doc[start:], re.S)
    assert block is not None, marker
    return block.group(1)


def test_cli_doc_shows_the_real_check_output_in_both_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from govdisclosure.cli import main

    monkeypatch.chdir(ROOT)
    cli_doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for marker, extra in (("govdisclosure check examples/ulanqab-2020.txt", []),
                          ("The same with `--lang en`", ["--lang", "en"])):
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", "examples/ulanqab-2020.txt", *extra], out, err) == 0
        assert _text_blocks_after(cli_doc, marker) == out.getvalue()


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help text and description of ``parser`` and its subcommands."""
    out: list[str] = []

    def walk(p: argparse.ArgumentParser) -> None:
        if p.description:
            out.append(p.description)
        for action in p._actions:
            if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
                out.append(action.help)
            if isinstance(action, argparse._SubParsersAction):
                out.extend(c.help for c in action._choices_actions if c.help)
                for child in action.choices.values():
                    walk(child)

    walk(parser)
    return out


def test_every_help_text_has_its_chinese() -> None:
    from govdisclosure._cli_words import HELP_ZH

    missing = [t for t in help_texts(build_parser("en")) if t not in HELP_ZH]
    assert not missing, (
        "add the Chinese of these help texts to HELP_ZH in src/govdisclosure/_cli_words.py: "
        f"{missing}")
    chinese = help_texts(build_parser("zh"))
    assert all(t in HELP_ZH.values() for t in chinese)


def test_every_long_module_says_why() -> None:
    # docs/index.md lists each module over about 500 lines with its size and the
    # reason; a row whose module has shrunk under 500 lines, or whose size is off
    # by more than a tenth, is out of date.
    rows = dict(re.findall(r"^\| `([\w/.]+\.py)` \| ~(\d+) \|", (ROOT / "docs" / "index.md")
                           .read_text("utf-8"), re.M))
    src = ROOT / "src" / "govdisclosure"
    sizes = {str(p.relative_to(src)): len(p.read_text("utf-8").splitlines())
             for p in src.rglob("*.py")}
    long = {name for name, lines in sizes.items() if lines > 510}
    assert long <= rows.keys(), sorted(long - rows.keys())
    for name, shown in rows.items():
        assert name in sizes, f"docs/index.md lists {name}, which does not exist"
        lines = sizes[name]
        assert lines > 500, f"{name} has {lines} lines: drop its row from docs/index.md"
        assert abs(lines - int(shown)) <= lines // 10, (
            f"{name} has {lines} lines, docs/index.md says ~{shown}")


def test_ci_type_checks_the_tests_with_no_check_left_out() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert ".venv/bin/mypy src" in ci and ".venv/bin/mypy tests" in ci
    assert not any("disable-error-code" in line for line in ci if not line.startswith("#"))
