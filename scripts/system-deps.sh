#!/usr/bin/env bash
# System libraries the pipeline needs: Pango and fontconfig for WeasyPrint (PDF). The fonts
# themselves come from pinned Python packages, so the PDF is the same on every machine.
# Installs them with apt-get when missing (needs root or sudo); otherwise says what to install.
#
# Quiet: apt's output goes to a log in a temporary folder, shown (its end, and where it is kept)
# only when apt fails; what was installed is listed one package a line. While another installer
# holds apt's lock, waits for it, saying so every LKIP_APT_POLL seconds (10), for at most
# LKIP_APT_WAIT seconds (600).
set -euo pipefail

poll=${LKIP_APT_POLL:-10}
limit=${LKIP_APT_WAIT:-600}

# one listing searched in the shell: `ldconfig -p | grep -q` fails under pipefail when grep
# stops reading early (ldconfig then dies of SIGPIPE), which reported present libraries missing
libraries=$(ldconfig -p 2>/dev/null || true)
has() { grep -qF "$1" <<<"$libraries"; }

need=()
has 'libpango-1.0.so' || need+=(libpango-1.0-0)
has 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
has 'libfontconfig.so' || need+=(libfontconfig1)
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
# and make the test documents, and read received .doc and .odt files, with LibreOffice Writer
# (tests/test_document_reading.py); soffice alone (Calc) cannot open a text document
if [ "${1:-}" = "--test" ] && [ ! -e /usr/lib/libreoffice/program/libswlo.so ]; then
  lean+=(libreoffice-writer)
fi
# and read the built PDFs as a reader's tools do (pdftotext, pdfinfo: tests/test_accessible.py)
if [ "${1:-}" = "--test" ] && ! command -v pdftotext >/dev/null 2>&1; then
  lean+=(poppler-utils)
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

logs=$(mktemp -d "${TMPDIR:-/tmp}/lkip-apt.XXXXXX")
log=$logs/apt.log
keep_log=
trap '[ -n "$keep_log" ] || rm -rf "$logs"' EXIT

# The lock file apt could not get, from its "E: Could not get lock <file>. It is held by
# process <pid> (<name>)" in the given output, and that holder when apt names it; nothing when
# apt failed for another reason.
held_lock() {
  local file holder
  file=$(sed -n 's/^E: Could not get lock \(\/[^ ]*\).*/\1/p' "$1" | head -n 1)
  file=${file%.}
  holder=$(sed -n 's/^E: .*held by process \([0-9]*\)\( (\([^)]*\))\)\{0,1\}.*/proses \1 \3/p' \
           "$1" | head -n 1)
  holder=${holder% }
  [ -z "$file" ] || echo "$file${holder:+, dipegang $holder}"
}

# Fails naming the apt command, with the end of its log and where the whole log is kept.
apt_failed() {
  keep_log=1
  echo "apt-get $* gagal. Akhir lognya:" >&2
  tail -n 30 "$log" >&2
  echo "Log lengkap: $log. Perbaiki masalahnya, lalu ulangi perintah ini." >&2
  exit 1
}

# apt-get with its output in the log. The first try does not wait, so a held lock is named
# at once; the next ones let apt wait up to $poll seconds for it, until $limit seconds passed.
apt_get() {
  local start=$SECONDS wait=0 tried lock output=$logs/last.log
  while :; do
    tried=$SECONDS
    if "${as_root[@]}" env LC_ALL=C DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout="$wait" "$@" >"$output" 2>&1; then
      cat "$output" >>"$log"
      return 0
    fi
    cat "$output" >>"$log"
    lock=$(held_lock "$output")
    [ -n "$lock" ] || apt_failed "$@"
    if [ $((SECONDS - start)) -ge "$limit" ]; then
      keep_log=1
      echo "apt masih terkunci setelah $limit dtk (kunci $lock): penginstal lain belum" \
           "selesai. Tunggu sampai selesai, lalu ulangi perintah ini; batas tunggu dapat" \
           "diubah dengan LKIP_APT_WAIT=<detik>. Log: $log" >&2
      exit 1
    fi
    echo "Menunggu apt: penginstal lain sedang berjalan (kunci $lock) …"
    wait=$poll
    if [ $((SECONDS - tried)) -lt "$poll" ]; then
      sleep $((poll - (SECONDS - tried)))
    fi
  done
}

# One line per package apt set up, from dpkg's "Setting up <package>:<arch> (<version>) ...".
installed() {
  local lines
  lines=$(sed -n 's/^Setting up \([^ :]*\)\(:[^ ]*\)\{0,1\} (\([^)]*\)).*/  terpasang: \1 \3/p' \
          "$log")
  if [ -n "$lines" ]; then
    echo "$lines"
  else
    echo "  tidak ada paket baru: semuanya sudah terpasang"
  fi
}

apt_get update
if [ ${#need[@]} -gt 0 ]; then
  apt_get install -y "${need[@]}"
fi
if [ ${#lean[@]} -gt 0 ]; then
  apt_get install -y --no-install-recommends "${lean[@]}"
fi
installed
