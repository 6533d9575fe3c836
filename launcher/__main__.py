"""``python -m launcher`` is the ``motcua`` command (used to start the apps as processes)."""

from launcher import run

run()
