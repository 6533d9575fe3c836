"""One family of typed errors whose messages are fit for a person.

Every error carries a translation key and its parameters, so its text follows the current
language (:mod:`shared.i18n`), and an exit code for the ``motcua`` command:
2 usage, 3 refused by the rules, 4 database unreachable or schema old, 5 the printer failed.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.i18n import current_language, tr

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_DATABASE = 4
EXIT_PRINTER = 5


class MotcuaError(Exception):
    """Base of every error the product expects and explains."""

    exit_code: ClassVar[int] = EXIT_REFUSED
    key: ClassVar[str] = ""

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.message_key = key or self.key
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return tr(self.message_key, **self.params)

    def message_in(self, language: str) -> str:
        return tr(self.message_key, language=language, **self.params)

    @property
    def code(self) -> str:
        """A stable machine-readable name, e.g. ``illegal_transition``."""
        return self.message_key.split(".", 1)[-1]

    def __str__(self) -> str:
        return self.message


# --- refused by the rules (exit 3) -----------------------------------------------------------


class QueueError(MotcuaError):
    """The queue rules refuse the request."""


class UnknownService(QueueError):
    key = "error.unknown_service"


class UnknownCounter(QueueError):
    key = "error.unknown_counter"


class UnknownPriorityGroup(QueueError):
    key = "error.unknown_priority"


class UnknownTicket(QueueError):
    key = "error.unknown_ticket"


class IllegalTransition(QueueError):
    key = "error.illegal_transition"


class CounterPaused(QueueError):
    key = "error.counter_paused"


class CounterStateUnchanged(QueueError):
    key = "error.counter_already"


class NumberRangeExhausted(QueueError):
    key = "error.range_exhausted"


class ServiceInactive(QueueError):
    key = "error.service_inactive"


class RequestIdConflict(QueueError):
    key = "error.request_id_conflict"


class CounterTaken(QueueError):
    key = "error.counter_taken"


class OfflineNumbersUsedUp(QueueError):
    key = "error.offline_numbers_used_up"


class OfflineTicketRefused(QueueError):
    key = "error.offline_ticket_refused"


class RatingRefused(QueueError):
    """A rating cannot be recorded (bad level, not finished yet, already rated)."""


class CentreError(MotcuaError):
    """Which centre a command works on is unclear."""


class CatalogError(MotcuaError):
    """A catalogue file is unreadable or wrong; nothing was imported."""


class UserError(MotcuaError):
    """A user account request is refused."""


class PrinterError(MotcuaError):
    """Printing failed; the ticket stays issued and can be printed again (exit code 5)."""

    exit_code = EXIT_PRINTER


class PrinterNotConfigured(PrinterError):
    key = "error.printer_not_configured"


class PrinterUnreachable(PrinterError):
    key = "error.printer_unreachable"


class PrinterTimeout(PrinterError):
    key = "error.printer_timeout"


class PrinterOutOfPaper(PrinterError):
    key = "error.printer_paper_out"


class PrinterCoverOpen(PrinterError):
    key = "error.printer_cover_open"


class PrinterFault(PrinterError):
    key = "error.printer_fault"


class CodeError(MotcuaError):
    """A scanned QR code or a typed token is not one of ours, or was altered."""


class MalformedCode(CodeError):
    key = "error.code_malformed"


class TamperedCode(CodeError):
    key = "error.code_tampered"


# --- usage (exit 2) --------------------------------------------------------------------------


class ConfigError(MotcuaError):
    exit_code = EXIT_USAGE
    key = "error.config"


class ClockSettingError(ConfigError):
    key = "error.clock_setting"


class ReportRefused(MotcuaError):
    """A report asked for something that is not a report (kind, dates)."""

    exit_code = EXIT_USAGE


class BadDatabaseUrl(MotcuaError):
    exit_code = EXIT_USAGE
    key = "error.bad_db_url"


# --- database (exit 4) -----------------------------------------------------------------------


class DatabaseError(MotcuaError):
    """The database cannot be used right now; nothing was written."""

    exit_code = EXIT_DATABASE


class DatabaseUnreachable(DatabaseError):
    key = "error.db_unreachable"


class DatabaseLost(DatabaseError):
    key = "error.db_lost"


class DatabaseNotAllowed(DatabaseError):
    """This PC's database login may not do that (``motcua db roles``): nothing was written."""

    key = "error.db_not_allowed"


class DatabaseFileUnreachable(DatabaseUnreachable):
    """The SQLite file cannot be opened (a missing folder, no right to it, a removed disk)."""

    key = "error.db_file_unreachable"


class DiskFull(DatabaseError):
    """The disk holding the SQLite file is full: nothing was written."""

    key = "error.disk_full"


class DatabaseReadOnly(DatabaseError):
    """The SQLite file (or its disk) cannot be written: reading still works."""

    key = "error.db_read_only"


class DatabaseCorrupt(DatabaseError):
    """The SQLite file is damaged: never written to or replaced by the program."""

    key = "error.db_corrupt"


class DatabaseBusy(DatabaseError):
    key = "error.db_busy"


class SchemaOutdated(DatabaseError):
    """The schema is missing or older than this software: run ``motcua db upgrade``."""

    key = "error.schema_old"


class SchemaTooNew(DatabaseError):
    key = "error.schema_new"


# --- backups ---------------------------------------------------------------------------------


class BackupError(MotcuaError):
    """A backup or a restore could not be done; the database is as it was."""

    exit_code = EXIT_DATABASE
    key = "error.backup_failed"


class BackupRefused(BackupError):
    """The file given to restore is not a sound backup of this product: nothing was touched."""

    exit_code = EXIT_REFUSED
    key = "error.backup_refused"


# --- dossiers (refused by the rules: exit 3) -------------------------------------------------


class DossierError(MotcuaError):
    """The dossier rules refuse the request."""


class DossierInvalid(DossierError):
    """The receiving form has mistakes; ``errors`` maps each field path to its message."""

    key = "error.dossier_invalid"

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        lines = "\n".join(f"  {name}: {message}" for name, message in self.errors.items())
        super().__init__(self.key, fields=lines)


class UnknownDossier(DossierError):
    key = "error.unknown_dossier"


class UnknownProcedure(DossierError):
    key = "error.unknown_procedure"


class DossierTransitionRefused(DossierError):
    key = "error.dossier_transition"


class DossierStepRefused(DossierError):
    """A hand-over step cannot take this result (unknown position or already closed)."""

    key = "error.dossier_step"


class DossierSecretMismatch(DossierError):
    """The scanned slip does not belong to this dossier (its secret does not match)."""

    key = "error.dossier_secret"


class DossierConfigError(DossierError):
    """The centre cannot number dossiers (no agency e-ID in the catalogue)."""

    key = "error.dossier_no_agency"


class LookupRefused(DossierError):
    """Kiosk lookup: the same message whatever was wrong (code, secret or QR)."""

    key = "error.lookup_refused"


class LookupSlowDown(DossierError):
    """Kiosk lookup: too many wrong attempts for this code; try again after ``retry_after`` s."""

    key = "error.lookup_slow_down"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = int(retry_after)
        super().__init__(self.key, seconds=self.retry_after)


# --- working calendar ------------------------------------------------------------------------


class CalendarError(MotcuaError):
    """A change to the working calendar is refused (exit 3)."""


class CalendarDayRefused(CalendarError):
    """A change refused for one day; the message names the day's weekday in its language."""

    def __init__(self, day: date) -> None:
        self.day = day
        super().__init__(self.key, day=f"{day:%d/%m/%Y}", iso=day.isoformat())

    @property
    def message(self) -> str:
        return self.message_in(current_language())

    def message_in(self, language: str) -> str:
        weekday = tr(f"calendar.weekday.{self.day.weekday()}", language=language)
        return tr(self.message_key, language=language, weekday=weekday, **self.params)


class WeekendAlreadyOff(CalendarDayRefused):
    """Saturdays and Sundays are days off already: marking one "off" changes nothing."""

    key = "error.calendar_weekend_off"


class WeekdayAlreadyWorking(CalendarDayRefused):
    """Monday to Friday are working days already: only a weekend day can be worked."""

    key = "error.calendar_weekday_work"


class CalendarDayUnset(CalendarError):
    """``clear`` on a day the table does not hold."""

    key = "error.calendar_day_unset"


class CalendarInputError(CalendarError):
    """A date, time, year or calendar file that cannot be read (exit 2)."""

    exit_code = EXIT_USAGE
