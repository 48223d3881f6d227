"""Regenerate the stage notebooks from this script, so their cells stay reviewable.

The notebooks are committed without outputs; analysts may edit them in JupyterLab.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent.parent / "notebooks"

PARAMS_RAW = '''# Parameter (papermill mengganti sel ini saat `make report`)
year = 2024
raw_dir = "../data/raw/2024"
processed_dir = "../data/processed/2024"
out_dir = "../outputs/2024"
notebooks_dir = "."'''

STAGES = {
    "01_clean.ipynb": [
        new_markdown_cell("# Tahap 1 — Pembersihan dan validasi data\n\n"
                          "Membaca setiap file di `data/raw/<tahun>/` persis seperti tercetak, "
                          "menerapkan `koreksi.csv`, membaca format angka Indonesia, memeriksa "
                          "skema, kunci dan rujukan antartabel, lalu menulis tabel rapi ke "
                          "`data/processed/<tahun>/`. Data mentah tidak pernah diubah."),
        PARAMS_RAW,
        "from pathlib import Path\n\nimport pandas as pd\n\nfrom pipeline import stages\n\n"
        "ds = stages.run_clean(year, Path(raw_dir), Path(processed_dir))",
        "pd.DataFrame([{\"file\": f, \"baris\": len(df)} for f, df in ds.frames.items()])",
        "# Koreksi yang diterapkan (diungkap di lampiran laporan)\n"
        "pd.DataFrame(ds.corrections)",
    ],
    "02_indicators.ipynb": [
        new_markdown_cell("# Tahap 2 — Indikator kinerja dan anggaran\n\n"
                          "Menghitung ulang capaian, keterangan, predikat, deret tahunan, "
                          "persentase desa mandiri, penyerapan anggaran, efisiensi per sasaran "
                          "dan perkembangan triwulan. Angka turunan tercetak tidak dipakai "
                          "sebagai masukan."),
        PARAMS_RAW,
        "from pathlib import Path\n\nfrom pipeline import stages\n\n"
        "tables = stages.run_indicators(year, Path(processed_dir))\nsorted(tables)",
        "tables[\"ringkasan_iku.csv\"][[\"indikator\", \"target_pk\", \"realisasi\", \"capaian\", "
        "\"keterangan\", \"predikat\"]]",
        "tables[\"efisiensi.csv\"][[\"indikator\", \"capaian_kinerja\", \"capaian_anggaran\", "
        "\"efisiensi\"]]",
        "tables[\"anggaran_program.csv\"][[\"program\", \"anggaran\", \"realisasi\", "
        "\"persentase\"]]",
    ],
    "03_verify.ipynb": [
        new_markdown_cell("# Tahap 3 — Verifikasi data\n\n"
                          "Memeriksa data seperti auditor: angka turunan tercetak terhadap hasil "
                          "hitung ulang, jumlah terhadap rinciannya, laporan triwulan terhadap PK "
                          "dan angka tahunan, kelengkapan deret, serta NIP dan nama penanda "
                          "tangan. Hasilnya `findings.csv` dan `findings.json`."),
        PARAMS_RAW,
        "from pathlib import Path\n\nimport pandas as pd\n\nfrom pipeline import findings, stages"
        "\n\nfound = stages.run_verify(year, Path(processed_dir), Path(out_dir))\n"
        "findings.as_frame(found)[\"severity\"].value_counts()",
        "findings.as_frame(found)[[\"severity\", \"check\", \"file\", \"key\", \"field\", "
        "\"printed\", \"expected\"]]",
    ],
    "04_report.ipynb": [
        new_markdown_cell("# Tahap 4 — Laporan\n\nMenggambar grafik, menyusun narasi dari "
                          "angka, lalu menulis LKIP sebagai HTML mandiri dan PDF A4."),
        PARAMS_RAW,
        "from pathlib import Path\n\nfrom pipeline import stages\n\n"
        "written = stages.run_report(year, Path(processed_dir), Path(out_dir), Path(raw_dir),\n"
        "                            Path(notebooks_dir))\n"
        "sorted(written)",
    ],
}


def build() -> None:
    for name, cells in STAGES.items():
        nb = new_notebook()
        for i, cell in enumerate(cells):
            if isinstance(cell, str):
                cell = new_code_cell(cell)
                if i == 1:
                    cell.metadata["tags"] = ["parameters"]
            cell["id"] = f"{name.split('_')[0]}-{i}"
            nb.cells.append(cell)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    build()
