"""Small SAMHSA directory files, built inside a test's ``tmp_path``.

The layout is the real one (see ../shared/data/samhsa/README.md); the code reference is a
slice of the 2022 reference, in its order. Phone numbers are in the fictional 555-01XX range.
"""

import csv
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl

HEADER = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake1",
    "intake2",
    "intake1a",
    "intake2a",
    "service_code_info",
)
REFERENCE_HEADER = (
    "category_code",
    "category_name",
    "service_code",
    "service_name",
    "service_description",
)
_SETTING = "Service Setting (e.g., Outpatient, Residential, Inpatient, etc.)"
_OPERATOR = "Facility Operation (e.g., Private, Public)"
REFERENCE: list[tuple[str, str, str, str, str]] = [
    ("TC", "Type of Care", "SA", "Substance use treatment", "Treatment for substance use."),
    ("TC", "Type of Care", "DT", "Detoxification", "Treatment during withdrawal."),
    ("SET", _SETTING, "HI", "Hospital inpatient", ""),
    ("SET", _SETTING, "OP", "Outpatient", ""),
    ("SET", _SETTING, "RES", "Residential/24-hour residential", ""),
    ("SET", _SETTING, "OIT", "Intensive outpatient treatment", ""),
    ("SET", _SETTING, "RD", "Residential detoxification", ""),
    ("OM", "Opioid Medications used in Treatment", "MU", "Methadone used in Treatment", ""),
    ("OM", "Opioid Medications used in Treatment", "BU", "Buprenorphine used in Treatment", ""),
    ("TAP", "Treatment Approaches", "CBT", "Cognitive behavioral therapy", ""),
    ("TAP", "Treatment Approaches", "TRC", "Trauma-related counseling", ""),
    ("TAP", "Treatment Approaches", "TELE", "Telemedicine/telehealth therapy", ""),
    ("TAP", "Treatment Approaches", "TWFA", "12-step facilitation", ""),
    ("FOP", _OPERATOR, "PVTP", "Private for-profit organization", ""),
    ("FOP", _OPERATOR, "PVTN", "Private non-profit organization", ""),
    ("PAY", "Payment/Insurance/Funding Accepted", "MD", "Medicaid", ""),
    ("PAY", "Payment/Insurance/Funding Accepted", "SF", "Cash or self-payment", ""),
    ("SL", "Language Services", "SP", "Spanish", ""),
    ("LCA", "License/Certification/Accreditation", "CARF", "CARF accreditation", ""),
]
# The mental-health directory's own codes, in the same layout.
MH_REFERENCE: list[tuple[str, str, str, str, str]] = [
    ("TC", "Type of Care", "MH", "Mental health treatment", ""),
    ("TAP", "Treatment Approaches", "CBT", "Cognitive behavioral therapy", ""),
    ("TAP", "Treatment Approaches", "DBT", "Dialectical behavior therapy", ""),
    ("FOP", _OPERATOR, "PVTN", "Private non-profit organization", ""),
    ("PAY", "Payment/Insurance/Funding Accepted", "MD", "Medicaid", ""),
]

_numbers = itertools.count(1)


def facility(**columns: object) -> dict[str, object]:
    """One facility row with unique defaults; keyword arguments replace columns."""
    n = next(_numbers)
    row: dict[str, object] = dict.fromkeys(HEADER, "")
    row.update(
        name1=f"Harbor Recovery {n}",
        street1=f"{100 + n} Main Street",
        city="Springfield",
        state="IL",
        zip="62701",
        phone=f"217-555-{100 + n % 100:04d}",
        service_code_info="SA * OP * CBT * PVTN * MD",
    )
    row.update(columns)
    return row


def write_xlsx(
    path: Path,
    facilities: Iterable[dict[str, object]],
    *,
    header: Sequence[str] = HEADER,
    reference: Sequence[Sequence[str]] | None = REFERENCE,
    sheet: str = "Facilities List",
    title: str | None = None,
) -> Path:
    """An xlsx directory. ``header`` may rename or add columns (``Name1``, ``latitude``):
    each row's values are taken by the lower-cased column name."""
    workbook = openpyxl.Workbook()
    facilities_sheet = workbook.active
    facilities_sheet.title = sheet
    if title is not None:
        facilities_sheet.append([title])
    facilities_sheet.append(list(header))
    for row in facilities:
        facilities_sheet.append([row.get(column.lower(), "") for column in header])
    if reference is not None:
        reference_sheet = workbook.create_sheet("Service Code Reference")
        reference_sheet.append(list(REFERENCE_HEADER))
        for entry in reference:
            reference_sheet.append(list(entry))
    workbook.save(path)
    return path


def write_csv(
    path: Path, facilities: Iterable[dict[str, object]], *, header: Sequence[str] = HEADER
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row in facilities:
            writer.writerow([row.get(column.lower(), "") for column in header])
    return path
