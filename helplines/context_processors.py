import time
from collections.abc import Iterator

from django.conf import settings
from django.db import router
from django.http import HttpRequest

from directory.statements import Statement, Statements

from .models import Helpline


def helplines(request: HttpRequest | None) -> dict[str, object]:
    """``general_helplines`` for the header and footer of every page."""
    return {"general_helplines": SiteNumbers()}


class SiteNumbers:
    """The active general helplines, read on first use: a page that does not show them costs
    no query, and one that shows them twice costs one; a process reads them at most every
    ``SITE_NUMBERS_SECONDS`` (``forget_general_lines`` after a save makes it read at once).

    Equal (and hashed alike) when they show the same: the page frame is kept by them
    (``base.html``'s stencil), so any change an admin makes to a line changes the frame.
    """

    def __init__(self) -> None:
        self._lines: list[Helpline] | None = None
        self._shown: tuple[tuple[object, ...], ...] = ()

    def _read(self) -> list[Helpline]:
        if self._lines is None:
            self._lines = _read_general_lines()
            self._shown = tuple(
                tuple(vars(line)[name] for name in _COLUMNS) for line in self._lines
            )
        return self._lines

    def __iter__(self) -> Iterator[Helpline]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __bool__(self) -> bool:
        return bool(self._read())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SiteNumbers):
            return NotImplemented
        self._read()
        other._read()
        return self._shown == other._shown

    def __hash__(self) -> int:
        self._read()
        return hash(self._shown)


# Every column: what the footer shows is a few of them, and a line is cheap to read whole.
_COLUMNS = [field.attname for field in Helpline._meta.concrete_fields]
# The statement, compiled once per database (``directory.statements``; compiling the queryset
# on every page cost about 0.4 ms).
_statements = Statements()


# What each database's general lines were when last read, and when (time.monotonic()).
_read_at: dict[str, tuple[float, list[Helpline]]] = {}


def forget_general_lines(**_signal: object) -> None:
    """Read the general lines again on the next page (connected to Helpline's saves and
    deletions: the process that made the change shows it at once)."""
    _read_at.clear()


def _read_general_lines() -> list[Helpline]:
    using = router.db_for_read(Helpline)
    kept = _read_at.get(using)
    if kept is not None and time.monotonic() - kept[0] < settings.SITE_NUMBERS_SECONDS:
        return kept[1]
    lines = _query_general_lines(using)
    _read_at[using] = (time.monotonic(), lines)
    return lines


def _query_general_lines(using: str) -> list[Helpline]:
    statement = _statements.get(using, lambda: _compile_general_lines(using))
    return [Helpline.from_db(using, _COLUMNS, row) for row in statement.rows([])]


def _compile_general_lines(using: str) -> Statement:
    queryset = Helpline.objects.using(using).active().general().values_list(*_COLUMNS)
    return Statement.select(queryset, [])
