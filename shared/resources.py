"""The one resource helper: the same path works from source, from a wheel and from the bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def project_root() -> Path:
    """Folder holding ``assets/``: the bundle's folder when frozen, else the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def asset(*parts: str) -> Path:
    """Path of a file under ``assets/``, e.g. ``asset("catalog", "sample.toml")``."""
    for base in (project_root() / "assets", Path(sys.prefix) / "share" / "motcua" / "assets"):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return project_root().joinpath("assets", *parts)


def package_file(*parts: str) -> Path:
    """Path of a file shipped inside the ``shared`` package (migrations and the like)."""
    return Path(__file__).resolve().parent.joinpath(*parts)
