"""tracker: a gentle, gradual-exposure practice tracker for asking for help."""

__version__ = "0.1.0"
