"""Library exceptions. The CLI turns each into one line on stderr and a non-zero exit."""


class AnalyzerError(Exception):
    """Base class for every error a user can act on."""


class IngestError(AnalyzerError):
    """A file could not be read; the message says why and what to do."""

    status = "failed"


class UnsupportedFormat(IngestError):
    """The file type is not one analyzer reads."""

    status = "unsupported"


class EncryptedFile(IngestError):
    """The file is password-protected and the empty password did not open it."""

    status = "encrypted"


class EmptyFile(IngestError):
    """The file holds no bytes or no text at all."""

    status = "empty"


class LimitExceeded(IngestError):
    """The file went past a size, time or archive limit."""

    status = "too_large"


class ModelUnavailable(AnalyzerError):
    """The transformers model path was asked for but is not installed or built."""
