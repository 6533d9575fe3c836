"""``motcua config …``: the sample configuration, where files are kept, the kiosk's PIN."""

from __future__ import annotations

import sys

from cli.core import Context, Registrar
from shared.errors import EXIT_OK, MotcuaError
from shared.i18n import tr
from shared.settings import config_dir, data_dir, sample_config


def register(r: Registrar) -> None:
    """Add ``motcua config …``."""
    group = r.group
    leaf = r.leaf
    config = group("config", "configuration")
    leaf(config, "sample", cmd_config_sample, "print the commented sample configuration file")
    leaf(config, "path", cmd_config_path, "show where configuration and data are kept")
    leaf(
        config,
        "pin",
        cmd_config_pin,
        "read the kiosk technician's PIN (4–12 digits) and print its admin_pin_hash line",
    )


def cmd_config_sample(ctx: Context) -> int:
    sys.stdout.write(sample_config())
    return EXIT_OK


def cmd_config_pin(ctx: Context) -> int:
    import getpass

    from shared.pin import hash_pin, valid_pin

    if sys.stdin is not None and sys.stdin.isatty():
        pin = getpass.getpass(tr("kiosk.pin.prompt")).strip()
        if valid_pin(pin) and getpass.getpass(tr("kiosk.pin.again")).strip() != pin:
            raise MotcuaError("kiosk.pin.mismatch")
    else:
        pin = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    if not valid_pin(pin):
        raise MotcuaError("kiosk.pin.invalid")
    pin_hash = hash_pin(pin)
    if not ctx.args.json:
        print(tr("kiosk.pin.put"), file=sys.stderr)
    return ctx.emit({"admin_pin_hash": pin_hash}, f'admin_pin_hash = "{pin_hash}"')


def cmd_config_path(ctx: Context) -> int:
    data = {
        "config_file": ctx.settings.source or str(config_dir() / "motcua.toml"),
        "config_loaded": bool(ctx.settings.source),
        "data_dir": str(data_dir()),
        "log_dir": str(ctx.settings.log_dir),
        "database": ctx.db.display_url,
    }
    return ctx.emit(data, "\n".join(f"{k}: {v}" for k, v in data.items()))
