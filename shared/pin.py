"""The technician's PIN that lets a kiosk be left: 4–12 digits, kept only as an argon2 hash.

``motcua config pin`` makes the hash for ``[kiosk] admin_pin_hash``; the kiosk checks a typed PIN
against it. The PIN itself is never stored or logged.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PIN = 4
MAX_PIN = 12
_PIN = re.compile(rf"^[0-9]{{{MIN_PIN},{MAX_PIN}}}$")
_hasher = PasswordHasher()


def valid_pin(pin: str) -> bool:
    """4 to 12 ASCII digits."""
    return bool(_PIN.match(pin))


def hash_pin(pin: str) -> str:
    """The argon2 hash of ``pin`` (raises ValueError when it is not 4–12 digits)."""
    if not valid_pin(pin):
        raise ValueError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits")
    return _hasher.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True when ``pin`` matches ``pin_hash``; False for a wrong PIN, an empty or broken hash."""
    if not pin_hash or not valid_pin(pin):
        return False
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
