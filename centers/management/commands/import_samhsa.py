from itertools import zip_longest
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from centers.importer import ImportRefused, Progress, import_prepared, prepare_file


class Command(BaseCommand):
    help = (
        "Import SAMHSA National Directory files (xlsx or CSV): their code reference into the "
        "taxonomy and their facilities into centers. Each file is all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="+",
            type=Path,
            metavar="FILE",
            help="A directory file: the .xlsx SAMHSA publishes, or a CSV with the same columns.",
        )
        parser.add_argument(
            "--edition",
            action="append",
            default=[],
            metavar="EDITION",
            help="Directory and year, e.g. su-2022 or mh-2022; give it once per FILE, in the "
            "same order. Default: read from each file name.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read, check and count everything, then roll back: nothing is saved.",
        )

    def handle(
        self, *, files: list[Path], edition: list[str], dry_run: bool, verbosity: int, **options
    ) -> None:
        if edition and len(edition) != len(files):
            raise CommandError(f"--edition was given {len(edition)} times for {len(files)} files")
        progress = Progress(
            lambda text: self.stderr.write(text, style_func=str, ending=""),
            self.stderr.flush,
            enabled=self.stderr.isatty(),
        )
        try:
            # Every file is read and checked before the first one is written, so a bad file
            # in the list stops the command before it changes anything.
            prepared = [
                prepare_file(path, edition=label, progress=progress)
                for path, label in zip_longest(files, edition)
            ]
            # Oldest edition first: a later edition updates the centers of an earlier one.
            for item in sorted(prepared, key=lambda item: item.edition.year):
                report = import_prepared(item, dry_run=dry_run, progress=progress)
                progress.close()
                if verbosity > 0:
                    self.stdout.write("\n".join(report.lines(verbose=verbosity > 1)))
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
