"""`make verify`: a rebuild compared with what was published, and a PDF re-checked alone."""

import json
import shutil

import pytest

from pipeline import config, runner, verify

from .conftest import SEED_RAW

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A private copy of the raw folder and a report built from it."""
    base = tmp_path_factory.mktemp("verify")
    raw = base / "raw"
    shutil.copytree(SEED_RAW / "2024", raw / "2024")
    runner.build("2024", raw, base / "outputs", base / "processed", config.NOTEBOOKS)
    return base


def test_untouched_build_verifies(published):
    result = verify.rebuild("2024", published / "raw", published / "outputs")
    assert result.ok, result.lines
    assert result.lines[0].startswith("Sesuai: 30 file masukan")


def test_pdf_alone_recomputes(published):
    result = verify.from_pdf(published / "outputs" / "2024" / "LKIP_2024.pdf")
    assert result.ok, result.lines
    assert "angka ledger dihitung ulang tanpa selisih" in result.lines[0]


def test_same_inputs_different_result_is_an_environment_difference(published, tmp_path):
    copy = tmp_path / "outputs"
    shutil.copytree(published / "outputs" / "2024", copy / "2024")
    manifest_path = copy / "2024" / "manifest.json"
    m = json.loads(manifest_path.read_text(encoding="utf-8"))
    m["lingkungan"]["paket"]["pandas"] = "0.0.1"
    m["keluaran"]["LKIP_2024.pdf"] = "0" * 64
    manifest_path.write_text(json.dumps(m), encoding="utf-8")
    ledger = copy / "2024" / "ledger.csv"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        "Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri),242.69,",
        "Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri),-91.49,"),
        encoding="utf-8")
    result = verify.rebuild("2024", published / "raw", copy)
    assert not result.ok
    text = "\n".join(result.lines)
    assert "Masukan sama, hasil berbeda: perbedaan lingkungan" in text
    assert "paket pandas 0.0.1 -> " in text
    assert "keluaran LKIP_2024.pdf: berubah" in text
    assert ("Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri) "
            "[efisiensi:kode_sasaran=S2;kode_iku=IKU2:efisiensi]: -91.49 -> 242.69") in text


def test_changed_input_after_build_is_named(published):
    path = published / "raw" / "2024" / "kinerja_tahunan.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "IKU1,2024,22.05%,25.06%", "IKU1,2024,22.05%,26.06%"), encoding="utf-8")
    result = verify.rebuild("2024", published / "raw", published / "outputs")
    assert not result.ok
    text = "\n".join(result.lines)
    assert "Masukan berubah sejak laporan dibangun:" in text
    assert "  kinerja_tahunan.csv: berubah" in text
    assert "Realisasi Persentase PMKS Mandiri 2024" in text and "25.06 -> 26.06" in text
