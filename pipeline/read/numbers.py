"""Parse numbers as Indonesian documents print them, exactly, into Decimal.

Printed tables mix `3.385.637.000`, `22,05%`, `22.05 %`, `480,000,000`, `Rp. 1.000,-` and `-`.
Every accepted form is unambiguous; anything else raises NumberFormatError with the reason.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

BLANK = {"", "-", "–"}
# written where a figure is genuinely not set (a quarter with no target, a year not measured):
# read as no value, never as zero; compared case-insensitively
NOT_SET = {"n/a"}
MAX_DIGITS = 16  # Rp 9.999 triliun fits; more is a typing error, and exact arithmetic stays exact
MAX_DECIMALS = 10
MAX_PERCENT = Decimal(1000)  # above this a percentage cell is a wrong column, not a figure

_GROUPED_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN_INT = re.compile(r"^\d+$")
_DECIMAL_DOT = re.compile(r"^\d+\.\d+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_ID_THOUSANDS_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$")
_RUPIAH_PREFIX = re.compile(r"^Rp\.?\s*", re.IGNORECASE)
_RUPIAH_SUFFIX = re.compile(r",(-|00)$")


class NumberFormatError(ValueError):
    """A printed number that cannot be read without guessing."""

    def __init__(self, text: str, expected: str):
        self.text = text
        self.expected = expected
        super().__init__(f"{text!r}: {expected}")


def is_blank(text: str | None) -> bool:
    """No figure in the cell: empty, a dash, or `n/a`."""
    return text is None or text.strip() in BLANK or text.strip().lower() in NOT_SET


def is_empty(text) -> bool:
    """Nothing typed at all (a dash or `n/a` is something typed)."""
    return text is None or not str(text).strip()


def _split_sign(text: str) -> tuple[int, str]:
    if text.startswith(("-", "−")) and len(text) > 1:
        return -1, text[1:].strip()
    return 1, text


def _check_size(raw: str, what: str) -> None:
    digits = re.sub(r"\D", "", raw.split(",")[0] if "," in raw else raw)
    decimals = re.search(r"[.,](\d+)$", raw)
    if len(digits) > MAX_DIGITS or (decimals and len(decimals.group(1)) > MAX_DECIMALS
                                    and not _GROUPED_DOT.match(raw.lstrip("-−"))):
        raise NumberFormatError(raw, f"{what} paling banyak {MAX_DIGITS} digit dan "
                                f"{MAX_DECIMALS} desimal")


def check_typed(value: Decimal, text: str) -> Decimal:
    """A number a spreadsheet typed obeys the limits of a printed one: finite, at most
    MAX_DIGITS digits before the decimal mark and MAX_DECIMALS after it."""
    expected = f"angka paling banyak {MAX_DIGITS} digit dan {MAX_DECIMALS} desimal"
    if not value.is_finite():
        raise NumberFormatError(text, f"{expected}, bukan tak hingga (INF) atau NaN")
    digits = max(value.adjusted() + 1, 0)
    decimals = max(-value.normalize().as_tuple().exponent, 0)
    if digits > MAX_DIGITS or decimals > MAX_DECIMALS:
        raise NumberFormatError(text, expected)
    return value


def parse_integer(text: str | None, *, what: str = "bilangan bulat") -> int | None:
    """Whole numbers: `2394`, `3.385.637.000`, `480,000,000`."""
    if is_blank(text):
        return None
    raw = text.strip()
    if not raw.isascii():
        raise NumberFormatError(raw, f"{what} dengan angka 0-9")
    _check_size(raw, what)
    sign, body = _split_sign(raw)
    if _PLAIN_INT.match(body):
        return sign * int(body)
    if _GROUPED_DOT.match(body):
        return sign * int(body.replace(".", ""))
    if _GROUPED_COMMA.match(body):
        return sign * int(body.replace(",", ""))
    raise NumberFormatError(
        raw, f"{what} dengan pemisah ribuan titik setiap 3 digit, mis. 3.385.637.000"
    )


def parse_rupiah(text: str | None) -> int | None:
    """Amounts in whole rupiah; accepts `Rp`/`Rp.` before and `,-` or `,00` after.

    A lone `-` is nihil (zero), as Indonesian financial tables print it; an empty cell or
    `n/a` is no value at all.
    """
    if text is not None and text.strip() in ("-", "–"):
        return 0
    if is_blank(text):
        return None
    body = _RUPIAH_PREFIX.sub("", text.strip())
    body = _RUPIAH_SUFFIX.sub("", body).strip()
    try:
        return parse_integer(body, what="jumlah rupiah")
    except NumberFormatError as exc:
        raise NumberFormatError(text.strip(), exc.expected) from None


def parse_decimal(text: str | None, *, what: str = "bilangan desimal") -> Decimal | None:
    """Decimals with `,` or `.` as decimal mark: `0,4907`, `22.05`, `1.234,5`."""
    if is_blank(text):
        return None
    raw = text.strip()
    if not raw.isascii():
        raise NumberFormatError(raw, f"{what} dengan angka 0-9")
    _check_size(raw, what)
    sign, body = _split_sign(raw)
    if _PLAIN_INT.match(body):
        return sign * Decimal(body)
    if _DECIMAL_COMMA.match(body):
        return sign * Decimal(body.replace(",", "."))
    if _DECIMAL_DOT.match(body):
        return sign * Decimal(body)
    if _ID_THOUSANDS_DECIMAL.match(body):
        return sign * Decimal(body.replace(".", "").replace(",", "."))
    raise NumberFormatError(
        raw, f"{what} dengan satu tanda desimal (koma atau titik), mis. 22,05"
    )


def parse_grouped_decimal(text: str | None, *, what: str = "jumlah") -> Decimal | None:
    """Counts as Indonesian tables print them: `1.250` is 1250, `1.250,5` and `12,5` decimals."""
    if is_blank(text):
        return None
    raw = text.strip()
    sign, body = _split_sign(raw)
    if _PLAIN_INT.match(body) or _GROUPED_DOT.match(body) or _GROUPED_COMMA.match(body):
        return Decimal(parse_integer(raw, what=what))
    try:
        return parse_decimal(raw, what=what)
    except NumberFormatError as exc:
        raise NumberFormatError(raw, f"{what} dengan pemisah ribuan titik dan desimal koma, "
                                "mis. 1.250 atau 12,5") from exc


def parse_percent(text: str | None) -> Decimal | None:
    """Percentages as printed: `22,05%`, `22.05 %`, `186`, `0%`; the value is in percent."""
    if is_blank(text):
        return None
    raw = text.strip()
    body = raw[:-1].rstrip() if raw.endswith("%") else raw
    if "%" in body:
        raise NumberFormatError(raw, "persentase dengan paling banyak satu tanda %, mis. 22,05%")
    try:
        return parse_decimal(body, what="persentase")
    except NumberFormatError as exc:
        raise NumberFormatError(raw, exc.expected) from None


def printed_decimals(text: str | None) -> int | None:
    """How many decimals a printed figure shows, to compare at the printed precision."""
    if is_blank(text):
        return None
    body = text.strip().rstrip("%").strip()
    match = re.search(r"[.,](\d+)$", body)
    if not match or _GROUPED_DOT.match(body) or _GROUPED_COMMA.match(body):
        return 0
    return len(match.group(1))


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round as people and spreadsheets do (0,125 -> 0,13), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
