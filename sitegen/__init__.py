"""The stages of the site generator; `build.py` runs them in order."""

__version__ = "0.1.0"
