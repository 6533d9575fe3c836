"""Logging set-up: one rotating file per machine user, loggers named per area (motcua.db, …).

Log records carry ids, numbers and codes, never a citizen's name, phone, address or ID number.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "motcua.log"


def configure(directory: Path, level: str = "INFO") -> Path | None:
    """Send ``motcua.*`` records to ``directory/motcua.log``; the path, or None if unusable."""
    root = logging.getLogger("motcua")
    root.setLevel(level)
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / LOG_FILE
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    )
    root.addHandler(handler)
    return path
