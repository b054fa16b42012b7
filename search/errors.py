"""Named errors of the core; each message says what went wrong and what to do next."""


class GovsearchError(Exception):
    """Base class: the CLI prints str(error) on one line and exits non-zero."""


class IngestError(GovsearchError):
    """A corpus or file cannot be ingested."""


class IndexMissingError(GovsearchError):
    """No index at the given path."""


class UnknownReportError(GovsearchError):
    """A report id that the index does not hold."""


class BuildLockedError(GovsearchError):
    """Another build holds the index lock."""


class IndexDamagedError(GovsearchError):
    """The index on disk differs from what its build wrote (see search.checksums)."""


class DiskFullError(GovsearchError):
    """A build could not write its index: no space left on the device (or a size limit)."""


class InvalidTextError(GovsearchError, ValueError):
    """Input text that cannot be normalized (a lone surrogate: bytes that were not UTF-8)."""
