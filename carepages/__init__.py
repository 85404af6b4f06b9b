"""carepages: multilingual patient-information pages that never lose their disclaimers."""

__version__ = "0.1.0"
