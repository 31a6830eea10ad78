"""The OpenAPI 3 document, assembled from the `operation` declarations that sit on each API route."""
from __future__ import annotations

from typing import Any, Callable

API_PREFIX = "/api/v1"
_OPERATIONS: list[dict[str, Any]] = []
_SCHEMAS: dict[str, dict] = {}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}}},
}


def schema(name: str, definition: dict) -> dict:
    """Register a named component schema and return a $ref to it."""
    _SCHEMAS[name] = definition
    return {"$ref": f"#/components/schemas/{name}"}


def operation(method: str, path: str, *, summary: str, tags: list[str], auth: bool = True,
              parameters: list[dict] | None = None, body: dict | None = None, responses: dict[int, dict | None],
              errors: tuple[int, ...] = ()) -> Callable:
    """Declare a route's contract; the decorator returns the view unchanged.

    path is relative to /api/v1 and uses OpenAPI templating ({id}). responses maps status to a JSON schema
    (None for no body). errors lists the error statuses the route can answer with (JSON error body).
    """
    def decorate(view: Callable) -> Callable:
        op: dict[str, Any] = {"summary": summary, "tags": tags, "operationId": view.__name__,
                              "responses": {}}
        if parameters:
            op["parameters"] = parameters
        if body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        for status, resp_schema in responses.items():
            entry: dict[str, Any] = {"description": _reason(status)}
            if resp_schema is not None:
                entry["content"] = {"application/json": {"schema": resp_schema}}
            op["responses"][str(status)] = entry
        error_statuses = set(errors) | {422} | ({401} if auth else set()) | ({400} if body is not None or parameters else set())
        for status in sorted(error_statuses):
            op["responses"][str(status)] = {"description": _reason(status), "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if auth:
            op["security"] = [{"bearerAuth": []}]
        else:
            op["security"] = []
        _OPERATIONS.append({"method": method.lower(), "path": path, "op": op})
        return view

    return decorate


def _reason(status: int) -> str:
    return {200: "OK", 201: "Created", 204: "No content", 400: "Invalid input", 401: "Not authenticated",
            403: "Forbidden", 404: "Not found", 409: "Conflict", 413: "Too large", 422: "Rejected by a rule",
            429: "Too many requests"}.get(status, "Response")  # 422 also answers input holding NUL bytes


def document() -> dict:
    """The whole OpenAPI 3.0 document."""
    paths: dict[str, dict] = {}
    for entry in _OPERATIONS:
        paths.setdefault(API_PREFIX + entry["path"], {})[entry["method"]] = entry["op"]
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hanoi Job Exchange API", "version": "1.0.0",
                 "description": "Sàn giao dịch việc làm Hà Nội. Errors are JSON: {error: {code, message}}."},
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA, **_SCHEMAS},
        },
    }


def path_id(name: str = "id", description: str = "Identifier") -> dict:
    """An integer path parameter."""
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}}


def query(name: str, schema_: dict, description: str = "") -> dict:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema_}
