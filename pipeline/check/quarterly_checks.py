"""The checks of a quarterly report, as findings like the annual report's.

The annual checks that look at one quarterly row are reused as they are (findings.Checker):
each printed capaian recomputed, the printed annual target against the PK, TW IV against the
year's realisasi, realisasi above anggaran. Added here: what only a quarter-by-quarter view
shows (figures to date that fall, a target to date above the PK target or the anggaran), the
signature blocks of the quarter's own documents, and printed figures not in Indonesian format.
"""

from __future__ import annotations

import re

import pandas as pd

from ..compute import quarterly
from ..compute.quarterly import KEUANGAN, KINERJA, PART_NAMES, PARTS, Quarter, Tables
from ..read import formatting as fmt
from ..read import units
from ..read.numbers import _DECIMAL_DOT, _GROUPED_COMMA
from ..read.schema import QUARTER_PARTS, TRIWULAN
from ..read.schema import table as schema_table
from . import findings
from .findings import ERROR, INFO, WARNING, Finding, _key

# kinds of quantity whose value to date can only grow while the year runs
GROWING = (units.PERSENTASE, units.JUMLAH, units.RUPIAH)
_GOLONGAN = re.compile(r"\(\s*([IVX]+)\s*/\s*([a-e])\s*\)", re.IGNORECASE)


def golongan(pangkat: str | None) -> str | None:
    """`IV/b` from `Pembina Tingkat I ( IV/b )`; None when the text names none."""
    match = _GOLONGAN.search(pangkat or "")
    return None if match is None else f"{match[1].upper()}/{match[2].lower()}"


def place_of(printed: str | None) -> str | None:
    """The place of a printed `Tempat, tanggal`; None when the text has no comma."""
    text = printed or ""
    return text.rsplit(",", 1)[0].strip() if "," in text else None


def date_of(printed: str | None) -> str | None:
    """The date of a printed `Tempat, tanggal` (`April 2024`), as printed."""
    text = (printed or "").strip()
    return (text.rsplit(",", 1)[1] if "," in text else text).strip() or None


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


class QuarterChecker(findings.Checker):
    def __init__(self, q: Quarter, tables: Tables):
        super().__init__(q.ds, tables.res)
        self.q, self.every = q, tables.every
        self.tw = q.triwulan

    # -- figures against the PK, the anggaran and the year ---------------------------------
    def pk_targets(self) -> dict:
        pk = self.ds["target_pk.csv"]
        own = pk[pk["tahun"] == self.ds.year]
        return dict(zip(own["kode_iku"], own["target"]))

    def against_plan(self, kinerja: list[dict], keuangan: list[dict]) -> None:
        pk = self.pk_targets()
        summary = None if self.q.annual is None else \
            self.q.annual["ringkasan_iku.csv"].set_index("kode_iku")
        for r in kinerja:
            self.quarter_kinerja_against_year(r, pk, summary)
            self.target_against_pk(r, pk)
        for r in keuangan:
            self.target_against_anggaran(r)
        if self.q.annual is not None:
            subs = self.q.annual["anggaran_sub_kegiatan.csv"].set_index("no")
            for r in keuangan:
                if r["no_realisasi"] in subs.index:
                    self.quarter_keuangan_against_year(r, subs)
        elif self.tw == TRIWULAN[-1]:
            self.add("TAHUNAN-BELUM-ADA", INFO, "kinerja_tahunan.csv", _key(tahun=self.ds.year),
                     "realisasi", "–", "realisasi tahunan",
                     "Realisasi TW IV belum dapat dibandingkan dengan realisasi tahunan: data "
                     f"tahunan belum lengkap ({self.q.annual_problem})")

    def target_against_pk(self, r: dict, pk: dict) -> None:
        """The quarter's target to date: never above the PK target of an IKU that grows, and
        the PK target itself at TW IV."""
        target, to_date = pk.get(r["kode_iku"]), r["target_kumulatif"]
        if target is None or to_date is None:
            return
        unit = self.units[r["kode_iku"]]
        key = _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"])
        what = f"Target TW {r['triwulan']} {r['indikator']} ({unit.show(to_date)})"
        if r["triwulan"] == TRIWULAN[-1] and to_date != target:
            self.add("TRIWULAN-TARGET-TW-PK", ERROR, KINERJA, key, "target",
                     unit.show(to_date), unit.show(target),
                     f"{what} berbeda dengan target PK ({unit.show(target)})")
        elif r["rumus"] == "R/T" and to_date > target:
            self.add("TRIWULAN-TARGET-TW-PK", ERROR, KINERJA, key, "target",
                     unit.show(to_date), f"≤ {unit.show(target)}",
                     f"{what} melebihi target PK ({unit.show(target)})")

    def target_against_anggaran(self, r: dict) -> None:
        to_date = r["target_kumulatif"]
        if to_date is not None and to_date > r["anggaran"]:
            self.add("TRIWULAN-TARGET-ANGGARAN", ERROR, KEUANGAN,
                     _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]), "target",
                     fmt.number(to_date), f"≤ {fmt.number(r['anggaran'])}",
                     f"Target keuangan TW {r['triwulan']} {r['kegiatan_cetak']} melebihi "
                     "anggarannya")

    # -- figures to date across quarters ----------------------------------------------------
    def to_date(self) -> None:
        """A figure to date below the same figure of an earlier quarter."""
        kinerja = self.every[KINERJA]
        for code, own in ([] if kinerja.empty else kinerja.groupby("kode_iku", sort=False)):
            unit = self.units[code]
            if own["rumus"].iloc[0] == "R/T" and unit.jenis in GROWING:
                self._falling(KINERJA, own, WARNING, unit.show, {"kode_iku": code},
                              own["indikator"].iloc[0])
        keuangan = self.every[KEUANGAN]
        for no, own in ([] if keuangan.empty else keuangan.groupby("no_realisasi", sort=False)):
            self._falling(KEUANGAN, own, ERROR, fmt.number, {"no_realisasi": no},
                          f"keuangan {own['kegiatan_cetak'].iloc[-1]}")

    def _falling(self, file, own: pd.DataFrame, severity, show, key: dict, what: str) -> None:
        order = {tw: i for i, tw in enumerate(TRIWULAN)}
        rows = sorted(own.to_dict("records"), key=lambda r: order[r["triwulan"]])
        now = [r for r in rows if r["triwulan"] == self.tw]
        earlier = [r for r in rows if order[r["triwulan"]] < order[self.tw]]
        for column in ("target", "realisasi"):
            before = [r for r in earlier if r[column + "_kumulatif"] is not None]
            if not now or not before or now[0][column + "_kumulatif"] is None:
                continue
            last, value = before[-1], now[0][column + "_kumulatif"]
            if value < last[column + "_kumulatif"]:
                self.add("KUMULATIF-MENURUN", severity, file,
                         _key(triwulan=self.tw, **key), column, show(value),
                         f"≥ {show(last[column + '_kumulatif'])}",
                         f"{column.capitalize()} s.d. TW {self.tw} {what} ({show(value)}) lebih "
                         f"kecil daripada s.d. TW {last['triwulan']} "
                         f"({show(last[column + '_kumulatif'])})")

    # -- names printed across quarters ----------------------------------------------------
    def names(self) -> None:
        """A kegiatan or program printed under another name than in the other quarters
        (`Penyediaan pemakanan` where three quarters print `Penyediaan permakanan`): the name
        most quarters print is taken as meant, the earliest on a tie."""
        keuangan = self.every[KEUANGAN]
        for no, own in ([] if keuangan.empty else keuangan.groupby("no_realisasi", sort=False)):
            for column, what in (("kegiatan_cetak", "kegiatan"), ("program_cetak", "program")):
                self._renamed(own, no, column, what)

    def _renamed(self, own: pd.DataFrame, no, column: str, what: str) -> None:
        order = {tw: i for i, tw in enumerate(TRIWULAN)}
        printed = sorted(((order[r["triwulan"]], r["triwulan"], r[column])
                          for r in own.to_dict("records") if r[column]), key=lambda t: t[0])
        mine = [name for _, tw, name in printed if tw == self.tw]
        if not mine:
            return
        meant, quarters = _most_printed(printed)
        if not _same_words(mine[0], meant):
            self.add("NAMA-BERBEDA-ANTAR-TRIWULAN", WARNING, KEUANGAN,
                     _key(triwulan=self.tw, no_realisasi=no), column, mine[0], meant,
                     f"Nama {what} pada realisasi no. {no} tercetak berbeda dengan "
                     f"triwulan {fmt.listed(quarters)}")

    def missing_parts(self) -> None:
        """A part the quarter has no data for is left out of its report: said once, so the
        reader knows the quarter's checks of that part did not run."""
        for file in self.q.missing():
            self.add("TRIWULAN-BAGIAN-TIDAK-ADA", INFO, file, _key(triwulan=self.tw),
                     "triwulan", "–", f"baris triwulan {self.tw}",
                     quarterly.missing_note(self.tw, [file]))

    def missing_iku(self, kinerja: list[dict]) -> None:
        if not self.q.has(KINERJA):
            return  # no kinerja part at all: said once by missing_parts
        reported = {r["kode_iku"] for r in kinerja}
        for r in self.ds["iku.csv"].to_dict("records"):
            if r["kode_iku"] not in reported:
                self.add("TRIWULAN-IKU-TIDAK-ADA", INFO, KINERJA,
                         _key(triwulan=self.tw, kode_iku=r["kode_iku"]), "kode_iku", "–",
                         r["kode_iku"], f"{r['indikator']} tidak dilaporkan pada triwulan "
                         f"{self.tw}")

    # -- how the figures are printed ------------------------------------------------------
    def formats(self) -> None:
        """Printed figures with a decimal point or thousands commas (`22.05%`, `480,000,000`):
        read correctly, but not as Indonesian documents print them. One note per row."""
        for file, key_columns in ((KINERJA, ("triwulan", "kode_iku")),
                                  (KEUANGAN, ("triwulan", "no_realisasi"))):
            table = schema_table(file)
            for row in self.q.printed.get(file, {}).values():
                if row["triwulan"].strip() != self.tw:
                    continue
                cells = [(c.name, row[c.name].strip()) for c in table.columns
                         if c.kind in ("measure", "percent", "rupiah")
                         and _foreign(c.kind, row[c.name].strip(),
                                      self.units.get(row.get("kode_iku", "").strip()))]
                if cells:
                    self.add("FORMAT-ANGKA", INFO, file,
                             _key(**{k: row[k].strip() for k in key_columns}),
                             ", ".join(name for name, _ in cells),
                             "; ".join(text for _, text in cells),
                             "; ".join(_indonesian(text) for _, text in cells),
                             f"Angka laporan TW {self.tw} tercetak dengan tanda desimal titik "
                             "atau pemisah ribuan koma; dibaca dengan benar, format Indonesia "
                             "memakai koma desimal dan titik ribuan")

    # -- signature blocks -------------------------------------------------------------------
    def signatures(self) -> None:
        inst = self.q.inst
        # blank only where the level has none (level.py)
        for problem in findings.nip_problems(inst["kepala_nip"]) if inst["kepala_nip"] else ():
            self.add("NIP-TIDAK-SAH", ERROR, "instansi.csv", _key(tahun_laporan=self.ds.year),
                     "kepala_nip", inst["kepala_nip"], "NIP 18 digit yang sah", problem)
        signers = self.q.signers()
        for r in signers:
            self.found.extend(findings.signer_findings(r, inst))
            self.rank(r, inst)
            self.place(r, inst)
        parts = {r["bagian"] for r in signers}
        printed = {"surat_pengantar": bool(self.q.letter()),
                   **{part: self.q.has(file) for file, part in PARTS.items()}}
        needed = [p for p in QUARTER_PARTS if printed[p]]
        for part in needed if signers else []:
            if part not in parts:
                self.add("TANDA-TANGAN-TIDAK-ADA", WARNING, "penandatangan.csv",
                         _key(triwulan=self.tw, bagian=part), "bagian", "–", part,
                         f"{PART_NAMES[part]} Triwulan {self.tw} tercetak tanpa blok tanda "
                         "tangan")

    def rank(self, r: dict, inst: dict) -> None:
        printed, own = golongan(r["pangkat_cetak"]), golongan(inst["kepala_pangkat"])
        if printed and own and printed != own:
            self.add("GOLONGAN-BERBEDA", ERROR, "penandatangan.csv", _key(dokumen=r["dokumen"]),
                     "pangkat_cetak", r["pangkat_cetak"], inst["kepala_pangkat"],
                     f"{r['dokumen']}: golongan {printed} berbeda dengan golongan kepala "
                     f"instansi ({own})")

    def place(self, r: dict, inst: dict) -> None:
        printed = place_of(r["tempat_tanggal_cetak"])
        if printed and not _same_words(printed, inst["kota_penandatanganan"]):
            self.add("TEMPAT-BERBEDA", WARNING, "penandatangan.csv", _key(dokumen=r["dokumen"]),
                     "tempat_tanggal_cetak", printed, inst["kota_penandatanganan"],
                     f"{r['dokumen']}: tempat penandatanganan tercetak berbeda dengan "
                     "identitas instansi")

    def run(self) -> list[Finding]:
        kinerja = self._records(KINERJA)
        keuangan = self._records(KEUANGAN)
        self.quarter_capaian(kinerja, keuangan)
        self.against_plan(kinerja, keuangan)
        self.quarter_amounts(kinerja, keuangan)
        self.to_date()
        self.missing_parts()
        self.missing_iku(kinerja)
        self.names()
        self.formats()
        self.signatures()
        return sorted(self.found, key=lambda f: findings.SEVERITY_ORDER[f.severity])


def _most_printed(printed: list[tuple]) -> tuple[str, list[str]]:
    """The name most quarters print (case and spacing aside; the earliest on a tie), and
    those quarters."""
    groups: dict[str, list] = {}
    for _, tw, name in printed:
        groups.setdefault(" ".join(name.lower().split()), []).append((tw, name))
    best = max(groups.values(), key=len)  # max keeps the first of equals: the earliest
    return best[0][1], [tw for tw, _ in best]


def _foreign(kind: str, text: str, unit) -> bool:
    body = text.rstrip("%").strip()
    if kind == "rupiah":
        return bool(_GROUPED_COMMA.match(body))
    if kind == "measure" and unit is not None and not unit.is_percent:
        return False  # `1.250` orang groups thousands: that is Indonesian
    return bool(_DECIMAL_DOT.match(body))


def _indonesian(text: str) -> str:
    """The same figure in Indonesian format: `22.05%` -> `22,05%`, `480,000,000` ->
    `480.000.000`."""
    return text.translate(str.maketrans({",": ".", ".": ","}))


def run(q: Quarter, tables: Tables) -> list[Finding]:
    from ..read import places

    return places.cite(QuarterChecker(q, tables).run(), q.ds)
