"""nwio.py -- the one file operation the tangler and the weaver share."""

import os


def write_if_changed(path, text):
    """cpif: leave the file (and its time) alone if it holds exactly text,
    so that make rebuilds only what a change to the book really touched."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
