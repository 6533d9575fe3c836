"""MotCua Queue core: settings, data model, queue engine, dossiers, catalogue, reports.

This package is Qt-free (an import-linter contract in ``pyproject.toml`` enforces it), so every
use case runs headless: from the apps, from the ``motcua`` command (``cli``) and from the tests.
"""

__version__ = "0.1.0"
