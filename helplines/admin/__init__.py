"""The helplines admin, by concern; importing the modules registers their admins."""

from . import callbacks, calls, lines  # noqa: F401
