"""Rules on the figures of a table that the other families do not cover: a printed sisa
anggaran, a printed average, and a cell a rule needs that could not be read. The audit of a
received document builds rows of these kinds from its tables (check/document/within.py); a
data route that prints them can build the same rows.
"""

from __future__ import annotations

import functools

from . import rules
from .rules import Outcome, Row, rule
from .severity import ERROR, WARNING

SISA, RATA_RATA, NOT_UNDERSTOOD = "sisa_anggaran", "rata_rata", "sel_tidak_dipahami"

# sisa = pagu − realisasi, printed beside them
rule("SISA-ANGGARAN", SISA, ("sisa",), ERROR, rules.DERIVED_MESSAGES)(
    functools.partial(rules.each_derived, names=("sisa",)))

# an average printed under its rows (or beside them): the mean of the figures as printed, so
# a miss within the last printed decimal is an average of rounded figures, a warning
AVERAGE_SLIP = ("selisih kurang dari satu satuan desimal terakhir, setingkat pembulatan (mis. "
                "rata-rata dari angka yang telah dibulatkan)")
rule("RATA-RATA-TERCETAK", RATA_RATA, ("rata_rata",), ERROR, rules.DERIVED_MESSAGES)(
    functools.partial(rules.each_derived, names=("rata_rata",), rounding=WARNING,
                      slip=AVERAGE_SLIP))


@rule("ANGKA-TIDAK-DIPAHAMI", NOT_UNDERSTOOD, ("sel",), WARNING,
      "{what}: sel {printed} tidak dipahami ({reason}), sehingga {check} tidak diperiksa; "
      "yang diharapkan: {expected}")
def not_understood(row: Row) -> Outcome:
    """A cell a rule needs that holds no one clear figure: said, never guessed."""
    return Outcome(row.facts.get("field_sel", "sel"), row.facts["sel"], row.facts["expected"],
                   {"reason": row.facts["reason"], "check": row.facts["check"]})
