"""The Spanish catalog is complete, written by us, and in step with the source."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PO = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
STRICT = os.environ.get("STRICT_TEST_ENVIRONMENT") == "1"

# Strings that read the same in both languages: numbers, acronyms and proper names.
SAME_IN_BOTH = {
    "No",
    "988",
    "SAMHSA",
    "Medicaid",
    "Medicare",
    "TRICARE",
    "CARF",
    "HSDS",
    "API",
    "CSV",
}


def entries(path: Path) -> list[dict]:
    """The catalog's entries, as msgctxt/msgid/msgid_plural/msgstr[n]/flags (no gettext needed)."""
    found, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None and "msgid" in entry:
                found.append(entry)
            entry, key = None, None
            continue
        entry = {"flags": set(), "strs": {}} if entry is None else entry
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = _unquote(line)
            if isinstance(key, int):
                entry["strs"][key] += text
            else:
                entry[key] += text
        else:
            keyword, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                key = int(match.group(1)) if match else 0
                entry["strs"][key] = _unquote(rest)
            else:
                key = keyword
                entry[key] = _unquote(rest)
    return [e for e in found if e["msgid"] or e.get("msgctxt")]


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_every_entry_has_spanish_and_none_is_fuzzy():
    catalog = entries(PO)
    assert len(catalog) > 50
    fuzzy = [e["msgid"] for e in catalog if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in catalog if not all(e["strs"].values())]
    assert fuzzy == [], "fuzzy entries: check and unflag them"
    assert empty == [], "entries without Spanish"


def test_no_entry_is_left_in_english():
    """A msgstr equal to its msgid is an untranslated string, unless it is the same word."""
    same = [
        e["msgid"]
        for e in entries(PO)
        if e["strs"].get(0) == e["msgid"]
        and e["msgid"] not in SAME_IN_BOTH
        and not re.fullmatch(r"[\W\d]*|%\(\w+\)s", e["msgid"])
    ]
    assert same == []


def test_plurals_have_every_spanish_form():
    for entry in entries(PO):
        if "msgid_plural" in entry:
            assert sorted(entry["strs"]) == [0, 1, 2], entry["msgid"]


@pytest.mark.skipif(
    not STRICT and not shutil.which("xgettext"),
    reason="needs GNU gettext (apt-get install gettext)",
)
def test_the_catalog_holds_exactly_the_strings_the_source_marks(tmp_path, settings):
    """`make messages` would add nothing and drop nothing: every marked string is translated."""
    # makemessages writes into the locale folder nearest the source (the project's own), so it
    # runs on the catalog itself, which is put back as it was, whatever happens.
    kept = tmp_path / "django.po"
    shutil.copy(PO, kept)
    cwd = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        call_command(
            "makemessages", locale=["es"], no_obsolete=True, add_location="file", verbosity=0,
            ignore_patterns=[".venv/*", "staticfiles/*", "node_modules/*", "tests/*", "bench/*"],
        )  # fmt: skip
        shutil.copy(PO, tmp_path / "made.po")
    finally:
        shutil.copy(kept, PO)
        os.chdir(cwd)

    def ids(path: Path) -> set[tuple[str, str]]:
        return {(e.get("msgctxt", ""), e["msgid"]) for e in entries(path)}

    made = tmp_path / "made.po"
    assert ids(made) - ids(PO) == set(), "marked in the source but missing here: run make messages"
    assert ids(PO) - ids(made) == set(), "no longer in the source: run make messages"


@pytest.mark.skipif(
    not STRICT and not shutil.which("msgfmt"), reason="needs GNU gettext (apt-get install gettext)"
)
def test_msgfmt_accepts_the_catalog_with_its_format_checks():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
