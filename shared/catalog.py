"""The catalogue: a centre's sectors, services, procedures, counters and priority groups.

Format: ``docs/catalog.md``; example: ``assets/catalog/sample.toml``. :func:`parse_catalog` checks
the whole file first and names file, line and field of the first mistake; :func:`import_catalog`
then writes it in one transaction (all or nothing), upserting by code and deactivating what the
file no longer lists, so history keeps its references.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware, zone
from shared.db import Database
from shared.errors import CatalogError
from shared.i18n import nfc
from shared.models import (
    COUNTER_MODES,
    PLACEMENTS,
    PRIORITY_POLICIES,
    Centre,
    Counter,
    CounterService,
    PriorityGroup,
    Procedure,
    Sector,
    Service,
)
from shared.queue import resolve_centre

FORMAT_VERSION = 1
CATALOG_LOCK_KEY = 7253002
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_PROCEDURE_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,31}$")
_AGENCY_EID = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$")
_PREFIX = re.compile(r"^[A-Z]{0,2}$")
_CUTOFF = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
DEFAULT_CUTOFF = "15:00"
"""Same-day procedures without their own cut-off: received at or after it → next working day."""


# --- parsed catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class CentreSpec:
    code: str
    name: str
    agency: str
    agency_eid: str
    name_en: str = ""
    place: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    priority_policy: str = "strict"
    priority_every: int = 3
    transfer_placement: str = "keep"


@dataclass(frozen=True)
class NamedSpec:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    name_en: str = ""
    sector: str | None = None
    prefix: str = ""
    start: int = 1
    end: int | None = None
    digits: int = 0
    daily_reset: bool = True


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    sector: str
    service: str
    name_en: str = ""
    processing_days: float | None = None
    processing_hours: float | None = None
    cutoff: str | None = None
    fee: int = 0
    fee_note: str = ""
    documents: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class CounterSpec:
    number: int
    services: list[str]
    name: str = ""
    mode: str = "fifo"
    weights: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogSpec:
    centre: CentreSpec
    priority_groups: list[NamedSpec]
    sectors: list[NamedSpec]
    services: list[ServiceSpec]
    procedures: list[ProcedureSpec]
    counters: list[CounterSpec]


# --- parsing with file, line and field in every message ------------------------------------


class _Locator:
    """Finds the line of ``[[table]]`` number *i* and of a key inside it in the TOML text."""

    def __init__(self, source: str, text_: str) -> None:
        self.source = source
        self.lines = text_.splitlines()

    def line(self, table: str | None, index: int | None, key: str | None) -> int:
        header = None
        if table is not None:
            pattern = (
                re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
                if index is not None
                else re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
            )
            seen = -1
            for number, line in enumerate(self.lines, 1):
                if pattern.match(line):
                    seen += 1
                    if index is None or seen == index:
                        header = number
                        break
        start = header or 1
        if key is not None:
            key_pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for number in range(start, len(self.lines) + 1):
                line = self.lines[number - 1]
                if number > start and re.match(r"^\s*\[", line):
                    break
                if key_pattern.match(line):
                    return number
        return start

    def error(self, table: str | None, index: int | None, key: str | None, detail: str) -> None:
        where = table if table is not None else ""
        if index is not None:
            where += f"[{index + 1}]"
        if key is not None:
            where = f"{where}.{key}" if where else key
        raise CatalogError(
            "error.catalog_entry",
            file=self.source,
            line=self.line(table, index, key),
            field=where,
            detail=detail,
        )


def load_catalog_file(path: str | Path) -> CatalogSpec:
    """Read and check a catalogue: a TOML file, an XLSX workbook or a folder of CSV files
    (:mod:`shared.catalog_tables`); raises :class:`CatalogError` naming the mistake."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() in (".xlsx", ".xlsm"):
        from shared.catalog_tables import load_catalog_csv_folder, load_catalog_xlsx

        return load_catalog_xlsx(path) if path.is_file() else load_catalog_csv_folder(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(
            "error.catalog_unreadable", file=str(path), detail=exc.strerror or str(exc)
        ) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            "error.catalog_file",
            file=str(path),
            detail=f"không phải UTF-8 (byte {exc.start}) / not UTF-8 text; save it as UTF-8",
        ) from None
    return parse_catalog(content, source=str(path))


def parse_catalog(content: str, source: str = "<catalogue>") -> CatalogSpec:
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError("error.catalog_file", file=source, detail=str(exc)) from None
    return _Parser(_Locator(source, content)).parse(data)


class _Parser:
    def __init__(self, locator: _Locator) -> None:
        self.loc = locator

    # typed getters ----------------------------------------------------------------------

    def _get(
        self,
        table: dict[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        where: tuple[str | None, int | None],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        if key not in table:
            if required:
                self.loc.error(*where, key, "thiếu trường bắt buộc / required field is missing")
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            names = " or ".join(k.__name__ for k in kinds)
            self.loc.error(*where, key, f"cần kiểu {names} / must be {names}, got {value!r}")
        if isinstance(value, str):
            value = nfc(value.strip())
            if required and not value:
                self.loc.error(*where, key, "không được để trống / must not be empty")
        return value

    def _code(self, table: dict[str, Any], where: tuple[str | None, int | None]) -> str:
        code = self._get(table, "code", str, where, required=True)
        if not _CODE.match(code):
            self.loc.error(
                *where, "code", f"mã “{code}” chỉ gồm chữ, số, . - _ / letters, digits, . - _ only"
            )
        return code

    def _unknown_keys(
        self, table: dict[str, Any], known: set[str], where: tuple[str | None, int | None]
    ) -> None:
        for key in table:
            if key not in known:
                self.loc.error(
                    *where,
                    key,
                    f"trường không có trong định dạng / unknown field (known: "
                    f"{', '.join(sorted(known))})",
                )

    def _list(self, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        items = data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.loc.error(None, None, name, f"dùng [[{name}]] / write it as [[{name}]] tables")
        return items

    def _unique(self, seen: dict[Any, int], value: Any, where: tuple[str, int], key: str) -> None:
        if value in seen:
            self.loc.error(
                *where,
                key,
                f"“{value}” trùng với mục thứ {seen[value] + 1} / duplicates entry "
                f"{seen[value] + 1}",
            )
        seen[value] = where[1]

    # sections ---------------------------------------------------------------------------

    def parse(self, data: dict[str, Any]) -> CatalogSpec:
        known = {
            "format",
            "centre",
            "queue",
            "priority_groups",
            "sectors",
            "services",
            "procedures",
            "counters",
        }
        self._unknown_keys(data, known, (None, None))
        fmt = self._get(data, "format", int, (None, None), required=True)
        if fmt != FORMAT_VERSION:
            self.loc.error(None, None, "format", f"phải là {FORMAT_VERSION} / must be 1")
        if not isinstance(data.get("centre"), dict):
            self.loc.error(
                None, None, "centre", "thiếu bảng [centre] / the [centre] table is missing"
            )
        queue = data.get("queue", {})
        if not isinstance(queue, dict):
            self.loc.error(None, None, "queue", "phải là bảng [queue] / must be a [queue] table")
        centre = self._centre(data["centre"], queue)
        groups = self._named("priority_groups", data)
        sectors = self._named("sectors", data)
        sector_codes = {s.code for s in sectors}
        services = self._services(data, sector_codes)
        service_codes = {s.code for s in services}
        procedures = self._procedures(data, sector_codes, service_codes)
        counters = self._counters(data, service_codes)
        return CatalogSpec(centre, groups, sectors, services, procedures, counters)

    def _centre(self, table: dict[str, Any], queue: dict[str, Any]) -> CentreSpec:
        where: tuple[str | None, int | None] = ("centre", None)
        self._unknown_keys(
            table, {"code", "name", "name_en", "agency", "agency_eid", "place", "timezone"}, where
        )
        eid = self._get(table, "agency_eid", str, where, required=True)
        if not _AGENCY_EID.match(eid):
            self.loc.error(
                *where,
                "agency_eid",
                f"“{eid}” không đúng dạng ddd.dd.dd.Hnn / "
                "must look like 000.00.10.H39 (QCVN 102:2016)",
            )
        tz = self._get(table, "timezone", str, where, default="Asia/Ho_Chi_Minh")
        try:
            zone(tz)
        except ValueError:
            self.loc.error(*where, "timezone", f"múi giờ “{tz}” không tồn tại / unknown time zone")
        qwhere: tuple[str | None, int | None] = ("queue", None)
        self._unknown_keys(
            queue, {"priority_policy", "priority_every", "transfer_placement"}, qwhere
        )
        policy = self._get(queue, "priority_policy", str, qwhere, default="strict")
        if policy not in PRIORITY_POLICIES:
            self.loc.error(*qwhere, "priority_policy", f"chọn / choose {PRIORITY_POLICIES}")
        every = self._get(queue, "priority_every", int, qwhere, default=3)
        if not 1 <= every <= 50:
            self.loc.error(*qwhere, "priority_every", "từ 1 đến 50 / from 1 to 50")
        placement = self._get(queue, "transfer_placement", str, qwhere, default="keep")
        if placement not in PLACEMENTS:
            self.loc.error(*qwhere, "transfer_placement", f"chọn / choose {PLACEMENTS}")
        return CentreSpec(
            code=self._code(table, where),
            name=self._get(table, "name", str, where, required=True),
            name_en=self._get(table, "name_en", str, where, default=""),
            agency=self._get(table, "agency", str, where, required=True),
            agency_eid=eid,
            place=self._get(table, "place", str, where, default=""),
            timezone=tz,
            priority_policy=policy,
            priority_every=every,
            transfer_placement=placement,
        )

    def _named(self, name: str, data: dict[str, Any]) -> list[NamedSpec]:
        out: list[NamedSpec] = []
        seen: dict[Any, int] = {}
        for i, table in enumerate(self._list(data, name)):
            where = (name, i)
            self._unknown_keys(table, {"code", "name", "name_en"}, where)
            code = self._code(table, where)
            self._unique(seen, code, where, "code")
            out.append(
                NamedSpec(
                    code=code,
                    name=self._get(table, "name", str, where, required=True),
                    name_en=self._get(table, "name_en", str, where, default=""),
                )
            )
        return out

    def _services(self, data: dict[str, Any], sectors: set[str]) -> list[ServiceSpec]:
        out: list[ServiceSpec] = []
        seen: dict[Any, int] = {}
        ranges: list[tuple[int, int | None, str, str, int]] = []
        items = self._list(data, "services")
        if not items:
            self.loc.error(None, None, "services", "cần ít nhất một dịch vụ / at least one service")
        for i, table in enumerate(items):
            where = ("services", i)
            self._unknown_keys(
                table,
                {
                    "code",
                    "name",
                    "name_en",
                    "sector",
                    "prefix",
                    "start",
                    "end",
                    "digits",
                    "daily_reset",
                },
                where,
            )
            code = self._code(table, where)
            self._unique(seen, code, where, "code")
            sector = self._get(table, "sector", str, where)
            if sector is not None and sector not in sectors:
                self.loc.error(*where, "sector", f"không có lĩnh vực “{sector}” / no such sector")
            prefix = self._get(table, "prefix", str, where, default="")
            if not _PREFIX.match(prefix):
                self.loc.error(*where, "prefix", "0–2 chữ in hoa / 0–2 capital letters")
            start = self._get(table, "start", int, where, default=1)
            if not 0 <= start <= 999_999:
                self.loc.error(*where, "start", "từ 0 đến 999999 / from 0 to 999999")
            end = self._get(table, "end", int, where)
            if end is not None and not start <= end <= 999_999:
                self.loc.error(*where, "end", f"từ {start} đến 999999 / from {start} to 999999")
            digits = self._get(table, "digits", int, where, default=0)
            if not 0 <= digits <= 6:
                self.loc.error(*where, "digits", "từ 0 đến 6 / from 0 to 6")
            for other_start, other_end, other_prefix, other_code, _j in ranges:
                overlap = (end is None or other_start <= end) and (
                    other_end is None or start <= other_end
                )
                if overlap and prefix == other_prefix:
                    self.loc.error(
                        *where,
                        "start",
                        f"dải số trùng với dịch vụ “{other_code}” / number range "
                        f"overlaps service “{other_code}”: two tickets could show the same number",
                    )
            ranges.append((start, end, prefix, code, i))
            out.append(
                ServiceSpec(
                    code=code,
                    name=self._get(table, "name", str, where, required=True),
                    name_en=self._get(table, "name_en", str, where, default=""),
                    sector=sector,
                    prefix=prefix,
                    start=start,
                    end=end,
                    digits=digits,
                    daily_reset=self._get(table, "daily_reset", bool, where, default=True),
                )
            )
        return out

    def _procedures(
        self, data: dict[str, Any], sectors: set[str], services: set[str]
    ) -> list[ProcedureSpec]:
        out: list[ProcedureSpec] = []
        seen: dict[Any, int] = {}
        for i, table in enumerate(self._list(data, "procedures")):
            where = ("procedures", i)
            self._unknown_keys(
                table,
                {
                    "code",
                    "name",
                    "name_en",
                    "sector",
                    "service",
                    "processing_days",
                    "processing_hours",
                    "cutoff",
                    "fee",
                    "fee_note",
                    "documents",
                },
                where,
            )
            code = self._get(table, "code", str, where, required=True)
            if not _PROCEDURE_CODE.match(code):
                self.loc.error(*where, "code", f"mã thủ tục “{code}” không hợp lệ / invalid code")
            self._unique(seen, code, where, "code")
            sector = self._get(table, "sector", str, where, required=True)
            if sector not in sectors:
                self.loc.error(*where, "sector", f"không có lĩnh vực “{sector}” / no such sector")
            service = self._get(table, "service", str, where, required=True)
            if service not in services:
                self.loc.error(*where, "service", f"không có dịch vụ “{service}” / no such service")
            days = self._get(table, "processing_days", (int, float), where)
            hours = self._get(table, "processing_hours", (int, float), where)
            if (days is None) == (hours is None):
                self.loc.error(
                    *where,
                    "processing_days",
                    "ghi đúng một trong processing_days, processing_hours / give exactly one of "
                    "processing_days and processing_hours",
                )
            for key, value in (("processing_days", days), ("processing_hours", hours)):
                if value is not None and not 0 <= value <= 3650:
                    self.loc.error(*where, key, "từ 0 đến 3650 / from 0 to 3650")
                if value is not None and round(value, 2) != value:
                    self.loc.error(
                        *where, key, "tối đa 2 chữ số thập phân / at most 2 decimal places"
                    )
            cutoff = self._get(table, "cutoff", str, where)
            if cutoff is not None and not _CUTOFF.match(cutoff):
                self.loc.error(*where, "cutoff", f"“{cutoff}”: ghi dạng HH:MM / write it as HH:MM")
            fee = self._get(table, "fee", int, where, default=0)
            if fee < 0:
                self.loc.error(*where, "fee", "không được âm / must not be negative")
            out.append(
                ProcedureSpec(
                    code=code,
                    name=self._get(table, "name", str, where, required=True),
                    name_en=self._get(table, "name_en", str, where, default=""),
                    sector=sector,
                    service=service,
                    processing_days=float(days) if days is not None else None,
                    processing_hours=float(hours) if hours is not None else None,
                    cutoff=cutoff,
                    fee=fee,
                    fee_note=self._get(table, "fee_note", str, where, default=""),
                    documents=self._documents(table, where),
                )
            )
        return out

    def _documents(self, table: dict[str, Any], where: tuple[str, int]) -> list[dict[str, Any]]:
        items = self._get(table, "documents", list, where, default=[])
        out: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, str) and item.strip():
                out.append(
                    {"name": nfc(item.strip()), "original": 1, "certified_copy": 0, "copy": 0}
                )
                continue
            if (
                isinstance(item, dict)
                and isinstance(item.get("name"), str)
                and item["name"].strip()
            ):
                doc = {"name": nfc(item["name"].strip())}
                for kind in ("original", "certified_copy", "copy"):
                    count = item.get(kind, 0)
                    if (
                        isinstance(count, bool)
                        or not isinstance(count, int)
                        or not 0 <= count <= 99
                    ):
                        self.loc.error(*where, "documents", f"{kind}: 0–99 (“{doc['name']}”)")
                    doc[kind] = count
                extra = set(item) - {"name", "original", "certified_copy", "copy"}
                if extra:
                    self.loc.error(
                        *where, "documents", f"trường lạ / unknown field {sorted(extra)}"
                    )
                out.append(doc)
                continue
            self.loc.error(
                *where,
                "documents",
                f"mỗi giấy tờ là một chuỗi hoặc {{ name = … }} / each "
                f"document is a string or {{ name = … }}, got {item!r}",
            )
        return out

    def _counters(self, data: dict[str, Any], services: set[str]) -> list[CounterSpec]:
        out: list[CounterSpec] = []
        seen: dict[Any, int] = {}
        for i, table in enumerate(self._list(data, "counters")):
            where = ("counters", i)
            self._unknown_keys(table, {"number", "name", "services", "mode", "weights"}, where)
            number = self._get(table, "number", int, where, required=True)
            if not 1 <= number <= 999:
                self.loc.error(*where, "number", "từ 1 đến 999 / from 1 to 999")
            self._unique(seen, number, where, "number")
            codes = self._get(table, "services", list, where, required=True)
            if not codes or not all(isinstance(c, str) for c in codes):
                self.loc.error(*where, "services", "danh sách mã dịch vụ / a list of service codes")
            for code in codes:
                if code not in services:
                    self.loc.error(
                        *where, "services", f"không có dịch vụ “{code}” / no such service"
                    )
            if len(set(codes)) != len(codes):
                self.loc.error(*where, "services", "mã dịch vụ bị lặp / a service is listed twice")
            mode = self._get(table, "mode", str, where, default="fifo")
            if mode not in COUNTER_MODES:
                self.loc.error(*where, "mode", f"chọn / choose {COUNTER_MODES}")
            weights = self._get(table, "weights", dict, where, default={})
            for code, weight in weights.items():
                if code not in codes:
                    self.loc.error(
                        *where, "weights", f"“{code}” không có trong services / not in services"
                    )
                if (
                    isinstance(weight, bool)
                    or not isinstance(weight, int)
                    or not 1 <= weight <= 100
                ):
                    self.loc.error(*where, "weights", f"{code}: số nguyên 1–100 / integer 1–100")
            out.append(
                CounterSpec(
                    number=number,
                    services=list(codes),
                    name=self._get(table, "name", str, where, default=""),
                    mode=mode,
                    weights=dict(weights),
                )
            )
        return out


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    centre: str
    revision: int
    changed: bool
    sectors: int
    services: int
    procedures: int
    counters: int
    priority_groups: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def import_catalog(db: Database, spec: CatalogSpec, *, now: datetime | None = None) -> ImportResult:
    """Write a checked catalogue in one transaction; concurrent imports run one after another."""
    moment = ensure_aware(now)

    def work(s: Session) -> ImportResult:
        if not db.is_sqlite:
            s.execute(text(f"SELECT pg_advisory_xact_lock({CATALOG_LOCK_KEY})"))
        return _Writer(s, spec, moment).write()

    return db.run(work)


class _Writer:
    def __init__(self, s: Session, spec: CatalogSpec, now: datetime) -> None:
        self.s = s
        self.spec = spec
        self.now = now
        self.changed = False

    def _set(self, row: Any, **values: Any) -> None:
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
                self.changed = True

    def _upsert(self, model: type, key: str, value: Any, centre_id: int, **values: Any) -> Any:
        row = self.s.scalar(
            select(model).where(model.centre_id == centre_id, getattr(model, key) == value)
        )
        if row is None:
            row = model(centre_id=centre_id, **{key: value}, **values)
            self.s.add(row)
            self.changed = True
        else:
            self._set(row, **values)
        return row

    def _deactivate(self, model: type, centre_id: int, key: str, keep: set[Any]) -> None:
        for row in self.s.scalars(select(model).where(model.centre_id == centre_id)):
            if getattr(row, key) not in keep and row.active:
                row.active = False
                self.changed = True

    def write(self) -> ImportResult:
        c = self.spec.centre
        centre = self.s.scalar(select(Centre).where(Centre.code == c.code))
        values = {
            "name": c.name,
            "name_en": c.name_en,
            "agency": c.agency,
            "agency_eid": c.agency_eid,
            "place": c.place,
            "timezone": c.timezone,
            "priority_policy": c.priority_policy,
            "priority_every": c.priority_every,
            "transfer_placement": c.transfer_placement,
        }
        if centre is None:
            centre = Centre(code=c.code, catalog_revision=0, updated_at=self.now, **values)
            self.s.add(centre)
            self.s.flush()
            self.changed = True
        else:
            self._set(centre, **values)
        cid = centre.id

        for pos, g in enumerate(self.spec.priority_groups):
            self._upsert(
                PriorityGroup,
                "code",
                g.code,
                cid,
                name=g.name,
                name_en=g.name_en,
                position=pos,
                active=True,
            )
        self._deactivate(PriorityGroup, cid, "code", {g.code for g in self.spec.priority_groups})

        sectors = {}
        for pos, sec in enumerate(self.spec.sectors):
            sectors[sec.code] = self._upsert(
                Sector,
                "code",
                sec.code,
                cid,
                name=sec.name,
                name_en=sec.name_en,
                position=pos,
                active=True,
            )
        self._deactivate(Sector, cid, "code", set(sectors))
        self.s.flush()

        services = {}
        for pos, svc in enumerate(self.spec.services):
            services[svc.code] = self._upsert(
                Service,
                "code",
                svc.code,
                cid,
                name=svc.name,
                name_en=svc.name_en,
                sector_id=sectors[svc.sector].id if svc.sector else None,
                prefix=svc.prefix,
                number_start=svc.start,
                number_end=svc.end,
                digits=svc.digits,
                daily_reset=svc.daily_reset,
                position=pos,
                active=True,
            )
        self._deactivate(Service, cid, "code", set(services))
        self.s.flush()

        for p in self.spec.procedures:
            row = self.s.scalar(
                select(Procedure).where(Procedure.centre_id == cid, Procedure.code == p.code)
            )
            content = {
                "processing_days": p.processing_days,
                "processing_hours": p.processing_hours,
                "cutoff": p.cutoff,
                "fee": p.fee,
                "documents": p.documents,
            }
            if row is not None and any(getattr(row, k) != v for k, v in content.items()):
                # Deadline, fee or documents changed: a new version; dossiers keep theirs.
                self._set(row, version=row.version + 1)
            self._upsert(
                Procedure,
                "code",
                p.code,
                cid,
                name=p.name,
                name_en=p.name_en,
                sector_id=sectors[p.sector].id,
                service_id=services[p.service].id,
                fee_note=p.fee_note,
                active=True,
                **content,
            )
        self._deactivate(Procedure, cid, "code", {p.code for p in self.spec.procedures})

        numbers = set()
        for cs in self.spec.counters:
            counter = self._upsert(
                Counter, "number", cs.number, cid, name=cs.name, mode=cs.mode, active=True
            )
            self.s.flush()
            numbers.add(cs.number)
            wanted = {
                services[code].id: (pos, cs.weights.get(code, 1))
                for pos, code in enumerate(cs.services)
            }
            links = {
                link.service_id: link
                for link in self.s.scalars(
                    select(CounterService).where(CounterService.counter_id == counter.id)
                )
            }
            for service_id in links:
                if service_id not in wanted:
                    self.s.execute(
                        delete(CounterService).where(
                            CounterService.counter_id == counter.id,
                            CounterService.service_id == service_id,
                        )
                    )
                    self.changed = True
            for service_id, (pos, weight) in wanted.items():
                if service_id in links:
                    self._set(links[service_id], position=pos, weight=weight)
                else:
                    self.s.add(
                        CounterService(
                            counter_id=counter.id,
                            service_id=service_id,
                            position=pos,
                            weight=weight,
                        )
                    )
                    self.changed = True
        self._deactivate(Counter, cid, "number", numbers)

        if self.changed:
            centre.catalog_revision += 1
            centre.updated_at = self.now
            self.s.flush()
            events.append(
                self.s,
                "catalog.imported",
                at=self.now,
                centre_id=cid,
                data={"revision": centre.catalog_revision},
            )
        return ImportResult(
            centre=centre.code,
            revision=centre.catalog_revision,
            changed=self.changed,
            sectors=len(self.spec.sectors),
            services=len(self.spec.services),
            procedures=len(self.spec.procedures),
            counters=len(self.spec.counters),
            priority_groups=len(self.spec.priority_groups),
        )


# --- reading ---------------------------------------------------------------------------------


def show_catalog(db: Database, centre_code: str | None = None) -> dict[str, Any]:
    """The active catalogue of a centre as plain data (``catalog show --json``)."""
    return _read_catalog(db, centre_code, as_file=False)


def export_catalog(db: Database, centre_code: str | None = None) -> dict[str, Any]:
    """The active catalogue as the data of a catalogue file (``format = 1``): importing it again
    changes nothing (``motcua catalog export``)."""
    return _read_catalog(db, centre_code, as_file=True)


def _read_catalog(db: Database, centre_code: str | None, *, as_file: bool) -> dict[str, Any]:

    def work(s: Session) -> dict[str, Any]:
        centre = resolve_centre(s, centre_code)
        cid = centre.id

        def active(model: Any, order: Any) -> list[Any]:
            return list(
                s.scalars(
                    select(model)
                    .where(model.centre_id == cid, model.active.is_(True))
                    .order_by(order)
                )
            )

        def codes(model: Any) -> dict[int, str]:
            return dict(s.execute(select(model.id, model.code).where(model.centre_id == cid)).all())

        sectors = active(Sector, Sector.position)
        services = active(Service, Service.position)
        procedures = active(Procedure, Procedure.code)
        counters = active(Counter, Counter.number)
        groups = active(PriorityGroup, PriorityGroup.position)
        sector_code, service_code = codes(Sector), codes(Service)
        links: dict[int, list[CounterService]] = {}
        for link in s.scalars(
            select(CounterService)
            .join(Counter, Counter.id == CounterService.counter_id)
            .where(Counter.centre_id == cid)
            .order_by(CounterService.position)
        ):
            links.setdefault(link.counter_id, []).append(link)
        shown = {
            "centre": {
                "code": centre.code,
                "name": centre.name,
                "name_en": centre.name_en,
                "agency": centre.agency,
                "agency_eid": centre.agency_eid,
                "place": centre.place,
                "timezone": centre.timezone,
                "revision": centre.catalog_revision,
            },
            "queue": {
                "priority_policy": centre.priority_policy,
                "priority_every": centre.priority_every,
                "transfer_placement": centre.transfer_placement,
            },
            "priority_groups": [
                {"code": g.code, "name": g.name, "name_en": g.name_en} for g in groups
            ],
            "sectors": [
                {"code": sec.code, "name": sec.name, "name_en": sec.name_en} for sec in sectors
            ],
            "services": [
                {
                    "code": svc.code,
                    "name": svc.name,
                    "name_en": svc.name_en,
                    "sector": sector_code.get(svc.sector_id) if svc.sector_id else None,
                    "prefix": svc.prefix,
                    "start": svc.number_start,
                    "end": svc.number_end,
                    "digits": svc.digits,
                    "daily_reset": svc.daily_reset,
                }
                for svc in services
            ],
            "procedures": [
                {
                    "code": p.code,
                    "name": p.name,
                    "name_en": p.name_en,
                    "sector": sector_code[p.sector_id],
                    "service": service_code[p.service_id],
                    "processing_days": p.processing_days,
                    "processing_hours": p.processing_hours,
                    # The same-day cut-off in force: the procedure's own, else the default.
                    "cutoff": p.cutoff or DEFAULT_CUTOFF,
                    "fee": p.fee,
                    "fee_note": p.fee_note,
                    "documents": p.documents,
                    "version": p.version,
                }
                for p in procedures
            ],
            "counters": [
                {
                    "number": c.number,
                    "name": c.name,
                    "mode": c.mode,
                    "paused": c.paused,
                    "services": [service_code[link.service_id] for link in links.get(c.id, [])],
                    "weights": {
                        service_code[link.service_id]: link.weight for link in links.get(c.id, [])
                    },
                }
                for c in counters
            ],
        }
        if not as_file:
            return shown
        cutoffs = {p.code: p.cutoff for p in procedures}
        return _as_file(shown, cutoffs)

    return db.run(work, readonly=True)


def _as_file(shown: dict[str, Any], cutoffs: dict[str, str | None]) -> dict[str, Any]:
    """:func:`show_catalog`'s data in the shape of a catalogue file."""

    def present(entry: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
        return {k: v for k, v in entry.items() if v is not None and k not in drop}

    procedures = []
    for p in shown["procedures"]:
        entry = present(p, ("version", "cutoff"))
        if cutoffs.get(p["code"]):
            entry["cutoff"] = cutoffs[p["code"]]
        procedures.append(entry)
    counters = []
    for c in shown["counters"]:
        entry = present(c, ("paused", "weights"))
        if c["mode"] == "weighted":
            entry["weights"] = c["weights"]
        counters.append(entry)
    return {
        "format": FORMAT_VERSION,
        "centre": present(shown["centre"], ("revision",)),
        "queue": shown["queue"],
        "priority_groups": shown["priority_groups"],
        "sectors": shown["sectors"],
        "services": [present(s) for s in shown["services"]],
        "procedures": procedures,
        "counters": counters,
    }
