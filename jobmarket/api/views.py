"""API basics: tokens, who am I, and the OpenAPI document."""
from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from ..errors import ApiError
from ..extensions import limiter
from .core import api_blueprint, api_user, json_body
from .openapi import document, operation, schema

bp = api_blueprint("api", __name__)

TOKEN_REQUEST = schema("TokenRequest", {
    "type": "object", "required": ["email", "password"], "additionalProperties": False,
    "properties": {"email": {"type": "string", "minLength": 3, "maxLength": 254, "pattern": "^[^@\\s]+@[^@\\s]+$"},
                   "password": {"type": "string", "minLength": 1, "maxLength": 128}}})
TOKEN = schema("Token", {"type": "object", "required": ["token", "expires_at", "role"], "properties": {
    "token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "role": {"type": "string"}}})
ME = schema("Me", {"type": "object", "required": ["id", "email", "role", "locale"], "properties": {
    "id": {"type": "integer"}, "email": {"type": "string"}, "role": {"type": "string"}, "locale": {"type": "string"}}})


def _failed(response) -> bool:
    return response.status_code == 401


@bp.post("/auth/token")
@limiter.limit(lambda: "%d/minute" % __import__("flask").current_app.config["LOGIN_ATTEMPTS_PER_MINUTE"],
               deduct_when=_failed, scope="api-token-ip")
@operation("post", "/auth/token", summary="Exchange email and password for a bearer token", tags=["auth"],
           auth=False, body=TOKEN_REQUEST, responses={201: TOKEN}, errors=(401, 429))
def create_token():
    """Log in over the API: returns a token to send as `Authorization: Bearer …`."""
    from ..auth.services import authenticate, issue_token

    data = json_body()
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise ApiError(400, "validation_error", _("Vui lòng nhập email và mật khẩu."))
    user = authenticate(email[:254], password[:128])
    if user is None:
        raise ApiError(401, "invalid_credentials", _("Email hoặc mật khẩu không đúng."))
    raw, token = issue_token(user)
    return jsonify(token=raw, expires_at=token.expires_at.isoformat() + "Z", role=user.role), 201


@bp.get("/me")
@operation("get", "/me", summary="The authenticated account", tags=["auth"], responses={200: ME})
def me():
    """Who the token belongs to."""
    user = api_user()
    return jsonify(id=user.id, email=user.email, role=user.role, locale=user.locale)


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3 document of this API, generated from the routes' declarations."""
    return jsonify(document())
