"""Fixtures for the pages that read text: the employer's and the worker's helpers come from their areas."""
from tests.employers.conftest import employer_user, unverified, verified  # noqa: F401
