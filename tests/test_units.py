"""Units per IKU: how a value is read, checked and printed; capaian formulas; level words."""

from decimal import Decimal

import pytest

from pipeline.compute import indicators
from pipeline.present import narrative
from pipeline.read import level
from pipeline.read.formatting import join_words
from pipeline.read.numbers import NumberFormatError, round_half_up
from pipeline.read.units import Unit

PERCENT = Unit.of("%")
DOKUMEN = Unit.of("dokumen", desimal=0)
IKM = Unit.of("indeks", desimal=2, batas_atas=Decimal(100))
RUPIAH = Unit.of("Rp", desimal=0)


@pytest.mark.parametrize("unit, value, shown", [
    (PERCENT, Decimal("22.05"), "22,05%"),
    (DOKUMEN, Decimal(12), "12 dokumen"),
    (Unit.of("orang", desimal=0), Decimal(1250), "1.250 orang"),
    (IKM, Decimal("82.5"), "82,50"),
    (RUPIAH, Decimal(1250000000), "Rp1.250.000.000"),
    (DOKUMEN, None, "–"),
])
def test_each_unit_prints_its_own_way(unit, value, shown):
    assert unit.show(value) == shown


@pytest.mark.parametrize("unit, text, value", [
    (PERCENT, "22.05 %", Decimal("22.05")),
    (PERCENT, "22,05%", Decimal("22.05")),
    (DOKUMEN, "1.250", Decimal(1250)),  # a dot groups thousands in a count
    (DOKUMEN, "12", Decimal(12)),
    (IKM, "82,50", Decimal("82.50")),
    (IKM, "3.45", Decimal("3.45")),
    (RUPIAH, "Rp1.250.000,-", Decimal(1250000)),
])
def test_values_are_read_by_their_unit(unit, text, value):
    assert unit.parse(text) == value


def test_a_count_with_a_percent_sign_is_refused():
    with pytest.raises(NumberFormatError) as err:
        DOKUMEN.parse("12%")
    assert "tanpa %" in err.value.expected


def test_kind_follows_the_unit_word():
    assert PERCENT.jenis == "persentase" and PERCENT.batas_atas == 100
    assert DOKUMEN.jenis == "jumlah" and DOKUMEN.batas_atas is None
    assert Unit.of("nilai").jenis == "indeks"
    assert Unit.of("Rp").jenis == "rupiah"
    assert Unit.of("%", jenis="rasio").batas_atas is None  # a growth rate may pass 100%


def test_above_the_scale_is_implausible_only_for_a_bounded_unit():
    assert PERCENT.implausible(Decimal("100.01"))
    assert not PERCENT.implausible(Decimal(100))
    assert not DOKUMEN.implausible(Decimal(5000))
    assert IKM.implausible(Decimal("100.5"))
    assert Unit.of("skor", batas_atas=Decimal(4)).implausible(Decimal("4.2"))


def test_negative_values_only_for_rates_and_indices():
    assert DOKUMEN.range_problem(Decimal(-1)) == \
        "nilai dalam satuan dokumen (iku.csv), tidak negatif"
    assert Unit.of("%", jenis="rasio").range_problem(Decimal("-2.1")) is None


def test_changes_are_counted_in_the_unit():
    assert PERCENT.change_word == "poin"
    assert DOKUMEN.change_word == "dokumen"
    assert IKM.change_word == "poin"
    assert narrative.compare_previous("Dokumen tepat waktu", 2025, Decimal(12), Decimal(9),
                                      DOKUMEN) == (
        "Realisasi Dokumen tepat waktu naik 3 dokumen, dari 9 dokumen pada tahun 2024 menjadi "
        "12 dokumen pada tahun 2025.")


# capaian by the IKU's formula, recomputed by hand
@pytest.mark.parametrize("target, realisasi, polaritas, rumus, expected", [
    ("22.05", "25.06", "positif", None, "113.65"),   # 25,06 / 22,05 x 100 = 113,6508
    ("10", "8", "negatif", None, "120.00"),          # (2 x 10 - 8) / 10 x 100
    ("10", "8", "negatif", "2T-R", "120.00"),
    ("10", "8", "negatif", "T/R", "125.00"),         # 10 / 8 x 100
    ("10", "12.5", "negatif", "T/R", "80.00"),       # 10 / 12,5 x 100
])
def test_capaian_formulas(target, realisasi, polaritas, rumus, expected):
    value = indicators.capaian(Decimal(target), Decimal(realisasi), polaritas, rumus).value
    assert round_half_up(value, 2) == Decimal(expected)


def test_target_over_realisasi_needs_a_realisasi_above_zero():
    result = indicators.capaian(Decimal(5), Decimal(0), "negatif", "T/R")
    assert result.value is None and result.reason == "realisasi bernilai nol"


def test_level_words_come_from_the_defaults_table_and_the_data():
    kota = level.words({"tingkat": "kota", "wilayah": "Tepian", "provinsi": "Seberang"})
    assert (kota["kepala_daerah"], kota["sumber_anggaran"]) == ("Wali Kota", "APBD")
    assert kota["lokasi"] == "Kota Tepian, Provinsi Seberang"
    assert level.words({"tingkat": "provinsi", "wilayah": "Seberang"})["lokasi"] == \
        "Provinsi Seberang"
    ministry = level.words({"tingkat": "kementerian"})
    assert (ministry["kepala_daerah"], ministry["sumber_anggaran"], ministry["lokasi"]) == \
        ("Menteri", "APBN", "")
    own = level.words({"tingkat": "kota", "kepala_daerah": "Wali Kota Administratif"})
    assert own["kepala_daerah"] == "Wali Kota Administratif"
    # a data folder of today (no tingkat, only kabupaten) reads as before
    assert level.words({"kabupaten": "Hulu", "provinsi": "Tengah"})["lokasi"] == \
        "Kabupaten Hulu, Provinsi Tengah"


def test_words_never_double():
    assert join_words("Jumlah", "Jumlah PMKS Mandiri") == "Jumlah PMKS Mandiri"
    assert join_words("Komposisi", "Jumlah PMKS Mandiri") == "Komposisi Jumlah PMKS Mandiri"


def test_formula_text_of_a_measured_indicator_is_empty():
    assert narrative.formula_text({"pembilang": "A", "penyebut": "B", "pengali": 100}) == \
        "(A ÷ B) × 100"
    assert narrative.formula_text({"pembilang": "A", "penyebut": "B", "pengali": None}) == \
        "A ÷ B"
    assert narrative.formula_text({"pembilang": None, "penyebut": None, "pengali": None}) == "–"
