"""Rows read from a document run by the declared rules, each finding given its place and
each cell a rule read its mark: what held, what did not, with the recomputation beside it."""

from __future__ import annotations

from dataclasses import replace

from .. import rules
from .across import Sourced
from .result import FAILS, HOLDS, CellMark, DocumentFinding, Where


def run(sourced: list[Sourced]) -> tuple[list[DocumentFinding], list[CellMark]]:
    """Every rule of each row's kind on the row. A finding cites the cell of the figure it
    names (its field is the cell's column label), or the row's place in the running text."""
    found, marks = [], []
    for item in sourced:
        cells = {cell.label: cell for cell in item.cells.values()}
        for declared in rules.rules_for(item.row.kind):
            if not item.row.has(declared.reads):
                continue
            failed = rules.apply(declared, item.row)
            for finding in failed:
                cell = cells.get(finding.field) or item.cells.get(finding.field)
                label = item.row.facts.get("label") or item.row.what or None
                at = cell.place(label) if cell is not None else item.at or Where()
                found.append(DocumentFinding(replace(finding, place=at.text()), at,
                                             _source(item, finding.field)))
            wrong = {f.field: f for f in failed}
            for name in declared.reads:
                cell = item.cells.get(name)
                if cell is None:
                    continue
                finding = wrong.get(cell.label)
                marks.append(CellMark(
                    cell.table.table.number, cell.row, cell.column,
                    FAILS if finding is not None else HOLDS, declared.id,
                    finding.expected if finding is not None else "",
                    finding.severity if finding is not None else ""))
    return found, marks


def _source(item: Sourced, field: str) -> str:
    """Where the figure a finding's cell was compared with is printed: the other cell's
    place, or the words a row gives for a sum of several."""
    name = next((n for n, c in item.cells.items() if c.label == field), None)
    other = item.against.get(name) if name is not None else None
    if other is None:
        other = next(iter(item.against.values()), None) if not item.cells else None
    if isinstance(other, str) or other is None:
        return other or ""
    return other.place(item.row.facts.get("label") or item.row.what or None).text()
