"""What an indicator is measured in: how its values are read, checked and printed.

Every IKU carries its own unit (iku.csv: satuan, jenis_satuan, desimal, batas_atas). A share
prints as `22,05%`, a count as `12 dokumen`, an index as `82,50`, money as `Rp1.000`. Capaian
is always a percentage, whatever the unit of the indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import formatting as fmt
from . import numbers, scales
from .scales import Scale

# jenis_satuan: what kind of quantity the IKU measures
PERSENTASE, JUMLAH, INDEKS, RASIO, RUPIAH = "persentase", "jumlah", "indeks", "rasio", "rupiah"
LABEL = "label"  # a label on an ordered scale (iku.csv `skala`): held as its position
STEP = "tingkat"  # what a difference between two labels of a scale is counted in
KINDS = {
    PERSENTASE: "bagian dari keseluruhan, dalam persen (0–100)",
    JUMLAH: "cacah (orang, dokumen, desa, unit, kegiatan, ...)",
    INDEKS: "indeks atau nilai/skor pada suatu skala (mis. IKM 0–100, skor 1–4)",
    RASIO: "rasio atau laju (per 1.000 penduduk, pertumbuhan %), boleh negatif",
    RUPIAH: "jumlah uang dalam rupiah",
    LABEL: "label pada skala berurutan (opini BPK, nilai SAKIP, status IDM, ...)",
}
# the kind a unit word implies when jenis_satuan is left blank
_KIND_OF_WORD = {"%": PERSENTASE, "persen": PERSENTASE, "rp": RUPIAH, "rupiah": RUPIAH,
                 "indeks": INDEKS, "nilai": INDEKS, "skor": INDEKS}
_SHARE_CEILING = Decimal(100)


def kind_of(satuan: str, jenis: str | None = None) -> str:
    return jenis or _KIND_OF_WORD.get((satuan or "%").strip().lower(), JUMLAH)


@dataclass(frozen=True)
class Unit:
    satuan: str = "%"
    jenis: str = PERSENTASE
    desimal: int = 2
    batas_atas: Decimal | None = None
    scale: Scale | None = None  # the ordered scale of an IKU measured by labels

    @classmethod
    def of(cls, satuan=None, jenis=None, desimal=None, batas_atas=None) -> Unit:
        satuan = (satuan or "%").strip()
        jenis = kind_of(satuan, jenis)
        if batas_atas is None and jenis == PERSENTASE:
            batas_atas = _SHARE_CEILING
        return cls(satuan, jenis, 2 if desimal is None else int(desimal), batas_atas)

    @classmethod
    def on_scale(cls, satuan, scale: Scale) -> Unit:
        """An IKU measured by the labels of `scale`, held as positions (whole tingkat)."""
        return cls((satuan or scale.name).strip(), LABEL, 0, None, scale)

    @property
    def ledger_unit(self) -> str:
        """The unit of a ledger value: a label's position says on which scale."""
        if self.scale is not None:
            return f"posisi pada skala {self.scale.code} (1 = {self.scale.worst})"
        return self.satuan

    @property
    def is_percent(self) -> bool:
        return self.satuan == "%"

    @property
    def suffix(self) -> str:
        """The unit as it follows a number in text; an index prints bare."""
        if self.is_percent or self.jenis in (RUPIAH, INDEKS):
            return ""
        return self.satuan

    @property
    def header(self) -> str:
        """The unit for a column header: `(%)`, `(dokumen)`, `(Rp)`, `(indeks)`."""
        return f"({'Rp' if self.jenis == RUPIAH else self.satuan})"

    @property
    def change_word(self) -> str:
        """What a difference between two values is counted in: poin, Rp, dokumen."""
        if self.jenis == RUPIAH:
            return "Rp"
        if self.scale is not None:
            return STEP
        return "poin" if self.is_percent or self.jenis == INDEKS else self.satuan

    def difference(self, value) -> str:
        """An unsigned difference in words: `3,01 poin`, `Rp540.435.000`, `3 dokumen`."""
        if self.jenis == RUPIAH:
            return fmt.rupiah(value)
        return f"{self.number(value)} {self.change_word}"

    def number(self, value) -> str:
        return fmt.number(value, self.desimal)

    def show(self, value) -> str:
        """`22,05%`, `12 dokumen`, `82,50`, `Rp1.000.000`; `–` for no value."""
        if value is None:
            return "–"
        if self.scale is not None:
            return self.scale.label(value)
        if self.jenis == RUPIAH:
            return fmt.rupiah(value)
        if self.is_percent:
            return fmt.percent(value, self.desimal)
        return f"{self.number(value)} {self.suffix}".rstrip()

    def change(self, value) -> str:
        """A signed difference: `+3,01` (poin), `−2` (dokumen)."""
        return fmt.points(value, self.desimal)

    def axis(self, value) -> str:
        """A chart tick: `1.500`, `40%`, `WTP`."""
        if self.scale is not None:
            return self.scale.label(value)
        return fmt.percent(value, 0) if self.is_percent else fmt.number(value, 0)

    def parse(self, text: str | None) -> Decimal | None:
        """A value as printed, read by the unit: `1.250` dokumen is 1250, `22.05%` is 22,05."""
        if self.is_percent:
            return numbers.parse_percent(text)
        if numbers.is_blank(text):
            return None
        if self.scale is not None:
            return self.scale.read(text)
        body = text.strip()
        if body.endswith("%"):
            raise numbers.NumberFormatError(
                body, f"nilai dalam satuan {self.satuan} (iku.csv), tanpa %")
        if self.jenis == RUPIAH:
            value = numbers.parse_rupiah(body)
            return None if value is None else Decimal(value)
        if self.jenis == JUMLAH:
            return numbers.parse_grouped_decimal(body, what=f"jumlah {self.satuan}")
        return numbers.parse_decimal(body, what=f"nilai {self.satuan}")

    def range_problem(self, value) -> str | None:
        """Why a value cannot be a reading of this unit (at input time)."""
        if value is None:
            return None
        if value < 0 and self.jenis not in (RASIO, INDEKS):
            return f"nilai dalam satuan {self.satuan} (iku.csv), tidak negatif"
        if self.jenis == PERSENTASE and value > numbers.MAX_PERCENT:
            return f"persentase antara 0 dan {numbers.MAX_PERCENT}"
        return None

    def implausible(self, value) -> bool:
        """Above the top of its scale: over 100% of a whole, above the index's maximum."""
        return value is not None and self.batas_atas is not None and value > self.batas_atas


PERCENT = Unit()


def of_iku(row) -> Unit:
    """The unit of one iku.csv row (a dict or a namedtuple); a row naming a scale is
    measured by its labels."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    scale = scales.of(get("skala"))
    if scale is not None:
        return Unit.on_scale(get("satuan"), scale)
    return Unit.of(get("satuan"), get("jenis_satuan"), get("desimal"), get("batas_atas"))


def by_iku(iku_frame) -> dict[str, Unit]:
    return {r["kode_iku"]: of_iku(r) for r in iku_frame.to_dict("records")}
