"""Figures stated in the running text of a received document, against its tables: a sentence
that gives an indicator's target, realisasi or capaian for the report year (`Capaian
Persentase PMKS Mandiri tahun 2024 sebesar 113,65%`), and a total stated before the list of
its parts (`… sebanyak 2.394 orang, terdiri atas: a. … 1.200 orang; b. … 1.194 orang`)."""

from __future__ import annotations

import re
from decimal import Decimal

from ...read import formatting as fmt
from ...read.document import Document, Paragraph, Reading
from ...read.document import figures as read_figures
from ...read.document.figures import READ, Marks
from ..rules import Figure, Row
from .across import Sourced, annual_rows, report_year
from .result import Where
from .tables import normal_name

_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=[A-Z])")
_NUMBER = re.compile(r"(?:Rp\.?\s*)?-?\d[\d.,]*(?:\s*(?:%|persen))?", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# the words that may stand between `capaian` and its number, besides the indicator's name
JOINING = frozenset({"sebesar", "mencapai", "yaitu", "adalah", "sebanyak", "senilai", "pada",
                     "tahun", "kinerja", "dengan", "telah", "hanya", "baru", "yang", "indikator",
                     "terealisasi", "tercapai", "sudah", "dari", "di", "ini", "nya"}) | \
    frozenset(str(year) for year in range(1990, 2100))
_LEADERS = re.compile(r"\.{4,}")  # a table of contents line: `Judul ........ 14`
NAMED = {"target": 0, "realisasi": 1, "capaian": 2}  # the word, and its cell in annual_rows
_WHOLE = re.compile(r"\b(jumlah|total|sebanyak|sebesar)\b", re.IGNORECASE)
_PARTS = re.compile(r"\bterdiri\s+(atas|dari)\b", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[a-z]|\d{1,2})[.)]\s+|^\s*[-•]\s+", re.IGNORECASE)


def _number(text: str, marks: Marks) -> tuple[Decimal, str] | None:
    """The figure a stated number is, read by the document's own marks; None when it is a
    year or not one number without doubt."""
    text = text.strip().rstrip(".,")
    if _YEAR.fullmatch(text):
        return None
    figure = read_figures.resolve(read_figures.parse(re.sub(r"\s*persen$", "%", text)),
                                  Marks(), marks)
    return (figure.value, text) if figure.status == READ and figure.value is not None \
        else None


def _stated(sentence: str, name: str, marks: Marks) -> list[tuple[str, Decimal, str]]:
    """Each (word, value, as printed) the sentence states of the indicator: a number right
    after `target`, `realisasi` or `capaian`, with nothing between but the indicator's name,
    the year and words that join (`sebesar`, `mencapai`): `target provinsi sebesar 75%` or
    `turun 1,50 poin` state another figure."""
    found = []
    for match in re.finditer(r"\b(target|realisasi|capaian)\b", sentence, re.IGNORECASE):
        after = sentence[match.end():]
        number = next((n for n in _NUMBER.finditer(after)
                       if not _YEAR.fullmatch(n.group(0).strip())), None)
        if number is None:
            continue
        between = set(normal_name(after[:number.start()]).split()) - set(name.split())
        read = _number(number.group(0), marks)
        if read is not None and between <= JOINING:
            found.append((match.group(1).lower(), *read))
    return found


def _named(sentence: str, names: dict[str, tuple]) -> tuple[str, tuple] | None:
    """The indicator a sentence is about: the one whose whole name it contains."""
    text = normal_name(sentence)
    hits = [(name, cells) for name, cells in names.items() if name and name in text]
    return max(hits, key=lambda hit: len(hit[0])) if len(hits) >= 1 else None


def stated_rows(reading: Reading, document: Document) -> list[Sourced]:
    year = report_year(reading)
    names = annual_rows(reading, year)
    out = []
    for paragraph in document.paragraphs:
        if _LEADERS.search(paragraph.text):
            continue
        for sentence in _SENTENCE.split(paragraph.text):
            years = {int(y) for y in _YEAR.findall(sentence)}
            named = _named(sentence, names)
            if named is None or years - {year}:
                continue  # about another year, or about no indicator of the table
            for word, value, text in _stated(sentence, named[0], reading.marks):
                cell = named[1][NAMED[word]]
                if cell.value is None or cell.figure.percent != ("%" in text or
                                                                 "persen" in text.lower()):
                    continue  # a percentage against a count: another figure
                out.append(_row(document, paragraph, sentence, word, value, text, cell))
    return out


def _row(document, paragraph: Paragraph, sentence, word, value, text, cell) -> Sourced:
    where = Where(page=paragraph.page, paragraph=paragraph.number)
    show = fmt.percent if cell.figure.percent or "%" in text else fmt.number
    name = cell.table.rows[cell.row].label
    row = Row("kalimat", document.name, f"paragraf={paragraph.number}",
              f"{word.capitalize()} {name}",
              {"nilai": Figure(value, text, cell.value)},
              {"kalimat": _quoted(sentence), "tempat_tabel": cell.table.table.place(),
               "show": show, "field_nilai": word})
    return Sourced(row, {}, {"nilai": cell}, at=where)


def _quoted(sentence: str, most: int = 120) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= most else sentence[:most - 1] + "…"


def total_rows(reading: Reading, document: Document) -> list[Sourced]:
    """A total stated with `terdiri atas`, against the sum of the list items under it."""
    out = []
    paragraphs = document.paragraphs
    for i, paragraph in enumerate(paragraphs):
        if not (_WHOLE.search(paragraph.text) and _PARTS.search(paragraph.text)):
            continue
        head = paragraph.text[:_PARTS.search(paragraph.text).start()]
        numbers = [n for n in (_number(m.group(0), reading.marks)
                               for m in _NUMBER.finditer(head)) if n]
        parts = _items(paragraphs[i + 1:], reading.marks) or \
            _items_inline(paragraph.text[_PARTS.search(paragraph.text).end():], reading.marks)
        if not numbers or len(parts) < 2:
            continue
        value, text = numbers[-1]
        total = sum(parts, Decimal(0))
        where = Where(page=paragraph.page, paragraph=paragraph.number)
        row = Row("rincian_kalimat", document.name, f"paragraf={paragraph.number}",
                  _quoted(head, 80).rstrip(" ,:;"), {"jumlah": Figure(value, text, total)},
                  {"bagian": str(len(parts)), "show": fmt.number, "field_jumlah": "jumlah"})
        out.append(Sourced(row, at=where))
    return out


def _first_number(text: str, marks: Marks) -> Decimal | None:
    for match in _NUMBER.finditer(text):
        number = _number(match.group(0), marks)
        if number is not None:
            return number[0]
    return None


def _items(following: list[Paragraph], marks: Marks) -> list[Decimal]:
    """The numbers of the list items that follow, up to the first paragraph that is not one;
    none when an item states no number."""
    values = []
    for paragraph in following:
        if not _ITEM.match(paragraph.text):
            break
        value = _first_number(_ITEM.sub("", paragraph.text, count=1), marks)
        if value is None:
            return []
        values.append(value)
    return values


def _items_inline(text: str, marks: Marks) -> list[Decimal]:
    """`a. … 1.200 orang; b. … 1.194 orang` in the sentence itself."""
    pieces = [p for p in re.split(r"\s(?=[a-z][.)]\s)|;", text) if p.strip()]
    values = [_first_number(_ITEM.sub("", p.strip(), count=1), marks) for p in pieces]
    return [v for v in values if v is not None] if all(v is not None for v in values) else []


BUILDERS = (stated_rows, total_rows)


def rows(reading: Reading, document: Document) -> list[Sourced]:
    return [row for build in BUILDERS for row in build(reading, document)]
