"""Compare a printed derived figure with its recomputation, at the printed precision."""

from __future__ import annotations

from decimal import Decimal

from .numbers import printed_decimals, round_half_up


def printed_differs(printed: Decimal | None, printed_text: str | None,
                    recomputed: Decimal | None) -> bool:
    """True when the printed figure is not the recomputed one rounded as printed."""
    if printed is None and recomputed is None:
        return False
    if printed is None or recomputed is None:
        return True
    places = printed_decimals(printed_text) if printed_text else 2
    return round_half_up(Decimal(recomputed), places or 0) != printed
