"""CSV cells a spreadsheet shows as text and never runs as a formula (CSV injection).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets. ``neutralise`` puts an apostrophe in front:
spreadsheets show the text as typed. To keep a round trip exact, text that already starts
with apostrophes before such a character gets one more, and ``restore`` removes exactly one,
so ``restore(neutralise(text)) == text`` for every text.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_PREFIXES)


def neutralise(text: str) -> str:
    return f"'{text}" if text and _needs_quote(text) else text


def restore(text: str) -> str:
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text
