"""A picture on the clipboard, as an image viewer's "Copy" puts one there: GTK owns the X
CLIPBOARD selection with the picture at argv[1] as an image for a minute at most; desktop_e2e.py
presses Ctrl+V in the app with xdotool meanwhile, so the paste travels the X server's selection
protocol like a person's. Runs under the system's Python (python3-gi)."""

import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GdkPixbuf, GLib, Gtk  # noqa: E402


def main():
    clipboard = Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD)
    clipboard.set_image(GdkPixbuf.Pixbuf.new_from_file(sys.argv[1]))
    print("on the clipboard", flush=True)
    GLib.timeout_add_seconds(60, Gtk.main_quit)  # never outlive the test
    Gtk.main()


if __name__ == "__main__":
    main()
