"""The audit of a received document: rows of the rules' kinds built from its tables and its
running text, run by the declared rules, each finding placed and each checked cell marked."""

from __future__ import annotations

from ...read.document import Reading
from .. import findings  # noqa: F401 - every rule family declared
from . import across, cite, identity, sentences
from .result import Audit


def audit(reading: Reading) -> Audit:
    document = reading.document
    rows = across.rows(reading, document.name) + identity.rows(document) + \
        sentences.rows(reading, document)
    found, marks = cite.run(rows)
    return Audit(reading, sorted(found, key=_in_reading_order), marks)


def _in_reading_order(found) -> tuple:
    """Page, then the paragraph a table follows (or the finding's own), then the cell."""
    at = found.where
    return (at.page or 0, at.paragraph or 0, at.table or 0, at.row or 0, at.column or 0)
