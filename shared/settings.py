"""The one settings schema: every option with its type, default, bounds and description.

Settings come from, lowest precedence first: the defaults below; a TOML file (``--config PATH``,
else ``MOTCUA_CONFIG``, else ``motcua.toml`` in the per-user config directory, if it exists);
the environment (``MOTCUA_DB_URL``); the command line (``--db``). The commented sample file
``assets/config/motcua.sample.toml`` is generated from this schema (``motcua config sample``)
and a test keeps the two equal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from shared.errors import ConfigError

APP_NAME = "motcua"
APP_AUTHOR = "MotCua"


def option(
    default: Any,
    description: str,
    *,
    choices: tuple[Any, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Any:
    """A settings field with the documentation and bounds the loader checks."""
    return field(
        default=default,
        metadata={
            "description": description,
            "choices": choices,
            "minimum": minimum,
            "maximum": maximum,
        },
    )


@dataclass(frozen=True)
class DatabaseSettings:
    """[database] where the shared data lives."""

    url: str = option(
        "",
        "Database address. Empty: an SQLite file in this user's data folder (one-PC centres). "
        "Several PCs: postgresql://USER:PASSWORD@HOST/DBNAME. Overridden by MOTCUA_DB_URL "
        "and --db.",
    )
    sqlite_synchronous: str = option(
        "FULL",
        "SQLite durability. FULL: a ticket that was printed survives a power cut. NORMAL: "
        "faster, but the last tickets may be lost (and their numbers issued again) on a power "
        "cut.",
        choices=("FULL", "NORMAL"),
    )
    busy_timeout: float = option(
        30.0,
        "Seconds to wait for another PC or program holding the database before giving up.",
        minimum=1.0,
        maximum=600.0,
    )
    response_timeout: float = option(
        20.0,
        "PostgreSQL: seconds a transaction may wait for the server's answer before the "
        "connection is given up as lost (a network cut the computer cannot see, a frozen "
        "server); at least the busy timeout plus 5. The action then fails with a message, "
        "nothing half-written, and the program reconnects by itself.",
        minimum=1.0,
        maximum=3600.0,
    )


@dataclass(frozen=True)
class CentreSettings:
    """[centre] which centre of the database this computer belongs to."""

    code: str = option(
        "",
        "Code of the centre (as in the catalogue). Empty: the only centre in the database.",
    )
    hotline: str = option(
        "",
        "Telephone number for questions and complaints, printed on the dossier forms (Mẫu 01, "
        "02). Empty: a dotted line to fill in by hand.",
    )


@dataclass(frozen=True)
class UiSettings:
    """[ui] language of screens and messages."""

    language: str = option(
        "vi",
        "Language of messages: vi (Tiếng Việt) or en (English).",
        choices=("vi", "en"),
    )


@dataclass(frozen=True)
class LoggingSettings:
    """[logging] the technical log (never holds personal data)."""

    level: str = option(
        "INFO",
        "Log level.",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    )
    directory: str = option(
        "",
        "Folder for log files. Empty: this user's log folder.",
    )
    max_kb: int = option(
        5000,
        "Size at which motcua.log is set aside (motcua.log.1, .2, …) and a new one begun; every "
        "MotCua program of this PC shares the file.",
        minimum=16,
        maximum=1_000_000,
    )
    files: int = option(5, "Old log files kept.", minimum=1, maximum=100)


PRINTER_KINDS = ("none", "network", "usb", "serial", "file", "win32", "cups")


@dataclass(frozen=True)
class PrinterSettings:
    """[printer] the thermal ticket printer of this computer (ESC/POS)."""

    kind: str = option(
        "none",
        "How the printer is connected: none, network (host:port), usb (vendor/product id), "
        "serial, file (a device path such as /dev/usb/lp0), win32 (a Windows printer name), "
        "cups (a CUPS queue).",
        choices=PRINTER_KINDS,
    )
    host: str = option("", "network: the printer's IP address or host name.")
    port: int = option(9100, "network: TCP port (raw printing).", minimum=1, maximum=65535)
    usb_vendor: int = option(
        0, "usb: vendor id, e.g. 0x0416 written as 1046.", minimum=0, maximum=65535
    )
    usb_product: int = option(0, "usb: product id.", minimum=0, maximum=65535)
    serial_port: str = option("", "serial: port name, e.g. COM3 or /dev/ttyUSB0.")
    baudrate: int = option(9600, "serial: speed.", minimum=1200, maximum=921600)
    path: str = option("", "file: device or file path the bytes are written to.")
    name: str = option("", "win32 or cups: the printer name in the operating system.")
    paper_width_mm: int = option(80, "Paper width: 80 or 58 mm.", choices=(80, 58))
    dots: int = option(
        0,
        "Printable width in dots; 0 = from the paper width (576 for 80 mm, 384 for 58 mm).",
        minimum=0,
        maximum=2048,
    )
    cutter: bool = option(True, "Cut the paper after each ticket.")
    timeout: float = option(
        4.0,
        "Seconds to wait for the printer before reporting it unreachable or stalled.",
        minimum=0.5,
        maximum=60.0,
    )
    feed_blank: bool = option(
        True,
        "Send blank stretches of a ticket as paper feeds instead of white dots (a third fewer "
        "bytes). Turn off if the gaps on the test page look shorter or longer than the ruler.",
    )
    check_status: bool = option(
        True,
        "Ask the printer for paper and cover status before printing, where the connection "
        "allows it.",
    )


@dataclass(frozen=True)
class LookupSettings:
    """[lookup] the public page where citizens follow their ticket or dossier."""

    base_url: str = option(
        "",
        "Public lookup address, e.g. https://dichvucong.example.gov.vn/tra-cuu. When set, QR "
        "codes hold this address with the token; when empty, a compact MOTCUA: code.",
    )


@dataclass(frozen=True)
class DisplaySettings:
    """[display] the waiting-room screen of this computer."""

    counters: str = option(
        "",
        'Counters this screen shows, e.g. "1-4, 7". Empty: all counters.',
    )
    services: str = option(
        "",
        'Service codes this screen shows, e.g. "HT, CT". Empty: all services.',
    )
    notice: str = option(
        "",
        "Notice text scrolling at the bottom of the screen. Empty: none.",
    )
    highlight_seconds: float = option(
        8.0, "How long a new call stays highlighted.", minimum=1.0, maximum=60.0
    )
    recent_calls: int = option(6, "How many recent calls are listed.", minimum=0, maximum=20)
    screen: str = option(
        "",
        "Which screen the waiting-room display fills, on a PC with several: empty for the "
        "primary screen, a number 1, 2, … in the order the system lists them, or the "
        'output\'s name (e.g. "HDMI-1"; the log file lists the connected ones at start).',
    )


@dataclass(frozen=True)
class VoiceSettings:
    """[voice] spoken calls on the waiting-room screen (offline speech)."""

    enabled: bool = option(True, "Speak each call.")
    english: bool = option(False, "Follow each Vietnamese call with an English one.")
    digits: bool = option(
        False,
        'Read numbers digit by digit ("một không hai ba") instead of as a whole number '
        '("một nghìn không trăm hai mươi ba").',
    )
    chime: bool = option(True, "Play a short chime before each call.")
    rate: int = option(150, "Speaking speed in words per minute.", minimum=80, maximum=300)
    volume: float = option(1.0, "Volume, 0 to 1.", minimum=0.0, maximum=1.0)


@dataclass(frozen=True)
class RatingSettings:
    """[rating] the citizen's satisfaction prompt at the counter."""

    scale: int = option(
        3,
        "Levels: 3 (Không hài lòng / Hài lòng / Rất hài lòng, as in official reports), 4 or 5.",
        choices=(3, 4, 5),
    )
    timeout: float = option(
        30.0,
        'Seconds the prompt waits; then "no rating" is recorded, never a guess.',
        minimum=5.0,
        maximum=300.0,
    )
    reasons: str = option(
        "Chờ lâu, Thái độ phục vụ, Hướng dẫn chưa rõ, Thủ tục phức tạp",
        "Reasons offered after the lowest level, separated by commas.",
    )


@dataclass(frozen=True)
class KioskSettings:
    """[kiosk] the touchscreen where visitors take a number."""

    admin_pin_hash: str = option(
        "",
        "argon2 hash of the technician's PIN; make one with `motcua config pin`; empty: the "
        "kiosk cannot be left from the screen.",
    )
    idle_seconds: int = option(
        30,
        "A half-done choice (priority group) returns to the start after this many seconds "
        "without a touch.",
        minimum=5,
        maximum=600,
    )
    confirm_seconds: int = option(
        8,
        "How long the confirmation with the number stays before the start screen comes back.",
        minimum=2,
        maximum=60,
    )
    logo: str = option(
        "",
        "The centre's logo on the start screen: path to a PNG or SVG file, shown whole and "
        "never stretched. Empty: a plain round mark with the centre's initials.",
    )
    logo_text: str = option(
        "",
        "Letters of the built-in round mark (at most 4). Empty: the first part of the centre "
        'code ("HCC-LA" gives "HCC").',
    )
    follow_opening_hours: bool = option(
        True,
        "Services show as closed (with the reopening time) outside the working hours of "
        "[calendar] and on days off. false: numbers can be taken at any time.",
    )
    offline_block: int = option(
        20,
        "PostgreSQL: numbers of each service this kiosk keeps reserved for today, to go on "
        "giving while the database server cannot be reached (printed as such, handed over when "
        "it is back); they are taken from the day's numbers like any other. 0: none; the kiosk "
        "then shows out of service.",
        minimum=0,
        maximum=500,
    )
    screen: str = option(
        "",
        "Which screen the kiosk fills, on a PC with several: empty for the "
        "primary screen, a number 1, 2, … in the order the system lists them, or the "
        'output\'s name (e.g. "HDMI-1"; the log file lists the connected ones at start).',
    )
    scanner_gap_ms: int = option(
        60,
        "A barcode scanner types fast: keystrokes at most this many milliseconds apart and "
        "ending with Enter are read as a scanned slip, on any screen. Slower typing is a "
        "person's.",
        minimum=10,
        maximum=300,
    )


@dataclass(frozen=True)
class CalendarSettings:
    """[calendar] opening hours and deadlines (the days off are in the database)."""

    morning: str = option(
        "07:30-11:30",
        "Morning opening hours, HH:MM-HH:MM. Deadlines are counted in these hours and the "
        "afternoon's.",
    )
    afternoon: str = option(
        "13:30-17:00",
        "Afternoon opening hours, HH:MM-HH:MM; its end is the closing time (same-day "
        "procedures are due then).",
    )
    default_cutoff: str = option(
        "15:00",
        "Same-day procedures received at or after this time (HH:MM) are due the next working "
        "day, unless the procedure has its own cut-off.",
    )


@dataclass(frozen=True)
class BackupSettings:
    """[backup] daily copies of the database (restore one with `motcua db restore FILE`)."""

    keep: int = option(
        14,
        "Daily backups kept (the oldest go); 0: none. The first MotCua program running after "
        "`at` takes the day's copy.",
        minimum=0,
        maximum=3650,
    )
    at: str = option(
        "12:00", 'Time of day after which the day\'s backup is taken, "HH:MM" (centre time).'
    )
    folder: str = option(
        "",
        "Where the copies go. Empty: a backups folder in this user's data folder. Better: "
        "another disk, or a network share.",
    )
    postgresql: bool = option(
        False,
        "Also with a PostgreSQL server: pg_dump from this PC (usually the server keeps its own "
        "backups).",
    )


@dataclass(frozen=True)
class FormsSettings:
    """[forms] the official dossier forms (Mẫu 01 …) printed on A4."""

    form_set: str = option(
        "2018",
        'Form set: the name of a file in assets/forms/ ("2018": Circular 01/2018/TT-VPCP '
        "numbering). A new set is added as a file, without a software change.",
    )


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    centre: CentreSettings = field(default_factory=CentreSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    lookup: LookupSettings = field(default_factory=LookupSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    rating: RatingSettings = field(default_factory=RatingSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    forms: FormsSettings = field(default_factory=FormsSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    source: str = field(default="", compare=False)
    """The configuration file these settings were read from (empty: defaults only)."""

    @property
    def database_url(self) -> str:
        return self.database.url or default_sqlite_url()

    @property
    def log_dir(self) -> Path:
        return Path(self.logging.directory or platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


SECTIONS: dict[str, type] = {
    "database": DatabaseSettings,
    "centre": CentreSettings,
    "ui": UiSettings,
    "logging": LoggingSettings,
    "printer": PrinterSettings,
    "lookup": LookupSettings,
    "display": DisplaySettings,
    "voice": VoiceSettings,
    "rating": RatingSettings,
    "kiosk": KioskSettings,
    "calendar": CalendarSettings,
    "forms": FormsSettings,
    "backup": BackupSettings,
}


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def default_sqlite_url() -> str:
    return f"sqlite:///{(data_dir() / 'motcua.sqlite3').as_posix()}"


def find_config_file(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The configuration file to read, by precedence; None when there is none."""
    if explicit:
        return Path(explicit)
    env = (os.environ if environ is None else environ).get("MOTCUA_CONFIG")
    if env:
        return Path(env)
    candidate = config_dir() / "motcua.toml"
    return candidate if candidate.is_file() else None


def load_settings(
    config: str | os.PathLike[str] | None = None,
    *,
    db_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the settings by precedence; a wrong file raises :class:`ConfigError`."""
    env = os.environ if environ is None else environ
    path = find_config_file(config, env)
    settings = Settings()
    if path is not None:
        settings = _from_file(path)
    url = db_url or env.get("MOTCUA_DB_URL")
    if url:
        settings = replace(settings, database=replace(settings.database, url=url))
    return settings


def _from_file(path: Path) -> Settings:
    import tomllib  # only when there is a file (not on the way to the kiosk's first frame)

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(file=str(path), detail="không tìm thấy tệp / file not found") from None
    except OSError as exc:
        raise ConfigError(file=str(path), detail=exc.strerror or str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file=str(path), detail=str(exc)) from None
    return parse_settings(data, source=str(path))


def parse_settings(data: dict[str, Any], source: str = "<settings>") -> Settings:
    """Check ``data`` (a parsed TOML document) against the schema and build :class:`Settings`."""
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name not in SECTIONS:
            raise ConfigError(
                file=source,
                detail=f"[{name}]: mục không có trong cấu hình / unknown section "
                f"(known: {', '.join(SECTIONS)})",
            )
        if not isinstance(value, dict):
            raise ConfigError(file=source, detail=f"{name}: phải là một bảng / must be a table")
        sections[name] = _parse_section(SECTIONS[name], name, value, source)
    return Settings(**sections, source=source)


def _parse_section(cls: type, section: str, values: dict[str, Any], source: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        where = f"{section}.{key}"
        spec = known.get(key)
        if spec is None:
            raise ConfigError(
                file=source,
                detail=f"{where}: khóa không có trong cấu hình / unknown key "
                f"(known: {', '.join(known)})",
            )
        expected = {"str": str, "float": float, "int": int, "bool": bool}[str(spec.type)]
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(
                file=source,
                detail=f"{where}: cần kiểu {expected.__name__} / must be {expected.__name__}, "
                f"got {value!r}",
            )
        meta = spec.metadata
        if meta["choices"] and value not in meta["choices"]:
            choices = ", ".join(map(str, meta["choices"]))
            raise ConfigError(
                file=source, detail=f"{where}: {value!r} — chọn một / choose one of: {choices}"
            )
        low, high = meta["minimum"], meta["maximum"]
        # Written as "not inside" so that NaN, which compares false with everything, is refused.
        if low is not None and not low <= value:
            raise ConfigError(file=source, detail=f"{where}: ≥ {low}, got {value}")
        if high is not None and not value <= high:
            raise ConfigError(file=source, detail=f"{where}: ≤ {high}, got {value}")
        kwargs[key] = value
    return cls(**kwargs)


def sample_config() -> str:
    """The commented sample configuration file, generated from the schema."""
    lines = [
        "# MotCua Queue — sample configuration file.",
        "#",
        "# Copy it to the path printed by `motcua config path`, or pass it with --config /",
        "# MOTCUA_CONFIG. Every option is shown with its default, commented out: remove the",
        "# leading '# ' of a line to change it. Unknown keys are refused, so a typo is noticed.",
        "# Generated from shared/settings.py by `motcua config sample`.",
    ]
    for name, cls in SECTIONS.items():
        summary = (cls.__doc__ or "").strip().split("] ", 1)[-1]
        lines += ["", f"[{name}]", f"# {summary[:1].upper()}{summary[1:]}"]
        for spec in fields(cls):
            meta = spec.metadata
            lines.append("")
            for chunk in _wrap(meta["description"]):
                lines.append(f"# {chunk}")
            if meta["choices"]:
                lines.append(f"# One of: {', '.join(map(str, meta['choices']))}.")
            if meta["minimum"] is not None:
                lines.append(f"# From {meta['minimum']:g} to {meta['maximum']:g}.")
            lines.append(f"# {spec.name} = {_toml_value(spec.default)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _wrap(text: str, width: int = 96) -> list[str]:
    out: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out
