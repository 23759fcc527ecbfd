"""analyzer: read Chinese public-security procurement documents and surface targeted surveillance."""

__version__ = "0.1.0"
