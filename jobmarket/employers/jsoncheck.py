"""Checking a JSON request body against the very schema its route declares, with messages in the user's language.

Covers the part of OpenAPI 3.0 schemas our routes use: type (with nullable), enum, string lengths and patterns,
date format, number bounds, object properties (required, no others) and arrays (items, size, uniqueness).
A body that breaks the declared schema is refused with 400 before any rule runs, so the document never promises
less than the code enforces.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _

from ..errors import ApiError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")


def _type_ok(value: Any, kind: str) -> bool:
    """Whether value is of the JSON type kind."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return False


def _type_name(kind: str) -> str:
    """A JSON type in words."""
    return {"string": _("chuỗi ký tự"), "integer": _("số nguyên"), "number": _("số"), "boolean": _("true hoặc false"),
            "array": _("danh sách"), "object": _("đối tượng")}.get(kind, kind)


def errors_of(value: Any, schema: dict, path: str = "") -> dict[str, list[str]]:
    """Every way value breaks schema, keyed by the field's path ("" for the body itself)."""
    out: dict[str, list[str]] = {}

    def add(message: str, where: str = path) -> None:
        """Record a message for a path."""
        out.setdefault(where or "body", []).append(message)

    if value is None:
        if not schema.get("nullable"):
            add(_("Không được để trống."))
        return out
    kind = schema.get("type")
    if kind and not _type_ok(value, kind):
        add(_("Kiểu dữ liệu không đúng (cần %(type)s).", type=_type_name(kind)))
        return out
    if "enum" in schema and value not in schema["enum"]:
        add(_("Giá trị không hợp lệ. Các giá trị được chấp nhận: %(values)s.",
              values=", ".join(str(v) for v in schema["enum"] if v is not None)))
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            add(_("Cần ít nhất %(n)d ký tự.", n=schema["minLength"]))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            add(_("Tối đa %(n)d ký tự.", n=schema["maxLength"]))
        pattern = schema.get("pattern")
        if pattern and not re.search(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern, value):
            add(_("Định dạng không hợp lệ."))
        if schema.get("format") == "date":
            try:
                if not _DATE.match(value):
                    raise ValueError(value)
                date.fromisoformat(value)
            except ValueError:
                add(_("Ngày không hợp lệ (dạng YYYY-MM-DD)."))
    if kind in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            add(_("Giá trị nhỏ nhất là %(n)s.", n=schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            add(_("Giá trị lớn nhất là %(n)s.", n=schema["maximum"]))
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            add(_("Tối đa %(n)d phần tử.", n=schema["maxItems"]))
        if "minItems" in schema and len(value) < schema["minItems"]:
            add(_("Cần ít nhất %(n)d phần tử.", n=schema["minItems"]))
        if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            add(_("Các phần tử không được trùng nhau."))
        if "items" in schema:
            for i, item in enumerate(value):
                for key, messages in errors_of(item, schema["items"], f"{path}[{i}]").items():
                    out.setdefault(key, []).extend(messages)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                add(_("Thiếu trường bắt buộc."), f"{path}.{name}" if path else name)
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            add(_("Cần ít nhất một trường."))
        for name, item in value.items():
            where = f"{path}.{name}" if path else str(name)
            if name in properties:
                for key, messages in errors_of(item, properties[name], where).items():
                    out.setdefault(key, []).extend(messages)
            elif schema.get("additionalProperties") is False:
                add(_("Trường này không được hỗ trợ."), where)
    return out


def validated(body: Any, schema: dict) -> dict:
    """The body when it satisfies schema; else a 400 ApiError listing each field's problems."""
    problems = errors_of(body, schema)
    if problems:
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."), problems)
    return body


def check_query(name: str, value: str | None, schema: dict) -> None:
    """A 400 when a query parameter breaks its declared schema (strings and integers)."""
    if value is None:
        return
    parsed: Any = value
    if schema.get("type") == "integer":
        if not re.fullmatch(r"-?\d{1,12}", value):
            raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."), {name: [_("Cần một số nguyên.")]})
        parsed = int(value)
    problems = errors_of(parsed, schema, name)
    if problems:
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."), problems)
