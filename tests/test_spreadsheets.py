import pytest

from directory.spreadsheets import neutralise, restore


@pytest.mark.parametrize(
    "text",
    ["", "plain", "=1+1", "+1", "-1", "@A1", "\tx", "\rx", "'", "'=x", "''=x", "'plain", "''"],
)
def test_restore_undoes_neutralise(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))
