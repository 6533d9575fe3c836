"""Printing: layouts drawn with Pillow at the printer's dot width, then sent as raster images.

Cheap thermal printers cannot print Vietnamese tone marks from their code pages, so every
ticket, dossier slip and test page is drawn here as a 1-bit image with the shipped Noto Sans
fonts (:mod:`shared.printing.layout`, :mod:`~shared.printing.ticket`,
:mod:`~shared.printing.slip`, :mod:`~shared.printing.testpage`) and only then turned into
printer commands. The layouts are Qt-free and never touch a printer.
"""
