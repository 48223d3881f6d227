"""The changed figures of `make verify` in the order an auditor follows them: first the figures
whose ledger inputs name a changed input (`realisasi_anggaran.csv baris 4`), then the figures
computed from those, and so on, each after every changed figure it is computed from.

The order comes from the ledger's `inputs` column. A reference in it is a ledger key
(`sub_kegiatan:no=3:realisasi`), every figure of a table (`program:*`), a table's figures
described in words (`sub_kegiatan (kode_program=P02)`, `program pada PK untuk sasaran S1`:
taken as every figure of that table), or an input file's row (`realisasi_anggaran.csv
baris 4`, or a workbook's sheet). A figure no changed input or figure explains comes last,
in key order (and so does every figure computed from one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..compute.ledger import Entry
from .comparison import Difference, natural_key

SEPARATOR = "; "
ALL = ":*"
_TABLE = re.compile(r"[a-z_]+")


def changed_tables(inputs: Iterable[Difference]) -> set[str]:
    """The tables (their file stem) of the changed inputs: `realisasi_anggaran` for both
    `realisasi_anggaran.csv` and `lkip_2024.xlsx, sheet realisasi_anggaran`."""
    tables = set()
    for d in inputs:
        where = d.subject or d.text.strip().split(" ", 1)[0]
        sheet = where.rsplit(", sheet ", 1)
        name = sheet[1] if len(sheet) == 2 else where
        tables.add(name.rsplit("/", 1)[-1].removesuffix(".csv").split(" ", 1)[0])
    return {t for t in tables if t}


def _names_input(reference: str, tables: set[str]) -> bool:
    """Whether one reference is a row of a changed input: `<table>.csv baris 4`, a workbook's
    `<table>!E5` or `sheet <table>`."""
    return any(re.search(rf"(?<!\w)({re.escape(t)}\.csv\b|{re.escape(t)}!|sheet "
                         rf"{re.escape(t)}\b)", reference) for t in tables)


class Graph:
    """Which ledger figures each figure is computed from."""

    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        self.by_table: dict[str, list[str]] = {}
        for key in entries:
            self.by_table.setdefault(key.split(":", 1)[0], []).append(key)

    def references(self, key: str) -> list[str]:
        entry = self.entries.get(key)
        return [r.strip() for r in entry.inputs.split(SEPARATOR)] if entry else []

    def sources(self, key: str) -> set[str]:
        """The ledger keys a figure is computed from."""
        found = set()
        for reference in self.references(key):
            if reference in self.entries:
                found.add(reference)
            elif reference.endswith(ALL):
                found.update(self.by_table.get(reference.removesuffix(ALL), []))
            elif ":" not in reference and (table := _TABLE.match(reference)) \
                    and table.group() in self.by_table:
                found.update(self.by_table[table.group()])
        found.discard(key)
        return found

    def direct(self, key: str, tables: set[str]) -> bool:
        return any(_names_input(r, tables) for r in self.references(key)
                   if r not in self.entries)


def dependency_order(changes: list[Difference], entries: dict[str, Entry],
                     inputs: Iterable[Difference] = ()) -> list[Difference]:
    """changes (figure differences, `key` their ledger key) from the changed inputs outward.
    A figure's depth is 0 when it is computed from no changed figure, else one more than the
    deepest one it is computed from; it is explained when a changed input names it or an
    explained figure is among its sources. Explained figures first, by depth, the ones a
    changed input names first, then by key; the others after them, in the same order."""
    graph, tables = Graph(entries), changed_tables(inputs)
    changed = {d.key for d in changes}
    sources = {k: graph.sources(k) & changed for k in changed}
    depth: dict[str, int] = {}
    explained: dict[str, bool] = {}

    def visit(key: str, seen: frozenset) -> None:
        if key in depth:
            return
        below = [s for s in sources[key] if s not in seen]
        for s in below:
            visit(s, seen | {key})
        depth[key] = 1 + max((depth[s] for s in below), default=-1)
        explained[key] = graph.direct(key, tables) or any(explained[s] for s in below)

    for key in changed:
        visit(key, frozenset())
    return sorted(changes, key=lambda d: (not explained[d.key], depth[d.key],
                                          not graph.direct(d.key, tables), natural_key(d.key)))
