"""Who the received LKIP is from, recognised from its running text: the agency and its
government (the letterhead printed most), the level of government from its words, the head
(the signature block printed most: check/document/identity.py), the signing place and date,
the PK's second party, and every signature block as printed (penandatangan.csv).

Everything here is read from words, not from tables, and is marked for the analyst to check.
"""

from __future__ import annotations

import re
from collections import Counter

from ..check.document import identity
from ..check.rules_identity import digits
from ..read import formatting
from ..read.document import Paragraph
from ..read.inputs import PLACEHOLDER
from ..read.schema import NARRATIVE_FILES
from .recognise import SHOWN_TEXT, Builder, Unrecognised, level_words

SEBUTAN = {"kabupaten": "kabupaten", "kota": "kota", "provinsi": "provinsi"}
AGENCY_WORDS = (r"dinas|badan|sekretariat|inspektorat|kantor|satuan|rumah sakit|kecamatan|"
                r"bagian|uptd?|dprd|kelurahan|biro")
LETTERHEAD = re.compile(rf"^pemerintah\s+(kabupaten|kota|provinsi)\s+(.+?)"
                        rf"(?:\s+((?:{AGENCY_WORDS})\b.*))?$", re.IGNORECASE)
ADDRESS_STARTS = re.compile(r"\s+(?:j(?:a)?l(?:an|n)?\b\.?|telp|telepon)\b.*$", re.IGNORECASE)
ADDRESS = re.compile(r"\b(J(?:alan|ln|l)\.?\s+.{2,60}?\b(?:No\.?|Nomor)\s*\d+[A-Za-z]?)",
                     re.IGNORECASE)
PHONE = re.compile(r"\(\d{3,5}\)\s*\d[\d -]{3,10}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
POSTCODE = re.compile(r"(?:kode\s*pos\s*:?\s*|[-–]\s*)(\d{5})\b", re.IGNORECASE)
PROVINCE = re.compile(r"\bProvinsi\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})")
DATED = re.compile(r"(?P<place>[A-Z][A-Za-z.'-]*(?:[ -][A-Z][A-Za-z.'-]*){0,3}),\s*"
                   r"(?P<date>(?:\d{1,2}\s+)?(?P<month>[A-Za-z]+)\s+(?P<year>(?:19|20)\d\d))")
MONTHS = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
          "september", "oktober", "november", "desember")
HEAD_TITLE = re.compile(r"\b(Kepala\b[^.;]*?)[\s,]*$")
SIGNATURE = re.compile(r"\bNIP\b")
PARTY = re.compile(r"\bNama\s*:\s*(?P<name>.+?)\s+Jabatan\s*:\s*(?P<title>.+?)\s*$")
LOWER_WORDS = frozenset({"dan", "di", "ke", "dari", "yang", "serta", "untuk", "atau", "pada"})
SIGNED_WITHIN = 3  # paragraphs above a signature block where its place and date are printed
PK_WITHIN = 12  # paragraphs after the PK's parties where its date is printed
INSTANSI = "instansi.csv"


def _mark(b: Builder, column: str, reason: str, source: str = "") -> None:
    b.mark(INSTANSI, 0, column, reason, source)


def _place(p: Paragraph) -> str:
    return f"paragraf {p.number}" + (f" (halaman {p.page})" if p.page else "")


def written(b: Builder, upper: str) -> str:
    """A name printed in capitals as the document writes it elsewhere in mixed case (the
    spelling printed most), else with each word capitalised."""
    pattern = re.compile(r"\s*".join(re.escape(w) for w in upper.split()), re.IGNORECASE)
    texts = [p.text for p in b.document.paragraphs] + [t.title for t in b.document.tables]
    found = Counter(m.group(0) for text in texts for m in pattern.finditer(text or "")
                    if not m.group(0).isupper())
    if found:
        return " ".join(found.most_common(1)[0][0].split())
    words = upper.lower().split()
    return " ".join(w if w in LOWER_WORDS and i else w.capitalize() for i, w in
                    enumerate(words))


def _letterhead(b: Builder) -> tuple[str, str, str, Paragraph] | None:
    """(sebutan, wilayah, agency) of the letterhead printed most, and its first paragraph."""
    heads: Counter = Counter()
    first: dict[tuple, Paragraph] = {}
    for p in b.document.paragraphs:
        match = LETTERHEAD.match(ADDRESS_STARTS.sub("", p.text.strip()))
        if match:
            key = tuple(" ".join((g or "").upper().split()) for g in match.groups())
            heads[key] += 1
            first.setdefault(key, p)
    if not heads:
        return None
    key = heads.most_common(1)[0][0]
    return (*key, first[key])


def instansi(b: Builder) -> None:
    """The one row of instansi.csv, every cell from the words and marked."""
    row = {"tahun_laporan": str(b.year)}
    b.add(INSTANSI, row)
    head = _letterhead(b)
    if head is None:
        b.level_words = level_words("")
        for column in ("nama_instansi", "pemerintah", "alamat", "kota"):
            _mark(b, column, "kop surat (PEMERINTAH KABUPATEN/KOTA/PROVINSI …) tidak ditemukan; "
                  "wajib diisi")
    else:
        _government(b, row, *head)
    _contact(b, row)
    _head_of_agency(b, row)
    _signed(b, row)
    _pk_parties(b, row)


def _government(b: Builder, row: dict, sebutan: str, wilayah: str, agency: str,
                p: Paragraph) -> None:
    government = written(b, f"PEMERINTAH {sebutan} {wilayah}")
    tingkat = SEBUTAN[sebutan.lower()]
    if agency:
        row["nama_instansi"] = written(b, agency)
    else:  # the government reports as a whole
        tingkat, row["nama_instansi"] = f"pemerintah_{tingkat}", government
    row["pemerintah"] = government
    row["tingkat"] = tingkat
    row["wilayah"] = " ".join(government.split()[2:])
    b.level_words = level_words(tingkat)
    b.used_paragraphs.add(p.number)
    for column in ("nama_instansi", "pemerintah", "tingkat", "wilayah"):
        _mark(b, column, f"dari kop surat yang paling sering tercetak ('{p.text[:80]}')",
              _place(p))


def _most(b: Builder, pattern: re.Pattern, group: int = 0) -> tuple[str, Paragraph] | None:
    """The match printed most in the running text, spaces made single, and where first."""
    found: Counter = Counter()
    where: dict[str, Paragraph] = {}
    for p in b.document.paragraphs:
        for match in pattern.finditer(p.text):
            text = " ".join(match.group(group).split())
            found[text] += 1
            where.setdefault(text, p)
    if not found:
        return None
    text = found.most_common(1)[0][0]
    return text, where[text]


def _contact(b: Builder, row: dict) -> None:
    """Address, telephone, e-mail, postcode and province: each the form printed most."""
    for column, pattern, group in (("alamat", ADDRESS, 1), ("telepon", PHONE, 0),
                                   ("email", EMAIL, 0), ("kode_pos", POSTCODE, 1),
                                   ("provinsi", PROVINCE, 1)):
        if column == "provinsi" and row.get("tingkat", "").endswith("provinsi"):
            continue
        found = _most(b, pattern, group)
        if found is None:
            if column == "alamat":
                _mark(b, column, "alamat (Jl. … No. …) tidak ditemukan; wajib diisi")
            continue
        row[column] = found[0]
        b.used_paragraphs.add(found[1].number)
        _mark(b, column, "bentuk yang paling sering tercetak", _place(found[1]))


def dated(text: str) -> re.Match | None:
    """`Muara Teweh, 18 Februari 2025` (or `…, Januari 2024`): a place and an Indonesian
    date."""
    for match in DATED.finditer(text):
        if match.group("month").lower() in MONTHS:
            return match
    return None


def full_date(match: re.Match) -> str:
    """The date of a dated line when it has its day (`18 Februari 2025`), else ""."""
    try:
        return formatting.date(formatting.parse_date(match.group("date")))
    except ValueError:
        return ""


def _head_of_agency(b: Builder, row: dict) -> None:
    """The head: the NIP printed most among the valid ones, the name and rank printed most
    with it, and the title printed above those blocks."""
    blocks = identity.blocks(b.document)
    nip, name, rank = identity.head(blocks)
    if not nip:
        for column in ("kepala_nama", "kepala_nip", "kepala_pangkat", "kepala_jabatan"):
            _mark(b, column, "blok tanda tangan dengan NIP yang sah tidak ditemukan")
        return
    own = [block for block in blocks if digits(block.nip) == digits(nip)]
    row.update(kepala_nama=name, kepala_nip=nip, kepala_pangkat=rank)
    titles: Counter = Counter()
    for block in own:
        b.used_paragraphs.add(block.paragraph.number)
        above = _paragraph(b, block.paragraph.number - 1)
        for text in (above.text if above else "", block.paragraph.text):
            match = HEAD_TITLE.search(text.split("NIP")[0])
            if match and len(match.group(1)) > len("Kepala "):
                titles[match.group(1)] += 1
    if titles:
        row["kepala_jabatan"] = titles.most_common(1)[0][0]
    source = _place(own[0].paragraph)
    for column in ("kepala_nama", "kepala_nip", "kepala_pangkat", "kepala_jabatan"):
        _mark(b, column, f"dari blok tanda tangan yang paling sering tercetak ({len(own)} "
              "kali); periksa ejaan", source)


def _paragraph(b: Builder, number: int) -> Paragraph | None:
    paragraphs = b.document.paragraphs
    return paragraphs[number - 1] if 0 < number <= len(paragraphs) else None


def _dated_above(b: Builder, block: identity.Block) -> tuple[re.Match, Paragraph] | None:
    """The place and date printed with a signature block, in it or just above it."""
    for number in range(block.paragraph.number, block.paragraph.number - SIGNED_WITHIN - 1, -1):
        p = _paragraph(b, number)
        match = dated(p.text) if p else None
        if match:
            return match, p
    return None


def _signed(b: Builder, row: dict) -> None:
    """Where and when the report was signed: the first block of the head that prints its
    place and full date (the Kata Pengantar's, as LKIPs open with it)."""
    nip = digits(row.get("kepala_nip", ""))
    for block in identity.blocks(b.document):
        found = _dated_above(b, block)
        if found is None or digits(block.nip) != nip or not full_date(found[0]):
            continue
        match, p = found
        row["kota_penandatanganan"] = row["kota"] = match.group("place")
        row["tanggal_penandatanganan"] = full_date(match)
        b.used_paragraphs.add(p.number)
        for column in ("kota_penandatanganan", "tanggal_penandatanganan", "kota"):
            _mark(b, column, "dari tanda tangan kepala yang pertama bertanggal lengkap",
                  _place(p))
        return
    for column in ("kota_penandatanganan", "tanggal_penandatanganan", "kota"):
        _mark(b, column, "tempat dan tanggal tanda tangan tidak ditemukan; wajib diisi")


def _pk_parties(b: Builder, row: dict) -> None:
    """The PK's second party (`Nama : … Jabatan : …`, the second such line) and its date."""
    parties = [(p, m) for p in b.document.paragraphs if (m := PARTY.search(p.text))]
    if len(parties) < 2:
        for column in ("atasan_nama", "atasan_jabatan"):
            _mark(b, column, "Pihak Kedua PK (Nama : … Jabatan : …) tidak ditemukan")
        return
    p, match = parties[1]
    row["atasan_nama"], row["atasan_jabatan"] = match.group("name"), match.group("title")
    b.used_paragraphs.update({parties[0][0].number, p.number})
    for column in ("atasan_nama", "atasan_jabatan"):
        _mark(b, column, "Pihak Kedua pada Perjanjian Kinerja", _place(p))
    for number in range(p.number + 1, p.number + PK_WITHIN):
        later = _paragraph(b, number)
        match = dated(later.text) if later else None
        if match and full_date(match):
            row["tanggal_pk"] = full_date(match)
            b.used_paragraphs.add(later.number)
            _mark(b, "tanggal_pk", "tanggal pertama sesudah para pihak PK", _place(later))
            return


def _heading_above(b: Builder, number: int) -> str:
    """The nearest heading or bold line above a paragraph: what a signature signs."""
    for n in range(number - 1, 0, -1):
        p = _paragraph(b, n)
        if p and (p.heading or p.emphasised) and not SIGNATURE.search(p.text):
            return " ".join(p.text.split())[:80]
    return ""


def signatures(b: Builder) -> None:
    """Every signature block with its place and date, as printed (penandatangan.csv): the
    data route checks them against the head."""
    seen: set[str] = set()
    for block in identity.blocks(b.document):
        found = _dated_above(b, block)
        place = _place(block.paragraph)
        if found is None:
            b.skipped.append(Unrecognised("paragraf", place, block.paragraph.text[:SHOWN_TEXT],
                                          "blok tanda tangan tanpa tempat dan tanggal"))
            continue
        match, p = found
        document = f"{_heading_above(b, block.paragraph.number) or 'Tanda tangan'} ({place})"
        if document in seen:
            continue
        seen.add(document)
        b.add("penandatangan.csv", {
            "dokumen": document, "tempat_tanggal_cetak": match.group(0),
            "nama_cetak": block.name, "pangkat_cetak": block.rank, "nip_cetak": block.nip})
        b.used_paragraphs.update({block.paragraph.number, p.number})


def narrative(b: Builder) -> dict[str, str]:
    """The narratives a build needs, each with the text to replace (a draft until then)."""
    texts = {name: f"{PLACEHOLDER}: {description}.)\n"
             for name, description in NARRATIVE_FILES.items()}
    for row in b.rows("sasaran.csv"):
        texts[f"sasaran_{row['kode_sasaran']}.md"] = "\n".join(
            f"## {heading}\n\n{PLACEHOLDER}.)\n" for heading in
            ("Faktor Pendorong", "Faktor Penghambat", "Solusi"))
    return texts
