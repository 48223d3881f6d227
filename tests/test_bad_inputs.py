"""The catalog of bad inputs: one fixture per failure mode under tests/bad_inputs/.

Each case is the consistent 'contoh' data set with the files in <case>/data/ laid over it and
the files in <case>/hapus.txt removed. The user gets exactly the message in <case>/pesan.txt,
a non-zero exit, no Python traceback, and the previous outputs stay byte-identical.
"""

import hashlib
import shlex
import shutil
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.read import clean

from . import workbook_cases
from .conftest import ROOT

CATALOG = ROOT / "tests" / "bad_inputs"
CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"
CASES = sorted(p.name for p in CATALOG.iterdir() if p.is_dir())
ACCEPTED = {"08_bom_utf8"}  # Excel's "CSV UTF-8" always writes a BOM: read, not refused


def prepare(case: str, tmp: Path) -> tuple[Path, list[str]]:
    folder = CATALOG / case
    raw = tmp / "raw" / "2025"
    shutil.copytree(CONTOH, raw)
    if (folder / "data").is_dir():
        shutil.copytree(folder / "data", raw, dirs_exist_ok=True)
    if (folder / "workbook.txt").is_file():
        workbook_cases.apply(raw, (folder / "workbook.txt").read_text(encoding="utf-8"))
    if (folder / "hapus.txt").is_file():
        for name in (folder / "hapus.txt").read_text(encoding="utf-8").split():
            (raw / name).unlink()
    if case == "55_terlalu_banyak_baris":  # generated: 20.001 rows, under the size cap
        _many_rows(raw / "realisasi_anggaran.csv", 20_001)
    if case == "35_file_sangat_besar":
        with open(raw / "realisasi_anggaran.csv", "ab") as handle:
            handle.truncate(100 * 1024 * 1024)
    args = []
    if (folder / "args.txt").is_file():
        args = shlex.split((folder / "args.txt").read_text(encoding="utf-8"))
    return tmp / "raw", args


def _many_rows(path: Path, count: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line.split(",", 1)[1] for line in lines[1:]]
    rows = [f"{n},{body[n % len(body)]}" for n in range(1, count + 1)]
    path.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")


def previous_outputs(tmp: Path) -> Path:
    out = tmp / "outputs" / "2025"
    (out / "figures").mkdir(parents=True)
    (out / "LKIP_2025.html").write_text("<html>laporan sebelumnya</html>", encoding="utf-8")
    (out / "LKIP_2025.pdf").write_bytes(b"%PDF-1.7 sebelumnya")
    (out / "figures" / "g.png").write_bytes(b"\x89PNG")
    return out


def digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_catalog_has_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", [c for c in CASES if c not in ACCEPTED])
def test_bad_input_gets_one_clear_message(case, tmp_path, capsys, monkeypatch, stub_kernel):
    """Every case stops the build before its first stage: no Jupyter kernel is needed
    (conftest: stub_kernel; a real one is started and stopped on bad data elsewhere)."""
    monkeypatch.chdir(tmp_path)
    raw_root, args = prepare(case, tmp_path)
    out = previous_outputs(tmp_path)
    before = digest(out)
    argv = ["report", "--year", "2025", "--raw", str(raw_root), "--out",
            str(tmp_path / "outputs"), "--processed", str(tmp_path / "processed"), *args]
    code = cli.main(argv)
    err = capsys.readouterr().err.replace(str(tmp_path), "<tmp>")
    expected = (CATALOG / case / "pesan.txt").read_text(encoding="utf-8")
    assert code != 0
    assert "Traceback" not in err
    assert err == expected
    assert digest(out) == before


def test_utf8_bom_is_read(tmp_path):
    raw_root, _ = prepare("08_bom_utf8", tmp_path)
    ds = clean.load_raw(raw_root / "2025", 2025)
    assert list(ds["target_pk.csv"]["kode_iku"]) == ["K1", "K2"]


def test_debug_shows_the_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    raw_root, _ = prepare("01_file_hilang", tmp_path)
    cli.main(["report", "--year", "2025", "--raw", str(raw_root), "--out",
              str(tmp_path / "outputs"), "--debug"])
    assert "Traceback" in capsys.readouterr().err
