"""The exception tree. Every error a user can cause is a DossierError with a one-line message.

DossierError
├── SettingsError     a setting has an invalid value
├── IngestError       an input cannot be read (missing, unreadable, too large, not a known format)
│   └── FetchError    a URL could not be downloaded
├── CleanError        an input was read but holds no usable text
├── AnalysisError     the NLP pipeline failed on a document
├── StoreError        the database cannot be opened, migrated or written
└── QueryError        a query names something that does not exist or has bad arguments
"""

from __future__ import annotations


class DossierError(Exception):
    """Root of every error Dossier raises on purpose. ``str(exc)`` is a complete one-line message."""

    exit_code = 1


class SettingsError(DossierError):
    exit_code = 2


class IngestError(DossierError):
    """An input could not be read. ``ref`` names it."""

    def __init__(self, ref: str, problem: str) -> None:
        super().__init__(f"{ref}: {problem}")
        self.ref = ref
        self.problem = problem

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Errors travel between worker processes: rebuild from (ref, problem), not from the message.
        return (type(self), (self.ref, self.problem))


class FetchError(IngestError):
    pass


class CleanError(IngestError):
    pass


class AnalysisError(DossierError):
    pass


class StoreError(DossierError):
    exit_code = 3


class QueryError(DossierError):
    exit_code = 4
