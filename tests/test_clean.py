"""Stage 1 on the seed and on small broken copies of it: clear, located errors."""

import shutil

import pytest

from pipeline.errors import InputError
from pipeline.read import clean

from .conftest import SEED_RAW


@pytest.fixture
def raw(tmp_path):
    """A writable copy of the seed's 2024 folder."""
    folder = tmp_path / "2024"
    shutil.copytree(SEED_RAW / "2024", folder)
    return folder


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(folder, year=2024):
    with pytest.raises(InputError) as info:
        clean.load_raw(folder, year)
    return info.value.defects


def test_seed_loads_with_the_documented_correction(seed):
    assert len(seed["realisasi_anggaran.csv"]) == 97
    assert len(seed["desa_mandiri.csv"]) == 27
    [fix] = seed.corrections
    assert (fix["file"], fix["kunci"], fix["kolom"]) == ("realisasi_anggaran.csv", "no=7",
                                                        "anggaran")
    assert (fix["nilai_cetak"], fix["nilai_koreksi"]) == ("2.036.000.00", "2.036.000.000")
    assert fix["baris_data"] == 8


def test_without_the_correction_the_malformed_amount_is_named(raw):
    (raw / "koreksi.csv").unlink()
    [d] = _errors(raw)
    assert (d.file, d.line, d.column, d.value) == ("realisasi_anggaran.csv", 8, "anggaran",
                                                   "2.036.000.00")
    assert "pemisah ribuan" in d.expected


def test_stale_correction_is_an_error(raw):
    _edit(raw / "realisasi_anggaran.csv", "2.036.000.00,", "2.036.000.000,")
    [d] = _errors(raw)
    assert d.file == "koreksi.csv" and d.column == "nilai_cetak"
    assert "usang" in d.message


def test_missing_file(raw):
    (raw / "iku.csv").unlink()
    defects = _errors(raw)
    assert any(d.file == "iku.csv" and d.message == "file tidak ditemukan" for d in defects)


def test_misspelt_column_suggests_the_right_name(raw):
    _edit(raw / "target_pk.csv", "kode_iku,tahun,target", "kode_iku,tahun,targett")
    defects = _errors(raw)
    missing = next(d for d in defects if d.column == "target")
    assert "targett" in missing.message
    assert any(d.column == "targett" and d.message == "kolom tidak dikenal" for d in defects)


def test_unknown_reference_and_duplicate_key_reported_together(raw):
    _edit(raw / "target_pk.csv", "IKU2,2024", "IKU9,2024")
    _edit(raw / "desa_mandiri.csv", "2,Batu Raya I,Gunung Timang", "2,Kandui,Gunung Timang")
    defects = _errors(raw)
    ref = next(d for d in defects if d.file == "target_pk.csv" and d.column == "kode_iku"
               and d.value == "IKU9")
    assert ref.line == 3
    dup = next(d for d in defects if d.file == "desa_mandiri.csv")
    assert dup.line == 3 and "baris 2" in dup.expected


def test_year_outside_the_report_year(raw):
    _edit(raw / "target_pk.csv", "IKU1,2024", "IKU1,2023")
    defects = _errors(raw)
    assert any(d.file == "target_pk.csv" and d.column == "tahun" and d.value == "2023"
               for d in defects)


def test_semicolon_delimiter_is_named(raw):
    path = raw / "sasaran.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    defects = _errors(raw)
    assert any(d.file == "sasaran.csv" and "';'" in d.message for d in defects)


def test_missing_narrative(raw):
    (raw / "narasi" / "sasaran_S2.md").unlink()
    [d] = _errors(raw)
    assert d.file == "narasi/sasaran_S2.md"


def test_message_names_file_line_column_value_and_expectation(raw):
    _edit(raw / "rincian_pembilang.csv", "2024,3,PKH,229", "2024,3,PKH,22x9")
    [d] = _errors(raw)
    text = str(d)
    for part in ("rincian_pembilang.csv", "baris 4", "kolom 'jumlah'", "'22x9'", "diharapkan"):
        assert part in text


def test_processed_tables_round_trip(seed, tmp_path):
    clean.write_processed(seed, tmp_path)
    again = clean.load_processed(tmp_path, 2024)
    for file, df in seed.frames.items():
        assert again[file].equals(df), file
    assert again.corrections[0]["nilai_koreksi"] == "2.036.000.000"
