"""The bundled ``motcua-display`` program (windowed: no console on Windows).

Same options as ``motcua display``: ``--db``, ``--config``, ``--smoke``, ``--screenshot``,
``--windowed``, ``--size``, ``--lang``.
"""

from launcher import display_gui

if __name__ == "__main__":
    display_gui()
