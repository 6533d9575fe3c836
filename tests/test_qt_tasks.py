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


def test_an_answer_after_the_window_is_gone_is_dropped(qtbot: QtBot) -> None:
    """The work finished, but its window was deleted before the answer reached the UI thread:
    the plain function waiting for it (a controller's, which Qt does not disconnect by itself)
    is not called. A window still there gets its answer."""
    from PySide6.QtWidgets import QWidget
    from shiboken6 import delete, isValid

    answers: list[object] = []
    window = QWidget()
    runner = TaskRunner(window)
    runner.submit(lambda progress: "late", None, answers.append, answers.append)
    assert runner.wait(5000)  # done, its answer queued for the UI thread, not yet delivered
    delete(window)
    assert not isValid(window)
    qtbot.wait(200)
    assert answers == []

    alive = QWidget()
    kept = TaskRunner(alive)
    kept.submit(lambda progress: "shown", None, answers.append, answers.append)
    qtbot.waitUntil(lambda: answers == ["shown"], timeout=5000)
