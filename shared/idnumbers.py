"""Checking and masking the numbers people write on a dossier: ID numbers, phones, e-mails.

Only shapes and the published structure are checked; none of these numbers has a public
checksum, so none is invented here.

**Citizen ID (CCCD, số định danh cá nhân)**, Circular 07/2016/TT-BCA (as amended by Circular
59/2021/TT-BCA): 12 digits = 3-digit code of the province where the birth was registered
(:data:`PROVINCE_CODES`) + 1 digit for century and sex + 2 digits year of birth + 6 random digits.
Century and sex: 0/1 = male/female born 1900–1999, 2/3 = 2000–2099, 4/5 = 2100–2199, 6/7 =
2200–2299, 8/9 = 2300–2399. The year so written must not be in the future.

**Old identity card (CMND)**: 9 digits (12 for the cards of 2012–2016). **Passport**: a letter and
7 digits (Vietnamese), or 8–9 letters and digits (other countries). **Tax code (MST)**: 10
digits, or 10 digits, "-" and a 3-digit branch suffix.

The functions return translation keys (``dossier.invalid.*`` in :mod:`shared.i18n`), never the
number itself, so a message can never leak it into a log.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from shared.clock import DEFAULT_TIMEZONE, today_in
from shared.i18n import nfc

ID_TYPES: Final = ("cccd", "cmnd", "passport", "tax")

PROVINCE_CODES: Final[dict[str, str]] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
"""Province codes of birth registration, Circular 07/2016/TT-BCA appendix (the 63 provinces
as they were; numbers already issued keep them after the 2025 mergers)."""

_CCCD = re.compile(r"[0-9]{12}")
_CMND = re.compile(r"[0-9]{9}|[0-9]{12}")
_PASSPORT = re.compile(r"[A-Z][0-9]{7}|[A-Z0-9]{8,9}")
_TAX = re.compile(r"[0-9]{10}(-[0-9]{3})?")
_SEPARATORS = re.compile(r"[\s.]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def normalise_id(id_type: str, text: str) -> str:
    """The number as stored: NFC, without spaces or dots, letters in upper case."""
    return _SEPARATORS.sub("", nfc(text)).upper()


def birth_year(cccd: str) -> int | None:
    """The year of birth a well-shaped CCCD number states (None when it is not 12 digits)."""
    if not _CCCD.fullmatch(cccd):
        return None
    return 1900 + 100 * (int(cccd[3]) // 2) + int(cccd[4:6])


def check_id(id_type: str, text: str, *, today: date | None = None) -> str | None:
    """The translation key of what is wrong with an ID number, or None when it is fine."""
    number = normalise_id(id_type, text)
    if id_type == "cccd":
        if not number.isascii() or not _CCCD.fullmatch(number):
            return "dossier.invalid.cccd_shape"
        if number[:3] not in PROVINCE_CODES:
            return "dossier.invalid.cccd_province"
        year = birth_year(number)
        if year is None or year > (today or today_in(DEFAULT_TIMEZONE)).year:
            return "dossier.invalid.cccd_year"
        return None
    if id_type == "cmnd":
        ok = number.isascii() and _CMND.fullmatch(number)
        return None if ok else "dossier.invalid.cmnd_shape"
    if id_type == "passport":
        ok = number.isascii() and _PASSPORT.fullmatch(number)
        return None if ok else "dossier.invalid.passport_shape"
    if id_type == "tax":
        ok = number.isascii() and _TAX.fullmatch(number)
        return None if ok else "dossier.invalid.tax_shape"
    return "dossier.invalid.id_type"


def normalise_phone(text: str) -> str:
    """``+84 912 345 678`` / ``84912345678`` / ``0912.345.678`` → ``0912345678``."""
    digits = _PHONE_SEPARATORS.sub("", nfc(text))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def check_phone(text: str) -> str | None:
    """A Vietnamese mobile (10 digits, 03/05/07/08/09…) or landline (11 digits, 02…)."""
    phone = normalise_phone(text)
    if phone.isascii() and (_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone)):
        return None
    return "dossier.invalid.phone"


def check_email(text: str) -> str | None:
    return None if _EMAIL.fullmatch(nfc(text).strip()) else "dossier.invalid.email"


def mask_id(number: str) -> str:
    """An ID number as shown outside the receiving form: only its last 3 characters.

    ``mask_id("001203001234") == "*********234"``.
    """
    clean = nfc(number).strip()
    if len(clean) <= 3:
        return "*" * len(clean)
    return "*" * (len(clean) - 3) + clean[-3:]


def mask_name(name: str) -> str:
    """A name as the kiosk shows it: ``"Nguyễn Văn An"`` → ``"N*** V*** A**"``.

    Only the first character of each word, in upper case, stays; the result is NFC (the upper
    case of some letters, e.g. "ΐ", is decomposed and is composed again here).
    """
    words = nfc(name).split()
    return " ".join(nfc(word[0].upper()) + "*" * max(2, min(3, len(word))) for word in words)
