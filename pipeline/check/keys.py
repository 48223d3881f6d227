"""How the data route's rows are keyed and their figures shown in a finding: shared by the
row builders of the annual and quarterly checks."""

from __future__ import annotations

from decimal import Decimal

from ..read import formatting as fmt
from . import rules
from .severity import ERROR, INFO


def _key(**parts) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _shown(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind in ("rupiah", "int"):
        return fmt.number(value)
    if kind == "points":
        return fmt.points(value)
    return fmt.percent(value)


def compare_printed(printed: Decimal | int | None, text: str | None, recomputed) -> str | None:
    """None when the printed figure matches; else INFO (rounding slip) or ERROR."""
    found = rules.difference(printed, text, recomputed)
    return None if found is None else INFO if found == rules.ROUNDING else ERROR
