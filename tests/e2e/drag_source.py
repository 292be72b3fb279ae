"""A file to drag, as a file manager offers one: a small GTK window whose button is a drag source
for one file (text/uri-list). desktop_e2e.py presses the pointer on it and moves it onto the app
with xdotool, so the drop travels the X server's drag-and-drop protocol (XDND) like a person's.
Runs under the system's Python (GTK's introspection bindings, python3-gi); exits after the drag."""

import os
import pathlib
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402


def main():
    path = pathlib.Path(sys.argv[1]).resolve()
    window = Gtk.Window(title="e2e drag source")
    window.set_default_size(220, 90)
    button = Gtk.Button(label=os.path.basename(path))
    button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    button.drag_source_add_uri_targets()
    button.connect("drag-data-get", lambda _w, _c, data, _i, _t: data.set_uris([path.as_uri()]))
    button.connect("drag-end", lambda *_: GLib.timeout_add(500, Gtk.main_quit))
    window.add(button)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    GLib.timeout_add_seconds(60, Gtk.main_quit)  # never outlive the test
    Gtk.main()


if __name__ == "__main__":
    main()
