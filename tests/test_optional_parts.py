"""Optional files really optional: a missing or header-only file drops its section cleanly."""

import shutil

import pandas as pd
import pytest

from pipeline.compute import ledger

from .conftest import ROOT, build_html

CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"


@pytest.fixture
def contoh(tmp_path):
    raw = tmp_path / "raw" / "2025"
    shutil.copytree(CONTOH, raw)
    return raw


def _header_only(path):
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


@pytest.mark.parametrize("how", ["missing", "header-only"])
def test_without_quarterly_files(contoh, tmp_path, how):
    for name in ("triwulan_kinerja.csv", "triwulan_keuangan.csv"):
        (contoh / name).unlink() if how == "missing" else _header_only(contoh / name)
    html, res, found, entries = build_html(contoh, 2025, tmp_path / "build")
    assert "triwulan_kinerja.csv" not in res
    assert "Realisasi Triwulan" not in html and "g-triwulan" not in html
    assert not [f for f in found if f.file.startswith("triwulan")]
    assert ledger.unledgered(html, entries) == []


def test_only_the_quarterly_budget_file(contoh, tmp_path):
    (contoh / "triwulan_kinerja.csv").unlink()
    html, res, found, _ = build_html(contoh, 2025, tmp_path / "build")
    assert "Realisasi keuangan kegiatan per triwulan" in html
    assert "Realisasi kinerja IKU per triwulan" not in html


def test_without_renstra_tujuan_and_province(contoh, tmp_path):
    for name in ("target_renstra.csv", "tujuan.csv", "sasaran_renstra.csv",
                 "target_provinsi.csv"):
        (contoh / name).unlink()
    html, res, found, _ = build_html(contoh, 2025, tmp_path / "build")
    assert "Target Jangka Menengah" not in html
    assert "t-pembanding" not in html  # no comparison table without anything to compare
    assert "Sasaran strategis 2025" in html  # the sasaran list stands in for the tujuan table
    # section letters close up: Tindak lanjut is absent too, so Bab II has A, B, C only
    assert '<h3 id="bab-2-c">C. Perjanjian Kinerja 2025</h3>' in html
    assert not [f for f in found if f.severity == "error"]


def test_blank_printed_capaian_is_not_checked(contoh, tmp_path):
    path = contoh / "kinerja_tahunan.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["capaian_cetak"] = ""
    df.to_csv(path, index=False)
    _, _, found, _ = build_html(contoh, 2025, tmp_path / "build")
    assert not [f for f in found if f.check == "CAPAIAN-TERCETAK"]
