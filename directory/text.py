"""Text that came from outside (an imported spreadsheet, an admin form) made safe to keep.

Control characters have no place in a name, an address or a paragraph: they are invisible on
the page, break the XML we send Twilio (XML 1.0 forbids every C0 control but tab, line feed and
carriage return), and let a value masquerade as another in logs and spreadsheets.
"""

import re

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; and the code
# points XML cannot carry at all (UTF-16 surrogates, U+FFFE and U+FFFF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_ENDINGS = re.compile("\r\n?")


def strip_control(text: str, *, single_line: bool = False) -> str:
    """``text`` without control characters.

    With ``single_line`` (names, cities, labels) tabs and line breaks go too: every run of
    whitespace becomes one space and the ends are trimmed. Otherwise (descriptions, disclosure
    text) tabs and line breaks stay, with Windows and old Mac line endings made ``\\n``.
    """
    text = _CONTROL.sub("", text)
    if single_line:
        return " ".join(text.split())
    return _LINE_ENDINGS.sub("\n", text)
