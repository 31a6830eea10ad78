"""Property test of the search API: whatever schemathesis sends, no 500 and every answer fits the OpenAPI document."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

OPERATIONS = [("/api/v1/vacancies", "worker"), ("/api/v1/vacancies/{id}", "worker"),
              ("/api/v1/me/matches", "worker"), ("/api/v1/vacancies/{id}/candidates", "employer")]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path,caller", OPERATIONS)
def test_search_api_never_fails(app, client, market, token, path, caller, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = token(market.worker.user if caller == "worker" else market.employer.owner)
    operation = schema[path]["GET"]
    checks = [not_a_server_error, response_schema_conformance]
    if mode == GenerationMode.POSITIVE:
        checks.append(status_code_conformance)
    calls = []

    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call_and_validate(app=app, headers=headers, checks=checks)
        calls.append(response.status_code)

    run()
    assert calls and all(code < 500 for code in calls)
