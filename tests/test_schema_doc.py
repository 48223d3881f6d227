from pipeline.read.schema import TABLES, dictionary_markdown

from .conftest import SEED_RAW


def test_data_dictionary_in_readme_is_generated_from_the_schema():
    readme = (SEED_RAW / "README.md").read_text(encoding="utf-8")
    assert dictionary_markdown() in readme, "run: make schema-doc and paste into data/raw/README.md"


def test_every_seed_file_is_described():
    described = {t.file for t in TABLES}
    present = {p.name for p in (SEED_RAW / "2024").glob("*.csv")}
    assert present <= described
