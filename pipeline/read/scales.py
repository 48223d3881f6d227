"""Ordered scales of labels: what a qualitative IKU (an audit opinion, a SAKIP grade, an IDM
status) is measured on.

A scale is data, not code. The common ones ship in defaults/skala.csv; an agency declares its
own, or replaces a shipped one of the same name, in skala.csv of its data folder. One row per
label, `urutan` 1 being the best. An IKU names its scale in iku.csv (`skala`); its targets and
realisasi are then typed as labels and held as their position on the scale (1 for the lowest,
the number of labels for the best), so that they compare, differ (in tingkat) and go to the
ledger as numbers, while every document prints the label.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .. import config
from ..errors import DefectCollector

DEFAULTS = config.DEFAULTS / "skala.csv"
DEFAULTS_NAME = "pipeline/defaults/skala.csv"
FILE = "skala.csv"
# a label is listed in a workbook drop-down as one quoted, comma-separated string
NOT_IN_LABEL = (",", '"')
MIN_LABELS = 2


class LabelError(ValueError):
    """A cell of a qualitative IKU that is not a label of its scale."""

    def __init__(self, title: str, expected: str):
        self.title, self.expected = title, expected
        super().__init__(expected)


@dataclass(frozen=True)
class Scale:
    """An ordered scale. labels: best first, as people list them; meanings: what each stands
    for (`Wajar Tanpa Pengecualian`), read as the label too."""

    code: str
    name: str
    labels: tuple[str, ...]
    meanings: tuple[str, ...] = ()
    source: str = DEFAULTS_NAME

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def known(self) -> bool:
        return bool(self.labels)

    @property
    def best(self) -> str:
        return self.labels[0]

    @property
    def worst(self) -> str:
        return self.labels[-1]

    def listed(self) -> str:
        """`WTP, WDP, TW, TMP`: best first."""
        return ", ".join(self.labels)

    def described(self) -> str:
        """`Opini BPK (dari yang terbaik: WTP, WDP, TW, TMP)`."""
        return f"{self.name} (dari yang terbaik: {self.listed()})"

    def label(self, position) -> str:
        """The label at a position (1 = the lowest); `–` for none."""
        if position is None:
            return "–"
        return self.labels[self.size - int(position)]

    def position(self, label: str) -> int:
        return self.size - self.labels.index(label)

    def read(self, text: str) -> Decimal:
        """A typed label (its meaning, any case and spacing, reads as the label too) as its
        position; LabelError naming the scale's labels otherwise."""
        if not self.known:
            raise LabelError("skala IKU tidak dikenal",
                             f"label pada skala yang dinyatakan; skala '{self.code}' (iku.csv, "
                             f"kolom skala) tidak ada di {DEFAULTS_NAME} maupun di {FILE} "
                             "folder data")
        wanted = _plain(text)
        for index, words in enumerate(zip(self.labels, self.meanings or self.labels)):
            if wanted in {_plain(w) for w in words}:
                return Decimal(self.size - index)
        raise LabelError(f"label tidak ada pada skala {self.name}",
                         f"salah satu label skala {self.code}, dari yang terbaik: "
                         f"{self.listed()}")


def _plain(text) -> str:
    return " ".join(str(text).split()).casefold()


class Named(str):
    """A scale's code as iku.csv holds it (and as the processed table writes it), carrying the
    scale it names: every reader of the IKU table finds the scale where it finds the unit."""

    scale: Scale

    def __new__(cls, code: str, scale: Scale):
        self = super().__new__(cls, code)
        self.scale = scale
        return self

    def __reduce__(self):
        return Named, (str(self), self.scale)


def of(value) -> Scale | None:
    """The scale an iku.csv `skala` cell names: attached by `attach`, else a shipped one."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return None
    if isinstance(value, Named):
        return value.scale
    code = str(value).strip()
    return shipped().get(code, Scale(code, code, ()))


@functools.cache
def shipped() -> dict[str, Scale]:
    """The scales every agency has (defaults/skala.csv), read once."""
    with open(DEFAULTS, encoding="utf-8", newline="") as handle:
        rows = [{**row, "urutan": int(row["urutan"]), "_baris": line}
                for line, row in enumerate(csv.DictReader(handle), 2)]
    out = DefectCollector()
    found = from_rows(rows, DEFAULTS_NAME, out)
    out.raise_if_any()
    return found


def declared(own: pd.DataFrame | None, out: DefectCollector) -> dict[str, Scale]:
    """The shipped scales, with the agency's own (skala.csv) added or put in their place."""
    scales = dict(shipped())
    if own is not None and not own.empty:
        scales.update(from_rows(own.to_dict("records"), FILE, out))
    return scales


def from_rows(rows: list[dict], file: str, out: DefectCollector) -> dict[str, Scale]:
    """Scales from their label rows, each checked: two labels or more, each `urutan` once,
    each label (or meaning) once, no comma or quote in a label, one name."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(_text(row.get("skala")), []).append(row)
    scales = {}
    for code, own in groups.items():
        if not code:
            continue  # a blank scale code is reported as a required cell
        own = sorted(own, key=lambda r: (r.get("urutan") is None, r.get("urutan") or 0))
        if _checked(code, own, file, out):
            names = [_text(r.get("nama_skala")) for r in own if _text(r.get("nama_skala"))]
            scales[code] = Scale(code, names[0] if names else code,
                                 tuple(_text(r["label"]) for r in own),
                                 tuple(_text(r.get("arti")) or _text(r["label"]) for r in own),
                                 file)
    return scales


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) \
        else " ".join(str(value).split())


def _checked(code: str, own: list[dict], file: str, out: DefectCollector) -> bool:
    before = len(out.defects)
    if len(own) < MIN_LABELS:
        out.add(file, f"skala {code} hanya berisi {len(own)} label", line=own[0]["_baris"],
                column="label", value=_text(own[0].get("label")),
                expected=f"sedikitnya {MIN_LABELS} label berurutan, urutan 1 yang terbaik")
    seen_order: dict[int, int] = {}
    seen_words: dict[str, int] = {}
    names: dict[str, int] = {}
    for row in own:
        line, label = row["_baris"], _text(row.get("label"))
        order = row.get("urutan")
        if order in seen_order:
            out.add(file, f"urutan ganda pada skala {code}", line=line, column="urutan",
                    value=str(order), expected=f"setiap urutan sekali; {order} sudah dipakai di "
                    f"baris {seen_order[order]}")
        seen_order.setdefault(order, line)
        bad = [ch for ch in NOT_IN_LABEL if ch in label]
        if bad:
            out.add(file, "label skala berisi koma atau tanda kutip", line=line, column="label",
                    value=label, expected="label tanpa koma (,) dan tanda kutip (\"), sebab "
                    "daftar pilihan workbook memisahkan label dengan koma")
        for column in ("label", "arti"):
            word = _plain(row.get(column) or "")
            if word and word in seen_words and not (column == "arti" and word == _plain(label)):
                out.add(file, f"label atau arti ganda pada skala {code}", line=line,
                        column=column, value=_text(row.get(column)),
                        expected=f"setiap label dan arti sekali dalam satu skala; sudah ada di "
                        f"baris {seen_words[word]}")
            if word:
                seen_words.setdefault(word, line)
        name = _text(row.get("nama_skala"))
        if name:
            names.setdefault(name, line)
    if len(names) > 1:
        (first, _), (other, line) = list(names.items())[:2]
        out.add(file, f"nama skala {code} berbeda antarbaris", line=line, column="nama_skala",
                value=other, expected=f"satu nama untuk skala {code}: '{first}', atau kosong")
    return len(out.defects) == before


# iku.csv settings that mean a number: refused on an IKU measured by labels
NUMERIC_ONLY = {
    "jenis_satuan": "kosong: IKU berskala label diukur dengan label skalanya",
    "realisasi_dari": "kosong: realisasi IKU berskala label diketik sebagai label",
}


def attach(frames: dict[str, pd.DataFrame], out: DefectCollector) -> None:
    """Give iku.csv's `skala` cells their scale (Named), the agency's skala.csv included;
    an unknown scale, or a numeric setting on an IKU measured by labels, is a defect."""
    iku = frames.get("iku.csv")
    if iku is None or "skala" not in iku:
        return
    scales = declared(frames.get(FILE), out)
    values = []
    for row in iku.to_dict("records"):
        code = _text(row.get("skala"))
        if not code:
            values.append(None)
            continue
        scale = scales.get(code)
        if scale is None:
            out.add("iku.csv", "skala tidak dikenal", line=row.get("_baris"), column="skala",
                    value=code, expected=f"salah satu skala: {', '.join(sorted(scales))} "
                    f"({DEFAULTS_NAME}, atau dinyatakan di {FILE} folder data)")
            scale = Scale(code, code, ())
        else:
            _check_iku(row, out)
        values.append(Named(code, scale))
    iku["skala"] = pd.Series(values, dtype=object, index=iku.index)
    _check_quarters(frames.get(QUARTERS), {r["kode_iku"] for r, v in
                                           zip(iku.to_dict("records"), values) if v}, out)


QUARTERS = "triwulan_kinerja.csv"
PER_QUARTER = "per_triwulan"


def _check_quarters(df: pd.DataFrame | None, labelled: set, out: DefectCollector) -> None:
    """A label is a state at the end of a quarter: it has no quarter's own amount to add up,
    so an IKU measured by labels is reported to date (kumulatif)."""
    if df is None or not labelled or "cara_hitung" not in df:
        return
    for row in df.to_dict("records"):
        if row["kode_iku"] in labelled and row.get("cara_hitung") == PER_QUARTER:
            out.add(QUARTERS, "IKU berskala label tidak dijumlahkan per triwulan",
                    line=row.get("_baris"), column="cara_hitung", value=PER_QUARTER,
                    expected=f"kumulatif atau kosong: label {row['kode_iku']} adalah keadaan "
                    "s.d. triwulan itu")


def _check_iku(row: dict, out: DefectCollector) -> None:
    for column, expected in NUMERIC_ONLY.items():
        if row.get(column):
            out.add("iku.csv", "pengaturan angka pada IKU berskala label",
                    line=row.get("_baris"), column=column, value=str(row[column]),
                    expected=expected)
    if row.get("polaritas") == "negatif":
        out.add("iku.csv", "IKU berskala label berpolaritas negatif", line=row.get("_baris"),
                column="polaritas", value="negatif",
                expected="positif: urutan skala (urutan 1 yang terbaik) sudah menentukan arah")


def of_raw(rows_by_file: dict[str, list[dict]]) -> dict[str, Scale]:
    """The scale of each qualitative IKU from the cells as printed (iku.csv and skala.csv
    rows as strings), for the workbook's drop-down lists; a scale that does not read is left
    out (the build says why)."""
    quiet = DefectCollector()
    own = []
    for line, row in enumerate(rows_by_file.get(FILE, []), 2):
        try:
            order = int(str(row.get("urutan", "")).strip())
        except ValueError:
            return {}
        own.append({**row, "urutan": order, "_baris": line})
    scales = dict(shipped())
    scales.update(from_rows(own, FILE, quiet))
    if quiet.defects:
        return {}
    found = {}
    for row in rows_by_file.get("iku.csv", []):
        code, scale = _text(row.get("kode_iku")), scales.get(_text(row.get("skala")))
        if code and scale is not None:
            found[code] = scale
    return found
