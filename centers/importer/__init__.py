"""Import SAMHSA's National Directories into the catalog, and export centers in their layout.

Modules, in the order data flows through them:

* ``reader``: xlsx/CSV to text rows, one at a time, and the code reference; refuses files
  that are not directories (``ImportRefused``) before anything is written.
* ``xlsx``: the cell values of a workbook's sheets, straight from its XML.
* ``editions``: which directory and year a file is (``su-2022``).
* ``records``: row checks, identity (normalised name, street and ZIP) and duplicate merging.
* ``codes``: the code reference in the database, and the terms and operator codes stand for.
* ``loader``: the bulk writes, only of what changed, a batch of centers at a time.
* ``report``: the summary and the progress bar.
* ``pipeline``: one file, all or nothing, in one transaction.
* ``exporter``: centers back out as a directory CSV.
"""

from .editions import Edition
from .exporter import export_centers
from .pipeline import PreparedFile, import_file, import_prepared, prepare_file
from .reader import ImportRefused, NotADirectory
from .report import ImportReport, Progress

__all__ = [
    "Edition",
    "ImportRefused",
    "ImportReport",
    "NotADirectory",
    "PreparedFile",
    "Progress",
    "export_centers",
    "import_file",
    "import_prepared",
    "prepare_file",
]
