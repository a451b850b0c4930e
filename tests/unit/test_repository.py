"""The repository stands on its own: a clean clone must install and run its tests with nothing
beside it. A tracked symlink points at something outside the clone (once, a worktree's `.venv`
was committed, and every clean clone's `make setup` failed with "File exists")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-s"], capture_output=True, text=True, check=True
    ).stdout
    return out.splitlines()


def test_no_tracked_file_is_a_symlink() -> None:
    links = [line.split("\t", 1)[1] for line in _tracked() if line.startswith("120000 ")]
    assert links == [], f"tracked symlinks (a clean clone lacks their targets): {links}"


def test_nothing_the_setup_creates_is_tracked() -> None:
    paths = [line.split("\t", 1)[1] for line in _tracked()]
    made = [p for p in paths if p.split("/", 1)[0] in {".venv", "data", ".pytest_cache"}]
    assert made == [], f"files that `make setup` or the tests create are tracked: {made}"
