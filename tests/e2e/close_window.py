#!/usr/bin/env python3
"""Asks an X window to close as a window manager does when its close button is clicked: the
WM_DELETE_WINDOW client message (there is no window manager under Xvfb, and xdotool can only
destroy a window or kill its client).

usage: close_window.py WINDOW_ID"""

import os
import sys

from Xlib import X, display
from Xlib.protocol import event

d = display.Display(os.environ["DISPLAY"])
window = d.create_resource_object("window", int(sys.argv[1]))
protocols, delete = d.intern_atom("WM_PROTOCOLS"), d.intern_atom("WM_DELETE_WINDOW")
window.send_event(event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])),
                  event_mask=X.NoEventMask)
d.flush()
