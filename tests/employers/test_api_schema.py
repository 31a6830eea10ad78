"""Schemathesis against the employer and office API: no 500s, responses match the document, bad input refused.

Refusals of well-formed input by a rule (a wrong check digit, a past deadline) are 422 by design, so the positive
data check accepts 422 besides schemathesis' defaults; a body that breaks the declared schema must get a 400.
"""
from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from jobmarket.auth.services import issue_token

from .conftest import make_application

ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]


def _schema(app, token: str):
    config = SchemathesisConfig.from_dict({
        "auth": {"openapi": {"bearerAuth": {"bearer": token}}},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


@pytest.mark.parametrize("role,prefixes", [
    ("employer", ("/api/v1/employer", "/api/v1/applications")),
    ("officer", ("/api/v1/office",)),
])
def test_api_holds_to_its_document(app, factory, db, role, prefixes):
    employer = factory.employer(verified=True)
    vacancy = factory.vacancy(employer=employer, required=("han-dien",))
    make_application(db, vacancy, factory.worker())
    factory.employer(verified=False)
    factory.vacancy(status="draft", flagged=True, flag_reason="“đặt cọc”", published_at=None)
    user = employer.owner if role == "employer" else factory.user("officer")
    token, _ = issue_token(user)
    schema = _schema(app, token)
    failures: list[str] = []
    statuses: Counter = Counter()
    operations = [r.ok() for r in schema.get_all_operations() if r.ok().path.startswith(prefixes)]
    assert len(operations) >= (12 if role == "employer" else 7)
    for operation in operations:
        for mode in ("positive", "negative"):
            @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
            def check(case):
                response = case.call_and_validate()
                statuses[response.status_code] += 1

            try:
                check()
            except Exception as exc:  # collect every operation's failure, then report them together
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {exc}"[:1500])
    assert failures == [], "\n\n".join(failures)
    assert statuses[200] > 0 and statuses[400] > 0 and statuses[401] > 0
