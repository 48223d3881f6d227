"""The figures in a received document's cells, read without guessing.

Indonesian documents print `3.385.637.000` and `22,05%`, but also `22.05 %` and
`480,000,000`, often in the same table. Most printed numbers show which marks they use:
`3.385.637.000` groups thousands with dots, `22.05` has a decimal point (two decimals cannot be
a thousands group). Some do not: `1.234` is 1234 with a dot for thousands or 1,234 with a
decimal point. Such a cell is settled by the other cells of its column (the marks they use),
else by the whole document when it uses one convention throughout, else by its column being
rupiah (whole amounts have no three decimals); otherwise it is reported as ambiguous, with both
readings, and never guessed.

pipeline/numbers.py turns each decided form into its exact Decimal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .. import numbers

# statuses of a cell
TEXT = "teks"  # words, or a label with digits in it: not a figure
BLANK = "kosong"
NIL = "nihil"  # `-`, `n/a`: a figure column's way to print no value
READ = "terbaca"
AMBIGUOUS = "ambigu"
UNREAD = "tak_terbaca"  # digits and separators that no number format explains

NIL_MARKS = frozenset({"-", "–", "—", "n/a", "na", "nihil", "t/a"})
DOT, COMMA = ".", ","
MAX_UNIT = 15  # letters of a unit after a count (`1 dokumen`, `10 menit`)

_CELL = re.compile(
    r"^(?P<rp>Rp\.?\s*)?(?P<sign>[-−+])?\s*(?P<body>\d[\d.,]*?)(?P<dash>,-|,—)?"
    r"\s*(?P<pct>%)?$", re.IGNORECASE)
_QUANTITY = re.compile(rf"^(?P<number>\d[\d.,]*)\s+(?P<unit>[A-Za-z]{{1,{MAX_UNIT}}})$")
_GROUPS = {DOT: re.compile(r"^\d{1,3}(\.\d{3})+$"), COMMA: re.compile(r"^\d{1,3}(,\d{3})+$")}
_DECIMAL = {DOT: re.compile(r"^\d+\.\d+$"), COMMA: re.compile(r"^\d+,\d+$")}
_BOTH = {(DOT, COMMA): re.compile(r"^\d{1,3}(\.\d{3})+,\d+$"),  # thousands, decimal
         (COMMA, DOT): re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")}
_YEAR = re.compile(r"^(19|20)\d\d$")
_ORDINAL = re.compile(r"^\d{1,3}[.)]$")  # `1.`, `2)`: a row's number, a label
_LOOKS = re.compile(r"^(Rp\.?\s*)?[-−+]?\s*\d[\d.,\s]*(,-)?\s*%?$", re.IGNORECASE)

MARK_NAMES = {DOT: "titik", COMMA: "koma"}


@dataclass(frozen=True)
class Reading:
    """One way to read a printed number: its value and the marks that reading assumes."""

    value: Decimal
    decimal: str | None = None  # the decimal mark it assumes
    thousands: str | None = None  # the thousands mark it assumes


@dataclass(frozen=True)
class Token:
    """One printed number, before its column settles what its marks mean."""

    text: str
    readings: tuple[Reading, ...]  # one when the number itself shows its marks
    percent: bool = False
    rupiah: bool = False
    reason: str = ""  # when no reading: why


@dataclass(frozen=True)
class Figure:
    """A cell's figure as finally read."""

    text: str
    status: str
    values: tuple[Decimal, ...] = ()  # READ: the value, or each of a cell that lists several
    percent: bool = False
    rupiah: bool = False
    unit: str = ""  # `dokumen` in `1 dokumen`
    choices: tuple[Decimal, ...] = ()  # AMBIGUOUS: the readings it could have
    reason: str = ""  # AMBIGUOUS, UNREAD: why, in Indonesian

    @property
    def value(self) -> Decimal | None:
        return self.values[0] if len(self.values) == 1 else None

    @property
    def numeric(self) -> bool:
        """A cell that holds, or tries to hold, a figure."""
        return self.status in (READ, AMBIGUOUS, UNREAD)


def is_ordinal(text: str) -> bool:
    """`1`, `2.`, `3)`: how a row's number is printed."""
    return bool(_ORDINAL.match(text.strip()) or re.match(r"^\d{1,3}$", text.strip()))


def is_year(text: str) -> bool:
    return bool(_YEAR.match(text.strip()))


def looks_numeric(text: str) -> bool:
    """Digits and separators only (with Rp, a sign, `,-` or %), or a count with its unit:
    a cell meant as a figure, whether or not it reads. A year alone is a label."""
    body = text.strip()
    if not body or is_year(body):
        return False
    return bool(_LOOKS.match(body) or _QUANTITY.match(body))


def _readings(body: str) -> tuple[tuple[Reading, ...], str]:
    """Every reading of a printed number's digits and marks, or none with the reason."""
    if body.isdigit():
        return (Reading(Decimal(body)),), ""
    for mark, grouped in _GROUPS.items():
        if grouped.match(body):
            single = body.count(mark) == 1
            fraction = (Reading(numbers.parse_decimal(body), decimal=mark),) if single else ()
            if body.startswith("0"):  # no thousands group starts with 0: `0.500` is a half
                return fraction, "" if single else "angka berawal 0 dengan pemisah ribuan"
            whole = Reading(Decimal(numbers.parse_integer(body)), thousands=mark)
            return (whole, *fraction), ""
    for mark, decimal in _DECIMAL.items():
        if decimal.match(body):
            return (Reading(numbers.parse_decimal(body), decimal=mark),), ""
    for (thousands, mark), both in _BOTH.items():
        if both.match(body):
            plain = body.replace(thousands, "").replace(mark, ".")
            return (Reading(Decimal(plain), decimal=mark, thousands=thousands),), ""
    if body.count(DOT) > 1 and COMMA not in body:
        return (), "pemisah titik tidak setiap 3 digit"
    if body.count(COMMA) > 1 and DOT not in body:
        return (), "pemisah koma tidak setiap 3 digit"
    return (), "tanda titik dan koma tidak membentuk satu format angka"


def token(text: str) -> Token | None:
    """A printed number with its Rp, sign, `,-` and % taken off; None when the text is not
    one number."""
    match = _CELL.match(text.strip())
    if not match:
        return None
    body = match.group("body")
    digits = len(re.sub(r"\D", "", body))
    if digits > numbers.MAX_DIGITS + numbers.MAX_DECIMALS:
        return Token(text, (), reason=f"lebih dari {numbers.MAX_DIGITS} digit")
    try:
        readings, reason = _readings(body)
    except numbers.NumberFormatError as exc:
        readings, reason = (), exc.expected
    if match.group("sign") in ("-", "−"):
        readings = tuple(Reading(-r.value, r.decimal, r.thousands) for r in readings)
    return Token(text.strip(), readings, percent=bool(match.group("pct")),
                 rupiah=bool(match.group("rp") or match.group("dash")), reason=reason)


@dataclass(frozen=True)
class Parsed:
    """A cell taken apart: its numbers (one, or several listed in one cell), or its status."""

    text: str
    status: str
    tokens: tuple[Token, ...] = ()
    unit: str = ""


def _numbers(text: str, tokens: tuple[Token, ...], unit: str = "") -> Parsed:
    status = READ if all(t.readings for t in tokens) else UNREAD
    return Parsed(text, status, tokens, unit)


# a note mark printed with a figure: `[2] 113,65%` (a finding's number, as this project's
# own PDF prints it), `25,06%*`, `25,06%*)`, `25,06%¹`
_NOTE = re.compile(r"^\[\d{1,3}\]\s*|\s*(\*{1,3}\)?|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})$")


def parse(text: str) -> Parsed:
    """A cell as blank, nil, text, or one or more printed numbers (a note mark aside)."""
    body = " ".join(text.split())
    unmarked = _NOTE.sub("", body)
    if unmarked != body and token(unmarked) is not None:
        body = unmarked
    if not body:
        return Parsed(text, BLANK)
    if body.lower() in NIL_MARKS:
        return Parsed(text, NIL)
    if _ORDINAL.match(body):
        return Parsed(text, TEXT)
    whole = token(body)
    if whole is not None:
        return _numbers(text, (whole,))
    quantity = _QUANTITY.match(body)
    if quantity:
        counted = token(quantity.group("number"))
        if counted is not None:
            return _numbers(text, (counted,), quantity.group("unit"))
    parts = body.replace(" %", "%").split(" ")
    listed = [token(p) for p in parts]
    if len(parts) > 1 and all(listed):  # `3.807.800.000 3.301.407.600`: one per line
        return _numbers(text, tuple(listed))
    if looks_numeric(body):
        return Parsed(text, UNREAD, (Token(body, (), reason="bukan satu angka"),))
    return Parsed(text, TEXT)


@dataclass
class Marks:
    """The marks a column (or a document) shows in its numbers that show them."""

    decimal: Counter = field(default_factory=Counter)
    thousands: Counter = field(default_factory=Counter)

    def add(self, parsed: Parsed) -> None:
        for t in parsed.tokens:
            if len(t.readings) == 1:
                reading = t.readings[0]
                if reading.decimal:
                    self.decimal[reading.decimal] += 1
                if reading.thousands:
                    self.thousands[reading.thousands] += 1

    def merged(self, other: Marks) -> Marks:
        return Marks(self.decimal + other.decimal, self.thousands + other.thousands)

    def settles(self, reading: Reading) -> bool | None:
        """True when these marks support this reading and nothing in them contradicts it;
        False when they contradict it; None when they say nothing."""
        mark = reading.decimal or reading.thousands
        other = COMMA if mark == DOT else DOT
        if reading.decimal:
            support = self.decimal[mark] + self.thousands[other]
            against = self.thousands[mark] + self.decimal[other]
        else:
            support = self.thousands[mark] + self.decimal[other]
            against = self.decimal[mark] + self.thousands[other]
        if support and not against:
            return True
        if against:
            return False
        return None

    def describe(self) -> str:
        """`desimal koma, ribuan titik` (what a column's or document's numbers show)."""
        parts = [f"desimal {MARK_NAMES[m]}" for m in (COMMA, DOT) if self.decimal[m]]
        parts += [f"ribuan {MARK_NAMES[m]}" for m in (DOT, COMMA) if self.thousands[m]]
        return ", ".join(parts) or "bilangan bulat"


def _choose(t: Token, column: Marks, document: Marks, rupiah: bool) -> Reading | str:
    """The one reading a number's column, else its document, settles; else why none."""
    if len(t.readings) == 1:
        return t.readings[0]
    for marks in (column, document):
        fits = [r for r in t.readings if marks.settles(r)]
        if len(fits) == 1:
            return fits[0]
    if rupiah or t.rupiah:
        whole = [r for r in t.readings if r.thousands]
        if len(whole) == 1:
            return whole[0]
    shown = " atau ".join(_shown(r.value) for r in t.readings)
    return f"dapat dibaca {shown}: kolom dan dokumen tidak menentukan tanda desimalnya"


def _shown(value: Decimal) -> str:
    """A value in the Indonesian way, exactly: `1.234` for 1234, `1,234` for 1.234."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def resolve(parsed: Parsed, column: Marks, document: Marks, rupiah: bool = False) -> Figure:
    """The cell's figure, its numbers settled by its column's marks, else the document's."""
    if parsed.status != READ:
        reasons = [t.reason for t in parsed.tokens if t.reason]
        return Figure(parsed.text, parsed.status, reason=reasons[0] if reasons else "")
    values = []
    for t in parsed.tokens:
        chosen = _choose(t, column, document, rupiah)
        if isinstance(chosen, str):
            return Figure(parsed.text, AMBIGUOUS, choices=tuple(r.value for r in t.readings),
                          reason=chosen,
                          percent=t.percent, rupiah=t.rupiah)
        values.append(chosen.value)
    first = parsed.tokens[0]
    return Figure(parsed.text, READ, tuple(values), percent=first.percent,
                  rupiah=first.rupiah or rupiah, unit=parsed.unit)
