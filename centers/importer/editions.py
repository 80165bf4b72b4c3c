"""Which SAMHSA directory and year a file is, e.g. ``su-2022``.

SAMHSA publishes two directories a year: substance use (``su``) and mental health (``mh``).
A center records every edition that listed it (``Center.samhsa_editions``); "in the latest
directory" means listed in the newest imported edition of a directory that has listed it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy

DIRECTORIES = {"su": "substance use", "mh": "mental health"}

# How a page names each directory, with the year of the edition (SAMHSA's own titles are the
# "National Directory of Substance Use Treatment Facilities" and "... of Mental Health ...").
_TITLES = {
    "su": gettext_lazy("SAMHSA directory of substance use treatment facilities, %(year)s"),
    "mh": gettext_lazy("SAMHSA directory of mental health facilities, %(year)s"),
}

# Words in SAMHSA's own file names and common re-publications that name the directory.
_DIRECTORY_WORDS = {
    "su": {"su", "sa", "sud", "substance", "nssats"},
    "mh": {"mh", "mental", "nmhss"},
}
_LABEL = re.compile(r"^(su|mh)-(\d{4})$")


@dataclass(frozen=True, order=True)
class Edition:
    year: int
    directory: str

    @property
    def label(self) -> str:
        return f"{self.directory}-{self.year}"

    def __str__(self) -> str:
        return self.label

    @property
    def title(self) -> str:
        """The edition in words, in the active language: "SAMHSA directory of mental health
        facilities, 2023" rather than ``mh-2023``."""
        return str(_TITLES[self.directory]) % {"year": self.year}

    @classmethod
    def parse(cls, label: str) -> "Edition":
        """``'su-2022'`` -> ``Edition(2022, 'su')``; raises ``ValueError`` otherwise."""
        match = _LABEL.match(label.strip().lower())
        if not match:
            raise ValueError(
                f"{label!r} is not an edition: write the directory and year, e.g. su-2022 "
                "(substance use) or mh-2022 (mental health)"
            )
        return cls(year=int(match[2]), directory=match[1])

    @classmethod
    def detect(cls, path: Path) -> "Edition":
        """Read the edition from a file name such as ``national-directory-su-facilities-2022``.

        Raises ``ValueError`` when the name does not say both the directory and the year,
        or says more than one of either.
        """
        words = set(re.split(r"[^a-z0-9]+", path.stem.lower()))
        directories = [name for name, known in _DIRECTORY_WORDS.items() if words & known]
        years = sorted({int(word) for word in words if re.fullmatch(r"(19|20)\d\d", word)})
        if len(directories) == 1 and len(years) == 1:
            return cls(year=years[0], directory=directories[0])
        raise ValueError(
            f"cannot tell the edition from the file name {path.name!r}; "
            "pass --edition, e.g. --edition su-2022"
        )


def edition_titles(labels: Iterable[str]) -> list[str]:
    """The editions among ``labels`` in words, newest first; a label that is not an edition
    (typed by hand in the admin) is shown as written rather than dropped."""
    editions, unknown = [], []
    for label in labels:
        try:
            editions.append(Edition.parse(label))
        except ValueError:
            unknown.append(str(label))
    return [edition.title for edition in sorted(set(editions), reverse=True)] + unknown


def latest_editions(labels: Iterable[str]) -> dict[str, Edition]:
    """The newest edition of each directory among ``labels`` (unknown labels are ignored)."""
    latest: dict[str, Edition] = {}
    for label in labels:
        try:
            edition = Edition.parse(label)
        except ValueError:
            continue
        if edition.directory not in latest or edition.year > latest[edition.directory].year:
            latest[edition.directory] = edition
    return latest
