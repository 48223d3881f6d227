"""Indonesian number, money and date formats, through Babel's id locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

from .numbers import round_half_up

LOCALE = "id_ID"


def _pattern(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def number(value, places: int = 0) -> str:
    """`3.385.637.000`, `22,05`; rounded half-up before Babel sees it."""
    if value is None:
        return "–"
    rounded = round_half_up(Decimal(str(value)), places)
    if rounded == 0:
        rounded = abs(rounded)  # -0,004 prints as 0,00, never as -0,00
    return format_decimal(rounded, format=_pattern(places), locale=LOCALE)


def percent(value, places: int = 2) -> str:
    """`22,05%` (no space, as Indonesian reports print it)."""
    if value is None:
        return "–"
    return number(value, places) + "%"


def points(value, places: int = 2) -> str:
    """Percentage points with an explicit sign: `+242,69` / `−91,49`."""
    if value is None:
        return "–"
    rounded = round_half_up(Decimal(str(value)), places)
    text = number(abs(rounded), places)
    if rounded == 0:
        return text
    return ("−" if rounded < 0 else "+") + text


def rupiah(value) -> str:
    """`Rp3.385.637.000`."""
    if value is None:
        return "–"
    return "Rp" + number(value, 0)


def date(value: dt.date) -> str:
    """`18 Februari 2025`."""
    return format_date(value, format="d MMMM y", locale=LOCALE)


def parse_date(text: str) -> dt.date:
    """Read `18 Februari 2025`; raises ValueError with the expected form."""
    months = {name.lower(): num for num, name in get_month_names("wide", locale=LOCALE).items()}
    parts = text.split()
    if len(parts) != 3 or parts[1].lower() not in months:
        raise ValueError("tanggal seperti '18 Februari 2025'")
    try:
        return dt.date(int(parts[2]), months[parts[1].lower()], int(parts[0]))
    except ValueError:
        raise ValueError("tanggal yang ada di kalender, seperti '18 Februari 2025'") from None


def join_words(prefix: str, name: str) -> str:
    """`Jumlah` + `Jumlah Penerima Manfaat` reads `Jumlah Penerima Manfaat`: no word twice."""
    name, prefix = str(name).strip(), str(prefix).strip()
    if not prefix or name.lower() == prefix.lower() or \
            name.lower().startswith(prefix.lower() + " "):
        return name
    return f"{prefix} {name}".strip()


def listed(items) -> str:
    """`I, III, dan IV`: a list as Indonesian text writes it (Babel's CLDR pattern)."""
    from babel.lists import format_list

    return format_list([str(i) for i in items], locale=LOCALE)


def by_unit() -> dict:
    """How a table cell prints a figure of each declared unit (computed.py's `unit`): one
    map for the report, the notebooks and make verify."""
    return {"%": percent, "Rp": number, "poin": points, "pembilang": number, "desa": number}
