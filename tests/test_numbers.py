from decimal import Decimal

import pytest

from pipeline.read.numbers import (
    NumberFormatError,
    parse_decimal,
    parse_integer,
    parse_percent,
    parse_rupiah,
    printed_decimals,
    round_half_up,
)


@pytest.mark.parametrize("text, expected", [
    ("3.385.637.000", 3385637000),
    ("480,000,000", 480000000),
    ("2394", 2394),
    ("Rp. 7.537.949.495,-", 7537949495),
    ("Rp3.385.637.000", 3385637000),
    ("-", 0),  # nihil
    ("", None),
])
def test_rupiah_forms_printed_in_the_seed(text, expected):
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("22,05%", Decimal("22.05")),
    ("22.05 %", Decimal("22.05")),
    ("2.1%", Decimal("2.1")),
    ("186", Decimal("186")),
    ("0%", Decimal("0")),
    ("0,33%", Decimal("0.33")),
])
def test_percent_forms_printed_in_the_seed(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["2.036.000.00", "1,2,3", "1.23.456", "12a"])
def test_malformed_amounts_are_refused(text):
    with pytest.raises(NumberFormatError):
        parse_rupiah(text)


def test_double_percent_sign_is_refused():
    with pytest.raises(NumberFormatError, match="satu tanda %"):
        parse_percent("12%%")


def test_negative_points_and_indonesian_decimal():
    assert parse_decimal("-91,49") == Decimal("-91.49")
    assert parse_decimal("0,4907") == Decimal("0.4907")
    assert parse_decimal("1.234,5") == Decimal("1234.5")


def test_integer_grouping_must_be_by_three():
    assert parse_integer("1.000") == 1000
    with pytest.raises(NumberFormatError):
        parse_integer("10.00")


def test_round_half_up_not_bankers():
    assert round_half_up(Decimal("73.525"), 2) == Decimal("73.53")
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("99.2994"), 2) == Decimal("99.30")


@pytest.mark.parametrize("text, places", [("22.05 %", 2), ("95", 0), ("2.1%", 1),
                                          ("3.385.637.000", 0), ("0,4907", 4)])
def test_printed_decimals(text, places):
    assert printed_decimals(text) == places
