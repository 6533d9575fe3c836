"""``python -m cli``: the ``motcua`` command without the apps' commands."""

from cli.commands import run

run()
