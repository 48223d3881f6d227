"""`make verify`: a rebuild compared with what was published, and a PDF re-checked alone."""

import functools
import json
import shutil
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.present import render
from pipeline.run import manifest, runner, verify

from .conftest import SEED_RAW

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def published(built):
    """The seed's report as published (conftest: built): its base folder, with outputs/ and
    processed/; it was built from SEED_RAW."""
    return built[0]


def test_untouched_build_verifies(minimal_built, monkeypatch):
    """Every output and processed table, the PDF included, is the same byte for byte whether
    or not WeasyPrint could see libharfbuzz-subset: the rebuild runs as on a machine without
    it (hidden from WeasyPrint in the build's kernels, which inherit the variable). On the
    smallest data folder (conftest: minimal_built): a rebuild must build."""
    monkeypatch.setenv(render.HIDE_HB_SUBSET_ENV, "1")
    result = verify.rebuild("2025", minimal_built.base / "raw", minimal_built.base / "outputs")
    assert result.ok, result.lines
    assert result.lines[0].startswith("Sesuai: 12 file masukan, ")


def test_the_seeds_manifest_counts_what_verify_compares(published):
    """What the seed's `make verify` counts when nothing changed: its 30 input files and its
    23 output files."""
    m = manifest.read(published / "outputs" / "2024" / manifest.NAME)
    assert len(m["masukan"]) == 30 == sum(1 for p in (SEED_RAW / "2024").rglob("*")
                                           if p.is_file())
    assert len(m["keluaran"]) == 23


def test_pdf_alone_recomputes(published):
    result = verify.from_pdf(published / "outputs" / "2024" / "LKIP_2024.pdf")
    assert result.ok, result.lines
    assert "angka ledger dihitung ulang tanpa selisih" in result.lines[0]


def _rebuilt_as_published(published):
    """runner.build for verify, giving back the published build (same inputs, same code):
    what differs is then only what the test edits into the published copy."""
    def build(year, raw_root, out_root, processed_root, notebooks):
        shutil.copytree(published / "processed" / str(year), Path(processed_root) / str(year))
        shutil.copytree(published / "outputs" / str(year), Path(out_root) / str(year))
        return Path(out_root) / str(year)

    return build


def test_same_inputs_different_result_is_an_environment_difference(published, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(runner, "build", _rebuilt_as_published(published))
    copy = tmp_path / "outputs"
    shutil.copytree(published / "outputs" / "2024", copy / "2024")
    manifest_path = copy / "2024" / "manifest.json"
    m = json.loads(manifest_path.read_text(encoding="utf-8"))
    m["lingkungan"]["paket"]["pandas"] = "0.0.1"
    m["lingkungan"]["pustaka"]["HarfBuzz"] = "0.0.1"
    m["keluaran"]["LKIP_2024.pdf"] = "0" * 64
    manifest_path.write_text(json.dumps(m), encoding="utf-8")
    ledger = copy / "2024" / "ledger.csv"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        "Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri),242.69,",
        "Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri),-91.49,"),
        encoding="utf-8")
    result = verify.rebuild("2024", SEED_RAW, copy)
    assert not result.ok
    text = "\n".join(result.lines)
    assert "Masukan sama, hasil berbeda: perbedaan lingkungan" in text
    assert "paket pandas 0.0.1 -> " in text
    assert f"pustaka sistem HarfBuzz 0.0.1 -> {manifest.system_libraries()['HarfBuzz']}" in text
    assert "keluaran LKIP_2024.pdf: berubah" in text
    assert ("Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri) "
            "[efisiensi:kode_sasaran=S2;kode_iku=IKU2:efisiensi]: −91,49 → +242,69") in text


SUB = ("Peningkatan Kemampuan Potensi Tenaga Kesejahteraan Sosial Kecamatan Kewenangan "
       "Kabupaten/ Kota")
S1 = "efisiensi_cetak.csv kode_sasaran=S1;kode_iku=IKU1"
# Hand-checked: realisasi no=3 drops by 1.000.000 (49.665.800 -> 48.665.800), so
#   sub-kegiatan 3:   48.665.800 / 50.000.000 = 97,3316%            (was 99,3316%)
#   program P02:      3.462.321.049 / 3.807.800.000 = 90,9271%       (was 90,9533%)
#   sasaran S1:       6.485.611.305 / 7.693.900.000 = 84,2955%       (was 84,3085%)
#   total:            16.797.152.892 / 20.619.848.861 = 81,4611%     (was 81,4659%)
#   efisiensi S1:     113,65 − 84,30 = +29,35 poin                   (was 113,65 − 84,31)
# The printed 99.33 % of row 3 is now wrong: one new finding; the three printed efisiensi
# figures of S1 keep their finding, with a new expected value.
ONE_CELL = f"""\
Masukan berubah sejak laporan dibangun:
  realisasi_anggaran.csv baris 4 (no=3): realisasi 49.665.800 → 48.665.800
Angka yang berubah (10):
  Realisasi {SUB} [sub_kegiatan:no=3:realisasi]: 49.665.800 → 48.665.800
  Persentase realisasi {SUB} [sub_kegiatan:no=3:persentase]: 99,33% → 97,33%
  Realisasi Program Pemberdayaan Sosial [program:kode_program=P02:realisasi]: \
3.463.321.049 → 3.462.321.049
  Penyerapan Program Pemberdayaan Sosial [program:kode_program=P02:persentase]: 90,95% → 90,93%
  Realisasi sasaran S1 [sasaran:kode_sasaran=S1:realisasi]: 6.486.611.305 → 6.485.611.305
  Penyerapan anggaran total [total:persentase]: 81,47% → 81,46%
  Jumlah realisasi [total:realisasi]: 16.798.152.892 → 16.797.152.892
  Capaian anggaran sasaran S1 [sasaran:kode_sasaran=S1:persentase]: 84,31% → 84,30%
  Capaian anggaran sasaran S1 [efisiensi:kode_sasaran=S1;kode_iku=IKU1:capaian_anggaran]: \
84,31% → 84,30%
  Tingkat efisiensi sasaran S1 (Persentase PMKS Mandiri) \
[efisiensi:kode_sasaran=S1;kode_iku=IKU1:efisiensi]: +29,34 → +29,35
Temuan verifikasi (1 baru, 3 berubah):
  baru: PERSENTASE-REALISASI realisasi_anggaran.csv no=3 kolom persentase_cetak: (kesalahan) \
Persentase realisasi {SUB}: tercetak 99.33 %, seharusnya 97,33%
  berubah: EFISIENSI-TERCETAK {S1} kolom capaian_anggaran: seharusnya 84,31% → 84,30%
  berubah: EFISIENSI-TERCETAK {S1} kolom efisiensi: seharusnya +29,34 → +29,35
  berubah: EFISIENSI-TERCETAK {S1} kolom realisasi_anggaran: seharusnya 6.486.611.305 → \
6.485.611.305
"""


def test_one_changed_cell_is_named_by_row_column_figures_and_the_new_finding(
        published, tmp_path, capsys, monkeypatch, kernel_session):
    """The rebuild runs in the session's kernel (conftest: kernel_session): what verify
    compares is built the same in any kernel, and the command is what says it."""
    monkeypatch.setattr(runner, "build", functools.partial(runner.build, shared=kernel_session))
    raw = tmp_path / "raw"
    shutil.copytree(SEED_RAW / "2024", raw / "2024")
    path = raw / "2024" / "realisasi_anggaran.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(",49.665.800,") == 1
    path.write_text(text.replace(",49.665.800,", ",48.665.800,"), encoding="utf-8")
    code = cli.main(["verify", "--year", "2024", "--raw", str(raw),
                     "--out", str(tmp_path / "outputs"),
                     "--published", str(published / "outputs" / "2024")])
    assert code == 1
    assert capsys.readouterr().out == ONE_CELL
    assert not (tmp_path / "outputs" / "2024-verifikasi").exists()  # short: terminal only


def test_a_quarterly_pdf_alone_recomputes(early_build):
    """The TW I report of a year with only that quarter: its embedded tables give back its
    ledger and findings."""
    written, _ = early_build
    result = verify.from_pdf(written.pdf)
    assert result.ok, result.lines
    assert result.lines[0].startswith("Sesuai: ")
    assert "(LKIP 2025 Triwulan I, " in result.lines[0]
