"""The checks of a quarterly report, as findings like the annual report's.

The annual checks that look at one quarterly row are reused as they are (findings.Checker):
each printed capaian recomputed, the printed annual target against the PK, TW IV against the
year's realisasi, realisasi above anggaran. Added here: what only a quarter-by-quarter view
shows (figures to date that fall, a target to date above the PK target or the anggaran), the
signature blocks of the quarter's own documents, and printed figures not in Indonesian format.
"""

from __future__ import annotations

import pandas as pd

from ..compute import quarterly
from ..compute.quarterly import KEUANGAN, KINERJA, PART_NAMES, PARTS, Quarter, Tables
from ..read import formatting as fmt
from ..read import units
from ..read.numbers import _DECIMAL_DOT, _GROUPED_COMMA
from ..read.schema import QUARTER_PARTS, TRIWULAN
from ..read.schema import table as schema_table
from . import findings, rules
from .findings import Finding, _key
from .rules_identity import golongan, place_of, same_words  # noqa: F401

# kinds of quantity whose value to date can only grow while the year runs
GROWING = (units.PERSENTASE, units.JUMLAH, units.RUPIAH)
def date_of(printed: str | None) -> str | None:
    """The date of a printed `Tempat, tanggal` (`April 2024`), as printed."""
    text = (printed or "").strip()
    return (text.rsplit(",", 1)[1] if "," in text else text).strip() or None


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
            self.check("tahunan", "kinerja_tahunan.csv", _key(tahun=self.ds.year), "tahunan",
                       facts={"ada": False, "masalah": self.q.annual_problem})

    def target_against_pk(self, r: dict, pk: dict) -> None:
        """The quarter's target to date against the PK target (rules_across)."""
        unit = self.units[r["kode_iku"]]
        what = f"Target TW {r['triwulan']} {r['indikator']} ({unit.show(r['target_kumulatif'])})"
        self.check("triwulan_kinerja", KINERJA,
                   _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"]), what,
                   {"target_kumulatif": rules.Figure(r["target_kumulatif"],
                                                     recomputed=pk.get(r["kode_iku"]))},
                   {"triwulan": r["triwulan"], "rumus": r["rumus"], "show": unit.show,
                    "field_target_kumulatif": "target"}, only=["TRIWULAN-TARGET-TW-PK"])

    def target_against_anggaran(self, r: dict) -> None:
        self.check("triwulan_keuangan", KEUANGAN,
                   _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]),
                   r["kegiatan_cetak"], {"target_kumulatif": rules.Figure(
                       r["target_kumulatif"], recomputed=r["anggaran"])},
                   {"triwulan": r["triwulan"], "kegiatan": r["kegiatan_cetak"],
                    "show": fmt.number, "field_target_kumulatif": "target"},
                   only=["TRIWULAN-TARGET-ANGGARAN"])

    # -- figures to date across quarters ----------------------------------------------------
    def to_date(self) -> None:
        """A figure to date below the same figure of an earlier quarter."""
        kinerja = self.every[KINERJA]
        for code, own in ([] if kinerja.empty else kinerja.groupby("kode_iku", sort=False)):
            unit = self.units[code]
            if own["rumus"].iloc[0] == "R/T" and unit.jenis in GROWING:
                self._falling(KINERJA, own, "kumulatif_kinerja", unit.show,
                              {"kode_iku": code}, own["indikator"].iloc[0])
        keuangan = self.every[KEUANGAN]
        for no, own in ([] if keuangan.empty else keuangan.groupby("no_realisasi", sort=False)):
            self._falling(KEUANGAN, own, "kumulatif_keuangan", fmt.number,
                          {"no_realisasi": no}, f"keuangan {own['kegiatan_cetak'].iloc[-1]}")

    def _falling(self, file, own: pd.DataFrame, kind, show, key: dict, what: str) -> None:
        order = {tw: i for i, tw in enumerate(TRIWULAN)}
        rows = sorted(own.to_dict("records"), key=lambda r: order[r["triwulan"]])
        now = [r for r in rows if r["triwulan"] == self.tw]
        earlier = [r for r in rows if order[r["triwulan"]] < order[self.tw]]
        for column in ("target", "realisasi"):
            before = [r for r in earlier if r[column + "_kumulatif"] is not None]
            if not now or not before:
                continue
            last = before[-1]
            self.check(kind, file, _key(triwulan=self.tw, **key), what,
                       {"kumulatif": rules.Figure(now[0][column + "_kumulatif"],
                                                  recomputed=last[column + "_kumulatif"])},
                       {"kolom": column, "Kolom": column.capitalize(), "triwulan": self.tw,
                        "name": what, "sebelum": last["triwulan"], "show": show})

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
        self.check("nama_triwulan", KEUANGAN, _key(triwulan=self.tw, no_realisasi=no), what,
                   facts={"nama": mine[0], "nama_dimaksud": meant, "kolom": column,
                          "jenis": what, "no": str(no), "triwulan_lain": fmt.listed(quarters)})

    def missing_parts(self) -> None:
        """A part the quarter has no data for is left out of its report: said once, so the
        reader knows the quarter's checks of that part did not run."""
        for file in self.q.missing():
            self.check("bagian_triwulan", file, _key(triwulan=self.tw), file, facts={
                "ada": False, "triwulan": self.tw,
                "catatan": quarterly.missing_note(self.tw, [file])})

    def missing_iku(self, kinerja: list[dict]) -> None:
        if not self.q.has(KINERJA):
            return  # no kinerja part at all: said once by missing_parts
        reported = {r["kode_iku"] for r in kinerja}
        for r in self.ds["iku.csv"].to_dict("records"):
            self.check("iku_triwulan", KINERJA, _key(triwulan=self.tw, kode_iku=r["kode_iku"]),
                       r["indikator"], facts={"ada": r["kode_iku"] in reported,
                                              "triwulan": self.tw, "kode_iku": r["kode_iku"],
                                              "indikator": r["indikator"]})

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
                cells = [(c.name, row[c.name].strip(), _indonesian(row[c.name].strip()))
                         for c in table.columns
                         if c.kind in ("measure", "percent", "rupiah")
                         and _foreign(c.kind, row[c.name].strip(),
                                      self.units.get(row.get("kode_iku", "").strip()))]
                self.check("angka_triwulan", file,
                           _key(**{k: row[k].strip() for k in key_columns}), file,
                           facts={"asing": cells, "triwulan": self.tw})

    # -- signature blocks -------------------------------------------------------------------
    def signatures(self) -> None:
        inst = self.q.inst
        # blank only where the level has none (level.py)
        self.check("instansi", "instansi.csv", _key(tahun_laporan=self.ds.year), "instansi",
                   facts={"nip": inst["kepala_nip"], "field_nip": "kepala_nip"})
        signers = self.q.signers()
        for r in signers:
            self.found += rules.run([findings.signer_row(r, inst)])
        parts = {r["bagian"] for r in signers}
        printed = {"surat_pengantar": bool(self.q.letter()),
                   **{part: self.q.has(file) for file, part in PARTS.items()}}
        needed = [p for p in QUARTER_PARTS if printed[p]]
        for part in needed if signers else []:
            self.check("bagian_triwulan", "penandatangan.csv",
                       _key(triwulan=self.tw, bagian=part), part,
                       facts={"ditandatangani": part in parts, "bagian": part,
                              "bagian_nama": PART_NAMES[part], "triwulan": self.tw})

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
