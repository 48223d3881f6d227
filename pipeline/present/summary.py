"""What a finished build tells its user: for each document it published, the findings by
severity, the first errors with their place, and where the full list is.

The count is otherwise only inside the PDF. It is read from the published `findings.json`, so
a build with nothing to do says the same as the build that made the outputs, and without
pandas, so that saying it costs a no-op build nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..check.severity import ERROR, LABEL, SEVERITY_ORDER

FIRST_ERRORS = 3  # errors shown per document; the rest are counted and left to findings.csv
FULL_LIST = "findings.csv"  # what the user opens: the same findings as findings.json
READ = "findings.json"
STRICT_EXIT = 5  # `STRICT=1`: the outputs are published, but a finding is an error
BLANK = ("", "–", "-")


def annual_title(year) -> str:
    return f"LKIP {year}"


def quarter_title(triwulan: str, year) -> str:
    return f"Laporan Triwulan {triwulan} {year}"


def read(folder: Path) -> list[dict] | None:
    """The findings a build published in folder, in their order (their `no`); None when
    there are none to read (a folder from before findings were written, a file edited)."""
    try:
        found = json.loads((Path(folder) / READ).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, list) or not all(isinstance(f, dict) for f in found):
        return None
    return found


def counts(found: list[dict]) -> dict[str, int]:
    """How many findings of each severity, every severity named (0 when none)."""
    return {severity: sum(f.get("severity") == severity for f in found)
            for severity in SEVERITY_ORDER}


def counted(by_severity: dict[str, int]) -> str:
    """`27 kesalahan, 11 peringatan, 9 catatan`."""
    return ", ".join(f"{n} {LABEL[severity]}" for severity, n in by_severity.items())


def place(finding: dict) -> str:
    """Where the user fixes it: the finding's own place when it has one (a workbook's sheet
    and cell), else its file, row key and column as the findings table names them."""
    if finding.get("place"):
        return str(finding["place"])
    parts = [finding.get("file") or "", finding.get("key") or ""]
    if finding.get("field"):
        parts.append(f"kolom '{finding['field']}'")
    return ", ".join(part for part in parts if part)


def with_values(message: str, printed: str, expected: str) -> str:
    """A finding's message with its values: a value the message neither quotes nor speaks of
    (`tercetak …`, `seharusnya …`) is appended, so `Target pada tabel efisiensi berbeda dengan
    PK` says which target was printed and which one the PK has."""
    said = [f"{word} {value}" for word, value in (("tercetak", printed), ("seharusnya", expected))
            if value and value not in BLANK and value not in message and word not in message]
    return f"{message} ({', '.join(said)})" if said else message


def said(finding: dict) -> str:
    """A finding's message, with its values."""
    return with_values(*(str(finding.get(name) or "") for name in ("message", "printed",
                                                                    "expected")))


def document_lines(title: str, folder: Path) -> list[str]:
    """One document: its counts, its first errors with their place, where the full list is."""
    found = read(folder)
    if found is None:
        return [f"  {title}: temuan verifikasi tidak terbaca ({Path(folder) / READ} tidak ada "
                "atau rusak)"]
    errors = [f for f in found if f.get("severity") == ERROR]
    lines = [f"  {title}: {counted(counts(found))}"]
    lines += [f"    {place(f)}: {said(f)}" for f in errors[:FIRST_ERRORS]]
    more = len(errors) - FIRST_ERRORS
    cut = f"… dan {more} kesalahan lagi; " if more > 0 else ""
    lines.append(f"    {cut}daftar lengkap: {Path(folder) / FULL_LIST}")
    return lines


def lines(documents: list[tuple[str, Path]]) -> list[str]:
    """The closing block of `make report`/`make triwulan`: (title, published folder) each."""
    if not documents:
        return []
    out = ["Temuan verifikasi (kesalahan: angka tercetak salah atau dokumen saling "
           "bertentangan; diperbaiki di data masukan):"]
    for title, folder in documents:
        out += document_lines(title, folder)
    return out


def errors_in(documents: list[tuple[str, Path]]) -> dict[str, int]:
    """The documents that have errors, with how many."""
    found = {title: counts(read(folder) or [])[ERROR] for title, folder in documents}
    return {title: n for title, n in found.items() if n}


def strict_line(with_errors: dict[str, int]) -> str:
    """Why `STRICT=1` fails a build whose outputs were published."""
    each = ", ".join(f"{title}: {n}" for title, n in with_errors.items())
    return (f"STRICT=1: perintah gagal karena temuan verifikasi berisi kesalahan ({each}); "
            "keluaran tetap ditulis.")


def short(by_severity: dict[str, int]) -> str:
    """`27/11/9`: one document's counts in the batch table, in the order LABEL names them."""
    return "/".join(str(by_severity[severity]) for severity in SEVERITY_ORDER)


def short_heading() -> str:
    return "temuan (" + "/".join(LABEL[s] for s in SEVERITY_ORDER) + ")"
