#!/usr/bin/env python3
"""Measures WisdomOS Desktop's budgets on a 100,000-event journal, in the real app under Xvfb:
launch to unlocked dashboard, page switches, memory, and the UI's wasm size.

usage: bench_desktop.py DESKTOP_BINARY WISDOM_CLI UI_DIST RESULTS_DIR [EVENTS]

With EMPTY_WINDOW set to the `empty-window` binary (src-tauri, feature `empty-window`), the same
Tauri and WebKitGTK showing an empty page is measured first, the same way, as the yardstick for
the app's memory. With BENCH_SOAK_MINUTES, the last launch then switches pages that long and
samples the memory every minute (a leak shows as growth).

The journal is generated here (seeded) as JSON lines and imported through the core API
(`wisdom import --format jsonl`, i.e. Workspace::import), in a throw-away HOME."""

import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Harness  # noqa: E402
from desktop_e2e import switch  # noqa: E402

PASS = "bench passphrase for a big journal"
AREAS = """work finance living-environment legal-civic time-energy romantic-intimacy family friendships
professional-network community physical-health mental-health emotional-wellbeing personal-growth spirituality
creative-expression hobbies-play style-aesthetics humor-levity sensuality travel-adventure learning-education
innovation nature curiosity purpose-mission values-integrity legacy-impact contribution wisdom""".split()
TYPES = ["BREAKTHROUGH", "PROGRESS", "SETBACK", "UPSET", "MILESTONE", "PATTERN", "LEARNING"]
TONES = ["POSITIVE", "NEGATIVE", "NEUTRAL", "TRANSFORMATIONAL", "COMPLEX"]
WORDS = """morning walk call mother project deadline friend dinner argument gym run book course lesson
budget rent garden trip river mountain song painting meeting promotion mistake apology gratitude sleep
meditation prayer volunteer mentor launch idea question laughter habit boundary letter""".split()


def generate(path, n, seed=7):
    rng = random.Random(seed)
    end = datetime.now(timezone.utc) - timedelta(hours=1)
    with open(path, "w") as f:
        for _ in range(n):
            charge = rng.randint(-5, 5)
            at = end - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            f.write(json.dumps({
                "lifeArea": rng.choice(AREAS), "type": rng.choice(TYPES), "category": "PERSONAL",
                "tone": rng.choice(TONES), "title": " ".join(rng.choice(WORDS) for _ in range(4)).capitalize(),
                "description": " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 30))),
                "occurredAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "emotionalCharge": charge,
                "tags": rng.sample(WORDS, rng.randint(0, 2)),
            }) + "\n")


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def mem_kib(pid):
    """RSS, its anonymous part, and PSS (shared pages split between the processes mapping them, so
    libwebkit mapped by both the shell and the web process counts once across the app)."""
    out = {"rss": rss_kib(pid), "anon": 0, "pss": 0}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    out["anon"] = int(line.split()[1])
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    out["pss"] = int(line.split()[1])
    except OSError:
        pass
    return out


def app_memory(h):
    """Memory of the app's processes: the shell and WebKit's web, network (and GPU) processes."""
    app_procs = ("wisdom-desktop", "empty-window", "WebKitWebProces", "WebKitNetworkPr", "WebKitGPUProces")
    procs = [(comm(pid), mem_kib(pid)) for pid in h.app_pids()]
    procs = [(c, m) for c, m in procs if c.startswith(app_procs)]
    mib = lambda k: round(k / 1024, 1)  # noqa: E731
    return {
        "processes": {c: {k: mib(v) for k, v in m.items()} for c, m in procs},
        "total_rss": mib(sum(m["rss"] for _, m in procs)),
        "total_pss": mib(sum(m["pss"] for _, m in procs)),
    }


def comm(pid):
    try:
        return open(f"/proc/{pid}/comm").read().strip()
    except OSError:
        return "?"


def log_lines(log_path):
    """The app's log lines (via tauri-driver's log), without terminal colour codes."""
    with open(log_path, errors="replace") as f:
        for line in f:
            yield re.sub(r"\x1b\[[0-9;]*m", "", line)


def process_start_to(log_path, epoch_ms):
    """Milliseconds from the app's first log line ("wisdom-desktop starting") to `epoch_ms`."""
    for line in log_lines(log_path):
        if "wisdom-desktop starting" in line:
            stamp = line.split()[0].rstrip("Z")
            started = datetime.strptime(stamp[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
            return round(epoch_ms - started.timestamp() * 1000)
    return None


def logged_kdf_ms(log_path):
    """The unlock's key derivation as the app logged it (wisdom_core::keys, `kdf_ms`)."""
    for line in log_lines(log_path):
        m = re.search(r"kdf_ms\S*=\S*?(\d+)", line)
        if m:
            return int(m.group(1))
    return None


LAUNCHES = int(os.environ.get("BENCH_LAUNCHES", "3"))
SOAK_MINUTES = float(os.environ.get("BENCH_SOAK_MINUTES", "0"))


def empty_window_memory(binary):
    """An empty Tauri window's memory, launched and measured as the app is (tauri-driver, Xvfb)."""
    with Harness(binary) as h:
        s = h.session()
        s.set_size(1280, 800)
        time.sleep(3)
        memory = app_memory(h)
        s.delete()
    return memory


# What the page itself holds: wasm memory (MiB), DOM nodes, window properties, and the size and live
# entries of wasm-bindgen's table of JS references held by Rust. Flat while PSS grows means the growth
# is WebKit's, not a reference the app forgot.
PAGE_GAUGES = """const w = window.wisdomWasm; const t = w && w.__wbindgen_externrefs;
let live = 0; if (t) { for (let i = 0; i < t.length; i++) { if (t.get(i) !== undefined) live++; } }
return [w ? w.memory.buffer.byteLength / 1048576 : -1, document.getElementsByTagName('*').length,
    Object.keys(window).length, t ? t.length : -1, live]"""


def pss_sample(h, minute, s=None):
    """(minute, the app's PSS, each process's PSS): which process grows matters as much as how much."""
    m = app_memory(h)
    per = {c: p["pss"] for c, p in m["processes"].items()}
    if s is not None:
        per["wasm_mib, dom_nodes, window_keys, js_refs, js_refs_live"] = s.js(PAGE_GAUGES)
    return (minute, m["total_pss"], per)


def soak(s, pages, h, minutes):
    """Switches pages for `minutes`, sampling the app's PSS every minute."""
    started = time.time()
    samples = [pss_sample(h, 0.0, s)]
    switches = 0
    while time.time() - started < minutes * 60:
        for nav, page in pages:
            # A person moves the pointer to click (a scripted click alone would let the idle lock in).
            s.js("window.dispatchEvent(new MouseEvent('mousemove'))")
            switch(s, nav, page)
            switches += 1
        if time.time() - started >= 60 * len(samples):
            samples.append(pss_sample(h, round((time.time() - started) / 60, 1), s))
            print(f"soak sample: {samples[-1]}", flush=True)
    samples.append(pss_sample(h, round((time.time() - started) / 60, 1), s))
    first, last = samples[0][1], samples[-1][1]
    return {
        "minutes": minutes,
        "page_switches": switches,
        "pss_start": first,
        "pss_end": last,
        "pss_max": max(p for _, p, _ in samples),
        "growth_pct": round((last - first) / first * 100, 1),
        "samples": samples,
    }


def main():
    app, cli, dist, results = (os.path.abspath(a) for a in sys.argv[1:5])
    events = int(sys.argv[5]) if len(sys.argv) > 5 else 100_000
    os.makedirs(results, exist_ok=True)
    home = tempfile.mkdtemp(prefix="wisdom-bench-")
    os.environ.setdefault("WISDOM_LOG", "info,wisdom_desktop=debug,wisdom_core::keys=debug")
    env = dict(os.environ, HOME=home, WISDOM_HOME=os.path.join(home, "wisdom"), WISDOM_PASSPHRASE=PASS)
    jsonl = os.path.join(home, "events.jsonl")
    t = time.time()
    generate(jsonl, events)
    print(f"generated {events} events in {time.time() - t:.1f}s", flush=True)
    subprocess.run([cli, "init", "--name", "Bench journal"], env=env, check=True, stdout=subprocess.DEVNULL)
    t = time.time()
    subprocess.run([cli, "import", "--format", "jsonl", jsonl], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    print(f"imported through Workspace::import in {time.time() - t:.1f}s", flush=True)
    time.sleep(float(os.environ.get("BENCH_SETTLE_S", "20")) / 2)  # the import's writeback settles
    out = {"events": events}
    empty = os.environ.get("EMPTY_WINDOW")
    if empty:
        out["empty_window_memory_mib"] = empty_window_memory(os.path.abspath(empty))
        print(f"empty window: {out['empty_window_memory_mib']['total_pss']} MiB PSS", flush=True)
    launches = []
    for run in range(LAUNCHES):
        last = run == LAUNCHES - 1
        with Harness(app, home=home) as h:
            launched = time.time()
            s = h.session()
            s.set_size(1280, 800)
            s.find("#unlock-form", timeout=60)
            # The UI marks the first frame painted with the unlock screen (use_painted_mark); its
            # wall-clock time, less the moment the app was asked to start, is the launch time.
            painted = s.wait(lambda: s.js(
                "const m = performance.getEntriesByName('wisdom:gate')[0];"
                "return m ? performance.timeOrigin + m.startTime : null;"), "the unlock screen's paint mark")
            to_unlock_screen = painted / 1000 - launched
            page_start = s.js("return performance.timeOrigin") / 1000 - launched
            # What the app holds before any journal is open: the shell and WebKit on their own.
            time.sleep(1)
            at_unlock_screen = app_memory(h)["total_pss"]
            s.type("#unlock-pass", PASS)
            # Timed inside the page: from the click to the dashboard drawn with its data.
            s.js("""
              window.__unlock = { t0: performance.now(), t1: null, shell: null };
              const check = () => {
                const m = document.getElementById('main');
                if (m && window.__unlock.shell === null) { window.__unlock.shell = performance.now(); }
                // The first page (Today once the journal has entries), drawn with its data.
                const first = document.getElementById('page-today') || document.getElementById('page-dashboard');
                if (first && m && !m.textContent.includes('Loading')) {
                  requestAnimationFrame(() => { window.__unlock.t1 = performance.now(); });
                } else { requestAnimationFrame(check); }
              };
              document.getElementById('unlock-submit').click();
              requestAnimationFrame(check);
            """)
            unlock_ms = s.wait(lambda: s.js("return window.__unlock.t1 && (window.__unlock.t1 - window.__unlock.t0)"),
                               "the dashboard", timeout=120)
            out["unlock_click_to_shell_ms"] = round(s.js("return window.__unlock.shell - window.__unlock.t0"))
            out["launch_to_unlock_screen_ms"] = round(to_unlock_screen * 1000)
            out["launch_to_page_start_ms"] = round(page_start * 1000)
            out["unlock_click_to_dashboard_ms"] = round(unlock_ms)
            out["launch_to_unlocked_dashboard_ms"] = round(to_unlock_screen * 1000 + unlock_ms)
            out["unlock_kdf_ms"] = logged_kdf_ms(h.driver_log)
            launches.append(dict(out))
            if not last:
                s.delete()
                continue
            # Let the post-unlock catch-up jobs (snapshots, daily pattern run) finish before timing pages.
            time.sleep(float(os.environ.get("BENCH_SETTLE_S", "20")))
            pages = [("nav-today", "page-today"), ("nav-events", "page-events"), ("nav-insights", "page-insights"),
                     ("nav-commitments", "page-commitments"), ("nav-autobiography", "page-autobiography"),
                     ("nav-year", "page-year"), ("nav-settings", "page-settings"), ("nav-dashboard", "page-dashboard")]
            samples = {p: [] for _, p in pages}
            for _ in range(5):
                for nav, page in pages:
                    samples[page].append(switch(s, nav, page))
            out["page_switch_median_ms"] = {p: round(statistics.median(v), 1) for p, v in samples.items()}
            out["page_switch_max_ms"] = {p: round(max(v), 1) for p, v in samples.items()}
            s.screenshot(os.path.join(results, "bench-dashboard-100k.png"))
            s.click("#area-work")
            s.find("#page-area")
            time.sleep(0.8)
            s.screenshot(os.path.join(results, "bench-area-100k.png"))
            out["memory_mib"] = app_memory(h)
            out["memory_mib"]["at_unlock_screen_pss"] = at_unlock_screen
            if SOAK_MINUTES > 0:
                out["memory_soak"] = soak(s, pages, h, SOAK_MINUTES)
                print(f"soak: {out['memory_soak']}", flush=True)
            out["process_start_to_unlock_screen_ms"] = process_start_to(h.driver_log, painted)
            s.delete()
            subprocess.run(["cp", h.driver_log, os.path.join(results, "app.log")])
    # Launch figures are medians over the launches (one launch is one noisy sample).
    keys = ["launch_to_page_start_ms", "launch_to_unlock_screen_ms", "unlock_click_to_shell_ms",
            "unlock_click_to_dashboard_ms", "launch_to_unlocked_dashboard_ms", "unlock_kdf_ms"]
    for k in keys:
        out[k] = round(statistics.median(r[k] for r in launches))
    out["launch_minus_kdf_ms"] = round(statistics.median(
        r["launch_to_unlocked_dashboard_ms"] - r["unlock_kdf_ms"] for r in launches))
    out["launches"] = [{k: r[k] for k in keys} for r in launches]
    wasm = os.path.join(dist, "wisdom_ui_bg.wasm")
    raw = open(wasm, "rb").read()
    out["ui_wasm_bytes"] = len(raw)
    out["ui_wasm_gzip_bytes"] = len(gzip.compress(raw, 9))
    with open(os.path.join(results, "bench.json"), "w") as f:
        json.dump(out, f, indent=2)
    print(json.dumps(out, indent=2))
    subprocess.run(["rm", "-rf", home])


if __name__ == "__main__":
    main()
