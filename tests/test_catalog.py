"""Importing a centre's catalogue, on SQLite and on PostgreSQL.

What a manager relies on: importing the same file twice changes nothing; entries dropped from the
file are deactivated, not deleted; a procedure gets a new version when its deadline changes; an
import is all or nothing; text is stored NFC-normalised; and two imports racing each other leave
exactly one of the two files in the database, never a mix.
"""

from __future__ import annotations

import multiprocessing
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from shared.catalog import import_catalog, load_catalog_file, show_catalog
from shared.db import Database
from shared.errors import CatalogError, ServiceInactive
from shared.models import Centre, Procedure, Sector, Service
from shared.queue import QueueEngine
from tests.helpers.catalogs import small_catalog

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "assets/catalog/sample.toml"

CT_SERVICE = """[[services]]
code = "CT"
name = "Chứng thực"
sector = "TP"
prefix = "A"

"""
XN_SERVICE = """[[services]]
code = "XN"
name = "Xác nhận"
prefix = "X"

"""
BIRTH_DAYS = 'service = "HT"\nprocessing_days = 0\n'
BIRTH_NAME = 'name = "Đăng ký khai sinh"'
NEW_PROCEDURE = """
[[procedures]]
code = "9.999999"
name = "Thủ tục thử nghiệm"
sector = "DD"
service = "DD"
processing_days = 5
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def imported(db: Database, path: Path) -> Any:
    return import_catalog(db, load_catalog_file(path))


@pytest.fixture
def small_text(tmp_path: Path) -> str:
    return small_catalog(tmp_path).read_text(encoding="utf-8")


def procedure(db: Database, code: str) -> dict[str, Any]:
    return next(p for p in show_catalog(db)["procedures"] if p["code"] == code)


# --- idempotence and deactivation ------------------------------------------------------------


def test_importing_the_sample_twice_changes_nothing(db: Database) -> None:
    """The second import of the same file reports no change and keeps the revision."""
    first = imported(db, SAMPLE)
    assert first.changed is True
    assert first.revision == 1
    shown = show_catalog(db)

    second = imported(db, SAMPLE)
    assert second.changed is False
    assert second.revision == first.revision
    assert show_catalog(db) == shown
    assert len(shown["procedures"]) == second.procedures >= 30


def test_removed_service_is_deactivated_not_deleted(
    db: Database, tmp_path: Path, small_text: str
) -> None:
    """A service no longer in the file stays in the database, inactive and hidden."""
    full = write(tmp_path / "full.toml", small_text)
    imported(db, full)
    QueueEngine(db).issue("CT")  # history that must keep pointing at the service

    assert CT_SERVICE in small_text
    without = small_text.replace(CT_SERVICE, "").replace('"HT", "DD", "CT", "SMALL"', '"HT", "DD"')
    result = imported(db, write(tmp_path / "without-ct.toml", without))
    assert result.changed is True

    shown = show_catalog(db)
    assert "CT" not in {s["code"] for s in shown["services"]}
    assert all("CT" not in c["services"] for c in shown["counters"])
    with db.transaction(readonly=True) as s:
        row = s.scalar(select(Service).where(Service.code == "CT"))
        assert row is not None and row.active is False
    with pytest.raises(ServiceInactive):
        QueueEngine(db).issue("CT")

    # Putting it back in the file reactivates the same row.
    again = imported(db, full)
    assert again.changed is True
    assert "CT" in {s["code"] for s in show_catalog(db)["services"]}
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(Service.id).where(Service.code == "CT")) == row.id


def test_processing_time_change_bumps_the_procedure_version(
    db: Database, tmp_path: Path, small_text: str
) -> None:
    """A new deadline is a new procedure version; a new name alone is not."""
    imported(db, write(tmp_path / "v1.toml", small_text))
    assert procedure(db, "1.001193")["version"] == 1

    assert BIRTH_DAYS in small_text
    longer = small_text.replace(BIRTH_DAYS, 'service = "HT"\nprocessing_days = 3\n')
    result = imported(db, write(tmp_path / "v2.toml", longer))
    assert result.changed is True
    birth = procedure(db, "1.001193")
    assert (birth["version"], birth["processing_days"]) == (2, 3)

    renamed = longer.replace(BIRTH_NAME, 'name = "Đăng ký khai sinh (có yếu tố nước ngoài)"')
    result = imported(db, write(tmp_path / "v3.toml", renamed))
    assert result.changed is True
    birth = procedure(db, "1.001193")
    assert birth["version"] == 2
    assert birth["name"] == "Đăng ký khai sinh (có yếu tố nước ngoài)"

    assert imported(db, write(tmp_path / "v4.toml", renamed)).changed is False
    assert procedure(db, "1.001193")["version"] == 2


def test_fractional_processing_time_is_stable_across_imports(
    db: Database, tmp_path: Path, small_text: str
) -> None:
    """A quarter working day imports once; re-importing it changes nothing. Finer fractions,
    which the database would round differently on each backend, are refused up front."""
    quarter = small_text.replace(BIRTH_DAYS, 'service = "HT"\nprocessing_days = 0.25\n')
    path = write(tmp_path / "fraction.toml", quarter)
    first = imported(db, path)
    second = imported(db, path)
    assert second.changed is False, "the same file must not bump the catalogue revision"
    assert second.revision == first.revision
    assert procedure(db, "1.001193")["version"] == 1
    assert procedure(db, "1.001193")["processing_days"] == 0.25

    eighth = small_text.replace(BIRTH_DAYS, 'service = "HT"\nprocessing_days = 0.125\n')
    with pytest.raises(CatalogError) as caught:
        imported(db, write(tmp_path / "eighth.toml", eighth))
    assert "processing_days" in caught.value.message


# --- all or nothing --------------------------------------------------------------------------


def test_file_failing_validation_changes_nothing(
    db: Database, tmp_path: Path, small_text: str
) -> None:
    """Good changes early in a file are not written when a later entry is wrong."""
    imported(db, write(tmp_path / "good.toml", small_text))
    before = show_catalog(db)

    broken = (
        small_text.replace("Trung tâm Phục vụ hành chính công thử nghiệm", "Tên mới của trung tâm")
        .replace(BIRTH_DAYS, 'service = "HT"\nprocessing_days = 7\n')
        .replace('services = ["DD"]', 'services = ["DD", "NOPE"]')
    )
    path = write(tmp_path / "broken.toml", broken)
    with pytest.raises(CatalogError) as caught:
        imported(db, path)
    assert str(path) in caught.value.message
    assert "counters[5].services" in caught.value.message
    assert show_catalog(db) == before


def _install_failing_trigger(db: Database) -> None:
    """Make the database itself refuse the procedure 9.999999, in the middle of the import."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(
                "CREATE TRIGGER test_refuse BEFORE INSERT ON procedures "
                "WHEN NEW.code = '9.999999' BEGIN SELECT RAISE(ABORT, 'test_refuse'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.code = '9.999999' THEN RAISE EXCEPTION 'test_refuse'; END IF; "
                "RETURN NEW; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER test_refuse BEFORE INSERT ON procedures "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
            )


def _drop_failing_trigger(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TRIGGER test_refuse" + ("" if db.is_sqlite else " ON procedures")
        )


def test_failure_while_writing_changes_nothing(
    db: Database, tmp_path: Path, small_text: str
) -> None:
    """When the database fails half-way through the write, the whole import is rolled back."""
    imported(db, write(tmp_path / "good.toml", small_text))
    before = show_catalog(db)

    changed = (
        small_text.replace("Trung tâm Phục vụ hành chính công thử nghiệm", "Tên mới của trung tâm")
        .replace(CT_SERVICE, CT_SERVICE + XN_SERVICE)
        .replace(BIRTH_DAYS, 'service = "HT"\nprocessing_days = 7\n')
        + NEW_PROCEDURE
    )
    path = write(tmp_path / "changed.toml", changed)
    _install_failing_trigger(db)
    with pytest.raises(sa_exc.DBAPIError, match="test_refuse"):
        imported(db, path)

    assert show_catalog(db) == before
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(Service.id).where(Service.code == "XN")) is None
        assert s.scalar(select(Centre.name)) == "Trung tâm Phục vụ hành chính công thử nghiệm"

    _drop_failing_trigger(db)
    result = imported(db, path)  # the file itself was fine
    assert result.changed is True
    assert show_catalog(db)["centre"]["name"] == "Tên mới của trung tâm"


# --- text ------------------------------------------------------------------------------------


def test_text_is_stored_nfc_normalised(db: Database, tmp_path: Path, small_text: str) -> None:
    """Vietnamese typed in decomposed form (NFD) is stored composed (NFC)."""
    nfd = unicodedata.normalize("NFD", "Hộ tịch")
    assert nfd != "Hộ tịch"
    decomposed = small_text.replace('name = "Hộ tịch"', f'name = "{nfd}"').replace(
        BIRTH_NAME, f'name = "{unicodedata.normalize("NFD", "Đăng ký khai sinh")}"'
    )
    assert nfd in decomposed
    path = write(tmp_path / "nfd.toml", decomposed)
    imported(db, path)

    with db.transaction(readonly=True) as s:
        stored = s.scalar(select(Service.name).where(Service.code == "HT"))
        birth = s.scalar(select(Procedure.name).where(Procedure.code == "1.001193"))
        sector = s.scalar(select(Sector.name).where(Sector.code == "TP"))
    assert stored == "Hộ tịch" == unicodedata.normalize("NFC", stored)
    assert birth == "Đăng ký khai sinh"
    assert sector == "Tư pháp"

    # The NFC file and the NFD file are the same catalogue.
    assert imported(db, write(tmp_path / "nfc.toml", small_text)).changed is False
    assert imported(db, path).changed is False


# --- concurrent imports ----------------------------------------------------------------------


def _variant_b(text: str) -> str:
    """A different valid catalogue of the same centre: renamed, one service swapped, new counter
    assignments and a different deadline."""
    return (
        text.replace("Trung tâm Phục vụ hành chính công thử nghiệm", "Trung tâm phương án B")
        .replace('name = "Hộ tịch"', 'name = "Hộ tịch (B)"')
        .replace(CT_SERVICE, XN_SERVICE)
        .replace('"HT", "DD", "CT", "SMALL"', '"XN", "SMALL", "HT"')
        .replace('services = ["DD"]', 'services = ["DD", "HT"]')
        .replace(BIRTH_DAYS, 'service = "HT"\nprocessing_days = 2\n')
    )


def _import_repeatedly(url: str, path: str, times: int, barrier: Any, results: Any) -> None:
    """Child process: import ``path`` ``times`` times, starting together with the other child."""
    db = Database(url)
    try:
        spec = load_catalog_file(path)
        barrier.wait(timeout=60)
        for _ in range(times):
            import_catalog(db, spec)
        results.put((path, "ok"))
    except BaseException as exc:  # report any failure to the parent test
        results.put((path, f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def _comparable(catalogue: dict[str, Any]) -> dict[str, Any]:
    """The catalogue without the history-dependent counters (revision, procedure versions)."""
    out = dict(catalogue)
    out["centre"] = {k: v for k, v in catalogue["centre"].items() if k != "revision"}
    out["procedures"] = [
        {k: v for k, v in p.items() if k != "version"} for p in catalogue["procedures"]
    ]
    return out


@pytest.mark.slow
def test_concurrent_imports_leave_exactly_one_file(
    db: Database, db_url: str, tmp_path: Path, small_text: str
) -> None:
    """Two processes importing different files 5 times each never leave a mix of the two."""
    a = write(tmp_path / "a.toml", small_text)
    b = write(tmp_path / "b.toml", _variant_b(small_text))

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=_import_repeatedly, args=(db_url, str(p), 5, barrier, results))
        for p in (a, b)
    ]
    for w in workers:
        w.start()
    try:
        outcomes = dict(results.get(timeout=180) for _ in workers)
    finally:
        for w in workers:
            w.join(timeout=60)
    assert outcomes == {str(a): "ok", str(b): "ok"}
    assert all(w.exitcode == 0 for w in workers)

    raced = show_catalog(db)
    assert 2 <= raced["centre"]["revision"] <= 10
    final = _comparable(raced)

    imported(db, a)
    only_a = _comparable(show_catalog(db))
    imported(db, b)
    only_b = _comparable(show_catalog(db))
    assert only_a != only_b
    assert final in (only_a, only_b), "the database holds a mix of the two catalogues"
