"""The official HSDS 3.0 schemas from ../shared, closed everywhere with formats checked, as the
specification's own checks validate."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPECS = Path(__file__).resolve().parents[2].parent / "shared/specs/hsds-3.0"

needs_specs = [
    pytest.mark.shared_data,
    pytest.mark.skipif(
        not SPECS.is_dir(), reason=f"the HSDS 3.0 schemas are not at {SPECS} (../shared is absent)"
    ),
]


def closed(schema: object) -> object:
    """additionalProperties false on every object (``compiletojsonschema
    --set-additional-properties-false-everywhere``)."""
    if isinstance(schema, dict):
        schema = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema:
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [closed(item) for item in schema]
    return schema


def _load(name: str) -> dict:
    return json.loads((SPECS / name).read_text())


def _registry() -> Registry:
    """The per-object schemas refer to each other by file name ("taxonomy.json")."""
    resources = [
        (path.name, Resource.from_contents(closed(_load(f"objects/{path.name}")), DRAFT202012))
        for path in (SPECS / "objects").glob("*.json")
    ]
    return Registry().with_resources(resources)


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        closed(schema),
        registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def validator(name: str) -> jsonschema.Draft202012Validator:
    """``service.json`` (compiled) or ``objects/taxonomy.json`` (an object schema)."""
    return _validator(_load(name))


def page_validator(item_schema: str) -> jsonschema.Draft202012Validator:
    """The OpenAPI file's ``Page``, every property required, ``contents`` of ``item_schema``."""
    page = copy.deepcopy(_load("openapi.json")["components"]["schemas"]["Page"])
    page["properties"]["contents"] = {"type": "array", "items": _load(item_schema)}
    page["required"] = list(page["properties"])
    return _validator(page)


def assert_valid(checker: jsonschema.Draft202012Validator, data: object) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(data)]
    assert not errors, errors
