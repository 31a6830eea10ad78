"""Fixtures for the pages that read text: the employer's and the worker's helpers come from their areas."""
from tests.employers.conftest import employer_user, unverified, verified  # noqa: F401
from tests.workers.conftest import client_for, one_user_per_client, profile, worker_client, worker_user  # noqa: F401,E402
