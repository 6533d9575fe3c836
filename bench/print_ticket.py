"""Benchmark: render and encode one queue ticket for the thermal printer (issue 3, item 7).

Product, per ticket: ``ticket_print_data`` (builds the :class:`TicketPrint`, with a fresh QR
token through ``shared.codes.encode_ticket``) → ``render_ticket`` (layout, QR, raster) →
``encode_image(cut=True, feed_blank=True)``, for four tickets: Vietnamese on 80 mm, English with
a priority group on 80 mm, the longest names of the sample catalogue on 80 mm, Vietnamese on
58 mm. Baselines in the same run: bare Pillow (a blank mode "1" page of the same size, the number
drawn with the same bold font and size, ``qrcode.make`` of the same text) and ``encode_image``
alone on the already-rendered ticket, with ``feed_blank`` on and off.

    .venv/bin/python -m bench.print_ticket            # ~40 s on 2 cores
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import qrcode
from PIL import Image, ImageDraw

from bench._common import latency_summary, markdown_table, percentile, write_results
from shared.clock import local_day
from shared.codes import new_secret
from shared.printing.escpos import FEED_LINES, encode_image
from shared.printing.fonts import font
from shared.printing.jobs import ticket_print_data
from shared.printing.layout import DOTS_PER_MM, Flow, PrinterProfile
from shared.printing.qrimage import qr_matrix
from shared.printing.ticket import render_ticket, ticket_flow
from shared.queue import TicketPrintInfo
from shared.resources import asset
from shared.views import TicketView

NAME = "print_ticket"
GOAL_P50_MS = 30.0
GOAL_BYTES = 64 * 1024
PRINT_SPEED_MM_S = 250.0
LINE_MM = 25.4 / 6
"""ESC/POS default line spacing (1/6 inch): the ``ESC d 6`` feed after the image."""
TIMEZONE = "Asia/Ho_Chi_Minh"
START = datetime(2026, 11, 25, 1, 5, 9, tzinfo=UTC)  # 08:05:09 in Việt Nam


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    paper_mm: int
    centre_code: str
    centre_name: str
    service: str
    service_name: str
    service_name_en: str
    number: str
    counters: tuple[int, ...]
    ahead: int
    wait_min: int
    language: str
    priority: tuple[str, str] | None = None
    """(code, Vietnamese name) of the priority group."""


def variants() -> list[Variant]:
    """The four tickets, with names taken from the sample catalogue."""
    with asset("catalog", "sample.toml").open("rb") as handle:
        catalog = tomllib.load(handle)
    centre = catalog["centre"]
    services = {s["code"]: s for s in catalog["services"]}
    groups = catalog["priority_groups"]

    def serving(code: str) -> tuple[int, ...]:
        return tuple(c["number"] for c in catalog["counters"] if code in c["services"])

    longest = max(services.values(), key=lambda s: len(s["name"]))
    longest_group = max(groups, key=lambda g: len(g["name"]))
    centres = [centre["name"]]  # one centre per catalogue: its name is the longest
    land, cert = services["DD"], services["CT"]
    common = {"centre_code": centre["code"], "centre_name": max(centres, key=len)}
    vi = {
        **common,
        "service": land["code"],
        "service_name": land["name"],
        "service_name_en": land["name_en"],
        "number": "1023",
        "counters": serving(land["code"]),
        "ahead": 7,
        "wait_min": 25,
        "language": "vi",
    }
    return [
        Variant("vi80", "vi, 80 mm", 80, **vi),
        Variant(
            "en80",
            "en + priority, 80 mm",
            80,
            **{
                **vi,
                "service": cert["code"],
                "service_name": cert["name"],
                "service_name_en": cert["name_en"],
                "number": "A012",
                "counters": serving(cert["code"]),
                "ahead": 3,
                "wait_min": 10,
                "language": "en",
                "priority": (groups[0]["code"], groups[0]["name"]),
            },
        ),
        Variant(
            "longest80",
            "longest names (en + priority), 80 mm",
            80,
            **{
                **vi,
                "service": longest["code"],
                "service_name": longest["name"],
                "service_name_en": longest["name_en"],
                "number": str(longest["end"]),
                "counters": serving(longest["code"]),
                "ahead": 128,
                "wait_min": 245,
                "language": "en",
                "priority": (longest_group["code"], longest_group["name"]),
            },
        ),
        Variant("vi58", "vi, 58 mm", 58, **vi),
    ]


def profile_of(variant: Variant) -> PrinterProfile:
    return PrinterProfile.for_paper(variant.paper_mm)


def print_info(variant: Variant, issued_at: datetime) -> TicketPrintInfo:
    """What ``QueueEngine.print_details`` hands to the print job, with a fresh secret."""
    ticket = TicketView(
        id=1,
        number=variant.number,
        service=variant.service,
        service_name=variant.service_name,
        service_name_en=variant.service_name_en,
        status="waiting",
        priority=variant.priority[0] if variant.priority else None,
        issued_at=issued_at,
        called_at=None,
        started_at=None,
        finished_at=None,
        counter=None,
        target_counter=None,
        ahead=variant.ahead,
        business_day=local_day(issued_at, TIMEZONE),
        recall_count=0,
        cycle=1,
        centre=variant.centre_code,
    )
    return TicketPrintInfo(
        ticket=ticket,
        centre_code=variant.centre_code,
        centre_name=variant.centre_name,
        timezone=TIMEZONE,
        language=variant.language,
        counters=variant.counters,
        estimated_wait_min=variant.wait_min,
        priority_name=variant.priority[1] if variant.priority else None,
        secret=new_secret(),
    )


def product(info: TicketPrintInfo, profile: PrinterProfile) -> tuple[Image.Image, bytes]:
    """The product's print path, as ``shared.printing.jobs.print_ticket`` runs it."""
    image = render_ticket(ticket_print_data(info), profile)
    return image, encode_image(image, cut=profile.cutter, feed_blank=True)


PHASES = ("data + token", "QR matrix", "layout", "raster", "ESC/POS encode")


def product_phases(info: TicketPrintInfo, profile: PrinterProfile) -> list[float]:
    """The same work as :func:`product`, split into phases (seconds each).

    ``render_ticket`` is ``ticket_flow(...).render()``; the QR matrix is computed first here
    (``qr_matrix`` is cached by text), so "layout" is text measuring and wrapping plus drawing
    the QR image from the cached matrix, and "raster" draws the page and thresholds it.
    """
    t0 = time.perf_counter()
    data = ticket_print_data(info)
    t1 = time.perf_counter()
    qr_matrix(data.qr_text)
    t2 = time.perf_counter()
    flow = ticket_flow(data, profile)
    t3 = time.perf_counter()
    image = flow.render()
    t4 = time.perf_counter()
    encode_image(image, cut=profile.cutter, feed_blank=True)
    t5 = time.perf_counter()
    return [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4]


def number_size(variant: Variant) -> int:
    """The font size the ticket's big number is drawn at."""
    profile = profile_of(variant)
    return Flow(profile).big(variant.number, round(190 * profile.scale))


def bare_pillow(size: tuple[int, int], number: str, number_px: int, qr_text: str) -> None:
    """The floor of drawing: a blank page, the number in the same font, a QR code."""
    page = Image.new("1", size, 1)
    ImageDraw.Draw(page).text((0, 0), number, font=font(number_px, True), fill=0)
    qrcode.make(qr_text)


# --- the measurement -----------------------------------------------------------------------


def measure(variant: Variant, n: int, warmup: int, day: int) -> dict[str, Any]:
    """Product and baselines interleaved, ticket by ticket, after ``warmup`` untimed rounds.

    Every ticket gets a fresh secret (so a fresh QR) and its own issue time, one second after
    the previous one, on a day of its own per variant (``day``): the time line is new text on
    every ticket, as at a kiosk, and no variant finds another's drawn text in the caches.
    """
    profile = profile_of(variant)
    number_px = number_size(variant)
    clock = [START + timedelta(days=day)]

    def next_info() -> TicketPrintInfo:
        clock[0] += timedelta(seconds=1)  # a fresh time and token on every ticket
        return print_info(variant, clock[0])

    image, payload_on = product(next_info(), profile)
    payload_off = encode_image(image, cut=profile.cutter, feed_blank=False)
    product_s: list[float] = []
    phases_s: list[list[float]] = []
    pillow_s: list[float] = []
    encode_on_s: list[float] = []
    encode_off_s: list[float] = []
    sizes_on: set[int] = set()
    heights: set[int] = set()

    def run_product(record: bool) -> None:
        info = next_info()
        t0 = time.perf_counter()
        rendered, payload = product(info, profile)
        spent = time.perf_counter() - t0
        if record:
            product_s.append(spent)
            sizes_on.add(len(payload))
            heights.add(rendered.height)

    def run_phases(record: bool) -> None:
        phases = product_phases(next_info(), profile)
        if record:
            phases_s.append(phases)

    def run_pillow(record: bool) -> None:
        qr_text = ticket_print_data(next_info()).qr_text
        t0 = time.perf_counter()
        bare_pillow(image.size, variant.number, number_px, qr_text)
        if record:
            pillow_s.append(time.perf_counter() - t0)

    def run_encode(feed_blank: bool, into: list[float]) -> Callable[[bool], None]:
        def run(record: bool) -> None:
            t0 = time.perf_counter()
            encode_image(image, cut=profile.cutter, feed_blank=feed_blank)
            if record:
                into.append(time.perf_counter() - t0)

        return run

    tasks = [
        run_product,
        run_phases,
        run_pillow,
        run_encode(True, encode_on_s),
        run_encode(False, encode_off_s),
    ]
    for i in range(warmup + n):
        shift = i % len(tasks)  # rotate the order so that no one always goes first
        for task in tasks[shift:] + tasks[:shift]:
            task(i >= warmup)

    height = image.height
    assert heights == {height}, f"ticket height changed between tickets: {heights}"
    height_mm = height / DOTS_PER_MM
    phase_p50 = {
        name: percentile(sorted(p[k] for p in phases_s), 50) * 1000 for k, name in enumerate(PHASES)
    }
    phase_p95 = {
        name: percentile(sorted(p[k] for p in phases_s), 95) * 1000 for k, name in enumerate(PHASES)
    }
    return {
        "label": variant.label,
        "paper_mm": variant.paper_mm,
        "number": variant.number,
        "service_name": variant.service_name,
        "language": variant.language,
        "priority": variant.priority[1] if variant.priority else None,
        "number_font_px": number_px,
        "width_dots": image.width,
        "height_dots": height,
        "height_mm": height_mm,
        "bytes_feed_blank": max(sizes_on),
        "bytes_feed_blank_min": min(sizes_on),
        "bytes_first_ticket": len(payload_on),
        "bytes_raster_only": len(payload_off),
        "print_s_image": height_mm / PRINT_SPEED_MM_S,
        "print_s_with_feed": (height_mm + FEED_LINES * LINE_MM) / PRINT_SPEED_MM_S,
        "product": latency_summary(product_s),
        "phases_p50_ms": phase_p50,
        "phases_p95_ms": phase_p95,
        "phases_sum_p50_ms": sum(phase_p50.values()),
        "baseline_bare_pillow": latency_summary(pillow_s),
        "baseline_encode_feed_blank": latency_summary(encode_on_s),
        "baseline_encode_raster_only": latency_summary(encode_off_s),
    }


# --- the first ticket in a fresh process -----------------------------------------------------

_COLD_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import shared.printing.jobs
t1 = time.perf_counter()
from bench.print_ticket import cold_child
print(json.dumps(cold_child(sys.argv[1], t1 - t0)))
"""


def cold_child(key: str, import_s: float) -> dict[str, float]:
    """Runs in a fresh interpreter: the first and the second ticket, timed like the product."""
    variant = next(v for v in variants() if v.key == key)
    profile = profile_of(variant)
    first, second = print_info(variant, START), print_info(variant, START + timedelta(seconds=1))
    t0 = time.perf_counter()
    product(first, profile)
    t1 = time.perf_counter()
    product(second, profile)
    t2 = time.perf_counter()
    return {
        "import_ms": import_s * 1000,
        "first_ms": (t1 - t0) * 1000,
        "second_ms": (t2 - t1) * 1000,
    }


def cold(key: str, runs: int) -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _COLD_CHILD, key],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))

    def median(name: str) -> float:
        return percentile(sorted(r[name] for r in results), 50)

    return {
        "runs": results,
        "import_ms": median("import_ms"),
        "first_ms": median("first_ms"),
        "second_ms": median("second_ms"),
    }


# --- output --------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pillow": version("pillow"),
        "qrcode": version("qrcode"),
        "python-escpos": version("python-escpos"),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    cols = list(results.values())

    def ms(value: float) -> str:
        return f"{value:.2f}"

    def lat(summary: dict[str, float]) -> str:
        return f"{summary['p50_ms']:.2f} / {summary['p95_ms']:.2f}"

    def kib(count: int) -> str:
        return f"{count:,} ({count / 1024:.1f} KiB)"

    rows: list[list[Any]] = [
        ["image, dots", *(f"{r['width_dots']} × {r['height_dots']}" for r in cols)],
        ["image height, mm", *(f"{r['height_mm']:.1f}" for r in cols)],
        ["**product** p50 / p95 ms", *(f"**{lat(r['product'])}**" for r in cols)],
        *([f"  ↳ {name} p50 ms", *(ms(r["phases_p50_ms"][name]) for r in cols)] for name in PHASES),
        ["  ↳ sum of phases p50 ms", *(ms(r["phases_sum_p50_ms"]) for r in cols)],
        ["cold: first ticket in a fresh process, ms", *(ms(r["cold"]["first_ms"]) for r in cols)],
        ["cold: second ticket, ms", *(ms(r["cold"]["second_ms"]) for r in cols)],
        ["cold: import shared.printing.jobs, ms", *(ms(r["cold"]["import_ms"]) for r in cols)],
        ["baseline: bare Pillow p50 / p95 ms", *(lat(r["baseline_bare_pillow"]) for r in cols)],
        [
            "baseline: encode_image only, feed_blank on, p50 / p95 ms",
            *(lat(r["baseline_encode_feed_blank"]) for r in cols),
        ],
        [
            "baseline: encode_image only, feed_blank off, p50 / p95 ms",
            *(lat(r["baseline_encode_raster_only"]) for r in cols),
        ],
        [
            "**bytes, feed_blank on** (default)",
            *(f"**{kib(r['bytes_feed_blank'])}**" for r in cols),
        ],
        ["bytes, feed_blank off", *(kib(r["bytes_raster_only"]) for r in cols)],
        [
            f"print time at {PRINT_SPEED_MM_S:.0f} mm/s, image / + {FEED_LINES}-line feed, s",
            *(f"{r['print_s_image']:.2f} / {r['print_s_with_feed']:.2f}" for r in cols),
        ],
    ]
    return markdown_table(["", *(r["label"] for r in cols)], rows)


def verdicts(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for r in results.values():
        p50 = r["product"]["p50_ms"]
        on, off = r["bytes_feed_blank"], r["bytes_raster_only"]
        lines.append(
            f"{r['label']}: p50 {p50:.1f} ms {'≤' if p50 <= GOAL_P50_MS else '>'} "
            f"{GOAL_P50_MS:.0f} ms; {on:,} B {'≤' if on <= GOAL_BYTES else '>'} 64 KiB with "
            f"feed_blank, {off:,} B {'≤' if off <= GOAL_BYTES else '>'} 64 KiB without"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.print_ticket")
    parser.add_argument("--n", type=int, default=200, help="timed tickets per variant")
    parser.add_argument("--warmup", type=int, default=10, help="untimed rounds per variant")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per variant")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    env = environment()
    print(f"os.cpu_count() = {env['cpu_count']}")
    print(
        f"Python {env['python']} · Pillow {env['pillow']} · qrcode {env['qrcode']} · "
        f"python-escpos {env['python-escpos']}"
    )
    print(f"platform {env['platform']}")
    print(f"N = {args.n} per variant after {args.warmup} warm-up rounds; cold: {args.cold_runs}")
    print()
    sys.stdout.flush()

    results: dict[str, dict[str, Any]] = {}
    for day, variant in enumerate(variants()):
        # The fresh processes first, while this one is not yet busy with the timed loops.
        cold_result = cold(variant.key, args.cold_runs)
        results[variant.key] = measure(variant, args.n, args.warmup, day)
        results[variant.key]["cold"] = cold_result
        print(f"  {variant.label}: done", file=sys.stderr)

    print(table(results))
    print()
    for line in verdicts(results):
        print(f"* {line}")
    elapsed = time.perf_counter() - started
    print(f"\n({elapsed:.1f} s)")
    path = write_results(
        NAME,
        {
            "environment": env,
            "config": {
                "n": args.n,
                "warmup": args.warmup,
                "cold_runs": args.cold_runs,
                "goal_p50_ms": GOAL_P50_MS,
                "goal_bytes": GOAL_BYTES,
                "print_speed_mm_s": PRINT_SPEED_MM_S,
                "line_mm": LINE_MM,
            },
            "variants": results,
            "elapsed_s": elapsed,
        },
    )
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
