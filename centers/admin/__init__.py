"""The centers admin: the catalog (centers and their terms) and, for the listings' managers,
their claims, reminders, listing changes and SAMHSA differences."""

from . import catalog, managers

__all__ = ["catalog", "managers"]
