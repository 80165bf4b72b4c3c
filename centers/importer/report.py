"""What an import did, as figures and as the text the command prints; and its progress bar."""

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .codes import ReferenceChanges
from .records import RowProblem

# Without -v 2, each kind of problem lists this many rows and then a count of the rest.
_LISTED = 10


@dataclass(slots=True)
class ImportReport:
    file_name: str
    edition: str
    dry_run: bool = False
    rows: int = 0  # Facility rows read; blank spreadsheet rows are not counted.
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    marked_not_in_latest: int = 0
    duplicate_rows: int = 0  # Rows merged into an earlier row of the file with the same identity.
    duplicate_keys: int = 0
    joined_other_directory: int = 0  # Centers already imported from the other directory.
    # Values a manager or an editor set that the file gives differently: kept, and flagged.
    kept_for_people: int = 0
    differences_flagged: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    coordinates_from_file: int = 0
    coordinates_from_zip: int = 0
    coordinates_missing: list[int] = field(default_factory=list)  # First row of each center.
    changed_fields: Counter[str] = field(default_factory=Counter)
    reference: ReferenceChanges = field(default_factory=ReferenceChanges)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def centers_written(self) -> int:
        """Centers inserted or updated: zero when the same file is imported twice."""
        return self.created + self.updated + self.marked_not_in_latest

    def lines(self, *, verbose: bool = False) -> list[str]:
        """The summary the command prints, one line per list item."""
        lines = [
            f"{self.file_name}, edition {self.edition}: {self.rows:,} rows in "
            f"{self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)"
        ]
        updated = f"{self.updated:,}"
        if self.changed_fields:
            changed = ", ".join(f"{name} {n:,}" for name, n in self.changed_fields.most_common())
            updated += f" ({changed})"
        duplicates = f"{self.duplicate_rows:,}"
        if self.duplicate_rows:
            duplicates += f" rows merged into {self.duplicate_keys:,} centers with the same "
            duplicates += "name, street and ZIP"
        figures = [
            ("created", f"{self.created:,}"),
            ("updated", updated),
            ("unchanged", f"{self.unchanged:,}"),
            ("marked not in latest", f"{self.marked_not_in_latest:,}"),
            ("merged duplicates", duplicates),
            ("skipped", f"{len(self.skipped):,} rows"),
            ("warnings", f"{len(self.warnings):,} rows imported with a fault"),
            (
                "coordinates",
                f"{self.coordinates_from_file:,} from the file, {self.coordinates_from_zip:,} "
                f"from ZIP centroids, {len(self.coordinates_missing):,} missing",
            ),
            ("code reference", self._reference_line()),
        ]
        if self.kept_for_people:
            figures.insert(
                4,
                (
                    "kept as people set",
                    f"{self.kept_for_people:,} values kept "
                    f"({self.differences_flagged:,} new differences for an editor)",
                ),
            )
        if self.joined_other_directory:
            figures.insert(
                5, ("other directory", f"{self.joined_other_directory:,} centers merged with it")
            )
        lines += [f"  {label:<22}{value}" for label, value in figures]
        lines += [f"  {note}" for note in self.reference.notes]
        if self.coordinates_missing:
            rows = _row_list(self.coordinates_missing, verbose)
            lines.append(f"  no coordinates (ZIP without a known location): rows {rows}")
        lines += _problem_lines("Skipped rows (not imported):", self.skipped, verbose)
        lines += _problem_lines("Warnings (rows imported):", self.warnings, verbose)
        if self.dry_run:
            lines.append("Dry run: nothing was saved.")
        return lines

    def _reference_line(self) -> str:
        reference = self.reference
        if reference.from_database:
            return "none in the file; the database's was used"
        text = (
            f"{reference.in_file:,} codes: {reference.codes_added:,} added, "
            f"{reference.codes_changed:,} changed"
        )
        if reference.categories_added or reference.categories_changed:
            text += (
                f"; {reference.categories_added:,} categories added, "
                f"{reference.categories_changed:,} renamed"
            )
        if reference.codes_absent:
            text += f"; {reference.codes_absent:,} earlier codes not in this edition (kept)"
        return text


def _row_list(rows: list[int], verbose: bool) -> str:
    shown = rows if verbose else rows[: _LISTED * 2]
    text = ", ".join(str(row) for row in shown)
    if len(shown) < len(rows):
        text += f" and {len(rows) - len(shown):,} more (-v 2 lists them all)"
    return text


def _problem_lines(title: str, problems: list[RowProblem], verbose: bool) -> list[str]:
    if not problems:
        return []
    by_kind: dict[str, list[RowProblem]] = defaultdict(list)
    for problem in sorted(problems, key=lambda problem: problem.row):
        by_kind[problem.kind].append(problem)
    lines = [title]
    for kind, group in by_kind.items():
        lines.append(f"  {kind} ({len(group):,} rows)")
        shown = group if verbose else group[:_LISTED]
        lines += [f"    row {problem.row}: {problem.detail}" for problem in shown]
        if len(shown) < len(group):
            lines.append(f"    … and {len(group) - len(shown):,} more (-v 2 lists them all)")
    return lines


class Progress:
    """A one-line progress bar, drawn only on a terminal (never in logs or cron mail)."""

    WIDTH = 30
    INTERVAL = 0.1  # Seconds between redraws: fast enough to look alive, cheap to draw.

    def __init__(
        self, write: Callable[[str], object], flush: Callable[[], object], *, enabled: bool
    ) -> None:
        self._write = write
        self._flush = flush
        self.enabled = enabled
        self._phase = ""
        self._drawn_at = 0.0
        self._width = 0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if phase == self._phase and not finished and now - self._drawn_at < self.INTERVAL:
            return
        self._phase, self._drawn_at = phase, now
        if total:
            share = min(done / total, 1.0)
            filled = round(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"{phase:<16} [{bar}] {share:4.0%} {done:,}/{total:,}"
        else:
            line = f"{phase:<16} {done:,}"
        self._write("\r" + line.ljust(self._width))
        self._width = len(line)
        self._flush()

    def close(self) -> None:
        """Erase the bar so the summary starts on a clean line."""
        if self.enabled and self._width:
            self._write("\r" + " " * self._width + "\r")
            self._flush()
            self._width = 0
