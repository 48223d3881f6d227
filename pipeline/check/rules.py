"""Checks as declared rules, as dbt declares its tests: each rule has an id, a severity, the
kind of row it reads and the figures of that row it reads, and its message. One engine runs
them on rows made from typed data (the annual and quarterly checks) and on rows read from a
received document (the audit) alike: a rule runs on every row of its kind that holds the
figures it reads.

A row carries its figures as printed and, for a derived figure, as recomputed by the compute
stage (or, for a document, by the same compute functions from the document's own cells); a
rule only compares. Adding a rule is one declaration (`@rule(...)`) and one test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .severity import ERROR, INFO


@dataclass(frozen=True)
class Figure:
    """One figure of a row: its value as read (None: not printed, or a dash), the text as
    printed (None: the cell was blank), and, for a derived figure, the recomputed value."""

    value: Decimal | int | None = None
    text: str | None = None
    recomputed: Decimal | int | None = None


@dataclass(frozen=True)
class Row:
    """A row a rule reads: its kind, where a finding cites it (file, key), what it is called
    in a message, its figures by name and its facts (words, codes, a unit's `show`)."""

    kind: str
    file: str
    key: str
    what: str
    figures: Mapping[str, Figure] = field(default_factory=dict)
    facts: Mapping[str, object] = field(default_factory=dict)

    def has(self, names: Iterable[str]) -> bool:
        """Whether the row holds any of these figures: a rule reading several compares those
        the row has (a table prints some of them)."""
        return any(n in self.figures or n in self.facts for n in names)


@dataclass(frozen=True)
class Outcome:
    """What a rule found on a row: the field, the printed and the expected value as shown,
    the words its message is made of, and a severity when it differs from the rule's."""

    field: str
    printed: str
    expected: str
    words: Mapping[str, str] = field(default_factory=dict)
    severity: str | None = None
    message: str | None = None  # a rule with several messages names the one that applies


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    reads: tuple[str, ...]
    severity: str
    # Indonesian; {what}, {printed}, {expected}, the row's facts that are words, and the
    # outcome's words
    message: str | Mapping[str, str]
    test: Callable[[Row], Iterable[Outcome] | Outcome | None]

    def text(self, outcome: Outcome, row: Row) -> str:
        template = self.message if isinstance(self.message, str) else \
            self.message[outcome.message or "default"]
        words = {k: v for k, v in row.facts.items() if isinstance(v, str)}
        words.update(what=row.what, printed=outcome.printed, expected=outcome.expected)
        return template.format(**{**words, **outcome.words})


RULES: dict[str, Rule] = {}


def rule(id: str, kind: str, reads: tuple[str, ...], severity: str,
         message: str | Mapping[str, str]):
    """Declare a rule: the decorated function is its test, returning None when the row
    holds, else one Outcome or several."""
    def declare(test):
        if f"{id}@{kind}" in RULES:
            raise ValueError(f"rule {id} on {kind} declared twice")
        RULES[f"{id}@{kind}"] = Rule(id, kind, tuple(reads), severity, message, test)
        return test
    return declare


def rules_for(kind: str) -> list[Rule]:
    return [r for r in RULES.values() if r.kind == kind]


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    file: str
    key: str
    field: str
    printed: str
    expected: str
    message: str
    # the workbook cell the analyst edits (places.py), `lkip_2024.xlsx › realisasi_anggaran!H5`;
    # "" for a CSV file, which file and row key name. Not part of what the finding is.
    place: str = field(default="", compare=False)

    @property
    def where(self) -> str:
        """Where to look, as the analyst edits it: the workbook cell, or file and row key."""
        return self.place or ", ".join(part for part in (self.file, self.key) if part)


def apply(declared: Rule, row: Row) -> list[Finding]:
    if not row.has(declared.reads):
        return []
    result = declared.test(row)
    outcomes = [] if result is None else [result] if isinstance(result, Outcome) else \
        list(result)
    return [Finding(declared.id, o.severity or declared.severity, row.file, row.key, o.field,
                  o.printed, o.expected, declared.text(o, row)) for o in outcomes]


def run(rows: Iterable[Row], only: Iterable[str] | None = None) -> list[Finding]:
    """Every declared rule (or those of `only`, by id) on every row of its kind, in the
    order of the rows, then of declaration."""
    wanted = None if only is None else set(only)
    found = []
    for row in rows:
        for declared in rules_for(row.kind):
            if wanted is None or declared.id in wanted:
                found += apply(declared, row)
    return found


# -- the comparison most rules make: a printed derived figure against its recomputation -----

ROUNDING, WRONG, GAP = "pembulatan", "salah", "tidak_tercetak"
DERIVED_MESSAGES = {
    GAP: "{what}: tidak tercetak, hasil hitung ulang {expected}",
    ROUNDING: "{what}: tercetak {printed}, hasil hitung ulang {expected}; {slip}",
    WRONG: "{what}: tercetak {printed}, seharusnya {expected}",
}
SLIP = "selisih pembulatan (kurang dari satu satuan desimal terakhir)"


def difference(printed, text: str | None, recomputed) -> str | None:
    """None when the printed figure equals the recomputed one rounded to the printed decimals;
    ROUNDING when it misses by less than one unit of its last decimal; else WRONG."""
    from ..read.numbers import printed_decimals, round_half_up

    if printed is None and recomputed is None:
        return None
    if printed is None or recomputed is None:
        return WRONG
    places = (printed_decimals(text) if text else 0) or 0
    recomputed = Decimal(recomputed)
    if round_half_up(recomputed, places) == Decimal(printed):
        return None
    return ROUNDING if abs(recomputed - Decimal(printed)) < Decimal(1).scaleb(-places) \
        else WRONG


def derived(row: Row, name: str, rounding: str = INFO, gap: str = ERROR,
            blank: bool = False, slip: str = SLIP) -> Outcome | None:
    """The printed figure `name` of a row against its recomputed value. A blank cell (text
    None) printed nothing and is not checked, unless `blank` (a figure a list fills in);
    a dash (value None) is a gap the recomputation fills (`gap` severity, INFO when the
    recomputed value is zero). A row's fact `rounding` rates a slip as its route does (the
    audit of a received document: a warning)."""
    rounding = row.facts.get("rounding", rounding)
    figure = row.figures[name]
    if figure.text is None and not blank:
        return None
    found = difference(figure.value, figure.text, figure.recomputed)
    if found is None:
        return None
    show = row.facts.get(f"show_{name}") or row.facts.get("show") or str
    expected = show(figure.recomputed) if figure.recomputed is not None else "–"
    field = row.facts.get(f"field_{name}", name)
    # a row of several figures names each in its message (`Capaian anggaran …`)
    words = {"what": row.facts[f"what_{name}"]} if f"what_{name}" in row.facts else {}
    if figure.value is None:
        return Outcome(field, figure.text or "–", expected, words, message=GAP,
                       severity=INFO if figure.recomputed == 0 else gap)
    if found == ROUNDING:
        return Outcome(field, figure.text, expected, {**words, "slip": slip}, rounding,
                       ROUNDING)
    return Outcome(field, figure.text or "–", expected, words, message=WRONG)


def each_derived(row: Row, names: tuple[str, ...], **options) -> list[Outcome]:
    """`derived` for each of the figures a rule reads that the row holds."""
    found = [derived(row, name, **options) for name in names if name in row.figures]
    return [outcome for outcome in found if outcome is not None]


# -- the other comparisons rules make: one figure against the same figure elsewhere, or
# against a limit ------------------------------------------------------------------------

def _show(row: Row, name: str):
    return row.facts.get(f"show_{name}") or row.facts.get("show") or str


def unequal(row: Row, name: str, **words) -> Outcome | None:
    """The figure `name` printed in one place against the same figure printed in another
    (its `recomputed`): any difference, rounding included, is a contradiction. None when
    either is not printed."""
    figure = row.figures[name]
    if figure.value is None or figure.recomputed is None or figure.value == figure.recomputed:
        return None
    show = _show(row, name)
    printed = figure.text if figure.text is not None else show(figure.value)
    return Outcome(row.facts.get(f"field_{name}", name), printed, show(figure.recomputed),
                   words)


def above(row: Row, name: str, limit, **words) -> Outcome | None:
    """The figure `name` above `limit` (the most it may be): expected `≤ limit`."""
    value = row.figures[name].value
    if value is None or limit is None or not value > limit:
        return None
    show = _show(row, name)
    return Outcome(row.facts.get(f"field_{name}", name), show(value), f"≤ {show(limit)}", words)
