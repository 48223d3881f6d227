"""Property-based tests: any string either parses to the right value or gives the clear
error; Indonesian formatting and parsing round-trip; no input crashes the reader."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import DefectCollector
from pipeline.read import formatting as fmt
from pipeline.read import ingest, numbers
from pipeline.read.schema import TABLES, table

PARSERS = (numbers.parse_integer, numbers.parse_rupiah, numbers.parse_percent,
           numbers.parse_decimal)
NUMBERISH = st.text(alphabet="0123456789.,%-Rp ,", max_size=20)


@given(st.one_of(st.text(max_size=30), NUMBERISH))
def test_any_string_parses_or_gives_the_clear_error(text):
    for parse in PARSERS:
        try:
            value = parse(text)
        except numbers.NumberFormatError as exc:
            assert exc.expected and exc.text == text.strip()
        else:
            assert value is None or isinstance(value, (int, Decimal))


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_round_trip(amount):
    assert numbers.parse_rupiah(fmt.rupiah(amount)) == amount
    assert numbers.parse_integer(fmt.number(amount)) == amount


@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
def test_percent_round_trip(value):
    assert numbers.parse_percent(fmt.percent(value)) == value


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False))
def test_decimal_round_trip(value):
    text = fmt.number(value, 4)
    assert numbers.parse_decimal(text.replace("−", "-")) == value


@given(st.text(max_size=40))
def test_every_column_kind_reads_or_explains(text):
    for t in TABLES:
        for column in t.columns:
            try:
                ingest._parse_cell(column, text)
            except ValueError as exc:  # NumberFormatError is a ValueError too
                assert str(exc)


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_no_bytes_crash_the_reader(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    spec = table("target_pk.csv")
    (folder / spec.file).write_bytes(data)
    out = DefectCollector()
    raw = ingest.read_raw(folder, spec, out)
    if raw is None:
        assert out.defects
    else:
        frame = ingest.parse_rows(raw, 2024, out)
        assert len(frame) == len(raw.rows)
