"""Library exceptions. The CLI turns each into one line on stderr and a non-zero exit."""

from analyzer.records import Status


class AnalyzerError(Exception):
    """Base class for every error a user can act on."""


class IngestError(AnalyzerError):
    """A file could not be read; the message says why and what to do."""

    status = Status.FAILED


class UnsupportedFormat(IngestError):
    """The file type is not one analyzer reads."""

    status = Status.UNSUPPORTED


class EncryptedFile(IngestError):
    """The file is password-protected and the empty password did not open it."""

    status = Status.ENCRYPTED


class EmptyFile(IngestError):
    """The file holds no bytes or no text at all."""

    status = Status.EMPTY


class LimitExceeded(IngestError):
    """The file went past a size, time or archive limit."""

    status = Status.TOO_LARGE


class ModelUnavailable(AnalyzerError):
    """The transformers model path was asked for but is not installed or built."""
