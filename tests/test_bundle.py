"""The installable programs (``build_installer.spec``, ``scripts/build_bundle.sh``): each bundled
program starts offscreen and paints its first frame, takes the same options as ``motcua kiosk|
counter|display``, and the bundled command migrates a database (SQLite and PostgreSQL), runs the
demo and opens the windowed demo; the resource helper finds ``assets/`` from the source tree, an
installed wheel and the bundle.

The bundle is ``dist/motcua/``: ``scripts/test.sh`` builds it (if its sources changed) before
the suite and sets ``MOTCUA_BUNDLE=prebuilt``; run alone, this module builds it when needed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from shared.db import Database
from shared.migrations import HEAD_REVISION
from shared.resources import asset, asset_dirs, assets_dir, frozen
from shared.users import add_user
from tests.helpers.xserver import XServer, have_xvfb

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "motcua"
SUFFIX = ".exe" if sys.platform == "win32" else ""
APPS = ("kiosk", "counter", "display")
START_TIMEOUT = 120  # a cold start of a frozen Qt program on a busy two-core machine


def _program(name: str) -> str:
    return str(DIST / f"{name}{SUFFIX}")


@pytest.fixture(scope="module")
def bundle() -> Path:
    """``dist/motcua``, fresh: built now unless ``scripts/test.sh`` just built it."""
    if os.environ.get("MOTCUA_BUNDLE") != "prebuilt":
        build = subprocess.run(
            ["bash", "scripts/build_bundle.sh", "--if-needed"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    missing = [
        name
        for name in ("motcua", "motcua-kiosk", "motcua-counter", "motcua-display")
        if not Path(_program(name)).is_file()
    ]
    assert not missing, f"not in {DIST}: {missing} (bash scripts/build_bundle.sh)"
    return DIST


@pytest.fixture
def offscreen_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOTCUA_VOICE": "0"}
    # The bundle must not lean on the source tree or the virtual environment.
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MOTCUA_DB_URL", "MOTCUA_CONFIG"):
        env.pop(var, None)
    return env


def _run(
    command: list[str], env: dict[str, str], cwd: Path, timeout: float = START_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def _assert_painted(png: Path) -> None:
    with Image.open(png) as image:
        assert image.width >= 320 and image.height >= 240
        colours = image.convert("RGB").resize((64, 64)).getcolors(64 * 64)
    assert colours is None or len(colours) > 3, "the first frame is blank"


# --- the bundled programs --------------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
def test_each_bundled_program_paints_its_first_frame_offscreen(
    bundle: Path, app: str, sample_url: str, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    png = tmp_path / f"{app}.png"
    result = _run(
        [_program(f"motcua-{app}"), "--db", sample_url, "--smoke", "--screenshot", str(png)],
        offscreen_env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{app}: first frame in" in result.stdout
    _assert_painted(png)


@pytest.mark.parametrize("app", APPS)
def test_the_bundled_command_starts_each_app_with_a_settings_file(
    bundle: Path, app: str, sample_url: str, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    """``motcua APP --config FILE --smoke``: the database comes from the settings file."""
    config = tmp_path / "motcua.toml"
    config.write_text(f'[database]\nurl = "{sample_url}"\n', encoding="utf-8")
    png = tmp_path / f"{app}-cmd.png"
    result = _run(
        [_program("motcua"), app, "--config", str(config), "--screenshot", str(png)],
        offscreen_env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{app}: first frame in" in result.stdout
    _assert_painted(png)


@pytest.mark.parametrize("app", APPS)
def test_every_bundled_program_takes_the_options_of_the_motcua_app_commands(
    bundle: Path, app: str, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    result = _run([_program(f"motcua-{app}"), "--help"], offscreen_env, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    for option in ("--db", "--config", "--smoke", "--screenshot", "--windowed", "--size"):
        assert option in result.stdout, option


def test_the_bundled_counter_signs_in_on_the_database_given_with_db(
    bundle: Path, sample_url: str, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    """``--db`` is the database the program works on: the clerk exists only there."""
    database = Database(sample_url)
    add_user(database, "canbo9", "mat-khau-9", "clerk", full_name="Lê Thị Hoa")
    database.dispose()
    command = [_program("motcua-counter"), "--db", sample_url, "--user", "canbo9", "--counter", "1"]
    signed = _run(
        [*command, "--screenshot", str(tmp_path / "c.png")],
        {**offscreen_env, "MOTCUA_PASSWORD": "mat-khau-9"},
        tmp_path,
    )
    assert signed.returncode == 0, signed.stderr[-3000:]
    assert "counter: first frame in" in signed.stdout
    refused = _run(
        [*command, "--smoke"], {**offscreen_env, "MOTCUA_PASSWORD": "sai-mat-khau"}, tmp_path
    )
    assert refused.returncode == 3, (refused.returncode, refused.stderr[-3000:])


def test_bundled_command_upgrades_a_database_and_runs_the_demo(
    bundle: Path, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'centre.sqlite3'}"
    upgraded = _run(
        [_program("motcua"), "db", "upgrade", "--db", url, "--json"], offscreen_env, tmp_path
    )
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    assert json.loads(upgraded.stdout)["revision"] == HEAD_REVISION

    catalogue = _run(
        [
            _program("motcua"),
            "catalog",
            "import",
            str(asset("catalog", "sample.toml")),
            "--db",
            url,
        ],
        offscreen_env,
        tmp_path,
    )
    assert catalogue.returncode == 0, catalogue.stderr[-3000:]

    demo = _run(
        [
            _program("motcua"),
            "demo",
            "--headless",
            "--visitors",
            "120",
            "--db",
            f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "--json",
        ],
        offscreen_env,
        tmp_path,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    summary = json.loads(demo.stdout)["summary"]
    assert summary["total"]["tickets"] == 120
    assert summary["duplicate_numbers"] == 0 and summary["tickets_called_twice"] == 0


def test_bundled_command_prints_the_printer_test_page_with_the_bundled_fonts(
    bundle: Path, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    png = tmp_path / "test-page.png"
    result = _run(
        [_program("motcua"), "printer", "test", "--png", str(png), "--escpos", str(tmp_path / "b")],
        offscreen_env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with Image.open(png) as image:
        assert image.width in (384, 576) and image.height > 200


def test_bundled_command_renders_a_form_as_pdf_with_the_bundled_serif_fonts(
    bundle: Path, sample_url: str, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    """fpdf2 and fontTools (imported lazily by the forms) and assets/forms + the serif fonts are
    in the bundle: the tracking book (Mẫu 06, docs/forms.md) renders as PDF and PNG."""
    pdf, png = tmp_path / "so.pdf", tmp_path / "so.png"
    result = _run(
        [
            _program("motcua"),
            "dossier",
            "print",
            "--form",
            "06",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--pdf",
            str(pdf),
            "--png",
            str(png),
            "--db",
            sample_url,
        ],
        offscreen_env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert pdf.read_bytes().startswith(b"%PDF") and b"/FontFile2" in pdf.read_bytes()
    _assert_painted(png)


@pytest.mark.postgres
def test_bundled_command_upgrades_a_postgresql_database(
    bundle: Path, pg_url: str, offscreen_env: dict[str, str], tmp_path: Path
) -> None:
    first = _run(
        [_program("motcua"), "db", "upgrade", "--db", pg_url, "--json"], offscreen_env, tmp_path
    )
    assert first.returncode == 0, first.stderr[-3000:]
    status = _run(
        [_program("motcua"), "db", "status", "--db", pg_url, "--json"], offscreen_env, tmp_path
    )
    assert status.returncode == 0, status.stderr[-3000:]
    assert json.loads(status.stdout)["up_to_date"] is True


def _demo_children(marker: str) -> list[str]:
    """The demo's app processes ("PID COMMAND…"): each is started with its ``--tile``."""
    found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "--tile" in line]


def _demo_kind(line: str) -> str:
    """Which app a demo process is: ``python -m launcher kiosk …`` from source, the bundle's
    own ``motcua-kiosk …`` program from the bundle."""
    parts = line.split()
    if "launcher" in parts:
        return parts[parts.index("launcher") + 1]
    return Path(parts[1]).name.removeprefix("motcua-").removesuffix(".exe")


@pytest.fixture
def windowed_demo(
    bundle: Path, offscreen_env: dict[str, str], tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    path = tmp_path / "bundle-demo.sqlite3"
    parent = subprocess.Popen(
        [_program("motcua"), "demo", "--visitors", "8", "--db", f"sqlite:///{path}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=offscreen_env,
        cwd=tmp_path,
    )
    try:
        yield parent, path
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.communicate(timeout=30)
        for line in _demo_children(str(path)):
            os.kill(int(line.split()[0]), signal.SIGKILL)


@pytest.mark.skipif(sys.platform == "win32", reason="pgrep")
def test_the_bundled_windowed_demo_opens_four_programs_and_stops_them_together(
    windowed_demo: tuple[subprocess.Popen[str], Path],
) -> None:
    parent, path = windowed_demo
    deadline = time.monotonic() + START_TIMEOUT
    while len(_demo_children(str(path))) < 4 and time.monotonic() < deadline:
        assert parent.poll() is None, parent.communicate()
        time.sleep(0.3)
    children = _demo_children(str(path))
    kinds = sorted(_demo_kind(line) for line in children)
    assert kinds == ["counter", "counter", "display", "kiosk"]
    # The bundle starts its own windowed programs (no console window each on Windows).
    assert all(line.split()[1].startswith(str(DIST / "motcua-")) for line in children)
    time.sleep(3)  # past their first frames: none of them fell over
    assert len(_demo_children(str(path))) == 4 and parent.poll() is None
    parent.send_signal(signal.SIGTERM)
    out, err = parent.communicate(timeout=30)
    assert parent.returncode == 130, err[-3000:]
    assert "canbo1" in out
    deadline = time.monotonic() + 15
    while _demo_children(str(path)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _demo_children(str(path)) == []


@pytest.fixture
def xvfb() -> Iterator[XServer]:
    """A virtual X11 screen with no window manager (installed by ``scripts/setup.sh --test``)."""
    if not have_xvfb():
        pytest.skip("Xvfb, xwininfo and xdotool are not installed (bash scripts/setup.sh --test)")
    with XServer([(2560, 1440)]) as x:
        yield x


def _mapped_windows(x: XServer) -> list[str]:
    """Geometries ("WxH+X+Y") of the top-level windows shown on the X screen."""
    return sorted(w.geometry for w in x.windows())


def _corners(x: XServer) -> list[str]:
    return sorted(geometry.split("+", 1)[1] for geometry in _mapped_windows(x))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11")
@pytest.mark.parametrize("where", ["source", "bundle"])
def test_motcua_demo_on_a_screen_shows_the_four_windows_and_stops_them(
    where: str,
    request: pytest.FixtureRequest,
    motcua_bin: str,
    xvfb: XServer,
    offscreen_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """``motcua demo`` on a machine with a display (a virtual X11 screen): the waiting-room
    screen, the kiosk and two counters appear as windows with their first frames painted; the
    end of the demo closes them all."""
    command = motcua_bin if where == "source" else str(request.getfixturevalue("bundle") / "motcua")
    env = xvfb.env(offscreen_env)
    path = tmp_path / f"{where}-screen-demo.sqlite3"
    parent = subprocess.Popen(
        [command, "demo", "--visitors", "6", "--db", f"sqlite:///{path}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    # Tiled 2×2 over the 2560×1440 screen: display and kiosk above, the two counters below.
    expected = ["0+0", "0+720", "1280+0", "1280+720"]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _corners(xvfb) != expected and time.monotonic() < deadline:
            assert parent.poll() is None, parent.communicate()
            time.sleep(0.5)
        assert _corners(xvfb) == expected, _mapped_windows(xvfb)
        time.sleep(2)  # the first frames are painted (and nobody fell over meanwhile)
        assert len(_demo_children(str(path))) == 4 and parent.poll() is None
        screen = xvfb.grab()
        colours = screen.resize((256, 144)).getcolors(256 * 144)
        assert colours is None or len(colours) > 8, "the windows are blank"
    finally:
        parent.send_signal(signal.SIGTERM)
        out, err = parent.communicate(timeout=30)
    assert parent.returncode == 130, err[-3000:]
    deadline = time.monotonic() + 15
    while (_demo_children(str(path)) or _mapped_windows(xvfb)) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _demo_children(str(path)) == [] and _mapped_windows(xvfb) == []


# --- what the bundle holds -------------------------------------------------------------------


def _bundled_root(bundle: Path) -> Path:
    internal = bundle / "_internal"
    return internal if internal.is_dir() else bundle


def test_the_bundle_holds_every_asset_and_every_migration(bundle: Path) -> None:
    root = _bundled_root(bundle)
    sources = [
        p for p in (ROOT / "assets").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    assert sources
    missing = [
        str(p.relative_to(ROOT)) for p in sources if not (root / p.relative_to(ROOT)).is_file()
    ]
    assert missing == []
    versions = sorted(p.name for p in (ROOT / "shared/migrations/versions").glob("*.py"))
    bundled = sorted(p.name for p in (root / "shared/migrations/versions").glob("*.py"))
    assert bundled == versions
    assert (root / "shared/migrations/env.py").is_file()


def _bundle_bytes(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def test_the_bundle_is_lean(bundle: Path) -> None:
    root = _bundled_root(bundle)
    names = {p.name for p in root.rglob("*")}
    for unused in ("QtQml", "QtQuick", "QtWebEngine", "Qt3D", "QtNetwork", "QtPdf", "QtSql"):
        assert not [n for n in names if unused in n], f"{unused} is bundled"
    assert not [p for p in root.rglob("*.qm")], "Qt translations are bundled"
    assert not [n for n in names if n.startswith(("pytest", "_pytest", "tkinter"))]
    assert _bundle_bytes(bundle) < 250 * 1024 * 1024


# --- the resource helper ---------------------------------------------------------------------


def test_from_source_the_resource_helper_uses_the_source_tree() -> None:
    assert not frozen()
    assert assets_dir() == ROOT / "assets"
    assert asset("catalog", "sample.toml") == ROOT / "assets" / "catalog" / "sample.toml"
    assert asset_dirs()[0] == ROOT / "assets"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment layout")
def test_an_installed_wheel_ships_assets_where_the_resource_helper_finds_them(
    tmp_path: Path,
) -> None:
    # Built from a copy of the sources, so the build leaves nothing in the working tree.
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    for folder in ("assets", "shared", "cli", "launcher", "kiosk", "counter", "display"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "-w",
            str(wheels),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = wheels.glob("motcua_queue-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert any(n.endswith("/data/share/motcua/assets/catalog/sample.toml") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    probe = (
        "import json, shared.resources as r; "
        "print(json.dumps([str(r.assets_dir()), str(r.asset('catalog', 'sample.toml')), "
        "str(r.package_file('migrations', 'env.py'))]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    found = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert found.returncode == 0, found.stderr
    folder, sample, env_py = (Path(p) for p in json.loads(found.stdout))
    assert folder == venv / "share" / "motcua" / "assets"
    assert sample.read_bytes() == (ROOT / "assets" / "catalog" / "sample.toml").read_bytes()
    shipped = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
    expected = {
        p.relative_to(ROOT / "assets")
        for p in (ROOT / "assets").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped == expected
    assert env_py.is_file() and venv in env_py.parents
