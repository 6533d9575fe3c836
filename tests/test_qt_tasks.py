"""The apps' worker pool: results and errors come back on the UI thread, worded in the language
the screen was using when the work was submitted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from shared.errors import UnknownService
from shared.i18n import set_language, tr
from shared.qt.tasks import TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> TaskRunner:
    parent = QObject()
    runner = TaskRunner(parent)
    runner.parent_ref = parent  # type: ignore[attr-defined] - keep the pool's owner alive
    yield runner
    runner.wait()
    set_language("vi")


def run(qtbot: QtBot, runner: TaskRunner, work: Callable[[Callable[[object], None]], object]):
    got: dict[str, object] = {}
    runner.submit(
        work,
        None,
        lambda value: got.update(done=value, thread=QThread.currentThread()),
        lambda error: got.update(failed=error, thread=QThread.currentThread()),
    )
    qtbot.waitUntil(lambda: "thread" in got, timeout=5000)
    return got


@pytest.mark.parametrize("language", ["vi", "en"])
def test_messages_made_in_the_worker_follow_the_screen_language(
    qtbot: QtBot, runner: TaskRunner, language: str
) -> None:
    set_language(language)
    got = run(qtbot, runner, lambda progress: (tr("dossier.status.4"), QThread.currentThread()))
    text, worker_thread = got["done"]  # type: ignore[misc]
    assert text == tr("dossier.status.4", language)
    assert worker_thread is not QThread.currentThread()
    assert got["thread"] is QThread.currentThread()


def test_an_error_reaches_the_ui_thread_as_raised(qtbot: QtBot, runner: TaskRunner) -> None:
    set_language("en")

    def work(progress: Callable[[object], None]) -> object:
        raise UnknownService(code="X9")

    got = run(qtbot, runner, work)
    error = got["failed"]
    assert isinstance(error, UnknownService)
    assert "X9" in error.message and error.message == error.message_in("en")
