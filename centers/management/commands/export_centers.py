from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from centers.importer import export_centers
from centers.importer.editions import DIRECTORIES


class Command(BaseCommand):
    help = (
        "Write the imported centers as CSV in SAMHSA's directory layout; import_samhsa reads "
        "it back without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write. Default: standard output."
        )
        parser.add_argument(
            "--directory",
            choices=sorted(DIRECTORIES),
            help="Only the centers this directory lists, with its codes (su or mh).",
        )

    def handle(self, *, output: Path | None, directory: str | None, **options) -> None:
        if output is None:
            count = export_centers(self.stdout, directory=directory)
            where = "standard output"
        else:
            with output.open("w", encoding="utf-8", newline="") as stream:
                count = export_centers(stream, directory=directory)
            where = str(output)
        # On stderr, so that standard output is nothing but the CSV.
        self.stderr.write(f"{count:,} centers written to {where}", style_func=lambda text: text)
