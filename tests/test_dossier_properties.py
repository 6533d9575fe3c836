"""Property-based tests (hypothesis) of what the kiosk and the receiving form must hold for any
input: scanned text never breaks the decoder or the lookup, a refusal never tells whether a code
exists, CCCD checks follow the published structure, and masked names reveal one letter a word.

The lookup properties share one SQLite file per module (made once, not per example); the clock
moves a day and more between examples so the wrong-attempt counts of one example never slow the
next one down.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from shared.catalog import import_catalog, parse_catalog
from shared.codes import ALPHABET, MAX_INPUT_LENGTH, decode, encode_dossier, encode_ticket
from shared.db import Database
from shared.dossier_views import DossierView
from shared.dossiers import FORGET_AFTER, DossierDesk, lookup, lookup_scan
from shared.errors import CodeError, LookupRefused, LookupSlowDown
from shared.idnumbers import PROVINCE_CODES, birth_year, check_id, mask_name
from shared.models import LookupGuard
from tests.test_dossiers import EID, FRIDAY, catalog, form

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

FAST = settings(max_examples=60, deadline=None)
DB = settings(
    max_examples=25,
    deadline=None,
    # The autouse fixture only points config folders at a temporary place: nothing an example
    # changes, so sharing it across examples is fine.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# --- strategies --------------------------------------------------------------------------------

secrets_ = st.text(alphabet=ALPHABET, min_size=8, max_size=8)
dossier_codes = st.builds(
    lambda eid, ymd, n: f"{eid}-{ymd:%y%m%d}-{n:04d}",
    st.sampled_from([EID, "000.17.22.H56", "H39.01.AB.H26"]),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.integers(1, 9999),
)
any_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="ascii"), max_size=120),
    st.text(min_size=MAX_INPUT_LENGTH - 2, max_size=MAX_INPUT_LENGTH + 40),
    st.builds(lambda t: "MOTCUA:" + t, st.text(max_size=80)),
    st.builds(lambda t: "MOTCUA:D1:" + t, st.text(alphabet=ALPHABET + ":.-", max_size=60)),
    st.builds(lambda t: "https://tra-cuu.example.vn/?t=" + t, st.text(max_size=60)),
)
replacement = st.one_of(
    st.characters(codec="ascii"),
    st.sampled_from(ALPHABET + ":.-0OIl1 "),
    st.characters(),
)


@st.composite
def near_misses(draw: st.DrawFn) -> tuple[str, str]:
    """(a dossier token in its compact form, the same with one character replaced)."""
    token = encode_dossier(draw(dossier_codes), draw(secrets_))
    position = draw(st.integers(0, len(token) - 1))
    char = draw(replacement.filter(lambda c: c != token[position]))
    return token, token[:position] + char + token[position + 1 :]


# --- decoding ------------------------------------------------------------------------------------


@FAST
@given(any_text)
@example("MOTCUA:D1:" + "9" * 600)
@example("MOTCUA:T1:HCC:20260230:A012:K7M2P9QX:QA7T")
@example("https://x.vn/?t=%FF%FE")
@example("001085012345|Nguyễn Văn An|01011985")
def test_decoding_any_text_raises_only_the_typed_refusal(text: str) -> None:
    try:
        decode(text)
    except CodeError as error:
        # The message never repeats what was scanned (it may be a citizen ID card's QR).
        assert len(text.strip()) < 16 or text.strip() not in error.message
    try:
        decode(text.encode("utf-8"))
    except CodeError:
        pass


@FAST
@given(near_misses())
def test_one_changed_character_is_never_read_as_a_token(pair: tuple[str, str]) -> None:
    _token, damaged = pair
    with pytest.raises(CodeError):
        decode(damaged)


@FAST
@given(near_misses(), st.sampled_from(["https://tra-cuu.example.vn/hs", "http://a.vn/x?lang=vi"]))
def test_a_damaged_address_gives_the_same_token_or_a_refusal(
    pair: tuple[str, str], base_url: str
) -> None:
    """In the URL form a change outside the token may leave it intact; never another token."""
    token, _ = pair
    url = base_url + ("&" if "?" in base_url else "?") + "t=" + token.removeprefix("MOTCUA:")
    original = decode(url)
    for position in range(0, len(url), 3):
        damaged = url[:position] + ("Z" if url[position] != "Z" else "Y") + url[position + 1 :]
        try:
            assert decode(damaged) == original
        except CodeError:
            pass


# --- the kiosk lookup on one database ----------------------------------------------------------


@pytest.fixture(scope="module")
def kiosk_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("properties") / "motcua.sqlite3"
    database = Database(f"sqlite:///{path.as_posix()}")
    database.upgrade()
    import_catalog(database, parse_catalog(catalog()))
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def existing(kiosk_db: Database) -> DossierView:
    return DossierDesk(kiosk_db, "TEST").receive(form(), received_at=FRIDAY)


_days = itertools.count(1)


@pytest.fixture(scope="module")
def clock() -> Callable[[], datetime]:
    """A fresh moment per example, more than :data:`FORGET_AFTER` after the previous one."""
    start = datetime(2027, 1, 1, tzinfo=UTC)
    return lambda: start + next(_days) * (FORGET_AFTER + timedelta(hours=1))


def _outcome(attempt: Callable[[], object]) -> tuple[type, str, int | None]:
    try:
        attempt()
    except (LookupRefused, LookupSlowDown) as error:
        return type(error), error.message, getattr(error, "retry_after", None)
    raise AssertionError("a wrong lookup was answered")


@DB
@given(any_text)
def test_a_scan_of_any_text_is_refused_and_never_slowed(
    kiosk_db: Database, clock: Callable[[], datetime], text: str
) -> None:
    now = clock()
    outcomes = {_outcome(lambda: lookup_scan(kiosk_db, text, now=now)) for _ in range(4)}
    outcomes |= {_outcome(lambda: lookup(kiosk_db, text, text, now=now)) for _ in range(4)}
    assert outcomes == {(LookupRefused, LookupRefused().message, None)}


def _failures(db: Database, code: str) -> int:
    with db.transaction(readonly=True) as s:
        guard = s.get(LookupGuard, code)
        return guard.failures if guard is not None else 0


@DB
@given(st.data())
def test_a_near_miss_of_a_real_slip_is_refused_without_counting(
    kiosk_db: Database, existing: DossierView, clock: Callable[[], datetime], data: st.DataObject
) -> None:
    good = encode_dossier(existing.code, existing.secret)
    position = data.draw(st.integers(0, len(good) - 1), label="position")
    char = data.draw(replacement.filter(lambda c: c != good[position]), label="character")
    damaged = good[:position] + char + good[position + 1 :]
    before = _failures(kiosk_db, existing.code)
    now = clock()
    for _ in range(5):
        outcome = _outcome(lambda: lookup_scan(kiosk_db, damaged, now=now))
        assert outcome == (LookupRefused, LookupRefused().message, None)
    assert _failures(kiosk_db, existing.code) == before


@DB
@given(st.one_of(secrets_, st.text(max_size=20)), st.integers(5000, 9999), st.booleans())
def test_a_refusal_never_tells_whether_the_code_exists(
    kiosk_db: Database,
    existing: DossierView,
    clock: Callable[[], datetime],
    secret: str,
    seq: int,
    scanned: bool,
) -> None:
    """Same exception, message and wait for the real code and an unknown one, attempt after
    attempt (the slow-down included)."""
    assume("".join(secret.split()).upper() != existing.secret)
    unknown = f"{existing.code.rsplit('-', 1)[0]}-{seq:04d}"
    now = clock()

    scan = scanned and len(secret) == 8 and all(c in ALPHABET for c in secret)

    def attempts(code: str) -> list[tuple[type, str, int | None]]:
        if scan:
            text = encode_dossier(code, secret)
            return [_outcome(lambda: lookup_scan(kiosk_db, text, now=now)) for _ in range(5)]
        return [_outcome(lambda: lookup(kiosk_db, code, secret, now=now)) for _ in range(5)]

    real, ghost = attempts(existing.code), attempts(unknown)
    assert real == ghost
    assert [kind for kind, _, _ in real] == [LookupRefused] * 3 + [LookupSlowDown] * 2


def test_a_ticket_qr_at_the_dossier_lookup_is_refused_like_garbage(
    kiosk_db: Database, existing: DossierView, clock: Callable[[], datetime]
) -> None:
    now = clock()
    ticket = encode_ticket("TEST", date(2026, 4, 24), "1023", existing.secret)
    assert _outcome(lambda: lookup_scan(kiosk_db, ticket, now=now)) == (
        LookupRefused,
        LookupRefused().message,
        None,
    )


# --- citizen ID numbers ------------------------------------------------------------------------


@st.composite
def citizen_ids(draw: st.DrawFn, today: date) -> str:
    """A shape-valid CCCD: a real province code, century/sex digit and year not in the future."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    year = draw(st.integers(1900, today.year))
    sex = draw(st.integers(0, 1))
    century = 2 * ((year - 1900) // 100) + sex
    rest = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    return f"{province}{century}{year % 100:02d}{rest}"


todays = st.dates(date(2024, 1, 1), date(2099, 12, 31))


@FAST
@given(todays.flatmap(lambda today: st.tuples(st.just(today), citizen_ids(today))))
def test_generated_citizen_ids_pass(case: tuple[date, str]) -> None:
    today, number = case
    assert check_id("cccd", number, today=today) is None
    assert birth_year(number) is not None and birth_year(number) <= today.year  # type: ignore[operator]
    spaced = " ".join(number[i : i + 3] for i in range(0, 12, 3))
    assert check_id("cccd", spaced, today=today) is None  # as people write it


@FAST
@given(
    todays.flatmap(lambda today: st.tuples(st.just(today), citizen_ids(today))),
    st.integers(0, 9),
)
def test_a_century_digit_giving_a_future_birth_year_fails(
    case: tuple[date, str], digit: int
) -> None:
    today, number = case
    changed = number[:3] + str(digit) + number[4:]
    year = birth_year(changed)
    assert year is not None
    expected = "dossier.invalid.cccd_year" if year > today.year else None
    assert check_id("cccd", changed, today=today) == expected


@FAST
@given(
    st.text(alphabet="0123456789", min_size=3, max_size=3).filter(
        lambda p: p not in PROVINCE_CODES
    ),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_an_unknown_province_code_fails(province: str, rest: str) -> None:
    problem = check_id("cccd", province + rest, today=date(2099, 1, 1))
    assert problem == "dossier.invalid.cccd_province"


# --- masked names ------------------------------------------------------------------------------

names = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(["Nguyễn", "Văn", "An", "Đặng", "Thị", "Ánh", "Ư", "Lê", "Ngô", "Ý"]),
        max_size=5,
    ).map(" ".join),
    st.text(alphabet=st.characters(categories=["L", "M", "Zs"]), max_size=30),
)


@FAST
@given(names, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
@example("ΐ", "NFC")  # its upper case is three code points that NFC joins
@example("ß ǰ ŉ", "NFC")
def test_a_masked_name_shows_one_letter_a_word_and_is_nfc(name: str, form_: str) -> None:
    written = unicodedata.normalize(form_, name)
    masked = mask_name(written)
    assert unicodedata.is_normalized("NFC", masked)
    words = unicodedata.normalize("NFC", written).split()
    shown = masked.split(" ") if masked else []
    assert len(shown) == len(words)
    for word, mask in zip(words, shown, strict=True):
        first = unicodedata.normalize("NFC", word[0].upper())
        assert mask.startswith(first)
        assert set(mask[len(first) :]) == {"*"} and 2 <= len(mask) - len(first) <= 3
