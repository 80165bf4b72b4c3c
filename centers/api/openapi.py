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


HSDS_SCHEMAS = "https://github.com/openreferral/specification/tree/3.0/schema"
_STRING = {"type": "string"}
_UUID = {"type": "string", "format": "uuid"}
_BOOLEAN = {"type": "boolean"}
_FULL_SERVICE = {
    "name": "full_service",
    "in": "query",
    "required": False,
    "schema": _BOOLEAN,
    "description": "Nest the whole service.",
}
_PAGE = {
    "type": "object",
    "required": [
        "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"},
        "size": {"type": "integer"},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array", "items": {"type": "object"}},
    },
}  # fmt: skip
_INTEGER = {"type": "integer", "minimum": 1}
_ERROR = {
    "description": "Bad input, no such object, or too many requests: the message says which.",
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

LOCATOR_FIELDS = {
    "sType": {"type": "string", "enum": ["SA", "MH", "BOTH"], "default": "SA"},
    "sCodes": {"type": "string", "description": "Comma-separated SAMHSA codes, all required."},
    "sLanguages": {"type": "string", "description": "Comma-separated codes, any one."},
    "sAddr": {"type": "string", "description": '"latitude, longitude"'},
    "limitType": {
        "type": "integer",
        "enum": [0, 1, 2],
        "description": "0 state, 1 county, 2 distance.",
    },
    "limitValue": {
        "type": "string",
        "description": 'A state code; a county and state code ("Cook County, IL"); or metres.',
    },
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
    page_parameters = [
        _param("page", "query", _INTEGER, "Page number, from 1."),
        _param("per_page", "query", {**_INTEGER, "maximum": query.MAX_PER_PAGE}, "Page size."),
        _param("format", "query", {"type": "string", "enum": ["json"]}, "Only json."),
    ]
    search = _param("search", "query", _STRING, "Every word in the name, secondary name or city.")
    vocabulary_search = _param("search", "query", _STRING, "Every word in the name or code.")
    center_parameters = [
        search,
        _param("modified_after", "query", _STRING, "On or after: ISO 8601 date or date-time."),
        _param("organization_id", "query", _UUID, "Only this organization's."),
    ]
    taxonomy_parameters = [
        _param("taxonomy_term_id", "query", _UUID, "Described by this term (a SAMHSA code, a "
               "directory term, or a kind of term: any term of that kind)."),
        _param("taxonomy_id", "query", _UUID, "Described by any term of this taxonomy."),
    ]  # fmt: skip
    full = _param("full", "query", _BOOLEAN, "Nest the related objects.")
    id_parameter = [_param("id", "path", _UUID, "The object's id.", required=True)]

    def hsds_path(summary: str, parameters: list, schema: str, *, page: bool = False) -> dict:
        """``schema`` names the official HSDS 3.0 schema the answer (or each item) follows."""
        answer = {"$ref": "#/components/schemas/Page"} if page else {"type": "object"}
        described = f"HSDS 3.0 JSON: {'a Page of ' if page else ''}{schema} ({HSDS_SCHEMAS})."
        return {
            "get": {
                "summary": summary,
                "parameters": parameters + (page_parameters if page else []),
                "responses": {
                    "200": {
                        "description": described,
                        "content": {"application/json": {"schema": answer}},
                    },
                    "400": _ERROR,
                    "404": _ERROR,
                    "429": _ERROR,
                },
            }
        }

    hsds_paths = {
        "/api/hsds/": hsds_path("HSDS version, profile and this document", [], "version info"),
        "/api/hsds/services": hsds_path(
            "Services",
            [
                *center_parameters,
                *taxonomy_parameters,
                full,
                _param("minimal", "query", _BOOLEAN, "Only id, name, status, last_modified."),
            ],
            "service_list.json",
            page=True,
        ),
        "/api/hsds/services/{id}": hsds_path("One service", id_parameter, "service.json"),
        "/api/hsds/organizations": hsds_path(
            "Organizations",
            [*center_parameters, full, _FULL_SERVICE],
            "organization_list.json (organization.json with full or full_service)",
            page=True,
        ),
        "/api/hsds/organizations/{id}": hsds_path(
            "One organization", [*id_parameter, _FULL_SERVICE], "organization.json"
        ),
        "/api/hsds/service_at_locations": hsds_path(
            "Services at locations",
            [
                *center_parameters,
                *taxonomy_parameters,
                full,
                _param(
                    "postcode",
                    "query",
                    _STRING,
                    "A US ZIP code: locations with it, or "
                    "with proximity, near its centroid (nearest first).",
                ),
                _param(
                    "proximity",
                    "query",
                    {"type": "number", "exclusiveMinimum": 0},
                    "Metres from the postcode's centroid; needs postcode.",
                ),
            ],  # fmt: skip
            "service_at_location_list.json",
            page=True,
        ),
        "/api/hsds/service_at_locations/{id}": hsds_path(
            "One service at a location", id_parameter, "service_at_location.json"
        ),
        "/api/hsds/taxonomies": hsds_path(
            "Taxonomies: each SAMHSA category, and the directory's own terms",
            [vocabulary_search],
            "taxonomy.json",
            page=True,
        ),
        "/api/hsds/taxonomies/{id}": hsds_path("One taxonomy", id_parameter, "taxonomy.json"),
        "/api/hsds/taxonomy_terms": hsds_path(
            "Taxonomy terms: every SAMHSA code and directory term",
            [
                vocabulary_search,
                _param("taxonomy_id", "query", _UUID, "Terms of this taxonomy."),
                _param("parent_id", "query", _UUID, "Terms below this one."),
                _param("top_only", "query", _BOOLEAN, "Only terms with no parent."),
            ],
            "taxonomy_term.json",
            page=True,
        ),
        "/api/hsds/taxonomy_terms/{id}": hsds_path(
            "One taxonomy term", id_parameter, "taxonomy_term.json"
        ),
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
            **hsds_paths,
        },
        "components": {"schemas": {"Page": _PAGE}},
    }
