"""Verification stage: the checks a careful auditor would run on the data, as findings.

Each finding names a check, a severity (error / warning / info), the source file and row key,
the field, the printed value, the recomputed or expected value, and a message in Indonesian.
A printed derived figure matches when it equals the recomputed value rounded to the printed
number of decimals; a miss by less than one unit of the last printed decimal is a rounding
slip (info), anything else an error.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from ..read import units
from ..read.clean import Dataset, write_frame

# the declared rules, one module per family: importing them fills rules.RULES
from . import (  # noqa: F401
    rules,
    rules_across,
    rules_identity,
    rules_limits,
    rules_printed,
    rules_quarter,  # noqa: F401
    rules_tables,
)
from .across_rows import AcrossDocuments
from .keys import _key, _shown, compare_printed  # noqa: F401 - named here too
from .printed_rows import PrintedFigures
from .rules import Finding
from .rules_identity import digits, nip_problems, normalise_name  # noqa: F401
from .rules_printed import DERIVED  # noqa: F401
from .series_rows import SeriesAndLimits
from .severity import ERROR, INFO, LABEL, SEVERITY_ORDER, WARNING  # noqa: F401 - named here too


class Checker(PrintedFigures, AcrossDocuments, SeriesAndLimits):
    """The annual checks: rows of every kind made from the data set and its computed tables,
    each run by its declared rules; the row builders live with their family (printed_rows,
    across_rows, series_rows)."""

    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame]):
        self.ds, self.res = ds, res
        self.found: list[Finding] = []
        self.units = units.by_iku(ds["iku.csv"])

    def derived(self, check, file, key, field, printed, text, recomputed, kind, what):
        """A printed figure against its recomputation, by the rule declared for `check`."""
        self.check(DERIVED[check][0], file, key, what,
                   {field: rules.Figure(printed, text, recomputed)},
                   {"show": functools.partial(_shown, kind=kind)}, only=[check])

    def check(self, kind, file, key, what, figures=None, facts=None, only=None):
        """The declared rules of `kind` (or those of `only`) on one row made from the data."""
        row = rules.Row(kind, file, key, what, figures or {}, facts or {})
        self.found += rules.run([row], only=only)

    # -- identity --------------------------------------------------------------------
    def identity(self):
        inst = self.ds["instansi.csv"].iloc[0]
        head_nip = inst["kepala_nip"]  # blank only where the level has none (level.py)
        self.check("instansi", "instansi.csv", _key(tahun_laporan=self.ds.year), "instansi",
                   facts={"nip": head_nip, "field_nip": "kepala_nip"})
        signers = self.ds.get("penandatangan.csv")
        if signers is None:
            return
        for r in signers.to_dict("records"):
            self.found.extend(signer_findings(r, inst))

    def _records(self, name) -> list[dict]:
        df = self.res.get(name)
        return [] if df is None or df.empty else df.to_dict("records")

    def run(self) -> list[Finding]:
        from ..read import places
        from . import draft

        self.printed_figures()
        self.sums()
        self.cross_documents()
        self.series()
        self.identity()
        self.found += draft.data_findings(self.ds, self.res)
        return places.cite(sorted(self.found, key=lambda f: SEVERITY_ORDER[f.severity]),
                           self.ds)


def signer_row(r: dict, inst: dict) -> rules.Row:
    """One printed signature block (a penandatangan.csv row) with the agency's head in
    instansi.csv to compare it with."""
    return rules.Row("penandatangan", "penandatangan.csv", _key(dokumen=r["dokumen"]),
                     r["dokumen"], facts={
                         "dokumen": r["dokumen"], "nip": r["nip_cetak"], "field_nip": "nip_cetak",
                         "nama": r["nama_cetak"], "pangkat": r.get("pangkat_cetak"),
                         "tempat_tanggal": r.get("tempat_tanggal_cetak"),
                         "kepala_nip": inst["kepala_nip"], "kepala_nama": inst["kepala_nama"],
                         "kepala_pangkat": inst.get("kepala_pangkat"),
                         "kota_penandatanganan": inst.get("kota_penandatanganan")})


SIGNED = ("NIP-TIDAK-SAH", "NIP-BERBEDA", "NAMA-BERBEDA")  # what every signature block shows


def signer_findings(r: dict, inst: dict) -> list[Finding]:
    """A NIP that cannot be valid, another valid NIP, a misspelt name."""
    return rules.run([signer_row(r, inst)], only=SIGNED)


def run(ds: Dataset, res: dict[str, pd.DataFrame]) -> list[Finding]:
    return Checker(ds, res).run()


COLUMNS = ["no", "check", "severity", "file", "key", "field", "printed", "expected", "message"]
PLACE = "place"  # the column added when a finding has a workbook cell (data from a workbook)


def _records(found: list[Finding]) -> list[dict]:
    """Each finding numbered; its place only when it has one, so a report built from CSV
    files writes what it always wrote."""
    records = []
    for i, f in enumerate(found, 1):
        record = {"no": i, **asdict(f)}
        if not f.place:
            del record[PLACE]
        records.append(record)
    return records


def as_frame(found: list[Finding]) -> pd.DataFrame:
    columns = COLUMNS + ([PLACE] if any(f.place for f in found) else [])
    return pd.DataFrame(_records(found), columns=columns, dtype=object)


def write(found: list[Finding], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    write_frame(as_frame(found), folder / "findings.csv")
    (folder / "findings.json").write_text(
        json.dumps(_records(found), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [folder / "findings.csv", folder / "findings.json"]


def read(folder: Path) -> list[Finding]:
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    return [Finding(**{k: v for k, v in d.items() if k != "no"}) for d in data]
