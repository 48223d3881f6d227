"""scripts/system-deps.sh with stand-ins for apt-get, ldconfig and id on PATH: it waits for
another installer's lock and says so, and prints only what it installed. No root, and nothing
touches the real system."""

import os
import shutil
import subprocess

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-deps.sh"
LOCK = "/var/lib/dpkg/lock-frontend"

# apt-get as another installer leaves it: locked for the first $LOCKED calls, then it installs
# (or fails, FAIL=1) with the hundreds of lines dpkg prints
FAKE_APT = f"""#!/usr/bin/env bash
echo "$*" >> "$CALLS"
n=$(($(cat "$COUNT" 2>/dev/null || echo 0) + 1)); echo "$n" > "$COUNT"
if [ "$n" -le "${{LOCKED:-0}}" ]; then
  echo "E: Could not get lock {LOCK}. It is held by process 4242 (unattended-upgr)"
  echo "E: Unable to acquire the dpkg frontend lock ({LOCK}), is another process using it?"
  exit 100
fi
if [[ " $* " == *" update "* ]]; then
  echo "Hit:1 http://deb.debian.org/debian bookworm InRelease"; exit 0
fi
if [ "${{FAIL:-}}" = 1 ]; then
  echo "E: Unable to locate package libpango-1.0-0"; exit 100
fi
for i in $(seq 1 200); do echo "Unpacking noise-$i ..."; done
echo "Setting up libpango-1.0-0:amd64 (1.50.12+ds-1) ..."
echo "Setting up libfontconfig1:amd64 (2.14.1-4) ..."
"""


@pytest.fixture
def fake_system(tmp_path):
    """A PATH whose apt-get, ldconfig (no library found) and id (root) are stand-ins."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, text in {"apt-get": FAKE_APT, "ldconfig": "#!/bin/sh\nexit 0\n",
                       "id": "#!/bin/sh\necho 0\n"}.items():
        (stubs / name).write_text(text, encoding="utf-8")
        (stubs / name).chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "TMPDIR": str(tmp_path), "LKIP_APT_POLL": "1",
           "CALLS": str(tmp_path / "calls"), "COUNT": str(tmp_path / "count")}
    return tmp_path, env


def _run(env, **extra):
    return subprocess.run(["bash", str(SCRIPT)], env={**env, **extra}, capture_output=True,
                          text=True, timeout=60)


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@needs_bash
def test_installs_quietly_naming_each_package(fake_system):
    tmp, env = fake_system
    done = _run(env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Memasang paket sistem: libpango-1.0-0 libpangoft2-1.0-0")
    assert lines[1:] == ["  terpasang: libpango-1.0-0 1.50.12+ds-1",
                         "  terpasang: libfontconfig1 2.14.1-4"]
    assert done.stderr == ""
    assert not list(tmp.glob("lkip-apt.*")), "the log of a good install is removed"


@needs_bash
def test_waits_for_another_installer_saying_so(fake_system):
    tmp, env = fake_system
    done = _run(env, LOCKED="2")
    assert done.returncode == 0, done.stderr
    waiting = [ln for ln in done.stdout.splitlines() if ln.startswith("Menunggu apt")]
    assert waiting == [f"Menunggu apt: penginstal lain sedang berjalan (kunci {LOCK}, "
                       "dipegang proses 4242 unattended-upgr) …"] * 2
    assert "  terpasang: libpango-1.0-0 1.50.12+ds-1" in done.stdout
    calls = (tmp / "calls").read_text(encoding="utf-8").splitlines()
    # the first try names the lock at once; the next ones let apt wait for it
    assert calls[0] == "-o DPkg::Lock::Timeout=0 update"
    assert calls[1] == "-o DPkg::Lock::Timeout=1 update"


@needs_bash
def test_a_lock_held_too_long_is_a_clear_error(fake_system):
    tmp, env = fake_system
    done = _run(env, LOCKED="1000", LKIP_APT_WAIT="2")
    assert done.returncode == 1
    assert done.stdout.count("Menunggu apt:") >= 2
    assert done.stderr.startswith(
        f"apt masih terkunci setelah 2 dtk (kunci {LOCK}, dipegang proses 4242 "
        "unattended-upgr): penginstal lain belum selesai. Tunggu sampai selesai, lalu ulangi "
        "perintah ini; batas tunggu dapat diubah dengan LKIP_APT_WAIT=<detik>. Log: ")


@needs_bash
def test_a_failed_install_shows_its_log(fake_system):
    tmp, env = fake_system
    done = _run(env, FAIL="1")
    assert done.returncode == 1
    assert done.stderr.startswith("apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 "
                                  "libfontconfig1")
    assert " gagal. Akhir lognya:\nHit:1 http://deb.debian.org/debian bookworm InRelease\n" \
        "E: Unable to locate package libpango-1.0-0\nLog lengkap: " in done.stderr
    log = done.stderr.split("Log lengkap: ")[1].split(". Perbaiki")[0]
    assert os.path.isfile(log), "the log of a failure is kept"


@needs_bash
def test_nothing_missing_says_nothing(fake_system):
    tmp, env = fake_system
    libraries = "\n".join(f"\t{name} (libc6,x86-64) => /lib/{name}" for name in (
        "libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libfontconfig.so.1"))
    (tmp / "bin" / "ldconfig").write_text(f"#!/bin/sh\ncat <<'EOF'\n{libraries}\nEOF\n",
                                          encoding="utf-8")
    done = _run(env)
    if "python3-venv" in done.stdout:  # this machine's python3 lacks ensurepip
        pytest.skip("python3 has no ensurepip here")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not (tmp / "calls").exists()
