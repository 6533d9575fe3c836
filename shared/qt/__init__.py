"""Qt helpers shared by the apps: the single part of ``shared`` allowed to import PySide6."""
