"""One translation mechanism: every text in Vietnamese and English, NFC, same placeholders."""

from __future__ import annotations

import string
import unicodedata

import pytest

from shared.errors import IllegalTransition
from shared.i18n import MESSAGES, fold, nfc, set_language, tr


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = MESSAGES[key]
    assert vi.strip() and en.strip()
    assert unicodedata.is_normalized("NFC", vi) and unicodedata.is_normalized("NFC", en)
    assert _fields(vi) == _fields(en)


def test_language_switch_and_errors_follow_it() -> None:
    error = IllegalTransition(action="x", number="2001", status="y")
    set_language("en")
    try:
        assert tr("status.waiting") == "waiting"
        assert error.message.startswith("Cannot")
    finally:
        set_language("vi")
    assert tr("status.waiting") == "đang chờ"
    assert error.message.startswith("Không thể")
    with pytest.raises(ValueError):
        set_language("fr")


def test_search_ignores_tone_marks_and_case() -> None:
    assert fold("Đăng ký Khai sinh") == "dang ky khai sinh"
    assert fold("  HỘ   TỊCH ") == "ho tich"
    decomposed = unicodedata.normalize("NFD", "Chứng thực")
    assert fold(decomposed) == fold("Chứng thực") == "chung thuc"
    assert nfc(decomposed) == "Chứng thực"
