"""The technical log: shared by every program of a PC, set aside at its size with nothing lost,
and never a citizen's name, ID number, phone, address or e-mail in it."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from pathlib import Path

from shared.logs import LOG_FILE, configure

LINES = 400


def _write(folder: str, who: int, go: multiprocessing.synchronize.Event) -> None:
    import logging

    configure(Path(folder), "INFO", max_kb=16, files=200)
    log = logging.getLogger("motcua.test")
    go.wait()
    for n in range(LINES):
        log.info("writer %d line %04d %s", who, n, "x" * 40)


def _all_lines(folder: Path) -> list[str]:
    return [
        line
        for path in sorted(folder.glob(f"{LOG_FILE}*"))
        if not path.name.endswith(".lock")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_programs_sharing_the_log_set_it_aside_without_losing_a_line(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    writers = [ctx.Process(target=_write, args=(str(tmp_path), w, go)) for w in range(4)]
    for writer in writers:
        writer.start()
    go.set()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    files = [p for p in tmp_path.glob(f"{LOG_FILE}*") if not p.name.endswith(".lock")]
    assert len(files) > 5  # it was set aside many times
    assert all(p.stat().st_size <= 16 * 1024 for p in files)
    seen = [line.split("writer ", 1)[1][:11] for line in _all_lines(tmp_path)]
    expected = [f"{w} line {n:04d}" for w in range(4) for n in range(LINES)]
    assert sorted(seen) == sorted(expected)  # every line once: none lost, none twice


def _late_writer(
    folder: str,
    opened: multiprocessing.synchronize.Event,
    rotated: multiprocessing.synchronize.Event,
) -> None:
    import logging

    configure(Path(folder), "INFO", max_kb=16, files=5)
    log = logging.getLogger("motcua.test")
    log.info("late writer starts")
    opened.set()
    rotated.wait(60)
    log.info("late writer after the rotation")


def test_a_program_follows_the_log_another_program_set_aside(tmp_path: Path) -> None:
    """The counter opened motcua.log; the kiosk's lines fill it and set it aside; the counter's
    next line goes to the new motcua.log, where a technician looks, not to the old file."""
    import logging

    ctx = multiprocessing.get_context("spawn")
    opened, rotated = ctx.Event(), ctx.Event()
    late = ctx.Process(target=_late_writer, args=(str(tmp_path), opened, rotated))
    late.start()
    assert opened.wait(60)
    configure(tmp_path, "INFO", max_kb=16, files=5)
    log = logging.getLogger("motcua.test")
    n = 0
    while not (tmp_path / f"{LOG_FILE}.1").exists():
        log.info("kiosk line %d %s", n, "z" * 60)
        n += 1
    rotated.set()
    late.join(60)
    assert late.exitcode == 0
    configure(tmp_path / "elsewhere")
    assert "late writer after the rotation" in (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    # Set aside once, full, by whoever filled it: not again at once by the late program.
    assert (tmp_path / f"{LOG_FILE}.1").stat().st_size > 12 * 1024
    assert not (tmp_path / f"{LOG_FILE}.2").exists()


def test_only_the_set_number_of_old_files_is_kept(tmp_path: Path) -> None:
    import logging

    configure(tmp_path, "INFO", max_kb=16, files=2)
    log = logging.getLogger("motcua.test")
    for n in range(2000):
        log.info("line %04d %s", n, "y" * 60)
    configure(tmp_path / "elsewhere")  # closes the file
    names = sorted(p.name for p in tmp_path.glob(f"{LOG_FILE}*") if not p.name.endswith(".lock"))
    assert names == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]
    assert "line 1999" in (tmp_path / LOG_FILE).read_text(encoding="utf-8")


NAME = "Nguyễn Thị Ngọc Ánh"
PERSONAL = (
    NAME,
    "Nguyễn",
    "Ngọc Ánh",
    "Lê Văn Bảy",
    "079301000123",
    "0912345678",
    "0912 345 678",
    "Số 12 Trần Hưng Đạo",
    "anh@example.com",
    "bay@example",
)


def test_a_day_with_dossiers_leaves_nothing_personal_in_the_log(
    motcua_bin: str, sample_url: str, tmp_path: Path
) -> None:
    """Dossiers received (right and wrong), searched, shown, looked up with a wrong secret and
    with a citizen ID card's QR scanned by mistake, returned, the tracking book exported: the
    log says what happened, with codes and ids, and nothing personal."""

    def run(*args: str, expect: int = 0) -> str:
        done = subprocess.run(
            [motcua_bin, "--db", sample_url, *args], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == expect, done.stderr
        return done.stdout

    received = json.loads(
        run(
            "--json",
            "dossier",
            "receive",
            "--procedure",
            "1.001193",
            "--name",
            NAME,
            "--id-number",
            "079301000123",
            "--phone",
            "0912 345 678",
            "--address",
            "Số 12 Trần Hưng Đạo, phường Tân An",
            "--email",
            "anh@example.com",
        )
    )
    run(
        "dossier",
        "receive",
        "--procedure",
        "1.001193",
        "--name",
        "Lê Văn Bảy",
        "--id-number",
        "12345",
        "--phone",
        "0999",
        "--email",
        "bay@example",
        expect=3,
    )
    code, secret = received["code"], received["secret"]
    run("dossier", "list", "--search", "nguyen thi ngoc")
    run("dossier", "show", code)
    run("dossier", "lookup", code, "SAIMATRA", expect=3)
    run("dossier", "lookup", f"079301000123|{NAME}|01011990", "x", expect=3)
    run("dossier", "status", code, "--set", "4", "--note", f"Đã gọi {NAME} 0912345678")
    run("dossier", "ready", code)
    run("dossier", "return", f"MOTCUA:D1:{code}:{secret}", expect=3)  # a mangled scan
    run("dossier", "return", code)
    run(
        "dossier",
        "book",
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
        "--csv",
        str(tmp_path / "book.csv"),
    )
    logs = Path(os.environ["XDG_STATE_HOME"])
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs.rglob(f"{LOG_FILE}*"))
    # The log noted the day's trouble (the wrong form, the wrong scans), in words only.
    assert "refused (DossierInvalid)" in text and "refused (MalformedCode)" in text
    for personal in PERSONAL:
        assert personal not in text, personal
