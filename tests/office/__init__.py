"""Tests of the labour office pages, API and daily job."""
