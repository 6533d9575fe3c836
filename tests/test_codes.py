"""QR content: tokens round-trip in both forms, damage is always caught, nothing personal leaks."""

from __future__ import annotations

import random
import re
import string
from datetime import date, datetime, timedelta

import pytest
import qrcode
from pyzbar.pyzbar import decode as zbar_decode

from shared.codes import (
    ALPHABET,
    MAX_INPUT_LENGTH,
    SECRET_LENGTH,
    DossierToken,
    TicketToken,
    check_characters,
    decode,
    encode_dossier,
    encode_ticket,
    new_secret,
)
from shared.errors import CodeError, MalformedCode, TamperedCode
from shared.i18n import set_language

DAY = date(2026, 1, 5)
SECRET = "K7M2P9QX"
DOSSIER = "000.00.10.H39-260105-0001"
TICKET_TEXT = "MOTCUA:T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T"
DOSSIER_TEXT = "MOTCUA:D1:000.00.10.H39-260105-0001:K7M2P9QX:LL2R"
BASE_URLS = [
    "https://dichvucong.example.gov.vn/tra-cuu",
    "https://dichvucong.example.gov.vn/tra-cuu/",
    "http://192.0.2.10:8080/motcua/lookup?lang=vi",
    "https://example.vn/?",
    "https://example.vn/x?a=1&",
    "HTTPS://EXAMPLE.VN/TRA_CUU.php?src=qr&v=2",
]
ID_RUN = re.compile(r"[0-9]{9,}")
_CENTRE_CHARS = string.ascii_letters + string.digits
_SEGMENT = string.digits + string.ascii_uppercase


# --- random valid values -----------------------------------------------------------------------


def _centre(rng: random.Random) -> str:
    rest = "".join(rng.choices(_CENTRE_CHARS + "._-", k=rng.randint(0, 31)))
    return rng.choice(_CENTRE_CHARS) + rest


def _day(rng: random.Random) -> date:
    return date(2000, 1, 1) + timedelta(days=rng.randrange(100 * 366))


def _number(rng: random.Random) -> str:
    prefix = "".join(rng.choices(string.ascii_uppercase, k=rng.randint(0, 2)))
    return prefix + "".join(rng.choices(string.digits, k=rng.randint(1, 6)))


def _secret(rng: random.Random) -> str:
    return "".join(rng.choices(ALPHABET, k=SECRET_LENGTH))


def _dossier(rng: random.Random) -> str:
    def seg(n: int) -> str:
        return "".join(rng.choices(_SEGMENT, k=n))

    eid = f"{seg(3)}.{seg(2)}.{seg(2)}.{rng.choice(string.ascii_uppercase)}{rng.randint(0, 99):02d}"
    received = date(2000, 1, 1) + timedelta(days=rng.randrange(100 * 365))
    serial = "".join(rng.choices(string.digits, k=rng.randint(4, 6)))
    return f"{eid}-{received:%y%m%d}-{serial}"


def _tokens(seed: int, count: int) -> list[TicketToken | DossierToken]:
    rng = random.Random(seed)
    tokens: list[TicketToken | DossierToken] = []
    for _ in range(count):
        tokens.append(TicketToken(_centre(rng), _day(rng), _number(rng), _secret(rng)))
        tokens.append(DossierToken(_dossier(rng), _secret(rng)))
    return tokens


def _encode(token: TicketToken | DossierToken, base_url: str = "") -> str:
    if isinstance(token, TicketToken):
        return encode_ticket(token.centre, token.day, token.number, token.secret, base_url)
    return encode_dossier(token.code, token.secret, base_url)


# --- secrets -----------------------------------------------------------------------------------


def test_new_secret_is_short_unambiguous_and_random_enough() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("0O1I") & set(ALPHABET)
    assert len(ALPHABET) ** SECRET_LENGTH >= 2**40
    seen = {new_secret() for _ in range(2000)}
    assert len(seen) == 2000
    for secret in seen:
        assert len(secret) == SECRET_LENGTH and set(secret) <= set(ALPHABET)
    # every symbol turns up: the choice covers the whole alphabet
    assert set("".join(seen)) == set(ALPHABET)


# --- formats and round trips -------------------------------------------------------------------


def test_the_version_1_formats_are_stable() -> None:
    """Printed slips live for weeks: the exact text of a token must not drift."""
    assert encode_ticket("HCC-LA", DAY, "A012", SECRET) == TICKET_TEXT
    assert encode_dossier(DOSSIER, SECRET) == DOSSIER_TEXT
    base = "https://dichvucong.example.gov.vn/tra-cuu"
    assert encode_ticket("HCC-LA", DAY, "A012", SECRET, base) == f"{base}?t={TICKET_TEXT[7:]}"
    assert encode_dossier(DOSSIER, SECRET, base + "?lang=vi") == (
        f"{base}?lang=vi&t={DOSSIER_TEXT[7:]}"
    )
    assert decode(TICKET_TEXT) == TicketToken("HCC-LA", DAY, "A012", SECRET)
    assert decode(DOSSIER_TEXT) == DossierToken(DOSSIER, SECRET)
    assert decode(DOSSIER_TEXT).agency_eid == "000.00.10.H39"


def test_round_trip_of_many_random_tokens_in_both_forms() -> None:
    for i, token in enumerate(_tokens(seed=20260105, count=400)):
        for base in ["", BASE_URLS[i % len(BASE_URLS)]]:
            text = _encode(token, base)
            assert text == token.encode(base)
            assert text.isascii() and text.isprintable() and " " not in text
            assert len(text) <= MAX_INPUT_LENGTH
            assert not ID_RUN.search(text), text
            assert text.startswith("MOTCUA:" if not base else base)
            assert text.endswith(token.token)
            assert decode(text) == token
            assert decode(f" \t{text}\r\n") == token  # scanners add CR/LF or a tab
            assert decode(text.encode("ascii")) == token  # bytes as pyzbar returns them


def test_url_form_is_found_in_any_address_and_survives_percent_escaping() -> None:
    token = TicketToken("HCC-LA", DAY, "A012", SECRET)
    other_site = f"https://mirror.example.com/a/b?x=1&t={token.token}&y=%20#top"
    assert decode(other_site) == token
    escaped = token.token.replace(":", "%3A")
    assert decode(f"https://example.vn/tra-cuu?t={escaped}") == token


def test_a_lower_case_scan_of_the_compact_form_is_accepted_when_its_case_is_recoverable() -> None:
    for centre in ["HCC-LA", "hcc-la", "hcc.1_x"]:
        token = TicketToken(centre, DAY, "A012", SECRET)
        compact = token.encode()
        assert decode(compact.lower()) == token
        assert decode(compact.swapcase()) == token  # a scanner typing with Caps Lock on
    dossier = DossierToken(DOSSIER, SECRET)
    assert decode(dossier.encode().lower()) == dossier
    # a mixed-case centre code cannot be restored from an all lower-case scan
    mixed = TicketToken("Hcc-La", DAY, "A012", SECRET)
    assert decode(mixed.encode().swapcase()) == mixed
    with pytest.raises(TamperedCode):
        decode(mixed.encode().lower())
    # the URL form stays strict: the token in a query keeps its case
    with pytest.raises(CodeError):
        decode(f"https://example.vn/?t={token.token.lower()}")


# --- damage is always caught -------------------------------------------------------------------


_REPLACEMENTS = [chr(c) for c in range(32, 127)] + ["\t", "\n", "\x00", "\x7f", "Đ", "：", "\u200b"]


def _assert_rejected(text: str, original: TicketToken | DossierToken) -> None:
    try:
        result = decode(text)
    except CodeError:
        return
    pytest.fail(f"{text!r} decoded to {result!r} (original {original!r})")


def test_every_single_character_change_of_a_compact_code_is_rejected() -> None:
    tokens = _tokens(seed=7, count=6) + [TicketToken("hcc-la", DAY, "1023", SECRET)]
    for token in tokens:
        text = token.encode()
        for i, old in enumerate(text):
            for new in _REPLACEMENTS:
                if new != old:
                    _assert_rejected(text[:i] + new + text[i + 1 :], token)


def test_every_single_character_change_of_the_token_in_a_url_is_rejected() -> None:
    for token in _tokens(seed=8, count=2):
        base = "https://dichvucong.example.gov.vn/tra-cuu?lang=vi"
        text = token.encode(base)
        for i in range(len(base), len(text)):
            for new in _REPLACEMENTS:
                if new != text[i]:
                    _assert_rejected(text[:i] + new + text[i + 1 :], token)


def test_swapped_neighbours_deleted_and_inserted_characters_are_rejected() -> None:
    for token in _tokens(seed=9, count=6):
        text = token.encode()
        for i in range(len(text) - 1):
            if text[i] != text[i + 1]:
                _assert_rejected(text[:i] + text[i + 1] + text[i] + text[i + 2 :], token)
        for i in range(len(text)):
            _assert_rejected(text[:i] + text[i + 1 :], token)
            for new in "0A:.-":
                if 0 < i:
                    _assert_rejected(text[:i] + new + text[i:], token)


def test_a_changed_value_with_a_valid_shape_is_reported_as_tampered() -> None:
    for altered in [
        TICKET_TEXT.replace(":A012:", ":A013:"),
        TICKET_TEXT.replace("20260105", "20260106"),
        TICKET_TEXT.replace("K7M2P9QX", "K7M2P9QY"),
        TICKET_TEXT[:-1] + "U",
        DOSSIER_TEXT.replace("-0001:", "-0002:"),
        DOSSIER_TEXT.replace("H39", "H56"),
    ]:
        with pytest.raises(TamperedCode):
            decode(altered)


def test_every_truncation_is_malformed() -> None:
    for text in (TICKET_TEXT, DOSSIER_TEXT):
        for end in range(len(text)):
            with pytest.raises(MalformedCode):
                decode(text[:end])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \r\n",
        "MOTCUA:",
        "MOTCUA",
        "1023",
        "hello world",
        "MOTCUB:T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "MOTCUA;T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "motcua-T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",  # a bare token is neither form
        "MOTCUA:T2:HCC-LA:20260105:A012:K7M2P9QX:QA7T",  # unknown version
        "MOTCUA:T0:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "MOTCUA:T01:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "MOTCUA:D2:000.00.10.H39-260105-0001:K7M2P9QX:LL2R",
        "MOTCUA:X1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",  # unknown kind
        "MOTCUA:T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T:",
        "MOTCUA:T1:HCC-LA:20260105:A012:K7M2P9QX",
        "MOTCUA:T1:HCC LA:20260105:A012:K7M2P9QX:QA7T",
        "MOTCUA:T1:HCC-LÀ:20260105:A012:K7M2P9QX:QA7T",  # non-ASCII
        "MOTCUA：T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",  # full-width colon
        "MOTCUA:D1:000.00.10.H39-260105-0001:K7M2P9QX:LL2R:extra",
        "https://dichvucong.example.gov.vn/tra-cuu",  # URL without t
        "https://dichvucong.example.gov.vn/tra-cuu?ticket=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "https://dichvucong.example.gov.vn/tra-cuu?t=",
        "https://example.vn/?t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T&t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "https://example.vn/#t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",  # in the fragment
        "https://example.vn/?t=MOTCUA:T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "https://example.vn/?t=T1%3AHCC-L%C3%80%3A20260105%3AA012%3AK7M2P9QX%3AQA7T",
        "ftp://example.vn/?t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "https:///?t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "http://[::1/?t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T",
        "https://example.vn/?t=T1:HCC-LA:20260105:A012:K7M2P9QX:QA7T\n&x=1",
    ],
)
def test_garbage_is_malformed(text: str) -> None:
    with pytest.raises(MalformedCode):
        decode(text)


def test_huge_input_is_refused_before_parsing() -> None:
    huge = "MOTCUA:T1:" + "A" * 10_000_000
    for text in (huge, huge.encode("ascii"), "Đ" * 10_000_000, "A" * (MAX_INPUT_LENGTH + 1)):
        with pytest.raises(MalformedCode) as caught:
            decode(text)
        assert caught.value.params["detail"] == "quá dài / too long"  # on its length alone
    with pytest.raises(MalformedCode):
        decode("https://example.vn/?t=" + TICKET_TEXT[7:] + "&pad=" + "x" * MAX_INPUT_LENGTH)
    with pytest.raises(MalformedCode):
        decode("Đ".encode())


def _forged(*fields: str) -> str:
    """A text whose check characters are right but whose fields break the shapes."""
    body = ":".join(fields)
    return f"MOTCUA:{body}:{check_characters(body)}"


@pytest.mark.parametrize(
    "fields",
    [
        ("T1", "HCC-LA", "20260105", "079203012345", SECRET),  # a CCCD number as ticket number
        ("T1", "HCC-LA", "20260105", "123456789", SECRET),  # an old CMND number
        ("T1", "HCC-LA", "20260105", "1234567", SECRET),
        ("T1", "HCC-LA", "20260105", "ABC12", SECRET),
        ("T1", "HCC-LA", "20260105", "a012", SECRET),
        ("T1", "HCC-LA", "20260230", "A012", SECRET),  # no 30 February
        ("T1", "HCC-LA", "2026015", "A012", SECRET),
        ("T1", "-HCC", "20260105", "A012", SECRET),
        ("T1", "H" * 33, "20260105", "A012", SECRET),
        ("T1", "HCC/LA", "20260105", "A012", SECRET),
        ("T1", "", "20260105", "A012", SECRET),
        ("T1", "HCC-LA", "20260105", "A012", "K7M2P9Q0"),  # 0 is not in the alphabet
        ("T1", "HCC-LA", "20260105", "A012", "K7M2P9Q"),
        ("T1", "HCC-LA", "20260105", "A012", "K7M2P9QXK7M2P9QX"),
        ("D1", "000.00.10.H39-261305-0001", SECRET),  # month 13
        ("D1", "000.00.10.H39-260105-001", SECRET),
        ("D1", "000.00.10.39-260105-0001", SECRET),
        ("D1", "000.00.10.h39-260105-0001", SECRET),
        ("D1", "079203012345", SECRET),
        ("D1", DOSSIER, "k7m2p9qx"),
    ],
)
def test_a_correct_check_does_not_excuse_a_wrong_shape(fields: tuple[str, ...]) -> None:
    with pytest.raises(MalformedCode) as caught:
        decode(_forged(*fields))
    # the message never repeats what was scanned (it could be personal data)
    for value in fields[1:]:
        if len(value) > 3:
            assert value not in caught.value.message
            assert value not in caught.value.message_in("en")


def test_the_check_characters_themselves_must_have_the_right_shape() -> None:
    with pytest.raises(MalformedCode):
        decode(TICKET_TEXT[:-4] + "QA7")
    with pytest.raises(MalformedCode):
        decode(TICKET_TEXT[:-4] + "QA70")  # 0 is not a check symbol


# --- encoding refuses bad values ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("HCC-LÀ", DAY, "A012", SECRET), ValueError),
        (("HCC LA", DAY, "A012", SECRET), ValueError),
        (("H" * 33, DAY, "A012", SECRET), ValueError),
        (("HCC-LA", DAY, "079203012345", SECRET), ValueError),
        (("HCC-LA", DAY, "123456789", SECRET), ValueError),
        (("HCC-LA", DAY, "a012", SECRET), ValueError),
        (("HCC-LA", DAY, "A٠١٢", SECRET), ValueError),  # Arabic-Indic digits are not ASCII
        (("HCC-LA", DAY, "A012", "k7m2p9qx"), ValueError),
        (("HCC-LA", DAY, "A012", "K7M2P9Q"), ValueError),
        (("HCC-LA", datetime(2026, 1, 5, 8, 0), "A012", SECRET), TypeError),
        (("HCC-LA", "2026-01-05", "A012", SECRET), TypeError),
        (("HCC-LA", DAY, 1023, SECRET), TypeError),
    ],
)
def test_encode_ticket_refuses_values_of_the_wrong_shape(args: tuple, error: type) -> None:
    with pytest.raises(error) as caught:
        encode_ticket(*args)
    for value in args:
        if isinstance(value, str) and len(value) > 3:
            assert value not in str(caught.value)


@pytest.mark.parametrize(
    "code", ["000.00.10.H39-260105-01", "000.00.10.H39-261305-0001", "079203012345", ""]
)
def test_encode_dossier_refuses_codes_of_the_wrong_shape(code: str) -> None:
    with pytest.raises(ValueError):
        encode_dossier(code, SECRET)


@pytest.mark.parametrize(
    "base_url",
    [
        "dichvucong.example.gov.vn/tra-cuu",
        "ftp://example.vn/",
        "https://",
        "https://dịchvụcông.vn/tra-cứu",
        "https://example.vn/tra cuu",
        "https://example.vn/tra-cuu#ticket",
        "https://example.vn/tra-cuu?t=1",
        "https://example.vn/" + "x" * MAX_INPUT_LENGTH,
        " ",
    ],
)
def test_encode_refuses_an_unusable_base_url(base_url: str) -> None:
    with pytest.raises(ValueError):
        encode_ticket("HCC-LA", DAY, "A012", SECRET, base_url)
    with pytest.raises(ValueError):
        encode_dossier(DOSSIER, SECRET, base_url)


# --- no personal data, readable errors ---------------------------------------------------------


def test_the_secret_stays_out_of_reprs() -> None:
    assert SECRET not in repr(TicketToken("HCC-LA", DAY, "A012", SECRET))
    assert SECRET not in repr(DossierToken(DOSSIER, SECRET))


def test_error_messages_are_vietnamese_by_default_and_english_on_request() -> None:
    with pytest.raises(MalformedCode) as malformed:
        decode("https://example.vn/tra-cuu")
    with pytest.raises(TamperedCode) as tampered:
        decode(TICKET_TEXT[:-1] + "U")
    assert malformed.value.message.startswith("Mã quét được không phải mã của hệ thống MotCua")
    assert "tham số t" in malformed.value.message
    assert tampered.value.message.startswith("Mã quét được đã bị sửa đổi")
    set_language("en")
    try:
        assert str(malformed.value).startswith("The scanned code is not a MotCua code")
        assert str(tampered.value).startswith("The scanned code was altered")
    finally:
        set_language("vi")
    assert malformed.value.code == "code_malformed" and tampered.value.code == "code_tampered"


# --- a real QR decoder -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        TICKET_TEXT,
        DOSSIER_TEXT,
        encode_ticket("HCC-LA", DAY, "1023", SECRET, BASE_URLS[0]),
        encode_dossier(DOSSIER, new_secret(), BASE_URLS[2]),
    ],
)
def test_the_qr_code_decodes_to_the_same_text_with_zbar(text: str) -> None:
    image = qrcode.make(text).get_image()
    results = zbar_decode(image)
    assert [r.type for r in results] == ["QRCODE"]
    scanned = results[0].data
    assert scanned == text.encode("ascii")
    assert decode(scanned) == decode(text)
