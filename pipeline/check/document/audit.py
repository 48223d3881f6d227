"""The audit of a received document: rows of the rules' kinds built from its tables and its
running text, run by the declared rules, each finding placed and each checked cell marked.

Within a table (within.py) a figure is recomputed from its own row or column; across the
document (across.py, identity.py, sentences.py) from where else the document prints it. A
cell both check by the same rule keeps the check across the document, which recomputes from
the sources; both read each indicator's capaian formula as the document shows it."""

from __future__ import annotations

from ...read.document import Reading
from .. import findings  # noqa: F401 - every rule family declared
from . import across, cite, identity, sentences, series, within
from .result import Audit, DocumentFinding


def audit(reading: Reading) -> Audit:
    document = reading.document
    formulas = within.formulas(reading)
    rows = across.rows(reading, document.name, formulas) + identity.rows(document) + \
        sentences.rows(reading, document) + series.rows(reading, document.name)
    found, marks = cite.run(rows)
    inside, inside_marks, notes = within.run(reading, formulas)
    done = {(m.table, m.row, m.column, m.rule) for m in marks}
    found += [f for f in inside if _cell(f) not in done]
    marks += [m for m in inside_marks if (m.table, m.row, m.column, m.rule) not in done]
    return Audit(reading, sorted(found, key=_in_reading_order), marks, notes)


def _cell(found: DocumentFinding) -> tuple:
    at = found.where
    return at.table, at.row, at.column, found.finding.check


def _in_reading_order(found) -> tuple:
    """Page, then the paragraph a table follows (or the finding's own), then the cell."""
    at = found.where
    return (at.page or 0, at.paragraph or 0, at.table or 0, at.row or 0, at.column or 0)

