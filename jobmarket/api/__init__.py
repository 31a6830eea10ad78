"""The JSON API under /api/v1: token authentication, JSON errors and the OpenAPI document built from the code."""
