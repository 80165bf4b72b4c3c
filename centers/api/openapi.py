"""The OpenAPI 3.1 description of our endpoints, built from the same constants the code uses."""

from . import locator
from .hsds import query
from .ratelimit import RATE_LIMIT, RATE_WINDOW


def _param(name: str, where: str, schema: dict, description: str, *, required: bool = False):
    return {
        "name": name,
        "in": where,
        "required": required,
        "schema": schema,
        "description": description,
    }


_STRING = {"type": "string"}
_INTEGER = {"type": "integer", "minimum": 1}
_ERROR = {
    "description": "Bad input, or too many requests: the message says which.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            }
        }
    },
}
_JSON_OBJECT = {"content": {"application/json": {"schema": {"type": "object"}}}}

LOCATOR_FIELDS = {
    "sType": {"type": "string", "enum": ["SA", "MH", "BOTH"], "default": "SA"},
    "sCodes": {"type": "string", "description": "Comma-separated SAMHSA codes, all required."},
    "sLanguages": {"type": "string", "description": "Comma-separated codes, any one."},
    "sAddr": {"type": "string", "description": '"latitude, longitude"'},
    "limitType": {"type": "integer", "enum": [0, 2], "description": "0 state, 2 distance."},
    "limitValue": {"type": "string", "description": "A state code, or metres."},
    "page": {"type": "integer", "minimum": 1, "default": 1},
    "pageSize": {
        "type": "integer",
        "minimum": 1,
        "maximum": locator.MAX_PAGE_SIZE,
        "default": locator.DEFAULT_PAGE_SIZE,
    },
    "sort": {"type": "integer", "enum": [0, 1], "description": "0 distance, 1 name."},
}


def document() -> dict:
    locator_answer = {
        "description": "A page of centers.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["page", "totalPages", "recordCount", "rows"],
                    "properties": {
                        "page": {"type": "integer"},
                        "totalPages": {"type": "integer"},
                        "recordCount": {"type": "integer"},
                        "rows": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
    locator_operation = {
        "summary": "FindTreatment-compatible locator search",
        "responses": {"200": locator_answer, "400": _ERROR, "429": _ERROR},
    }
    list_parameters = [
        _param("page", "query", _INTEGER, "Page number, from 1."),
        _param("per_page", "query", {**_INTEGER, "maximum": query.MAX_PER_PAGE}, "Page size."),
        _param("search", "query", _STRING, "Words in the name or city."),
        _param("modified_after", "query", _STRING, "ISO 8601 date or date-time."),
    ]
    id_parameter = [_param("id", "path", {"type": "string", "format": "uuid"}, "", required=True)]

    def hsds_path(summary: str, parameters: list) -> dict:
        return {
            "get": {
                "summary": summary,
                "parameters": parameters,
                "responses": {
                    "200": {"description": "HSDS 3.0 JSON.", **_JSON_OBJECT},
                    "400": _ERROR,
                    "429": _ERROR,
                },
            }
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Treatment directory open data",
            "version": "1.0",
            "description": (
                f"Read-only, no key. {RATE_LIMIT} requests per {RATE_WINDOW} seconds per client. "
                "Data: SAMHSA, public domain."
            ),
        },
        "paths": {
            "/locator/listing": {
                "get": {
                    **locator_operation,
                    "operationId": "locatorListingGet",
                    "parameters": [
                        _param(name, "query", schema, schema.get("description", ""))
                        for name, schema in LOCATOR_FIELDS.items()
                    ],
                },
                "post": {
                    **locator_operation,
                    "operationId": "locatorListingPost",
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"type": "object", "properties": LOCATOR_FIELDS}
                            }
                        }
                    },
                },
            },
            "/api/hsds/": hsds_path("HSDS version", []),
            "/api/hsds/services": hsds_path(
                "Services",
                [
                    *list_parameters,
                    _param("full", "query", {"type": "boolean"}, "Nest the organization."),
                ],
            ),
            "/api/hsds/services/{id}": hsds_path("One service", id_parameter),
            "/api/hsds/organizations": hsds_path("Organizations", list_parameters),
            "/api/hsds/organizations/{id}": hsds_path("One organization", id_parameter),
        },
    }
