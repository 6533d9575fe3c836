"""The catalogue as tables: an XLSX workbook, or a folder of CSV files, for centres that keep
their catalogue in a spreadsheet.

One sheet (or one ``NAME.csv`` file) per table of the TOML format, named like it: ``centre`` and
``queue`` (one row), ``priority_groups``, ``sectors``, ``services``, ``procedures``,
``counters``. The first row holds the field names of the TOML format (``code``, ``name``,
``name_en``, …); each following row is one entry; an empty cell is a field left out. Lists are
written in one cell:

* a counter's ``services``: ``HT; DD`` (in the order the counter serves them);
* a counter's ``weights``: ``HT=3; DD=1``;
* a procedure's ``documents``: one per line or separated by ``;``, each a name, optionally
  followed by ``[originals, certified copies, copies]``: ``Giấy chứng sinh [1, 0, 0]``
  (a bare name is one original);
* ``daily_reset``: ``có``/``không`` or ``yes``/``no`` (also ``true``/``false``, ``1``/``0``).

The tables go through exactly the checks of the TOML file (:class:`shared.catalog._Parser`), so
the rules are one; a mistake names the file, the sheet, the row and the column. Nothing is
imported unless everything is right.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from shared.catalog import FORMAT_VERSION, CatalogSpec, _Parser
from shared.errors import CatalogError
from shared.i18n import nfc

TABLES = ("centre", "queue", "priority_groups", "sectors", "services", "procedures", "counters")
SINGLE = ("centre", "queue")
"""Tables of one row (a TOML ``[table]``, the others are ``[[tables]]``)."""

INTEGERS = {"start", "end", "digits", "number", "fee", "priority_every"}
DECIMALS = {"processing_days", "processing_hours"}
BOOLEANS = {"daily_reset"}
TRUE_WORDS = {"có", "co", "yes", "true", "1", "x"}
FALSE_WORDS = {"không", "khong", "no", "false", "0"}
_DOC_COUNTS = re.compile(r"^(?P<name>.*?)\s*\[\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\]$")


def _column_name(index: int) -> str:
    """1 → A, 27 → AA (as a spreadsheet shows it)."""
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class _CellLocator:
    """Where each field of each entry came from, for messages naming sheet, row and column."""

    def __init__(self, source: str, suffix: str = "") -> None:
        self.source = source
        self.suffix = suffix
        """Added to a table's name to name its sheet (".csv": the file in the folder)."""
        self.rows: dict[tuple[str, int | None], tuple[str, int]] = {}
        self.columns: dict[tuple[str, str], int] = {}

    def error(self, table: str | None, index: int | None, key: str | None, detail: str) -> None:
        if table is None:
            raise CatalogError("error.catalog_file", file=self.source, detail=f"{key}: {detail}")
        sheet, row = self.rows.get((table, index), (table + self.suffix, 1))
        column = self.columns.get((table, key or ""))
        raise CatalogError(
            "error.catalog_cell",
            file=self.source,
            sheet=sheet,
            row=row,
            column=_column_name(column) if column else "–",
            field=key or table,
            detail=detail,
        )


class _BadCell(Exception):
    """A cell that cannot be the value its column needs (the message says why)."""


def _fail(detail: str) -> Any:
    raise _BadCell(detail)


def _cell_value(table: str, key: str, value: Any) -> Any:
    """A cell as the TOML format's value of ``key``; :class:`_BadCell` for one that cannot be."""
    if isinstance(value, str):
        value = nfc(value.strip())
        if value == "":
            return None
    if key in INTEGERS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.replace(" ", "")):
            return int(value.replace(" ", ""))
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        _fail(f"cần một số nguyên / must be a whole number, got {value!r}")
    if key in DECIMALS:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return float(value.replace(",", "."))
            except ValueError:
                pass
        _fail(f"cần một số / must be a number, got {value!r}")
    if key in BOOLEANS:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        _fail(f"ghi “có” hoặc “không” / write yes or no, got {value!r}")
    if table == "counters" and key == "services":
        return [part.strip() for part in str(value).split(";") if part.strip()]
    if table == "counters" and key == "weights":
        weights: dict[str, Any] = {}
        for part in str(value).split(";"):
            if not part.strip():
                continue
            code, sep, weight = part.partition("=")
            if not sep or not weight.strip().isdigit():
                _fail(f"ghi dạng HT=3; DD=1 / write it as HT=3; DD=1, got {part.strip()!r}")
            weights[code.strip()] = int(weight)
        return weights
    if table == "procedures" and key == "documents":
        documents: list[Any] = []
        for part in re.split(r"[;\n]", str(value)):
            text = part.strip()
            if not text:
                continue
            counts = _DOC_COUNTS.match(text)
            if counts is None:
                documents.append(text)
            else:
                original, certified, copy = (int(counts.group(i)) for i in (2, 3, 4))
                documents.append(
                    {
                        "name": counts.group("name"),
                        "original": original,
                        "certified_copy": certified,
                        "copy": copy,
                    }
                )
        return documents
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A code or a name typed as a number in a spreadsheet: keep its text.
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _tables_to_data(sheets: dict[str, list[list[Any]]], locator: _CellLocator) -> dict[str, Any]:
    """Sheets (name → rows of cells, the first row the field names) as the TOML data."""
    unknown = sorted(set(sheets) - set(TABLES))
    if unknown:
        raise CatalogError(
            "error.catalog_file",
            file=locator.source,
            detail=f"bảng lạ / unknown table {unknown} (known: {', '.join(TABLES)})",
        )
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    for table in TABLES:
        rows = sheets.get(table)
        if rows is None:
            continue
        header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        for column, name in enumerate(header, start=1):
            if name:
                locator.columns[(table, name)] = column
        entries: list[dict[str, Any]] = []
        for row_number, cells in enumerate(rows[1:], start=2):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            index = None if table in SINGLE else len(entries)
            locator.rows[(table, index)] = (table + locator.suffix, row_number)
            entry: dict[str, Any] = {}
            for column, (name, value) in enumerate(zip(header, cells, strict=False), start=1):
                if value is None:
                    continue
                if not name:
                    if isinstance(value, str) and not value.strip():
                        continue
                    locator.error(table, index, None, f"cột {_column_name(column)} không có tên")
                try:
                    converted = _cell_value(table, name, value)
                except _BadCell as bad:
                    locator.error(table, index, name, str(bad))
                if converted is not None:
                    entry[name] = converted
            entries.append(entry)
        if table in SINGLE:
            if len(entries) > 1:
                locator.rows[(table, None)] = (table + locator.suffix, 3)
                locator.error(table, None, None, "chỉ một dòng / only one row")
            data[table] = entries[0] if entries else {}
        else:
            data[table] = entries
    return data


def load_catalog_xlsx(path: Path) -> CatalogSpec:
    """Read and check a catalogue workbook (one sheet per table)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise CatalogError(
            "error.catalog_unreadable", file=str(path), detail=exc.strerror or str(exc)
        ) from None
    except (InvalidFileException, BadZipFile, KeyError, ValueError):
        raise CatalogError(
            "error.catalog_unreadable",
            file=str(path),
            detail="không phải bảng tính Excel (.xlsx) / not an Excel workbook (.xlsx)",
        ) from None
    try:
        sheets = {
            sheet.title.strip(): [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    finally:
        book.close()
    locator = _CellLocator(str(path))
    return _Parser(locator).parse(_tables_to_data(sheets, locator))  # type: ignore[arg-type]


def load_catalog_csv_folder(folder: Path) -> CatalogSpec:
    """Read and check a folder of ``TABLE.csv`` files (UTF-8, with or without a BOM)."""
    sheets: dict[str, list[list[Any]]] = {}
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise CatalogError(
            "error.catalog_unreadable",
            file=str(folder),
            detail="không có tệp .csv nào / no .csv file in this folder",
        )
    for file in files:
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CatalogError(
                "error.catalog_unreadable", file=str(file), detail=exc.strerror or str(exc)
            ) from None
        except UnicodeDecodeError as exc:
            raise CatalogError(
                "error.catalog_file",
                file=str(file),
                detail=f"không phải UTF-8 (byte {exc.start}) / not UTF-8 text; save it as UTF-8",
            ) from None
        sheets[file.stem] = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    locator = _CellLocator(str(folder), ".csv")
    return _Parser(locator).parse(_tables_to_data(sheets, locator))  # type: ignore[arg-type]


# --- writing -------------------------------------------------------------------------------------


def _cell_text(table: str, key: str, value: Any) -> Any:
    """A TOML value as its cell (the reverse of :func:`_cell_value`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "có" if value else "không"
    if table == "counters" and key == "services":
        return "; ".join(value)
    if table == "counters" and key == "weights":
        return "; ".join(f"{code}={weight}" for code, weight in value.items())
    if table == "procedures" and key == "documents":
        lines = []
        for doc in value:
            if isinstance(doc, str):
                lines.append(doc)
            else:
                counts = [doc.get(k, 0) for k in ("original", "certified_copy", "copy")]
                lines.append(f"{doc['name']} [{', '.join(str(c) for c in counts)}]")
        return "\n".join(lines)
    return value


def tables_from_data(data: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The TOML data of a catalogue as sheets: name → rows, the field names first."""
    sheets: dict[str, list[list[Any]]] = {}
    for table in TABLES:
        if table not in data:
            continue
        entries = [data[table]] if table in SINGLE else list(data[table])
        header: list[str] = []
        for entry in entries:
            header += [key for key in entry if key not in header]
        rows = [[_cell_text(table, key, entry.get(key)) for key in header] for entry in entries]
        sheets[table] = [header, *rows]
    return sheets


def write_catalog_xlsx(data: dict[str, Any], path: Path) -> Path:
    """The catalogue's TOML data as a workbook, one sheet per table, the header row bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for name, rows in tables_from_data(data).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_catalog_csv_folder(data: dict[str, Any], folder: Path) -> Path:
    """The catalogue's TOML data as ``TABLE.csv`` files (UTF-8 with a BOM, for Excel)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables_from_data(data).items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(
                [["" if value is None else value for value in row] for row in rows]
            )
    return folder


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(f"no TOML form for {value!r}")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def catalog_toml(data: dict[str, Any]) -> str:
    """The catalogue's data as the text of a catalogue file (``docs/catalog.md``)."""
    lines = [f"format = {data.get('format', FORMAT_VERSION)}"]
    for table in TABLES:
        if table not in data:
            continue
        entries = [data[table]] if table in SINGLE else data[table]
        for entry in entries:
            lines += ["", f"[{table}]" if table in SINGLE else f"[[{table}]]"]
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def write_catalog(data: dict[str, Any], path: Path) -> Path:
    """Write the catalogue's data as ``path`` says: ``.toml``, ``.xlsx``, or else a folder of
    CSV files. A file is written whole or not at all."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".xlsx"):
        return write_catalog_csv_folder(data, path)
    partial = path.with_name(f".{path.name}.partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if suffix == ".toml":
            partial.write_text(catalog_toml(data), encoding="utf-8")
        else:
            write_catalog_xlsx(data, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path
