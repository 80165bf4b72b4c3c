"""The apps depend one way: helplines is built on centers, never the reverse."""

import ast
from pathlib import Path

CENTERS = Path(__file__).resolve().parent.parent / "centers"


def _imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return modules


def test_no_centers_module_imports_helplines():
    offenders = [
        f"{path.relative_to(CENTERS.parent)}: {module}"
        for path in sorted(CENTERS.rglob("*.py"))
        for module in _imported_modules(path)
        if module == "helplines" or module.startswith("helplines.")
    ]
    assert offenders == []


def test_the_check_sees_an_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("import helplines.models\nfrom helplines import demo\n")
    assert _imported_modules(module) == ["helplines.models", "helplines"]


def test_centers_templates_include_no_helplines_partial():
    """They reach helplines through its template tags (``{% load helplines %}``) only."""
    templates = CENTERS.parent / "templates" / "centers"
    offenders = [
        str(path.relative_to(templates))
        for path in sorted(templates.rglob("*.html"))
        if '"helplines/' in path.read_text() or "'helplines/" in path.read_text()
    ]
    assert offenders == []
