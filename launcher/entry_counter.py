"""The bundled ``motcua-counter`` program (windowed: no console on Windows).

Same options as ``motcua counter``: ``--db``, ``--config``, ``--smoke``, ``--screenshot``,
``--windowed``, ``--size``, ``--lang``.
"""

from launcher import counter_gui

if __name__ == "__main__":
    counter_gui()
