"""Voice calls: Vietnamese number words, the sentence, real espeak-ng speech, the queue."""

from __future__ import annotations

import io
import logging
import threading
import time
import unicodedata
import wave
from array import array
from dataclasses import replace
from pathlib import Path

import pytest

from shared.announcer import Announcement, Announcer, TimedPlayer, wav_duration
from shared.i18n import MESSAGES
from shared.settings import VoiceSettings
from shared.voice import (
    CHIME_TONES,
    PAUSE_AFTER_CHIME,
    SAMPLE_RATE,
    VoiceError,
    announcement_wav,
    call_sentence,
    chime,
    find_espeak,
    read_digits_vi,
    read_number_vi,
    synthesize,
    write_wav,
)

needs_espeak = pytest.mark.skipif(find_espeak() is None, reason="espeak-ng is not installed")

NUMBERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (114, "một trăm mười bốn"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (500, "năm trăm"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (1023, "một nghìn không trăm hai mươi ba"),
    (1100, "một nghìn một trăm"),
    (1999, "một nghìn chín trăm chín mươi chín"),
    (2001, "hai nghìn không trăm linh một"),
    (2005, "hai nghìn không trăm linh năm"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (10000, "mười nghìn"),
    (15000, "mười lăm nghìn"),
    (21000, "hai mươi mốt nghìn"),
    (100005, "một trăm nghìn không trăm linh năm"),
    (999999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín"),
    (1000000, "một triệu"),
    (1000023, "một triệu không trăm hai mươi ba"),
    (1001000, "một triệu không trăm linh một nghìn"),
    (1000000000, "một tỷ"),
]


@pytest.mark.parametrize(("n", "words"), NUMBERS)
def test_numbers_are_read_the_vietnamese_way(n: int, words: str) -> None:
    assert read_number_vi(n) == words


def test_southern_le_instead_of_linh() -> None:
    assert read_number_vi(105, zero_tens="lẻ") == "một trăm lẻ năm"
    assert read_number_vi(2005, zero_tens="lẻ") == "hai nghìn không trăm lẻ năm"
    assert read_number_vi(115, zero_tens="lẻ") == "một trăm mười lăm"


def test_numbers_refuse_non_integers() -> None:
    with pytest.raises(TypeError):
        read_number_vi("12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        read_number_vi(True)


def test_digit_by_digit_and_letter_prefixes() -> None:
    assert read_digits_vi("1023") == "một không hai ba"
    assert read_digits_vi("2005") == "hai không không năm"
    assert read_digits_vi("A012") == "a không một hai"
    assert read_digits_vi("b-7") == "bê bảy"
    assert read_digits_vi("Đ1") == "đê một"


def test_call_sentence_in_vietnamese() -> None:
    assert call_sentence("1023", 5) == (
        "Kính mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm"
    )
    assert call_sentence("1023", 5, digits=True) == (
        "Kính mời công dân có số thứ tự một không hai ba đến quầy số năm"
    )
    # A zero-padded number is read as printed, digit by digit, even in words mode.
    assert call_sentence("A012", 12) == (
        "Kính mời công dân có số thứ tự a không một hai đến quầy số mười hai"
    )
    assert call_sentence("B120", 21).endswith("bê một trăm hai mươi đến quầy số hai mươi mốt")
    assert call_sentence("2005", 5, zero_tens="lẻ").count("lẻ năm") == 1


def test_call_sentence_in_english() -> None:
    assert call_sentence("1023", 5, language="en") == (
        "Ticket number 1023, please proceed to counter 5."
    )
    assert call_sentence("1023", 5, language="en", digits=True) == (
        "Ticket number 1 0 2 3, please proceed to counter 5."
    )
    # espeak-ng reads a lone "A" as the article: the comma makes it the letter.
    assert call_sentence("A012", 3, language="en") == (
        "Ticket number A, 0 1 2, please proceed to counter 3."
    )


def test_sentences_are_nfc_from_decomposed_input() -> None:
    sentence = call_sentence(unicodedata.normalize("NFD", "Đ012"), 4)
    assert unicodedata.is_normalized("NFC", sentence)
    assert "đê không một hai" in sentence
    for key in ("voice.call", "voice.error.unavailable", "voice.error.failed"):
        assert all(unicodedata.is_normalized("NFC", text) for text in MESSAGES[key])


# --- WAV analysis helpers (each can fail: see test_the_checks_fail_on_silence) -------------------


def _parse(wav: bytes) -> tuple[wave._wave_params, array]:
    with wave.open(io.BytesIO(wav), "rb") as reader:
        params = reader.getparams()
        samples = array("h")
        samples.frombytes(reader.readframes(params.nframes))
    return params, samples


def _rms(samples: array) -> float:
    return (sum(s * s for s in samples) / len(samples)) ** 0.5 if samples else 0.0


def _frequency(samples: array, rate: int) -> float:
    """Dominant frequency from zero crossings (a pure tone crosses zero twice per period)."""
    crossings = sum(1 for a, b in zip(samples, samples[1:], strict=False) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / rate)


def _window(samples: array, start: float, end: float, rate: int = SAMPLE_RATE) -> array:
    return samples[round(start * rate) : round(end * rate)]


def test_chime_has_two_tones_at_the_expected_frequencies() -> None:
    params, samples = _parse(chime(SAMPLE_RATE))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, SAMPLE_RATE)
    assert 0.5 <= params.nframes / SAMPLE_RATE <= 0.8
    (f1, s1, _), (f2, s2, l2) = CHIME_TONES
    assert _frequency(_window(samples, s1 + 0.02, s1 + 0.25), SAMPLE_RATE) == pytest.approx(
        f1, rel=0.03
    )
    assert _frequency(_window(samples, s2 + 0.05, s2 + 0.25), SAMPLE_RATE) == pytest.approx(
        f2, rel=0.03
    )
    # Fade in and out: no click at either end.
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 200


def test_the_checks_fail_on_silence() -> None:
    _, silent = _parse(write_wav(array("h", bytes(2 * SAMPLE_RATE))))
    assert _rms(silent) == 0
    assert _frequency(silent, SAMPLE_RATE) == 0
    _, tone = _parse(chime(SAMPLE_RATE))
    assert _rms(_window(tone, 0.02, 0.25)) > 3000


@needs_espeak
def test_synthesize_returns_a_wav_from_espeak() -> None:
    wav = synthesize("một nghìn không trăm hai mươi ba", "vi", 150)
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    assert 1.0 < wav_duration(wav) < 5.0


def test_missing_espeak_is_a_clear_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_ESPEAK", "/nonexistent/espeak-ng")
    with pytest.raises(VoiceError) as caught:
        synthesize("năm", "vi", 150)
    assert "espeak-ng" in caught.value.message
    assert caught.value.code == "error.unavailable"


SPEECH_NUMBERS = ["5", "10", "15", "21", "105", "1000", "1023", "2005"]


@pytest.fixture(scope="module")
def announcements() -> dict[str, bytes]:
    if find_espeak() is None:
        pytest.skip("espeak-ng is not installed")
    settings = VoiceSettings()
    return {number: announcement_wav(number, 5, settings) for number in SPEECH_NUMBERS}


@needs_espeak
@pytest.mark.parametrize("number", SPEECH_NUMBERS)
def test_announcement_wav_has_chime_and_speech(
    announcements: dict[str, bytes], number: str
) -> None:
    params, samples = _parse(announcements[number])
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, SAMPLE_RATE)
    duration = params.nframes / params.framerate
    assert 3.0 < duration < 9.0, duration
    chime_end = max(start + length for _, start, length in CHIME_TONES)
    f1, s1, _ = CHIME_TONES[0]
    assert _frequency(_window(samples, s1 + 0.02, s1 + 0.25), SAMPLE_RATE) == pytest.approx(
        f1, rel=0.03
    )
    speech = _window(samples, chime_end + PAUSE_AFTER_CHIME, duration)
    assert _rms(speech) > 1000, _rms(speech)  # 16-bit full scale is 32767; silence is 0
    # Speech fills most of it: at least 60 % of 50 ms blocks are voiced.
    block = SAMPLE_RATE // 20
    blocks = [speech[i : i + block] for i in range(0, len(speech) - block, block)]
    voiced = sum(1 for b in blocks if _rms(b) > 300)
    assert voiced / len(blocks) > 0.6


@needs_espeak
def test_longer_numbers_give_longer_announcements(announcements: dict[str, bytes]) -> None:
    durations = {n: wav_duration(wav) for n, wav in announcements.items()}
    assert durations["1023"] > durations["5"] + 1.0
    assert durations["2005"] > durations["5"] + 0.7
    assert durations["105"] > durations["5"] + 0.3


@needs_espeak
def test_english_and_volume_and_no_chime() -> None:
    settings = VoiceSettings()
    base = announcement_wav("1023", 5, settings)
    both = announcement_wav("1023", 5, replace(settings, english=True))
    assert wav_duration(both) > wav_duration(base) + 1.5
    quiet = announcement_wav("1023", 5, replace(settings, volume=0.25))
    assert _rms(_parse(quiet)[1]) == pytest.approx(_rms(_parse(base)[1]) * 0.25, rel=0.02)
    bare = announcement_wav("1023", 5, replace(settings, chime=False))
    assert wav_duration(base) - wav_duration(bare) == pytest.approx(0.9, abs=0.05)
    digits = announcement_wav("A012", 5, replace(settings, digits=True))
    assert _rms(_parse(digits)[1]) > 1000


# --- the announcement queue ------------------------------------------------------------------


class RecordingPlayer:
    """Test double for the sound card (there is none here): records start/end of each sound."""

    def __init__(self, scale: float = 0.02, gate: threading.Event | None = None) -> None:
        self.scale = scale
        self.gate = gate
        """When given, each sound waits for it before it starts (a player still busy)."""
        self.started = threading.Event()
        self.played: list[tuple[bytes, float, float]] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def __call__(self, wav: bytes) -> None:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(30), "the test never let the sound play"
        start = time.monotonic()
        time.sleep(wav_duration(wav) * self.scale)
        with self._lock:
            self.active -= 1
        self.played.append((wav, start, time.monotonic()))


def _tagged_render(item: Announcement) -> bytes:
    """A tiny WAV whose length encodes the item (real rendering is tested above)."""
    return write_wav(array("h", [1000] * (int(item.number) * 100)), SAMPLE_RATE)


@needs_espeak
def test_burst_of_five_calls_plays_in_order_without_overlap() -> None:
    gate = threading.Event()
    player = RecordingPlayer(scale=0.05, gate=gate)
    announcer = Announcer(player)
    calls = [("1001", 1), ("1002", 2), ("2001", 3), ("1003", 4), ("2002", 5)]
    announcer.announce(Announcement(*calls[0], key="event-1001"))
    assert player.started.wait(30)  # the first call is at the speaker, which is still busy…
    for number, counter in calls[1:]:
        announcer.announce(Announcement(number, counter, key=f"event-{number}"))
    # … and every announce() has returned: it never waits for the sound.
    assert announcer.pending == 5 and player.played == []
    gate.set()
    assert announcer.wait_idle(timeout=30)
    assert announcer.close(drain=True)
    expected = [announcement_wav(n, c, VoiceSettings()) for n, c in calls]
    assert [wav for wav, _, _ in player.played] == expected
    assert player.max_active == 1
    for (_, _, end), (_, start, _) in zip(player.played, player.played[1:], strict=False):
        assert start >= end


def test_a_recall_is_announced_again_and_order_is_kept() -> None:
    player = RecordingPlayer(scale=1.0)
    announcer = Announcer(player, render=_tagged_render)
    for number in ("3", "5", "3", "7", "3"):
        announcer.announce(Announcement(number, 1))
    assert announcer.wait_idle(timeout=10)
    announcer.close()
    assert [wav_duration(w) * SAMPLE_RATE / 100 for w, _, _ in player.played] == pytest.approx(
        [3, 5, 3, 7, 3]
    )
    assert player.max_active == 1


def test_a_failing_synthesis_is_logged_and_the_next_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def render(item: Announcement) -> bytes:
        if item.number == "4":
            raise VoiceError()
        return _tagged_render(item)

    player = RecordingPlayer(scale=1.0)
    announcer = Announcer(player, render=render)
    with caplog.at_level(logging.ERROR, logger="motcua.voice"):
        for number in ("2", "4", "6"):
            announcer.announce(Announcement(number, 1, key=f"k{number}"))
        assert announcer.wait_idle(timeout=10)
    announcer.close()
    assert len(player.played) == 2
    assert [round(wav_duration(w) * SAMPLE_RATE / 100) for w, _, _ in player.played] == [2, 6]
    assert any("k4" in r.getMessage() and r.name == "motcua.voice" for r in caplog.records)


def test_a_failing_player_does_not_stop_the_queue() -> None:
    played: list[float] = []

    def play(wav: bytes) -> None:
        if not played:
            played.append(-1)
            raise OSError("device gone")
        played.append(wav_duration(wav))

    announcer = Announcer(play, render=_tagged_render)
    for number in ("1", "2"):
        announcer.announce(Announcement(number, 1))
    assert announcer.wait_idle(timeout=5)
    announcer.close()
    assert played == [-1, pytest.approx(200 / SAMPLE_RATE)]


class StartedTimedPlayer(TimedPlayer):
    """The silent player with real timing, telling when a sound started."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()

    def __call__(self, wav: bytes) -> None:
        self.started.set()
        super().__call__(wav)


def test_close_is_prompt_even_with_long_sounds_queued() -> None:
    player = StartedTimedPlayer()  # real timing: each item lasts 10 s
    long_wav = write_wav(array("h", bytes(2 * SAMPLE_RATE * 10)))
    announcer = Announcer(player, render=lambda item: long_wav, stop_playback=player.stop)
    for number in range(5):
        announcer.announce(Announcement(str(number), 1))
    assert player.started.wait(10)  # the first 10-second sound is playing
    assert announcer.close(timeout=2.0)  # ended long before that sound would have
    assert announcer.pending == 0
    announcer.announce(Announcement("9", 1))  # after close: ignored, no error
    assert announcer.pending == 0


def test_close_with_drain_speaks_what_is_queued() -> None:
    player = RecordingPlayer(scale=1.0)
    announcer = Announcer(player, render=_tagged_render)
    for number in ("1", "2", "3"):
        announcer.announce(Announcement(number, 1))
    assert announcer.close(drain=True, timeout=5)
    assert len(player.played) == 3


def test_default_player_blocks_for_the_sound_and_never_hangs() -> None:
    audio = pytest.importorskip("shared.qt.audio")
    player = audio.default_player()
    wav = chime(SAMPLE_RATE)
    started = time.monotonic()
    player(wav)
    elapsed = time.monotonic() - started
    # Plays (or, without a sound card, waits) for the chime, bounded by duration + margin.
    assert wav_duration(wav) - 0.05 <= elapsed <= wav_duration(wav) + 2.5
    player.stop()
    long_wav = write_wav(array("h", bytes(2 * SAMPLE_RATE * 10)))  # ten seconds of silence
    started = time.monotonic()
    player(long_wav)
    assert time.monotonic() - started < 5.0  # a stopped player returns without playing it


def test_motcua_announce_writes_the_call_as_wav_and_text(
    motcua_bin: str, sqlite_url: str, tmp_path: Path
) -> None:
    """`motcua announce TICKET_ID --wav PATH --text`: checkable without speakers."""
    import json
    import subprocess

    sample = Path(__file__).resolve().parents[1] / "assets/catalog/sample.toml"

    def motcua(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [motcua_bin, *args, "--db", sqlite_url], capture_output=True, text=True, timeout=60
        )

    assert motcua("db", "upgrade").returncode == 0
    assert motcua("catalog", "import", str(sample)).returncode == 0
    issued = json.loads(motcua("ticket", "issue", "DD", "--json").stdout)["ticket"]
    refused = motcua("announce", str(issued["id"]), "--text")
    assert refused.returncode == 3 and "--counter" in refused.stderr  # not called yet
    assert motcua("ticket", "call", "1").returncode == 0
    wav = tmp_path / "call.wav"
    proc = motcua("announce", str(issued["id"]), "--wav", str(wav), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["sentences"] == [
        "Kính mời công dân có số thứ tự một nghìn không trăm linh một đến quầy số một"
    ]
    assert data["seconds"] == pytest.approx(wav_duration(wav.read_bytes()), abs=0.01)
    assert data["seconds"] > 3
    text = motcua("announce", str(issued["id"]), "--text", "--counter", "5")
    assert text.stdout.strip().endswith("đến quầy số năm")
