"""A report still being written is a draft (DRAF), and says so on every page.

A year begun with `make workbook FROM=` builds at once, so that the analyst sees the report
take shape; until its data and narrative are complete it must not look final. Four findings
of their own make a report a draft, each a warning (the data is incomplete, not wrong) that
goes away when what it names is filled in:

- DRAF-NARASI: a narrative line still holding the text `make workbook` wrote to be replaced
  (`(Tulis di sini.)`, `(Tulis di sini: Kata pengantar kepala instansi.)`); one per line.
- DRAF-REALISASI-IKU: an IKU without realisasi for the report year (its kinerja_tahunan cell
  left empty, and not computed from a list); its capaian cannot be computed. A cell marked
  `n/a` or `-` says the year was not measured: reported as before (DERET-REALISASI-KOSONG),
  not a draft.
- DRAF-REALISASI-ANGGARAN: the year's budget without realisasi: no realisasi at all while the
  PK has a pagu (one finding for the table), or a sub-kegiatan with a pagu whose realisasi
  cell is blank (one per row; `0` or `-` says that nothing was spent, and is not a draft).
- DRAF-DATA-LAMA: data carried over from the year before: an IKU whose realisasi for the
  report year is computed from a list (`realisasi_dari`) in which no entry belongs to the
  report year, with no realisasi typed for that year. The figure is last year's list counted
  again (the list `make workbook FROM=` copies); adding the year's entries, or typing the
  year's realisasi to confirm the list has nothing new, resolves it.

The rule for carried-over data looks at the year's own folder only, never at the previous
year's: the PDF carries that folder alone, and `make verify PDF=` must find the same findings
from it. A table legitimately unchanged from last year (the Renstra, the IKU decree) is not a
draft.
"""

from __future__ import annotations

import re

from ..read import formatting as fmt
from ..read import inputs, level, units
from .findings import WARNING, Finding, _key

NARRATIVE, IKU, BUDGET, CARRIED = ("DRAF-NARASI", "DRAF-REALISASI-IKU",
                                   "DRAF-REALISASI-ANGGARAN", "DRAF-DATA-LAMA")
# each draft finding, and how the build's last line counts n of them (a finding without a
# row key is about the whole table)
CHECKS = {
    NARRATIVE: "{n} baris narasi berisi teks pengisi",
    IKU: "{n} IKU tanpa realisasi",
    BUDGET: "{n} baris realisasi anggaran belum diisi",
    CARRIED: "{n} realisasi IKU dari daftar tahun lalu",
}
WHOLE_TABLE = {BUDGET: "realisasi anggaran belum diisi"}
# the text `make workbook FROM=` writes for the analyst to replace, to the end of its line
PLACEHOLDER = re.compile(re.escape(inputs.PLACEHOLDER) + r"\b.*")
SHOWN = 80  # characters of a placeholder quoted in a finding
# a list an IKU's realisasi may be computed from (iku.csv realisasi_dari), and its column
# that says in which year an entry counts
LIST_YEAR = {"desa_mandiri.csv": "tahun_mandiri"}
MARK = "DRAF"


def is_draft(found) -> bool:
    return any(f.check in CHECKS for f in found)


def build_line(folder, name: str) -> str | None:
    """The build's last line for a draft: that it is one, why, and what makes the mark go;
    None for a finished report. folder: the published report's (its findings.json)."""
    from pathlib import Path

    from .findings import read

    if not (Path(folder) / "findings.json").is_file():
        return None  # nothing published to tell
    found = read(Path(folder))
    if not is_draft(found):
        return None
    return (f"{name} dibangun sebagai {MARK} ({reasons(found)}): tanda {MARK} ada di setiap "
            f"halaman dan hilang setelah semuanya dilengkapi; rinciannya temuan DRAF-* di "
            f"{Path(folder) / 'findings.csv'}")


def reasons(found) -> str:
    """`10 baris narasi berisi teks pengisi, 1 IKU tanpa realisasi`: why it is a draft."""
    said = []
    for check, text in CHECKS.items():
        own = [f for f in found if f.check == check]
        if own and check in WHOLE_TABLE and not own[0].key:
            said.append(WHOLE_TABLE[check])
        elif own:
            said.append(text.format(n=len(own)))
    return ", ".join(said)


# -- the data ----------------------------------------------------------------------------------

def data_findings(ds, res) -> list[Finding]:
    """The draft findings of the year's tables (the narrative is the report stage's)."""
    return _iku(ds, res) + _carried(ds, res) + _budget(ds, res)


def _year_rows(ds, res):
    series = res["kinerja_seri.csv"]
    return series[series["tahun"] == ds.year].to_dict("records")


def left_blank(ds, file: str, key: str, column: str) -> bool:
    """Nothing typed in the cell: a `-` or `n/a` there says the figure is not set this year
    (not measured), which is reported as it always was, not as a draft."""
    return not any((u["file"], u["kunci"], u["kolom"]) == (file, key, column)
                   for u in getattr(ds, "unset", ()))


def _iku(ds, res) -> list[Finding]:
    found = []
    for r in _year_rows(ds, res):
        key = _key(kode_iku=r["kode_iku"], tahun=ds.year)
        if r["realisasi"] is None and left_blank(ds, "kinerja_tahunan.csv", key, "realisasi"):
            found.append(Finding(
                IKU, WARNING, "kinerja_tahunan.csv", key, "realisasi", "–",
                f"realisasi tahun {ds.year}",
                f"Realisasi {r['indikator']} tahun {ds.year} belum diisi; capaiannya belum "
                "dapat dihitung"))
    return found


def _carried(ds, res) -> list[Finding]:
    iku = ds["iku.csv"].set_index("kode_iku")
    unit_of = units.by_iku(ds["iku.csv"])
    found = []
    for r in _year_rows(ds, res):
        source = iku.loc[r["kode_iku"], "realisasi_dari"]
        entries = ds.get(source) if source in LIST_YEAR else None
        if entries is None or r["sumber_realisasi"] == "tercetak" or \
                r["realisasi_cetak"] is not None or r["realisasi"] is None:
            continue
        years = [y for y in entries[LIST_YEAR[source]] if y is not None]
        if ds.year in years:
            continue
        shown = unit_of[r["kode_iku"]].show(r["realisasi"])
        last = f" (terakhir tahun {max(years)})" if years else ""
        found.append(Finding(
            CARRIED, WARNING, "kinerja_tahunan.csv", _key(kode_iku=r["kode_iku"], tahun=ds.year),
            "realisasi", shown, f"baris tahun {ds.year} di {source}",
            f"Realisasi {r['indikator']} {ds.year} ({shown}) dihitung dari {source} yang belum "
            f"berisi satu pun baris tahun {ds.year}{last}: daftar tahun lalu dihitung ulang. "
            f"Tambahkan baris tahun {ds.year} ke {source}, atau ketik realisasi {ds.year} "
            f"({shown}) di kinerja_tahunan bila memang tidak ada yang baru"))
    return found


def _budget(ds, res) -> list[Finding]:
    subs = res["anggaran_sub_kegiatan.csv"].to_dict("records")
    pagu_pk = sum(v for v in ds["pk_program.csv"]["anggaran"] if v)
    pagu = sum(r["anggaran"] for r in subs if r["anggaran"])
    spent = sum(r["realisasi"] for r in subs if r["realisasi"])
    word = level.words(ds["instansi.csv"].iloc[0].to_dict())["sebutan_sub_kegiatan"]
    if spent == 0 and (pagu or pagu_pk):
        with_pagu = sum(1 for r in subs if r["anggaran"])
        what = (f"{with_pagu} {word} berpagu (jumlah {fmt.rupiah(pagu)}) tanpa realisasi" if pagu
                else f"rincian pagu dan realisasinya juga kosong (pagu PK {fmt.rupiah(pagu_pk)})")
        return [Finding(BUDGET, WARNING, "realisasi_anggaran.csv", "", "realisasi",
                        fmt.rupiah(0), f"realisasi tahun {ds.year}",
                        f"Realisasi anggaran tahun {ds.year} belum diisi: {what}")]
    return [Finding(BUDGET, WARNING, "realisasi_anggaran.csv", _key(no=r["no"]), "realisasi",
                    "–", "realisasi (0 atau - bila tidak terealisasi)",
                    f"Realisasi {r['sub_kegiatan']} belum diisi (pagu "
                    f"{fmt.rupiah(r['anggaran'])}); isi 0 atau - bila memang tidak terealisasi")
            for r in subs if r["anggaran"] and r["realisasi"] is None]


# -- the narrative -----------------------------------------------------------------------------

def narrative_findings(narrative: dict[str, str]) -> list[Finding]:
    """A finding per narrative line that still holds the text to replace."""
    from ..read.inputs import NARRATIVE_DIR

    found = []
    for name, text in narrative.items():
        for number, line in enumerate(text.splitlines(), 1):
            hit = PLACEHOLDER.search(line)
            if hit:
                shown = hit.group(0).strip()
                shown = shown if len(shown) <= SHOWN else shown[:SHOWN - 1] + "…"
                found.append(Finding(
                    NARRATIVE, WARNING, f"{NARRATIVE_DIR}/{name}", _key(baris=number), "teks",
                    shown, "teks narasi",
                    f"Narasi {name} baris {number} masih berisi teks pengisi dari make "
                    f"workbook: {shown}"))
    return found


def with_narrative(found: list[Finding], ds) -> list[Finding]:
    """The report's findings: the data's, with the narrative's among them (by severity), each
    cited at its workbook cell when it came from a workbook."""
    from ..read import places
    from .findings import SEVERITY_ORDER

    extra = places.cite(narrative_findings(ds.narrative), ds)
    return sorted(list(found) + extra, key=lambda f: SEVERITY_ORDER[f.severity])
