"""ID numbers, phones and e-mails: the published structure only, no invented checksum."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from shared.i18n import MESSAGES
from shared.idnumbers import (
    PROVINCE_CODES,
    birth_year,
    check_email,
    check_id,
    check_phone,
    mask_id,
    mask_name,
    normalise_id,
    normalise_phone,
)

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

TODAY = date(2026, 11, 25)


def test_the_province_list_is_the_63_codes_of_the_circular() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["080"] == "Long An"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)
    assert all(1 <= int(code) <= 96 for code in PROVINCE_CODES)
    # Gaps in the numbering are not provinces.
    for missing in ("000", "003", "005", "097", "099"):
        assert missing not in PROVINCE_CODES


@pytest.mark.parametrize(
    ("number", "year"),
    [
        ("001085012345", 1985),  # male, 1900s
        ("079185012345", 1985),  # female, 1900s
        ("038203012345", 2003),  # male, 2000s
        ("038326012345", 2026),  # female, born this year
        ("001 203 001 234", 2003),  # spaces as people type them
    ],
)
def test_valid_citizen_ids(number: str, year: int) -> None:
    assert check_id("cccd", number, today=TODAY) is None
    assert birth_year(normalise_id("cccd", number)) == year


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("00108501234", "dossier.invalid.cccd_shape"),  # 11 digits
        ("0010850123456", "dossier.invalid.cccd_shape"),  # 13 digits
        ("00108501234A", "dossier.invalid.cccd_shape"),
        ("００１０８５０１２３４５", "dossier.invalid.cccd_shape"),  # full-width digits
        ("000085012345", "dossier.invalid.cccd_province"),
        ("003085012345", "dossier.invalid.cccd_province"),
        ("097085012345", "dossier.invalid.cccd_province"),
        ("001227012345", "dossier.invalid.cccd_year"),  # 2027: in the future
        ("001400012345", "dossier.invalid.cccd_year"),  # 2100s
        ("001985012345", "dossier.invalid.cccd_year"),  # 2300s
    ],
)
def test_invalid_citizen_ids(number: str, key: str) -> None:
    assert check_id("cccd", number, today=TODAY) == key
    assert key in MESSAGES


def test_no_checksum_is_invented() -> None:
    """Every last-6-digit variant of a well-formed number is accepted: there is no check."""
    for tail in ("000000", "123456", "999999", "314159"):
        assert check_id("cccd", f"001085{tail}", today=TODAY) is None


@pytest.mark.parametrize(
    ("id_type", "number", "ok"),
    [
        ("cmnd", "025123456", True),
        ("cmnd", "001085012345", True),
        ("cmnd", "02512345", False),
        ("cmnd", "0251234567", False),
        ("passport", "C1234567", True),
        ("passport", "c1234567", True),  # stored in upper case
        ("passport", "AB1234567", True),  # foreign: 8–9 letters and digits
        ("passport", "C123456", False),
        ("passport", "C12345678X", False),
        ("passport", "C123-4567", False),
        ("tax", "0301234567", True),
        ("tax", "0301234567-001", True),
        ("tax", "030123456", False),
        ("tax", "0301234567001", False),
        ("tax", "0301234567-01", False),
        ("other", "123", False),
    ],
)
def test_other_id_shapes(id_type: str, number: str, ok: bool) -> None:
    assert (check_id(id_type, number, today=TODAY) is None) is ok


@pytest.mark.parametrize(
    ("text", "stored", "ok"),
    [
        ("0912345678", "0912345678", True),
        ("0912 345 678", "0912345678", True),
        ("+84 912 345 678", "0912345678", True),
        ("84912345678", "0912345678", True),
        ("0388.123.456", "0388123456", True),
        ("(028) 3823 4567", "02838234567", True),  # landline, 11 digits
        ("0212345678", "0212345678", False),  # 02 landline needs 11 digits
        ("0112345678", "0112345678", False),
        ("091234567", "091234567", False),
        ("abc", "abc", False),
    ],
)
def test_phones(text: str, stored: str, ok: bool) -> None:
    assert normalise_phone(text) == stored
    assert (check_phone(text) is None) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("an.nguyen@example.vn", True),
        ("a@b.co", True),
        ("an@", False),
        ("an@example", False),
        ("an nguyen@example.vn", False),
        ("@example.vn", False),
    ],
)
def test_emails(text: str, ok: bool) -> None:
    assert (check_email(text) is None) is ok


def test_masks() -> None:
    assert mask_name("Nguyễn Văn An") == "N*** V*** A**"
    decomposed = unicodedata.normalize("NFD", "Đặng Thị Ánh")
    assert mask_name(decomposed) == "Đ*** T*** Á***"
    assert mask_name("") == ""
    assert mask_id("001203001234") == "*********234"
    assert mask_id("C1234567") == "*****567"
    assert mask_id("12") == "**"
    assert "001203" not in mask_id("001203001234")
