"""The package version, in one place (imported by the modules that record it in their outputs)."""
__version__ = "0.1.0"
