"""The ``motcua`` command: the core, headless, for technicians, scripts and tests.

:mod:`cli.core` is the plumbing every command group builds on (global options, the context a
command runs in, exit codes and messages); each command group is its own module with a
``register`` function, and :mod:`cli.commands` registers them all in one place. The core
package ``shared`` never imports this package; the ``launcher`` adds the apps' commands.
This file imports nothing, so that the kiosk's quick start can use :mod:`cli.core` alone.
"""
