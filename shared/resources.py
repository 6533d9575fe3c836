"""The one resource helper: the same path works from source, from a wheel and from the bundle.

Where ``assets/`` is, first found wins:

* the bundle (PyInstaller, ``build_installer.spec``): ``<bundle>/_internal/assets`` — the folder
  PyInstaller unpacks to (``sys._MEIPASS``);
* the source tree (a checkout, or an editable install): ``assets/`` beside ``shared/``;
* an installed wheel: the wheel's data files, ``<prefix>/share/motcua/assets`` (``setup.py``
  ships the whole ``assets/`` tree there), for a virtual environment, a system or a ``--user``
  install.

Files inside the ``shared`` package (migrations and the like) are found beside the package's own
modules, which also holds in the bundle, where they are data files beside the frozen modules.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

ASSETS = "assets"
WHEEL_ASSETS = Path("share", "motcua", "assets")
"""Where a wheel's data files put ``assets/``, relative to the installation prefix."""


def frozen() -> bool:
    """True when running from the bundle built by ``build_installer.spec``."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def project_root() -> Path:
    """Folder holding ``assets/``: the bundle's folder when frozen, else the source tree."""
    if frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent


def _wheel_prefixes() -> list[Path]:
    prefixes = [Path(sys.prefix), Path(sysconfig.get_path("data"))]
    user_base = getattr(site, "USER_BASE", None)
    if user_base:
        prefixes.append(Path(user_base))
    prefixes.append(Path(sys.base_prefix))
    unique: list[Path] = []
    for prefix in prefixes:
        if prefix not in unique:
            unique.append(prefix)
    return unique


def asset_dirs() -> list[Path]:
    """The candidate ``assets/`` folders, in the order they are searched."""
    candidates = [project_root() / ASSETS]
    if not frozen():
        candidates += [prefix / WHEEL_ASSETS for prefix in _wheel_prefixes()]
    return candidates


def assets_dir() -> Path:
    """The ``assets/`` folder in use (the first candidate that exists)."""
    for candidate in asset_dirs():
        if candidate.is_dir():
            return candidate
    return project_root() / ASSETS


def asset(*parts: str) -> Path:
    """Path of a file under ``assets/``, e.g. ``asset("catalog", "sample.toml")``.

    The first candidate folder holding the file wins; when none does, the path in the folder in
    use is returned (so the caller's "file not found" message names a sensible place).
    """
    for base in asset_dirs():
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return assets_dir().joinpath(*parts)


def package_file(*parts: str) -> Path:
    """Path of a file shipped inside the ``shared`` package (migrations and the like)."""
    return Path(__file__).resolve().parent.joinpath(*parts)
