"""Voice calls: the sentence, Vietnamese number words, speech from espeak-ng, one WAV per call.

Qt-free. An announcement is ``chime + Vietnamese sentence [+ pause + English sentence]`` joined
into ONE 16-bit mono WAV (22 050 Hz, espeak-ng's own rate), volume applied. The Qt player
(:mod:`shared.qt.audio`) and the queue (:mod:`shared.announcer`) only ever see those bytes.

Why espeak-ng
    It is fully offline, packaged in Debian (``espeak-ng``, installed by ``scripts/setup.sh``),
    has a Windows build (an MSI that puts ``espeak-ng.exe`` under ``Program Files\\eSpeak NG``),
    starts in tens of milliseconds and speaks Vietnamese with the six tones. Qt TextToSpeech needs
    speech-dispatcher on Linux and a Vietnamese SAPI voice on Windows (rarely installed), so the
    result would differ per PC. Recorded clips (a human speaker saying "kính mời công dân…",
    "một", "mười", "mươi", "mốt", "lăm", "trăm", "nghìn"…) would sound better, but need a
    speaker, a studio and a clip for every word form; the design lets them replace espeak-ng
    later: :func:`announcement_wav` takes the speech function as a parameter and the WAV join
    step is :func:`join_wav`, so a clip-based ``synth`` can be dropped in unchanged.

Voice choice
    ``-v vi`` is espeak-ng's "Vietnamese (Northern)" voice: the Hà Nội pronunciation used by
    national broadcasters and most public announcements. ``vi-vn-x-central`` (Huế) and
    ``vi-vn-x-south`` also exist; they change finals (e.g. "mốt" ends in /k/) and would suit a
    centre only if it asks for them, so :data:`VOICES` maps a language to a voice in one place.
    English uses espeak-ng's ``en`` voice, which reads "1023" as "one thousand and twenty-three".

Numbers
    Read as announcers say them (:func:`read_number_vi`): 21 "hai mươi mốt", 24 "hai mươi tư",
    25 "hai mươi lăm", 15 "mười lăm", 14 "mười bốn", 11 "mười một", 105 "một trăm linh năm"
    (Northern "linh"; ``zero_tens="lẻ"`` for the Southern "lẻ"), 1023 "một nghìn không trăm
    hai mươi ba". With ``digits`` the number is read digit by digit ("một không hai ba").
    A letter prefix is spelt the Vietnamese way ("A012" -> "a không một hai", "B" -> "bê"), and
    a numeric part that starts with 0 is always read digit by digit, because that is how it is
    printed on the ticket and how centres call it ("A không một hai", not "A mười hai").

Text is passed to espeak-ng on standard input as UTF-8 (``-b 1 --stdin``), never on the command
line, so Vietnamese survives the Windows command-line code page; no shell is involved.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import sys
import wave
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

from shared.errors import MotcuaError
from shared.i18n import nfc, tr
from shared.settings import VoiceSettings

SAMPLE_RATE = 22050
"""Sample rate of every announcement WAV (espeak-ng's native rate: no resampling of speech)."""

VOICES: dict[str, str] = {"vi": "vi", "en": "en"}
"""espeak-ng voice per language (see the module docstring for why Northern ``vi``)."""

SYNTH_TIMEOUT = 10.0
"""Seconds espeak-ng may take for one sentence before it is considered hung."""

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")

# Vietnamese names of the Latin letters, as spoken when spelling (A012 -> "a không một hai").
_LETTERS_VI: dict[str, str] = {
    "A": "a",
    "Ă": "á",
    "Â": "ớ",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "Ê": "ê",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e lờ",
    "M": "em mờ",
    "N": "en nờ",
    "O": "o",
    "Ô": "ô",
    "Ơ": "ơ",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét xì",
    "T": "tê",
    "U": "u",
    "Ư": "ư",
    "V": "vê",
    "W": "vê kép",
    "X": "ích xì",
    "Y": "i dài",
    "Z": "dét",
}


class VoiceError(MotcuaError):
    """Speech could not be produced (espeak-ng missing, failing or hung)."""

    key = "voice.error.unavailable"


class VoiceEngineFailed(VoiceError):
    key = "voice.error.failed"


# --- numbers as words --------------------------------------------------------------------------


def _read_triple(value: int, *, full: bool, zero_tens: str) -> list[str]:
    """Words for 0 < value < 1000; ``full``: a non-leading group ("không trăm", "linh")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append("tư")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def read_number_vi(n: int, *, zero_tens: str = "linh") -> str:
    """Vietnamese words for ``n`` as announcers read it: 1023 -> "một nghìn không trăm hai mươi ba".

    ``zero_tens`` is the word for an empty tens place: "linh" (Northern, default) or "lẻ"
    (Southern): 105 -> "một trăm linh năm" / "một trăm lẻ năm". Groups of three digits that
    are all zero are skipped (1 000 005 -> "một triệu không trăm linh năm"); beyond 999 tỷ the
    "tỷ" group is read recursively ("một nghìn tỷ").
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"read_number_vi needs an int, not {n!r}")
    if n < 0:
        return f"âm {read_number_vi(-n, zero_tens=zero_tens)}"
    if n == 0:
        return _DIGITS[0]
    billions, below = divmod(n, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += [read_number_vi(billions, zero_tens=zero_tens), "tỷ"]
    groups: list[int] = []
    for _ in range(3):
        below, group = divmod(below, 1000)
        groups.append(group)
    for index in (2, 1, 0):
        group = groups[index]
        if not group:
            continue
        words += _read_triple(group, full=bool(words), zero_tens=zero_tens)
        if _GROUPS[index]:
            words.append(_GROUPS[index])
    return " ".join(words)


def read_digits_vi(text: str) -> str:
    """Read a ticket number character by character: "1023" -> "một không hai ba".

    Letters are spelt with their Vietnamese names ("A012" -> "a không một hai", "B7" ->
    "bê bảy"); other characters (dashes, spaces) are skipped.
    """
    words: list[str] = []
    for char in nfc(text).upper():
        if char.isdigit() and char.isascii():
            words.append(_DIGITS[int(char)])
        elif char in _LETTERS_VI:
            words.append(_LETTERS_VI[char])
    return " ".join(words)


def split_ticket_number(number: str) -> tuple[str, str]:
    """``"A012"`` -> ``("A", "012")``; ``"1023"`` -> ``("", "1023")``; no digits: ``(s, "")``."""
    text = nfc(number).strip().upper()
    cut = len(text)
    while cut and text[cut - 1].isdigit() and text[cut - 1].isascii():
        cut -= 1
    return text[:cut].strip(" -"), text[cut:]


def spoken_number_vi(number: str, *, digits: bool = False, zero_tens: str = "linh") -> str:
    """The ticket number as spoken in Vietnamese (see the module docstring for the rules)."""
    prefix, numeric = split_ticket_number(number)
    words: list[str] = []
    if prefix:
        words.append(read_digits_vi(prefix))
    if numeric:
        if digits or numeric.startswith("0"):
            words.append(read_digits_vi(numeric))
        else:
            words.append(read_number_vi(int(numeric), zero_tens=zero_tens))
    return " ".join(word for word in words if word)


def spoken_number_en(number: str, *, digits: bool = False) -> str:
    """The ticket number as written for the English voice (espeak-ng reads digits itself).

    A letter prefix is followed by a comma, because espeak-ng reads a lone "A" as the article.
    """
    prefix, numeric = split_ticket_number(number)
    if digits or numeric.startswith("0"):
        numeric = " ".join(numeric)
    if prefix and numeric:
        return f"{' '.join(prefix)}, {numeric}"
    return prefix or numeric


def call_sentence(
    number: str,
    counter: int,
    *,
    language: str = "vi",
    digits: bool = False,
    zero_tens: str = "linh",
) -> str:
    """The sentence spoken for a call, e.g. "Kính mời công dân có số thứ tự một nghìn không trăm
    hai mươi ba đến quầy số năm" or "Ticket number 1023, please proceed to counter 5."."""
    if language == "en":
        spoken = spoken_number_en(number, digits=digits)
        return tr("voice.call", language="en", number=spoken, counter=str(counter))
    spoken = spoken_number_vi(number, digits=digits, zero_tens=zero_tens)
    counter_words = read_number_vi(counter, zero_tens=zero_tens)
    return tr("voice.call", language="vi", number=spoken, counter=counter_words)


# --- speech ------------------------------------------------------------------------------------


def find_espeak() -> str | None:
    """Path of the espeak-ng program, or None. ``MOTCUA_ESPEAK`` overrides the search."""
    explicit = os.environ.get("MOTCUA_ESPEAK")
    if explicit:
        return explicit
    found = shutil.which("espeak-ng")
    if found:
        return found
    if sys.platform == "win32":
        for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
            if base:
                candidate = Path(base) / "eSpeak NG" / "espeak-ng.exe"
                if candidate.is_file():
                    return str(candidate)
    return None


def synthesize(text: str, language: str, rate: int) -> bytes:
    """WAV bytes of ``text`` spoken by espeak-ng in ``language`` at ``rate`` words per minute.

    Raises :class:`VoiceError` when espeak-ng is missing, and :class:`VoiceEngineFailed` when it
    fails, hangs (more than :data:`SYNTH_TIMEOUT` seconds) or returns no audio.
    """
    program = find_espeak()
    if program is None:
        raise VoiceError()
    voice = VOICES.get(language, language)
    command = [program, "-v", voice, "-s", str(int(rate)), "-b", "1", "--stdout", "--stdin"]
    try:
        done = subprocess.run(
            command,
            input=nfc(text).encode("utf-8"),
            capture_output=True,
            timeout=SYNTH_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise VoiceError() from None
    except subprocess.TimeoutExpired:
        raise VoiceEngineFailed(detail=f"timeout {SYNTH_TIMEOUT:g} s") from None
    except OSError as exc:
        raise VoiceEngineFailed(detail=exc.strerror or str(exc)) from None
    if done.returncode != 0 or len(done.stdout) <= 44:
        detail = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise VoiceEngineFailed(detail=detail[:200])
    return done.stdout


# --- WAV handling ------------------------------------------------------------------------------


def read_wav(data: bytes) -> tuple[int, array]:
    """``(sample_rate, samples)`` of a PCM WAV as mono signed 16-bit samples.

    Tolerates espeak-ng's ``--stdout`` header, whose data size is a huge placeholder: the frame
    count is taken from the bytes actually present. Stereo is mixed down; 8-bit is widened.
    """
    with wave.open(io.BytesIO(data), "rb") as reader:
        channels = reader.getnchannels()
        width = reader.getsampwidth()
        rate = reader.getframerate()
        available = max(0, len(data) - 44) // (channels * width)
        raw = reader.readframes(min(reader.getnframes(), available + 1))
    raw = raw[: len(raw) - len(raw) % (channels * width)]
    if width == 2:
        samples = array("h")
        samples.frombytes(raw)
        if sys.byteorder == "big":
            samples.byteswap()
    elif width == 1:
        samples = array("h", ((byte - 128) << 8 for byte in raw))
    else:
        raise VoiceEngineFailed(detail=f"unsupported WAV sample width {width}")
    if channels > 1:
        samples = array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
    return rate, samples


def write_wav(samples: array, sample_rate: int = SAMPLE_RATE) -> bytes:
    """A mono 16-bit PCM WAV of ``samples``."""
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(data.tobytes())
    return out.getvalue()


def wav_duration(wav: bytes) -> float:
    """Duration of a WAV in seconds (from the bytes present, so espeak's stdout WAV works too)."""
    rate, samples = read_wav(wav)
    return len(samples) / rate if rate else 0.0


def resample(samples: array, source_rate: int, target_rate: int) -> array:
    """Linear-interpolation resampling; enough for speech going to a loudspeaker."""
    if source_rate == target_rate or not samples:
        return array("h", samples)
    count = max(1, round(len(samples) * target_rate / source_rate))
    step = source_rate / target_rate
    last = len(samples) - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        left = int(position)
        if left >= last:
            out[i] = samples[last]
            continue
        frac = position - left
        out[i] = int(samples[left] + (samples[left + 1] - samples[left]) * frac)
    return out


def silence(seconds: float, sample_rate: int = SAMPLE_RATE) -> array:
    return array("h", bytes(2 * round(seconds * sample_rate)))


def chime(sample_rate: int = SAMPLE_RATE) -> bytes:
    """A short two-tone chime (660 Hz then 880 Hz, 0.65 s), as a mono 16-bit WAV.

    Each tone is a sine with a 10 ms attack and an exponential decay, like a struck bell; the
    end fades to zero so nothing clicks.
    """
    return write_wav(_chime_samples(sample_rate), sample_rate)


CHIME_TONES: tuple[tuple[float, float, float], ...] = ((660.0, 0.0, 0.32), (880.0, 0.30, 0.35))
"""(frequency Hz, start s, length s) of each tone of :func:`chime`."""


def _chime_samples(sample_rate: int) -> array:
    total = max(start + length for _, start, length in CHIME_TONES)
    buffer = [0.0] * round(total * sample_rate)
    attack = 0.010 * sample_rate
    for frequency, start, length in CHIME_TONES:
        first = round(start * sample_rate)
        count = round(length * sample_rate)
        fade = 0.04 * sample_rate
        for i in range(count):
            envelope = min(1.0, i / attack) * math.exp(-3.0 * i / count)
            envelope *= min(1.0, (count - i) / fade)
            buffer[first + i] += (
                0.45 * envelope * math.sin(2 * math.pi * frequency * i / sample_rate)
            )
    peak = 32767
    return array("h", (max(-peak, min(peak, int(value * peak))) for value in buffer))


def join_wav(
    parts: Sequence[bytes | float],
    *,
    sample_rate: int = SAMPLE_RATE,
    volume: float = 1.0,
) -> bytes:
    """Join WAV byte strings (and pauses given as seconds) into ONE mono 16-bit WAV.

    Parts at another sample rate are resampled; ``volume`` (0..1) scales every sample. This is
    the single join step, whatever produced the parts (espeak-ng today, recorded clips later).
    """
    joined = array("h")
    for part in parts:
        if isinstance(part, (int, float)):
            joined.extend(silence(float(part), sample_rate))
            continue
        rate, samples = read_wav(part)
        joined.extend(resample(samples, rate, sample_rate))
    if volume < 1.0:
        gain = max(0.0, volume)
        joined = array("h", (int(sample * gain) for sample in joined))
    return write_wav(joined, sample_rate)


Synth = Callable[[str, str, int], bytes]
"""``synth(text, language, rate) -> WAV bytes``; :func:`synthesize` or a recorded-clip speaker."""

PAUSE_AFTER_CHIME = 0.25
PAUSE_BETWEEN_LANGUAGES = 0.6


def announcement_wav(
    number: str,
    counter: int,
    settings: VoiceSettings,
    *,
    synth: Synth = synthesize,
) -> bytes:
    """The whole announcement for one call as ONE WAV (22 050 Hz, mono, 16-bit).

    Chime (if ``settings.chime``), the Vietnamese sentence, then (if ``settings.english``) a
    short pause and the English sentence; ``settings.volume`` applied.
    """
    parts: list[bytes | float] = []
    if settings.chime:
        parts += [chime(SAMPLE_RATE), PAUSE_AFTER_CHIME]
    sentence_vi = call_sentence(number, counter, language="vi", digits=settings.digits)
    parts.append(synth(sentence_vi, "vi", settings.rate))
    if settings.english:
        sentence_en = call_sentence(number, counter, language="en", digits=settings.digits)
        parts += [PAUSE_BETWEEN_LANGUAGES, synth(sentence_en, "en", settings.rate)]
    return join_wav(parts, sample_rate=SAMPLE_RATE, volume=settings.volume)


def rms(samples: Sequence[int]) -> float:
    """Root-mean-square level of 16-bit samples (0 for silence, ~23 000 for a full-scale sine)."""
    if not samples:
        return 0.0
    return math.sqrt(sum(sample * sample for sample in samples) / len(samples))


__all__ = [
    "SAMPLE_RATE",
    "VoiceEngineFailed",
    "VoiceError",
    "announcement_wav",
    "call_sentence",
    "chime",
    "join_wav",
    "read_digits_vi",
    "read_number_vi",
    "read_wav",
    "rms",
    "synthesize",
    "wav_duration",
    "write_wav",
]
