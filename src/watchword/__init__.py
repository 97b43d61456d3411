"""Watchword: a two-factor authentication server."""

__version__ = "0.1.0"
