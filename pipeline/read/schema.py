"""The data dictionary: every raw file, its columns, units, keys and references.

The dictionary in data/raw/README.md is generated from this module (`lkip schema-doc`),
so the documentation and the validation cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import level

# Column kinds and how they are read (see numbers.py).
KINDS = {
    "text": "teks bebas",
    "code": "kode (huruf/angka tanpa spasi)",
    "int": "bilangan bulat",
    "year": "tahun empat digit",
    "rupiah": "rupiah, bilangan bulat (3.385.637.000; Rp dan ,- boleh)",
    "percent": "persen (22,05% atau 22.05 %)",
    "decimal": "bilangan desimal (0,4907)",
    "points": "poin persentase, boleh negatif (-91,49)",
    "date": "tanggal (18 Februari 2025)",
    "nip": "NIP seperti tercetak (19730927 199403 1 006)",
    "measure": "nilai dalam satuan IKU-nya (22,05% untuk persen, 1.250 untuk cacah, 82,50 "
               "untuk indeks)",
}
MEASURE_UNIT = "satuan IKU"

LEVELS = level.levels()  # pipeline/defaults/tingkat.csv
SASARAN_RULES = ("rata-rata", "terendah")
NEGATIVE_FORMULAS = ("2T-R", "T/R")
TRIWULAN_COUNTING = ("kumulatif", "per_triwulan")
# the printed averages ringkasan_cetak.csv may hold (declared in printed_totals.SUMMARIES)
SUMMARY_FIGURES = ("rata_rata_capaian", "rata_rata_capaian_sasaran", "capaian_sasaran")
SASARAN_FIGURES = ("capaian_sasaran",)  # those of them that belong to one sasaran
# the parts of a quarterly report, each with its own signature block
QUARTER_PARTS = ("surat_pengantar", "keuangan", "kinerja")
# separates the lines of a multi-line cell (the addressee of a letter)
LINE_SEPARATOR = "|"
# what the dictionary says of a figure that may be not set (Column.may_be_unset)
UNSET_NOTE = ("Boleh kosong, `-` atau `n/a` bila angka itu memang tidak ditetapkan: dicetak "
              "–, tidak dihitung sebagai nol, dan capaiannya tidak dihitung.")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    unit: str = ""
    required: bool = True
    derived: bool = False  # a printed derived figure: kept, never trusted, recomputed
    choices: tuple[str, ...] = ()
    year_rule: str = ""  # "report": equals the report year; "upto": not after it
    # a figure that may be genuinely not set in a row (a quarter without a target): the
    # column is in every file, but its cell may be empty, `-` or `n/a`, read as no value
    may_be_unset: bool = False

    @property
    def must_be_filled(self) -> bool:
        return self.required and not self.may_be_unset


@dataclass(frozen=True)
class Table:
    file: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    refs: tuple[tuple[str, str, str], ...] = ()  # (column, other file, other column)
    optional: bool = False
    min_rows: int = 1
    source: str = ""
    # the column naming a row's level of government: a required cell that level goes
    # without (level.blank_allowed) may be blank, or its column left out
    level_column: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        """Columns the header must have; an optional column may be left out of the file."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def C(name, kind, description, unit="", **kw) -> Column:  # noqa: N802 - table-like brevity
    return Column(name, kind, description, unit, **kw)


def _unless_level(column: str) -> str:
    """What the dictionary says of a signer cell some levels go without."""
    without = level.levels_without(column)
    return f"; boleh kosong pada tingkat {', '.join(without)}" if without else ""


TRIWULAN = ("I", "II", "III", "IV")

TABLES: tuple[Table, ...] = (
    Table(
        "instansi.csv",
        "Identitas instansi dan penandatangan laporan; satu-satunya sumber blok tanda tangan.",
        (
            C("tahun_laporan", "year", "Tahun anggaran yang dilaporkan", year_rule="report"),
            C("nama_instansi", "text", "Nama perangkat daerah atau satuan kerja; bagi pemerintah "
              "daerah yang melapor sebagai keseluruhan, nama pemerintah daerah itu (sama dengan "
              "pemerintah)"),
            C("singkatan", "text", "Singkatan nama instansi", required=False),
            C("pemerintah", "text", "Pemerintah daerah induk"),
            C("tingkat", "code", "Tingkat pemerintahan instansi; menentukan sebutan bawaan "
              "(Bupati/Wali Kota/Gubernur/Menteri, APBD/APBN). pemerintah_kabupaten, "
              "pemerintah_kota, pemerintah_provinsi: pemerintah daerah yang melaporkan "
              "kinerjanya sebagai keseluruhan (ditandatangani kepala daerah). Kosong: kabupaten",
              required=False, choices=LEVELS),
            C("wilayah", "text", "Nama kabupaten, kota atau provinsi tanpa sebutannya (kosong "
              "untuk kementerian/lembaga)", required=False),
            C("kabupaten", "text", "Nama kabupaten/kota (kolom lama; dipakai bila wilayah kosong)",
              required=False),
            C("provinsi", "text", "Nama provinsi tempat wilayah berada", required=False),
            C("alamat", "text", "Alamat kantor"),
            C("kota", "text", "Kota kedudukan kantor"),
            C("kode_pos", "code", "Kode pos", required=False),
            C("telepon", "text", "Nomor telepon kantor", required=False),
            C("email", "text", "Alamat surel kantor", required=False),
            C("kepala_nama", "text", "Nama kepala instansi beserta gelar"),
            C("kepala_jabatan", "text", "Jabatan kepala instansi"),
            C("kepala_pangkat", "text", "Pangkat/golongan kepala instansi"
              + _unless_level("kepala_pangkat")),
            C("kepala_nip", "nip", "NIP kepala instansi (18 digit, boleh berspasi)"
              + _unless_level("kepala_nip")),
            C("atasan_nama", "text", "Nama atasan penanda tangan PK (Pihak Kedua)"
              + _unless_level("atasan_nama")),
            C("atasan_jabatan", "text", "Jabatan atasan penanda tangan PK"
              + _unless_level("atasan_jabatan")),
            C("kota_penandatanganan", "text", "Kota tempat laporan ditandatangani"),
            C("tanggal_penandatanganan", "date", "Tanggal laporan ditandatangani"),
            C("tanggal_pk", "date", "Tanggal Perjanjian Kinerja ditandatangani", required=False),
            C("sebutan_wilayah", "text", "Sebutan wilayah (Kabupaten, Kota, Provinsi); kosong: "
              "menurut tingkat", required=False),
            C("kepala_daerah", "text", "Sebutan pimpinan yang menetapkan IKU dan menerima PK "
              "(Bupati, Wali Kota, Gubernur, Menteri); kosong: menurut tingkat", required=False),
            C("sumber_anggaran", "text", "Sebutan anggaran (APBD, APBN); kosong: menurut tingkat",
              required=False),
            C("sebutan_instansi", "text", "Sebutan jenis instansi (Perangkat Daerah, Satuan "
              "Kerja); kosong: menurut tingkat", required=False),
            C("pembanding", "text", "Tingkat target pembanding pada target_provinsi.csv "
              "(provinsi, nasional); kosong: menurut tingkat", required=False),
            C("rencana_jangka_menengah", "text", "Sebutan dokumen rencana jangka menengah "
              "(Renstra/RPD, Renstra); kosong: menurut tingkat", required=False),
            C("sebutan_sub_kegiatan", "text", "Sebutan rincian anggaran di bawah kegiatan "
              "(sub-kegiatan, rincian output); kosong: menurut tingkat", required=False),
            C("penerima_laporan", "text", "Kepada siapa laporan dipertanggungjawabkan (Bab I); "
              "kosong: menurut tingkat (kepala daerah, atau bagi pemerintah daerah sebagai "
              "keseluruhan: Menteri PAN-RB, Menteri Dalam Negeri dan Gubernur)", required=False),
            C("capaian_sasaran", "code", "Aturan capaian sasaran yang diukur beberapa IKU: "
              "rata-rata capaian IKU-nya, atau capaian terendah. Kosong: rata-rata",
              required=False, choices=SASARAN_RULES),
        ),
        key=("tahun_laporan",),
        source="Sampul, Kata Pengantar, kop surat dan Perjanjian Kinerja",
        level_column="tingkat",
    ),
    Table(
        "tujuan.csv",
        "Tujuan jangka menengah (Renstra/RPD) dan indikator tujuannya.",
        (
            C("kode_tujuan", "code", "Kode tujuan (T1, T2, ...)"),
            C("uraian", "text", "Rumusan tujuan"),
            C("kode_iku", "code", "IKU yang mengukur tujuan, bila ada", required=False),
        ),
        key=("kode_tujuan",),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        optional=True,
        source="Bab II, Tujuan dan Sasaran Jangka Menengah",
    ),
    Table(
        "sasaran_renstra.csv",
        "Sasaran Renstra/RPD beserta tujuan yang dilayaninya.",
        (
            C("kode_sasaran_renstra", "code", "Kode sasaran Renstra (R1, R2, ...)"),
            C("kode_tujuan", "code", "Tujuan yang dilayani"),
            C("uraian", "text", "Rumusan sasaran"),
        ),
        key=("kode_sasaran_renstra",),
        refs=(("kode_tujuan", "tujuan.csv", "kode_tujuan"),),
        optional=True,
        source="Bab II A",
    ),
    Table(
        "sasaran.csv",
        "Sasaran strategis pada Perjanjian Kinerja dan keputusan IKU.",
        (
            C("kode_sasaran", "code", "Kode sasaran strategis (S1, S2, ...)"),
            C("uraian", "text", "Rumusan sasaran strategis"),
            C("sebutan", "text", "Sebutan sasaran seperti tercetak di dokumen sumber (Sasaran "
              "Strategis 5, Sasaran 2.1), dipakai di setiap bagian laporan; kosong: Sasaran "
              "dan nomor urutnya", required=False),
        ),
        key=("kode_sasaran",),
        source="Keputusan kepala daerah tentang IKU; Perjanjian Kinerja",
    ),
    Table(
        "iku.csv",
        "Indikator Kinerja Utama: rumus, satuan, polaritas, sumber data, penanggung jawab.",
        (
            C("kode_iku", "code", "Kode indikator (IKU1, IKU2, ...)"),
            C("kode_sasaran", "code", "Sasaran strategis yang diukur"),
            C("indikator", "text", "Nama indikator"),
            C("pembilang", "text", "Pembilang rumus (kosong bila indikator diukur langsung)",
              required=False),
            C("penyebut", "text", "Penyebut rumus (kosong bila indikator diukur langsung)",
              required=False),
            C("pengali", "int", "Pengali rumus (100 untuk persen; kosong: tanpa pengali)",
              required=False),
            C("satuan", "text", "Satuan indikator seperti tercetak: %, orang, dokumen, desa, "
              "unit, kegiatan, indeks, nilai, Rp, ..."),
            C("jenis_satuan", "code", "Jenis besaran: persentase (bagian dari keseluruhan, "
              "0–100), jumlah (cacah), indeks (nilai pada skala), rasio (boleh negatif), rupiah. "
              "Kosong: persentase untuk %, rupiah untuk Rp, indeks untuk indeks/nilai/skor, "
              "selain itu jumlah", required=False,
              choices=("persentase", "jumlah", "indeks", "rasio", "rupiah")),
            C("batas_atas", "decimal", "Nilai tertinggi yang mungkin (mis. 100 untuk IKM 0–100, 4 "
              "untuk skor 1–4); kosong: 100 untuk persentase, tanpa batas untuk lainnya",
              required=False),
            C("desimal", "int", "Jumlah desimal target dan realisasi yang dilaporkan; kosong: 2",
              required=False),
            C("polaritas", "code", "Arah indikator: positif (makin tinggi makin baik) atau "
              "negatif (makin rendah makin baik)", choices=("positif", "negatif")),
            C("rumus_negatif", "code", "Rumus capaian indikator negatif: 2T-R = (2 × target − "
              "realisasi) ÷ target × 100; T/R = target ÷ realisasi × 100. Kosong: 2T-R",
              required=False, choices=NEGATIVE_FORMULAS),
            C("sumber_data", "text", "Sumber data"),
            C("penanggung_jawab", "text", "Unit penanggung jawab (dipisah ';')"),
            C("realisasi_dari", "code", "Kosong: realisasi seperti tercetak di "
              "kinerja_tahunan.csv; desa_mandiri.csv: dihitung dari daftar desa mandiri dan "
              "jumlah_desa.csv", required=False, choices=("desa_mandiri.csv",)),
            C("satuan_pembilang", "text", "Satuan pembilang (orang, desa, ...)", required=False),
            C("catatan", "text", "Catatan tentang data indikator, dicetak di bawah tabelnya",
              required=False),
            C("skala", "code", "Skala label berurutan bila IKU diukur dengan label, bukan "
              "angka (opini_bpk, nilai_sakip, status_idm, kategori_rb, atau skala pada "
              "skala.csv): target dan realisasinya ditulis sebagai label (WTP, BB, Mandiri) "
              "dan capaiannya tercapai, tidak tercapai atau melampaui. Kosong: IKU berupa angka",
              required=False),
        ),
        key=("kode_iku",),
        refs=(("kode_sasaran", "sasaran.csv", "kode_sasaran"),),
        source="Lampiran keputusan tentang IKU; Bab II B",
    ),
    Table(
        "skala.csv",
        "Skala label berurutan milik instansi untuk IKU kualitatif; satu baris per label. "
        "Skala bawaan (pipeline/defaults/skala.csv): opini_bpk (WTP, WDP, TW, TMP), "
        "nilai_sakip (AA, A, BB, B, CC, C, D), status_idm (Mandiri, Maju, Berkembang, "
        "Tertinggal, Sangat Tertinggal), kategori_rb (AA … D); skala di sini yang bernama sama "
        "menggantikan skala bawaan itu seluruhnya.",
        (
            C("skala", "code", "Kode skala, dirujuk kolom skala pada iku.csv"),
            C("nama_skala", "text", "Nama skala seperti dicetak (Opini BPK); cukup pada satu "
              "baris skala itu. Kosong: kode skala", required=False),
            C("urutan", "int", "Kedudukan label, 1 yang terbaik"),
            C("label", "text", "Label seperti tercetak (WTP, BB, Mandiri), tanpa koma dan tanda "
              "kutip"),
            C("arti", "text", "Kepanjangan atau arti label (Wajar Tanpa Pengecualian); juga "
              "diterima sebagai label", required=False),
        ),
        key=("skala", "label"),
        optional=True,
        source="Ketentuan penilaian yang dipakai IKU (opini, predikat, status)",
    ),
    Table(
        "target_renstra.csv",
        "Target IKU per tahun pada Renstra/RPD (jangka menengah).",
        (
            C("kode_iku", "code", "Indikator"),
            C("tahun", "year", "Tahun target"),
            C("target", "measure", "Target", MEASURE_UNIT),
            C("dokumen", "text", "Dokumen perencanaan asal target"),
        ),
        key=("kode_iku", "tahun"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        optional=True,
        source="Bab II, Tujuan dan Sasaran Jangka Menengah",
    ),
    Table(
        "target_pk.csv",
        "Target IKU tahun laporan pada Perjanjian Kinerja.",
        (
            C("kode_iku", "code", "Indikator"),
            C("tahun", "year", "Tahun PK", year_rule="report"),
            C("target", "measure", "Target PK", MEASURE_UNIT),
        ),
        key=("kode_iku", "tahun"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        source="Bab II C, Perjanjian Kinerja",
    ),
    Table(
        "target_provinsi.csv",
        "Target provinsi/nasional pembanding untuk IKU.",
        (
            C("kode_iku", "code", "Indikator"),
            C("tahun", "year", "Tahun", year_rule="report"),
            C("target", "measure", "Target pembanding", MEASURE_UNIT),
            C("sumber", "text", "Asal target pembanding"),
        ),
        key=("kode_iku", "tahun"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        optional=True,
        source="Bab III A, tabel perbandingan dengan target provinsi atau nasional",
    ),
    Table(
        "kinerja_tahunan.csv",
        "Deret tahunan target, realisasi dan capaian IKU seperti tercetak.",
        (
            C("kode_iku", "code", "Indikator"),
            C("tahun", "year", "Tahun", year_rule="upto"),
            C("target", "measure", "Target tahun itu", MEASURE_UNIT, required=False),
            C("realisasi", "measure", "Realisasi seperti tercetak", MEASURE_UNIT,
              required=False),
            C("capaian_cetak", "percent", "Capaian seperti tercetak (kosong: tidak tercetak, "
              "tidak diperiksa)", "%", required=False, derived=True),
            C("keterangan_cetak", "text", "Keterangan seperti tercetak", required=False,
              derived=True),
        ),
        key=("kode_iku", "tahun"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        source="Bab III, tabel target dan realisasi per tahun",
    ),
    Table(
        "rincian_pembilang.csv",
        "Rincian pembilang IKU per kategori (mis. penerima manfaat per jenis bantuan).",
        (
            C("kode_iku", "code", "Indikator"),
            C("tahun", "year", "Tahun", year_rule="report"),
            C("no", "int", "Nomor urut tercetak"),
            C("kategori", "text", "Kategori"),
            C("jumlah", "int", "Jumlah dalam kategori", "satuan_pembilang pada iku.csv"),
        ),
        key=("kode_iku", "tahun", "no"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        optional=True,
        source="Bab III, tabel rincian pembilang",
    ),
    Table(
        "rincian_total_cetak.csv",
        "Jumlah rincian pembilang seperti tercetak.",
        (
            C("kode_iku", "code", "Indikator"),
            C("tahun", "year", "Tahun", year_rule="report"),
            C("total_cetak", "int", "Jumlah tercetak", derived=True),
        ),
        key=("kode_iku", "tahun"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        optional=True,
        source="Bab III, baris jumlah tabel rincian",
    ),
    Table(
        "desa_mandiri.csv",
        "Daftar desa berstatus Mandiri dan tahun pertama berstatus Mandiri.",
        (
            C("no", "int", "Nomor urut tercetak"),
            C("desa", "text", "Nama desa"),
            C("kecamatan", "text", "Kecamatan"),
            C("tahun_mandiri", "year", "Tahun desa mencapai status Mandiri", year_rule="upto"),
        ),
        key=("desa", "kecamatan"),
        optional=True,
        source="Bab III, tabel desa mandiri",
    ),
    Table(
        "jumlah_desa.csv",
        "Jumlah desa di kabupaten per tahun (penyebut Persentase Desa Mandiri).",
        (
            C("tahun", "year", "Tahun", year_rule="upto"),
            C("jumlah_desa", "int", "Jumlah desa (kelurahan tidak dihitung)", "desa"),
            C("sumber", "text", "Sumber angka"),
        ),
        key=("tahun",),
        optional=True,
        source="Bab III, penyebut persentase desa mandiri",
    ),
    Table(
        "idm_status.csv",
        "Ambang batas status desa menurut Indeks Desa Membangun (IDM).",
        (
            C("status", "text", "Status desa"),
            C("batas_bawah", "decimal", "Batas bawah IDM (tidak termasuk)", required=False),
            C("batas_atas", "decimal", "Batas atas IDM (termasuk)", required=False),
        ),
        key=("status",),
        optional=True,
        source="Bab III, klasifikasi status desa",
    ),
    Table(
        "predikat.csv",
        "Skala predikat capaian kinerja; baris tanpa batas bawah menampung sisanya.",
        (
            C("predikat", "text", "Label predikat"),
            C("batas_bawah", "percent", "Capaian minimum (termasuk)", "%", required=False),
        ),
        key=("predikat",),
        optional=True,
        source="Skala 5 kategori evaluasi perencanaan daerah (bawaan bila file tidak ada)",
    ),
    Table(
        "pk_program.csv",
        "Program pada Perjanjian Kinerja, anggarannya dan sasaran yang didukungnya.",
        (
            C("kode_program", "code", "Kode program (P01, ...)"),
            C("program", "text", "Nama program seperti pada PK"),
            C("anggaran", "rupiah", "Anggaran pada PK", "Rp"),
            C("sumber_dana", "text", "Sumber dana"),
            C("kode_sasaran", "code", "Sasaran strategis yang didukung (kosong untuk program "
              "penunjang)", required=False),
        ),
        key=("kode_program",),
        refs=(("kode_sasaran", "sasaran.csv", "kode_sasaran"),),
        source="Lampiran Perjanjian Kinerja; Bab II C",
    ),
    Table(
        "realisasi_anggaran.csv",
        "Realisasi anggaran per sub-kegiatan (program, kegiatan, sub-kegiatan), seperti "
        "tercetak, termasuk baris tanpa anggaran.",
        (
            C("no", "int", "Nomor baris dalam tabel (kunci)"),
            C("kode_program", "code", "Program (lihat pk_program.csv)"),
            C("no_program_cetak", "int", "Nomor program seperti tercetak"),
            C("kegiatan", "text", "Nama kegiatan"),
            C("sub_kegiatan", "text", "Nama sub-kegiatan"),
            C("anggaran", "rupiah", "Anggaran (target) sub-kegiatan", "Rp", required=False),
            C("realisasi", "rupiah", "Realisasi sub-kegiatan", "Rp", required=False),
            C("persentase_cetak", "percent", "Persentase realisasi seperti tercetak", "%",
              required=False, derived=True),
        ),
        key=("no",),
        refs=(("kode_program", "pk_program.csv", "kode_program"),),
        source="Bab III D, Tabel Realisasi Program dan Kegiatan",
    ),
    Table(
        "efisiensi_cetak.csv",
        "Tabel perbandingan kinerja dan anggaran per sasaran, seperti tercetak.",
        (
            C("kode_sasaran", "code", "Sasaran strategis"),
            C("kode_iku", "code", "Indikator"),
            C("target", "measure", "Target seperti tercetak", MEASURE_UNIT, derived=True),
            C("realisasi", "measure", "Realisasi seperti tercetak", MEASURE_UNIT, derived=True),
            C("capaian_kinerja_cetak", "percent", "Capaian kinerja tercetak", "%", derived=True),
            C("anggaran", "rupiah", "Anggaran sasaran tercetak", "Rp", derived=True),
            C("realisasi_anggaran", "rupiah", "Realisasi anggaran tercetak", "Rp", derived=True),
            C("capaian_anggaran_cetak", "percent", "Capaian anggaran tercetak", "%",
              derived=True),
            C("efisiensi_cetak", "points", "Tingkat efisiensi tercetak", "poin", derived=True),
        ),
        key=("kode_sasaran", "kode_iku"),
        refs=(("kode_sasaran", "sasaran.csv", "kode_sasaran"), ("kode_iku", "iku.csv",
                                                                  "kode_iku")),
        optional=True,
        source="Bab III C, Perbandingan Pencapaian Kinerja dan Anggaran",
    ),
    Table(
        "subtotal_cetak.csv",
        "Jumlah per program dan per kegiatan pada tabel realisasi anggaran, dan baris Jumlah "
        "seluruh program, seperti tercetak; setiap baris diperiksa terhadap jumlah rincian "
        "sub-kegiatannya.",
        (
            C("kode_program", "code", "Program; kosong (bersama kegiatan) untuk baris Jumlah "
              "seluruh program", required=False),
            C("kegiatan", "text", "Kegiatan, persis seperti di realisasi_anggaran.csv; kosong "
              "untuk baris jumlah program", required=False),
            C("anggaran", "rupiah", "Anggaran tercetak", "Rp", required=False, derived=True),
            C("realisasi", "rupiah", "Realisasi tercetak", "Rp", required=False, derived=True),
            C("persentase_cetak", "percent", "Persentase tercetak", "%", required=False,
              derived=True),
        ),
        key=("kode_program", "kegiatan"),
        refs=(("kode_program", "pk_program.csv", "kode_program"),),
        optional=True,
        source="Bab III, baris jumlah program dan kegiatan pada tabel realisasi anggaran",
    ),
    Table(
        "ringkasan_cetak.csv",
        "Angka ringkasan capaian seperti tercetak (rata-rata capaian kinerja, rata-rata "
        "capaian sasaran, capaian satu sasaran); setiap angka dihitung ulang dari capaian IKU "
        "yang tidak dibulatkan, dan selisih satu satuan desimal terakhir menjadi peringatan.",
        (
            C("angka", "code", "Angka yang tercetak: rata_rata_capaian (rata-rata capaian IKU "
              "tahun laporan), rata_rata_capaian_sasaran (rata-rata capaian sasaran), "
              "capaian_sasaran (capaian satu sasaran, dengan kode_sasaran)",
              choices=SUMMARY_FIGURES),
            C("kode_sasaran", "code", "Sasaran, untuk capaian_sasaran; kosong untuk angka lain",
              required=False),
            C("nilai_cetak", "percent", "Angka seperti tercetak", "%", derived=True),
            C("tempat", "text", "Tempat angka itu tercetak di dokumen (mis. Bab III, Tabel 3.4)",
              required=False),
        ),
        key=("angka", "kode_sasaran"),
        refs=(("kode_sasaran", "sasaran.csv", "kode_sasaran"),),
        optional=True,
        source="Bab III dan Ikhtisar Eksekutif, baris rata-rata capaian dan capaian sasaran",
    ),
    Table(
        "triwulan_kinerja.csv",
        "Realisasi kinerja IKU per triwulan, seperti tercetak.",
        (
            C("triwulan", "code", "Triwulan", choices=TRIWULAN),
            C("kode_iku", "code", "Indikator"),
            C("target_tahunan_cetak", "measure", "Target tahunan seperti tercetak",
              MEASURE_UNIT, derived=True),
            C("target", "measure", "Target triwulan (s.d. triwulan bila kumulatif)",
              MEASURE_UNIT, may_be_unset=True),
            C("realisasi", "measure", "Realisasi triwulan (s.d. triwulan bila kumulatif)",
              MEASURE_UNIT, required=False),
            C("capaian_cetak", "percent", "Capaian tercetak", "%", required=False, derived=True),
            C("cara_hitung", "code", "kumulatif: angka s.d. triwulan itu; per_triwulan: angka "
              "triwulan itu saja. Kosong: kumulatif", required=False, choices=TRIWULAN_COUNTING),
            C("keterangan", "text", "Keterangan seperti tercetak", required=False),
        ),
        key=("triwulan", "kode_iku"),
        refs=(("kode_iku", "iku.csv", "kode_iku"),),
        optional=True,
        source="Laporan Realisasi Kinerja Triwulan I-IV",
    ),
    Table(
        "triwulan_keuangan.csv",
        "Realisasi keuangan kegiatan per triwulan, seperti tercetak.",
        (
            C("triwulan", "code", "Triwulan", choices=TRIWULAN),
            C("no_cetak", "int", "Nomor baris seperti tercetak"),
            C("program_cetak", "text", "Program seperti tercetak"),
            C("kegiatan_cetak", "text", "Kegiatan seperti tercetak"),
            C("no_realisasi", "int", "Baris realisasi_anggaran.csv yang dimaksud"),
            C("anggaran", "rupiah", "Anggaran", "Rp"),
            C("target", "rupiah", "Target keuangan triwulan (s.d. triwulan bila kumulatif)", "Rp",
              required=False),
            C("realisasi", "rupiah", "Realisasi keuangan triwulan (s.d. triwulan bila "
              "kumulatif)", "Rp", required=False),
            C("capaian_cetak", "percent", "Capaian tercetak", "%", required=False, derived=True),
            C("cara_hitung", "code", "kumulatif: angka s.d. triwulan itu; per_triwulan: angka "
              "triwulan itu saja. Kosong: kumulatif", required=False, choices=TRIWULAN_COUNTING),
            C("keterangan", "text", "Keterangan seperti tercetak", required=False),
        ),
        key=("triwulan", "no_realisasi"),
        refs=(("no_realisasi", "realisasi_anggaran.csv", "no"),),
        optional=True,
        source="Laporan Realisasi Keuangan Triwulan I-IV",
    ),
    Table(
        "tindak_lanjut.csv",
        "Tindak lanjut rekomendasi hasil evaluasi SAKIP tahun sebelumnya.",
        (
            C("komponen", "text", "Komponen evaluasi"),
            C("no", "int", "Nomor dalam komponen"),
            C("rekomendasi", "text", "Rekomendasi evaluator"),
            C("rencana_aksi", "text", "Rencana aksi tindak lanjut"),
            C("penanggung_jawab", "text", "Penanggung jawab"),
            C("status", "text", "Status/progres penyelesaian"),
            C("keterangan", "text", "Keterangan/bukti dukung", required=False),
        ),
        key=("komponen", "no"),
        optional=True,
        source="Bab II, Tindak Lanjut Hasil Evaluasi tahun sebelumnya",
    ),
    Table(
        "penandatangan.csv",
        "Blok tanda tangan pada setiap dokumen lampiran, seperti tercetak.",
        (
            C("dokumen", "text", "Dokumen"),
            C("tempat_tanggal_cetak", "text", "Tempat dan tanggal seperti tercetak"),
            C("nama_cetak", "text", "Nama seperti tercetak"),
            C("pangkat_cetak", "text", "Pangkat seperti tercetak", required=False),
            C("nip_cetak", "text", "NIP seperti tercetak", required=False),
            C("triwulan", "code", "Triwulan laporan triwulan tempat dokumen ini berada; kosong "
              "untuk dokumen lain", required=False, choices=TRIWULAN),
            C("bagian", "code", "Bagian laporan triwulan yang ditandatangani: surat_pengantar, "
              "keuangan (realisasi keuangan) atau kinerja (realisasi kinerja); kosong untuk "
              "dokumen lain", required=False, choices=QUARTER_PARTS),
        ),
        key=("dokumen",),
        optional=True,
        source="Kata Pengantar, keputusan IKU, surat pengantar dan laporan triwulan, SOP, PK",
    ),
    Table(
        "surat_pengantar.csv",
        "Surat pengantar laporan triwulan: satu baris per dokumen yang dikirim; nomor, tanggal, "
        "tempat dan alamat tujuan surat diisi pada baris pertama triwulan itu.",
        (
            C("triwulan", "code", "Triwulan yang laporannya dikirim", choices=TRIWULAN),
            C("no", "int", "Nomor urut dokumen dalam daftar yang dikirim"),
            C("nomor", "text", "Nomor surat seperti tercetak; kosong: surat belum bernomor, "
              "dicetak menurut nomor_pola", required=False),
            C("nomor_pola", "text", "Pola nomor surat dengan nomor urut dikosongkan di antara dua "
              "garis miring (mis. 010/ /Perenc); dicetak bila nomor kosong, dengan ruang untuk "
              "nomor yang ditulis tangan", required=False),
            C("tanggal", "date", "Tanggal surat; kosong: dicetak dengan ruang untuk tanggal",
              required=False),
            C("tempat", "text", "Tempat surat dibuat; kosong: kota_penandatanganan pada "
              "instansi.csv", required=False),
            C("kepada", "text", "Alamat tujuan surat; setiap baris dipisah tanda | (mis. Yth. "
              "Kepala Bagian Organisasi | Sekretariat Daerah | di - | Kota)", required=False),
            C("jenis_dokumen", "text", "Jenis dokumen yang dikirim"),
            C("banyaknya", "text", "Banyaknya, seperti tercetak (1 dokumen)"),
            C("keterangan", "text", "Keterangan", required=False),
        ),
        key=("triwulan", "no"),
        optional=True,
        source="Surat Pengantar Laporan Triwulan I-IV",
    ),
    Table(
        "koreksi.csv",
        "Koreksi atas angka tercetak yang tidak dapat dipakai; setiap baris diungkap dalam "
        "laporan.",
        (
            C("file", "text", "File data mentah yang dikoreksi"),
            C("kunci", "text", "Baris yang dikoreksi, sebagai kolom=nilai (dipisah ';')"),
            C("kolom", "text", "Kolom yang dikoreksi"),
            C("nilai_cetak", "text", "Nilai seperti tercetak (harus sama dengan isi file)"),
            C("nilai_koreksi", "text", "Nilai pengganti"),
            C("alasan", "text", "Alasan koreksi"),
            C("sumber_koreksi", "text", "Dokumen yang mendasari nilai pengganti"),
        ),
        key=("file", "kunci", "kolom"),
        optional=True,
        min_rows=0,
        source="Disusun analis; bukan bagian dokumen tercetak",
    ),
)

NARRATIVE_FILES: dict[str, str] = {
    "kata_pengantar.md": "Kata pengantar kepala instansi",
    "gambaran_umum.md": "Kedudukan, tugas dan fungsi, struktur dan kondisi organisasi (Bab I)",
    "isu_strategis.md": "Isu strategis dan permasalahan utama (Bab I)",
    "penutup.md": "Langkah perbaikan ke depan (Bab IV)",
}
# Plus one narasi/sasaran_<kode_sasaran>.md per sasaran: Faktor Pendorong, Faktor
# Penghambat, Solusi.

BY_FILE = {t.file: t for t in TABLES}


def table(file: str) -> Table:
    return BY_FILE[file]


DICTIONARY_MARKER = "<!-- kamus data di bawah ini dihasilkan oleh `make schema-doc` -->"


def update_readme(path) -> None:
    """Replace everything after the marker in the data README with the dictionary."""
    from pathlib import Path

    text = Path(path).read_text(encoding="utf-8")
    head = text.split(DICTIONARY_MARKER)[0]
    Path(path).write_text(head + DICTIONARY_MARKER + "\n\n" + dictionary_markdown(),
                          encoding="utf-8")


def dictionary_markdown() -> str:
    """The data dictionary as Markdown, for data/raw/README.md."""
    out: list[str] = []
    for t in TABLES:
        flags = " (opsional)" if t.optional else ""
        out.append(f"### `{t.file}`{flags}\n\n{t.description}  ")
        out.append(f"Sumber dalam dokumen: {t.source}.  ")
        if t.key:
            out.append(f"Kunci unik: {', '.join(t.key)}.\n")
        out.append("| kolom | jenis | satuan | wajib | arti |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            extra = ""
            if c.derived:
                extra = " *Angka turunan tercetak: dihitung ulang, tidak dipercaya.*"
            if c.choices:
                extra += f" Pilihan: {', '.join(c.choices)}."
            if c.may_be_unset:
                extra += f" {UNSET_NOTE}"
            req = "ya" if c.required else "tidak"
            out.append(f"| `{c.name}` | {KINDS[c.kind]} | {c.unit} | {req} | "
                       f"{c.description}.{extra} |")
        out.append("")
    return "\n".join(out)
