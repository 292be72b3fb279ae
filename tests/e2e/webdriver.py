"""A small W3C WebDriver client (stdlib only) and a harness that starts the real WisdomOS Desktop
binary under Xvfb through tauri-driver + WebKitWebDriver, with an isolated HOME so a test never
touches a real person's journals."""

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_display():
    for n in range(90, 200):
        if not os.path.exists(f"/tmp/.X{n}-lock") and not os.path.exists(f"/tmp/.X11-unix/X{n}"):
            return n
    raise RuntimeError("no free X display")


class Session:
    def __init__(self, base, sid, display=None):
        self.base, self.sid, self.display = base, sid, display

    def _req(self, method, path, body=None, timeout=60):
        url = f"{self.base}/session/{self.sid}{path}"
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        # tauri-driver reuses pooled connections to WebKitWebDriver, which sometimes closes them
        # first; the request then fails before reaching WebKit ("SendRequest"), so it is retried.
        for attempt in range(4):
            req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=timeout) as r:
                    return json.loads(r.read() or b"{}").get("value")
            except urllib.error.HTTPError as e:
                text = e.read().decode(errors="replace")
                if attempt < 3 and not text.lstrip().startswith("{"):
                    time.sleep(0.3)
                    continue
                raise WebDriverError(f"{method} {path}: {text[:400]}") from None
            except (ConnectionError, http.client.RemoteDisconnected) as e:
                if attempt == 3:
                    raise WebDriverError(f"{method} {path}: {e}") from None
                time.sleep(0.3)

    # -- elements
    def find(self, css, timeout=10.0):
        end = time.time() + timeout
        last = None
        while time.time() < end:
            try:
                return self._req("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]
            except WebDriverError as e:
                last = e
                time.sleep(0.1)
        raise WebDriverError(f"no element {css!r} after {timeout}s ({last})")

    def find_all(self, css):
        return [e[ELEMENT] for e in self._req("POST", "/elements", {"using": "css selector", "value": css})]

    def click(self, css, timeout=10.0):
        self._req("POST", f"/element/{self.find(css, timeout)}/click")

    def type(self, css, text, clear=False):
        el = self.find(css)
        if clear:
            self._req("POST", f"/element/{el}/clear")
        self._req("POST", f"/element/{el}/value", {"text": text})

    def text(self, css, timeout=10.0):
        return self._req("GET", f"/element/{self.find(css, timeout)}/text")

    def attr(self, css, name):
        return self._req("GET", f"/element/{self.find(css)}/attribute/{name}")

    def select(self, css, value):
        self.click(f"{css} option[value='{value}']")

    def js(self, script, *args):
        return self._req("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait(self, predicate, what, timeout=15.0):
        end = time.time() + timeout
        while time.time() < end:
            try:
                v = predicate()
                if v:
                    return v
            except WebDriverError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def gone(self, css, timeout=10.0):
        self.wait(lambda: not self.find_all(css), f"{css} to disappear", timeout)

    def key(self, key, ctrl=False):
        """Dispatches a keydown on window, the way the app's shortcut handler listens."""
        self.js(
            "window.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], ctrlKey: arguments[1], bubbles: true}))",
            key,
            ctrl,
        )

    def set_size(self, w, h):
        self._req("POST", "/window/rect", {"width": w, "height": h, "x": 0, "y": 0})

    def screenshot(self, path):
        """What the X display shows of the app's window (ImageMagick's `import`), i.e. the pixels a
        person sees. WebKitWebDriver's own /screenshot asks WebKit for a snapshot, which hung now
        and then with accelerated compositing off (the app's default, src-tauri/src/webview.rs)."""
        if self.display is None:
            png = base64.b64decode(self._req("GET", "/screenshot"))
            with open(path, "wb") as f:
                f.write(png)
            return
        r = self._req("GET", "/window/rect")
        crop = f"{r['width']}x{r['height']}+{max(r['x'], 0)}+{max(r['y'], 0)}"
        subprocess.run(
            ["import", "-display", f":{self.display}", "-window", "root", "-crop", crop, "+repage", path],
            check=True, timeout=60,
        )

    def delete(self):
        try:
            urllib.request.urlopen(
                urllib.request.Request(f"{self.base}/session/{self.sid}", method="DELETE"), timeout=20
            ).read()
        except Exception:
            pass


class Harness:
    """Xvfb + tauri-driver for one test run, with a throw-away HOME."""

    def __init__(self, app, width=1920, height=1080, home=None):
        self.app = app
        self.home = home or tempfile.mkdtemp(prefix="wisdom-e2e-")
        self.own_home = home is None
        self.display = free_display()
        self.port = free_port()
        self.procs = []
        self.env = dict(os.environ)
        self.env.update(
            DISPLAY=f":{self.display}",
            HOME=self.home,
            WISDOM_HOME=os.path.join(self.home, "wisdom"),
            XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
            XDG_DATA_HOME=os.path.join(self.home, ".local/share"),
            XDG_CACHE_HOME=os.path.join(self.home, ".cache"),
            XDG_RUNTIME_DIR=os.path.join(self.home, "run"),
            # (WEBKIT_DISABLE_COMPOSITING_MODE would make WebKitWebDriver's screenshots hang.)
            NO_AT_BRIDGE="1",
        )
        os.makedirs(self.env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
        self.width, self.height = width, height

    def __enter__(self):
        log = open(os.path.join(self.home, "xvfb.log"), "w")
        self.procs.append(
            subprocess.Popen(
                ["Xvfb", f":{self.display}", "-screen", "0", f"{self.width}x{self.height}x24", "-nolisten", "tcp"],
                stdout=log, stderr=log, start_new_session=True,
            )
        )
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{self.display}"):
                break
            time.sleep(0.05)
        self.start_notification_daemon()
        self.start_tray_host()
        self.driver_log = os.path.join(self.home, "tauri-driver.log")
        dlog = open(self.driver_log, "w")
        self.procs.append(
            subprocess.Popen(
                ["tauri-driver", "--port", str(self.port), "--native-port", str(free_port())] + ([ "--native-driver", os.environ["WISDOM_NATIVE_DRIVER"]] if os.environ.get("WISDOM_NATIVE_DRIVER") else []),
                env=self.env, stdout=dlog, stderr=dlog, start_new_session=True,
            )
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{self.base}/status", timeout=1).read()
                break
            except Exception:
                time.sleep(0.05)
        return self

    def start_notification_daemon(self):
        """A private D-Bus session bus and dunst on it, so the app's notifications (freedesktop
        Notify calls) are shown and each one's summary and body is appended to `self.notifications`
        (a line "summary<TAB>body"). Without dunst (`ensure_e2e_deps` installs it) nothing is
        started and `self.notifications` is None."""
        self.notifications = None
        if not (shutil.which("dunst") and shutil.which("dbus-daemon")):
            return
        bus = os.path.join(self.env["XDG_RUNTIME_DIR"], "bus")
        self.procs.append(
            subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", f"--address=unix:path={bus}"],
                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
        )
        for _ in range(100):
            if os.path.exists(bus):
                break
            time.sleep(0.05)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
        self.notifications = os.path.join(self.home, "notifications.log")
        script = os.path.join(self.home, "log-notification.sh")
        with open(script, "w") as f:
            # dunst runs a rule's script with appname, summary, body, icon and urgency.
            f.write(f'#!/bin/sh\nprintf "%s\\t%s\\n" "$2" "$3" >> "{self.notifications}"\n')
        os.chmod(script, 0o755)
        conf = os.path.join(self.home, "dunstrc")
        with open(conf, "w") as f:
            f.write(f'[global]\n    timeout = 2\n[log]\n    summary = "*"\n    script = {script}\n')
        dlog = open(os.path.join(self.home, "dunst.log"), "w")
        self.procs.append(
            subprocess.Popen(["dunst", "-config", conf], env=self.env, stdout=dlog, stderr=dlog, start_new_session=True)
        )
        time.sleep(0.3)

    def start_tray_host(self):
        # (The system's Python runs the helper scripts: it has python3-gi and python3-xlib.)
        """A panel's tray on the same session bus (tray_host.py: a registered StatusNotifier host),
        so the app shows its tray icon; `self.tray_log` lists the items that registered. Without a
        session bus nothing is started and `self.tray_log` is None."""
        self.tray_log = None
        if self.notifications is None:
            return
        self.tray_log = os.path.join(self.home, "tray.log")
        tlog = open(self.tray_log, "w")
        self.procs.append(
            subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "tray_host.py"), "serve"],
                             env=self.env, stdout=tlog, stderr=tlog, start_new_session=True)
        )
        for _ in range(100):
            if "tray host ready" in open(self.tray_log).read():
                break
            time.sleep(0.05)

    def tray(self, *args):
        """Runs tray_host.py's `menu` or `click LABEL` on this run's bus; `menu` returns the JSON."""
        out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "tray_host.py"), *args], env=self.env,
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise AssertionError(f"tray_host.py {' '.join(args)}: {out.stderr.strip()}")
        return json.loads(out.stdout) if args[0] == "menu" else None

    def app_window(self, visible_only=True):
        """The X window id of the app's main window, or None (when hidden, with visible_only)."""
        args = ["xdotool", "search"] + (["--onlyvisible"] if visible_only else []) + ["--name", "^WisdomOS$"]
        out = subprocess.run(args, env=self.env, capture_output=True, text=True)
        ids = out.stdout.split()
        return ids[0] if ids else None

    def close_window(self, wid):
        """What a window manager does when the person clicks the close button: WM_DELETE_WINDOW."""
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "close_window.py"), wid], env=self.env, check=True, timeout=30)

    def app_pid(self):
        """The app's own process (not its WebKit helpers), or None once it has exited."""
        for pid in self.app_pids():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    exe = f.read().split(b"\0")[0]
                with open(f"/proc/{pid}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if os.path.basename(exe) == b"wisdom-desktop" and state != "Z":
                return pid
        return None

    def shown_notifications(self):
        """(summary, body) of every notification shown so far."""
        if not self.notifications or not os.path.exists(self.notifications):
            return []
        with open(self.notifications) as f:
            return [tuple(line.rstrip("\n").split("\t", 1)) for line in f if "\t" in line]

    def session(self):
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": self.app}}}}
        req = urllib.request.Request(
            f"{self.base}/session", data=json.dumps(caps).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        # tauri-driver answers /status before WebKitWebDriver listens; retry until it does.
        for attempt in range(40):
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    value = json.loads(r.read())["value"]
                return Session(self.base, value["sessionId"], self.display)
            except urllib.error.HTTPError as e:
                raise WebDriverError(f"new session: {e.read().decode(errors='replace')[:600]}") from None
            except (ConnectionError, urllib.error.URLError, OSError):
                if attempt == 39:
                    raise
                time.sleep(0.25)

    def app_pids(self):
        """Every process started with this run's HOME: the app and its WebKit helpers."""
        mark = f"HOME={self.home}".encode()
        pids = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/environ", "rb") as f:
                        if mark in f.read().split(b"\0"):
                            pids.append(int(d))
                except OSError:
                    pass
        return pids

    def __exit__(self, *exc):
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=10)
            except Exception:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except Exception:
                    pass
        # WebKitWebDriver starts the app in its own process group; end whatever this run started.
        for pid in self.app_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.own_home and not os.environ.get("WISDOM_E2E_KEEP"):
            shutil.rmtree(self.home, ignore_errors=True)
