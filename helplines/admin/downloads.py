"""The admin's CSV downloads."""

from ..reports import csv_download as csv_response

__all__ = ["csv_response"]
