#!/usr/bin/env python3
"""End-to-end test of the real WisdomOS Desktop app: create a journal, record an event and see its
area's score move, search it (by keywords, and by meaning with words it does not contain, once the
background reader has let the language model read the journal), lock and unlock, record and apply an insight into a commitment, and
walk every page, taking screenshots (the dashboard in both themes and at 1280x800 and 1920x1080).
Reminders: the one picked in onboarding comes while the journal is locked; once the day is written
only a commitment's review comes (each seen by a notification daemon, dunst on a private session
bus, with none of the journal's words). The daily practice: a prompt hidden from Today, on this
day off and on, a prompt of one's own.
The tray (a panel's StatusNotifier host on the session bus, tray_host.py): closing the window
hides it to the tray and says so once; the tray's menu opens it again and, at the end, quits.
Sync: a real sync server on a throw-away Postgres; the journal signs up from Settings, the `wisdom`
CLI links as a second device and sees the desktop's event, its edit comes back to the desktop, a
conflict between two CLI devices is listed on the desktop and restored from there (the CLI then
holds the restored version), and with the server gone the sidebar says offline with the change waiting.
Nothing lost: the recovery key shown at creation is saved as a file (the system's save chooser);
"Forgot passphrase?" refuses a malformed and a wrong recovery key (the old passphrase
still unlocks), then sets a new passphrase with the key noted at creation (the old one is refused);
Settings > Security makes a new key (the one before stops working); Settings > Backups refuses a
file as the folder, moves the backups to another folder, where the next backup lands, and back;
a backup restored from Settings takes back an entry written after it; a journal file cut short
is said in words on the unlock screen, which offers its backups and restores the newest.

usage: desktop_e2e.py APP_BINARY RESULTS_DIR
(the `wisdom` and `wisdom-sync-server` binaries are taken from APP_BINARY's directory, or from
$WISDOM_E2E_BIN_DIR)"""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sync_stack import SyncStack  # noqa: E402
from webdriver import Harness  # noqa: E402

PASS = "correct horse battery staple"
JOURNAL_PASS = "short but now long enough"
# Set with the recovery key after "Forgot passphrase?".
NEW_JOURNAL_PASS = "lantern harbour seventeen"
ACCOUNT = "e2e@example.org"
ACCOUNT_PASSWORD = "an account password for sync"
# An event and a search for it by meaning that share no word (checked below).
UPSET = "Supervisor dismissed my proposal in front of everyone"
PARAPHRASE = "the boss criticised me publicly"

# Clicks a nav button and records, in the page, when the new page has rendered with its data.
# (Polled with synchronous scripts: WebKitWebDriver's async scripts proved crash-prone here.)
SWITCH_START = """
const [navId, pageId] = arguments;
window.__switch = { t0: performance.now(), t1: null };
const check = () => {
  const m = document.getElementById('main');
  if (document.getElementById(pageId) && m && !m.textContent.includes('Loading')) {
    requestAnimationFrame(() => { window.__switch.t1 = performance.now(); });
  } else {
    requestAnimationFrame(check);
  }
};
document.getElementById(navId).click();
requestAnimationFrame(check);
"""


def switch(s, nav, page):
    s.js(SWITCH_START, nav, page)
    return s.wait(lambda: s.js("return window.__switch.t1 && (window.__switch.t1 - window.__switch.t0)"), page)



def words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def dismiss_toasts(s):
    """Closes the passing notices (bottom right, over whatever the page scrolled beneath them)."""
    for button in s.find_all(".toast .icon-btn"):
        try:
            s._req("POST", f"/element/{button}/click")
        except Exception:
            pass


def step(msg):
    print(f"  - {msg}", flush=True)


def area_score(s, slug):
    return float(s.attr(f"#area-{slug} .area-score", "data-score"))


class Phone:
    """The `wisdom` CLI as a second device, in its own WISDOM_HOME."""

    def __init__(self, bin_dir):
        self.exe = os.path.join(bin_dir, "wisdom")
        self.home = tempfile.mkdtemp(prefix="wisdom-e2e-cli-")
        self.path = os.path.join(self.home, "phone.wisdom")
        self.env = dict(os.environ, HOME=self.home, WISDOM_HOME=os.path.join(self.home, "wisdom"),
                        WISDOM_PASSPHRASE=JOURNAL_PASS, WISDOM_SYNC_PASSWORD=ACCOUNT_PASSWORD, WISDOM_LOG="warn")

    def run(self, *args, check=True):
        out = subprocess.run([self.exe, "--workspace", self.path, *args], env=self.env, capture_output=True, text=True, timeout=300)
        if check and out.returncode != 0:
            raise AssertionError(f"wisdom {' '.join(args)} failed ({out.returncode}): {out.stderr}")
        return out

    def json(self, *args):
        return json.loads(self.run("--json", *args).stdout)


# Sets an <input type=time> to a time with seconds and fires its change event (WebDriver cannot
# type seconds into WebKit's time field).
SET_TIME = """
const [id, value] = arguments;
const el = document.getElementById(id);
el.value = value;
el.dispatchEvent(new Event('change', { bubbles: true }));
"""


def time_in(s, seconds):
    """The page's local time `seconds` from now, as HH:MM:SS."""
    return s.js(f"const d = new Date(Date.now() + {seconds * 1000}); const p = n => String(n).padStart(2, '0');"
                " return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());")


def daily_reminders(h):
    return [n for n in h.shown_notifications() if n[0] == "Time to reflect"]


def reminder_while_locked(s, h):
    """Onboarding's reminder, picked a few seconds ahead; the journal (still empty) opens and is
    locked at once; the reminder comes while it is locked (from the schedule kept outside it)."""
    lead = 15
    s.js(SET_TIME, "first-reminder-time", time_in(s, lead))
    due = time.time() + lead
    s.click("#first-reminder-set")
    s.find("#page-dashboard", timeout=60)
    assert "A reminder every day at" in s.text(".toast", timeout=10), s.text(".toast")
    if h.notifications is None:
        print("  (no notification daemon: dunst is missing; the reminder is not checked)", flush=True)
        return
    step("reminders: locked before it is due, the reminder still comes")
    s.click("#lock-btn")
    s.find("#unlock-form")
    assert time.time() < due - 2, "locked before the reminder was due"
    shown = s.wait(lambda: daily_reminders(h), "the daily reminder while locked", timeout=lead + 45)
    assert s.find_all("#unlock-form"), "still locked when it came"
    print(f"  notification shown while locked: {shown[0]!r}", flush=True)
    s.type("#unlock-pass", JOURNAL_PASS)
    s.click("#unlock-submit")
    s.find("#page-dashboard", timeout=60)


def tray_menu(h):
    """The app's tray menu as the panel shows it (labels), or None while it is not there yet."""
    try:
        items = h.tray("menu")
    except AssertionError:
        return None
    return [e["label"] for e in items[0]["entries"]] if items and items[0]["entries"] else None


def tray_scenario(s, h, shot):
    """A desktop with a tray (tray_host.py on the session bus, as a panel): the app's icon is there
    with its menu; closing the window (the window manager's close request) hides it while the app
    keeps running, and the first time a notification says where it went; the menu opens it again,
    on the page it showed; a second close says nothing more."""
    if h.tray_log is None:
        print("  (no session bus: the tray is not checked)", flush=True)
        return
    step("tray: the icon is on the panel, with its menu")
    labels = s.wait(lambda: tray_menu(h), "the tray icon's menu", timeout=30)
    assert labels == ["Open WisdomOS", "Quit WisdomOS"], labels
    page = s.js("return document.querySelector('#main [id^=page-]').id")
    for time_ in (1, 2):
        step(f"tray: closing the window hides it, the app keeps running ({time_})")
        wid, pid = h.app_window(), h.app_pid()
        assert wid and pid, "the window is shown and the app runs"
        h.close_window(wid)
        s.wait(lambda: h.app_window() is None, "the window to hide", timeout=15)
        time.sleep(1)
        assert h.app_pid() == pid, "the app still runs with its window closed"
        assert h.app_window(visible_only=False), "the window is hidden, not destroyed"
        if h.notifications is not None:
            told = lambda: [n for n in h.shown_notifications() if n[0] == "WisdomOS is still running"]  # noqa: E731
            if time_ == 1:
                print(f"  notification: {s.wait(told, 'the note that the app is in the tray', timeout=15)[0]!r}", flush=True)
            else:
                assert len(told()) == 1, f"said once only: {h.shown_notifications()}"
        step("tray: Open WisdomOS shows the window again, on the same page")
        h.tray("click", "Open WisdomOS")
        s.wait(lambda: h.app_window(), "the window to show again", timeout=15)
        assert s.find_all(f"#{page}"), f"the window came back on {page}"
    shot(s, "25-back-from-the-tray")


def quit_from_tray(h):
    """The tray's Quit ends the app, and its icon leaves the panel."""
    if h.tray_log is None:
        return
    step("tray: Quit WisdomOS ends the app and its icon")
    h.tray("click", "Quit WisdomOS")
    end = time.time() + 20
    while h.app_pid() is not None and time.time() < end:
        time.sleep(0.2)
    assert h.app_pid() is None, "the app quit from the tray"
    assert h.tray("menu") == [], "the icon left the panel"


def practice_scenario(s, h, shot):
    """Settings > Daily practice: on this day off and on again, a reminder a few seconds ahead that
    the notification daemon shows with no words from the journal, then reminders off; Settings >
    Prompts: a prompt of one's own."""
    step("daily practice: hide today's prompt from the Today page")
    switch(s, "nav-today", "page-today")
    first = s.attr("#prompt", "data-prompt-id")
    s.click("#hide-prompt")
    s.wait(lambda: s.attr("#prompt", "data-prompt-id") not in (None, first), "another prompt after hiding")
    step("daily practice: on this day off, then on again")
    switch(s, "nav-settings", "page-settings")
    assert s.js("return document.getElementById('reminder-time').value"), "reminders on since onboarding"
    s.click("#on-this-day-setting")
    switch(s, "nav-today", "page-today")
    s.wait(lambda: not s.find_all("#on-this-day"), "Today without on this day")
    switch(s, "nav-settings", "page-settings")
    s.wait(lambda: s.js("return !document.getElementById('on-this-day-setting').checked"), "the setting off")
    s.click("#on-this-day-setting")
    s.wait(lambda: s.js("return document.getElementById('on-this-day-setting').checked"), "the setting on")
    step("daily practice: a prompt of one's own")
    s.type("#prompt-new", "What did I learn from someone today?")
    s.click("#prompt-add")
    s.wait(lambda: "What did I learn from someone today?" in s.text("#prompts-section"), "the new prompt listed")
    step("templates: write one in Settings")
    s.type("#tpl-name", "gratitude")
    s.type("#tpl-title", "Three good things, {weekday}")
    s.type("#tpl-body", "1.\n2.\n3.")
    s.click("#tpl-save")
    s.wait(lambda: s.find_all("[data-template=gratitude]"), "the template listed")
    s.js("document.getElementById('templates-card').scrollIntoView()")
    shot(s, "12b-settings-templates")
    if h.notifications is None:
        print("  (no notification daemon: dunst is missing; the reminder is not checked)", flush=True)
        return
    step("daily practice: today is written, so at the reminder's time only the review due today comes")
    switch(s, "nav-commitments", "page-commitments")
    s.js("const i = document.querySelector('.commitment-card input[type=date]'); const d = new Date();"
         " i.value = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');"
         " i.dispatchEvent(new Event('change', { bubbles: true }));")
    time.sleep(1)  # the review date saved (a quick write)
    switch(s, "nav-settings", "page-settings")
    daily_before = len(daily_reminders(h))
    s.js(SET_TIME, "reminder-time", time_in(s, 6))
    s.find("#review-reminders", timeout=10)
    s.js("document.getElementById('practice-card').scrollIntoView()")
    shot(s, "12a-settings-practice")
    shown = s.wait(lambda: [n for n in h.shown_notifications() if n[0] == "Commitments to review"], "the review reminder", timeout=45)
    time.sleep(2)
    assert len(daily_reminders(h)) == daily_before, f"no daily reminder on a day already written: {h.shown_notifications()}"
    # The entries and the commitment written so far.
    titles = ["Shipped the first release", UPSET, "Long walk along the beach", "I do my best work", "Honesty early"]
    for summary, body in h.shown_notifications():
        for t in titles:
            assert t.lower() not in (summary + body).lower(), f"a notification quotes the journal: {summary!r} {body!r}"
    assert shown[0][1] == "A commitment is due for review today.", f"the reminder counts, without words: {shown}"
    print(f"  notification shown: {shown[0]!r}", flush=True)
    s.click("#reminder-off")
    s.wait(lambda: not s.find_all("#review-reminders"), "reminders off")


def sync_scenario(s, shot, bin_dir):
    with SyncStack(os.path.join(bin_dir, "wisdom-sync-server")) as stack:
        step(f"sync: sign up from Settings against {stack.url}")
        switch(s, "nav-settings", "page-settings")
        s.find("#sync-form")
        s.js("document.getElementById('sync-section').scrollIntoView()")
        shot(s, "18-sync-sign-up-light")
        s.type("#sync-server", "not a server")
        s.click("#sync-submit")
        assert "address" in s.text("#sync-server-error"), "a bad server address is refused beside its field"
        s.type("#sync-server", stack.url, clear=True)
        s.type("#sync-email", ACCOUNT)
        s.type("#sync-password", ACCOUNT_PASSWORD)
        s.type("#sync-device", "Desktop")
        s.click("#sync-submit")
        s.find("#sync-signed-in", timeout=60)
        assert ACCOUNT in s.text("#sync-email-shown")
        s.wait(lambda: "Synced" in s.text("#sync-badge"), "the first background sync", timeout=60)

        step("sync: record an event, Sync now")
        s.click(".capture-btn")
        s.type("#ev-title", "Watched the first light over the harbour")
        s.select("#ev-area", "family")
        s.type("#ev-desc", "Written on the desktop, read on the phone.")
        s.click("#ev-submit")
        s.gone(".dialog")
        s.click("#sync-now")
        s.wait(lambda: "Synced: sent" in s.text(".toast"), "the Sync now report", timeout=60)
        s.wait(lambda: "Nothing" in s.text("#sync-pending"), "nothing left waiting")

        step("sync: the CLI links as a second device and has the event")
        phone = Phone(bin_dir)
        phone.run("sync", "link", "--server", stack.url, "--email", ACCOUNT, "--device", "Phone (CLI)")
        events = phone.json("event", "list")
        events = events if isinstance(events, list) else events.get("events", [])
        mine = [e for e in events if e["title"] == "Watched the first light over the harbour"]
        assert mine, f"the desktop's event reached the CLI device: {[e['title'] for e in events]}"

        step("sync: an edit on the CLI device arrives in the desktop")
        phone.run("event", "edit", mine[0]["id"], "--title", "First light over the harbour, seen from the phone")
        phone.run("template", "add", "evening", "--title", "Evening review, {weekday}", "--area", "personal-growth",
                  "--type", "learning", "--tag", "review", "--body", "What went well today? What would I change?")
        phone.run("sync", "now")
        s.click("#sync-now")
        s.wait(lambda: re.search(r"received [1-9]", s.text(".toast")), "the CLI's edit received", timeout=60)
        devices = s.wait(lambda: len(s.find_all("#sync-devices .device")) >= 2 and s.text("#sync-devices"), "both devices listed")
        assert "Phone (CLI)" in devices and "This device" in devices, devices
        s.js("document.getElementById('sync-section').scrollIntoView()")
        shot(s, "19-sync-signed-in-light")
        switch(s, "nav-events", "page-events")
        s.wait(lambda: "seen from the phone" in s.text("#page-events"), "the edited title on the events page")
        # (A background sync may be running this instant: the badge says "Syncing…" meanwhile.)
        s.wait(lambda: "Synced" in s.text("#sync-badge"), "the badge back to Synced", timeout=30)
        label = s.attr("#sync-badge", "aria-label")
        assert label.startswith("Sync status: Synced"), label

        step("sync: the template written on the CLI device starts an entry in quick capture")
        # (From the dashboard: the events page has a form of its own behind the dialog.)
        switch(s, "nav-dashboard", "page-dashboard")
        s.click(".capture-btn")
        s.select("#ev-template", "evening")
        title = s.wait(lambda: s.attr("#ev-title", "value"), "the template's title in the form")
        assert title.startswith("Evening review, "), title
        assert s.attr("#ev-area", "value") == "personal-growth", s.attr("#ev-area", "value")
        shot(s, "19b-quick-capture-template")
        s.key("Escape")
        s.gone(".dialog")

        step("sync: two CLI devices conflict; the desktop, which lost nothing, lists it and restores it")
        tablet = Phone(bin_dir)
        tablet.run("sync", "link", "--server", stack.url, "--email", ACCOUNT, "--device", "Tablet (CLI)")
        target = mine[0]["id"]
        phone.run("event", "edit", target, "--title", "Harbour at dawn, in the phone's words")
        time.sleep(0.05)
        tablet.run("event", "edit", target, "--title", "Harbour at dawn, in the tablet's words")
        for device in (phone, tablet, phone):
            device.run("sync", "now")
        switch(s, "nav-settings", "page-settings")
        s.click("#sync-now")
        s.wait(lambda: s.find_all("#sync-conflicts .conflict"), "the phone's lost version listed", timeout=60)
        assert "in the phone's words" in s.text("#sync-conflicts"), s.text("#sync-conflicts")
        s.js("document.getElementById('sync-conflicts').scrollIntoView()")
        shot(s, "19c-sync-conflict-light")
        s.click("#sync-conflicts .conflict-restore")
        s.wait(lambda: "Restored" in s.text(".toast"), "the restore confirmed")
        s.find("#sync-no-conflicts")
        s.click("#sync-now")
        s.wait(lambda: "Synced: sent" in s.text(".toast"), "the restore sent", timeout=60)
        phone.run("sync", "now")
        shown = phone.json("event", "show", target)
        assert shown["title"] == "Harbour at dawn, in the phone's words", shown["title"]
        states = [c["state"] for c in phone.json("sync", "conflicts", "--all")["conflicts"]]
        assert states == ["RESTORED"], f"the phone sees the conflict resolved: {states}"
        # One CLI device to revoke from the window below.
        tablet_id = tablet.json("sync", "status")["status"]["deviceId"]
        phone.run("sync", "revoke", tablet_id)

        step("sync: dark theme, revoke the CLI device")
        switch(s, "nav-settings", "page-settings")
        s.click("#theme-dark")
        s.find("#sync-devices .revoke-btn")
        s.js("document.getElementById('sync-section').scrollIntoView()")
        shot(s, "20-sync-signed-in-dark")
        s.click("#sync-devices .revoke-btn")  # the phone's: the tablet is revoked already
        s.wait(lambda: "signed out for good" in s.text(".toast"), "the revoke confirmed")
        refused = phone.run("sync", "now", check=False)
        assert refused.returncode != 0, "a revoked device can no longer sync"
        s.click("#theme-light")

        step("sync: server gone, a new event waits and the sidebar says offline")
        stack.stop_server()
        s.click(".capture-btn")
        s.type("#ev-title", "Written while the server was away")
        s.select("#ev-area", "family")
        s.click("#ev-submit")
        s.gone(".dialog")
        badge = s.wait(lambda: (t := s.text("#sync-badge")).startswith("Offline") and t, "the offline status", timeout=30)
        assert re.search(r"Offline · [1-9] waiting", badge), badge
        assert not s.find_all(".toast.error"), "offline is not an error message"
        shot(s, "21-sync-offline-light")
        stack.start_server()
        s.click("#sync-badge")
        s.find("#page-settings")
        s.click("#sync-now")
        s.wait(lambda: "Synced" in s.text("#sync-badge"), "back online", timeout=60)


# Replaces an input's text the way typing does (a WebDriver clear fires no input event, so the
# app's state would keep the old text).
SET_VALUE = """
const [id, value] = arguments;
const el = document.getElementById(id);
el.value = value;
el.dispatchEvent(new Event('input', { bubbles: true }));
"""

# A recovery key in the right form that belongs to no journal.
SOMEONE_ELSES_KEY = "QWER-TYUI-OPAS-DFGH-JKLZ-XCVB-NM23-4567"


def journal_cli(h, bin_dir, passphrase):
    """The `wisdom` CLI on the desktop's journal, beside the open window: `cli(*args)` returns its
    output, and a failure fails the test."""
    path = os.path.join(h.home, "wisdom", "workspaces", "e2e-journal.wisdom")
    env = dict(h.env, WISDOM_PASSPHRASE=passphrase, WISDOM_LOG="warn")

    def cli(*args):
        out = subprocess.run([os.path.join(bin_dir, "wisdom"), "--workspace", path, *args], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"wisdom {' '.join(args)} beside the open window: {out.stderr}"
        return out.stdout

    return cli


def cli_beside_scenario(s, h, bin_dir, shot):
    """The `wisdom` CLI and the window on one journal at once: each sees what the other wrote,
    and the window shows the CLI's entry without being asked."""
    cli = journal_cli(h, bin_dir, JOURNAL_PASS)
    step("the CLI reads what the open window wrote")
    listed = json.loads(cli("--json", "event", "list"))
    listed = listed if isinstance(listed, list) else listed.get("events", [])
    assert any(e["title"].startswith("Shipped the first release") for e in listed), "the window's entry, from the CLI"
    step("the CLI writes while the window is open; the window shows it by itself")
    switch(s, "nav-events", "page-events")
    title = "Repotted the fig tree, written from the terminal"
    assert title not in s.text("#timeline")
    cli("event", "add", title, "--area", "nature", "--type", "breakthrough", "--charge", "2")
    s.wait(lambda: title in s.text("#timeline"), "the CLI's entry on the open window's timeline", timeout=20)

    today = datetime.date.today()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February: no such day a year ago
        return
    step("a busy day a year ago: Today shows three of its entries and opens the rest in its month")
    for i in range(5):
        cli("event", "add", f"Harbour festival, moment {i + 1}", "--area", "hobbies-play", "--type", "progress",
            "--charge", "3", "--at", f"{year_ago.isoformat()}T{10 + i:02d}:00")
    switch(s, "nav-today", "page-today")
    more = f"#more-{year_ago.isoformat()}"
    s.wait(lambda: s.find_all(more), "on this day's link to the rest of that day", timeout=20)
    assert s.text(more) == "and 2 more that day", s.text(more)
    assert len(s.find_all("#on-this-day .memory li")) == 3, s.text("#on-this-day")
    s.js("document.getElementById('on-this-day').scrollIntoView()")
    shot(s, "10e-today-on-this-day")
    s.click(more)
    month = year_ago.strftime("%B %Y")
    s.wait(lambda: s.find_all("#page-year") and s.attr("#page-year", "data-shown") == month, "that day's month")
    s.wait(lambda: len(s.find_all("#day-entries .event-card")) == 5, "all five entries of that day")
    assert s.text(f"#px-{year_ago.isoformat()} .day-count") == "5", s.text(f"#px-{year_ago.isoformat()}")
    shot(s, "10d-year-month")
    step("the year in pixels: month and year navigation")
    s.click("#year-next")
    following = (year_ago.replace(day=1) + datetime.timedelta(days=32)).strftime("%B %Y")
    s.wait(lambda: s.attr("#page-year", "data-shown") == following, "the next month")
    s.click("#show-year")
    s.wait(lambda: s.attr("#page-year", "data-shown") == str(int(following[-4:])), "the whole year")
    s.click(f"#month-{year_ago.month}")
    opened = datetime.date(int(following[-4:]), year_ago.month, 1).strftime("%B %Y")
    s.wait(lambda: s.attr("#page-year", "data-shown") == opened, "a month opened from the year")


def in_file_chooser(h, title, path, save=False, picture=None):
    """Answers the system's file chooser (GTK's, a window of its own) as a person would: it waits
    for the window titled `title`, focuses it, types `path` (into the location bar when opening,
    over the suggested name when saving) and presses Enter. xdotool talks to the X server, as a
    keyboard would."""
    env = dict(os.environ, DISPLAY=f":{h.display}")

    def xdotool(*args):
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout.split()

    until = time.time() + 20
    while not (found := xdotool("search", "--onlyvisible", "--name", title)):
        assert time.time() < until, f"no file chooser titled {title!r}"
        time.sleep(0.2)
    window = found[-1]
    xdotool("windowfocus", "--sync", window)
    time.sleep(0.5)
    xdotool("key", "--clearmodifiers", "ctrl+a" if save else "ctrl+l")
    xdotool("type", "--delay", "15", path)
    time.sleep(0.3)
    if picture:  # the whole screen: the chooser is a window of its own, over the app's
        subprocess.run(["import", "-display", f":{h.display}", "-window", "root", picture], check=True, timeout=60)
    xdotool("key", "Return")
    until = time.time() + 20
    while xdotool("search", "--onlyvisible", "--name", title):
        assert time.time() < until, f"the file chooser {title!r} stayed open"
        time.sleep(0.2)


def paste_into_app(h, picture, focus):
    """Copies `picture` to the clipboard from a program of its own (tests/e2e/clipboard_image.py,
    GTK), focuses a part of the app (`focus`) and presses Ctrl+V on the X server's keyboard."""
    env = dict(os.environ, DISPLAY=f":{h.display}")
    owner = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "clipboard_image.py"), picture], env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout.readline().strip() == "on the clipboard", "the picture is not on the clipboard"
        focus()
        # The keyboard goes to the window under the pointer (no window manager under Xvfb).
        subprocess.run(["xdotool", "mousemove", "--sync", "640", "400"], env=env, check=True, timeout=20)
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+v"], env=env, check=True, timeout=20)
        time.sleep(1.0)
    finally:
        owner.kill()


def drag_file_onto_app(h, path, at=(640, 400)):
    """Drags `path` from a window of its own (tests/e2e/drag_source.py, GTK) onto the app's window
    with the pointer, as a person drags a file from their file manager: XDND, through the X server.
    It lets go at `at` (the window sits at the screen's top left, without decorations)."""
    env = dict(os.environ, DISPLAY=f":{h.display}")

    def xdotool(*args):
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout.split()

    source = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "drag_source.py"), path], env=env)
    try:
        until = time.time() + 20
        while not (found := xdotool("search", "--onlyvisible", "--name", "e2e drag source")):
            assert time.time() < until, "the drag source did not open"
            time.sleep(0.2)
        # Beside the app's window (1280x800 at the top left of a 1920x1080 screen).
        xdotool("windowmove", "--sync", found[-1], "1500", "900")
        time.sleep(0.5)
        xdotool("mousemove", "--sync", "1600", "940")
        xdotool("mousedown", "1")
        x1, y1 = at
        steps = [(1590, 935), (1570, 925), (1500, 880), (1300, 760), (1000, 600), (x1 + 60, y1 + 50), (x1, y1)]
        for x, y in steps:
            xdotool("mousemove", "--sync", str(x), str(y))
            time.sleep(0.15)
        time.sleep(0.5)
        xdotool("mouseup", "1")
        source.wait(timeout=20)
    finally:
        if source.poll() is None:
            source.kill()


def file_chooser_scenario(s, h, shot, results):
    """Import and export through the system's file chooser: Settings > Export and import."""
    folder = tempfile.mkdtemp(prefix="chooser-", dir=h.home)
    source = os.path.join(folder, "from-my-old-app.jsonl")
    with open(source, "w") as f:
        for title, charge in [("Sea swim before work, freezing and glorious", 4), ("First pottery class, wonky bowl", 2)]:
            f.write(json.dumps({"lifeArea": "hobbies-play", "type": "PROGRESS", "category": "PERSONAL",
                                "tone": "POSITIVE", "title": title, "occurredAt": "2026-03-01T10:00:00Z",
                                "emotionalCharge": charge, "tags": ["imported"]}) + "\n")
    step("import: the format's list, then the system's file chooser names the file")
    switch(s, "nav-settings", "page-settings")
    s.select("#im-format", "jsonl")
    s.click("#im-choose")
    in_file_chooser(h, "Choose the JSON lines file to import", source,
                    picture=os.path.join(results, "12d-import-file-chooser.png"))
    s.wait(lambda: s.js("return document.getElementById('im-path').value") == source, "the chosen file in the field")
    s.click("#im-import")
    s.wait(lambda: "Imported 2 events" in s.text(".toast"), "the import's report")
    step("import from Daylio: a preview says what would be added and where, then the import, then nothing new")
    daylio = os.path.join(folder, "daylio_export_2026.csv")
    with open(daylio, "w", encoding="utf-8-sig") as f:
        f.write("full_date,date,weekday,time,mood,activities,scales,note_title,note\n"
                "2026-02-11,February 11,Wednesday,9:40 pm,good,work | coffee,,,\"Finished the grant draft.\"\n"
                "2026-02-10,February 10,Tuesday,7:05 am,awful,sleep,,,\"Up at 3, couldn't settle.\"\n"
                "2026-02-09,February 9,Monday,6:30 pm,rad,family | cooking,,Sunday roast,\"Gran's recipe, finally right.\"\n")
    s.select("#im-format", "daylio")
    s.type("#im-path", daylio, clear=True)
    s.click("#im-preview")
    s.wait(lambda: s.find_all("#import-preview") and "3 entries found, 3 entries to add" in s.text("#import-preview-counts"),
           "the preview's counts")
    assert "Finished the grant draft" in s.text("#import-preview") or "grant" in s.text("#import-preview").lower(), \
        s.text("#import-preview")
    step("the person's own rules: the sleep activity filed under Mental Health, the awful mood weighed -5")

    def sample_line(title):
        return s.js("return [...document.querySelectorAll('#import-preview .sample li')]"
                    ".map(l => l.textContent).find(t => t.includes(arguments[0])) || ''", title)

    before = sample_line("Up at 3")
    assert "Mental Health" not in before, before
    s.select(".map-area[data-label='activity:sleep']", "mental-health")
    s.wait(lambda: "Mental Health" in sample_line("Up at 3"), "the preview again, the entry under the rule's area")
    assert "your rule" in s.text("#import-preview"), s.text("#import-preview")
    s.js("const m = document.querySelector(\".map-mood[data-mood='awful']\"); m.value = '-5';"
         "m.dispatchEvent(new Event('change', {bubbles: true}))")
    s.wait(lambda: "-5" in sample_line("Up at 3"), "the preview again, the mood's new charge")
    s.js("document.getElementById('import-rules').scrollIntoView()")
    shot(s, "12f-import-preview")
    s.click("#im-import")
    s.wait(lambda: "Imported 3 events" in s.text(".toast"), "the Daylio import's report")
    s.wait(lambda: s.find_all("#import-progress[data-state=done]"), "the import's bar, finished")
    switch(s, "nav-events", "page-events")
    card = s.wait(lambda: s.js("return [...document.querySelectorAll('.event-card')]"
                               ".map(c => c.textContent).find(t => t.includes('Up at 3'))"), "the imported entry")
    assert "Mental Health" in card and "-5" in card, card
    switch(s, "nav-settings", "page-settings")
    s.select("#im-format", "daylio")
    s.type("#im-path", daylio, clear=True)
    s.click("#im-preview")
    s.wait(lambda: "3 entries already imported" in s.text("#import-preview-counts"), "a second preview: nothing new")
    step("export: the system's save dialog, opened on the suggested file, saves where the person says")
    target = os.path.join(folder, "journal-for-my-records.json")
    s.click("#ex-choose")
    in_file_chooser(h, "Save the export as", target, save=True)
    s.wait(lambda: s.js("return document.getElementById('ex-path').value") == target, "the chosen file in the field")
    s.click("#ex-export")
    s.wait(lambda: "Exported to" in s.text(".toast"), "the export's report")
    with open(target) as f:
        exported = f.read()
    assert "Sea swim before work" in exported, "the imported entries are in the export"
    shot(s, "12e-settings-import-export")

    step("drag and drop: a file dragged from another window onto the app is ready to import")
    dropped = os.path.join(folder, "evening-pages.jsonl")
    with open(dropped, "w") as f:
        f.write(json.dumps({"lifeArea": "wisdom", "type": "LEARNING", "category": "PERSONAL", "tone": "POSITIVE",
                            "title": "Evening pages: what the week taught me", "occurredAt": "2026-03-02T21:00:00Z",
                            "emotionalCharge": 2, "tags": []}) + "\n")
    switch(s, "nav-today", "page-today")
    drag_file_onto_app(h, dropped)
    s.wait(lambda: s.find_all("#page-settings") and s.js("return document.getElementById('im-path').value") == dropped,
           "the dropped file in Settings > Export and import")
    assert s.js("return document.getElementById('im-format').value") == "jsonl", "the format its name says"
    s.click("#im-import")
    s.wait(lambda: "Imported 1 events" in s.text(".toast"), "the dropped file imported")
    step("drag and drop: a folder of daily notes dropped on the app is a Markdown import")
    vault = os.path.join(folder, "Daily notes")
    os.makedirs(vault)
    with open(os.path.join(vault, "2026-03-04.md"), "w") as f:
        f.write("---\ntags: [garden]\n---\nPlanted the tomatoes at last. #outdoors\n")
    switch(s, "nav-today", "page-today")
    drag_file_onto_app(h, vault)
    s.wait(lambda: s.find_all("#page-settings") and s.js("return document.getElementById('im-path').value") == vault,
           "the dropped folder in Settings > Export and import")
    s.wait(lambda: s.js("return document.getElementById('im-format').value") == "markdown", "a folder is a vault of notes")
    s.wait(lambda: "Ready to import the folder you dropped" in s.text(".toast"), "the drop's notice")
    s.click("#im-import")
    s.wait(lambda: "Imported 1 events" in s.text(".toast"), "the dropped folder imported")


def lock_and_forget(s):
    """Locks the app and opens "Forgot passphrase?" on the unlock screen."""
    s.click("#lock-btn")
    s.find("#unlock-form")
    s.click("#forgot-pass")
    s.find("#recover-form")


def unlock(s, passphrase, refused=False):
    s.type("#unlock-pass", passphrase)
    s.click("#unlock-submit")
    if refused:
        err = s.wait(lambda: s.find_all("#unlock-pass-error") and s.text("#unlock-pass-error"), "the refusal", timeout=30)
        assert "does not unlock" in err, err
        return
    s.find("#page-today", timeout=60)


def import_progress_scenario(s, h, shot):
    """A big import shows how far it has got: the bar moves with the shell's progress events and
    ends full. Last, so its 30,000 entries slow no other step."""
    step("a big import: the progress bar")
    folder = tempfile.mkdtemp(prefix="big-import-", dir=h.home)
    source = os.path.join(folder, "ten-years-of-notes.jsonl")
    moods = [("Long walk by the canal", 2), ("Argued about the rent again", -2), ("Slow Sunday, pancakes", 3),
             ("Deadline week, barely slept", -3), ("Called Gran, she sounded well", 2)]
    with open(source, "w") as f:
        for i in range(30000):
            title, charge = moods[i % len(moods)]
            day = 1 + i % 28
            f.write(json.dumps({"lifeArea": "personal-growth", "type": "PROGRESS", "category": "PERSONAL",
                                "tone": "POSITIVE" if charge > 0 else "NEGATIVE", "title": f"{title} ({i})",
                                "occurredAt": f"20{10 + i % 15}-0{1 + i % 9}-{day:02d}T08:00:00Z",
                                "emotionalCharge": charge, "tags": ["old-notes"]}) + "\n")
    switch(s, "nav-settings", "page-settings")
    s.select("#im-format", "jsonl")
    s.type("#im-path", source, clear=True)
    s.click("#im-import")
    seen = set()
    until = time.time() + 120
    while not s.find_all("#import-progress[data-state=done]"):
        assert time.time() < until, "the big import did not finish"
        value = s.js("const p = document.querySelector('#import-progress progress'); return p && p.value")
        if value is not None:
            seen.add(int(value))
        time.sleep(0.05)
    final = s.js("return document.querySelector('#import-progress progress').value")
    print("import progress values seen:", sorted(seen), "final:", final, flush=True)
    assert final == 100, f"the bar ends full from the shell's events, not {final}"
    assert "Imported: 100%" in s.text("#import-progress"), s.text("#import-progress")
    s.wait(lambda: "Imported 30000 events" in s.text(".toast"), "the big import's report")
    s.js("document.getElementById('import-progress').scrollIntoView()")
    shot(s, "12g-import-progress")


def recovery_scenario(s, shot, key, old_pass, new_pass):
    """"Forgot passphrase?" with a malformed key, a wrong key (nothing changes: the old passphrase
    still unlocks), then the journal's own key as typed by hand (the new passphrase unlocks, the old
    one is refused); then Settings > Security makes a new key and the old one stops working."""
    step("forgot passphrase: a malformed key, then someone else's key, are refused in words")
    lock_and_forget(s)
    shot(s, "22-forgot-passphrase")
    s.type("#rk-key", "ABCD-EFGH-1234")
    s.type("#rk-pass", new_pass)
    s.type("#rk-confirm", new_pass)
    s.click("#rk-submit")
    err = s.wait(lambda: s.find_all("#rk-key-error") and s.text("#rk-key-error"), "the malformed key's message", timeout=30)
    assert "32 characters" in err, err
    s.js(SET_VALUE, "rk-key", SOMEONE_ELSES_KEY)
    s.click("#rk-submit")
    err = s.wait(lambda: s.find_all("#rk-key-error") and "does not open" in s.text("#rk-key-error")
                 and s.text("#rk-key-error"), "the wrong key's message", timeout=30)
    assert "wisdom " not in err, f"the desktop's words, not the CLI's: {err}"
    shot(s, "22b-forgot-wrong-key")
    step("nothing changed: the old passphrase still unlocks")
    s.click("#rk-cancel")
    s.find("#unlock-form")
    unlock(s, old_pass)

    step("forgot passphrase: the journal's own key, typed in lower case with spaces, sets a new one")
    lock_and_forget(s)
    s.type("#rk-key", key.lower().replace("-", " "))
    s.type("#rk-pass", new_pass)
    s.type("#rk-confirm", new_pass)
    assert s.attr("#recover-form .meter", "aria-valuenow") not in (None, "0"), "the strength meter reads the new passphrase"
    shot(s, "22c-forgot-filled")
    s.click("#rk-submit")
    s.find("#page-today", timeout=60)
    assert "New passphrase set" in s.text(".toast", timeout=10), s.text(".toast")
    step("the old passphrase is refused, the new one unlocks")
    s.click("#lock-btn")
    s.find("#unlock-form")
    unlock(s, old_pass, refused=True)
    unlock(s, new_pass)

    step("settings > security: a recovery key is set; make a new one, shown once")
    switch(s, "nav-settings", "page-settings")
    s.js("document.getElementById('security-card').scrollIntoView()")
    assert s.attr("#recovery-key-status", "data-set") == "true", s.text("#recovery-key-section")
    s.click("#rk-rotate")
    s.js("document.getElementById('rk-rotate-form').scrollIntoView({ block: 'center' })")
    shot(s, "23a-settings-security")
    s.type("#rk-rotate-pass", "not the passphrase")
    s.click("#rk-rotate-submit")
    err = s.wait(lambda: s.find_all("#rk-rotate-pass-error") and s.text("#rk-rotate-pass-error"), "the refusal", timeout=30)
    assert "does not unlock" in err, err
    s.js(SET_VALUE, "rk-rotate-pass", new_pass)
    s.click("#rk-rotate-submit")
    rotated = s.text("#new-recovery-key", timeout=30)
    assert len(rotated.split("-")) == 8 and rotated != key, f"a new key, shown once: {rotated!r}"
    s.js("document.getElementById('new-recovery-key-panel').scrollIntoView({ block: 'center' })")
    shot(s, "23b-new-recovery-key")
    s.click("#rk-rotate-done")
    s.gone("#new-recovery-key")
    step("the key before it no longer works")
    lock_and_forget(s)
    s.type("#rk-key", key)
    s.type("#rk-pass", "yet another passphrase")
    s.type("#rk-confirm", "yet another passphrase")
    s.click("#rk-submit")
    s.wait(lambda: s.find_all("#rk-key-error") and "does not open" in s.text("#rk-key-error"), "the old key refused", timeout=30)
    s.click("#rk-cancel")
    s.find("#unlock-form")
    unlock(s, new_pass)
    return rotated


def backup_folder_scenario(s, shot):
    """Settings > Backups: a file is not a folder (said in words, nothing moves); another folder
    takes the backups so far and the next one; then back to the default."""
    step("backups: a file is refused as a folder; another folder takes them")
    switch(s, "nav-settings", "page-settings")
    s.js("document.getElementById('backups-card').scrollIntoView()")
    assert s.attr("#backup-folder-path", "data-chosen") == "false", s.text("#backup-folder")
    default = s.text("#backup-folder-path")
    listed = len(s.find_all(".backup-row"))
    usb = tempfile.mkdtemp(prefix="wisdom-e2e-usb-")
    a_file = os.path.join(usb, "notes.txt")
    with open(a_file, "w") as f:
        f.write("not a folder\n")
    s.type("#backup-folder-input", a_file)
    s.click("#backup-folder-move")
    err = s.wait(lambda: s.find_all("#backup-folder-input-error") and s.text("#backup-folder-input-error"),
                 "the refusal", timeout=30)
    assert "not a directory" in err and "write in" in err, err
    assert s.text("#backup-folder-path") == default, "nothing moved"
    shot(s, "24-backups-folder-refused")
    chosen = os.path.join(usb, "backups")
    s.js(SET_VALUE, "backup-folder-input", chosen)
    s.click("#backup-folder-move")
    s.wait(lambda: s.attr("#backup-folder-path", "data-chosen") == "true", "the chosen folder shown", timeout=60)
    folder = s.text("#backup-folder-path")
    assert folder.startswith(chosen + "/") and os.path.isdir(folder), folder
    moved = [n for n in os.listdir(folder) if n.endswith(".wisdom")]
    assert len(moved) == listed, f"every backup moved ({listed} listed): {moved}"
    step("a backup taken now lands in the chosen folder")
    # The button sits at the card's foot; scrolled into view it lands at the bottom of the window,
    # under the notice that the move just showed there.
    dismiss_toasts(s)
    s.click("#backup-now")
    s.wait(lambda: len([n for n in os.listdir(folder) if n.endswith(".wisdom")]) == listed + 1, "the new backup", timeout=60)
    for n in os.listdir(folder):
        if n.endswith(".wisdom"):
            assert os.path.exists(os.path.join(folder, n + ".key")), f"{n} has its key file"
    s.wait(lambda: len(s.find_all(".backup-row")) == listed + 1, "the new backup listed")
    shot(s, "24b-backups-folder-chosen")
    step("back to the default folder")
    s.click("#backup-folder-default")
    s.wait(lambda: s.attr("#backup-folder-path", "data-chosen") == "false", "the default again", timeout=60)
    assert s.text("#backup-folder-path") == default
    assert len([n for n in os.listdir(default) if n.endswith(".wisdom")]) == listed + 1


def restore_and_unlock(s, row):
    """Restores the backup of the list row `row` (its passphrase then: the one in force now), then
    unlocks the journal the restore locked and opens its Events page."""
    s.click(f"{row} .restore-open")
    s.type(f"{row} .restore-pass", NEW_JOURNAL_PASS)
    s.click(f"{row} .restore-submit")
    s.find("#unlock-form", timeout=60)
    s.gone("#restore-locked", timeout=60)
    s.type("#unlock-pass", NEW_JOURNAL_PASS)
    s.click("#unlock-submit")
    s.find("#page-today", timeout=60)
    switch(s, "nav-events", "page-events")


def restore_scenario(s, h, bin_dir):
    """Settings > Backups restores: a backup is taken (listed with today's date and its size), an
    entry is written after it, and the backup is restored from the window: the journal locks,
    opens again with the passphrase in force then, and the later entry is gone, kept only in the
    backup the restore took first."""
    cli = journal_cli(h, bin_dir, NEW_JOURNAL_PASS)
    step("restore: a backup, then an entry written after it")
    taken = json.loads(cli("--json", "backup"))
    later = "Written after the backup, gone once it is restored"
    cli("event", "add", later, "--area", "nature", "--type", "progress", "--charge", "1")
    switch(s, "nav-events", "page-events")
    s.wait(lambda: later in s.text("#timeline"), "the later entry on the timeline", timeout=20)
    switch(s, "nav-settings", "page-settings")
    row = f'.backup-row[data-id="{taken["id"]}"]'
    s.wait(lambda: s.find_all(row), "the backup listed in Settings", timeout=20)
    s.js(f"document.querySelector('{row}').scrollIntoView()")
    today = datetime.date.today()
    when, size = s.text(f"{row} .backup-taken"), s.text(f"{row} .backup-size")
    assert when.startswith(f"{today:%b} {today.day}, {today.year}"), when
    assert re.fullmatch(r"\d+ KiB|\d+\.\d MiB", size), size
    step("restore: the backup replaces the journal from the window")
    restore_and_unlock(s, row)
    assert later not in s.text("#timeline"), "the entry written after the backup is gone"
    listed = json.loads(cli("--json", "backups"))["backups"]
    safety = [b for b in listed if b["reason"] == "before-restore" and b["id"] > taken["id"]]
    assert safety, f"the journal as it was before the restore was backed up: {listed}"


def damaged_journal_scenario(s, h, shot):
    """A journal file cut short while locked: unlocking says what happened in words, with nothing
    changed and its newest backup named, and offers its backups right there; restoring the newest
    brings the journal back with its entries."""
    step("a damaged journal: the unlock screen says so and offers its backups")
    s.click("#lock-btn")
    s.find("#unlock-form")
    path = os.path.join(h.home, "wisdom", "workspaces", "e2e-journal.wisdom")
    s.wait(lambda: not os.path.exists(path + "-wal"), "the journal closed", timeout=20)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size // 2 + 100)
    s.type("#unlock-pass", NEW_JOURNAL_PASS)
    s.click("#unlock-submit")
    said = s.wait(lambda: s.find_all("#unlock-pass-error") and s.text("#unlock-pass-error"), "the damage in words", timeout=30)
    assert "Nothing was changed" in said and "can replace it: Restore a backup" in said, said
    assert "wisdom " not in said and "`" not in said, f"the desktop's words, not the CLI's: {said}"
    shot(s, "26-damaged-journal")
    s.click("#unlock-restore")
    s.find("#restore-locked")
    newest = s.wait(lambda: s.find_all("#restore-locked .backup-row") and s.attr("#restore-locked .backup-row", "data-id"),
                    "the journal's backups", timeout=20)
    assert newest in said, f"the newest backup {newest} is the one named: {said}"
    shot(s, "26b-restore-from-unlock")
    row = f'#restore-locked .backup-row[data-id="{newest}"]'
    restore_and_unlock(s, row)
    assert "Repotted the fig tree" in s.text("#timeline"), "the journal's entries are back"
    print(f"  restored {newest}; beside the journal now: {sorted(os.listdir(os.path.dirname(path)))}", flush=True)


def main():
    app, results = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    bin_dir = os.environ.get("WISDOM_E2E_BIN_DIR") or os.path.dirname(app)
    os.makedirs(results, exist_ok=True)
    # The harness gives the app a throw-away HOME: point it at the model scripts/lib.sh's
    # ensure_model fetched into the real one.
    model = os.environ.get("WISDOM_MODEL_CACHE") or os.path.expanduser("~/.cache/wisdomos/models/all-MiniLM-L6-v2")
    os.environ.setdefault("WISDOM_MODEL_DIR", model)

    def shot(s, name):
        # Dismiss a passing notice, and give WebKit time to paint under Xvfb: its screenshot is
        # the last painted frame, which trails the DOM by a few hundred milliseconds here.
        dismiss_toasts(s)
        time.sleep(0.8)
        s.screenshot(os.path.join(results, f"{name}.png"))

    timings = {}
    with Harness(app) as h:
        s = h.session()
        try:
            s.set_size(1280, 800)
            step("onboarding: create a journal")
            s.find("#create-form", timeout=30)
            s.type("#ws-name", "E2E journal", clear=True)
            s.type("#ws-pass", "short")
            s.click("#create-submit")
            assert "8 characters" in s.text("#ws-pass-error"), "a short passphrase is refused beside its field"
            s.type("#ws-pass", " but now long enough")
            s.type("#ws-confirm", "short but now long enough")
            s.click("#ws-understood")
            shot(s, "01-onboarding")
            s.click("#create-submit")
            recovery_key = s.text("#recovery-key", timeout=60)
            assert len(recovery_key.split("-")) == 8, f"the recovery key is shown once after create: {recovery_key!r}"
            step("onboarding: the recovery key saved as a file, to print")
            sheet = os.path.join(h.home, "recovery key.txt")
            s.click("#recovery-save")
            in_file_chooser(h, "Save the recovery key as", sheet, save=True)
            saved = s.wait(lambda: s.find_all("#recovery-saved") and s.attr("#recovery-saved", "data-path"), "the sheet saved")
            assert saved == sheet, saved
            with open(sheet) as f:
                text = f.read()
            assert recovery_key in text and "Journal: E2E journal" in text, text
            assert os.stat(sheet).st_mode & 0o777 == 0o600, oct(os.stat(sheet).st_mode)
            shot(s, "01b-recovery-key-saved")
            s.click("#recovery-continue")
            step("onboarding: a daily reminder at a time of one's choosing (or Not now)")
            s.find("#first-reminder", timeout=30)
            assert s.attr("#first-reminder-skip", "disabled") is None, "the reminder can be skipped"
            shot(s, "01b-onboarding-reminder")
            reminder_while_locked(s, h)
            before = area_score(s, "work")
            shot(s, "02-dashboard-empty-light")

            step("quick capture (Ctrl+N) with inline validation, then Esc closes it")
            s.key("n", ctrl=True)
            s.find("#event-form")
            s.click("#ev-submit")
            assert "title" in s.text("#ev-title-error").lower(), "an empty title is flagged beside the field"
            shot(s, "03-quick-capture-validation")
            s.key("Escape")
            s.gone(".dialog")

            step("record a breakthrough in Work & Purpose")
            s.click(".capture-btn")
            s.type("#ev-title", "Shipped the first release of the phoenix project")
            s.select("#ev-area", "work")
            s.select("#ev-type", "BREAKTHROUGH")
            s.select("#ev-category", "PROFESSIONAL")
            s.type("#ev-desc", "After months of work the team shipped; I led the launch calmly.")
            s.type("#ev-tags", "career, courage")
            s.click("#ev-submit")
            s.gone(".dialog")
            after = s.wait(lambda: (v := area_score(s, "work")) != before and v, "the Work score to change")
            assert after > before, f"a breakthrough raises the area's score ({before} -> {after})"
            step(f"Work & Purpose score {before} -> {after}")
            shot(s, "04-dashboard-light-1280")
            s.set_size(1920, 1080)
            time.sleep(0.3)
            shot(s, "05-dashboard-light-1920")
            s.set_size(1280, 800)

            step("life area page")
            s.click("#area-work")
            s.find("#page-area")
            assert "Shipped the first release" in s.text("#page-area")
            shot(s, "06-area-work")

            step("record an upset at work, for search by meaning")
            s.click(".capture-btn")
            s.type("#ev-title", UPSET)
            s.select("#ev-area", "professional-network")
            s.select("#ev-type", "UPSET")
            s.select("#ev-tone", "NEGATIVE")
            s.js("const r = document.getElementById('ev-charge'); r.value = '-3';"
                 "r.dispatchEvent(new Event('input', { bubbles: true }));")
            s.click("#ev-submit")
            s.gone(".dialog")

            step("events page: timeline and full-text search")
            timings["events"] = switch(s, "nav-events", "page-events")
            s.type("#search-box", "phoenix")
            hits = s.wait(lambda: s.text("#search-results"), "search results")
            assert "Shipped the first release" in hits, hits
            shot(s, "07-events-search")

            step("search by meaning: other words, same event")
            assert not words(UPSET) & words(PARAPHRASE), "the query shares no word with the event"
            # (The filters' Clear button empties the box the app's way; a WebDriver clear is not an edit.)
            s.click(".filters button")
            s.wait(lambda: not s.find_all("#search-results"), "the search cleared")
            s.type("#search-box", PARAPHRASE)
            s.wait(lambda: "Nothing matches" in s.text("#search-results"), "no keyword match for the paraphrase")
            assert s.attr("#by-meaning", "disabled") is None, "the model is installed: the switch is on offer"
            # The shell's reader thread reads new entries in the background; the page polls its progress.
            s.wait(lambda: s.js("const e = document.getElementById('meaning-state');"
                                "return e && +e.dataset.total >= 2 && e.dataset.read === e.dataset.total;"),
                   "the language model to have read the journal", timeout=60)
            s.click("#by-meaning")
            s.wait(lambda: f"Entries meaning “{PARAPHRASE}”" in s.text("#search-results h2"), "the results by meaning")
            # (The previous results stay on screen until the new ones arrive.)
            first = lambda: s.find_all("#search-results .hit") and s.text("#search-results .hit strong")  # noqa: E731
            try:
                s.wait(lambda: first() == UPSET, "the upset as the first hit by meaning")
            except AssertionError:
                raise AssertionError(f"the paraphrase finds the event first: {s.text('#search-results')}") from None
            shot(s, "07b-events-search-by-meaning")

            step("an entry's files: attach a photo (file chooser) and a note (typed path), see the thumbnail, remove one")
            files_dir = tempfile.mkdtemp(prefix="attach-", dir=h.home)
            photo = os.path.join(files_dir, "launch-party.jpg")
            subprocess.run(["convert", "-size", "1200x900", "-seed", "7", "plasma:darkorange-navy", "-blur", "0x1",
                            "-quality", "90", photo], check=True)
            note = os.path.join(files_dir, "launch-checklist.txt")
            with open(note, "w") as f:
                f.write("Tag the release\nTell the team\nCake at four\n")
            ev = s.js("for (const c of document.querySelectorAll('#timeline .event-card'))"
                      "  if (c.querySelector('h3').textContent.startsWith('Shipped the first release')) {"
                      "    c.querySelector('.files-toggle').click(); return c.dataset.eventId; }")
            assert ev, "the breakthrough's card is on the timeline"
            card = f'#timeline .event-card[data-event-id="{ev}"]'
            s.wait(lambda: "No files yet" in s.text(f"{card} .entry-files"), "the entry's empty file list")
            # The photo through the system's file chooser, the note by its typed path.
            for path, tiles in [(photo, 1), (note, 2)]:
                if path == photo:
                    s.click(f"#attach-choose-{ev}")
                    in_file_chooser(h, "Choose a file to attach", photo)
                    s.wait(lambda: s.js(f"return document.getElementById('attach-path-{ev}').value") == photo,
                           "the chosen photo's path")
                else:
                    s.type(f"#attach-path-{ev}", path)
                s.click(f"{card} .attach-form button[type=submit]")
                s.wait(lambda: len(s.find_all(f"{card} .file-tile")) == tiles, f"{os.path.basename(path)} attached")
            s.wait(lambda: s.js(f"const i = document.querySelector('{card} img.thumb');"
                                "return !!i && i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/jpeg');"),
                   "the photo's thumbnail drawn")
            names = lambda: s.js(f"return [...document.querySelectorAll('{card} .file-name')]"  # noqa: E731
                                 ".map(n => n.textContent).join(',')")
            assert names() == "launch-party.jpg,launch-checklist.txt", names()
            shot(s, "07b2-event-files")
            s.click(f'{card} .file-tile:nth-child(2) button')
            s.wait(lambda: len(s.find_all(f"{card} .file-tile")) == 1, "the note removed")
            assert names() == "launch-party.jpg", names()
            step("an entry's photo at full size, a photo pasted from the clipboard, a file dropped on the entry")
            s.click(f"{card} .thumb-open")
            s.wait(lambda: s.js("const i = document.getElementById('photo-full');"
                                "return !!i && i.complete && i.naturalWidth > 0"), "the photo at full size")
            size = s.js("const i = document.getElementById('photo-full'); return [i.naturalWidth, i.naturalHeight]")
            assert size == [1200, 900], f"the original, not the thumbnail: {size}"
            shot(s, "07b3-photo-full-size")
            s.click(".dialog .icon-btn")
            s.gone("#photo-full")
            pasted = os.path.join(files_dir, "whiteboard.png")
            subprocess.run(["convert", "-size", "640x480", "gradient:gold-teal", pasted], check=True)
            paste_into_app(h, pasted, lambda: s.click(f"#paste-{ev}"))
            s.wait(lambda: len(s.find_all(f"{card} .file-tile")) == 2, "the pasted photo attached")
            assert names() == "launch-party.jpg,pasted.png", names()
            dropped = os.path.join(files_dir, "menu-for-the-party.txt")
            with open(dropped, "w") as f:
                f.write("Starters: olives, bread\nMains: the big paella\nCake at four\n")
            rect = s.js(f"const c = document.querySelector('{card}'); c.scrollIntoView({{block: 'center'}});"
                        "const r = c.getBoundingClientRect(); return [r.left + r.width / 2, r.top + 20]")
            drag_file_onto_app(h, dropped, at=(int(rect[0]), int(rect[1])))
            s.wait(lambda: len(s.find_all(f"{card} .file-tile")) == 3, "the dropped file attached to the entry")
            assert names() == "launch-party.jpg,pasted.png,menu-for-the-party.txt", names()
            assert s.js("return document.getElementById('page-events') !== null"), "a drop on an entry is no import"
            s.wait(lambda: "Attached menu-for-the-party.txt" in s.text(".toast"), "the drop's notice")
            shot(s, "07b4-event-files-pasted-and-dropped")
            s.js(f"document.querySelector('{card} .files-toggle').click()")

            step("the event form suggests the area, type and tone of the entries a new one resembles")
            # (The Events page's own form: the quick-capture dialog holds the same fields.)
            for title in ["Long walk along the beach with the dog", "Baked bread for the neighbours",
                          "Finished a good novel on the train"]:
                s.type("#ev-title", title)
                s.click("#ev-submit")
                s.wait(lambda: s.js("return document.getElementById('ev-title').value") == "", "the event saved")
            s.wait(lambda: s.js("const e = document.getElementById('meaning-state');"
                                "return e && +e.dataset.total >= 5 && e.dataset.read === e.dataset.total;"),
                   "the language model to have read the new entries", timeout=60)
            s.type("#ev-title", "My manager shouted at me in the team meeting")
            s.wait(lambda: s.find_all("#ev-suggestion") and "Professional Network" in s.text("#ev-suggestion"),
                   "a suggestion from the upset it resembles")
            assert "Upset" in s.text("#ev-suggestion") and "Negative" in s.text("#ev-suggestion"), s.text("#ev-suggestion")
            shot(s, "07c-event-form-suggestion")
            s.click("#ev-use-suggestion")
            s.wait(lambda: s.js("return document.getElementById('ev-area').value") == "professional-network",
                   "the suggestion applied to the form")
            assert s.js("return document.getElementById('ev-type').value") == "UPSET"
            s.wait(lambda: not s.find_all("#ev-suggestion"), "the suggestion gone once applied")

            step("insights: record one, apply it, turn it into a commitment")
            timings["insights"] = switch(s, "nav-insights", "page-insights")
            s.type("#in-title", "I do my best work when I say the hard thing early")
            s.type("#in-desc", "Every launch that went well started with an honest conversation in week one.")
            s.click("#in-submit")
            s.find(".insight-card .apply-btn")
            s.click("#find-patterns")
            s.wait(lambda: "patterns" in s.text(".toast"), "the pattern engine's report")
            shot(s, "08-insights")
            s.click(".insight-card .apply-btn")
            s.find("#commit-form")
            s.type("#cm-intention", "Honesty early saves pain late")
            s.select("#cm-area", "work")
            shot(s, "09-insight-to-commitment")
            s.click("#cm-submit")
            s.gone(".dialog")
            assert "Applied" in s.text(".insight-card")

            step("commitments page")
            timings["commitments"] = switch(s, "nav-commitments", "page-commitments")
            assert "I do my best work" in s.text("#page-commitments")
            shot(s, "10-commitments")

            step("today: what was written, the rhythm, on this day")
            timings["today"] = switch(s, "nav-today", "page-today")
            assert s.attr("#streak", "data-streak") == "1", s.text("#rhythm")
            assert "Shipped the first release" in s.text("#page-today")
            assert s.attr("#prompt", "data-prompt-id"), "a prompt for today"
            assert len(s.text("#prompt .prompt-text")) > 20, s.text("#prompt")
            shot(s, "10b-today")

            step("the year in pixels: today's square opens today's entries")
            timings["year"] = switch(s, "nav-year", "page-year")
            today = s.js("const d = new Date(); return d.getFullYear() + '-' +"
                         " String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');")
            assert "entries" in s.attr(f"#px-{today}", "title"), s.attr(f"#px-{today}", "title")
            s.click(f"#px-{today}")
            s.wait(lambda: s.find_all("#day-entries .event-card") and "Shipped the first release" in s.text("#day-entries"),
                   "today's entries under the calendar")
            shot(s, "10c-year-light")

            step("autobiography: an era and a story")
            timings["autobiography"] = switch(s, "nav-autobiography", "page-autobiography")
            s.click("#new-era")
            s.find("#era-name")
            s.key("Escape")
            s.gone(".dialog")
            s.click("#new-era")
            s.type("#era-name", "The phoenix years")
            s.type("#era-start", "2021")
            s.type("#era-desc", "Rebuilding after the burn-out, one honest step at a time.")
            s.click(".dialog button[type=submit]")
            s.gone(".dialog")
            s.click("#new-entry")
            s.type("#ae-year", "2024")
            s.type("#ae-title", "The launch")
            s.type("#ae-text", "We shipped. I slept for two days and then started again.")
            s.click(".dialog button[type=submit]")
            s.gone(".dialog")
            s.find(".story")
            shot(s, "11-autobiography")

            tray_scenario(s, h, shot)
            practice_scenario(s, h, shot)
            sync_scenario(s, shot, bin_dir)
            cli_beside_scenario(s, h, bin_dir, shot)
            file_chooser_scenario(s, h, shot, results)

            step("settings, dark theme")
            timings["settings"] = switch(s, "nav-settings", "page-settings")
            shot(s, "12-settings-light")
            step("settings: check journal")
            s.js("document.getElementById('check-journal').scrollIntoView()")
            s.click("#check-now")
            verdict = s.wait(lambda: s.js("const v = document.getElementById('check-verdict'); return v && v.textContent"),
                             "the check's verdict", timeout=60)
            assert "All checks passed" in verdict, verdict
            checks = s.js("return [...document.querySelectorAll('#check-journal li[data-check]')].map(l => l.dataset.check)")
            assert checks == ["cipher", "structure", "foreignKeys", "searchIndex"], checks
            shot(s, "12c-settings-check")
            s.click("#theme-dark")
            timings["dashboard"] = switch(s, "nav-dashboard", "page-dashboard")
            shot(s, "13-dashboard-dark-1280")
            s.set_size(1920, 1080)
            time.sleep(0.3)
            shot(s, "14-dashboard-dark-1920")
            s.set_size(1280, 800)
            switch(s, "nav-events", "page-events")
            shot(s, "15-events-dark")
            switch(s, "nav-insights", "page-insights")
            shot(s, "16-insights-dark")
            switch(s, "nav-year", "page-year")
            shot(s, "16b-year-dark")

            step("lock, a wrong passphrase is refused, unlock")
            s.click("#lock-btn")
            s.find("#unlock-form")
            s.type("#unlock-pass", "not my passphrase")
            s.click("#unlock-submit")
            err = s.wait(lambda: s.text("#unlock-pass-error"), "the wrong-passphrase message", timeout=30)
            assert "does not unlock" in err, err
            shot(s, "17-unlock-wrong-passphrase")
            s.type("#unlock-pass", "short but now long enough")
            s.click("#unlock-submit")
            # A journal with entries opens on Today.
            s.find("#page-today", timeout=60)
            switch(s, "nav-dashboard", "page-dashboard")
            assert area_score(s, "work") == after, "the event survived lock and unlock"

            recovery_scenario(s, shot, recovery_key, JOURNAL_PASS, NEW_JOURNAL_PASS)
            backup_folder_scenario(s, shot)
            restore_scenario(s, h, bin_dir)
            damaged_journal_scenario(s, h, shot)
            import_progress_scenario(s, h, shot)
            print("page switch times (ms):", json.dumps({k: round(v, 1) for k, v in timings.items()}), flush=True)
            with open(os.path.join(results, "timings.json"), "w") as f:
                json.dump(timings, f, indent=2)
            slow = {k: v for k, v in timings.items() if v > 1000}
            assert not slow, f"page switches far over budget: {slow}"
            quit_from_tray(h)
        except Exception:
            try:
                shot(s, "failure")
            except Exception:
                pass
            print(open(h.driver_log).read()[-3000:], file=sys.stderr)
            print("harness exits:", [p.poll() for p in h.procs], file=sys.stderr)
            os.system("ps -eo pid,rss,args | grep -i -E 'webkit|wisdom-desktop|Xvfb|tauri-driver' | grep -v grep >&2")
            raise
        finally:
            try:
                s.delete()
            except Exception:
                # The app may have quit already (from the tray).
                pass
        step("window geometry remembered")
        state = os.path.join(h.env["XDG_CONFIG_HOME"], "org.wisdomos.desktop", "window.json")
        s.wait(lambda: os.path.exists(state), "window.json", timeout=10)
    print("desktop e2e: ok", flush=True)


if __name__ == "__main__":
    main()
