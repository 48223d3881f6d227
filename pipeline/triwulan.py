"""The quarter a command names (`TW=2`, `TW=II`): read without pandas, so that `make report`
with nothing to rebuild decides about its quarterly reports at once."""

from __future__ import annotations

from .errors import DefectCollector
from .schema import TRIWULAN


def parse_triwulan(value) -> str:
    """`I`..`IV` from `I`..`IV` or `1`..`4`; InputError naming what is accepted."""
    text = "" if value is None else str(value).strip().upper()
    if text in TRIWULAN:
        return text
    if text in ("1", "2", "3", "4"):
        return TRIWULAN[int(text) - 1]
    out = DefectCollector()
    out.add("TW", "triwulan tidak sah", value=str(value),
            expected="triwulan I, II, III atau IV (boleh ditulis 1-4), mis. TW=1")
    out.raise_if_any()
    raise AssertionError  # unreachable: raise_if_any raised


def number(triwulan: str) -> int:
    return TRIWULAN.index(triwulan) + 1
