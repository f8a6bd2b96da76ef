"""What the importer raises: a file it cannot use, a mapping that does not fit, a strict import refused."""

from __future__ import annotations

from analysis import store


class UnusableFile(store.StoreError):
    """The file cannot be imported at all; ``str()`` says why, ``headers`` lists what was found."""

    def __init__(self, message: str, headers: list[str] | None = None):
        self.headers = list(headers or [])
        super().__init__(message)


class NoHeaderFound(UnusableFile):
    """No row near the top maps to Debrief's fields by its names; ``headers`` holds the first row's cells.

    The user can say which of those columns is which (the page's mapping, ``overrides``), and
    the file is read again with that row as the header.
    """


class MappingError(UnusableFile):
    """A mapping names an unknown field or a header the file does not have."""


class ImportRejected(store.StoreError):
    """A strict import found rejected rows, so nothing was written."""
