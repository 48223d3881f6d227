import datetime as dt
from decimal import Decimal

from pipeline.read import formatting as fmt


def test_indonesian_formats():
    assert fmt.percent(Decimal("22.05")) == "22,05%"
    assert fmt.rupiah(3385637000) == "Rp3.385.637.000"
    assert fmt.date(dt.date(2025, 2, 18)) == "18 Februari 2025"
    assert fmt.number(2394) == "2.394"


def test_percent_rounds_half_up_before_babel():
    # Babel alone rounds half to even (73,52); reports round half up
    assert fmt.percent(Decimal("73.525")) == "73,53%"


def test_points_carry_a_sign():
    assert fmt.points(Decimal("242.6906")) == "+242,69"
    assert fmt.points(Decimal("-91.49")) == "−91,49"


def test_parse_date_round_trip():
    assert fmt.parse_date("18 Februari 2025") == dt.date(2025, 2, 18)
    assert fmt.date(fmt.parse_date("1 Desember 2024")) == "1 Desember 2024"
