"""The quarter a command names (`TW=2`, `TW=II`) and the parts of a quarterly report: read
without pandas, so that `make report` with nothing to rebuild decides about its quarterly
reports at once."""

from __future__ import annotations

from ..errors import parameter
from .schema import TRIWULAN


def parse_triwulan(value) -> str:
    """`I`..`IV` from `I`..`IV` or `1`..`4`; InputError naming what is accepted."""
    text = "" if value is None else str(value).strip().upper()
    if text in TRIWULAN:
        return text
    if text in ("1", "2", "3", "4"):
        return TRIWULAN[int(text) - 1]
    raise parameter("TW", "triwulan tidak sah", str(value),
                    "triwulan I, II, III atau IV (boleh ditulis 1-4), mis. TW=1")


def number(triwulan: str) -> int:
    return TRIWULAN.index(triwulan) + 1


KINERJA, KEUANGAN = "triwulan_kinerja.csv", "triwulan_keuangan.csv"
# the quarterly tables, each the data of one part of the report (schema.QUARTER_PARTS): a
# quarter is reported from whichever of them has its rows
PARTS = {KINERJA: "kinerja", KEUANGAN: "keuangan"}
PART_NAMES = {"surat_pengantar": "Surat Pengantar", "keuangan": "Realisasi Keuangan",
              "kinerja": "Realisasi Kinerja"}


def by_quarter(quarters: dict[str, set[str]]) -> dict[str, list[str]]:
    """{quarterly table: its quarters} as {quarter: its quarterly tables}, in quarter order."""
    return {tw: [file for file in PARTS if tw in quarters.get(file, ())]
            for tw in TRIWULAN if any(tw in quarters.get(file, ()) for file in PARTS)}


def missing_note(triwulan: str, missing: list[str]) -> str:
    """What a quarter's report leaves out, in a sentence: `Realisasi Keuangan tidak disusun:
    triwulan_keuangan.csv tidak ada atau tidak berisi baris triwulan I`."""
    parts = " dan ".join(PART_NAMES[PARTS[file]] for file in missing)
    return (f"{parts} tidak disusun: {' dan '.join(missing)} tidak ada atau tidak berisi "
            f"baris triwulan {triwulan}")
