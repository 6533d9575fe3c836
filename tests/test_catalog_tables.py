"""The catalogue as an XLSX workbook and as a folder of CSV files: the same checks as the TOML
file, every mistake named by sheet, row and column, nothing imported unless all is right, and
an export that imports again without changing anything (in all three formats)."""

from __future__ import annotations

import csv
import json
import subprocess
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shared.catalog import export_catalog, import_catalog, load_catalog_file, show_catalog
from shared.catalog_tables import write_catalog, write_catalog_csv_folder, write_catalog_xlsx
from shared.db import Database
from shared.errors import CatalogError
from shared.resources import asset

SAMPLE = asset("catalog", "sample.toml")


def sample_data() -> dict:
    return tomllib.loads(SAMPLE.read_text(encoding="utf-8"))


def by_code(spec):  # procedures come back in code order from the database
    return replace(spec, procedures=sorted(spec.procedures, key=lambda p: p.code))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_sample_as_tables_reads_as_the_toml_file(tmp_path: Path, kind: str) -> None:
    if kind == "xlsx":
        path = write_catalog_xlsx(sample_data(), tmp_path / "danh-muc.xlsx")
    else:
        path = write_catalog_csv_folder(sample_data(), tmp_path / "danh-muc")
    assert load_catalog_file(path) == load_catalog_file(SAMPLE)


def edit_cell(path: Path, sheet: str, row: int, column: str, value: object) -> None:
    book = load_workbook(path)
    book[sheet][f"{column}{row}"] = value
    book.save(path)


def column_of(path: Path, sheet: str, name: str) -> str:
    header = [c.value for c in load_workbook(path)[sheet][1]]
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[header.index(name)]


@pytest.mark.parametrize(
    ("sheet", "row", "field", "value", "says"),
    [
        ("services", 3, "start", "hai nghìn", "whole number"),
        ("services", 4, "prefix", "abc", "0–2 capital letters"),
        ("counters", 5, "services", "HT; KHONGCO", "no such service"),
        ("counters", 5, "weights", "HT:3", "HT=3; DD=1"),
        ("procedures", 2, "sector", "XX", "no such sector"),
        ("procedures", 7, "processing_days", "ba ngày", "must be a number"),
        ("services", 2, "daily_reset", "có lẽ", "yes or no"),
    ],
)
def test_a_bad_cell_is_named_by_sheet_row_and_column(
    tmp_path: Path, sheet: str, row: int, field: str, value: str, says: str
) -> None:
    data = sample_data()
    data["services"][0]["daily_reset"] = True  # a column for the yes/no case
    path = write_catalog_xlsx(data, tmp_path / "danh-muc.xlsx")
    load_catalog_file(path)  # sound before the edit
    column = column_of(path, sheet, field)
    edit_cell(path, sheet, row, column, value)
    with pytest.raises(CatalogError) as error:
        load_catalog_file(path)
    english = error.value.message_in("en")
    assert f"sheet {sheet}, row {row}, column {column} (“{field}”)" in english, english
    assert says in english
    assert str(path) in error.value.message_in("vi") and "bảng" in error.value.message_in("vi")


def test_csv_mistakes_name_the_file_row_and_column(tmp_path: Path) -> None:
    folder = write_catalog_csv_folder(sample_data(), tmp_path / "danh-muc")
    services = folder / "services.csv"
    rows = list(csv.reader(services.read_text(encoding="utf-8-sig").splitlines()))
    column = rows[0].index("end")
    rows[2][column] = "1000"  # HT from 2001: its end before its start
    with services.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(CatalogError) as error:
        load_catalog_file(folder)
    english = error.value.message_in("en")
    letter = "ABCDEFGHIJ"[column]
    assert f"sheet services.csv, row 3, column {letter} (“end”)" in english, english


def test_unknown_sheets_columns_and_empty_folders_are_refused(tmp_path: Path) -> None:
    path = write_catalog_xlsx(sample_data(), tmp_path / "a.xlsx")
    book = load_workbook(path)
    book.create_sheet("ghi_chu")
    book.save(path)
    with pytest.raises(CatalogError, match="ghi_chu"):
        load_catalog_file(path)

    path = write_catalog_xlsx(sample_data(), tmp_path / "b.xlsx")
    book = load_workbook(path)
    book["sectors"]["D1"] = "mau_sac"
    book["sectors"]["D2"] = "xanh"
    book.save(path)
    with pytest.raises(CatalogError) as error:
        load_catalog_file(path)
    assert "sheet sectors, row 2, column D (“mau_sac”)" in error.value.message_in("en")

    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError, match="csv"):
        load_catalog_file(tmp_path / "empty")
    (tmp_path / "not.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CatalogError, match="not.xlsx"):
        load_catalog_file(tmp_path / "not.xlsx")


def test_a_bad_workbook_imports_nothing(db: Database, tmp_path: Path) -> None:
    import_catalog(db, load_catalog_file(SAMPLE))
    before = show_catalog(db)
    data = sample_data()
    data["services"][0]["name"] = "Đất đai (đổi tên)"
    data["counters"][0]["services"] = ["DD", "KHONGCO"]
    path = write_catalog_xlsx(data, tmp_path / "sai.xlsx")
    with pytest.raises(CatalogError):
        import_catalog(db, load_catalog_file(path))
    assert show_catalog(db) == before


@pytest.mark.parametrize("name", ["danh-muc.toml", "danh-muc.xlsx", "danh-muc-csv"])
def test_export_imports_again_without_changing_anything(
    db: Database, tmp_path: Path, name: str
) -> None:
    import_catalog(db, load_catalog_file(SAMPLE))
    path = write_catalog(export_catalog(db), tmp_path / name)
    assert by_code(load_catalog_file(path)) == by_code(load_catalog_file(SAMPLE))
    result = import_catalog(db, load_catalog_file(path))
    assert result.changed is False and result.revision == 1


def test_the_commands(motcua_bin: str, sqlite_url: str, tmp_path: Path) -> None:
    def motcua(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [motcua_bin, "--db", sqlite_url, *args], capture_output=True, text=True
        )

    assert motcua("db", "upgrade").returncode == 0
    path = write_catalog_xlsx(sample_data(), tmp_path / "danh-muc.xlsx")
    done = motcua("catalog", "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["services"] == 9
    exported = motcua("catalog", "export", str(tmp_path / "ra"), "--json")
    assert exported.returncode == 0, exported.stderr
    folder = Path(json.loads(exported.stdout)["written"])
    assert sorted(p.name for p in folder.iterdir()) == [
        "centre.csv",
        "counters.csv",
        "priority_groups.csv",
        "procedures.csv",
        "queue.csv",
        "sectors.csv",
        "services.csv",
    ]
    edit_cell(path, "counters", 2, column_of(path, "counters", "number"), "mười")
    refused = motcua("catalog", "import", str(path))
    assert refused.returncode == 3
    assert "bảng counters, dòng 2" in refused.stderr
