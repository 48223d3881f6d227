"""Text from people that must come out as text, and narrative links of every kind, written
into one copy of the 'contoh' agency (conftest: hostile_built), which test_hostile.py and
test_paths_links.py read."""

from pathlib import Path

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
LONG = "Kata" + "sangatpanjang" * 30
NARRATIVE = f"""Paragraf dengan {SCRIPT} dan {IMG} di dalamnya.

[tautan berbahaya](javascript:window.__pwned=3) dan &lt;b&gt;entitas&lt;/b&gt; serta &amp;.

<iframe src="https://contoh.invalid/"></iframe>

{LONG}
"""
LINKS = ("Rujukan: [berbagi](//host/share/doc.pdf), [sandi](/etc/passwd), [relatif](doc.pdf), "
         "[berkas](file:///etc/hosts), [ftp](ftp://contoh.invalid/x), "
         "[web](https://contoh.invalid/laporan), [surel](mailto:kontak@contoh.invalid) "
         "dan <ftp://contoh.invalid/y>.\n")
REFUSED_TARGETS = ("//host/share/doc.pdf", "/etc/passwd", "doc.pdf", "file:///etc/hosts",
                   "ftp://contoh.invalid/x")
KEPT_URIS = {"https://contoh.invalid/laporan", "mailto:kontak@contoh.invalid"}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write_links(raw: Path) -> None:
    """The closing chapter of a data folder becomes LINKS."""
    (raw / "narasi" / "penutup.md").write_text(LINKS, encoding="utf-8")


def write_into(raw: Path) -> None:
    """The hostile texts in the foreword, a sasaran, an IKU, a breakdown row and the agency's
    name, and LINKS as the closing chapter, of a copy of tests/fixtures/contoh/2025."""
    (raw / "narasi" / "kata_pengantar.md").write_text(NARRATIVE, encoding="utf-8")
    edit(raw / "sasaran.csv", "S1,Menurunnya", f"S1,{SCRIPT} Menurunnya")
    edit(raw / "iku.csv", "K1,S1,Persentase Desa Rawan Pangan",
         'K1,S1,"Persentase <img src=x onerror=window.__pwned=5> Desa Rawan Pangan"')
    edit(raw / "rincian_pembilang.csv", "K2,2025,2,Jagung,80",
         'K2,2025,2,"=HYPERLINK(""https://contoh.invalid"",""klik"")",80')
    edit(raw / "instansi.csv", "2025,Dinas Ketahanan Pangan,",
         "2025,Dinas <b>Ketahanan</b> Pangan,")
    write_links(raw)
