"""Rules on who signs: a NIP that cannot be valid or differs from the head's, a misspelt
name, another golongan, another place of signing. Rows of kind `penandatangan` are the
printed signature blocks; `instansi` is the agency's identity itself."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from .rules import Outcome, Row, rule
from .severity import ERROR, WARNING

VALID_NIP = "NIP 18 digit yang sah"
SAME_PERSON = 0.6  # below this likeness of two names, another person signs


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def nip_problems(text: str) -> list[str]:
    """Why a NIP is not valid: 18 digits, birth date, CPNS month after 18, gender 1/2."""
    d = digits(text)
    if len(d) != 18:
        return [f"NIP {text} terdiri atas {len(d)} digit, seharusnya 18"]
    problems = []
    try:
        born = dt.date(int(d[0:4]), int(d[4:6]), int(d[6:8]))
    except ValueError:
        return [f"NIP {text}: tanggal lahir {d[6:8]}-{d[4:6]}-{d[0:4]} tidak ada"]
    year, month = int(d[8:12]), int(d[12:14])
    if not 1 <= month <= 12:
        problems.append(f"NIP {text}: bulan pengangkatan {month:02d} tidak ada")
    elif (year, month) < (born.year + 18, born.month):
        problems.append(f"NIP {text}: pengangkatan {month:02d}-{year} sebelum usia 18 tahun")
    if d[14] not in "12":
        problems.append(f"NIP {text}: kode jenis kelamin {d[14]}, seharusnya 1 atau 2")
    return problems


def normalise_name(text: str) -> str:
    """The name without titles, punctuation and case, to compare spellings."""
    text = (text or "").split(",")[0].lower()
    return re.sub(r"[^a-z]", "", text)


_GOLONGAN = re.compile(r"\(\s*([IVX]+)\s*/\s*([a-e])\s*\)", re.IGNORECASE)


def golongan(pangkat: str | None) -> str | None:
    """`IV/b` from `Pembina Tingkat I ( IV/b )`; None when the text names none."""
    match = _GOLONGAN.search(pangkat or "")
    return None if match is None else f"{match[1].upper()}/{match[2].lower()}"


def place_of(printed: str | None) -> str | None:
    """The place of a printed `Tempat, tanggal`; None when the text has no comma."""
    text = printed or ""
    return text.rsplit(",", 1)[0].strip() if "," in text else None


def same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def invalid_nip(row: Row) -> list[Outcome]:
    nip = row.facts["nip"]
    return [Outcome(row.facts["field_nip"], nip, VALID_NIP, {"problem": problem})
            for problem in nip_problems(nip)] if nip else []


rule("NIP-TIDAK-SAH", "instansi", ("nip",), ERROR, "{problem}")(invalid_nip)
rule("NIP-TIDAK-SAH", "penandatangan", ("nip",), ERROR, "{dokumen}: {problem}")(invalid_nip)


@rule("NIP-BERBEDA", "penandatangan", ("nip",), ERROR,
      "{dokumen}: NIP kepala instansi berbeda dengan NIP pada identitas instansi ({expected})")
def other_nip(row: Row) -> Outcome | None:
    """A valid NIP that is not the head's: another person, or a digit slipped."""
    nip, head = row.facts["nip"], row.facts["kepala_nip"]
    if not nip or digits(nip) == digits(head) or nip_problems(nip):
        return None
    return Outcome(row.facts["field_nip"], nip, head)


@rule("NAMA-BERBEDA", "penandatangan", ("nama",), WARNING,
      "{dokumen}: ejaan nama penanda tangan berbeda dengan identitas instansi")
def misspelt_name(row: Row) -> Outcome | None:
    printed, head = row.facts["nama"], row.facts["kepala_nama"]
    name, canonical = normalise_name(printed), normalise_name(head)
    if name == canonical or difflib.SequenceMatcher(None, name, canonical).ratio() < \
            SAME_PERSON:
        return None
    return Outcome("nama_cetak", printed, head)


@rule("GOLONGAN-BERBEDA", "penandatangan", ("pangkat",), ERROR,
      "{dokumen}: golongan {golongan} berbeda dengan golongan kepala instansi ({own})")
def other_rank(row: Row) -> Outcome | None:
    printed, own = golongan(row.facts["pangkat"]), golongan(row.facts["kepala_pangkat"])
    if not printed or not own or printed == own:
        return None
    return Outcome("pangkat_cetak", row.facts["pangkat"], row.facts["kepala_pangkat"],
                   {"golongan": printed, "own": own})


@rule("TEMPAT-BERBEDA", "penandatangan", ("tempat_tanggal",), WARNING,
      "{dokumen}: tempat penandatanganan tercetak berbeda dengan identitas instansi")
def other_place(row: Row) -> Outcome | None:
    printed, own = place_of(row.facts["tempat_tanggal"]), row.facts["kota_penandatanganan"]
    if not printed or not own or same_words(printed, own):
        return None
    return Outcome("tempat_tanggal_cetak", printed, own)
