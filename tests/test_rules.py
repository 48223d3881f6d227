"""Checks as declared rules: one engine, rows of a kind, the printed derived figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.check import findings, rules
from pipeline.read import formatting as fmt
from pipeline.read import units


def capaian_row(value, text, recomputed, kind="capaian_tahunan"):
    return rules.Row(kind, "kinerja_tahunan.csv", "kode_iku=IKU1;tahun=2024", "Capaian X 2024",
                     {"capaian_cetak": rules.Figure(value, text, recomputed)},
                     {"show": fmt.percent})


def test_every_printed_derived_figure_is_one_declared_rule_of_its_kind():
    declared = {r.id: (r.kind, r.reads) for r in rules.RULES.values()
                if r.id in findings.DERIVED and r.kind == findings.DERIVED[r.id][0]}
    assert declared == findings.DERIVED
    assert declared["EFISIENSI-TERCETAK"] == ("efisiensi", (
        "capaian_kinerja", "anggaran", "realisasi_anggaran", "capaian_anggaran", "efisiensi"))


def test_a_wrong_printed_capaian_is_an_error_with_the_recomputed_value():
    # 25,06 / 33,13 x 100 = 75,641...: printed 22,64
    found = rules.run([capaian_row(Decimal("22.64"), "22,64%", Decimal("75.6414126")) ])
    assert [(f.check, f.severity, f.field, f.printed, f.expected, f.message) for f in found] == [
        ("CAPAIAN-TERCETAK", "error", "capaian_cetak", "22,64%", "75,64%",
         "Capaian X 2024: tercetak 22,64%, seharusnya 75,64%")]


def test_a_miss_within_the_last_printed_decimal_is_a_rounding_note():
    # 85,385 rounds half up to 85,39; printed 85,38 misses by 0,005 < 0,01
    found = rules.run([capaian_row(Decimal("85.38"), "85,38%", Decimal("85.385"))])
    assert [(f.severity, f.message) for f in found] == [
        ("info", "Capaian X 2024: tercetak 85,38%, hasil hitung ulang 85,39%; selisih "
                 "pembulatan (kurang dari satu satuan desimal terakhir)")]


def test_a_printed_figure_equal_at_its_decimals_holds():
    assert rules.run([capaian_row(Decimal("85.39"), "85,39%", Decimal("85.385"))]) == []


def test_a_blank_cell_is_not_checked_but_a_dash_is_a_gap():
    assert rules.run([capaian_row(None, None, Decimal("12.5"))]) == []
    gap = rules.run([capaian_row(None, "-", Decimal("12.5"))])
    assert [(f.severity, f.printed, f.message) for f in gap] == [
        ("error", "-", "Capaian X 2024: tidak tercetak, hasil hitung ulang 12,50%")]
    zero = rules.run([capaian_row(None, "-", Decimal(0))])
    assert [f.severity for f in zero] == ["info"]


def test_a_realisasi_a_list_fills_in_is_noted_even_when_its_cell_is_blank():
    row = rules.Row("capaian_tahunan", "kinerja_tahunan.csv", "kode_iku=IKU2;tahun=2024",
                    "Realisasi Y 2024 menurut daftar", {"realisasi": rules.Figure(None, None, 9)},
                    {"show": fmt.percent})
    found = rules.run([row])
    assert [(f.check, f.severity, f.printed) for f in found] == [
        ("REALISASI-DAFTAR", "info", "–")]


def test_a_rule_runs_only_on_rows_of_its_kind_holding_its_figures():
    other_kind = capaian_row(Decimal("22.64"), "22,64%", Decimal("75.64"), kind="lain")
    assert rules.run([other_kind]) == []
    without = rules.Row("capaian_tahunan", "f.csv", "k", "X", {}, {})
    assert rules.run([without]) == []


def test_a_rule_reading_several_figures_compares_each_the_row_holds():
    row = rules.Row("efisiensi", "efisiensi_cetak.csv", "kode_sasaran=S1;kode_iku=IKU1",
                    "Sasaran S1", {"anggaran": rules.Figure(3_385_637_000, "3.385.637.000",
                                                            7_693_900_000),
                                   "efisiensi": rules.Figure(Decimal("22.05"), "22,05",
                                                             Decimal("22.05"))},
                    {"show": fmt.number})
    assert [(f.field, f.printed, f.expected) for f in rules.run([row])] == [
        ("anggaran", "3.385.637.000", "7.693.900.000")]


def test_a_rule_declared_twice_is_refused():
    with pytest.raises(ValueError, match="CAPAIAN-TERCETAK on capaian_tahunan declared twice"):
        rules.rule("CAPAIAN-TERCETAK", "capaian_tahunan", ("capaian_cetak",), "error", "{what}")(
            lambda row: None)


def test_the_annual_and_quarterly_checks_share_the_capaian_rule(seed, seed_results):
    """CAPAIAN-TRIWULAN comes from the same declaration whether the annual report's annex or
    a quarterly report checks it: the seed's TW II capaian of IKU1, printed 0,03%, is 2,75%."""
    annual = [f for f in findings.run(seed, seed_results)
              if f.check == "CAPAIAN-TRIWULAN" and f.key == "triwulan=II;kode_iku=IKU1"]
    assert [(f.printed, f.expected) for f in annual] == [("0,03%", "2,75%")]


# -- one test per declared rule: a row of its kind, the finding it gives ----------------------

def found(row, only=None):
    return [(f.check, f.severity, f.field, f.printed, f.expected, f.message)
            for f in rules.run([row], only=only)]


def row(kind, figures=None, **facts):
    return rules.Row(kind, "f.csv", "k", facts.pop("what", "X"), figures or {}, facts)


F = rules.Figure
SHARE = units.Unit.of("%")
INDEX = units.Unit.of("indeks", batas_atas=4)


def test_jumlah_program_pk_a_pk_budget_unlike_the_sum_of_its_kegiatan():
    # seed: PK 7.537.949.495, rincian 7.568.789.495, difference 30.840.000
    r = row("program_pk", {"anggaran": F(7_537_949_495, recomputed=7_568_789_495)},
            program="Program X", show=fmt.number)
    assert found(r) == [("JUMLAH-PROGRAM-PK", "error", "anggaran", "7.537.949.495",
                         "7.568.789.495", "Pagu Program X pada PK (Rp7.537.949.495) berbeda "
                         "dengan jumlah rincian sub-kegiatannya (Rp7.568.789.495), selisih "
                         "Rp30.840.000")]
    same = row("program_pk", {"anggaran": F(5, recomputed=5)}, program="P", show=fmt.number)
    assert found(same) == []


def test_iku_pk_an_iku_of_the_decree_missing_from_the_pk():
    assert found(row("iku_pk", kode_iku="IKU3", in_pk=False)) == [
        ("IKU-PK", "error", "kode_iku", "–", "IKU3",
         "IKU IKU3 dalam keputusan IKU tidak ada di Perjanjian Kinerja")]
    assert found(row("iku_pk", kode_iku="IKU1", in_pk=True)) == []


def test_triwulan_target_pk_the_annual_target_a_quarter_prints():
    r = row("triwulan_kinerja", {"target_tahunan_cetak": F(Decimal("8.06"), "8,06%",
                                                           Decimal("8.60"))},
            triwulan="II", show=fmt.percent)
    assert found(r) == [("TRIWULAN-TARGET-PK", "error", "target_tahunan_cetak", "8,06%",
                         "8,60%", "Target tahunan pada laporan TW II berbeda dengan target "
                         "PK 8,60%")]


def test_triwulan_iv_tahunan_kinerja_and_keuangan():
    kinerja = row("triwulan_kinerja", {"realisasi_tahunan": F(Decimal("22.05"),
                                                              recomputed=Decimal("25.06"))},
                  indikator="Persentase X", counted="", show=fmt.percent,
                  field_realisasi_tahunan="realisasi")
    assert found(kinerja) == [("TRIWULAN-IV-TAHUNAN", "error", "realisasi", "22,05%", "25,06%",
                               "Realisasi TW IV Persentase X (22,05%) berbeda dengan realisasi "
                               "tahunan (25,06%)")]
    keuangan = row("triwulan_keuangan", {"realisasi_tahunan": F(900, recomputed=1000)},
                   kegiatan="Kegiatan Y", triwulan="IV", show=fmt.number,
                   field_realisasi_tahunan="realisasi")
    assert found(keuangan) == [("TRIWULAN-IV-TAHUNAN", "error", "realisasi", "900", "1.000",
                                "Realisasi keuangan TW IV Kegiatan Y berbeda dengan realisasi "
                                "tahunan")]


def test_triwulan_anggaran_a_quarter_budget_unlike_the_year():
    r = row("triwulan_keuangan", {"anggaran_tahunan": F(1000, recomputed=1200)},
            kegiatan="Kegiatan Y", triwulan="I", show=fmt.number,
            field_anggaran_tahunan="anggaran")
    assert found(r) == [("TRIWULAN-ANGGARAN", "error", "anggaran", "1.000", "1.200",
                         "Anggaran Kegiatan Y pada laporan TW I berbeda dengan tabel realisasi "
                         "anggaran")]


def test_triwulan_target_tw_pk_at_iv_equal_before_at_most():
    def quarter(tw, to_date, rumus="R/T"):
        return row("triwulan_kinerja", {"target_kumulatif": F(to_date, recomputed=80)},
                   what=f"Target TW {tw} X ({to_date})", triwulan=tw, rumus=rumus,
                   show=str, field_target_kumulatif="target")
    assert found(quarter("IV", 75)) == [("TRIWULAN-TARGET-TW-PK", "error", "target", "75",
                                         "80", "Target TW IV X (75) berbeda dengan target PK "
                                         "(80)")]
    assert found(quarter("II", 90)) == [("TRIWULAN-TARGET-TW-PK", "error", "target", "90",
                                         "≤ 80", "Target TW II X (90) melebihi target PK (80)")]
    assert found(quarter("II", 90, rumus="(2T-R)/T")) == []
    assert found(quarter("II", 60)) == []


def test_triwulan_target_anggaran_a_target_to_date_above_the_budget():
    r = row("triwulan_keuangan", {"target_kumulatif": F(1500, recomputed=1200)},
            kegiatan="Kegiatan Y", triwulan="III", show=fmt.number,
            field_target_kumulatif="target")
    assert found(r) == [("TRIWULAN-TARGET-ANGGARAN", "error", "target", "1.500", "≤ 1.200",
                         "Target keuangan TW III Kegiatan Y melebihi anggarannya")]


def test_efisiensi_sumber_the_efficiency_table_against_pk_and_realisasi():
    r = row("efisiensi", {"target": F(Decimal("30"), "30", Decimal("33.13")),
                          "realisasi": F(Decimal("25.06"), "25,06", Decimal("25.06"))},
            show=fmt.percent)
    assert found(r, only=["EFISIENSI-SUMBER"]) == [
        ("EFISIENSI-SUMBER", "error", "target", "30", "33,13%",
         "Target pada tabel efisiensi berbeda dengan PK/realisasi tahunan")]


def test_realisasi_melebihi_anggaran_and_tanpa_anggaran():
    over = row("sub_kegiatan", {"realisasi": F(120), "anggaran": F(100)}, sub_kegiatan="Sub A",
               show=fmt.number)
    assert found(over, only=["REALISASI-MELEBIHI-ANGGARAN"]) == [
        ("REALISASI-MELEBIHI-ANGGARAN", "error", "realisasi", "120", "≤ 100",
         "Realisasi Sub A melebihi anggarannya")]
    without = row("sub_kegiatan", {"realisasi": F(120), "anggaran": F(None)},
                  sub_kegiatan="Sub B", show=fmt.number)
    assert found(without, only=["REALISASI-TANPA-ANGGARAN"]) == [
        ("REALISASI-TANPA-ANGGARAN", "error", "realisasi", "120", "anggaran",
         "Realisasi Sub B tercatat tanpa anggaran")]


def test_realisasi_melebihi_target_tw_only_within_the_budget():
    def quarter(spent):
        return row("triwulan_keuangan", {"realisasi": F(spent), "anggaran": F(1000),
                                         "target": F(500)},
                   triwulan="II", kegiatan="Kegiatan Y", show=fmt.number)
    only = ["REALISASI-MELEBIHI-ANGGARAN", "REALISASI-MELEBIHI-TARGET-TW"]
    assert found(quarter(600), only) == [
        ("REALISASI-MELEBIHI-TARGET-TW", "info", "realisasi", "600", "≤ 500",
         "Realisasi TW II Kegiatan Y melebihi target triwulan (masih dalam anggaran)")]
    assert [f[0] for f in found(quarter(1100), only)] == ["REALISASI-MELEBIHI-ANGGARAN"]


def test_persen_mustahil_and_nilai_mustahil_above_the_top_of_the_scale():
    share = row("nilai", {"realisasi": F(Decimal("101"))}, what="Realisasi X", unit=SHARE)
    assert found(share) == [("PERSEN-MUSTAHIL", "error", "realisasi", "101,00%", "≤ 100,00%",
                             "Realisasi X (101,00%) melebihi nilai tertinggi yang mungkin "
                             "(100,00%)")]
    index = row("nilai", {"realisasi": F(Decimal("5"))}, what="Realisasi Y", unit=INDEX)
    assert [f[:5] for f in found(index)] == [("NILAI-MUSTAHIL", "error", "realisasi", "5,00",
                                              "≤ 4,00")]
    assert found(row("nilai", {"realisasi": F(Decimal("4"))}, unit=INDEX)) == []


def test_kumulatif_menurun_a_warning_for_kinerja_an_error_for_keuangan():
    facts = {"kolom": "realisasi", "Kolom": "Realisasi", "triwulan": "III", "sebelum": "II",
             "name": "keuangan Kegiatan Y", "show": fmt.number}
    figures = {"kumulatif": F(400, recomputed=450)}
    expected = ("realisasi", "400", "≥ 450", "Realisasi s.d. TW III keuangan Kegiatan Y (400) "
                "lebih kecil daripada s.d. TW II (450)")
    assert found(row("kumulatif_keuangan", figures, **facts)) == [
        ("KUMULATIF-MENURUN", "error", *expected)]
    assert found(row("kumulatif_kinerja", figures, **facts)) == [
        ("KUMULATIF-MENURUN", "warning", *expected)]


def test_deret_tahun_hilang_a_year_missing_from_a_series():
    r = row("tahun_deret", ada=False, tahun="2022", indikator="X", kode_iku="IKU1")
    assert found(r) == [("DERET-TAHUN-HILANG", "warning", "tahun", "–", "baris tahun 2022",
                         "Tahun 2022 tidak ada dalam deret X (IKU1); perubahan tahun "
                         "berikutnya tidak dihitung")]


def series_year(**figures):
    base = {"target": F(10), "realisasi_cetak": F(9), "realisasi": F(9), "perubahan": F(1)}
    return row("deret", {**base, **figures}, indikator="X", tahun="2023", tahun_lalu="2022",
               sumber_realisasi="tercetak", draf=False, unit=SHARE)


def test_deret_target_kosong():
    assert found(series_year(target=F(None))) == [
        ("DERET-TARGET-KOSONG", "warning", "target", "–", "target tahun itu",
         "Target X tahun 2023 tidak tercantum")]


def test_deret_realisasi_kosong():
    assert found(series_year(realisasi_cetak=F(None), realisasi=F(None),
                             perubahan=F(None))) == [
        ("DERET-REALISASI-KOSONG", "warning", "realisasi", "–", "realisasi tahun itu",
         "Realisasi X tahun 2023 tidak tercantum")]


def test_deret_tidak_berubah():
    assert found(series_year(perubahan=F(0))) == [
        ("DERET-TIDAK-BERUBAH", "warning", "realisasi", "9,00%", "nilai baru",
         "Realisasi X 2023 sama persis dengan tahun 2022 (9,00%); periksa apakah data tahun "
         "berjalan sudah dimutakhirkan")]
    assert found(series_year()) == []


def signer(**facts):
    base = {"dokumen": "Perjanjian Kinerja", "nip": "19730927 199403 1 006",
            "field_nip": "nip_cetak", "nama": "Suparmi A. Aspian, S.ST., MT",
            "pangkat": "Pembina ( IV/a )", "tempat_tanggal": "Muara Teweh, Januari 2024",
            "kepala_nip": "19730927 199403 1 006", "kepala_nama": "Suparmi A. Aspian, S.ST., MT",
            "kepala_pangkat": "Pembina ( IV/a )", "kota_penandatanganan": "Muara Teweh"}
    return row("penandatangan", **{**base, **facts})


def test_a_signature_block_as_printed_holds():
    assert found(signer()) == []


def test_nip_tidak_sah_nineteen_digits():
    assert found(signer(nip="19730927 1999403 1 006")) == [
        ("NIP-TIDAK-SAH", "error", "nip_cetak", "19730927 1999403 1 006", "NIP 18 digit yang sah",
         "Perjanjian Kinerja: NIP 19730927 1999403 1 006 terdiri atas 19 digit, seharusnya 18")]
    head = row("instansi", nip="19730927 199413 1 006", field_nip="kepala_nip")
    assert found(head) == [("NIP-TIDAK-SAH", "error", "kepala_nip", "19730927 199413 1 006",
                            "NIP 18 digit yang sah",
                            "NIP 19730927 199413 1 006: bulan pengangkatan 13 tidak ada")]


def test_nip_berbeda_a_valid_nip_that_is_not_the_heads():
    assert found(signer(nip="19730927 199404 1 006")) == [
        ("NIP-BERBEDA", "error", "nip_cetak", "19730927 199404 1 006", "19730927 199403 1 006",
         "Perjanjian Kinerja: NIP kepala instansi berbeda dengan NIP pada identitas instansi "
         "(19730927 199403 1 006)")]


def test_nama_berbeda_a_misspelt_name_not_another_person():
    assert found(signer(nama="Suparni A. Aspian, S.ST., MT")) == [
        ("NAMA-BERBEDA", "warning", "nama_cetak", "Suparni A. Aspian, S.ST., MT",
         "Suparmi A. Aspian, S.ST., MT",
         "Perjanjian Kinerja: ejaan nama penanda tangan berbeda dengan identitas instansi")]
    assert found(signer(nama="Budi Santoso, S.E.")) == []


def test_golongan_berbeda():
    assert found(signer(pangkat="Pembina Tingkat I ( IV/b )")) == [
        ("GOLONGAN-BERBEDA", "error", "pangkat_cetak", "Pembina Tingkat I ( IV/b )",
         "Pembina ( IV/a )", "Perjanjian Kinerja: golongan IV/b berbeda dengan golongan "
         "kepala instansi (IV/a)")]


def test_tempat_berbeda():
    assert found(signer(tempat_tanggal="Palangka Raya, Januari 2024")) == [
        ("TEMPAT-BERBEDA", "warning", "tempat_tanggal_cetak", "Palangka Raya", "Muara Teweh",
         "Perjanjian Kinerja: tempat penandatanganan tercetak berbeda dengan identitas "
         "instansi")]


def test_capaian_of_an_iku_measured_by_labels_is_noted_with_the_label_comparison():
    r = row("capaian_tahunan_label", {"capaian_cetak": F(text="100%")}, what="Capaian X 2024",
            capaian_label="Tercapai", skala="Opini BPK", realisasi="WTP", target="WTP")
    assert found(r) == [("CAPAIAN-TERCETAK", "info", "capaian_cetak", "100%", "Tercapai",
                         "Capaian X 2024: tercetak 100%; IKU diukur dengan label skala Opini "
                         "BPK, capaiannya dinilai dengan membandingkan label (realisasi WTP, "
                         "target WTP): tercapai")]
    quarter = row("capaian_triwulan_label", {"capaian_cetak": F(text="100%")}, capaian_label="",
                  skala="S", realisasi="a", target="b")
    assert [f[:5] for f in found(quarter)] == [("CAPAIAN-TRIWULAN", "info", "capaian_cetak",
                                                "100%", "tidak dapat dihitung")]


def test_keterangan_tercetak_the_verdict_printed_beside_a_capaian():
    r = row("capaian_tahunan", keterangan_cetak="Mencapai Target",
            keterangan="Tidak mencapai target", capaian_label=None, indikator="X", tahun="2024",
            dinilai=True)
    assert found(r) == [("KETERANGAN-TERCETAK", "error", "keterangan_cetak", "Mencapai Target",
                         "Tidak mencapai target", "Keterangan X 2024 tidak sesuai capaian")]
    said = row("capaian_tahunan", keterangan_cetak=" tidak mencapai TARGET",
               keterangan="Tidak mencapai target", capaian_label=None, indikator="X",
               tahun="2024", dinilai=True)
    assert found(said) == []


def test_ringkasan_tercetak_rounding_wrong_and_not_recomputable():
    def printed(value, text, recomputed):
        return row("ringkasan", {"nilai_cetak": F(value, text, recomputed)},
                   what="Rata-rata capaian")
    assert found(printed(Decimal("85.38"), "85,38", Decimal("85.3899"))) == [
        ("RINGKASAN-TERCETAK", "warning", "nilai_cetak", "85,38", "85,39%",
         "Rata-rata capaian: tercetak 85,38, hasil hitung ulang 85,39%; selisih satu satuan "
         "desimal terakhir, setingkat pembulatan (mis. rata-rata dari capaian yang telah "
         "dibulatkan)")]
    assert found(printed(Decimal("80"), "80", Decimal("85.3899")))[0][:5] == (
        "RINGKASAN-TERCETAK", "error", "nilai_cetak", "80", "85%")
    assert found(printed(Decimal("80"), "80", None))[0][:5] == (
        "RINGKASAN-TERCETAK", "warning", "nilai_cetak", "80", "–")


def test_tahunan_belum_ada():
    assert found(row("tahunan", ada=False, masalah="realisasi IKU2 belum diisi")) == [
        ("TAHUNAN-BELUM-ADA", "info", "realisasi", "–", "realisasi tahunan",
         "Realisasi TW IV belum dapat dibandingkan dengan realisasi tahunan: data tahunan "
         "belum lengkap (realisasi IKU2 belum diisi)")]


def test_triwulan_bagian_tidak_ada_and_tanda_tangan_tidak_ada():
    part = row("bagian_triwulan", ada=False, triwulan="II", catatan="Bagian keuangan kosong")
    assert found(part) == [("TRIWULAN-BAGIAN-TIDAK-ADA", "info", "triwulan", "–",
                            "baris triwulan II", "Bagian keuangan kosong")]
    unsigned = row("bagian_triwulan", ditandatangani=False, bagian="keuangan",
                   bagian_nama="Realisasi Keuangan", triwulan="II")
    assert found(unsigned) == [("TANDA-TANGAN-TIDAK-ADA", "warning", "bagian", "–", "keuangan",
                                "Realisasi Keuangan Triwulan II tercetak tanpa blok tanda "
                                "tangan")]


def test_triwulan_iku_tidak_ada():
    r = row("iku_triwulan", ada=False, triwulan="I", kode_iku="IKU2", indikator="Persentase Y")
    assert found(r) == [("TRIWULAN-IKU-TIDAK-ADA", "info", "kode_iku", "–", "IKU2",
                         "Persentase Y tidak dilaporkan pada triwulan I")]


def test_nama_berbeda_antar_triwulan():
    r = row("nama_triwulan", nama="Penyediaan pemakanan", nama_dimaksud="Penyediaan permakanan",
            kolom="kegiatan_cetak", jenis="kegiatan", no="18", triwulan_lain="I, II dan IV")
    assert found(r) == [("NAMA-BERBEDA-ANTAR-TRIWULAN", "warning", "kegiatan_cetak",
                         "Penyediaan pemakanan", "Penyediaan permakanan",
                         "Nama kegiatan pada realisasi no. 18 tercetak berbeda dengan triwulan "
                         "I, II dan IV")]


def test_format_angka():
    r = row("angka_triwulan", triwulan="I", asing=[("realisasi", "22.05%", "22,05%"),
                                                   ("anggaran", "480,000,000", "480.000.000")])
    assert found(r) == [("FORMAT-ANGKA", "info", "realisasi, anggaran", "22.05%; 480,000,000",
                         "22,05%; 480.000.000", "Angka laporan TW I tercetak dengan tanda "
                         "desimal titik atau pemisah ribuan koma; dibaca dengan benar, format "
                         "Indonesia memakai koma desimal dan titik ribuan")]


def test_every_declared_rule_has_a_test_here():
    text = Path(__file__).read_text(encoding="utf-8")
    untested = sorted({r.id for r in rules.RULES.values() if f'"{r.id}"' not in text
                       and r.id not in findings.DERIVED})
    assert untested == []


def test_kalimat_tabel_a_sentence_against_its_table_rounding_allowed():
    def stated(value, text):
        return row("kalimat", {"nilai": F(value, text, Decimal("337.56"))}, what="Capaian X",
                   kalimat="Capaian X sebesar …", tempat_tabel="halaman 35", show=fmt.percent,
                   field_nilai="capaian")
    assert found(stated(Decimal("327.56"), "327,56%")) == [
        ("KALIMAT-TABEL", "error", "capaian", "327,56%", "337,56%",
         'Capaian X: kalimat "Capaian X sebesar …" menyebut 327,56%, tabel (halaman 35) '
         "mencetak 337,56%")]
    assert found(stated(Decimal("337.6"), "337,6%")) == []


def test_jumlah_kalimat_a_total_against_the_parts_listed_under_it():
    r = row("rincian_kalimat", {"jumlah": F(2394, "2.394", 2200)}, what="Jumlah PMKS",
            bagian="2", show=fmt.number, field_jumlah="jumlah")
    assert found(r) == [("JUMLAH-KALIMAT", "error", "jumlah", "2.394", "2.200",
                         "Jumlah PMKS: jumlah yang disebut (2.394) berbeda dengan jumlah 2 "
                         "rinciannya (2.200)")]


# -- the tables' own figures (rules_tables: a received document's rows read them) ----------
def test_sisa_anggaran_pagu_minus_realisasi():
    r = row("sisa_anggaran", {"sisa": F(2_100_000, "2.100.000", 1_100_000)}, show=fmt.number)
    assert found(r) == [("SISA-ANGGARAN", "error", "sisa", "2.100.000", "1.100.000",
                         "X: tercetak 2.100.000, seharusnya 1.100.000")]
    holds = row("sisa_anggaran", {"sisa": F(1_100_000, "1.100.000", 1_100_000)},
                show=fmt.number)
    assert found(holds) == []


def test_rata_rata_tercetak_a_slip_is_a_warning():
    # (97,37 + 125,00 + 110,01) / 3 = 110,7933; printed 110,80, printed 107,77 for 105,77
    slip = row("rata_rata", {"rata_rata": F(Decimal("110.80"), "110,80", Decimal("110.7933"))},
               show=fmt.percent)
    assert [f[:5] for f in found(slip)] == [("RATA-RATA-TERCETAK", "warning", "rata_rata",
                                             "110,80", "110,79%")]
    wrong = row("rata_rata", {"rata_rata": F(Decimal("107.77"), "107,77", Decimal("105.7667"))},
                show=fmt.percent)
    assert found(wrong) == [("RATA-RATA-TERCETAK", "error", "rata_rata", "107,77", "105,77%",
                             "X: tercetak 107,77, seharusnya 105,77%")]


def test_angka_tidak_dipahami_a_cell_a_rule_needs_is_a_warning():
    r = row("sel_tidak_dipahami", sel='"1.250"', reason="ambigu", check="TOTAL-RINCIAN",
            expected="satu angka yang terbaca jelas", field_sel="Jumlah Bayi")
    assert found(r) == [("ANGKA-TIDAK-DIPAHAMI", "warning", "Jumlah Bayi", '"1.250"',
                         "satu angka yang terbaca jelas", 'X: sel "1.250" tidak dipahami '
                         "(ambigu), sehingga TOTAL-RINCIAN tidak diperiksa; yang diharapkan: "
                         "satu angka yang terbaca jelas")]
