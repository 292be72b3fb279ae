#!/usr/bin/env python3
"""A desktop's tray, as far as the app can tell: the StatusNotifier watcher and host a panel runs
on the session bus (org.kde.StatusNotifierWatcher), so the app shows its tray icon under Xvfb,
and a way to open the icon's menu and click an entry (com.canonical.dbusmenu), as a person does
on a panel. Items register with the watcher; the panel reads them from there.

usage: tray_host.py serve          run the watcher (a registered host) until killed
       tray_host.py menu           print the registered items' menus as JSON
       tray_host.py click LABEL    click the menu entry with that label"""

import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_XML = f"""
<node>
  <interface name="{WATCHER}">
    <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
</node>"""


def bus():
    return Gio.bus_get_sync(Gio.BusType.SESSION, None)


def serve():
    items = []  # "bus_name/object/path", in the order registered

    def on_call(conn, sender, path, iface, method, params, invocation):
        if method == "RegisterStatusNotifierItem":
            service = params.unpack()[0]
            # An item names itself by object path (appindicator) or by bus name (KDE's own).
            item = sender + service if service.startswith("/") else service + "/StatusNotifierItem"
            if item not in items:
                items.append(item)
                conn.emit_signal(None, "/StatusNotifierWatcher", WATCHER, "StatusNotifierItemRegistered",
                                 GLib.Variant("(s)", (item,)))
            print(f"item registered: {item}", flush=True)
        invocation.return_value(None)

    def on_get(conn, sender, path, iface, prop):
        return {
            "RegisteredStatusNotifierItems": GLib.Variant("as", items),
            "IsStatusNotifierHostRegistered": GLib.Variant("b", True),
            "ProtocolVersion": GLib.Variant("i", 0),
        }[prop]

    def on_name_lost(conn, name):
        # An item whose program quit leaves the list.
        for item in [i for i in items if i.startswith(name + "/")]:
            items.remove(item)
            print(f"item gone: {item}", flush=True)

    node = Gio.DBusNodeInfo.new_for_xml(WATCHER_XML)
    conn = bus()
    conn.register_object("/StatusNotifierWatcher", node.interfaces[0], on_call, on_get, None)
    conn.signal_subscribe("org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged", None, None,
                          Gio.DBusSignalFlags.NONE,
                          lambda c, s, p, i, sig, params: params[2] == "" and on_name_lost(c, params[0]))
    Gio.bus_own_name_on_connection(conn, WATCHER, Gio.BusNameOwnerFlags.NONE, None, None)
    print("tray host ready", flush=True)
    GLib.MainLoop().run()


def call(conn, name, path, iface, method, args, reply):
    return conn.call_sync(name, path, iface, method, args, GLib.VariantType(reply) if reply else None,
                          Gio.DBusCallFlags.NONE, 5000, None).unpack()


def items(conn):
    props = call(conn, WATCHER, "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties", "Get",
                 GLib.Variant("(ss)", (WATCHER, "RegisteredStatusNotifierItems")), "(v)")[0]
    for item in props:
        name, _, path = item.partition("/")
        yield name, "/" + path


def menus():
    """Each registered item's id, title and menu entries ({id, label, enabled})."""
    conn = bus()
    out = []
    for name, path in items(conn):
        get = lambda prop: call(conn, name, path, "org.freedesktop.DBus.Properties", "Get",  # noqa: E731
                                GLib.Variant("(ss)", ("org.kde.StatusNotifierItem", prop)), "(v)")[0]
        try:
            menu, item_id, title = get("Menu"), get("Id"), get("Title")
            _, layout = call(conn, name, menu, "com.canonical.dbusmenu", "GetLayout",
                             GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))")
        except GLib.Error:
            # Its owner left the bus before the watcher dropped it: a panel shows it no more.
            continue
        entries = []
        for child in layout[2]:
            cid, props, _ = child
            if props.get("type") == "separator":
                continue
            entries.append({"id": cid, "label": props.get("label", "").replace("_", ""),
                            "enabled": props.get("enabled", True)})
        out.append({"bus": name, "menu": menu, "id": item_id, "title": title, "entries": entries})
    return out


def click(label):
    conn = bus()
    for item in menus():
        for entry in item["entries"]:
            if entry["label"] == label:
                call(conn, item["bus"], item["menu"], "com.canonical.dbusmenu", "Event",
                     GLib.Variant("(isvu)", (entry["id"], "clicked", GLib.Variant("s", ""), 0)), None)
                return
    sys.exit(f"no tray menu entry {label!r} in {json.dumps(menus())}")


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    elif sys.argv[1:] == ["menu"]:
        print(json.dumps(menus()))
    elif len(sys.argv) == 3 and sys.argv[1] == "click":
        click(sys.argv[2])
    else:
        sys.exit(__doc__)
