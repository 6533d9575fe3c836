"""``motcua announce``: the spoken call of a ticket, as a WAV file or its sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli.core import Context, Registrar
from shared.errors import MotcuaError


def register(r: Registrar) -> None:
    """Add ``motcua announce``."""
    commands = r.commands
    leaf = r.leaf
    p = leaf(
        commands,
        "announce",
        cmd_announce,
        "the spoken call of a ticket, as a WAV file and/or its sentence",
    )
    p.add_argument("ticket_id", metavar="TICKET_ID", type=int)
    p.add_argument("--wav", type=Path, metavar="PATH", help="write the announcement here")
    p.add_argument("--text", action="store_true", help="print the sentence(s) spoken")
    p.add_argument(
        "--counter",
        type=int,
        metavar="N",
        help="counter to announce (default: the counter that called the ticket)",
    )


def cmd_announce(ctx: Context) -> int:
    from shared.voice import announcement_wav, call_sentence, wav_duration

    a = ctx.args
    ticket = ctx.engine().ticket(a.ticket_id)
    counter = a.counter if a.counter is not None else ticket.counter
    if counter is None:
        raise MotcuaError("error.not_called", number=ticket.number)
    voice = ctx.settings.voice
    sentences = [call_sentence(ticket.number, counter, language="vi", digits=voice.digits)]
    if voice.english:
        sentences.append(call_sentence(ticket.number, counter, language="en", digits=voice.digits))
    data: dict[str, Any] = {
        "ticket": ticket.id,
        "number": ticket.number,
        "counter": counter,
        "sentences": sentences,
    }
    if a.wav is not None:
        wav = announcement_wav(ticket.number, counter, voice)
        a.wav.parent.mkdir(parents=True, exist_ok=True)
        a.wav.write_bytes(wav)
        data["wav"] = str(a.wav)
        data["seconds"] = round(wav_duration(wav), 2)
    human = "\n".join(sentences) if a.text or a.wav is None else f"{a.wav} ({data['seconds']} s)"
    return ctx.emit(data, human)
