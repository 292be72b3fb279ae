#!/usr/bin/env python3
"""The Debian package as a person gets it: unpacked into a throw-away root (what `dpkg -i` puts on
disk, without touching this machine), its Depends checked against what is installed, the installed
`wisdom` run (version, a journal made, an entry recorded and listed, the packaged language model
reading it), completions and man pages in place, then the installed desktop app started under Xvfb
(through tauri-driver) on the journal the CLI made and unlocked.

Neither program is given WISDOM_MODEL_DIR and HOME is empty, so the model found is the packaged one.

usage: package_e2e.py DEB RESULTS_DIR"""

import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Harness  # noqa: E402

PASS = "a packaged journal, unlocked"
ENTRY = "Planted the tomatoes with Grandma on the allotment"


def step(msg):
    print(f"  - {msg}", flush=True)


def field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", deb, name], check=True, capture_output=True, text=True).stdout.strip()


def check_depends(deb):
    """Every Depends group has an alternative that is a package installed here (this machine
    runs the app, so each one names a real package of this Debian release)."""
    depends = field(deb, "Depends")
    for group in depends.split(","):
        names = [alt.split("(")[0].strip().split(":")[0] for alt in group.split("|")]
        installed = [
            n for n in names
            if subprocess.run(["dpkg-query", "-W", "-f=${Status}", n], capture_output=True, text=True).stdout
            == "install ok installed"
        ]
        assert installed, f"no package of {group.strip()!r} is installed: is it a real package name?"
    for needed in ("libwebkit2gtk-4.1-0", "libgtk-3-0", "libssl3"):
        assert needed in depends, f"Depends lacks {needed}: {depends}"
    return depends


def check_files(root):
    usr = os.path.join(root, "usr")
    for rel in ("bin/wisdom", "bin/wisdom-desktop"):
        assert os.access(os.path.join(usr, rel), os.X_OK), f"/usr/{rel} is not an executable"
    for binary in ("bin/wisdom", "bin/wisdom-desktop"):
        ldd = subprocess.run(["ldd", os.path.join(usr, binary)], capture_output=True, text=True).stdout
        assert "not found" not in ldd, f"/usr/{binary} misses libraries:\n{ldd}"
    [desktop] = glob.glob(os.path.join(usr, "share/applications/*.desktop"))
    entry = open(desktop).read()
    assert "Exec=wisdom-desktop" in entry and "Name=WisdomOS" in entry, entry
    icon = next(line.split("=", 1)[1] for line in entry.splitlines() if line.startswith("Icon="))
    assert glob.glob(os.path.join(usr, f"share/icons/hicolor/*/apps/{icon}.png")), f"no icon {icon!r}"
    completions = {
        "bash": "share/bash-completion/completions/wisdom",
        "zsh": "share/zsh/vendor-completions/_wisdom",
        "fish": "share/fish/vendor_completions.d/wisdom.fish",
    }
    for shell, rel in completions.items():
        text = open(os.path.join(usr, rel)).read()
        assert "on-this-day" in text and "recovery-key" in text, f"{shell} completions do not know the commands"
    man = gzip.open(os.path.join(usr, "share/man/man1/wisdom.1.gz"), "rt").read()
    assert ".TH wisdom 1" in man and "dashboard" in man, man[:400]
    assert os.path.exists(os.path.join(usr, "share/man/man1/wisdom-event-add.1.gz"))
    model = os.path.join(usr, "share/wisdomos/models/all-MiniLM-L6-v2")
    assert os.path.getsize(os.path.join(model, "model.safetensors")) > 80_000_000
    assert os.path.exists(os.path.join(model, "vocab.txt"))


def cli(exe, env, *args):
    out = subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"wisdom {' '.join(args)} exited {out.returncode}: {out.stderr}"
    return out.stdout


def main():
    deb, results = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(results, exist_ok=True)
    os.environ.pop("WISDOM_MODEL_DIR", None)
    print(f"package e2e: {os.path.basename(deb)}, {os.path.getsize(deb) / 2**20:.1f} MiB", flush=True)
    root = tempfile.mkdtemp(prefix="wisdom-package-")
    try:
        step("unpack; Depends are installed packages; files in place")
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        print(f"    Depends: {check_depends(deb)}", flush=True)
        check_files(root)

        exe = os.path.join(root, "usr/bin/wisdom")
        with Harness(os.path.join(root, "usr/bin/wisdom-desktop"), width=1280, height=800) as h:
            env = dict(h.env, WISDOM_PASSPHRASE=PASS, WISDOM_NO_AGENT="1")
            step("the installed wisdom: version, init, event add, list, the packaged model reads")
            version = cli(exe, env, "--version").strip()
            assert version == f"wisdom {field(deb, 'Version')}", version
            cli(exe, env, "init", "--name", "Garden journal", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
            cli(exe, env, "event", "add", ENTRY, "--area", "family", "--type", "milestone", "--charge", "4")
            events = json.loads(cli(exe, env, "--json", "event", "list"))["events"]
            assert [e["title"] for e in events] == [ENTRY], events
            read = cli(exe, env, "embed")
            assert read.strip() == "1 of 1 entries read by the language model.", read

            step("the installed desktop app unlocks the CLI's journal")
            s = h.session()
            try:
                s.find("#unlock-form", timeout=60)
                s.type("#unlock-pass", PASS)
                s.click("#unlock-submit")
                s.find("#page-today", timeout=60)
                s.wait(lambda: ENTRY in s.text("#page-today"), "the CLI's entry on Today", timeout=30)
                s.screenshot(os.path.join(results, "package-today.png"))
            except Exception:
                print(open(h.driver_log).read()[-3000:], file=sys.stderr)
                raise
            finally:
                s.delete()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("package e2e: ok", flush=True)


if __name__ == "__main__":
    main()
