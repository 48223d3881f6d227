#!/usr/bin/env bash
# System libraries the pipeline needs: Pango and fontconfig for WeasyPrint (PDF). The fonts
# themselves come from pinned Python packages, so the PDF is the same on every machine.
# Installs them with apt-get when missing (needs root or sudo); otherwise says what to install.
set -euo pipefail

need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so' || need+=(libfontconfig1)
python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
# the tests drive Debian's chromium (a real browser) with Playwright
if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  need+=(chromium)
fi
# and save workbooks with a real spreadsheet program, LibreOffice Calc (headless)
if [ "${1:-}" = "--test" ] && ! command -v soffice >/dev/null 2>&1; then
  need+=(libreoffice-calc)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Memasang paket sistem: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${need[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${need[@]}"
else
  echo "Pasang dahulu (sebagai root): apt-get install ${need[*]}" >&2
  exit 1
fi
