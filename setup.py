"""Packaging beside pyproject.toml: the wheel's data files.

``assets/`` (fonts, sounds, forms, the sample catalogue and configuration) lives outside the
Python packages; a wheel installs the whole tree as data files under
``<prefix>/share/motcua/assets``, where ``shared.resources.asset`` finds it. The tree is listed
here at build time, so a new asset needs no edit. Everything else is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup


def asset_data_files() -> list[tuple[str, list[str]]]:
    folders: dict[str, list[str]] = {}
    for path in sorted(Path("assets").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.name.startswith("."):
            continue
        folders.setdefault(Path("share", "motcua", path.parent).as_posix(), []).append(
            path.as_posix()
        )
    return sorted(folders.items())


setup(data_files=asset_data_files())
