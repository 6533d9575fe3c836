"""The bundled ``motcua-kiosk`` program (windowed: no console on Windows).

Same options as ``motcua kiosk``: ``--db``, ``--config``, ``--smoke``, ``--screenshot``,
``--windowed``, ``--size``, ``--lang``.
"""

from launcher import kiosk_gui

if __name__ == "__main__":
    kiosk_gui()
