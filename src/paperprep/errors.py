"""Errors that the clerk can act on.

Every error the clerk may meet is a `PaperprepError` whose message is one sentence saying what is wrong and what
to do. Anything else that escapes is a bug; the CLI and the GUI turn it into a short apology, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class PaperprepError(Exception):
    """An expected failure with a message meant for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(PaperprepError):
    """A record that was asked for does not exist."""


class ValidationError(PaperprepError):
    """Input that cannot be accepted as it is."""


class MinutesLockedError(PaperprepError):
    """The minutes of this meeting are approved and cannot change until they are reopened."""


class DatabaseProblem(PaperprepError):
    """The database file cannot be used: missing, read-only, locked, corrupt or too new."""


class DatabaseTooNewError(DatabaseProblem):
    """The file was written by a newer paperprep."""


class CorruptDatabaseError(DatabaseProblem):
    """The file is damaged or is not a paperprep database."""


class ExportError(PaperprepError):
    """A document could not be written."""


class ConfidentialLeakError(ExportError):
    """A public document would contain text from an exempt item."""


class ImportProblem(PaperprepError):
    """A file to import cannot be read."""


class ExportCancelled(ExportError):
    """The clerk cancelled an export; nothing was written."""


class ConflictError(PaperprepError):
    """A record changed since the clerk's view read it: in another window, or by another clerk."""


DATABASE_IN_USE = "Another program is using the database: close it (or the other paperprep window) and try again."
DISK_FULL = "The disk is full: free some space and try again."


class DatabaseBusyError(DatabaseProblem):
    """Another connection held the database for longer than paperprep waits (see paperprep.db.engine)."""

    def __init__(self, message: str = DATABASE_IN_USE) -> None:
        super().__init__(message)


class DiskFullError(DatabaseProblem):
    """A write failed for want of space: never a sign of damage."""

    def __init__(self, message: str = DISK_FULL) -> None:
        super().__init__(message)


class DamagedDatabaseError(CorruptDatabaseError):
    """The clerk's database is damaged. Carries the file and the newest backup that passes the integrity check
    (None if there is none), so the window can offer to restore it rather than only refuse."""

    def __init__(self, message: str, path: Path, backup: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
