"""The version in pyproject.toml, the installed metadata and the changelog agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import govdisclosure

ROOT = Path(__file__).resolve().parent.parent


def test_version_matches_pyproject_and_changelog() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert govdisclosure.__version__ == version
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)
    assert released and released[0] == version
