"""Settings: where each option comes from, and how a wrong configuration file is refused.

Precedence, lowest first: defaults < configuration file < MOTCUA_DB_URL < --db. A wrong file
raises ConfigError (exit 2) whose message names the file and the offending key.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from shared.errors import EXIT_USAGE, ConfigError
from shared.settings import (
    Settings,
    config_dir,
    data_dir,
    default_sqlite_url,
    load_settings,
)

FILE_URL = "sqlite:///srv/motcua/from-file.sqlite3"
ENV_URL = "postgresql://motcua@192.0.2.10/from_env"
CLI_URL = "postgresql://motcua@192.0.2.20/from_cli"


def write_config(directory: Path, text: str, name: str = "motcua.toml") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return write_config(
        tmp_path,
        f"""
[database]
url = "{FILE_URL}"
busy_timeout = 12.5

[ui]
language = "en"
""",
    )


# --- defaults and precedence -----------------------------------------------------------------


def test_defaults_without_file_or_environment() -> None:
    """With nothing configured, every option has its documented default."""
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.source == ""
    assert settings.database.url == ""
    assert settings.database.busy_timeout == 30.0
    assert settings.database.sqlite_synchronous == "FULL"
    assert settings.ui.language == "vi"
    assert settings.logging.level == "INFO"


def test_default_database_is_an_sqlite_file_in_the_user_data_dir() -> None:
    """The default database is motcua.sqlite3 in the per-user data folder (platformdirs)."""
    url = load_settings(environ={}).database_url
    assert url == default_sqlite_url()
    assert url.startswith("sqlite:///")
    path = Path(url.removeprefix("sqlite:///"))
    assert path.name == "motcua.sqlite3"
    assert path.parent == data_dir()
    assert path.parent == Path(platformdirs.user_data_dir("motcua", "MotCua"))
    # The suite isolates XDG_DATA_HOME, so the default is inside the test's home, not the user's.
    assert path.is_relative_to(os.environ["XDG_DATA_HOME"])


def test_file_overrides_defaults(config_file: Path) -> None:
    settings = load_settings(config_file, environ={})
    assert settings.database.url == FILE_URL
    assert settings.database_url == FILE_URL
    assert settings.database.busy_timeout == 12.5
    assert settings.ui.language == "en"
    assert settings.database.sqlite_synchronous == "FULL"  # not in the file: the default
    assert settings.source == str(config_file)


def test_environment_overrides_file(config_file: Path) -> None:
    """MOTCUA_DB_URL replaces the file's URL and leaves its other options alone."""
    settings = load_settings(config_file, environ={"MOTCUA_DB_URL": ENV_URL})
    assert settings.database_url == ENV_URL
    assert settings.database.busy_timeout == 12.5
    assert settings.ui.language == "en"


def test_command_line_overrides_environment_and_file(config_file: Path) -> None:
    settings = load_settings(config_file, db_url=CLI_URL, environ={"MOTCUA_DB_URL": ENV_URL})
    assert settings.database_url == CLI_URL
    assert settings.database.busy_timeout == 12.5
    assert load_settings(db_url=CLI_URL, environ={}).database_url == CLI_URL
    assert load_settings(environ={"MOTCUA_DB_URL": ENV_URL}).database_url == ENV_URL


def test_config_file_found_through_motcua_config(config_file: Path, tmp_path: Path) -> None:
    """MOTCUA_CONFIG names the file; an explicit --config path beats it."""
    settings = load_settings(environ={"MOTCUA_CONFIG": str(config_file)})
    assert settings.database_url == FILE_URL

    other = write_config(tmp_path / "other", '[ui]\nlanguage = "vi"\n')
    explicit = load_settings(other, environ={"MOTCUA_CONFIG": str(config_file)})
    assert explicit.source == str(other)
    assert explicit.database.url == ""


def test_config_file_in_the_user_config_dir_is_read() -> None:
    """Without --config or MOTCUA_CONFIG, motcua.toml in the per-user config folder is read."""
    path = write_config(config_dir(), '[centre]\ncode = "HCC-LA"\n')
    settings = load_settings(environ={})
    assert settings.centre.code == "HCC-LA"
    assert settings.source == str(path)


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.toml"
    with pytest.raises(ConfigError) as caught:
        load_settings(missing, environ={})
    assert str(missing) in caught.value.message


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[database]\nurl = "unterminated\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert str(path) in caught.value.message
    assert "line 2" in caught.value.message


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param('[databse]\nurl = ""\n', "databse", id="unknown-section"),
        pytest.param('[database]\nurll = ""\n', "database.urll", id="unknown-key"),
        pytest.param("database = 3\n", "database", id="section-not-a-table"),
        pytest.param('[database]\nbusy_timeout = "30"\n', "database.busy_timeout", id="str"),
        pytest.param("[database]\nbusy_timeout = true\n", "database.busy_timeout", id="bool"),
        pytest.param("[database]\nurl = 5\n", "database.url", id="int-for-str"),
        pytest.param("[ui]\nlanguage = 1\n", "ui.language", id="int-for-choice"),
        pytest.param("[database]\nbusy_timeout = 0.5\n", "database.busy_timeout", id="too-small"),
        pytest.param("[database]\nbusy_timeout = 601\n", "database.busy_timeout", id="too-big"),
        pytest.param("[database]\nbusy_timeout = inf\n", "database.busy_timeout", id="inf"),
        pytest.param("[database]\nbusy_timeout = nan\n", "database.busy_timeout", id="nan"),
        pytest.param('[ui]\nlanguage = "fr"\n', "ui.language", id="bad-choice"),
        pytest.param('[logging]\nlevel = "debug"\n', "logging.level", id="choice-is-exact"),
        pytest.param(
            '[database]\nsqlite_synchronous = "OFF"\n',
            "database.sqlite_synchronous",
            id="unsafe-synchronous",
        ),
    ],
)
def test_wrong_setting_is_refused_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    """Every kind of mistake raises ConfigError (exit 2) naming the file and the key."""
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    error = caught.value
    assert error.exit_code == EXIT_USAGE
    assert str(path) in error.message
    assert key in error.message
    assert key in error.message_in("en")


def test_bounds_are_inclusive(tmp_path: Path) -> None:
    """The documented limits themselves are accepted; an integer is fine for a float option."""
    low = load_settings(
        write_config(tmp_path, "[database]\nbusy_timeout = 1\n", "a.toml"), environ={}
    )
    assert low.database.busy_timeout == 1.0
    assert isinstance(low.database.busy_timeout, float)
    high = load_settings(
        write_config(tmp_path, "[database]\nbusy_timeout = 600.0\n", "b.toml"), environ={}
    )
    assert high.database.busy_timeout == 600.0
