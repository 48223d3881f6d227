"""The stage notebooks: committed clean, and each runs on its own from any working folder."""

import hashlib
import os
from pathlib import Path

import nbformat
import pytest

from pipeline import config
from pipeline.errors import InputError
from pipeline.run import stages

from .conftest import ROOT


def _digest(folder):
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("stage", config.STAGES)
def test_notebook_is_committed_without_outputs_and_has_parameters(stage):
    nb = nbformat.read(ROOT / "notebooks" / stage, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        assert c.outputs == [] and c.execution_count is None, (
            f"{stage}: simpan tanpa keluaran (JupyterLab: Edit > Clear Outputs of All Cells)")
        assert "execution" not in c.metadata
    assert "papermill" not in nb.metadata
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is code[0]
    names = {line.split("=")[0].strip() for line in tagged[0].source.splitlines()
             if "=" in line and not line.startswith("#")}
    # the runner's parameters, and the data root a user may set instead
    assert names == {"year", "raw_root", "raw_dir", "processed_dir", "out_dir", "notebooks_dir"}
    assert "../" not in tagged[0].source  # no folder fixed relative to a working folder


def test_notebooks_have_one_source():
    assert not (ROOT / "tools" / "make_notebooks.py").exists()


def test_clean_notebook_runs_by_hand_from_another_folder(tmp_path, monkeypatch):
    import papermill as pm

    published = [config.OUTPUTS / "2024", config.PROCESSED / "2024"]
    before = [_digest(folder) for folder in published]
    # the kernel imports this checkout's package, whatever folder it starts in
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    out = tmp_path / "01_clean.ipynb"
    pm.execute_notebook(str(config.NOTEBOOKS / "01_clean.ipynb"), str(out),
                        parameters={"year": 2024}, kernel_name=config.KERNEL,
                        progress_bar=False, cwd=str(tmp_path))
    assert [_digest(folder) for folder in published] == before
    scratch = config.SCRATCH / "2024" / "processed"
    assert (scratch / "iku.csv").is_file() and (scratch / "koreksi_diterapkan.csv").is_file()
    nb = nbformat.read(out, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "outputs/.scratch/2024/" in text and "outputs/2024/ tidak disentuh" in text
    tables = nb.cells[-2].outputs[0]["data"]["text/plain"]  # files and their rows
    assert "realisasi_anggaran.csv" in tables


def test_paths_by_hand_follow_config_and_the_data_root(tmp_path):
    (tmp_path / "2023").mkdir()
    (tmp_path / "2025").mkdir()
    p = stages.paths(raw_root=tmp_path)
    assert (p.year, p.raw_dir) == (2025, tmp_path / "2025")
    assert p.scratch and p.out_dir == config.SCRATCH / "2025"
    assert p.processed_dir == config.SCRATCH / "2025" / "processed"
    assert p.notebooks_dir == config.NOTEBOOKS
    assert stages.paths(2023, raw_root=tmp_path).raw_dir == tmp_path / "2023"
    default = stages.paths(2024)
    assert default.raw_dir == config.RAW / "2024" and default.viewed_from == Path.cwd()


def test_paths_from_the_runner_are_kept_as_given():
    p = stages.paths(2024, raw_dir="../data/raw/2024", processed_dir="../x/.build-2024",
                     out_dir="../y/.build-2024", notebooks_dir=".")
    assert not p.scratch
    assert (str(p.raw_dir), str(p.processed_dir), str(p.out_dir), str(p.notebooks_dir)) == (
        "../data/raw/2024", "../x/.build-2024", "../y/.build-2024", ".")
    assert p.viewed_from.as_posix() == "../y/.build-2024/notebooks"


def test_a_notebook_never_writes_over_published_outputs():
    with pytest.raises(InputError, match="hanya ditulis oleh `make report`"):
        stages.paths(2024, out_dir=config.OUTPUTS / "2024")
    with pytest.raises(InputError, match="hanya ditulis oleh `make report`"):
        stages.paths(2024, processed_dir=str(config.PROCESSED / "2024"))


def test_missing_year_folder_by_hand_says_what_exists(tmp_path):
    (tmp_path / "2024").mkdir()
    with pytest.raises(InputError, match="make workbook YEAR=2026 FROM=2024"):
        stages.paths(2026, raw_root=tmp_path)
