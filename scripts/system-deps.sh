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
# and save workbooks with a real spreadsheet program, LibreOffice Calc (headless); its
# recommended packages (Java, desktop integration) are not needed for that
lean=()
if [ "${1:-}" = "--test" ] && ! command -v soffice >/dev/null 2>&1; then
  lean+=(libreoffice-calc)
fi

if [ ${#need[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ]; then
  exit 0
fi
echo "Memasang paket sistem: ${need[*]} ${lean[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "Pasang dahulu (sebagai root): apt-get install ${need[*]} ${lean[*]}" >&2
  exit 1
fi
"${as_root[@]}" apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
if [ ${#lean[@]} -gt 0 ]; then
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${lean[@]}"
fi
