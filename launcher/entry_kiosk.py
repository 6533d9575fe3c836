"""The bundled ``motcua-kiosk`` program (windowed: no console on Windows).

Same options as ``motcua kiosk``: ``--db``, ``--config``, ``--centre``, ``--lang``, ``--smoke``,
``--screenshot``, ``--windowed``, ``--size``, ``--tile`` (parsed by the launcher's fast path).
"""

from launcher import kiosk_gui

if __name__ == "__main__":
    kiosk_gui()
