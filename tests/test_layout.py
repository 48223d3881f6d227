"""The package reads as the pipeline: stage folders that import one way only."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "pipeline"
STAGES = ("read", "compute", "check", "present", "run")  # each may import those before it
TOP = {"config", "errors", "folders"}  # shared by every stage; cli drives the stages


def _imported(path: Path) -> set[str]:
    """The first part below pipeline of every module a file imports (relative or not)."""
    package = list(path.relative_to(ROOT).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            parts = base + (node.module.split(".") if node.module else [])
            names = [parts + [alias.name] for alias in node.names] if len(parts) == 1 \
                else [parts]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        else:
            continue
        found |= {n[1] for n in names if len(n) > 1 and n[0] == "pipeline"}
    return found


def _upward() -> list[tuple[str, str]]:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        stage = parts[0] if len(parts) > 1 and parts[0] in STAGES else None
        allowed = set(TOP) | (set(STAGES[:STAGES.index(stage) + 1]) if stage else set(STAGES))
        if stage is None and path.stem in TOP:
            allowed = set(TOP)
        wrong += [(str(path.relative_to(ROOT)), name) for name in sorted(_imported(path))
                  if (name in STAGES or name in TOP) and name not in allowed]
    return wrong


def test_stage_folders_import_one_way():
    assert _upward() == []


def test_only_the_shared_modules_and_the_command_line_sit_at_the_top():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top == ["__init__", "__main__", "cli", "config", "errors", "folders"]
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") \
        == ["check", "compute", "defaults", "present", "read", "run"]


def test_an_upward_import_is_found(tmp_path, monkeypatch):
    """The check can fail: a reading module importing the report is named."""
    fake = tmp_path / "pipeline"
    (fake / "read").mkdir(parents=True)
    (fake / "read" / "x.py").write_text("from ..present import report\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", fake)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    assert _upward() == [("pipeline/read/x.py", "present")]
