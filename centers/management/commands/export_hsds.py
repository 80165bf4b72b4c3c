from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from centers.api.hsds.export import write_package


class Command(BaseCommand):
    help = (
        "Write the published centers as an Open Referral HSDS 3.0 tabular data package: "
        "datapackage.json and one CSV per resource, in DIR (created if needed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, *, directory: Path, **options) -> None:
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.")
        try:
            counts = write_package(directory)
        except OSError as error:
            raise CommandError(f"Cannot write to {directory}: {error.strerror}.") from None
        summary = ", ".join(f"{count:,} {resource}" for resource, count in counts.items())
        self.stdout.write(f"Wrote {directory / 'datapackage.json'}: {summary}.")
