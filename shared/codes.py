"""What goes into a QR code: the one place that encodes and decodes ticket and dossier tokens.

A token names a ticket or a dossier and carries its random lookup secret. It holds **no personal
data by construction**: a ticket token is (centre code, service day, number as printed, secret),
a dossier token is (dossier code, secret). Every field has a strict shape, checked on the way in
and on the way out, and none of them can hold a name, a phone number or a citizen ID: the ticket
number is at most 2 letters and 6 digits, the day 8 digits, the secret and check characters 8 and
4 characters of :data:`ALPHABET`, and fields are separated by ``:``. So an encoded token never
contains a run of 9 or more digits (the shape of an old CMND or a 12-digit CCCD number), and
:func:`_token` refuses to emit one should the shapes ever be loosened.

Token, version 1 (``<check>`` covers everything from the kind to the last ``:``)::

    T1:<centre>:<YYYYMMDD>:<number>:<secret>:<check>   T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T
    D1:<dossier code>:<secret>:<check>                 D1:000.00.10.H39-260105-0001:K7M2P9QX:LL2R

Two forms of the same token:

- **compact**, when no public lookup address is configured: ``MOTCUA:`` + token, e.g.
  ``MOTCUA:T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T``. With an upper-case centre code without
  ``_`` this is all in the QR alphanumeric character set (smaller QR). A scan that arrives in
  lower case (a scanner typing with Caps Lock on) is accepted when its case can be restored
  (see :func:`decode`).
- **URL**, when ``[lookup] base_url`` is set: ``<base_url>?t=<token>`` (``&t=`` when the address
  already has a query). ``:`` ``.`` ``-`` ``_`` are all legal unescaped in a query (RFC 3986
  ``pchar``), so the token needs no percent-escaping; a decoder that receives it escaped
  (``%3A``) still works. Centre codes and dossier codes never contain ``:``, so splitting on
  ``:`` is unambiguous although dossier codes contain ``.`` and ``-``.

``<check>`` is 4 characters of :data:`ALPHABET` (20 bits): a polynomial hash of the token text
modulo the prime 2**20 - 3. Unlike a truncated SHA-256 it is *guaranteed* to change when any one
character is replaced or two neighbours are swapped; other damage is caught with probability
about 1 - 1e-6. It only detects typing and printing errors offline (:class:`TamperedCode`):
anyone can recompute it, so it proves nothing. What authorises a lookup is the secret, which the
caller verifies against the database (compare with :func:`secrets.compare_digest`, rate-limit
lookups).

Errors: garbage gives :class:`MalformedCode` with a short bilingual ``detail`` that never repeats
the input; a well-formed token whose check fails gives :class:`TamperedCode`. Encoding invalid
values is a programming error: :class:`ValueError` (or :class:`TypeError`), again without the
values in the message.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, TypeAlias
from urllib.parse import parse_qsl, urlsplit

from shared.errors import MalformedCode, TamperedCode

ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""32 symbols without 0/O and 1/I: secrets and check characters, easy to read and type."""

SECRET_LENGTH: Final = 8
"""8 symbols of :data:`ALPHABET` = 40 bits."""

CHECK_LENGTH: Final = 4
PREFIX: Final = "MOTCUA:"
TICKET_KIND: Final = "T1"
DOSSIER_KIND: Final = "D1"
MAX_INPUT_LENGTH: Final = 512
"""Longer input is refused before any parsing; also the limit of an encoded URL."""

_CENTRE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")  # as catalogue codes
_NUMBER = re.compile(r"[A-Z]{0,2}[0-9]{1,6}")
_DOSSIER = re.compile(
    r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}-(?P<ymd>[0-9]{6})-[0-9]{4,6}"
)
_DAY = re.compile(r"[0-9]{8}")
_SECRET = re.compile(f"[{ALPHABET}]{{{SECRET_LENGTH}}}")
_CHECK = re.compile(f"[{ALPHABET}]{{{CHECK_LENGTH}}}")
_KIND = re.compile(r"([A-Z])([0-9]{1,3})")
_LONG_DIGIT_RUN = re.compile(r"[0-9]{9,}")
_VISIBLE_ASCII = re.compile(r"[!-~]+")

_FIELDS = {"T": 6, "D": 4}  # fields of a version-1 token, kind and check included

# The check: Horner's rule over the ASCII bytes, modulo a prime just below 32**4.
_P: Final = 1_048_573  # 2**20 - 3, prime
_B: Final = 65_537
_SEED: Final = 0x4D43  # "MC"

# Short details for MalformedCode (both languages: the message template has one {detail}).
_EMPTY = "mã trống / empty"
_TOO_LONG = "quá dài / too long"
_NOT_ASCII = "có ký tự không hợp lệ / invalid characters"
_NOT_OURS = "không phải mã MOTCUA hay địa chỉ tra cứu / not a MOTCUA code or lookup address"
_NO_T = "địa chỉ không có tham số t / address without a t parameter"
_MANY_T = "địa chỉ có nhiều tham số t / address with several t parameters"
_KIND_UNKNOWN = "loại mã không rõ / unknown kind"
_VERSION = "phiên bản mã không được hỗ trợ / unsupported version"
_FIELD_COUNT = "sai số trường / wrong number of fields"
_BAD_CENTRE = "mã trung tâm sai / bad centre code"
_BAD_DAY = "ngày sai / bad day"
_BAD_NUMBER = "số thứ tự sai / bad ticket number"
_BAD_DOSSIER = "mã hồ sơ sai / bad dossier code"
_BAD_SECRET = "mã tra cứu sai / bad lookup secret"
_BAD_CHECK = "ký tự kiểm tra sai / bad check characters"


def new_secret() -> str:
    """A random lookup secret: 8 symbols of :data:`ALPHABET` (40 bits), e.g. ``K7M2P9QX``."""
    bits = secrets.randbits(5 * SECRET_LENGTH)  # one draw: 32 symbols are 5 bits each
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(SECRET_LENGTH))


def check_characters(body: str) -> str:
    """The 4 check characters of a token body (the token up to, without, its last ``:``)."""
    value = _SEED
    for byte in body.encode("ascii"):
        value = (value * _B + byte) % _P
    chars = []
    for _ in range(CHECK_LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


@dataclass(frozen=True)
class TicketToken:
    """A queue ticket: centre code, service day, number as printed ("1023", "A012"), secret."""

    centre: str
    day: date
    number: str
    secret: str = field(repr=False)  # a credential: keep it out of logs

    def __post_init__(self) -> None:
        for name in ("centre", "number", "secret"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"TicketToken.{name} must be a str")
        if not isinstance(self.day, date) or isinstance(self.day, datetime):
            raise TypeError("TicketToken.day must be a date (not a datetime)")
        problem = _ticket_problem(self.centre, self.number, self.secret)
        if problem:
            raise ValueError(f"cannot encode a ticket token: {_english(problem)}")

    @property
    def token(self) -> str:
        """The token with its check, e.g. ``T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T``."""
        day = f"{self.day.year:04d}{self.day.month:02d}{self.day.day:02d}"
        return _token(TICKET_KIND, self.centre, day, self.number, self.secret)

    def encode(self, base_url: str = "") -> str:
        """The QR text: the compact form, or the URL form when ``base_url`` is given."""
        return _wrap(self.token, base_url)


@dataclass(frozen=True)
class DossierToken:
    """A dossier: its code (mã hồ sơ, ``000.17.22.H56-210531-0001``) and its lookup secret."""

    code: str
    secret: str = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("code", "secret"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"DossierToken.{name} must be a str")
        problem = _dossier_problem(self.code, self.secret)
        if problem:
            raise ValueError(f"cannot encode a dossier token: {_english(problem)}")

    @property
    def agency_eid(self) -> str:
        """The receiving agency's e-ID, the first part of the code (``000.17.22.H56``)."""
        return self.code.split("-", 1)[0]

    @property
    def token(self) -> str:
        """The token with its check, e.g. ``D1:000.00.10.H39-260105-0001:K7M2P9QX:LL2R``."""
        return _token(DOSSIER_KIND, self.code, self.secret)

    def encode(self, base_url: str = "") -> str:
        """The QR text: the compact form, or the URL form when ``base_url`` is given."""
        return _wrap(self.token, base_url)


Token: TypeAlias = TicketToken | DossierToken


def encode_ticket(centre: str, day: date, number: str, secret: str, base_url: str = "") -> str:
    """The QR text of a ticket: ``MOTCUA:T1:…`` or ``<base_url>?t=T1:…``.

    Raises :class:`ValueError` for a value of the wrong shape (non-ASCII included) or an unusable
    ``base_url``: callers pass values from the database, so that is a programming error.
    """
    return TicketToken(centre, day, number, secret).encode(base_url)


def encode_dossier(code: str, secret: str, base_url: str = "") -> str:
    """The QR text of a dossier: ``MOTCUA:D1:…`` or ``<base_url>?t=D1:…``.

    Raises :class:`ValueError` like :func:`encode_ticket`.
    """
    return DossierToken(code, secret).encode(base_url)


def decode(text: str | bytes) -> Token:
    """The token in a scanned or typed QR text, in either form.

    Accepted: ``MOTCUA:<token>`` and any ``http(s)`` address whose query has exactly one ``t``
    parameter holding a token, with surrounding whitespace (scanners add CR/LF). A compact form
    scanned in lower case (``motcua:t1:…``) is accepted when the check confirms the restored
    case: everything but the centre code is upper case, and the centre code is tried inverted
    (Caps Lock), in upper case and as scanned. Everything else is strict.

    Raises :class:`MalformedCode` (input longer than :data:`MAX_INPUT_LENGTH`, refused before
    parsing; non-ASCII; wrong prefix, kind, version or field; missing ``t``) or
    :class:`TamperedCode` (well formed but the check characters do not match). The secret is
    *not* verified here: the caller compares it with the one stored for the ticket or dossier.
    """
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_INPUT_LENGTH:
            raise MalformedCode(detail=_TOO_LONG)
        if not text.isascii():
            raise MalformedCode(detail=_NOT_ASCII)
        text = text.decode("ascii")
    if not isinstance(text, str):
        raise TypeError("decode() takes a str or bytes")
    if len(text) > MAX_INPUT_LENGTH:
        raise MalformedCode(detail=_TOO_LONG)
    if not text.isascii():
        raise MalformedCode(detail=_NOT_ASCII)
    text = text.strip()
    if not text:
        raise MalformedCode(detail=_EMPTY)
    if not _VISIBLE_ASCII.fullmatch(text):
        raise MalformedCode(detail=_NOT_ASCII)
    if text.startswith(PREFIX):
        return _decode_token(text[len(PREFIX) :], case_altered=False)
    if text.startswith(PREFIX.lower()):
        return _decode_token(text[len(PREFIX) :], case_altered=True)
    return _decode_token(_token_from_url(text), case_altered=False)


# --- internals ---------------------------------------------------------------------------------


def _english(detail: str) -> str:
    return detail.rsplit(" / ", 1)[-1]


def _ticket_problem(centre: str, number: str, secret: str) -> str | None:
    """What is wrong with the fields of a ticket token (the day is checked by the caller)."""
    if not centre.isascii() or not _CENTRE.fullmatch(centre):
        return _BAD_CENTRE
    if not number.isascii() or not _NUMBER.fullmatch(number):
        return _BAD_NUMBER  # at most 6 digits: never a 9- or 12-digit ID number
    if not secret.isascii() or not _SECRET.fullmatch(secret):
        return _BAD_SECRET
    return None


def _dossier_problem(code: str, secret: str) -> str | None:
    match = _DOSSIER.fullmatch(code) if code.isascii() else None
    if match is None or _parse_day("20" + match["ymd"]) is None:
        return _BAD_DOSSIER
    if not secret.isascii() or not _SECRET.fullmatch(secret):
        return _BAD_SECRET
    return None


def _parse_day(text: str) -> date | None:
    if not _DAY.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _token(*fields: str) -> str:
    body = ":".join(fields)
    # Defence in depth: the field shapes already make this impossible (see the module doc).
    if _LONG_DIGIT_RUN.search(body):
        raise ValueError("refusing to encode a run of 9+ digits (it could be an ID number)")
    return f"{body}:{check_characters(body)}"


def _wrap(token: str, base_url: str) -> str:
    if not base_url:
        return PREFIX + token
    if not isinstance(base_url, str):
        raise TypeError("base_url must be a str")
    if not base_url.isascii() or not _VISIBLE_ASCII.fullmatch(base_url):
        raise ValueError(
            "base_url must be printable ASCII without spaces (write an international "
            "domain name in its xn-- form and percent-escape the path)"
        )
    try:
        parts = urlsplit(base_url)
    except ValueError as exc:
        raise ValueError("base_url is not a valid address") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("base_url must be an http:// or https:// address")
    if "#" in base_url:
        raise ValueError("base_url must not have a #fragment (the token goes in the query)")
    if any(key == "t" for key, _ in parse_qsl(parts.query, keep_blank_values=True)):
        raise ValueError("base_url already has a t parameter")
    if base_url.endswith(("?", "&")):
        joiner = ""
    else:
        joiner = "&" if "?" in base_url else "?"
    url = f"{base_url}{joiner}t={token}"
    if len(url) > MAX_INPUT_LENGTH:
        raise ValueError(f"base_url too long: the QR text must fit in {MAX_INPUT_LENGTH} chars")
    return url


def _token_from_url(text: str) -> str:
    try:
        parts = urlsplit(text)
    except ValueError:
        raise MalformedCode(detail=_NOT_OURS) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise MalformedCode(detail=_NOT_OURS)
    values = [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k == "t"]
    if not any(values):
        raise MalformedCode(detail=_NO_T)
    if len(values) > 1:
        raise MalformedCode(detail=_MANY_T)
    token = values[0]
    if not token.isascii():  # after percent-decoding
        raise MalformedCode(detail=_NOT_ASCII)
    return token


def _decode_token(token: str, *, case_altered: bool) -> Token:
    fields = token.split(":")
    kind = _KIND.fullmatch(fields[0].upper() if case_altered else fields[0])
    if kind is None or kind[1] not in _FIELDS:
        raise MalformedCode(detail=_KIND_UNKNOWN)
    if kind[2] != "1":
        raise MalformedCode(detail=_VERSION)
    if len(fields) != _FIELDS[kind[1]]:
        raise MalformedCode(detail=_FIELD_COUNT)

    if not case_altered:
        candidates = [fields]
    else:
        upper = [f.upper() for f in fields]
        candidates = [upper]
        if kind[1] == "T":  # centre codes may hold lower-case letters
            centre = fields[1]
            for variant in dict.fromkeys((centre.swapcase(), centre)):
                if variant != upper[1]:
                    candidates.append([*upper[:1], variant, *upper[2:]])

    problem: str | None = None
    tampered = False
    for candidate in candidates:
        result = _parse_ticket(candidate) if kind[1] == "T" else _parse_dossier(candidate)
        if isinstance(result, str):
            problem = problem or result
        elif check_characters(":".join(candidate[:-1])) != candidate[-1]:
            tampered = True
        else:
            return result
    if tampered:
        raise TamperedCode()
    raise MalformedCode(detail=problem or _NOT_OURS)


def _parse_ticket(fields: list[str]) -> TicketToken | str:
    _kind, centre, day_text, number, secret, check = fields
    problem = _ticket_problem(centre, number, secret)
    if problem:
        return problem
    day = _parse_day(day_text)
    if day is None:
        return _BAD_DAY
    if not _CHECK.fullmatch(check):
        return _BAD_CHECK
    return TicketToken(centre, day, number, secret)


def _parse_dossier(fields: list[str]) -> DossierToken | str:
    _kind, code, secret, check = fields
    problem = _dossier_problem(code, secret)
    if problem:
        return problem
    if not _CHECK.fullmatch(check):
        return _BAD_CHECK
    return DossierToken(code, secret)
